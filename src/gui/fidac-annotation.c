/* fidac-annotation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <gdk/gdk.h>

#include "fidac-annotation.h"

#define DEFAULT_OPACITY 0.5

typedef struct {
  gboolean visible;
  gdouble  opacity;
  gboolean locked;
  gboolean hu_limit;
  gint     hu_min;
  gint     hu_max;
} ClassState;

struct _FidacAnnotation
{
  GObject          parent_instance;

  FidacVolume     *volume;         /* borrowed: see fidac_annotation_set_volume() */
  FidacLabelMap   *map;
  FidacUndo       *undo;

  FidacTool        tool;
  guint            active;
  gdouble          diameter;
  FidacBrushShape  shape;
  FidacPaintOver   over;
  guint            over_label;
  ClassState       classes[FIDAC_LABEL_MAX_CLASSES];
  FidacOverlayMode overlay_mode;

  /* The stroke in progress: its brush is fixed at the press, so that a setting changed
   * mid-stroke (a key) applies from the next one. */
  gboolean         in_stroke;
  FidacBrush       stroke_brush;
  gdouble          stroke_last[3];

  /* The texture of the map, in the context it was made in (shared with the views'), and
   * the slices changed since its last upload (-1: none). */
  FidacGLLabels   *gl_labels;
  GdkGLContext    *gl_context;
  gint             gl_k0;
  gint             gl_k1;

  FidacStore      *store;
  gint64           stored_id;       /* the annotation strokes are committed to; 0: none */

  GSimpleAction   *undo_action;
  GSimpleAction   *redo_action;
};

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

static guint32
locked_mask (FidacAnnotation *self)
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
  brush->locked = locked_mask (self);
  return TRUE;
}

static gboolean
paint (FidacAnnotation *self,
       const gdouble    a[3],
       const gdouble    b[3],
       GError         **error)
{
  gssize changed;
  gint k0 = -1, k1 = -1;

  /* The dirty flags are the views' "what changed": cleared first, read after. The store
   * does not rely on them (it gets the slices of each step from ::stroke-finished). */
  fidac_label_map_clear_dirty (self->map);
  changed = fidac_paint_segment (self->map, self->volume, &self->stroke_brush, a, b,
                                 self->undo, error);
  if (changed < 0)
    return FALSE;
  if (changed > 0 && fidac_label_map_get_dirty (self->map, &k0, &k1))
    {
      fidac_label_map_clear_dirty (self->map);
      labels_changed (self, k0, k1);
      emit_changed (self, FIDAC_ANNOTATION_CHANGED_LABELS, k0, k1);
    }
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
  gint k0 = -1, k1 = -1;

  g_return_if_fail (FIDAC_IS_ANNOTATION (self));

  if (!self->in_stroke)
    return;
  self->in_stroke = FALSE;
  if (fidac_undo_end (self->undo, &k0, &k1))
    {
      commit (self, k0, k1);
      emit_changed (self, FIDAC_ANNOTATION_CHANGED_HISTORY, -1, -1);
      g_signal_emit (self, signals[SIGNAL_STROKE_FINISHED], 0, k0, k1);
    }
}

/* After a fill wrote the map within an open step: the views, the history, the store. */
static void
edit_end (FidacAnnotation *self)
{
  gint k0 = -1, k1 = -1;

  if (fidac_label_map_get_dirty (self->map, &k0, &k1))
    {
      fidac_label_map_clear_dirty (self->map);
      labels_changed (self, k0, k1);
      emit_changed (self, FIDAC_ANNOTATION_CHANGED_LABELS, k0, k1);
    }
  if (fidac_undo_end (self->undo, &k0, &k1))
    {
      commit (self, k0, k1);
      emit_changed (self, FIDAC_ANNOTATION_CHANGED_HISTORY, -1, -1);
      g_signal_emit (self, signals[SIGNAL_STROKE_FINISHED], 0, k0, k1);
    }
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
  rule.locked = locked_mask (self);
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
                                    FALSE, locked_mask (self), self->undo, result, error);
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
    cleared = fidac_fill_clear_class (self->map, (guint8) self->active, locked_mask (self),
                                      self->undo, error);
  else
    cleared = fidac_fill_clear_slice (self->map, axis, slice, (guint8) self->active,
                                      locked_mask (self), self->undo, error);
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
