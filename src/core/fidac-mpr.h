/* fidac-mpr.h: the state of three linked MPR views and the geometry of their interaction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure logic, no GL and no widgets, so that every behaviour of the views (slice stepping,
 * crosshair, zoom about the pointer, pan, window drag, read-outs, scale bar, orientation
 * letters) is tested in core. A viewport is `width` x `height` device pixels; screen
 * coordinates follow fidac-reslice.h (pixel (u, v) has its centre at u + 0.5, v + 0.5).
 *
 * The crosshair is a point in patient space (LPS mm) shared by the three views: each view
 * shows the plane through it, normal to its axis (fidac_view_get_axes()). Slices are those of
 * fidac_view_get_slices(): moving by slices keeps the crosshair on slice positions.
 */
#pragma once

#include <glib.h>

#include "fidac-reslice.h"
#include "fidac-volume.h"

G_BEGIN_DECLS

#define FIDAC_MPR_ZOOM_MIN 0.25
#define FIDAC_MPR_ZOOM_MAX 64.0

typedef struct {
  gdouble zoom;        /* 1: the volume's extent in this view fits the viewport */
  gdouble pan[2];      /* mm along the view's right and down axes, added to the centre */
} FidacMprViewState;

typedef struct {
  FidacVolume        *volume;          /* a reference, dropped by fidac_mpr_free() */
  gdouble             crosshair[3];    /* patient mm */
  gdouble             window_width;
  gdouble             window_level;
  gboolean            invert;
  FidacResliceOptions reslice;         /* interpolation, slab (mm, mode), shared by the views */
  FidacMprViewState   views[FIDAC_N_VIEWS];
} FidacMpr;

/* Crosshair at the middle slice of every view, index count / 2 (the volume's centre, on
 * slice positions; of an even count, the upper of the two middle slices), lung window, not
 * inverted, linear interpolation, no slab, zoom 1, no pan. */
FidacMpr *fidac_mpr_new                 (FidacVolume       *volume);
void      fidac_mpr_free                (FidacMpr          *self);

/* The plane `view` shows in a width x height viewport: through the crosshair, centred on
 * the volume's extent (plus pan), pixel_size = the fitted size / zoom, so voxels keep their
 * physical aspect. The extent and its centre are those of fidac_plane_init_view() (the
 * field of its native pixel grid), and the fitted size is the largest of field width /
 * width and field height / height, so that at zoom 1 without pan a viewport of the size
 * fidac_plane_init_view() gives shows exactly its plane (what `fidac-cli render` writes). */
void      fidac_mpr_get_plane           (const FidacMpr    *self,
                                         FidacView          view,
                                         gint               width,
                                         gint               height,
                                         FidacPlane        *plane);

/* The slice the crosshair is on in `view`: index (0-based, fidac_view_get_slices() order,
 * rounded to the nearest), count, and the crosshair's patient coordinate along the axis the
 * view's normal follows (z for axial, y for coronal, x for sagittal; LPS mm). */
void      fidac_mpr_get_slice           (const FidacMpr    *self,
                                         FidacView          view,
                                         gint              *index,
                                         gint              *count,
                                         gdouble           *position_mm);

/* Moves the crosshair along the view's normal to slice `index` (clamped to the slices):
 * its coordinate along the normal becomes first + index * step exactly, the others stay. */
void      fidac_mpr_set_slice           (FidacMpr          *self,
                                         FidacView          view,
                                         gint               index);

/* Moves by `delta` slices from the current one (clamped). Returns TRUE when the slice
 * index changed (FALSE at either end); the crosshair is put exactly on the slice in any
 * case (a click in another view may have left it between two). */
gboolean  fidac_mpr_scroll              (FidacMpr          *self,
                                         FidacView          view,
                                         gint               delta);

void      fidac_mpr_screen_to_patient   (const FidacMpr    *self,
                                         FidacView          view,
                                         gint               width,
                                         gint               height,
                                         gdouble            x,
                                         gdouble            y,
                                         gdouble            patient[3]);

/* Screen coordinates of the projection of `patient` onto the view's plane. */
void      fidac_mpr_patient_to_screen   (const FidacMpr    *self,
                                         FidacView          view,
                                         gint               width,
                                         gint               height,
                                         const gdouble      patient[3],
                                         gdouble           *x,
                                         gdouble           *y);

/* Moves the crosshair in the view's plane to the screen point (its position along the
 * view's normal is kept, so this view's slice does not change; the other two views move). */
void      fidac_mpr_set_crosshair_screen (FidacMpr         *self,
                                          FidacView         view,
                                          gint              width,
                                          gint              height,
                                          gdouble           x,
                                          gdouble           y);

/* Multiplies the zoom by `factor` (clamped to FIDAC_MPR_ZOOM_MIN..MAX) keeping the patient
 * point under screen (x, y) where it is. */
void      fidac_mpr_zoom_at             (FidacMpr          *self,
                                         FidacView          view,
                                         gint               width,
                                         gint               height,
                                         gdouble            x,
                                         gdouble            y,
                                         gdouble            factor);

/* Pans by a drag of (dx, dy) screen pixels: the image follows the pointer. */
void      fidac_mpr_pan                 (FidacMpr          *self,
                                         FidacView          view,
                                         gint               width,
                                         gint               height,
                                         gdouble            dx,
                                         gdouble            dy);

/* (Non-finite screen coordinates, drags or factors leave the crosshair, zoom and pan as
 * they are.) */

/* Zoom 1 and no pan for `view`. */
void      fidac_mpr_reset_view          (FidacMpr          *self,
                                         FidacView          view);

/* Window from a right drag of (dx, dy) pixels that started at (width0, level0): right widens
 * the window, down raises the level, by FIDAC_MPR_WINDOW_HU_PER_PIXEL per pixel; the width
 * stays at least 1. */
#define FIDAC_MPR_WINDOW_HU_PER_PIXEL 4.0
void      fidac_mpr_window_drag         (gdouble            width0,
                                         gdouble            level0,
                                         gdouble            dx,
                                         gdouble            dy,
                                         gdouble           *width,
                                         gdouble           *level);

/* The stored voxel nearest to `patient` (the HU read-out): the voxel coordinates of
 * to_voxel rounded as the reslicer's nearest sampling does; FALSE outside the volume (a
 * coordinate outside [-0.5, dims - 0.5)), where ijk and hu are left alone. */
gboolean  fidac_mpr_probe               (const FidacMpr    *self,
                                         const gdouble      patient[3],
                                         gint               ijk[3],
                                         gint16            *hu);

/* Orientation letters for the patient direction `dir` (unit): the letters of its components
 * (R/L for x, A/P for y, F/H for z in LPS: +x is L, +y is P, +z is H) whose magnitude is at
 * least 0.25, largest first: "R" for (-1, 0, 0), "LP" for (0.7071, 0.7071, 0).
 * Writes at most 3 letters and a NUL into `out` (4 bytes). */
void      fidac_mpr_direction_letters   (const gdouble      dir[3],
                                         gchar              out[4]);

/* The letters at the left, right, top and bottom edges of a plane (each out[i] 4 bytes). */
void      fidac_mpr_plane_letters       (const FidacPlane  *plane,
                                         gchar              left[4],
                                         gchar              right[4],
                                         gchar              top[4],
                                         gchar              bottom[4]);

/* A scale bar for `pixel_size` mm per pixel: the longest length of the 1, 2, 5 x 10^n mm
 * series (0.1 mm to 50 m) that is at most `max_pixels` long; its length in pixels. FALSE
 * (and 0, 0) when even the shortest, 0.1 mm, does not fit, or on a pixel size or length
 * that is not positive. */
gboolean  fidac_mpr_scale_bar           (gdouble            pixel_size,
                                         gdouble            max_pixels,
                                         gdouble           *mm,
                                         gdouble           *pixels);

/* The slice of `view` nearest to the patient coordinate `position_mm` along the axis the
 * view's normal follows (as fidac_mpr_get_slice() reports it: z axial, y coronal, x
 * sagittal). FALSE when the position is outside the volume's extent along that axis (more
 * than half a step beyond the first or last slice). */
gboolean  fidac_mpr_slice_at_position   (const FidacVolume *volume,
                                         FidacView          view,
                                         gdouble            position_mm,
                                         gint              *index);

/* The patient coordinate of slice `index` of `view` along the same axis (index not
 * clamped: slices beyond the ends continue the series). */
void      fidac_mpr_slice_position      (const FidacVolume *volume,
                                         FidacView          view,
                                         gint               index,
                                         gdouble           *position_mm);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FidacMpr, fidac_mpr_free)

G_END_DECLS
