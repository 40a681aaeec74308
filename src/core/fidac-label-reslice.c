/* fidac-label-reslice.c: labels on a plane, and their overlay over the grey image.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "fidac-label-reslice.h"
#include "fidac-lesion.h"

void
fidac_overlay_style_init (FidacOverlayStyle *style)
{
  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  style->mode = FIDAC_OVERLAY_FILLED;
  style->opacity = 0.5;
  for (guint id = 1; id < FIDAC_LABEL_MAX_CLASSES; id++)
    {
      const FidacLesionClass *lesion = fidac_lesion_get (id);

      if (lesion == NULL)
        {
          memset (style->colors[id], 128, 3);
          continue;
        }
      memcpy (style->colors[id], lesion->rgb, 3);
      style->visible |= 1u << id;
    }
}

gboolean
fidac_overlay_style_validate (const FidacOverlayStyle *style,
                              GError                 **error)
{
  g_return_val_if_fail (style != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (style->mode != FIDAC_OVERLAY_FILLED && style->mode != FIDAC_OVERLAY_OUTLINE)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Unknown overlay mode %d"), (gint) style->mode);
      return FALSE;
    }
  /* Written so that NaN fails too. */
  if (!(style->opacity >= 0.0 && style->opacity <= 1.0))
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("The overlay opacity must be between 0 and 1, not %g"), style->opacity);
      return FALSE;
    }
  return TRUE;
}

guint8
fidac_overlay_alpha (gdouble opacity)
{
  if (!(opacity > 0.0))
    return 0;
  if (opacity >= 1.0)
    return 255;
  return (guint8) floor (opacity * 255.0 + 0.5);
}

gboolean
fidac_label_reslice (const FidacLabelMap *map,
                     const FidacVolume   *volume,
                     const FidacPlane    *plane,
                     gint                 border,
                     guint8              *out,
                     GError             **error)
{
  gdouble m[16], origin[3], du[3], dv[3];
  gint nx, ny, nz, stride;
  gdouble hx, hy, hz;

  g_return_val_if_fail (map != NULL, FALSE);
  g_return_val_if_fail (volume != NULL, FALSE);
  g_return_val_if_fail (plane != NULL, FALSE);
  g_return_val_if_fail (border == 0 || border == 1, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (map->dims[0] != volume->dims[0] || map->dims[1] != volume->dims[1] ||
      map->dims[2] != volume->dims[2])
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   /* TRANSLATORS: two grids of columns × rows × slices */
                   _("The label map (%d × %d × %d) is not on the volume's grid (%d × %d × %d)"),
                   map->dims[0], map->dims[1], map->dims[2],
                   volume->dims[0], volume->dims[1], volume->dims[2]);
      return FALSE;
    }
  if (!fidac_plane_validate (plane, error))
    return FALSE;

  /* The matrix and the arithmetic of fidac_reslice()'s row_position(): each position on
   * its own, ((origin + x du) + y dv), so that ties go the same way as on the grey image
   * and in the shader. */
  fidac_plane_get_screen_to_voxel (plane, volume, m);
  for (gint c = 0; c < 3; c++)
    {
      origin[c] = m[c * 4 + 3];
      du[c] = m[c * 4 + 0];
      dv[c] = m[c * 4 + 1];
    }
  nx = volume->dims[0];
  ny = volume->dims[1];
  nz = volume->dims[2];
  hx = nx - 0.5;
  hy = ny - 0.5;
  hz = nz - 0.5;
  stride = plane->width + 2 * border;

  for (gint v = -border; v < plane->height + border; v++)
    {
      const gdouble y = v + 0.5;
      const gdouble row[3] = { dv[0] * y, dv[1] * y, dv[2] * y };
      guint8 *dst = out + (gsize) (v + border) * stride + border;

      for (gint u = -border; u < plane->width + border; u++)
        {
          const gdouble x = u + 0.5;
          gdouble p[3];

          for (gint c = 0; c < 3; c++)
            {
              gdouble a = du[c] * x;

              p[c] = (origin[c] + a) + row[c];
            }
          if (p[0] < -0.5 || p[1] < -0.5 || p[2] < -0.5 || p[0] >= hx || p[1] >= hy ||
              p[2] >= hz)
            {
              dst[u] = FIDAC_LABEL_NONE;
              continue;
            }
          /* Non-negative, so truncation is floor. */
          dst[u] = fidac_label_map_get (map, (gint) (p[0] + 0.5), (gint) (p[1] + 0.5),
                                        (gint) (p[2] + 0.5));
        }
    }
  return TRUE;
}

void
fidac_overlay_composite (const guint8            *gray,
                         const guint8            *labels,
                         gint                     width,
                         gint                     height,
                         const FidacOverlayStyle *style,
                         guint8                  *out,
                         gint                     channels)
{
  const gint stride = width + 2;
  guint alpha;
  gboolean outline;

  g_return_if_fail (gray != NULL);
  g_return_if_fail (labels != NULL);
  g_return_if_fail (width > 0 && height > 0);
  g_return_if_fail (style != NULL);
  g_return_if_fail (out != NULL);
  g_return_if_fail (channels == 3 || channels == 4);

  alpha = fidac_overlay_alpha (style->opacity);
  outline = style->mode == FIDAC_OVERLAY_OUTLINE;

  for (gint v = 0; v < height; v++)
    {
      const guint8 *g = gray + (gsize) v * width;
      const guint8 *l = labels + (gsize) (v + 1) * stride + 1;
      guint8 *dst = out + (gsize) v * width * channels;

      for (gint u = 0; u < width; u++, dst += channels)
        {
          const guint label = l[u];
          const guint grey = g[u];
          gboolean colour = label != FIDAC_LABEL_NONE && label < FIDAC_LABEL_MAX_CLASSES &&
                            (style->visible & (1u << label)) != 0 && alpha > 0;

          if (colour && outline)
            colour = fidac_label_is_boundary (l + u, stride);
          if (colour)
            for (gint c = 0; c < 3; c++)
              dst[c] = (guint8) ((style->colors[label][c] * alpha + grey * (255 - alpha) + 127) /
                                 255);
          else
            dst[0] = dst[1] = dst[2] = (guint8) grey;
          if (channels == 4)
            dst[3] = 255;
        }
    }
}
