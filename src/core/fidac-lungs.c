/* fidac-lungs.c: automatic segmentation of both lungs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The heavy work (components, airway, left/right split, closing, holes) runs on a coarse
 * grid of cells of about 2.5 mm (CELL_MM) holding the mean HU of their block of voxels:
 * a 512 x 512 x 255 series becomes some 2 million cells. The full-resolution mask is then
 * refined in the cells at the edge of a lung only: the inside of a lung is taken whole
 * (vessels, lesions), its edge voxel by voxel (air in; wall and fat out).
 *
 * Pipeline (fidac-lungs-close.c and fidac-lungs-morph.c hold the closing and the grid
 * operations): air below AIR_HU inside the body (the air outside is what touches the
 * border of each slice); the trachea found in the top slices as a round region of lumen
 * near the midline, grown down through the lumen to the main bronchi and removed with its
 * wall; 3D components; left and right (cut by erosion when the lungs touch); per lung a
 * closing with a ball of CLOSE_MM (vessels, bronchial walls), bridges along the chest wall
 * (lesions against the pleura, as dense as the wall) and the filling of 3D holes (lesions
 * inside the lung), never into fat, the other lung, the airway or outside the body.
 * Last, at full resolution, the outline closes across the lesions a bridge took in, down
 * to the chest wall's inner surface (fidac_lungs_shell_range(), in fidac-lungs-shell.c).
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "fidac-lungs.h"
#include "fidac-lungs-private.h"

/* ---- the coarse grid ---- */

static void
downsample_range (gpointer data, gint start, gint end)
{
  Grid *g = data;
  const FidacVolume *v = g->volume;
  const gint *f = g->f, *n = g->n;
  g_autofree gint32 *sums = g_new (gint32, n[0]);

  for (gint ck = start; ck < end; ck++)
    for (gint cj = 0; cj < n[1]; cj++)
      {
        gint k0 = ck * f[2], k1 = MIN (k0 + f[2], v->dims[2]);
        gint j0 = cj * f[1], j1 = MIN (j0 + f[1], v->dims[1]);
        gint16 *out = g->hu + cell_index (n, 0, cj, ck);

        memset (sums, 0, n[0] * sizeof (gint32));
        for (gint k = k0; k < k1; k++)
          for (gint j = j0; j < j1; j++)
            {
              const gint16 *src = fidac_volume_slice (v, k) + (gsize) j * v->dims[0];

              for (gint ci = 0, i = 0; ci < n[0]; ci++)
                {
                  gint i1 = MIN (i + f[0], v->dims[0]);
                  gint32 s = 0;

                  for (; i < i1; i++)
                    s += src[i];
                  sums[ci] += s;
                }
            }
        for (gint ci = 0; ci < n[0]; ci++)
          {
            gint count = (MIN ((ci + 1) * f[0], v->dims[0]) - ci * f[0]) * (j1 - j0) * (k1 - k0);

            out[ci] = (gint16) floor ((gdouble) sums[ci] / count + 0.5);
          }
      }
}

/* The cells beside cell `c` of a slice of n[0] × n[1] along its rows and columns, in `nbs`:
 * their number, 4 at most. The flood fills of a slice step through them. */
static inline gint
slice_neighbours (const gint *n, gsize c, gsize nbs[4])
{
  gint i = c % n[0], j = c / n[0];
  gint m = 0;

  if (i > 0) nbs[m++] = c - 1;
  if (i < n[0] - 1) nbs[m++] = c + 1;
  if (j > 0) nbs[m++] = c - n[0];
  if (j < n[1] - 1) nbs[m++] = c + n[0];
  return m;
}

/* Per slice: air cells, and the air outside the body: what touches the slice's border. */
static void
outside_range (gpointer data, gint start, gint end)
{
  Grid *g = data;
  const gint *n = g->n;
  gsize plane = (gsize) n[0] * n[1];
  g_autofree guint32 *stack = g_new (guint32, plane);

  for (gint k = start; k < end; k++)
    {
      const gint16 *hu = g->hu + k * plane;
      guint8 *flags = g->flags + k * plane;
      gsize top = 0;

      for (gsize c = 0; c < plane; c++)
        flags[c] = hu[c] < AIR_HU ? CELL_AIR : 0;
      for (gint i = 0; i < n[0]; i++)
        for (gint j = 0; j < n[1]; j++)
          {
            gsize c = (gsize) j * n[0] + i;

            if ((i == 0 || j == 0 || i == n[0] - 1 || j == n[1] - 1) &&
                flags[c] == CELL_AIR)
              {
                flags[c] |= CELL_OUTSIDE;
                stack[top++] = c;
              }
          }
      while (top > 0)
        {
          gsize c = stack[--top];
          gsize nbs[4];
          gint m = slice_neighbours (n, c, nbs);

          for (gint e = 0; e < m; e++)
            if (flags[nbs[e]] == CELL_AIR)
              {
                flags[nbs[e]] |= CELL_OUTSIDE;
                stack[top++] = nbs[e];
              }
        }
    }
}


/* ---- trachea and main bronchi ---- */

static inline gboolean
lumen (const Grid *g, gsize c)
{
  return inside_air (g, c) && g->hu[c] < LUMEN_HU;
}

/* The trachea in the top slices: a region of lumen inside the body, of the trachea's
 * size, nearest the midline. Fills `seed` (cell indices). */
static gboolean
find_trachea (Grid *g, GArray *seed, gdouble *seed_x)
{
  const gint *n = g->n;
  const gdouble *ak = g->volume->axis[2];
  gsize plane = (gsize) n[0] * n[1];
  g_autofree gint32 *labels = g_new (gint32, plane);
  g_autofree guint32 *stack = g_new (guint32, plane);
  gint top, step;

  /* Slices must run along the body's axis (an axial acquisition, tilted or not). */
  if (fabs (ak[2]) < 0.5)
    return FALSE;
  top = ak[2] > 0 ? n[2] - 1 : 0;
  step = ak[2] > 0 ? -1 : 1;

  for (gint s = 0; s < MAX (n[2] * 2 / 5, 1); s++)
    {
      gint k = top + s * step;
      gdouble body_x = 0, best_dx = G_MAXDOUBLE;
      gsize body = 0;
      gint32 best = 0, next = 0;

      for (gint j = 0; j < n[1]; j++)
        for (gint i = 0; i < n[0]; i++)
          if (!(g->flags[cell_index (n, i, j, k)] & CELL_OUTSIDE))
            {
              body_x += cell_x (g, i, j, k);
              body++;
            }
      if (body == 0)
        continue;
      body_x /= body;

      memset (labels, 0, plane * sizeof (gint32));
      for (gsize c0 = 0; c0 < plane; c0++)
        {
          gsize top_s = 0, count = 0;
          gdouble sum_x = 0, area;

          if (labels[c0] || !lumen (g, k * plane + c0))
            continue;
          labels[c0] = ++next;
          stack[top_s++] = c0;
          while (top_s > 0)
            {
              gsize c = stack[--top_s];
              gint i = c % n[0], j = c / n[0];
              gsize nbs[4];
              gint m = slice_neighbours (n, c, nbs);

              count++;
              sum_x += cell_x (g, i, j, k);
              for (gint e = 0; e < m; e++)
                if (!labels[nbs[e]] && lumen (g, k * plane + nbs[e]))
                  {
                    labels[nbs[e]] = next;
                    stack[top_s++] = nbs[e];
                  }
            }
          area = count * g->mm[0] * g->mm[1];
          /* A trachea is 12 to 30 mm across: 1 to 7 cm². */
          if (area >= 50 && area <= 1000 &&
              fabs (sum_x / count - body_x) < MIN (best_dx, TRACHEA_X_MM))
            {
              best = next;
              best_dx = fabs (sum_x / count - body_x);
              *seed_x = sum_x / count;
            }
        }
      if (best != 0)
        {
          for (gsize c = 0; c < plane; c++)
            if (labels[c] == best)
              {
                guint32 cell = k * plane + c;

                g_array_append_val (seed, cell);
              }
          return TRUE;
        }
    }
  return FALSE;
}

/* Grows the trachea down through the lumen, breadth first, not farther than BRONCHI_X_MM
 * from its axis (the main bronchi, not the lobar ones) and stopping where a layer swells
 * (the lumen leaking into emphysematous lung). */
static void
grow_airway (Grid *g, GArray *seed, gdouble seed_x)
{
  const gint *n = g->n;
  g_autoptr(GArray) layer = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) next = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint limit = 4 * MAX (seed->len, 8);
  gint radius[3];

  for (guint s = 0; s < seed->len; s++)
    g->flags[g_array_index (seed, guint32, s)] |= CELL_AIRWAY;
  g_array_append_vals (layer, seed->data, seed->len);
  while (layer->len > 0)
    {
      g_array_set_size (next, 0);
      for (guint s = 0; s < layer->len; s++)
        {
          gsize c = g_array_index (layer, guint32, s);
          gint i, j, k;

          cell_ijk (n, c, &i, &j, &k);
          for (gint e = 0; e < 6; e++)
            {
              gint a = i + fidac_lungs_nb6[e][0], b = j + fidac_lungs_nb6[e][1], o = k + fidac_lungs_nb6[e][2];
              guint32 r;

              if (a < 0 || b < 0 || o < 0 || a >= n[0] || b >= n[1] || o >= n[2])
                continue;
              r = cell_index (n, a, b, o);
              if ((g->flags[r] & CELL_AIRWAY) || !lumen (g, r) ||
                  fabs (cell_x (g, a, b, o) - seed_x) > BRONCHI_X_MM)
                continue;
              g->flags[r] |= CELL_AIRWAY;
              g_array_append_val (next, r);
            }
        }
      if (next->len > limit)
        {
          for (guint s = 0; s < next->len; s++)
            g->flags[g_array_index (next, guint32, s)] &= ~CELL_AIRWAY;
          break;
        }
      g_array_set_size (layer, 0);
      g_array_append_vals (layer, next->data, next->len);
    }

  /* The wall: an ellipsoid of WALL_MM around each lumen cell, at least its neighbours. */
  for (gint a = 0; a < 3; a++)
    radius[a] = MAX (1, (gint) floor (WALL_MM / g->mm[a]));
  for (gsize c = 0; c < g->n_cells; c++)
    {
      gint i, j, k;

      if (!(g->flags[c] & CELL_AIRWAY))
        continue;
      cell_ijk (n, c, &i, &j, &k);
      for (gint dk = -radius[2]; dk <= radius[2]; dk++)
        for (gint dj = -radius[1]; dj <= radius[1]; dj++)
          for (gint di = -radius[0]; di <= radius[0]; di++)
            {
              gdouble u = di * g->mm[0], v = dj * g->mm[1], w = dk * g->mm[2];
              gint a = i + di, b = j + dj, o = k + dk;

              if (a < 0 || b < 0 || o < 0 || a >= n[0] || b >= n[1] || o >= n[2])
                continue;
              if (u * u + v * v + w * w <= WALL_MM * WALL_MM ||
                  abs (di) + abs (dj) + abs (dk) <= 1)
                g->flags[cell_index (n, a, b, o)] |= CELL_AIRWAY_ZONE;
            }
    }
}

/* ---- boxes ---- */

void
fidac_lungs_box (const Grid *g, const guint8 *lung, guint8 value, const gint margin[3], Box *box)
{
  gint lo[3] = { G_MAXINT, G_MAXINT, G_MAXINT }, hi[3] = { -1, -1, -1 };

  for (gint k = 0; k < g->n[2]; k++)
    for (gint j = 0; j < g->n[1]; j++)
      {
        const guint8 *row = lung + cell_index (g->n, 0, j, k);

        for (gint i = 0; i < g->n[0]; i++)
          if (row[i] == value)
            {
              lo[0] = MIN (lo[0], i); hi[0] = MAX (hi[0], i);
              lo[1] = MIN (lo[1], j); hi[1] = MAX (hi[1], j);
              lo[2] = MIN (lo[2], k); hi[2] = MAX (hi[2], k);
            }
      }
  for (gint a = 0; a < 3; a++)
    {
      box->lo[a] = lo[a] - margin[a];
      box->n[a] = hi[a] - lo[a] + 1 + 2 * margin[a];
    }
}

/* ---- left and right ---- */

/* One component holds both lungs (they touch at a junction): erode it until it falls
 * into a left and a right core, then give each cell to the core that reaches it first
 * inside the component, so the cut runs through the junction's narrowest part. */
static gboolean
split_component (Grid *g, const gint32 *labels, gint32 label)
{
  const gint margin[3] = { 1, 1, 1 };
  g_autofree guint8 *tmp = g_new0 (guint8, g->n_cells);
  g_autofree gfloat *dist = NULL;
  g_autofree guint8 *core = NULL, *mask = NULL;
  g_autofree gint32 *cores = NULL;
  g_autofree guint32 *queue = NULL;
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint64));
  gsize n_box, head = 0, tail = 0;
  gint32 found[2] = { 0, 0 };
  guint8 side[2] = { 0, 0 };
  Box box;

  for (gsize c = 0; c < g->n_cells; c++)
    tmp[c] = labels[c] == label;
  fidac_lungs_box (g, tmp, 1, margin, &box);
  n_box = (gsize) box.n[0] * box.n[1] * box.n[2];
  dist = g_new (gfloat, n_box);
  mask = g_new0 (guint8, n_box);
  core = g_new (guint8, n_box);
  cores = g_new (gint32, n_box);
  for (gint k = 0; k < box.n[2]; k++)
    for (gint j = 0; j < box.n[1]; j++)
      for (gint i = 0; i < box.n[0]; i++)
        {
          gsize c, b = cell_index (box.n, i, j, k);

          mask[b] = box_to_grid (g, &box, i, j, k, &c) && tmp[c];
          dist[b] = mask[b] ? INF_DIST : 0;
        }
  fidac_lungs_edt (dist, box.n, g->mm);

  for (gdouble d = MIN (g->mm[0], g->mm[1]); d < 40.0 && found[1] == 0; d += g->mm[0])
    {
      gint n_cores;
      guint64 total = 0;

      for (gsize b = 0; b < n_box; b++)
        {
          core[b] = dist[b] > d * d;
          total += core[b];
        }
      n_cores = fidac_lungs_components (core, box.n, cores, sizes);
      if (n_cores < 2)
        continue;
      /* The two largest cores, when each is a real part and they lie on both sides. */
      found[0] = found[1] = 0;
      for (gint32 l = 1; l <= n_cores; l++)
        {
          guint64 s = g_array_index (sizes, guint64, l);

          if (found[0] == 0 || s > g_array_index (sizes, guint64, found[0]))
            {
              found[1] = found[0];
              found[0] = l;
            }
          else if (found[1] == 0 || s > g_array_index (sizes, guint64, found[1]))
            found[1] = l;
        }
      if (g_array_index (sizes, guint64, found[1]) < total / 10)
        {
          found[1] = 0;
          continue;
        }
      {
        gdouble sx[2] = { 0, 0 };

        for (gint k = 0; k < box.n[2]; k++)
          for (gint j = 0; j < box.n[1]; j++)
            for (gint i = 0; i < box.n[0]; i++)
              {
                gint32 l = cores[cell_index (box.n, i, j, k)];
                gdouble x = cell_x (g, box.lo[0] + i, box.lo[1] + j, box.lo[2] + k);

                if (l == found[0])
                  sx[0] += x;
                else if (l == found[1])
                  sx[1] += x;
              }
        sx[0] /= g_array_index (sizes, guint64, found[0]);
        sx[1] /= g_array_index (sizes, guint64, found[1]);
        if ((sx[0] - g->midline_x) * (sx[1] - g->midline_x) >= 0)
          {
            found[1] = 0;
            continue;
          }
        side[0] = sx[0] > sx[1] ? FIDAC_LUNG_LEFT : FIDAC_LUNG_RIGHT;
        side[1] = sx[0] > sx[1] ? FIDAC_LUNG_RIGHT : FIDAC_LUNG_LEFT;
      }
    }
  if (found[1] == 0)
    return FALSE;

  /* Both cores grow back together through the component. */
  queue = g_new (guint32, n_box);
  memset (core, 0, n_box);
  for (gsize b = 0; b < n_box; b++)
    if (cores[b] == found[0] || cores[b] == found[1])
      {
        core[b] = side[cores[b] == found[0] ? 0 : 1];
        queue[tail++] = b;
      }
  while (head < tail)
    {
      gsize q = queue[head++];
      gint i, j, k;

      cell_ijk (box.n, q, &i, &j, &k);
      for (gint e = 0; e < 6; e++)
        {
          gint a = i + fidac_lungs_nb6[e][0], b = j + fidac_lungs_nb6[e][1], o = k + fidac_lungs_nb6[e][2];
          gsize r;

          if (a < 0 || b < 0 || o < 0 || a >= box.n[0] || b >= box.n[1] || o >= box.n[2])
            continue;
          r = cell_index (box.n, a, b, o);
          if (mask[r] && !core[r])
            {
              core[r] = core[q];
              queue[tail++] = r;
            }
        }
    }
  for (gint k = 0; k < box.n[2]; k++)
    for (gint j = 0; j < box.n[1]; j++)
      for (gint i = 0; i < box.n[0]; i++)
        {
          gsize c, b = cell_index (box.n, i, j, k);

          if (mask[b] && box_to_grid (g, &box, i, j, k, &c))
            g->lung[c] = core[b];
        }
  return TRUE;
}

/* Chooses the lungs among the components of the air inside the body: two components on
 * both sides, or one that spans both sides and is cut, or a single lung. */
static gboolean
pick_lungs (Grid *g, gboolean *split_needed, GError **error)
{
  g_autofree guint8 *cand = g_new (guint8, g->n_cells);
  g_autofree gint32 *labels = g_new (gint32, g->n_cells);
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autofree gdouble *sum_x = NULL;
  g_autofree guint64 *left = NULL, *right = NULL;
  gint32 first = 0, second = 0;
  gint n_comp;

  for (gsize c = 0; c < g->n_cells; c++)
    cand[c] = inside_air (g, c) && !(g->flags[c] & CELL_AIRWAY_ZONE);
  n_comp = fidac_lungs_components (cand, g->n, labels, sizes);
  for (gint32 l = 1; l <= n_comp; l++)
    {
      guint64 s = g_array_index (sizes, guint64, l);

      if (first == 0 || s > g_array_index (sizes, guint64, first))
        {
          second = first;
          first = l;
        }
      else if (second == 0 || s > g_array_index (sizes, guint64, second))
        second = l;
    }
  if (first == 0 || g_array_index (sizes, guint64, first) * g->cell_ml < MIN_LUNG_ML)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("No lungs found: there is no air-filled region of at least %.0f mL "
                     "inside the body. Is this a chest CT?"), MIN_LUNG_ML);
      return FALSE;
    }

  sum_x = g_new0 (gdouble, n_comp + 1);
  left = g_new0 (guint64, n_comp + 1);
  right = g_new0 (guint64, n_comp + 1);
  for (gint k = 0; k < g->n[2]; k++)
    for (gint j = 0; j < g->n[1]; j++)
      for (gint i = 0; i < g->n[0]; i++)
        {
          gint32 l = labels[cell_index (g->n, i, j, k)];
          gdouble x = cell_x (g, i, j, k);

          if (l != first && l != second)
            continue;
          sum_x[l] += x;
          if (x > g->midline_x + SIDE_MM)
            left[l]++;
          else if (x < g->midline_x - SIDE_MM)
            right[l]++;
        }

  memset (g->lung, 0, g->n_cells);
  *split_needed = FALSE;
  {
    guint64 s1 = g_array_index (sizes, guint64, first);

    if (MIN (left[first], right[first]) > s1 / 5)
      {
        *split_needed = TRUE;
        /* No erosion separates them (a wide bridge of air): cut at the midline. */
        if (!split_component (g, labels, first))
          for (gint k = 0; k < g->n[2]; k++)
            for (gint j = 0; j < g->n[1]; j++)
              for (gint i = 0; i < g->n[0]; i++)
                {
                  gsize c = cell_index (g->n, i, j, k);

                  if (labels[c] == first)
                    g->lung[c] = cell_x (g, i, j, k) > g->midline_x ? FIDAC_LUNG_LEFT
                                                                    : FIDAC_LUNG_RIGHT;
                }
        return TRUE;
      }
  }
  for (gint32 pick = 0, first_side = 0; pick < 2; pick++)
    {
      gint32 l = pick == 0 ? first : second;
      guint64 s;
      guint8 side;

      if (l == 0)
        continue;
      s = g_array_index (sizes, guint64, l);
      if (pick == 1 && (s * g->cell_ml < MIN_LUNG_ML ||
                        s < g_array_index (sizes, guint64, first) / 10))
        continue;
      side = sum_x[l] / s > g->midline_x ? FIDAC_LUNG_LEFT : FIDAC_LUNG_RIGHT;
      if (pick == 1 && side == first_side)
        continue;               /* both on one side: the second is no lung */
      for (gsize c = 0; c < g->n_cells; c++)
        if (labels[c] == l)
          g->lung[c] = side;
      first_side = side;
    }
  return TRUE;
}

/* ---- back to full resolution ---- */

/* Whether a cell of the 3 × 3 × 3 block around (i, j, k) is lung `l` that a bridge along
 * the pleura added: a lesion against the chest wall. */
static gboolean
beside_bridge (const Grid *g, gint i, gint j, gint k, guint8 l)
{
  const gint *n = g->n;

  for (gint o = MAX (k - 1, 0); o <= MIN (k + 1, n[2] - 1); o++)
    for (gint b = MAX (j - 1, 0); b <= MIN (j + 1, n[1] - 1); b++)
      for (gint a = MAX (i - 1, 0); a <= MIN (i + 1, n[0] - 1); a++)
        {
          gsize c = cell_index (n, a, b, o);

          if (g->lung[c] == l && (g->flags[c] & CELL_BRIDGE))
            return TRUE;
        }
  return FALSE;
}

static void
code_range (gpointer data, gint start, gint end)
{
  Grid *g = data;
  const gint *n = g->n;
  gboolean coarse = g->f[0] * g->f[1] * g->f[2] > 1;

  for (gint k = start; k < end; k++)
    {
      gint *box = g->shell_box + 4 * k;

      box[0] = box[1] = G_MAXINT;
      box[2] = box[3] = -1;
    }
  for (gint k = start; k < end; k++)
    for (gint j = 0; j < n[1]; j++)
      for (gint i = 0; i < n[0]; i++)
        {
          gsize c = cell_index (n, i, j, k);
          guint8 l = g->lung[c], code = CODE_NONE;

          if (l != 0)
            code = CODE_INSIDE + l;
          else if (g->flags[c] & CELL_AIRWAY)
            code = CODE_AIRWAY;
          /* Inside a lung a cell is taken whole (vessels, lesions). At the lung's edge an
           * aerated cell, or a cell of tissue beside the lung, gives the lung only its air;
           * a cell of tissue the closing took in gives all but its fat (a lesion against
           * the pleura, not the fat beside the mediastinum or the wall). */
          if (coarse && !(g->flags[c] & (CELL_AIRWAY_ZONE | CELL_OUTSIDE)))
            for (gint e = 0; e < 6; e++)
              {
                gint a = i + fidac_lungs_nb6[e][0], b = j + fidac_lungs_nb6[e][1], o = k + fidac_lungs_nb6[e][2];
                guint8 m;

                if (a < 0 || b < 0 || o < 0 || a >= n[0] || b >= n[1] || o >= n[2])
                  continue;
                m = g->lung[cell_index (n, a, b, o)];
                if (m != l && (l != 0 || m != 0))
                  {
                    if (l == 0 || g->hu[c] < AIR_HU)
                      code = CODE_EDGE + (l != 0 ? l : m);
                    else
                      code = CODE_LEAN + l;
                    break;
                  }
              }
          if (code > CODE_EDGE && code <= CODE_EDGE + FIDAC_LUNG_N && l == 0 &&
              beside_bridge (g, i, j, k, code - CODE_EDGE))
            {
              gint *box = g->shell_box + 4 * k;

              code = CODE_SHELL + code - CODE_EDGE;
              box[0] = MIN (box[0], i);
              box[1] = MIN (box[1], j);
              box[2] = MAX (box[2], i);
              box[3] = MAX (box[3], j);
            }
          g->code[c] = code;
        }
}

static void
refine_range (gpointer data, gint start, gint end)
{
  Refine *r = data;
  Grid *g = r->g;
  const FidacVolume *v = g->volume;
  gint airway = 0;

  for (gint k = start; k < end; k++)
    for (gint j = 0; j < v->dims[1]; j++)
      {
        const guint8 *codes = g->code + cell_index (g->n, 0, j / g->f[1], k / g->f[2]);
        const gint16 *src = fidac_volume_slice (v, k) + (gsize) j * v->dims[0];
        guint8 *dst = r->map->labels + fidac_label_map_index (r->map, 0, j, k);

        for (gint ci = 0; ci < g->n[0]; ci++)
          {
            gint i0 = ci * g->f[0], i1 = MIN (i0 + g->f[0], v->dims[0]);
            guint8 code = codes[ci];

            if (code <= CODE_INSIDE + FIDAC_LUNG_N)
              memset (dst + i0, code, i1 - i0);
            else if (code == CODE_AIRWAY)
              {
                for (gint i = i0; i < i1; i++)
                  airway += src[i] < AIR_HU;
                memset (dst + i0, 0, i1 - i0);
              }
            else if (code > CODE_LEAN && code <= CODE_SHELL)
              for (gint i = i0; i < i1; i++)
                dst[i] = src[i] < FAT_MIN_HU || src[i] > FAT_MAX_HU ? code - CODE_LEAN : 0;
            else
              {
                guint8 l = code > CODE_SHELL ? code - CODE_SHELL : code - CODE_EDGE;

                for (gint i = i0; i < i1; i++)
                  dst[i] = src[i] < AIR_HU ? l : 0;
              }
          }
      }
  g_atomic_int_add (&g->airway_voxels, airway);
}

/* ---- the whole ---- */

static gboolean
check_cancel (GCancellable       *cancellable,
              FidacLungsProgress  progress,
              gpointer            progress_data,
              gdouble             fraction,
              GError            **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (progress != NULL)
    progress (fraction, progress_data);
  return TRUE;
}

static void
grid_clear (Grid *g)
{
  g_free (g->hu);
  g_free (g->flags);
  g_free (g->lung);
  g_free (g->code);
  g_free (g->skin);
  g_free (g->shell_box);
}

FidacLabelMap *
fidac_lungs_segment (const FidacVolume  *volume,
                     FidacLungsInfo     *info,
                     FidacLungsProgress  progress,
                     gpointer            progress_data,
                     GCancellable       *cancellable,
                     GError            **error)
{
  g_autoptr(FidacLabelMap) map = NULL;
  g_autoptr(GArray) seed = g_array_new (FALSE, FALSE, sizeof (guint32));
  gint64 start = g_get_monotonic_time ();
  gdouble voxel_mm3, seed_x = 0, body_x = 0;
  gboolean split_needed = FALSE, have_trachea;
  gsize body = 0;
  Grid g = { 0 };
  Refine refine;

  g_return_val_if_fail (volume != NULL && volume->voxels != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (info != NULL)
    memset (info, 0, sizeof *info);
  voxel_mm3 = fidac_volume_voxel_mm3 (volume);
  if (volume->dims[0] * volume->spacing[0] < MIN_EXTENT_MM ||
      volume->dims[1] * volume->spacing[1] < MIN_EXTENT_MM || volume->dims[2] < 3 ||
      volume->dims[0] < 8 || volume->dims[1] < 8 ||
      fidac_volume_n_voxels (volume) * voxel_mm3 / 1000.0 < 2 * MIN_LUNG_ML)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("The volume is too small to hold lungs (%d × %d × %d voxels of "
                     "%.2g × %.2g × %.2g mm)."), volume->dims[0], volume->dims[1],
                   volume->dims[2], volume->spacing[0], volume->spacing[1],
                   volume->spacing[2]);
      return NULL;
    }
  if (!check_cancel (cancellable, progress, progress_data, 0.0, error))
    return NULL;
  map = fidac_label_map_new (volume, error);
  if (map == NULL)
    return NULL;

  g.volume = volume;
  for (gint a = 0; a < 3; a++)
    {
      g.f[a] = CLAMP ((gint) floor (CELL_MM / volume->spacing[a] + 0.5), 1, 4);
      g.n[a] = (volume->dims[a] + g.f[a] - 1) / g.f[a];
      g.mm[a] = g.f[a] * volume->spacing[a];
    }
  g.n_cells = (gsize) g.n[0] * g.n[1] * g.n[2];
  g.cell_ml = voxel_mm3 * g.f[0] * g.f[1] * g.f[2] / 1000.0;
  {
    gdouble p0[3], p[3];
    const gdouble c0[3] = { 0.5 * g.f[0] - 0.5, 0.5 * g.f[1] - 0.5, 0.5 * g.f[2] - 0.5 };

    fidac_volume_voxel_to_patient (volume, c0, p0);
    g.px[0] = p0[0];
    for (gint a = 0; a < 3; a++)
      {
        gdouble c[3] = { c0[0], c0[1], c0[2] };

        c[a] += g.f[a];
        fidac_volume_voxel_to_patient (volume, c, p);
        g.px[a + 1] = p[0] - p0[0];
      }
  }
  g.hu = g_new (gint16, g.n_cells);
  g.flags = g_new (guint8, g.n_cells);
  g.lung = g_new0 (guint8, g.n_cells);
  g.code = g_new (guint8, g.n_cells);
  g.shell_box = g_new (gint, 4 * g.n[2]);

  fidac_lungs_parallel_for (g.n[2], 2, downsample_range, &g);
  if (!check_cancel (cancellable, progress, progress_data, 0.25, error))
    goto fail;
  fidac_lungs_parallel_for (g.n[2], 4, outside_range, &g);

  for (gint k = 0; k < g.n[2]; k++)
    for (gint j = 0; j < g.n[1]; j++)
      for (gint i = 0; i < g.n[0]; i++)
        if (!(g.flags[cell_index (g.n, i, j, k)] & CELL_OUTSIDE))
          {
            body_x += cell_x (&g, i, j, k);
            body++;
          }
  if (body * g.cell_ml < 2 * MIN_LUNG_ML)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("No lungs found: there is no body in the volume, only air."));
      goto fail;
    }
  g.midline_x = body_x / body;
  if (!check_cancel (cancellable, progress, progress_data, 0.35, error))
    goto fail;

  have_trachea = find_trachea (&g, seed, &seed_x);
  if (have_trachea)
    {
      g.midline_x = seed_x;
      grow_airway (&g, seed, seed_x);
    }
  if (!check_cancel (cancellable, progress, progress_data, 0.45, error))
    goto fail;

  if (!pick_lungs (&g, &split_needed, error))
    goto fail;
  if (!check_cancel (cancellable, progress, progress_data, 0.6, error))
    goto fail;

  g.skin = g_new (gfloat, g.n_cells);
  for (gsize c = 0; c < g.n_cells; c++)
    g.skin[c] = g.flags[c] & CELL_OUTSIDE ? 0 : INF_DIST;
  fidac_lungs_edt_axes (g.skin, g.n, g.mm, 2);
  fidac_lungs_close (&g);
  if (!check_cancel (cancellable, progress, progress_data, 0.8, error))
    goto fail;

  fidac_lungs_parallel_for (g.n[2], 4, code_range, &g);
  refine.g = &g;
  refine.map = map;
  fidac_lungs_parallel_for (volume->dims[2], 4, refine_range, &refine);
  fidac_lungs_parallel_for (volume->dims[2], 4, fidac_lungs_shell_range, &refine);
  g_debug ("lungs: %d voxels of lesions against the chest wall added", g.shell_voxels);
  fidac_label_map_touch (map, 0, volume->dims[2] - 1);

  if (info != NULL)
    {
      for (gint l = 1; l <= FIDAC_LUNG_N; l++)
        {
          info->voxels[l] = fidac_label_map_count (map, l);
          info->volume_ml[l] = info->voxels[l] * voxel_mm3 / 1000.0;
          info->volume_ml[0] += info->volume_ml[l];
        }
      info->airway_ml = g.airway_voxels * voxel_mm3 / 1000.0;
      info->split_needed = split_needed;
      info->seconds = (g_get_monotonic_time () - start) / 1e6;
    }
  grid_clear (&g);
  if (!check_cancel (cancellable, progress, progress_data, 1.0, error))
    return NULL;
  return g_steal_pointer (&map);

fail:
  grid_clear (&g);
  return NULL;
}

const gchar *
fidac_lung_get_name (FidacLung lung)
{
  switch (lung)
    {
    case FIDAC_LUNG_RIGHT:
      return _("Right lung");
    case FIDAC_LUNG_LEFT:
      return _("Left lung");
    case FIDAC_LUNG_NONE:
    default:
      return _("No lung");
    }
}
