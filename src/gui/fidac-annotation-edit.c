/* fidac-annotation-edit.c: the fills and whole-map edits of the annotation session, each
 * one undo step committed like a stroke.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "fidac-annotation-private.h"

/* After a fill wrote the map within an open step: the views, the history, the store. */
static void
edit_end (FidacAnnotation *self)
{
  fidac_annotation_take_dirty (self);
  fidac_annotation_close_step (self);
}

/* The start of an edit on a map: no stroke left open, a fresh step, edit_end() closes it. */
static void
edit_open (FidacAnnotation *self)
{
  if (self->in_stroke)
    fidac_annotation_stroke_end (self);
  fidac_label_map_clear_dirty (self->map);
  fidac_undo_begin (self->undo);
}

/* The common start of the whole-map edits: a map, then edit_open(). */
static gboolean
edit_begin (FidacAnnotation  *self,
            GError          **error)
{
  if (self->map == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("There is no case to annotate"));
      return FALSE;
    }
  edit_open (self);
  return TRUE;
}

/* The fill and the lasso need a map and their tool selected. */
static gboolean
tool_ready (FidacAnnotation  *self,
            FidacTool         tool,
            const gchar      *message,
            GError          **error)
{
  if (self->map != NULL && self->tool == tool)
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, message);
  return FALSE;
}

/* The rule of the fill and the lasso: the brush's, always drawing. */
static void
draw_rule (FidacAnnotation *self,
           const gdouble    normal[3],
           FidacFillRule   *rule)
{
  FidacBrush brush;

  fidac_annotation_get_brush (self, normal, &brush);
  brush.mode = FIDAC_PAINT_DRAW;
  fidac_fill_rule_from_brush (rule, &brush);
}

gboolean
fidac_annotation_fill (FidacAnnotation  *self,
                       const gdouble     normal[3],
                       const gdouble     point[3],
                       FidacFillResult  *result,
                       GError          **error)
{
  FidacFillResult local;
  FidacFillRule rule;
  const ClassState *c;
  gint seed[3], axis, hu_min, hu_max, seed_hu;
  gboolean done;

  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FALSE);
  g_return_val_if_fail (normal != NULL && point != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (result == NULL)
    result = &local;
  memset (result, 0, sizeof *result);
  if (!tool_ready (self, FIDAC_TOOL_FILL, _("The fill tool is not selected"), error))
    return FALSE;
  if (self->in_stroke)
    fidac_annotation_stroke_end (self);
  if (!fidac_fill_seed_from_patient (self->volume, point, seed))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The fill starts outside the volume"));
      return FALSE;
    }
  /* As the brush: a locked class writes nothing. */
  c = &self->classes[self->active];
  if (c->locked)
    return TRUE;
  draw_rule (self, normal, &rule);
  axis = self->shape == FIDAC_BRUSH_SPHERE ? -1 : fidac_fill_axis_for_normal (self->volume, normal);
  seed_hu = fidac_volume_get (self->volume, seed[0], seed[1], seed[2]);
  if (c->hu_limit)
    {
      hu_min = c->hu_min;
      hu_max = c->hu_max;
    }
  else
    {
      hu_min = seed_hu - FIDAC_ANNOTATION_FILL_TOLERANCE_HU;
      hu_max = seed_hu + FIDAC_ANNOTATION_FILL_TOLERANCE_HU;
    }

  edit_open (self);
  done = fidac_fill_region (self->map, self->volume, seed, axis, hu_min, hu_max,
                            fidac_fill_voxels_for_ml (self->volume, FIDAC_ANNOTATION_FILL_MAX_ML),
                            &rule, self->undo, result, error);
  edit_end (self);
  return done;
}

gboolean
fidac_annotation_fill_lasso (FidacAnnotation  *self,
                             const gdouble     normal[3],
                             const gdouble    *points,
                             guint             n_points,
                             FidacFillResult  *result,
                             GError          **error)
{
  FidacFillResult local;
  FidacFillRule rule;
  g_autofree gdouble *uv = NULL;
  gdouble voxel[3];
  gint axis, slice, u_axis, v_axis;
  gboolean done;

  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FALSE);
  g_return_val_if_fail (normal != NULL && (points != NULL || n_points == 0), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (result == NULL)
    result = &local;
  memset (result, 0, sizeof *result);
  if (!tool_ready (self, FIDAC_TOOL_LASSO, _("The lasso is not selected"), error))
    return FALSE;
  if (n_points < 3)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("An outline needs at least three points"));
      return FALSE;
    }
  if (self->in_stroke)
    fidac_annotation_stroke_end (self);
  axis = fidac_fill_axis_for_normal (self->volume, normal);
  fidac_volume_patient_to_voxel (self->volume, points, voxel);
  if (!(voxel[axis] >= -0.5 && voxel[axis] < self->map->dims[axis] - 0.5))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The outline starts outside the volume"));
      return FALSE;
    }
  /* Non-negative: truncation is the nearest slice. */
  slice = (gint) (voxel[axis] + 0.5);
  if (self->classes[self->active].locked)
    return TRUE;
  /* In-slice coordinates: the two other voxel axes, in increasing order. */
  u_axis = axis == 0 ? 1 : 0;
  v_axis = axis == 2 ? 1 : 2;
  uv = g_new (gdouble, 2 * (gsize) n_points);
  for (guint p = 0; p < n_points; p++)
    {
      fidac_volume_patient_to_voxel (self->volume, points + 3 * p, voxel);
      uv[2 * p] = voxel[u_axis];
      uv[2 * p + 1] = voxel[v_axis];
    }
  draw_rule (self, normal, &rule);

  edit_open (self);
  done = fidac_fill_polygon (self->map, self->volume, axis, slice, uv, n_points,
                             FIDAC_POLYGON_NONZERO, &rule, self->undo, result, error);
  edit_end (self);
  return done;
}

gboolean
fidac_annotation_fill_between (FidacAnnotation         *self,
                               gint                     axis,
                               FidacInterpolateResult  *result,
                               GError                 **error)
{
  FidacInterpolateResult local;
  FidacFillRule rule;
  gboolean done;

  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (result == NULL)
    result = &local;
  memset (result, 0, sizeof *result);
  if (axis < 0 || axis > 2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Invalid slice axis %d"), axis);
      return FALSE;
    }
  if (!edit_begin (self, error))
    return FALSE;
  /* The brush's rule, whatever the tool held. */
  fidac_fill_rule_init (&rule, (guint8) self->active);
  rule.over = self->over;
  rule.over_label = (guint8) self->over_label;
  rule.locked = fidac_annotation_locked_mask (self);
  rule.hu_limit = self->classes[self->active].hu_limit;
  rule.hu_min = self->classes[self->active].hu_min;
  rule.hu_max = self->classes[self->active].hu_max;
  done = fidac_interpolate_slices (self->map, self->volume, axis, &rule, self->undo, result, error);
  edit_end (self);
  return done;
}

gboolean
fidac_annotation_remove_islands (FidacAnnotation  *self,
                                 gdouble           min_mm3,
                                 FidacFillResult  *result,
                                 GError          **error)
{
  FidacFillResult local;
  gboolean done;

  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (result == NULL)
    result = &local;
  memset (result, 0, sizeof *result);
  if (!(min_mm3 >= 0.0 && isfinite (min_mm3)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Invalid island size %g mm³"), min_mm3);
      return FALSE;
    }
  if (!edit_begin (self, error))
    return FALSE;
  done = fidac_fill_remove_islands (self->map, self->volume, (guint8) self->active, min_mm3, 26,
                                    FALSE, fidac_annotation_locked_mask (self), self->undo, result, error);
  edit_end (self);
  return done;
}

/* Clears the active class in one slice, or on every slice (`whole`), as one step. */
static gint64
clear_active (FidacAnnotation  *self,
              gboolean          whole,
              gint              axis,
              gint              slice,
              GError          **error)
{
  gint64 cleared;

  if (!edit_begin (self, error))
    return -1;
  if (whole)
    cleared = fidac_fill_clear_class (self->map, (guint8) self->active, fidac_annotation_locked_mask (self),
                                      self->undo, error);
  else
    cleared = fidac_fill_clear_slice (self->map, axis, slice, (guint8) self->active,
                                      fidac_annotation_locked_mask (self), self->undo, error);
  edit_end (self);
  return cleared;
}

gint64
fidac_annotation_clear_slice (FidacAnnotation  *self,
                              gint              axis,
                              gint              slice,
                              GError          **error)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  return clear_active (self, FALSE, axis, slice, error);
}

gint64
fidac_annotation_clear_class (FidacAnnotation  *self,
                              GError          **error)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  return clear_active (self, TRUE, 0, 0, error);
}
