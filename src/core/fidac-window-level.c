/* fidac-window-level.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <math.h>

#include "fidac-window-level.h"

guint8
fidac_window_level_map (gdouble hu,
                        gdouble width,
                        gdouble level)
{
  gdouble w = MAX (width, 1.0);
  gdouble y;

  if (w <= 1.0)
    return hu < level - 0.5 ? 0 : 255;

  y = ((hu - (level - 0.5)) / (w - 1.0) + 0.5) * 255.0;
  if (y <= 0.0)
    return 0;
  if (y >= 255.0)
    return 255;
  return (guint8) floor (y);
}

void
fidac_window_level_slice_gray (const FidacVolume *volume,
                               gint               k,
                               gdouble            width,
                               gdouble            level,
                               guint8            *out)
{
  const gint16 *src = fidac_volume_slice (volume, k);
  gsize n = fidac_volume_slice_voxels (volume);
  guint8 lut[65536];

  /* A table is cheaper than the arithmetic as soon as a slice is bigger than 64 K voxels,
   * and it keeps the mapping in one place. */
  if (n >= 65536)
    {
      for (gint v = 0; v < 65536; v++)
        lut[v] = fidac_window_level_map ((gdouble) (v - 32768), width, level);
      for (gsize v = 0; v < n; v++)
        out[v] = lut[(gint) src[v] + 32768];
    }
  else
    {
      for (gsize v = 0; v < n; v++)
        out[v] = fidac_window_level_map (src[v], width, level);
    }
}
