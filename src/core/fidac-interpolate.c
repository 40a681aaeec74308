/* fidac-interpolate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "fidac-interpolate.h"

/* Squared distance along one line by the lower envelope of parabolas (Felzenszwalb and
 * Huttenlocher, 2012), with samples `step` mm apart. Infinite samples are left out of the
 * envelope instead of entering its arithmetic. */
static void
edt_line (const gdouble *f,
          gint           n,
          gdouble        step,
          gdouble       *out,
          gint          *v,
          gdouble       *z)
{
  gint k = -1;

  for (gint q = 0; q < n; q++)
    {
      gdouble xq = q * step;

      if (!isfinite (f[q]))
        continue;
      while (k >= 0)
        {
          gdouble xp = v[k] * step;
          gdouble s = ((f[q] + xq * xq) - (f[v[k]] + xp * xp)) / (2.0 * (xq - xp));

          if (s > z[k])
            {
              k++;
              v[k] = q;
              z[k] = s;
              break;
            }
          k--;
        }
      if (k < 0)
        {
          k = 0;
          v[0] = q;
          z[0] = -INFINITY;
        }
    }

  if (k < 0)
    {
      for (gint q = 0; q < n; q++)
        out[q] = INFINITY;
      return;
    }
  z[k + 1] = INFINITY;
  for (gint q = 0, m = 0; q < n; q++)
    {
      gdouble xq = q * step, d;

      while (z[m + 1] < xq)
        m++;
      d = xq - v[m] * step;
      out[q] = d * d + f[v[m]];
    }
}

void
fidac_interpolate_edt_2d (const guint8 *mask,
                          gint          nu,
                          gint          nv,
                          gdouble       su,
                          gdouble       sv,
                          guint8        feature,
                          gfloat       *out)
{
  gint n = MAX (nu, nv);
  g_autofree gdouble *f = g_new (gdouble, n);
  g_autofree gdouble *d = g_new (gdouble, n);
  g_autofree gdouble *z = g_new (gdouble, n + 1);
  g_autofree gint *v = g_new (gint, n);
  g_autofree gdouble *rows = g_new (gdouble, (gsize) nu * nv);

  g_return_if_fail (mask != NULL && out != NULL && nu > 0 && nv > 0);

  for (gint y = 0; y < nv; y++)
    {
      for (gint x = 0; x < nu; x++)
        f[x] = (mask[(gsize) y * nu + x] == feature) ? 0.0 : INFINITY;
      edt_line (f, nu, su, rows + (gsize) y * nu, v, z);
    }
  for (gint x = 0; x < nu; x++)
    {
      for (gint y = 0; y < nv; y++)
        f[y] = rows[(gsize) y * nu + x];
      edt_line (f, nv, sv, d, v, z);
      for (gint y = 0; y < nv; y++)
        out[(gsize) y * nu + x] = isfinite (d[y]) ? (gfloat) d[y] : G_MAXFLOAT;
    }
}

/* The voxel (i, j, k) of in-slice (u, v) in slice `slice` perpendicular to `axis`. */
static inline gsize
voxel_of (const FidacLabelMap *map,
          gint                 axis,
          gint                 slice,
          gint                 u,
          gint                 v,
          gint                 ijk[3])
{
  switch (axis)
    {
    case 0:
      ijk[0] = slice, ijk[1] = u, ijk[2] = v;
      break;
    case 1:
      ijk[0] = u, ijk[1] = slice, ijk[2] = v;
      break;
    default:
      ijk[0] = u, ijk[1] = v, ijk[2] = slice;
      break;
    }
  return fidac_label_map_index (map, ijk[0], ijk[1], ijk[2]);
}

/* Which slices perpendicular to `axis` hold `label`: for k the counts say it, for i and j
 * one pass over the slices k that hold the class. */
static void
find_key_slices (const FidacLabelMap *map,
                 gint                 axis,
                 guint8               label,
                 gboolean            *has)
{
  gsize sx = (gsize) map->dims[0], sy = sx * map->dims[1];

  for (gint k = 0; k < map->dims[2]; k++)
    {
      if (fidac_label_map_slice_count (map, k, label) == 0)
        continue;
      if (axis == 2)
        {
          has[k] = TRUE;
          continue;
        }
      for (gint j = 0; j < map->dims[1]; j++)
        {
          const guint8 *row = map->labels + k * sy + j * sx;

          for (gint i = 0; i < map->dims[0]; i++)
            if (row[i] == label)
              has[axis == 0 ? i : j] = TRUE;
        }
    }
}

/* The box of `label` in slice `slice`, merged into lo/hi (in-slice coordinates). */
static void
extend_box (const FidacLabelMap *map,
            gint                 axis,
            gint                 slice,
            guint8               label,
            gint                 nu,
            gint                 nv,
            gint                 lo[2],
            gint                 hi[2])
{
  for (gint v = 0; v < nv; v++)
    {
      gint ijk[3];

      if (axis != 2)
        {
          voxel_of (map, axis, slice, 0, v, ijk);
          if (fidac_label_map_slice_count (map, ijk[2], label) == 0)
            continue;
        }
      for (gint u = 0; u < nu; u++)
        if (map->labels[voxel_of (map, axis, slice, u, v, ijk)] == label)
          {
            lo[0] = MIN (lo[0], u);
            hi[0] = MAX (hi[0], u);
            lo[1] = MIN (lo[1], v);
            hi[1] = MAX (hi[1], v);
          }
    }
}

typedef struct {
  gint    u0, v0, nu, nv;       /* the box within the slice */
  gdouble su, sv;
} Box;

/* Signed distance (mm, negative inside) of `mask` (box->nu × box->nv). The box has a margin
 * of one voxel around the shape (or reaches the slice's edge), so the nearest outside voxel
 * of any inside voxel lies in it: clamping a point onto the box only brings it closer. */
static void
signed_distance (const guint8 *mask,
                 const Box    *box,
                 gfloat       *inside_d2,
                 gfloat       *out)
{
  gsize n = (gsize) box->nu * box->nv;

  fidac_interpolate_edt_2d (mask, box->nu, box->nv, box->su, box->sv, 1, out);
  fidac_interpolate_edt_2d (mask, box->nu, box->nv, box->su, box->sv, 0, inside_d2);
  for (gsize p = 0; p < n; p++)
    out[p] = mask[p] ? -sqrtf (inside_d2[p]) : sqrtf (out[p]);
}

/* Labels the 8-connected shapes of `label` in slice `slice` over `box` into `comp` (-1
 * outside them); returns their number. `stack` holds box->nu * box->nv entries. */
static gint
label_shapes (const FidacLabelMap *map,
              gint                 axis,
              gint                 slice,
              guint8               label,
              const Box           *box,
              gint32              *comp,
              guint32             *stack)
{
  gsize n = (gsize) box->nu * box->nv;
  gint n_comp = 0;

  for (gint v = 0; v < box->nv; v++)
    for (gint u = 0; u < box->nu; u++)
      {
        gint ijk[3];
        gsize index = voxel_of (map, axis, slice, box->u0 + u, box->v0 + v, ijk);

        comp[(gsize) v * box->nu + u] = map->labels[index] == label ? -2 : -1;
      }
  for (gsize p = 0; p < n; p++)
    {
      gsize top = 0;

      if (comp[p] != -2)
        continue;
      comp[p] = n_comp;
      stack[top++] = (guint32) p;
      while (top > 0)
        {
          guint32 q = stack[--top];
          gint qu = (gint) (q % box->nu), qv = (gint) (q / box->nu);

          for (gint dv = -1; dv <= 1; dv++)
            for (gint du = -1; du <= 1; du++)
              {
                gint pu = qu + du, pv = qv + dv;
                gsize r;

                if (pu < 0 || pv < 0 || pu >= box->nu || pv >= box->nv)
                  continue;
                r = (gsize) pv * box->nu + pu;
                if (comp[r] != -2)
                  continue;
                comp[r] = n_comp;
                stack[top++] = (guint32) r;
              }
        }
      n_comp++;
    }
  return n_comp;
}

static gint
find_root (gint *parent,
           gint  x)
{
  while (parent[x] != x)
    {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
  return x;
}

/* A set of shapes of the two key slices that overlap one another (through a chain of
 * overlaps): interpolated on its own, so that unrelated shapes never bridge. */
typedef struct {
  gint lo[2], hi[2];            /* in the gap's box */
  gboolean in0, in1;            /* has a shape in the first, the second key slice */
} Group;

/* Interpolates the slices strictly between key slices s0 and s1 (both hold the class). */
static gboolean
interpolate_gap (FidacLabelMap          *map,
                 const FidacVolume      *volume,
                 gint                    axis,
                 gint                    s0,
                 gint                    s1,
                 const FidacFillRule    *rule,
                 FidacUndo              *undo,
                 FidacInterpolateResult *r)
{
  gint nu = axis == 0 ? map->dims[1] : map->dims[0];
  gint nv = axis == 2 ? map->dims[1] : map->dims[2];
  gint lo[2] = { G_MAXINT, G_MAXINT }, hi[2] = { -1, -1 };
  g_autofree gint32 *comp0 = NULL, *comp1 = NULL;
  g_autofree guint32 *stack = NULL;
  g_autofree gint *parent = NULL, *group_of = NULL;
  g_autofree Group *groups = NULL;
  g_autofree guint8 *mask = NULL;
  g_autofree gfloat *scratch = NULL, *sd0 = NULL, *sd1 = NULL;
  gint n0, n1, n_groups = 0;
  Box box;
  gsize n;

  /* The interpolated shapes lie within the union of the two key shapes (a point outside
   * both has two positive distances), so their box bounds all the work. */
  extend_box (map, axis, s0, rule->label, nu, nv, lo, hi);
  extend_box (map, axis, s1, rule->label, nu, nv, lo, hi);
  box.u0 = MAX (lo[0] - 1, 0);
  box.v0 = MAX (lo[1] - 1, 0);
  box.nu = MIN (hi[0] + 1, nu - 1) - box.u0 + 1;
  box.nv = MIN (hi[1] + 1, nv - 1) - box.v0 + 1;
  box.su = volume->spacing[axis == 0 ? 1 : 0];
  box.sv = volume->spacing[axis == 2 ? 1 : 2];
  n = (gsize) box.nu * box.nv;

  comp0 = g_try_new (gint32, n);
  comp1 = g_try_new (gint32, n);
  stack = g_try_new (guint32, n);
  mask = g_try_malloc (n);
  scratch = g_try_new (gfloat, n);
  sd0 = g_try_new (gfloat, n);
  sd1 = g_try_new (gfloat, n);
  if (comp0 == NULL || comp1 == NULL || stack == NULL || mask == NULL || scratch == NULL ||
      sd0 == NULL || sd1 == NULL)
    return FALSE;

  n0 = label_shapes (map, axis, s0, rule->label, &box, comp0, stack);
  n1 = label_shapes (map, axis, s1, rule->label, &box, comp1, stack);
  parent = g_new (gint, n0 + n1);
  for (gint c = 0; c < n0 + n1; c++)
    parent[c] = c;
  for (gsize p = 0; p < n; p++)
    if (comp0[p] >= 0 && comp1[p] >= 0)
      {
        gint a = find_root (parent, comp0[p]), b = find_root (parent, n0 + comp1[p]);

        if (a != b)
          parent[MAX (a, b)] = MIN (a, b);
      }
  group_of = g_new (gint, n0 + n1);
  groups = g_new0 (Group, n0 + n1);
  for (gint c = 0; c < n0 + n1; c++)
    {
      gint root = find_root (parent, c);

      if (root == c)
        {
          groups[n_groups] = (Group) { { G_MAXINT, G_MAXINT }, { -1, -1 }, FALSE, FALSE };
          group_of[c] = n_groups++;
        }
      else
        group_of[c] = group_of[root];   /* roots have the smallest index: seen first */
    }
  for (gsize p = 0; p < n; p++)
    for (gint key = 0; key < 2; key++)
      {
        gint32 c = key == 0 ? comp0[p] : comp1[p];
        Group *g;

        if (c < 0)
          continue;
        g = &groups[group_of[key == 0 ? c : n0 + c]];
        g->lo[0] = MIN (g->lo[0], (gint) (p % box.nu));
        g->hi[0] = MAX (g->hi[0], (gint) (p % box.nu));
        g->lo[1] = MIN (g->lo[1], (gint) (p / box.nu));
        g->hi[1] = MAX (g->hi[1], (gint) (p / box.nu));
        if (key == 0)
          g->in0 = TRUE;
        else
          g->in1 = TRUE;
      }

  for (gint gi = 0; gi < n_groups; gi++)
    {
      const Group *g = &groups[gi];
      Box sub;
      gfloat depth = 0.0f;

      /* The group's own box, with the margin signed_distance() needs (the gap's box has
       * it around every shape). */
      sub.u0 = MAX (g->lo[0] - 1, 0);
      sub.v0 = MAX (g->lo[1] - 1, 0);
      sub.nu = MIN (g->hi[0] + 1, box.nu - 1) - sub.u0 + 1;
      sub.nv = MIN (g->hi[1] + 1, box.nv - 1) - sub.v0 + 1;
      sub.su = box.su;
      sub.sv = box.sv;

      for (gint key = 0; key < 2; key++)
        {
          const gint32 *comp = key == 0 ? comp0 : comp1;
          gfloat *sd = key == 0 ? sd0 : sd1;

          if (!(key == 0 ? g->in0 : g->in1))
            continue;
          for (gint v = 0; v < sub.nv; v++)
            for (gint u = 0; u < sub.nu; u++)
              {
                gint32 c = comp[(gsize) (sub.v0 + v) * box.nu + sub.u0 + u];

                mask[(gsize) v * sub.nu + u] = c >= 0 && group_of[key == 0 ? c : n0 + c] == gi;
              }
          signed_distance (mask, &sub, scratch, sd);
          for (gsize p = 0; p < (gsize) sub.nu * sub.nv; p++)
            depth = MAX (depth, -sd[p]);
        }
      /* A shape with no counterpart in the other key slice ends in the gap: it shrinks
       * and is gone by the middle (the best guess of where it ends), as if the other
       * slice held a distance of its deepest point everywhere. */
      if (!g->in0 || !g->in1)
        {
          gfloat *sd = g->in0 ? sd1 : sd0;

          for (gsize p = 0; p < (gsize) sub.nu * sub.nv; p++)
            sd[p] = depth * 1.0001f + 1e-3f;
        }

      for (gint s = s0 + 1; s < s1; s++)
        {
          gfloat t = (gfloat) (s - s0) / (gfloat) (s1 - s0);

          for (gint v = 0; v < sub.nv; v++)
            for (gint u = 0; u < sub.nu; u++)
              {
                gsize p = (gsize) v * sub.nu + u, index;
                gint ijk[3];

                if ((1.0f - t) * sd0[p] + t * sd1[p] > 0.0f)
                  continue;
                index = voxel_of (map, axis, s, box.u0 + sub.u0 + u, box.v0 + sub.v0 + v, ijk);
                if (!fidac_fill_rule_allows (rule, map->labels[index], volume->voxels[index]))
                  continue;
                if (undo != NULL)
                  fidac_undo_record (undo, index, 1, map->labels[index], rule->label);
                fidac_label_map_set (map, ijk[0], ijk[1], ijk[2], rule->label);
                r->n_changed++;
              }
        }
    }
  r->n_gaps++;
  r->n_slices += s1 - s0 - 1;
  return TRUE;
}

gboolean
fidac_interpolate_slices (FidacLabelMap          *map,
                          const FidacVolume      *volume,
                          gint                    axis,
                          const FidacFillRule    *rule,
                          FidacUndo              *undo,
                          FidacInterpolateResult *result,
                          GError                **error)
{
  FidacInterpolateResult r = { 0 };
  g_autofree gboolean *has = NULL;
  gint n_slices, previous = -1;
  guint8 label;
  gboolean own_step;

  g_return_val_if_fail (map != NULL, FALSE);
  g_return_val_if_fail (volume != NULL, FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (result != NULL)
    *result = r;
  if (memcmp (map->dims, volume->dims, sizeof map->dims) != 0)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("The label map (%d × %d × %d) is not on the volume's grid (%d × %d × %d)"),
                   map->dims[0], map->dims[1], map->dims[2],
                   volume->dims[0], volume->dims[1], volume->dims[2]);
      return FALSE;
    }
  if (undo != NULL && fidac_undo_get_map (undo) != map)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("The undo history belongs to another label map"));
      return FALSE;
    }
  if (axis < 0 || axis > 2)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("%d is not a slice axis (0, 1 or 2)"), axis);
      return FALSE;
    }
  label = rule->label;
  if (label == FIDAC_LABEL_NONE || label >= FIDAC_LABEL_MAX_CLASSES)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("%u is not a lesion class"), label);
      return FALSE;
    }
  if (rule->locked & (1u << label))
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("The class is locked: unlock it to edit it"));
      return FALSE;
    }

  n_slices = map->dims[axis];
  has = g_new0 (gboolean, n_slices);
  find_key_slices (map, axis, label, has);
  /* One step for all the gaps: "fill between slices" is one action. */
  own_step = undo != NULL && !fidac_undo_is_open (undo) && fidac_undo_begin (undo);

  for (gint s = 0; s < n_slices; s++)
    {
      if (!has[s])
        continue;
      r.n_painted++;
      if (previous < 0 || s - previous < 2)
        {
          previous = s;
          continue;
        }

      if (!interpolate_gap (map, volume, axis, previous, s, rule, undo, &r))
        {
          g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                       _("Not enough memory to interpolate between slices %d and %d"),
                       previous, s);
          if (own_step)
            fidac_undo_end (undo, NULL, NULL);
          if (result != NULL)
            *result = r;
          return FALSE;
        }
      previous = s;
    }
  if (own_step)
    fidac_undo_end (undo, NULL, NULL);

  if (result != NULL)
    *result = r;
  return TRUE;
}
