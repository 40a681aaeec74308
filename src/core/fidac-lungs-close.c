/* fidac-lungs-close.c: what the closing and the holes add to each lung.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include "fidac-lungs-private.h"

/* ---- closing and holes, per lung ---- */

#define CLOSED_BRIDGE 5         /* in `closed`: a cell a bridge added (1: closed, 2: out) */

typedef struct {
  Grid    *g;
  guint8   value;
  Box      box;
  guint8  *closed;              /* on the box */
} LungClose;

/* Erosion by a ball of `radius` of the cells within `radius` of the lung (`near`, squared
 * distances): the closing. Only cells inside the grid erode, so a lung cut by the first
 * or last slice keeps its edge there. */
static void
erode_dilation (const Grid *g, const Box *box, const gfloat *near, gdouble radius,
                gfloat *dist)
{
  gsize n_box = (gsize) box->n[0] * box->n[1] * box->n[2];

  for (gint k = 0; k < box->n[2]; k++)
    for (gint j = 0; j < box->n[1]; j++)
      for (gint i = 0; i < box->n[0]; i++)
        {
          gsize c, b = cell_index (box->n, i, j, k);

          dist[b] = near[b] > radius * radius && box_to_grid (g, box, i, j, k, &c)
                    ? 0 : INF_DIST;
        }
  fidac_lungs_edt (dist, box->n, g->mm);
  for (gsize b = 0; b < n_box; b++)
    dist[b] = dist[b] > radius * radius ? 1.0f : 0.0f;
}

/* Along the chest wall, in each slice, a gap of up to BRIDGE_MM between two cells of the
 * lung on a row, column or diagonal is lung too: a lesion on the pleura (as dense as the
 * wall) bites into the lung's outline, and since the rib cage is convex the chords across
 * the bite stay inside it, down to the pleura. A ball closing cannot do that: the ball
 * rolls into the bite's edges. Only near the skin (REACH_MM) and along the wall: no cell
 * of a bridge deeper under the skin than its shallower end (BRIDGE_DEPTH_MM for the
 * wall's curve), so that a chord from the lung's tip in front of the heart to the lung
 * at the hilum, which dives into the mediastinum, is no bridge. */
static void
bridge_pleura (const Grid *g, const Box *box, guint8 *closed)
{
  static const gint dirs[4][2] = { { 1, 0 }, { 0, 1 }, { 1, 1 }, { 1, -1 } };
  gsize plane = (gsize) box->n[0] * box->n[1];
  g_autofree guint8 *add = g_new (guint8, plane);

  for (gint k = 0; k < box->n[2]; k++)
    {
      guint8 *slice = closed + k * plane;

      memset (add, 0, plane);
      for (gint d = 0; d < 4; d++)
        {
          gint di = dirs[d][0], dj = dirs[d][1];
          gdouble step = sqrt (di * di * g->mm[0] * g->mm[0] + dj * dj * g->mm[1] * g->mm[1]);
          gint max_gap = (gint) floor (BRIDGE_MM / step);

          for (gint j0 = 0; j0 < box->n[1]; j0++)
            for (gint i0 = 0; i0 < box->n[0]; i0++)
              {
                gint pi = i0 - di, pj = j0 - dj, last = -1, t = 0;
                gdouble last_depth = 0, gap_depth = 0;
                gboolean inside = TRUE;

                /* Lines start where the previous cell would leave the box. */
                if (pi >= 0 && pj >= 0 && pi < box->n[0] && pj < box->n[1])
                  continue;
                for (gint i = i0, j = j0; i >= 0 && j >= 0 && i < box->n[0] && j < box->n[1];
                     i += di, j += dj, t++)
                  {
                    gsize b = (gsize) j * box->n[0] + i, c;
                    gboolean in_grid = box_to_grid (g, box, i, j, k, &c);
                    gdouble depth = in_grid ? sqrt (g->skin[c]) : G_MAXDOUBLE;

                    if (slice[b] && in_grid)
                      {
                        gdouble chord = (t - last) * step;

                        /* The wall's curve: a chord of length L on a wall of radius R
                         * dips L² / 8R under its ends. */
                        if (last >= 0 && t - last > 1 && t - last - 1 <= max_gap && inside &&
                            gap_depth <= MIN (last_depth, depth) + BRIDGE_DEPTH_MM +
                                         chord * chord / (8.0 * WALL_RADIUS_MM))
                          for (gint u = last + 1; u < t; u++)
                            add[(gsize) (j0 + u * dj) * box->n[0] + i0 + u * di] = 1;
                        last = t;
                        last_depth = depth;
                        gap_depth = 0;
                        inside = TRUE;
                      }
                    else if (!in_grid || depth > REACH_MM || (g->flags[c] & CELL_OUTSIDE))
                      inside = FALSE;
                    else
                      gap_depth = MAX (gap_depth, depth);
                  }
              }
        }
      for (gsize b = 0; b < plane; b++)
        if (add[b] && !slice[b])
          slice[b] = CLOSED_BRIDGE;
    }
}

/* Whether a 6-neighbour of cell `c` is aerated lung `value`: a cell of the fat's HU
 * there is more likely lung and tissue averaged (the edge of a vessel or a lesion). */
static gboolean
beside (const Grid *g, gsize c, guint8 value)
{
  gint i, j, k;

  cell_ijk (g->n, c, &i, &j, &k);
  for (gint e = 0; e < 6; e++)
    {
      gint a = i + fidac_lungs_nb6[e][0], b = j + fidac_lungs_nb6[e][1], o = k + fidac_lungs_nb6[e][2];

      if (a >= 0 && b >= 0 && o >= 0 && a < g->n[0] && b < g->n[1] && o < g->n[2] &&
          g->lung[cell_index (g->n, a, b, o)] == value)
        return TRUE;
    }
  return FALSE;
}

/* The closing with a ball of CLOSE_MM, the pleura bridged, then the holes. */
static void
close_lung (LungClose *job)
{
  Grid *g = job->g;
  const Box *box = &job->box;
  gsize n_box = (gsize) box->n[0] * box->n[1] * box->n[2];
  g_autofree gfloat *near = g_new (gfloat, n_box);
  g_autofree gfloat *dist = g_new (gfloat, n_box);
  g_autofree guint32 *queue = NULL;
  gsize head = 0, tail = 0;
  guint8 *closed = job->closed;

  for (gint k = 0; k < box->n[2]; k++)
    for (gint j = 0; j < box->n[1]; j++)
      for (gint i = 0; i < box->n[0]; i++)
        {
          gsize c, b = cell_index (box->n, i, j, k);

          near[b] = box_to_grid (g, box, i, j, k, &c) && g->lung[c] == job->value ? 0 : INF_DIST;
        }
  fidac_lungs_edt (near, box->n, g->mm);
  erode_dilation (g, box, near, CLOSE_MM, dist);
  for (gsize b = 0; b < n_box; b++)
    closed[b] = dist[b] > 0;
  bridge_pleura (g, box, closed);
  /* Fat is never lung: the closing would take in the pericardial fat in the cleft
   * between the lingula and the heart, the bridges the extrapleural fat. Fat the lung
   * encloses comes back with the holes. */
  for (gint k = 0; k < box->n[2]; k++)
    for (gint j = 0; j < box->n[1]; j++)
      for (gint i = 0; i < box->n[0]; i++)
        {
          gsize c, b = cell_index (box->n, i, j, k);

          if (closed[b] && box_to_grid (g, box, i, j, k, &c) && g->lung[c] != job->value &&
              g->hu[c] >= FAT_MIN_HU && g->hu[c] <= FAT_MAX_HU && !beside (g, c, job->value))
            closed[b] = 0;
        }

  /* Holes: what the background cannot reach from the box's border. */
  queue = g_new (guint32, n_box);
  for (gint k = 0; k < box->n[2]; k++)
    for (gint j = 0; j < box->n[1]; j++)
      for (gint i = 0; i < box->n[0]; i++)
        {
          gsize b = cell_index (box->n, i, j, k);

          if ((i == 0 || j == 0 || k == 0 || i == box->n[0] - 1 || j == box->n[1] - 1 ||
               k == box->n[2] - 1) && !closed[b])
            {
              closed[b] = 2;
              queue[tail++] = b;
            }
        }
  while (head < tail)
    {
      gsize q = queue[head++];
      gint i, j, k;

      cell_ijk (box->n, q, &i, &j, &k);
      for (gint e = 0; e < 6; e++)
        {
          gint a = i + fidac_lungs_nb6[e][0], b = j + fidac_lungs_nb6[e][1], o = k + fidac_lungs_nb6[e][2];
          gsize r;

          if (a < 0 || b < 0 || o < 0 || a >= box->n[0] || b >= box->n[1] || o >= box->n[2])
            continue;
          r = cell_index (box->n, a, b, o);
          if (!closed[r])
            {
              closed[r] = 2;
              queue[tail++] = r;
            }
        }
    }
  for (gsize b = 0; b < n_box; b++)
    closed[b] = closed[b] == 2 ? 0 : closed[b] == CLOSED_BRIDGE ? CLOSED_BRIDGE : 1;
}

static void
close_range (gpointer data, gint start, gint end)
{
  LungClose *jobs = data;

  for (gint l = start; l < end; l++)
    if (jobs[l].closed != NULL)
      close_lung (&jobs[l]);
}

void
fidac_lungs_close (Grid *g)
{
  LungClose jobs[FIDAC_LUNG_N];
  g_autofree guint8 *out = g_memdup2 (g->lung, g->n_cells);
  gint margin[3];

  for (gint a = 0; a < 3; a++)
    margin[a] = (gint) ceil (CLOSE_MM / g->mm[a]) + 2;
  for (gint l = 0; l < FIDAC_LUNG_N; l++)
    {
      jobs[l].g = g;
      jobs[l].value = l + 1;
      jobs[l].closed = NULL;
      fidac_lungs_box (g, g->lung, l + 1, margin, &jobs[l].box);
      if (jobs[l].box.n[0] > 0)
        jobs[l].closed = g_new (guint8, (gsize) jobs[l].box.n[0] * jobs[l].box.n[1] *
                                        jobs[l].box.n[2]);
    }
  fidac_lungs_parallel_for (FIDAC_LUNG_N, 1, close_range, jobs);

  /* What the closing adds stays inside the body, off the airway and off the other lung;
   * a cell both closings add stays out. */
  for (gint l = 0; l < FIDAC_LUNG_N; l++)
    {
      const Box *box = &jobs[l].box;

      if (jobs[l].closed == NULL)
        continue;
      for (gint k = 0; k < box->n[2]; k++)
        for (gint j = 0; j < box->n[1]; j++)
          for (gint i = 0; i < box->n[0]; i++)
            {
              guint8 closed = jobs[l].closed[cell_index (box->n, i, j, k)];
              gsize c;

              if (!closed || !box_to_grid (g, box, i, j, k, &c) || g->lung[c] != 0 ||
                  (g->flags[c] & (CELL_OUTSIDE | CELL_AIRWAY_ZONE)))
                continue;
              out[c] = out[c] == 0 ? l + 1 : 0xff;
              if (closed == CLOSED_BRIDGE)
                g->flags[c] |= CELL_BRIDGE;
            }
      g_free (jobs[l].closed);
    }
  for (gsize c = 0; c < g->n_cells; c++)
    g->lung[c] = out[c] == 0xff ? 0 : out[c];
}
