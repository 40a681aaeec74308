/* fidac-reslice.h: the CPU reference reslicer, any plane of a volume in patient space.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every view is a plane in patient space (LPS mm). Screen pixel (u, v) covers the square
 * [u, u + 1) x [v, v + 1) of screen coordinates; its centre (u + 0.5, v + 0.5) lies at
 *
 *   center + (x - width / 2) * pixel_size * right + (y - height / 2) * pixel_size * down
 *
 * (fidac_plane_screen_to_patient()). The GL views use the same mapping, so this file is
 * their reference. Samples are taken at pixel centres through the volume's to_voxel matrix
 * (voxel centres at integer coordinates); a voxel owns the box of half a voxel around its
 * centre, so a sample is inside the volume when every voxel coordinate lies in
 * [-0.5, dims - 0.5). Outside the volume the value is FIDAC_RESLICE_BACKGROUND_HU, air as the
 * scanner shows it (-1024 HU), so the surroundings look like the air around the patient in
 * any window.
 */
#pragma once

#include <glib.h>

#include "fidac-volume.h"

G_BEGIN_DECLS

#define FIDAC_RESLICE_BACKGROUND_HU ((gfloat) FIDAC_HU_AIR)

/* Radiological convention: axial seen from the feet (right = +x: the patient's right on the
 * screen's left, down = +y: anterior up), coronal from the front (right = +x, down = -z),
 * sagittal from the patient's left (right = +y: anterior on the left, down = -z). The normal
 * (right x down) is +z, +y and -x. */
typedef enum {
  FIDAC_VIEW_AXIAL,
  FIDAC_VIEW_CORONAL,
  FIDAC_VIEW_SAGITTAL,
  FIDAC_N_VIEWS
} FidacView;

typedef enum {
  FIDAC_INTERPOLATION_NEAREST,
  FIDAC_INTERPOLATION_LINEAR,
} FidacInterpolation;

typedef enum {
  FIDAC_SLAB_AVERAGE,
  FIDAC_SLAB_MIP,
  FIDAC_SLAB_MINIP,
} FidacSlabMode;

typedef struct {
  gdouble center[3];            /* patient position of the image centre (width/2, height/2) */
  gdouble right[3];             /* unit: screen x direction in patient space */
  gdouble down[3];              /* unit, orthogonal to right: screen y direction */
  gdouble pixel_size;           /* mm per screen pixel, along x and y */
  gint    width;                /* pixels */
  gint    height;
} FidacPlane;

typedef struct {
  FidacInterpolation interpolation;     /* default linear */
  gdouble            slab_mm;           /* slab thickness along the normal; <= 0: thin plane */
  FidacSlabMode      slab_mode;         /* default average */
  guint              n_threads;         /* 0: one per processor */
} FidacResliceOptions;

/* The slices of a volume along a view's normal: `count` positions, the first (index 0) the
 * smallest position along the normal, `step_mm` apart. The step is the spacing of the volume
 * axis closest to the normal, so for an axial view of a series with Image Orientation
 * 1\0\0\0\1\0, index K is stored slice K. */
void     fidac_view_get_slices        (const FidacVolume *volume,
                                       FidacView          view,
                                       gint              *count,
                                       gdouble           *first_mm,
                                       gdouble           *step_mm);

void     fidac_view_get_axes          (FidacView          view,
                                       gdouble            right[3],
                                       gdouble            down[3]);

/* The standard plane of `view` at slice `index` (fidac_view_get_slices()). It covers the
 * volume's extent in that view, centred. `size` 0: native size, pixel_size the spacing of the
 * volume axis closest to `right`, so that an axial view of an axial series is the stored
 * slice pixel for pixel; otherwise the same field in `size` pixels on its longer side, aspect
 * kept. Fails when index is out of range or size is negative or above 16384. */
gboolean fidac_plane_init_view        (FidacPlane        *plane,
                                       const FidacVolume *volume,
                                       FidacView          view,
                                       gint               index,
                                       gint               size,
                                       GError           **error);

/* Checks sizes, pixel size and that right and down are orthonormal. */
gboolean fidac_plane_validate         (const FidacPlane  *plane,
                                       GError           **error);

void     fidac_plane_get_normal       (const FidacPlane  *plane,
                                       gdouble            normal[3]);

/* Screen coordinates (pixel centres at u + 0.5, v + 0.5) to patient millimetres. */
void     fidac_plane_screen_to_patient (const FidacPlane *plane,
                                        gdouble           x,
                                        gdouble           y,
                                        gdouble           patient[3]);

/* Row-major 4x4 matrix taking (x, y, t, 1), screen coordinates and t mm along the normal,
 * to continuous voxel coordinates (i, j, k, 1) of `volume`: what a shader needs to sample
 * the plane the way fidac_reslice() does. */
void     fidac_plane_get_screen_to_voxel (const FidacPlane  *plane,
                                          const FidacVolume *volume,
                                          gdouble            m[16]);

/* Moves the plane along its normal so that it passes through `patient` (the crosshair of
 * the other views); the in-plane centre, directions and size do not change. */
void     fidac_plane_move_to          (FidacPlane        *plane,
                                       const gdouble      patient[3]);

void     fidac_reslice_options_init   (FidacResliceOptions *options);

/* Fills `out` (width * height floats, row by row) with the HU of the plane.
 * Slab: an odd number of samples centred on the plane along its normal, spaced by the
 * smallest voxel spacing, covering `slab_mm`; samples outside the volume are left out, and
 * a pixel none of whose samples is inside gets the background. */
gboolean fidac_reslice                (const FidacVolume         *volume,
                                       const FidacPlane          *plane,
                                       const FidacResliceOptions *options,
                                       gfloat                    *out,
                                       GError                   **error);

/* Number of slab samples fidac_reslice() takes for `options` on `volume`. */
gint     fidac_reslice_slab_samples   (const FidacVolume         *volume,
                                       const FidacResliceOptions *options);

/* HU to 8-bit grey with fidac_window_level_map(); `invert` gives 255 - grey. */
void     fidac_reslice_window         (const gfloat *hu,
                                       gsize         n,
                                       gdouble       width,
                                       gdouble       level,
                                       gboolean      invert,
                                       guint8       *out);

G_END_DECLS
