/* fidac-lungs-morph.c: parallel loop, distance transform and components for the lungs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <string.h>

#include "fidac-lungs-private.h"

/* ---- a parallel loop over [0, n) in chunks, on every processor ---- */

typedef struct {
  RangeFunc func;
  gpointer  data;
  gint      n;
  gint      chunk;
  gint      next;               /* atomic */
} Parallel;

static gpointer
parallel_worker (gpointer user_data)
{
  Parallel *par = user_data;

  for (;;)
    {
      gint start = g_atomic_int_add (&par->next, par->chunk);

      if (start >= par->n)
        break;
      par->func (par->data, start, MIN (start + par->chunk, par->n));
    }
  return NULL;
}

void
fidac_lungs_parallel_for (gint n, gint chunk, RangeFunc func, gpointer data)
{
  Parallel par = { func, data, n, MAX (chunk, 1), 0 };
  GThread *threads[8] = { NULL };
  gint n_threads = CLAMP ((gint) g_get_num_processors (), 1, 8);

  n_threads = MIN (n_threads, (n + par.chunk - 1) / par.chunk);
  /* A thread that cannot start leaves its share to the others. */
  for (gint t = 1; t < n_threads; t++)
    threads[t] = g_thread_try_new ("fidac-lungs", parallel_worker, &par, NULL);
  parallel_worker (&par);
  for (gint t = 1; t < n_threads; t++)
    if (threads[t] != NULL)
      g_thread_join (threads[t]);
}

/* ---- squared Euclidean distance transform (Felzenszwalb and Huttenlocher), in mm² ---- */

typedef struct {
  gfloat  *d;
  gint     n[3];
  gint     axis;
  gdouble  mm;
} EdtPass;

static void
edt_line (gfloat *f, gsize stride, gint len, gdouble s, gfloat *g, gint *v, gdouble *z)
{
  gint k = -1;

  for (gint q = 0; q < len; q++)
    g[q] = f[q * stride];
  for (gint q = 0; q < len; q++)
    {
      gdouble fq, cut = 0;

      if (g[q] >= INF_DIST)
        continue;
      fq = g[q] + (q * s) * (q * s);
      while (k >= 0)
        {
          gint p = v[k];

          cut = (fq - (g[p] + (p * s) * (p * s))) / (2.0 * s * (q - p));
          if (cut > z[k])
            break;
          k--;
        }
      k++;
      v[k] = q;
      z[k] = k == 0 ? -G_MAXDOUBLE : cut;
      z[k + 1] = G_MAXDOUBLE;
    }
  if (k < 0)
    return;
  k = 0;
  for (gint q = 0; q < len; q++)
    {
      gdouble u;

      while (z[k + 1] < q * s)
        k++;
      u = (q - v[k]) * s;
      f[q * stride] = (gfloat) (u * u + g[v[k]]);
    }
}

static void
edt_range (gpointer data, gint start, gint end)
{
  EdtPass *pass = data;
  const gint *n = pass->n;
  gint a = pass->axis, len = n[a];
  /* Lines along `a`, numbered over the two other axes. */
  gint other0 = a == 0 ? 1 : 0, other1 = a == 2 ? 1 : 2;
  gsize strides[3] = { 1, (gsize) n[0], (gsize) n[0] * n[1] };
  g_autofree gfloat *g = g_new (gfloat, len);
  g_autofree gint *v = g_new (gint, len);
  g_autofree gdouble *z = g_new (gdouble, len + 1);

  for (gint line = start; line < end; line++)
    {
      gint u0 = line % n[other0], u1 = line / n[other0];
      gfloat *f = pass->d + u0 * strides[other0] + u1 * strides[other1];

      edt_line (f, strides[a], len, pass->mm, g, v, z);
    }
}

/* `d` holds 0 on the features and INF_DIST elsewhere; it receives the squared distance
 * in mm² to the nearest feature (INF_DIST when there is none). */
void
fidac_lungs_edt_axes (gfloat *d, const gint n[3], const gdouble mm[3], gint n_axes)
{
  for (gint a = 0; a < n_axes; a++)
    {
      EdtPass pass = { d, { n[0], n[1], n[2] }, a, mm[a] };
      gint lines = n[0] * n[1] * n[2] / n[a];

      fidac_lungs_parallel_for (lines, MAX (lines / 64, 16), edt_range, &pass);
    }
}

void
fidac_lungs_edt (gfloat *d, const gint n[3], const gdouble mm[3])
{
  fidac_lungs_edt_axes (d, n, mm, 3);
}

/* ---- connected components, 6-connected ---- */

const gint fidac_lungs_nb6[6][3] = {
  { -1, 0, 0 }, { 1, 0, 0 }, { 0, -1, 0 }, { 0, 1, 0 }, { 0, 0, -1 }, { 0, 0, 1 },
};

/* Labels the nonzero cells of `mask` 1..N; sizes[l] receives the size of component l
 * (sizes[0] = 0). Returns N. */
gint
fidac_lungs_components (const guint8 *mask, const gint n[3], gint32 *labels, GArray *sizes)
{
  gsize n_cells = (gsize) n[0] * n[1] * n[2];
  g_autofree guint32 *queue = NULL;
  gint32 next = 0;
  guint64 zero = 0;

  memset (labels, 0, n_cells * sizeof (gint32));
  g_array_set_size (sizes, 0);
  g_array_append_val (sizes, zero);
  for (gsize c = 0; c < n_cells; c++)
    {
      gsize head = 0, tail = 0;

      if (!mask[c] || labels[c])
        continue;
      if (queue == NULL)
        queue = g_new (guint32, n_cells);
      labels[c] = ++next;
      queue[tail++] = c;
      while (head < tail)
        {
          gsize q = queue[head++];
          gint i, j, k;

          cell_ijk (n, q, &i, &j, &k);
          for (gint e = 0; e < 6; e++)
            {
              gint a = i + fidac_lungs_nb6[e][0], b = j + fidac_lungs_nb6[e][1], o = k + fidac_lungs_nb6[e][2];
              gsize r;

              if (a < 0 || b < 0 || o < 0 || a >= n[0] || b >= n[1] || o >= n[2])
                continue;
              r = cell_index (n, a, b, o);
              if (mask[r] && !labels[r])
                {
                  labels[r] = next;
                  queue[tail++] = r;
                }
            }
        }
      {
        guint64 size = tail;

        g_array_append_val (sizes, size);
      }
    }
  return next;
}
