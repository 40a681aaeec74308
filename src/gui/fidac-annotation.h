/* fidac-annotation.h: the annotation session of one window, on the GUI side.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Holds the label map of the case shown with its undo history, the tool the reader holds
 * (none: navigation, the default; brush; eraser), the active class, the brush settings and
 * per class visibility, opacity and lock. The views paint through the stroke functions (one
 * stroke, press to release, is one undo step) and redraw on ::changed; the lesion panel
 * edits the settings and shows the volumes. Every change goes through these functions so
 * that views, panel and actions stay in step.
 */
#pragma once

#include <gio/gio.h>

#include "fidac-fill.h"
#include "fidac-interpolate.h"
#include "fidac-label-map.h"
#include "fidac-label-reslice.h"
#include "fidac-lesion.h"
#include "fidac-paint.h"
#include "fidac-render.h"
#include "fidac-store.h"
#include "fidac-undo.h"
#include "fidac-volume.h"

G_BEGIN_DECLS

typedef enum {
  FIDAC_TOOL_NAVIGATE,          /* left drag moves the crosshair */
  FIDAC_TOOL_BRUSH,
  FIDAC_TOOL_ERASER,            /* clears every unlocked class under the footprint */
  FIDAC_TOOL_FILL,              /* a click grows a region (2D with the disc, 3D with the sphere) */
  FIDAC_TOOL_LASSO,             /* a drag draws a closed outline, filled on release */
} FidacTool;

typedef enum {
  FIDAC_ANNOTATION_CHANGED_LABELS   = 1 << 0,  /* voxels of slices k0..k1 */
  FIDAC_ANNOTATION_CHANGED_MAP      = 1 << 1,  /* a new map (new case, or none) */
  FIDAC_ANNOTATION_CHANGED_SETTINGS = 1 << 2,  /* tool, class, brush */
  FIDAC_ANNOTATION_CHANGED_DISPLAY  = 1 << 3,  /* visibility, opacity, lock */
  FIDAC_ANNOTATION_CHANGED_HISTORY  = 1 << 4,  /* what undo and redo can do */
} FidacAnnotationChange;

/* Brush sizes the reader may choose (mm), and the step of Shift+wheel, [ and ]. */
#define FIDAC_ANNOTATION_DIAMETER_MIN 1.0
#define FIDAC_ANNOTATION_DIAMETER_MAX 100.0
#define FIDAC_ANNOTATION_DIAMETER_STEP 1.0

/* Region growing from a click: HU within the seed's ± this tolerance (unless the HU limit
 * gives the range), and bounded, so that a leak into the whole lung stops there and is
 * undone at once. */
#define FIDAC_ANNOTATION_FILL_TOLERANCE_HU 100
#define FIDAC_ANNOTATION_FILL_MAX_ML 500.0

/* Signals:
 *   ::changed (guint changes, gint k0, gint k1)  changes a mask of FidacAnnotationChange;
 *     k0..k1 the slices whose voxels changed with FIDAC_ANNOTATION_CHANGED_LABELS, else -1.
 *   ::stroke-finished (gint k0, gint k1)  a stroke (or an undo, a redo) ended having changed
 *     slices k0..k1: what a store commits.
 *   ::save-failed (const gchar *message)  a commit to the store failed: the reader must know
 *     that the work on screen is not saved.
 */

#define FIDAC_TYPE_ANNOTATION (fidac_annotation_get_type ())

G_DECLARE_FINAL_TYPE (FidacAnnotation, fidac_annotation, FIDAC, ANNOTATION, GObject)

FidacAnnotation *fidac_annotation_new             (void);

/* A new empty label map on `volume`'s grid (NULL: none), a new history; the settings stay.
 * FALSE with an error when the map cannot be allocated (then there is no map). The volume
 * is borrowed, not referenced (the viewer's references are the ones its tests count): the
 * caller keeps it alive until it sets another one or NULL. */
gboolean         fidac_annotation_set_volume      (FidacAnnotation *self,
                                                   FidacVolume     *volume,
                                                   GError         **error);
FidacVolume     *fidac_annotation_get_volume      (FidacAnnotation *self);
/* NULL without a volume. Read it; write it only through the stroke and history functions. */
FidacLabelMap   *fidac_annotation_get_map         (FidacAnnotation *self);

FidacTool        fidac_annotation_get_tool        (FidacAnnotation *self);
void             fidac_annotation_set_tool        (FidacAnnotation *self,
                                                   FidacTool        tool);
/* A catalog id, 1 .. FIDAC_LESION_N_CLASSES. */
guint            fidac_annotation_get_class       (FidacAnnotation *self);
void             fidac_annotation_set_class       (FidacAnnotation *self,
                                                   guint            id);

gdouble          fidac_annotation_get_diameter    (FidacAnnotation *self);
/* Clamped to FIDAC_ANNOTATION_DIAMETER_MIN..MAX. */
void             fidac_annotation_set_diameter    (FidacAnnotation *self,
                                                   gdouble          mm);
FidacBrushShape  fidac_annotation_get_shape       (FidacAnnotation *self);
void             fidac_annotation_set_shape       (FidacAnnotation *self,
                                                   FidacBrushShape  shape);
/* The paint-over rule; with FIDAC_PAINT_OVER_CLASS, `over_label` names the class painted
 * over (a catalog id), else it is ignored (and read back 0). */
FidacPaintOver   fidac_annotation_get_paint_over  (FidacAnnotation *self,
                                                   guint           *over_label);
void             fidac_annotation_set_paint_over  (FidacAnnotation *self,
                                                   FidacPaintOver   over,
                                                   guint            over_label);
/* The HU limit of the active class: on or off and its range, the catalog's suggested
 * range until the reader types another (kept per class). */
gboolean         fidac_annotation_get_hu_limit    (FidacAnnotation *self,
                                                   gint            *hu_min,
                                                   gint            *hu_max);
void             fidac_annotation_set_hu_limit    (FidacAnnotation *self,
                                                   gboolean         enabled,
                                                   gint             hu_min,
                                                   gint             hu_max);

gboolean         fidac_annotation_get_visible     (FidacAnnotation *self,
                                                   guint            id);
void             fidac_annotation_set_visible     (FidacAnnotation *self,
                                                   guint            id,
                                                   gboolean         visible);
/* 0 .. 1. */
gdouble          fidac_annotation_get_opacity     (FidacAnnotation *self,
                                                   guint            id);
void             fidac_annotation_set_opacity     (FidacAnnotation *self,
                                                   guint            id,
                                                   gdouble          opacity);
gboolean         fidac_annotation_get_locked      (FidacAnnotation *self,
                                                   guint            id);
void             fidac_annotation_set_locked      (FidacAnnotation *self,
                                                   guint            id,
                                                   gboolean         locked);

/* How the views draw the labels: filled (the default) or outlines only, with each class's
 * opacity either way. */
FidacOverlayMode fidac_annotation_get_overlay_mode (FidacAnnotation *self);
void             fidac_annotation_set_overlay_mode (FidacAnnotation *self,
                                                    FidacOverlayMode mode);

/* The brush a stroke uses now (tool, class, settings, locks), with the disc in the plane of
 * unit normal `normal`. FALSE in navigation mode. */
gboolean         fidac_annotation_get_brush       (FidacAnnotation *self,
                                                   const gdouble    normal[3],
                                                   FidacBrush      *brush);

/* A stroke: begin paints a dab at `point` (patient mm) in the plane of normal `normal`,
 * each move_to the segment from the last point, end closes the undo step. FALSE with an
 * error (nothing changed) in navigation mode, without a map, or with an invalid brush. */
gboolean         fidac_annotation_stroke_begin    (FidacAnnotation *self,
                                                   const gdouble    normal[3],
                                                   const gdouble    point[3],
                                                   GError         **error);
gboolean         fidac_annotation_stroke_move_to  (FidacAnnotation *self,
                                                   const gdouble    point[3],
                                                   GError         **error);
void             fidac_annotation_stroke_end      (FidacAnnotation *self);
gboolean         fidac_annotation_in_stroke       (FidacAnnotation *self);

/* The lasso's outline, `n_points` patient points (x, y, z each) drawn in a view of plane
 * normal `normal`: the voxels of the slice of the first point (fidac_fill_axis_for_normal())
 * whose centres lie inside the closed outline (nonzero winding: a loop over itself stays
 * full) take the active class, under the paint-over rule, locks and HU limit; one undo step,
 * committed at once. With the active class locked nothing is written (TRUE). FALSE with an
 * error for fewer than 3 points, a first point outside the volume, or another tool. */
gboolean         fidac_annotation_fill_lasso      (FidacAnnotation *self,
                                                   const gdouble    normal[3],
                                                   const gdouble   *points,
                                                   guint            n_points,
                                                   FidacFillResult *result,
                                                   GError         **error);

/* The fill tool's click at `point` (patient mm) in a view of plane normal `normal`: region
 * growing from the nearest voxel, in that view's slice with the disc shape, in 3D with the
 * sphere; the HU range is the HU limit when on, else the seed's HU ±
 * FIDAC_ANNOTATION_FILL_TOLERANCE_HU; paint-over rule and locks as the brush's; one undo
 * step, committed at once; bounded to FIDAC_ANNOTATION_FILL_MAX_ML. `result` (may be NULL)
 * receives what it reached and changed. With the active class locked nothing is written
 * (TRUE). FALSE with an error outside the volume or with another tool. */
gboolean         fidac_annotation_fill            (FidacAnnotation *self,
                                                   const gdouble    normal[3],
                                                   const gdouble    point[3],
                                                   FidacFillResult *result,
                                                   GError         **error);

/* Edits of the whole map by the active class, each one undo step committed at once like a
 * stroke, whatever the tool; locks apply (core refuses a locked active class with an error).
 *
 * fill_between: fidac_interpolate_slices() of the active class along voxel axis `axis`
 * (fidac_fill_axis_for_normal() of the view), with the paint-over rule and HU limit of the
 * brush. remove_islands: fidac_fill_remove_islands() of the active class, 26-connected,
 * components under `min_mm3`. clear_slice: the active class in slice `slice` of `axis`;
 * clear_class: the active class everywhere; both return the voxels cleared, -1 with an
 * error. */
gboolean         fidac_annotation_fill_between    (FidacAnnotation        *self,
                                                   gint                    axis,
                                                   FidacInterpolateResult *result,
                                                   GError                **error);
gboolean         fidac_annotation_remove_islands  (FidacAnnotation        *self,
                                                   gdouble                 min_mm3,
                                                   FidacFillResult        *result,
                                                   GError                **error);
gint64           fidac_annotation_clear_slice     (FidacAnnotation        *self,
                                                   gint                    axis,
                                                   gint                    slice,
                                                   GError                **error);
gint64           fidac_annotation_clear_class     (FidacAnnotation        *self,
                                                   GError                **error);

gboolean         fidac_annotation_can_undo        (FidacAnnotation *self);
gboolean         fidac_annotation_can_redo        (FidacAnnotation *self);
gboolean         fidac_annotation_undo            (FidacAnnotation *self);
/* Steps that undo (redo) can take. */
guint            fidac_annotation_get_n_undo      (FidacAnnotation *self);
guint            fidac_annotation_get_n_redo      (FidacAnnotation *self);
gboolean         fidac_annotation_redo            (FidacAnnotation *self);

/* Voxels of class `id` and their volume in mL (voxel count x voxel volume). */
guint64          fidac_annotation_count           (FidacAnnotation *self,
                                                   guint            id);
gdouble          fidac_annotation_volume_ml       (FidacAnnotation *self,
                                                   guint            id);

/* Whether any voxel holds a class (the views skip the overlay otherwise). */
gboolean         fidac_annotation_has_labels      (FidacAnnotation *self);

/* The label map's texture, shared by the views: made on first use in the current context
 * (which shares with every view's), then brought up to date by uploading only the slices
 * changed since the last call. NULL with an error without a map or when GL fails. */
FidacGLLabels   *fidac_annotation_ensure_gl_labels (FidacAnnotation *self,
                                                    GError         **error);

/* Persistence. The store (transfer full; NULL: none) is kept across cases. */
void             fidac_annotation_set_store       (FidacAnnotation   *self,
                                                   FidacStore        *store);
FidacStore      *fidac_annotation_get_store       (FidacAnnotation   *self);
/* The stored annotation of the current series for `reader` (made, empty, when absent)
 * replaces the map's content and the history is cleared; from then on every stroke, undo
 * and redo is committed when it ends (released), the slices it changed in one
 * transaction. Needs a store and a map. A new volume ends it (fidac_annotation_get_stored_id()
 * is 0 again until the next call). */
gboolean         fidac_annotation_load_stored     (FidacAnnotation   *self,
                                                   const FidacReader *reader,
                                                   GError           **error);
gint64           fidac_annotation_get_stored_id   (FidacAnnotation   *self);

/* Adds "undo" and "redo" to `map` (a window), enabled as the history allows. */
void             fidac_annotation_add_actions     (FidacAnnotation *self,
                                                   GActionMap      *map);

G_END_DECLS
