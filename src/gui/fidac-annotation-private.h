/* fidac-annotation-private.h: the annotation session's instance structure and the helpers
 * shared by the files of the class (fidac-annotation.c: state, strokes, history, store;
 * fidac-annotation-edit.c: fills and whole-map edits).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gdk/gdk.h>

#include "fidac-annotation.h"

G_BEGIN_DECLS

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

/* The slices the last write marked dirty go to the views (texture update, ::changed). */
void     fidac_annotation_take_dirty    (FidacAnnotation *self);
/* Closes the open undo step; when it changed something: commit to the store, tell the
 * history and ::stroke-finished. */
void     fidac_annotation_close_step    (FidacAnnotation *self);
guint32  fidac_annotation_locked_mask   (FidacAnnotation *self);

G_END_DECLS
