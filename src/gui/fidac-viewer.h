/* fidac-viewer.h: the state shared by the MPR views of one window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns the case's FidacMpr (crosshair, window, slab, interpolation, per-view zoom and pan)
 * and the GL copy of its volume, and tells every view what changed through ::changed.
 * Every change goes through these functions so that the three views stay linked.
 */
#pragma once

#include <gtk/gtk.h>

#include "fidac-annotation.h"
#include "fidac-mpr.h"
#include "fidac-quantification.h"
#include "fidac-render.h"

G_BEGIN_DECLS

typedef enum {
  FIDAC_VIEWER_CHANGED_VOLUME    = 1 << 0,   /* a new case (or none) */
  FIDAC_VIEWER_CHANGED_CROSSHAIR = 1 << 1,
  FIDAC_VIEWER_CHANGED_WINDOW    = 1 << 2,   /* width, level, invert */
  FIDAC_VIEWER_CHANGED_RESLICE   = 1 << 3,   /* interpolation, slab */
  FIDAC_VIEWER_CHANGED_VIEW      = 1 << 4,   /* zoom or pan of the view given */
} FidacViewerChange;

/* A window preset: the chest presets, then those of the DICOM header. */
typedef struct {
  gchar   *name;          /* translated, for menus */
  gdouble  width;
  gdouble  level;
} FidacViewerPreset;

/* Signal ::changed (guint changes, gint view): `changes` a mask of FidacViewerChange; `view`
 * the FidacView whose zoom or pan changed with FIDAC_VIEWER_CHANGED_VIEW, else
 * FIDAC_N_VIEWS. */

#define FIDAC_TYPE_VIEWER (fidac_viewer_get_type ())

G_DECLARE_FINAL_TYPE (FidacViewer, fidac_viewer, FIDAC, VIEWER, GObject)

FidacViewer     *fidac_viewer_new               (void);

/* Shows `volume` (NULL: none), resetting the state; drops the previous GL volume. */
void             fidac_viewer_set_volume        (FidacViewer  *self,
                                                 FidacVolume  *volume);
FidacVolume     *fidac_viewer_get_volume        (FidacViewer  *self);
/* The annotation of the volume shown (its label map follows fidac_viewer_set_volume()). */
FidacAnnotation *fidac_viewer_get_annotation    (FidacViewer  *self);
/* The lungs and live figures of that annotation (made with it, follows it). */
FidacQuantification *fidac_viewer_get_quantification (FidacViewer *self);
/* NULL when no volume is shown. Read-only: change it through the setters below. */
const FidacMpr  *fidac_viewer_get_mpr           (FidacViewer  *self);

/* The volume's texture, uploaded on first use in the current context (which shares with
 * every view's). NULL with `error` set when GL cannot hold it: the caller falls back to the
 * CPU reslicer. */
FidacGLVolume   *fidac_viewer_ensure_gl_volume  (FidacViewer  *self,
                                                 GError      **error);

void             fidac_viewer_set_crosshair     (FidacViewer  *self,
                                                 const gdouble patient[3]);
void             fidac_viewer_set_crosshair_screen (FidacViewer *self,
                                                    FidacView    view,
                                                    gint         width,
                                                    gint         height,
                                                    gdouble      x,
                                                    gdouble      y);
gboolean         fidac_viewer_scroll            (FidacViewer  *self,
                                                 FidacView     view,
                                                 gint          delta);
void             fidac_viewer_set_slice         (FidacViewer  *self,
                                                 FidacView     view,
                                                 gint          index);
void             fidac_viewer_zoom_at           (FidacViewer  *self,
                                                 FidacView     view,
                                                 gint          width,
                                                 gint          height,
                                                 gdouble       x,
                                                 gdouble       y,
                                                 gdouble       factor);
void             fidac_viewer_pan               (FidacViewer  *self,
                                                 FidacView     view,
                                                 gint          width,
                                                 gint          height,
                                                 gdouble       dx,
                                                 gdouble       dy);
void             fidac_viewer_reset_view        (FidacViewer  *self,
                                                 FidacView     view);

void             fidac_viewer_set_window        (FidacViewer  *self,
                                                 gdouble       width,
                                                 gdouble       level);
void             fidac_viewer_set_invert        (FidacViewer  *self,
                                                 gboolean      invert);
void             fidac_viewer_set_interpolation (FidacViewer  *self,
                                                 FidacInterpolation interpolation);
/* slab_mm <= 0: thin plane. */
void             fidac_viewer_set_slab          (FidacViewer  *self,
                                                 FidacSlabMode mode,
                                                 gdouble       slab_mm);

/* The presets for the current volume (lung, mediastinum, bone, then the DICOM windows);
 * element type FidacViewerPreset, transfer none. */
GArray          *fidac_viewer_get_presets       (FidacViewer  *self);
/* FALSE when `index` is out of range. */
gboolean         fidac_viewer_apply_preset      (FidacViewer  *self,
                                                 guint         index);

G_END_DECLS
