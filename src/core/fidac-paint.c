/* fidac-paint.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "fidac-paint.h"

/* A brush wider than a chest is a unit error (metres, pixels), not a choice. */
#define MAX_DIAMETER_MM 500.0
/* Ties: a voxel centre exactly on the footprint's edge (common on isotropic grids with
 * integer radii) is inside, whatever the last bit of the arithmetic says. */
#define RADIUS_TOLERANCE 1e-9
#define PLANE_TOLERANCE_MM 1e-6

void
fidac_brush_init (FidacBrush *brush)
{
  g_return_if_fail (brush != NULL);

  *brush = (FidacBrush) {
    .mode = FIDAC_PAINT_DRAW,
    .label = 1,
    .shape = FIDAC_BRUSH_DISC,
    .diameter = 10.0,
    .normal = { 0, 0, 1 },
    .hu_limit = FALSE,
    .hu_min = -1024,
    .hu_max = 3071,
    .over = FIDAC_PAINT_OVER_EMPTY,
    .over_label = 0,
    .locked = 0,
  };
}

gboolean
fidac_brush_validate (const FidacBrush  *brush,
                      GError           **error)
{
  g_return_val_if_fail (brush != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (brush->mode != FIDAC_PAINT_DRAW && brush->mode != FIDAC_PAINT_ERASE_CLASS &&
      brush->mode != FIDAC_PAINT_ERASE_ALL)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Unknown brush mode %d"), (gint) brush->mode);
      return FALSE;
    }
  if (brush->mode != FIDAC_PAINT_ERASE_ALL &&
      (brush->label == FIDAC_LABEL_NONE || brush->label >= FIDAC_LABEL_MAX_CLASSES))
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Invalid lesion class %u for the brush"), brush->label);
      return FALSE;
    }
  if (!(brush->diameter > 0.0 && brush->diameter <= MAX_DIAMETER_MM))
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Invalid brush size %g mm (from more than 0 to %g mm)"),
                   brush->diameter, MAX_DIAMETER_MM);
      return FALSE;
    }
  if (brush->shape == FIDAC_BRUSH_DISC)
    {
      gdouble norm = fidac_vec3_norm (brush->normal);

      if (!(norm > 1e-9 && isfinite (norm)))
        {
          g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                       _("The brush disc has no plane (null normal)"));
          return FALSE;
        }
    }
  else if (brush->shape != FIDAC_BRUSH_SPHERE)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Unknown brush shape %d"), (gint) brush->shape);
      return FALSE;
    }
  if (brush->hu_limit && brush->hu_min > brush->hu_max)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Invalid HU range: %d is above %d"), brush->hu_min, brush->hu_max);
      return FALSE;
    }
  if (brush->mode == FIDAC_PAINT_DRAW && brush->over == FIDAC_PAINT_OVER_CLASS &&
      brush->over_label >= FIDAC_LABEL_MAX_CLASSES)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Invalid lesion class %u to paint over"), brush->over_label);
      return FALSE;
    }
  if (brush->mode == FIDAC_PAINT_DRAW && brush->over != FIDAC_PAINT_OVER_EMPTY &&
      brush->over != FIDAC_PAINT_OVER_ALL && brush->over != FIDAC_PAINT_OVER_CLASS)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Unknown paint-over rule %d"), (gint) brush->over);
      return FALSE;
    }
  return TRUE;
}

static inline gboolean
is_locked (const FidacBrush *brush,
           guint8            label)
{
  return label != FIDAC_LABEL_NONE && (brush->locked & (1u << label)) != 0;
}

gboolean
fidac_brush_can_write (const FidacBrush *brush,
                       guint8            current)
{
  g_return_val_if_fail (brush != NULL, FALSE);

  switch (brush->mode)
    {
    case FIDAC_PAINT_DRAW:
      if (current == brush->label || is_locked (brush, brush->label) ||
          is_locked (brush, current))
        return FALSE;
      if (current == FIDAC_LABEL_NONE)
        return TRUE;
      return brush->over == FIDAC_PAINT_OVER_ALL ||
             (brush->over == FIDAC_PAINT_OVER_CLASS && current == brush->over_label);
    case FIDAC_PAINT_ERASE_CLASS:
      return current == brush->label && !is_locked (brush, current);
    case FIDAC_PAINT_ERASE_ALL:
      return current != FIDAC_LABEL_NONE && !is_locked (brush, current);
    default:
      return FALSE;
    }
}

/* The footprint as seen from the voxel loop: everything relative to `a`. */
typedef struct {
  gboolean disc;
  gdouble  r2;                  /* radius², with the tie tolerance */
  gdouble  n[3];                /* disc: unit normal */
  gdouble  h_lo, h_hi;          /* disc: -h <= d < h, with the tie tolerance */
  gdouble  s[3];                /* a -> b (projected on the plane for the disc) */
  gdouble  s2;                  /* |s|² */
} Footprint;

static inline gboolean
footprint_contains (const Footprint *f,
                    const gdouble    q[3])
{
  gdouble p[3] = { q[0], q[1], q[2] };
  gdouble t = 0.0, dx, dy, dz;

  if (f->disc)
    {
      gdouble d = p[0] * f->n[0] + p[1] * f->n[1] + p[2] * f->n[2];

      if (d < f->h_lo || d >= f->h_hi)
        return FALSE;
      p[0] -= d * f->n[0];
      p[1] -= d * f->n[1];
      p[2] -= d * f->n[2];
    }
  if (f->s2 > 0.0)
    {
      t = (p[0] * f->s[0] + p[1] * f->s[1] + p[2] * f->s[2]) / f->s2;
      t = CLAMP (t, 0.0, 1.0);
    }
  dx = p[0] - t * f->s[0];
  dy = p[1] - t * f->s[1];
  dz = p[2] - t * f->s[2];
  return dx * dx + dy * dy + dz * dz <= f->r2;
}

gssize
fidac_paint_dab (FidacLabelMap      *map,
                 const FidacVolume  *volume,
                 const FidacBrush   *brush,
                 const gdouble       center[3],
                 FidacUndo          *undo,
                 GError            **error)
{
  return fidac_paint_segment (map, volume, brush, center, center, undo, error);
}

gssize
fidac_paint_segment (FidacLabelMap      *map,
                     const FidacVolume  *volume,
                     const FidacBrush   *brush,
                     const gdouble       a[3],
                     const gdouble       b[3],
                     FidacUndo          *undo,
                     GError            **error)
{
  const gdouble *m;
  Footprint f = { 0 };
  gdouble r, e[3][3], base[3], extent[3], lo[3], hi[3];
  gdouble vmin[3] = { G_MAXDOUBLE, G_MAXDOUBLE, G_MAXDOUBLE };
  gdouble vmax[3] = { -G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  gint from[3], to[3];
  gsize changed = 0;
  gboolean own_step = FALSE;

  g_return_val_if_fail (map != NULL, -1);
  g_return_val_if_fail (volume != NULL, -1);
  g_return_val_if_fail (brush != NULL, -1);
  g_return_val_if_fail (a != NULL && b != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);
  g_return_val_if_fail (undo == NULL || fidac_undo_get_map (undo) == map, -1);

  if (!fidac_brush_validate (brush, error))
    return -1;
  if (map->dims[0] != volume->dims[0] || map->dims[1] != volume->dims[1] ||
      map->dims[2] != volume->dims[2])
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("The label map (%d × %d × %d) is not on the volume’s grid (%d × %d × %d)"),
                   map->dims[0], map->dims[1], map->dims[2],
                   volume->dims[0], volume->dims[1], volume->dims[2]);
      return -1;
    }
  for (gint c = 0; c < 3; c++)
    if (!isfinite (a[c]) || !isfinite (b[c]))
      {
        g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                     _("Invalid brush position"));
        return -1;
      }

  /* Voxel centre (i, j, k) = origin + i e_i + j e_j + k e_k: the columns of to_patient. */
  m = volume->to_patient;
  for (gint c = 0; c < 3; c++)
    {
      e[0][c] = m[c * 4 + 0];
      e[1][c] = m[c * 4 + 1];
      e[2][c] = m[c * 4 + 2];
      base[c] = m[c * 4 + 3] - a[c];
      f.s[c] = b[c] - a[c];
    }

  r = brush->diameter / 2.0;
  f.r2 = r * r * (1.0 + RADIUS_TOLERANCE);
  f.disc = brush->shape == FIDAC_BRUSH_DISC;
  if (f.disc)
    {
      gdouble norm = fidac_vec3_norm (brush->normal), sn, h = 0.0;

      for (gint c = 0; c < 3; c++)
        f.n[c] = brush->normal[c] / norm;
      for (gint axis = 0; axis < 3; axis++)
        h += fabs (fidac_vec3_dot (f.n, e[axis])) / 2.0;
      f.h_lo = -h - PLANE_TOLERANCE_MM;
      f.h_hi = h - PLANE_TOLERANCE_MM;
      /* The stroke stays in the plane through a. */
      sn = fidac_vec3_dot (f.s, f.n);
      for (gint c = 0; c < 3; c++)
        f.s[c] -= sn * f.n[c];
      /* Patient-space half extent of a disc of radius r with normal n, thickened by h. */
      for (gint c = 0; c < 3; c++)
        extent[c] = r * sqrt (MAX (0.0, 1.0 - f.n[c] * f.n[c])) + h * fabs (f.n[c]);
    }
  else
    for (gint c = 0; c < 3; c++)
      extent[c] = r;
  f.s2 = fidac_vec3_dot (f.s, f.s);

  /* Voxel bounds of the patient box around the swept footprint, from its eight corners
   * (the grid may be sheared or oblique), a voxel wider for rounding. */
  for (gint c = 0; c < 3; c++)
    {
      lo[c] = a[c] + MIN (0.0, f.s[c]) - extent[c];
      hi[c] = a[c] + MAX (0.0, f.s[c]) + extent[c];
    }
  for (gint corner = 0; corner < 8; corner++)
    {
      gdouble p[3] = {
        corner & 1 ? hi[0] : lo[0],
        corner & 2 ? hi[1] : lo[1],
        corner & 4 ? hi[2] : lo[2],
      };
      gdouble v[3];

      fidac_volume_patient_to_voxel (volume, p, v);
      for (gint c = 0; c < 3; c++)
        {
          vmin[c] = MIN (vmin[c], v[c]);
          vmax[c] = MAX (vmax[c], v[c]);
        }
    }
  for (gint c = 0; c < 3; c++)
    {
      /* Clamp in double first: a far-away brush must not overflow the int conversion. */
      from[c] = (gint) CLAMP (floor (vmin[c]) - 1.0, 0.0, (gdouble) map->dims[c]);
      to[c] = (gint) CLAMP (ceil (vmax[c]) + 1.0, -1.0, (gdouble) map->dims[c] - 1);
    }

  /* Without an open step the segment is a step of its own: the history never misses a
   * change. */
  if (undo != NULL && !fidac_undo_is_open (undo))
    own_step = fidac_undo_begin (undo);

  for (gint k = from[2]; k <= to[2]; k++)
    {
      guint32 *counts = map->counts + (gsize) k * FIDAC_LABEL_MAX_CLASSES;
      gsize slice_changed = 0;

      for (gint j = from[1]; j <= to[1]; j++)
        {
          gdouble row[3];
          gsize index = fidac_label_map_index (map, from[0], j, k);

          for (gint c = 0; c < 3; c++)
            row[c] = base[c] + j * e[1][c] + k * e[2][c];

          for (gint i = from[0]; i <= to[0]; i++, index++)
            {
              gdouble q[3] = {
                row[0] + i * e[0][0], row[1] + i * e[0][1], row[2] + i * e[0][2],
              };
              guint8 current = map->labels[index], value;

              if (!fidac_brush_can_write (brush, current))
                continue;
              if (brush->hu_limit &&
                  (volume->voxels[index] < brush->hu_min ||
                   volume->voxels[index] > brush->hu_max))
                continue;
              if (!footprint_contains (&f, q))
                continue;

              value = brush->mode == FIDAC_PAINT_DRAW ? brush->label : FIDAC_LABEL_NONE;
              map->labels[index] = value;
              counts[current]--;
              counts[value]++;
              slice_changed++;
              if (undo != NULL)
                fidac_undo_record (undo, index, 1, current, value);
            }
        }
      if (slice_changed > 0)
        map->dirty[k] = 1;
      changed += slice_changed;
    }

  if (own_step)
    fidac_undo_end (undo, NULL, NULL);
  return (gssize) changed;
}
