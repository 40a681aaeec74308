/* fidac-annotation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "fidac-annotation-private.h"

#define DEFAULT_OPACITY 0.5

G_DEFINE_FINAL_TYPE (FidacAnnotation, fidac_annotation, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  SIGNAL_STROKE_FINISHED,
  SIGNAL_SAVE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
valid_class (guint id)
{
  return fidac_lesion_get (id) != NULL;
}

static void
update_actions (FidacAnnotation *self)
{
  if (self->undo_action != NULL)
    g_simple_action_set_enabled (self->undo_action, fidac_annotation_can_undo (self));
  if (self->redo_action != NULL)
    g_simple_action_set_enabled (self->redo_action, fidac_annotation_can_redo (self));
}

static void
emit_changed (FidacAnnotation *self,
              guint            changes,
              gint             k0,
              gint             k1)
{
  if (changes & FIDAC_ANNOTATION_CHANGED_HISTORY)
    update_actions (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, changes, k0, k1);
}

static void
drop_gl_labels (FidacAnnotation *self)
{
  if (self->gl_labels != NULL && self->gl_context != NULL)
    {
      GdkGLContext *previous = gdk_gl_context_get_current ();

      gdk_gl_context_make_current (self->gl_context);
      fidac_gl_labels_release (self->gl_labels);
      if (previous != NULL && previous != self->gl_context)
        gdk_gl_context_make_current (previous);
    }
  g_clear_pointer (&self->gl_labels, fidac_gl_labels_unref);
  g_clear_object (&self->gl_context);
  self->gl_k0 = self->gl_k1 = -1;
}

static void
labels_changed (FidacAnnotation *self,
                gint             k0,
                gint             k1)
{
  if (k0 < 0)
    return;
  self->gl_k0 = self->gl_k0 < 0 ? k0 : MIN (self->gl_k0, k0);
  self->gl_k1 = MAX (self->gl_k1, k1);
}

static void
drop_map (FidacAnnotation *self)
{
  drop_gl_labels (self);
  self->stored_id = 0;
  self->in_stroke = FALSE;
  g_clear_pointer (&self->undo, fidac_undo_free);
  g_clear_pointer (&self->map, fidac_label_map_unref);
  self->volume = NULL;
}

static void
fidac_annotation_dispose (GObject *object)
{
  FidacAnnotation *self = FIDAC_ANNOTATION (object);

  drop_gl_labels (self);
  g_clear_object (&self->undo_action);
  g_clear_object (&self->redo_action);
  G_OBJECT_CLASS (fidac_annotation_parent_class)->dispose (object);
}

static void
fidac_annotation_finalize (GObject *object)
{
  drop_map (FIDAC_ANNOTATION (object));
  g_clear_pointer (&FIDAC_ANNOTATION (object)->store, fidac_store_close);
  G_OBJECT_CLASS (fidac_annotation_parent_class)->finalize (object);
}

static void
fidac_annotation_class_init (FidacAnnotationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fidac_annotation_dispose;
  object_class->finalize = fidac_annotation_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_INT, G_TYPE_INT);
  signals[SIGNAL_STROKE_FINISHED] =
    g_signal_new ("stroke-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);
  signals[SIGNAL_SAVE_FAILED] =
    g_signal_new ("save-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
fidac_annotation_init (FidacAnnotation *self)
{
  self->tool = FIDAC_TOOL_NAVIGATE;
  self->active = FIDAC_LESION_GROUND_GLASS;
  self->diameter = 10.0;
  self->shape = FIDAC_BRUSH_DISC;
  self->over = FIDAC_PAINT_OVER_EMPTY;
  self->gl_k0 = self->gl_k1 = -1;
  for (guint id = 0; id < FIDAC_LABEL_MAX_CLASSES; id++)
    {
      const FidacLesionClass *lesion = fidac_lesion_get (id);

      self->classes[id] = (ClassState) {
        .visible = TRUE,
        .opacity = DEFAULT_OPACITY,
        .locked = FALSE,
        .hu_limit = FALSE,
        .hu_min = lesion != NULL ? lesion->hu_min : -1024,
        .hu_max = lesion != NULL ? lesion->hu_max : 3071,
      };
    }
}

FidacAnnotation *
fidac_annotation_new (void)
{
  return g_object_new (FIDAC_TYPE_ANNOTATION, NULL);
}

gboolean
fidac_annotation_set_volume (FidacAnnotation  *self,
                             FidacVolume      *volume,
                             GError          **error)
{
  FidacLabelMap *map = NULL;

  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (volume != NULL && volume == self->volume)
    return TRUE;
  if (volume != NULL)
    map = fidac_label_map_new (volume, error);
  drop_map (self);
  if (map != NULL)
    {
      self->volume = volume;
      self->map = map;
      self->undo = fidac_undo_new (map, FIDAC_UNDO_DEFAULT_STEPS, FIDAC_UNDO_DEFAULT_BYTES);
    }
  emit_changed (self, FIDAC_ANNOTATION_CHANGED_MAP | FIDAC_ANNOTATION_CHANGED_HISTORY |
                FIDAC_ANNOTATION_CHANGED_LABELS, 0, self->map != NULL ? self->map->dims[2] - 1 : -1);
  return volume == NULL || map != NULL;
}

FidacVolume *
fidac_annotation_get_volume (FidacAnnotation *self)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), NULL);
  return self->volume;
}

FidacLabelMap *
fidac_annotation_get_map (FidacAnnotation *self)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), NULL);
  return self->map;
}

FidacTool
fidac_annotation_get_tool (FidacAnnotation *self)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FIDAC_TOOL_NAVIGATE);
  return self->tool;
}

void
fidac_annotation_set_tool (FidacAnnotation *self,
                           FidacTool        tool)
{
  g_return_if_fail (FIDAC_IS_ANNOTATION (self));
  g_return_if_fail (tool >= FIDAC_TOOL_NAVIGATE && tool <= FIDAC_TOOL_LASSO);

  if (self->tool == tool)
    return;
  self->tool = tool;
  emit_changed (self, FIDAC_ANNOTATION_CHANGED_SETTINGS, -1, -1);
}

guint
fidac_annotation_get_class (FidacAnnotation *self)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FIDAC_LESION_GROUND_GLASS);
  return self->active;
}

void
fidac_annotation_set_class (FidacAnnotation *self,
                            guint            id)
{
  g_return_if_fail (FIDAC_IS_ANNOTATION (self));
  g_return_if_fail (valid_class (id));

  if (self->active == id)
    return;
  self->active = id;
  emit_changed (self, FIDAC_ANNOTATION_CHANGED_SETTINGS, -1, -1);
}

gdouble
fidac_annotation_get_diameter (FidacAnnotation *self)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), 0.0);
  return self->diameter;
}

void
fidac_annotation_set_diameter (FidacAnnotation *self,
                               gdouble          mm)
{
  g_return_if_fail (FIDAC_IS_ANNOTATION (self));
  g_return_if_fail (isfinite (mm));

  mm = CLAMP (mm, FIDAC_ANNOTATION_DIAMETER_MIN, FIDAC_ANNOTATION_DIAMETER_MAX);
  if (self->diameter == mm)
    return;
  self->diameter = mm;
  emit_changed (self, FIDAC_ANNOTATION_CHANGED_SETTINGS, -1, -1);
}

FidacBrushShape
fidac_annotation_get_shape (FidacAnnotation *self)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FIDAC_BRUSH_DISC);
  return self->shape;
}

void
fidac_annotation_set_shape (FidacAnnotation *self,
                            FidacBrushShape  shape)
{
  g_return_if_fail (FIDAC_IS_ANNOTATION (self));
  g_return_if_fail (shape == FIDAC_BRUSH_DISC || shape == FIDAC_BRUSH_SPHERE);

  if (self->shape == shape)
    return;
  self->shape = shape;
  emit_changed (self, FIDAC_ANNOTATION_CHANGED_SETTINGS, -1, -1);
}

FidacPaintOver
fidac_annotation_get_paint_over (FidacAnnotation *self,
                                 guint           *over_label)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FIDAC_PAINT_OVER_EMPTY);
  if (over_label != NULL)
    *over_label = self->over == FIDAC_PAINT_OVER_CLASS ? self->over_label : 0;
  return self->over;
}

void
fidac_annotation_set_paint_over (FidacAnnotation *self,
                                 FidacPaintOver   over,
                                 guint            over_label)
{
  g_return_if_fail (FIDAC_IS_ANNOTATION (self));
  g_return_if_fail (over == FIDAC_PAINT_OVER_EMPTY || over == FIDAC_PAINT_OVER_ALL ||
                    over == FIDAC_PAINT_OVER_CLASS);
  g_return_if_fail (over != FIDAC_PAINT_OVER_CLASS || valid_class (over_label));

  if (over != FIDAC_PAINT_OVER_CLASS)
    over_label = 0;
  if (self->over == over && self->over_label == over_label)
    return;
  self->over = over;
  self->over_label = over_label;
  emit_changed (self, FIDAC_ANNOTATION_CHANGED_SETTINGS, -1, -1);
}

gboolean
fidac_annotation_get_hu_limit (FidacAnnotation *self,
                               gint            *hu_min,
                               gint            *hu_max)
{
  const ClassState *c;

  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FALSE);
  c = &self->classes[self->active];
  if (hu_min != NULL)
    *hu_min = c->hu_min;
  if (hu_max != NULL)
    *hu_max = c->hu_max;
  return c->hu_limit;
}

void
fidac_annotation_set_hu_limit (FidacAnnotation *self,
                               gboolean         enabled,
                               gint             hu_min,
                               gint             hu_max)
{
  ClassState *c;

  g_return_if_fail (FIDAC_IS_ANNOTATION (self));
  g_return_if_fail (hu_min <= hu_max);

  c = &self->classes[self->active];
  if (c->hu_limit == !!enabled && c->hu_min == hu_min && c->hu_max == hu_max)
    return;
  c->hu_limit = !!enabled;
  c->hu_min = hu_min;
  c->hu_max = hu_max;
  emit_changed (self, FIDAC_ANNOTATION_CHANGED_SETTINGS, -1, -1);
}

/* Visibility and lock: display settings of one class, redrawn but never stored. */
static void
set_class_flag (FidacAnnotation *self,
                gboolean        *flag,
                gboolean         value)
{
  if (*flag == !!value)
    return;
  *flag = !!value;
  emit_changed (self, FIDAC_ANNOTATION_CHANGED_DISPLAY, -1, -1);
}

gboolean
fidac_annotation_get_visible (FidacAnnotation *self,
                              guint            id)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FALSE);
  g_return_val_if_fail (id < FIDAC_LABEL_MAX_CLASSES, FALSE);
  return self->classes[id].visible;
}

void
fidac_annotation_set_visible (FidacAnnotation *self,
                              guint            id,
                              gboolean         visible)
{
  g_return_if_fail (FIDAC_IS_ANNOTATION (self));
  g_return_if_fail (valid_class (id));

  set_class_flag (self, &self->classes[id].visible, visible);
}

gdouble
fidac_annotation_get_opacity (FidacAnnotation *self,
                              guint            id)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), 0.0);
  g_return_val_if_fail (id < FIDAC_LABEL_MAX_CLASSES, 0.0);
  return self->classes[id].opacity;
}

void
fidac_annotation_set_opacity (FidacAnnotation *self,
                              guint            id,
                              gdouble          opacity)
{
  g_return_if_fail (FIDAC_IS_ANNOTATION (self));
  g_return_if_fail (valid_class (id));
  g_return_if_fail (opacity >= 0.0 && opacity <= 1.0);

  if (self->classes[id].opacity == opacity)
    return;
  self->classes[id].opacity = opacity;
  emit_changed (self, FIDAC_ANNOTATION_CHANGED_DISPLAY, -1, -1);
}

gboolean
fidac_annotation_get_locked (FidacAnnotation *self,
                             guint            id)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FALSE);
  g_return_val_if_fail (id < FIDAC_LABEL_MAX_CLASSES, FALSE);
  return self->classes[id].locked;
}

void
fidac_annotation_set_locked (FidacAnnotation *self,
                             guint            id,
                             gboolean         locked)
{
  g_return_if_fail (FIDAC_IS_ANNOTATION (self));
  g_return_if_fail (valid_class (id));

  set_class_flag (self, &self->classes[id].locked, locked);
}

FidacOverlayMode
fidac_annotation_get_overlay_mode (FidacAnnotation *self)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FIDAC_OVERLAY_FILLED);
  return self->overlay_mode;
}

void
fidac_annotation_set_overlay_mode (FidacAnnotation  *self,
                                   FidacOverlayMode  mode)
{
  g_return_if_fail (FIDAC_IS_ANNOTATION (self));
  g_return_if_fail (mode == FIDAC_OVERLAY_FILLED || mode == FIDAC_OVERLAY_OUTLINE);

  if (self->overlay_mode == mode)
    return;
  self->overlay_mode = mode;
  emit_changed (self, FIDAC_ANNOTATION_CHANGED_DISPLAY, -1, -1);
}

guint32
fidac_annotation_locked_mask (FidacAnnotation *self)
{
  guint32 locked = 0;

  for (guint id = 1; id < FIDAC_LABEL_MAX_CLASSES; id++)
    if (self->classes[id].locked)
      locked |= 1u << id;
  return locked;
}

gboolean
fidac_annotation_get_brush (FidacAnnotation *self,
                            const gdouble    normal[3],
                            FidacBrush      *brush)
{
  const ClassState *c;

  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FALSE);
  g_return_val_if_fail (normal != NULL && brush != NULL, FALSE);

  fidac_brush_init (brush);
  if (self->tool == FIDAC_TOOL_NAVIGATE)
    return FALSE;
  c = &self->classes[self->active];
  brush->mode = self->tool == FIDAC_TOOL_ERASER ? FIDAC_PAINT_ERASE_ALL : FIDAC_PAINT_DRAW;
  brush->label = (guint8) self->active;
  brush->shape = self->shape;
  brush->diameter = self->diameter;
  for (gint r = 0; r < 3; r++)
    brush->normal[r] = normal[r];
  brush->hu_limit = c->hu_limit;
  brush->hu_min = c->hu_min;
  brush->hu_max = c->hu_max;
  brush->over = self->over;
  brush->over_label = (guint8) self->over_label;
  brush->locked = fidac_annotation_locked_mask (self);
  return TRUE;
}

static gboolean
paint (FidacAnnotation *self,
       const gdouble    a[3],
       const gdouble    b[3],
       GError         **error)
{
  gssize changed;

  /* The dirty flags are the views' "what changed": cleared first, read after. The store
   * does not rely on them (it gets the slices of each step from ::stroke-finished). */
  fidac_label_map_clear_dirty (self->map);
  changed = fidac_paint_segment (self->map, self->volume, &self->stroke_brush, a, b,
                                 self->undo, error);
  if (changed < 0)
    return FALSE;
  if (changed > 0)
    fidac_annotation_take_dirty (self);
  return TRUE;
}

/* The commit of one step: slices k0..k1, one transaction. */
static void
commit (FidacAnnotation *self,
        gint             k0,
        gint             k1)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *flags = NULL;
  gint64 start;

  if (self->store == NULL || self->stored_id == 0 || k0 < 0)
    return;
  start = g_get_monotonic_time ();

  flags = g_malloc0 (self->map->dims[2]);
  for (gint k = MAX (k0, 0); k <= MIN (k1, self->map->dims[2] - 1); k++)
    flags[k] = 1;
  if (fidac_store_save_slices (self->store, self->stored_id, self->map, flags, &error))
    g_debug ("committed slices %d..%d in %.1f ms", k0, k1,
             (g_get_monotonic_time () - start) / 1000.0);
  else
    {
      g_warning (_("The last stroke could not be saved: %s"), error->message);
      g_signal_emit (self, signals[SIGNAL_SAVE_FAILED], 0, error->message);
    }
}

gboolean
fidac_annotation_stroke_begin (FidacAnnotation  *self,
                               const gdouble     normal[3],
                               const gdouble     point[3],
                               GError          **error)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FALSE);
  g_return_val_if_fail (normal != NULL && point != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->in_stroke)
    fidac_annotation_stroke_end (self);
  if (self->map == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("There is no case to annotate"));
      return FALSE;
    }
  if (!fidac_annotation_get_brush (self, normal, &self->stroke_brush))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("No paint tool is selected"));
      return FALSE;
    }
  if (!fidac_brush_validate (&self->stroke_brush, error))
    return FALSE;

  fidac_undo_begin (self->undo);
  self->in_stroke = TRUE;
  for (gint r = 0; r < 3; r++)
    self->stroke_last[r] = point[r];
  if (!paint (self, point, point, error))
    {
      fidac_annotation_stroke_end (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
fidac_annotation_stroke_move_to (FidacAnnotation  *self,
                                 const gdouble     point[3],
                                 GError          **error)
{
  gdouble a[3];

  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FALSE);
  g_return_val_if_fail (point != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->in_stroke)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("No stroke is in progress"));
      return FALSE;
    }
  if (point[0] == self->stroke_last[0] && point[1] == self->stroke_last[1] &&
      point[2] == self->stroke_last[2])
    return TRUE;
  for (gint r = 0; r < 3; r++)
    {
      a[r] = self->stroke_last[r];
      self->stroke_last[r] = point[r];
    }
  return paint (self, a, point, error);
}

void
fidac_annotation_stroke_end (FidacAnnotation *self)
{
  g_return_if_fail (FIDAC_IS_ANNOTATION (self));

  if (!self->in_stroke)
    return;
  self->in_stroke = FALSE;
  fidac_annotation_close_step (self);
}

void
fidac_annotation_take_dirty (FidacAnnotation *self)
{
  gint k0 = -1, k1 = -1;

  if (!fidac_label_map_get_dirty (self->map, &k0, &k1))
    return;
  fidac_label_map_clear_dirty (self->map);
  labels_changed (self, k0, k1);
  emit_changed (self, FIDAC_ANNOTATION_CHANGED_LABELS, k0, k1);
}

void
fidac_annotation_close_step (FidacAnnotation *self)
{
  gint k0 = -1, k1 = -1;

  if (!fidac_undo_end (self->undo, &k0, &k1))
    return;
  commit (self, k0, k1);
  emit_changed (self, FIDAC_ANNOTATION_CHANGED_HISTORY, -1, -1);
  g_signal_emit (self, signals[SIGNAL_STROKE_FINISHED], 0, k0, k1);
}

gboolean
fidac_annotation_in_stroke (FidacAnnotation *self)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FALSE);
  return self->in_stroke;
}

gboolean
fidac_annotation_can_undo (FidacAnnotation *self)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FALSE);
  return self->undo != NULL && !self->in_stroke && fidac_undo_n_undo (self->undo) > 0;
}

gboolean
fidac_annotation_can_redo (FidacAnnotation *self)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FALSE);
  return self->undo != NULL && !self->in_stroke && fidac_undo_n_redo (self->undo) > 0;
}

static gboolean
step (FidacAnnotation *self,
      gboolean         redo)
{
  gint k0 = -1, k1 = -1;
  gboolean done;

  if (self->undo == NULL || self->in_stroke)
    return FALSE;
  done = redo ? fidac_undo_redo (self->undo, &k0, &k1) : fidac_undo_undo (self->undo, &k0, &k1);
  if (!done)
    return FALSE;
  fidac_label_map_clear_dirty (self->map);
  labels_changed (self, k0, k1);
  commit (self, k0, k1);
  emit_changed (self, FIDAC_ANNOTATION_CHANGED_LABELS | FIDAC_ANNOTATION_CHANGED_HISTORY, k0, k1);
  if (k0 >= 0)
    g_signal_emit (self, signals[SIGNAL_STROKE_FINISHED], 0, k0, k1);
  return TRUE;
}

gboolean
fidac_annotation_undo (FidacAnnotation *self)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FALSE);
  return step (self, FALSE);
}

gboolean
fidac_annotation_redo (FidacAnnotation *self)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FALSE);
  return step (self, TRUE);
}

guint
fidac_annotation_get_n_undo (FidacAnnotation *self)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), 0);
  return self->undo != NULL ? fidac_undo_n_undo (self->undo) : 0;
}

guint
fidac_annotation_get_n_redo (FidacAnnotation *self)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), 0);
  return self->undo != NULL ? fidac_undo_n_redo (self->undo) : 0;
}

guint64
fidac_annotation_count (FidacAnnotation *self,
                        guint            id)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), 0);
  g_return_val_if_fail (id < FIDAC_LABEL_MAX_CLASSES, 0);
  return self->map != NULL ? fidac_label_map_count (self->map, (guint8) id) : 0;
}

gdouble
fidac_annotation_volume_ml (FidacAnnotation *self,
                            guint            id)
{
  const gdouble *s;

  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), 0.0);
  if (self->volume == NULL)
    return 0.0;
  s = self->volume->spacing;
  /* mm³ to mL */
  return (gdouble) fidac_annotation_count (self, id) * s[0] * s[1] * s[2] / 1000.0;
}

gboolean
fidac_annotation_has_labels (FidacAnnotation *self)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FALSE);

  if (self->map == NULL)
    return FALSE;
  for (guint id = 1; id < FIDAC_LABEL_MAX_CLASSES; id++)
    if (fidac_label_map_count (self->map, (guint8) id) > 0)
      return TRUE;
  return FALSE;
}

FidacGLLabels *
fidac_annotation_ensure_gl_labels (FidacAnnotation  *self,
                                   GError          **error)
{
  GdkGLContext *current;

  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->map == NULL)
    {
      g_set_error_literal (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                           _("There is no case to annotate"));
      return NULL;
    }
  if (self->gl_labels != NULL)
    {
      if (self->gl_k0 >= 0)
        {
          if (!fidac_gl_labels_update (self->gl_labels, self->map, self->gl_k0, self->gl_k1, error))
            return NULL;
          self->gl_k0 = self->gl_k1 = -1;
        }
      return self->gl_labels;
    }
  current = gdk_gl_context_get_current ();
  if (current == NULL)
    {
      g_set_error_literal (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                           _("No OpenGL context is current"));
      return NULL;
    }
  self->gl_labels = fidac_gl_labels_new (self->volume, self->map, error);
  if (self->gl_labels == NULL)
    return NULL;
  self->gl_context = g_object_ref (current);
  self->gl_k0 = self->gl_k1 = -1;
  return self->gl_labels;
}

void
fidac_annotation_set_store (FidacAnnotation *self,
                            FidacStore      *store)
{
  g_return_if_fail (FIDAC_IS_ANNOTATION (self));

  if (store == self->store)
    return;
  g_clear_pointer (&self->store, fidac_store_close);
  self->store = store;
  self->stored_id = 0;
}

FidacStore *
fidac_annotation_get_store (FidacAnnotation *self)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), NULL);
  return self->store;
}

gboolean
fidac_annotation_load_stored (FidacAnnotation    *self,
                              const FidacReader  *reader,
                              GError            **error)
{
  FidacStoreCase *store_case;
  FidacStoreAnnotation *stored = NULL;
  gboolean put;

  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), FALSE);
  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->store == NULL || self->map == NULL)
    {
      g_set_error_literal (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_INVALID,
                           _("There is no case to annotate"));
      return FALSE;
    }
  if (self->in_stroke)
    fidac_annotation_stroke_end (self);
  self->stored_id = 0;
  store_case = fidac_store_case_new_from_volume (self->volume, NULL);
  put = fidac_store_put_case (self->store, store_case, error);
  if (put)
    stored = fidac_store_get_annotation (self->store, store_case->series_uid, reader, TRUE, error);
  fidac_store_case_free (store_case);
  if (!put || stored == NULL)
    return FALSE;
  if (!fidac_store_load_labels (self->store, stored->id, self->map, error))
    {
      fidac_store_annotation_free (stored);
      return FALSE;
    }
  self->stored_id = stored->id;
  fidac_store_annotation_free (stored);
  /* What is on screen is what is stored: nothing to undo into a state never saved. */
  fidac_label_map_clear_dirty (self->map);
  fidac_undo_clear (self->undo);
  labels_changed (self, 0, self->map->dims[2] - 1);
  emit_changed (self, FIDAC_ANNOTATION_CHANGED_LABELS | FIDAC_ANNOTATION_CHANGED_HISTORY,
                0, self->map->dims[2] - 1);
  return TRUE;
}

gint64
fidac_annotation_get_stored_id (FidacAnnotation *self)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (self), 0);
  return self->stored_id;
}

static void
undo_activate (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       data)
{
  fidac_annotation_undo (FIDAC_ANNOTATION (data));
}

static void
redo_activate (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       data)
{
  fidac_annotation_redo (FIDAC_ANNOTATION (data));
}

void
fidac_annotation_add_actions (FidacAnnotation *self,
                              GActionMap      *map)
{
  g_return_if_fail (FIDAC_IS_ANNOTATION (self));
  g_return_if_fail (G_IS_ACTION_MAP (map));
  g_return_if_fail (self->undo_action == NULL);

  self->undo_action = g_simple_action_new ("undo", NULL);
  g_signal_connect_object (self->undo_action, "activate", G_CALLBACK (undo_activate), self, 0);
  g_action_map_add_action (map, G_ACTION (self->undo_action));
  self->redo_action = g_simple_action_new ("redo", NULL);
  g_signal_connect_object (self->redo_action, "activate", G_CALLBACK (redo_activate), self, 0);
  g_action_map_add_action (map, G_ACTION (self->redo_action));
  update_actions (self);
}
