/* fidac-lungs-shell.c: the lung's outline closed across dense lesions on the pleura, at
 * full resolution (fidac-lungs.c finds the cells where it may act).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <math.h>

#include "fidac-lungs-private.h"

/* A voxel of a CODE_SHELL cell of lung `l` not yet in the mask, of a lesion's HU (neither
 * fat nor bone). */
static inline gboolean
shell_voxel (const Grid *g, const FidacLabelMap *map, gint i, gint j, gint k, guint8 l)
{
  gint16 hu;

  if (l == 0 || g->code[cell_index (g->n, i / g->f[0], j / g->f[1], k / g->f[2])] !=
                CODE_SHELL + l || map->labels[fidac_label_map_index (map, i, j, k)] != 0)
    return FALSE;
  hu = fidac_volume_get (g->volume, i, j, k);
  return (hu < FAT_MIN_HU || hu > FAT_MAX_HU) && hu <= SHELL_MAX_HU;
}

/* The in-plane distance of the cell of voxel (i, j, k) to the air outside the body, in mm. */
static inline gdouble
cell_depth (const Grid *g, gint i, gint j, gint k)
{
  return sqrt (g->skin[cell_index (g->n, i / g->f[0], j / g->f[1], k / g->f[2])]);
}

/* The in-plane distance of voxel (i, j, k) to the air outside the body, in mm, from the
 * cells' around it. */
static gdouble
voxel_depth (const Grid *g, gint i, gint j, gint k)
{
  gdouble x = (i + 0.5) / g->f[0] - 0.5, y = (j + 0.5) / g->f[1] - 0.5;
  gint a = CLAMP ((gint) floor (x), 0, g->n[0] - 1), b = CLAMP ((gint) floor (y), 0, g->n[1] - 1);
  gint a1 = MIN (a + 1, g->n[0] - 1), b1 = MIN (b + 1, g->n[1] - 1), o = k / g->f[2];
  gdouble u = CLAMP (x - a, 0.0, 1.0), v = CLAMP (y - b, 0.0, 1.0);

  return (1 - v) * ((1 - u) * sqrt (g->skin[cell_index (g->n, a, b, o)]) +
                    u * sqrt (g->skin[cell_index (g->n, a1, b, o)])) +
         v * ((1 - u) * sqrt (g->skin[cell_index (g->n, a, b1, o)]) +
              u * sqrt (g->skin[cell_index (g->n, a1, b1, o)]));
}

/* A lesion against the chest wall, as dense as the wall, leaves the coarse cells that
 * straddle the pleura out of the lung: the refinement keeps only their air. Per slice at
 * full resolution, a chord of up to BRIDGE_MM between two voxels of a lung, on a row,
 * column or diagonal, whose every voxel between is such a cell's dense voxel, closes the
 * outline across the lesion: the lung is convex along the wall, so the chord runs inside
 * it, down to the pleura, while a chord that would cross the wall (muscle, fat, ribs)
 * meets a voxel of fat or bone, or one out of those cells, and is no chord. As the
 * bridges of the coarse grid, a chord runs along the wall: none dives deeper under the
 * skin than its ends (SHELL_DEPTH_MM for the depth's steps from cell to cell), so that
 * the liver's dome or the heart, concavities of the lung, are no lesion. */
void
fidac_lungs_shell_range (gpointer data, gint start, gint end)
{
  static const gint dirs[4][2] = { { 1, 0 }, { 0, 1 }, { 1, 1 }, { 1, -1 } };
  Refine *r = data;
  Grid *g = r->g;
  const FidacVolume *v = g->volume;
  gint added = 0;

  for (gint k = start; k < end; k++)
    {
      const gint *box = g->shell_box + 4 * (k / g->f[2]);
      gint x0, y0, w, h;
      g_autofree guint8 *add = NULL;

      if (box[2] < 0)
        continue;
      x0 = MAX (box[0] * g->f[0] - 1, 0);
      y0 = MAX (box[1] * g->f[1] - 1, 0);
      w = MIN ((box[2] + 1) * g->f[0] + 1, v->dims[0]) - x0;
      h = MIN ((box[3] + 1) * g->f[1] + 1, v->dims[1]) - y0;
      add = g_new0 (guint8, (gsize) w * h);
      for (gint d = 0; d < 4; d++)
        {
          gint di = dirs[d][0], dj = dirs[d][1];
          gdouble step = sqrt (di * di * v->spacing[0] * v->spacing[0] +
                               dj * dj * v->spacing[1] * v->spacing[1]);
          gint max_gap = (gint) floor (BRIDGE_MM / step);

          for (gint j0 = 0; j0 < h; j0++)
            for (gint i0 = 0; i0 < w; i0++)
              {
                gint pi = i0 - di, pj = j0 - dj, last = -1, t = 0;
                guint8 last_l = 0;
                gboolean ok = FALSE;
                gdouble gap_depth = 0;

                if (pi >= 0 && pj >= 0 && pi < w && pj < h)
                  continue;
                for (gint i = i0, j = j0; i >= 0 && j >= 0 && i < w && j < h;
                     i += di, j += dj, t++)
                  {
                    guint8 l = r->map->labels[fidac_label_map_index (r->map, x0 + i, y0 + j, k)];

                    if (l != 0)
                      {
                        gdouble chord = (t - last) * step;

                        if (ok && l == last_l && t - last > 1 && t - last - 1 <= max_gap &&
                            gap_depth <= MIN (cell_depth (g, x0 + i0 + last * di,
                                                          y0 + j0 + last * dj, k),
                                              cell_depth (g, x0 + i, y0 + j, k)) +
                                         SHELL_DEPTH_MM + chord * chord / (8.0 * WALL_RADIUS_MM))
                          for (gint u = last + 1; u < t; u++)
                            add[(gsize) (j0 + u * dj) * w + i0 + u * di] = l;
                        last = t;
                        last_l = l;
                        gap_depth = 0;
                        ok = TRUE;
                      }
                    else if (!ok)
                      continue;
                    else if (!shell_voxel (g, r->map, x0 + i, y0 + j, k, last_l))
                      ok = FALSE;
                    else
                      gap_depth = MAX (gap_depth, cell_depth (g, x0 + i, y0 + j, k));
                  }
              }
        }
      /* Where the wall curves most (the lesion covers the lung's outermost point) no chord
       * reaches the last voxel before the pleura: one step from a chord toward the skin,
       * never deeper, takes it (at worst a voxel whose centre lies just past the pleura). */
      for (gint j = 0; j < h; j++)
        for (gint i = 0; i < w; i++)
          {
            guint8 l = add[(gsize) j * w + i];

            if (l == 0 || l > FIDAC_LUNG_N)     /* none, or itself such a step */
              continue;
            for (gint e = 0; e < 4; e++)
              {
                gint a = i + (e == 0) - (e == 1), b = j + (e == 2) - (e == 3);

                if (a >= 0 && b >= 0 && a < w && b < h && !add[(gsize) b * w + a] &&
                    shell_voxel (g, r->map, x0 + a, y0 + b, k, l) &&
                    voxel_depth (g, x0 + a, y0 + b, k) < voxel_depth (g, x0 + i, y0 + j, k))
                  add[(gsize) b * w + a] = l + 0x10;
              }
          }
      for (gint j = 0; j < h; j++)
        for (gint i = 0; i < w; i++)
          if (add[(gsize) j * w + i])
            {
              add[(gsize) j * w + i] &= 0x0f;
              r->map->labels[fidac_label_map_index (r->map, x0 + i, y0 + j, k)] =
                add[(gsize) j * w + i];
              added++;
            }
    }
  g_atomic_int_add (&g->shell_voxels, added);
}
