/* fidac-mpr-view-private.h: the view's instance, shared by its source files, and the
 * read-back accessors the tests use.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fidac-mpr-view.h"

G_BEGIN_DECLS

/* The read-outs drawn over the image, as shown (translated). */
typedef enum {
  FIDAC_MPR_VIEW_TEXT_NAME,        /* "Axial" */
  FIDAC_MPR_VIEW_TEXT_SLICE,       /* "Slice 61 / 120" */
  FIDAC_MPR_VIEW_TEXT_POSITION,    /* "z = -2.5 mm" */
  FIDAC_MPR_VIEW_TEXT_WINDOW,      /* "W 1500 L -600" */
  FIDAC_MPR_VIEW_TEXT_RESLICE,     /* "MIP 10.0 mm", "Inverted": empty when thin, not inverted */
  FIDAC_MPR_VIEW_TEXT_HU,          /* "-850 HU", "outside the volume", empty: no pointer */
  FIDAC_MPR_VIEW_TEXT_VOXEL,       /* "voxel (12, 40, 7)" */
  FIDAC_MPR_VIEW_TEXT_PATIENT,     /* "(-12.0, 30.5, 4.0) mm" */
  FIDAC_MPR_VIEW_TEXT_SCALE,       /* "50 mm" */
  FIDAC_MPR_VIEW_TEXT_LEFT,        /* orientation letters */
  FIDAC_MPR_VIEW_TEXT_RIGHT,
  FIDAC_MPR_VIEW_TEXT_TOP,
  FIDAC_MPR_VIEW_TEXT_BOTTOM,
  FIDAC_MPR_VIEW_N_TEXTS
} FidacMprViewText;

/* The instance. Only the view's own files touch it. */
struct _FidacMprView
{
  GtkGLArea         parent_instance;

  FidacViewer      *viewer;
  FidacView         view;
  gulong            changed_id;

  /* GL mode: the renderer made in realize (NULL in fallback). */
  FidacMprRenderer *renderer;
  gboolean          fallback;          /* drawing with the CPU reslicer for good */
  gboolean          volume_fallback;   /* for this volume only: GL could not hold it */
  gchar            *fallback_reason;

  /* Fallback: the CPU image of the last plane, recomputed when something changed. */
  GdkTexture       *cpu_texture;
  gboolean          cpu_dirty;
  gint              cpu_width;
  gint              cpu_height;

  /* Pointer, widget logical pixels; has_pointer FALSE when it left. */
  gboolean          has_pointer;
  gdouble           pointer_x;
  gdouble           pointer_y;

  /* Drag in progress: its button, start point (logical) and what it started from. */
  guint             drag_button;
  gdouble           drag_x0;
  gdouble           drag_y0;
  gdouble           drag_last_dx;
  gdouble           drag_last_dy;
  gdouble           drag_width0;
  gdouble           drag_level0;

  /* The last primary press, to tell a double click (event time, ms; 0: none). */
  guint32           last_press_time;
  gdouble           last_press_x;
  gdouble           last_press_y;

  /* Capture for the tests: grey levels (width * height, top row first) of the image last
   * drawn, before the overlays, with the plane it was drawn with. */
  gboolean          capture_requested;
  guint8           *capture;
  FidacPlane        capture_plane;
  guint             n_frames;          /* images drawn (GL renders or CPU draws) */

  gchar            *texts[FIDAC_MPR_VIEW_N_TEXTS];

  /* Painting (fidac-mpr-view-input.c): a paint tool is held and the left button is down. */
  FidacAnnotation  *annotation;
  gulong            annotation_changed_id;
  gboolean          painting;
  GArray           *lasso;             /* gdouble x, y pairs (logical) while a lasso is drawn */

  /* The labels drawn over the image with the CPU (fidac-mpr-view-overlay.c): the class ids
   * of the plane last sampled (device pixels, top row first) and their texture. */
  guint8           *label_ids;
  FidacPlane        label_plane;
  GdkTexture       *label_texture;
  gboolean          labels_dirty;
  gboolean          labels_requested;  /* a test asked for the class ids */

  /* GL mode: the overlay pass (made in realize) and whether the last render drew the
   * labels; the CPU draws them when it did not. */
  FidacLabelOverlay *overlay;
  gboolean          labels_in_gl;
  gboolean          labels_gl_failed;  /* for good: the CPU draws the labels */

  /* The lung outline (fidac-mpr-view-overlay.c), drawn with the CPU in both modes while
   * the quantification shows it: the lung ids of the plane last sampled, border 1
   * (fidac_label_reslice()), the mask they came from and the outline's texture. */
  FidacQuantification *quantification;
  gulong            quantification_changed_id;
  gulong            show_lungs_id;
  guint8           *lung_ids;
  FidacPlane        lung_plane;
  FidacLabelMap    *lung_map;
  GdkTexture       *lung_texture;
};

/* Shared between the view's files. */
void         fidac_mpr_view_device_size     (FidacMprView *self,
                                             gint         *width,
                                             gint         *height);
void         fidac_mpr_view_setup_input     (FidacMprView *self);
void         fidac_mpr_view_update_texts    (FidacMprView *self);
void         fidac_mpr_view_snapshot_overlays (FidacMprView *self,
                                               GtkSnapshot  *snapshot);
void         fidac_mpr_view_emit_toggle_maximized (FidacMprView *self);
void         fidac_mpr_view_snapshot_labels (FidacMprView *self,
                                             GtkSnapshot  *snapshot);
void         fidac_mpr_view_snapshot_lungs  (FidacMprView *self,
                                             GtkSnapshot  *snapshot);

/* ---- for tests ---- */

/* The read-out `which` as the view draws it now; "" when it draws none. */
const gchar *fidac_mpr_view_get_text        (FidacMprView     *self,
                                             FidacMprViewText  which);

/* Asks for a copy of the next image drawn. */
void         fidac_mpr_view_request_capture (FidacMprView *self);
/* The captured grey levels (plane->width * plane->height bytes, top row first) and the
 * plane they were drawn with; NULL when no capture was taken since the last request. */
const guint8 *fidac_mpr_view_get_capture    (FidacMprView *self,
                                             FidacPlane   *plane);
/* How many images the view has drawn: the tests wait for it to move. */
guint        fidac_mpr_view_get_n_frames    (FidacMprView *self);
/* Asks for the class ids under each pixel at the next draw (in GL mode the view does not
 * compute them otherwise). */
void         fidac_mpr_view_request_labels  (FidacMprView *self);
/* The class ids under each device pixel (plane->width * plane->height bytes, top row
 * first) sampled at the last draw that computed them, and their plane; NULL when none were
 * (no labels on the map, or none asked for in GL mode). */
const guint8 *fidac_mpr_view_get_labels     (FidacMprView *self,
                                             FidacPlane   *plane);
/* The lung ids the outline was drawn from at the last draw, as fidac_label_reslice() gives
 * them with border 1 ((plane->width + 2) * (plane->height + 2) bytes), and their plane;
 * NULL when the last draw drew no outline (shown off, or no lungs). */
const guint8 *fidac_mpr_view_get_lungs      (FidacMprView *self,
                                             FidacPlane   *plane);
/* Why the view draws with the CPU (NULL in GL mode). */
const gchar *fidac_mpr_view_get_fallback_reason (FidacMprView *self);

G_END_DECLS
