/* crash-strokes.h: the strokes of the crash test, the same in the child that commits them
 * and in the test that re-computes what must be stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fidac-label-map.h"
#include "fidac-phantom.h"
#include "fidac-store.h"

static const FidacReader crash_reader = { "Dr Crash Test", "10009999999", FIDAC_READER_ROLE_EXPERT };

/* The phantom on a small grid: quick to build in every child. */
static inline FidacVolume *
crash_volume (GError **error)
{
  FidacPhantomOptions options;

  fidac_phantom_options_init (&options);
  options.columns = 192;
  options.rows = 160;
  options.slices = 40;
  options.slice_spacing = 6.0;
  options.pixel_spacing = 1.8;
  return fidac_phantom_new (&options, error);
}

/* Stroke `s`: discs of one class (or of the eraser) on 1 to 4 consecutive slices, drawn
 * through fidac_label_map_set() as the brush does. A function of `s` alone. */
static inline void
crash_stroke (FidacLabelMap *map, guint s)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x5eed0000u + s * 2654435761u);
  gint n_slices = g_rand_int_range (rand, 1, 5);
  gint k0 = g_rand_int_range (rand, 0, map->dims[2] - n_slices + 1);
  guint8 value = g_rand_int_range (rand, 0, 5) == 0 ? 0 : g_rand_int_range (rand, 1, 4);

  for (gint k = k0; k < k0 + n_slices; k++)
    {
      gint ci = g_rand_int_range (rand, 0, map->dims[0]);
      gint cj = g_rand_int_range (rand, 0, map->dims[1]);
      gint r = g_rand_int_range (rand, 3, 26);

      for (gint j = MAX (cj - r, 0); j <= MIN (cj + r, map->dims[1] - 1); j++)
        for (gint i = MAX (ci - r, 0); i <= MIN (ci + r, map->dims[0] - 1); i++)
          if ((i - ci) * (i - ci) + (j - cj) * (j - cj) <= r * r)
            fidac_label_map_set (map, i, j, k, value);
    }
}
