/* test-mpr.c: the MPR state and its interaction geometry on phantoms whose grid is known.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Default phantom: 256 x 256 x 120 voxels of 1.4 x 1.4 x 2.5 mm centred on (0, 0, 0), so
 * voxel centres lie at x, y = -178.5 + 1.4 i (j) and z = -148.75 + 2.5 k (head first;
 * feet first the columns run towards -x and the slices towards -z from +178.5 and
 * +148.75).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "fidac-mpr.h"
#include "fidac-phantom.h"
#include "fidac-window-level.h"

#define EPS 1e-9

typedef enum {
  PHANTOM_DEFAULT,
  PHANTOM_FEET_FIRST,
  PHANTOM_OBLIQUE,              /* rotated by 30 degrees about z */
  N_PHANTOMS
} Phantom;

static FidacVolume *phantoms[N_PHANTOMS];

static const FidacVolume *
phantom (Phantom which)
{
  if (phantoms[which] == NULL)
    {
      FidacPhantomOptions options;
      g_autoptr(GError) error = NULL;

      fidac_phantom_options_init (&options);
      options.feet_first = which == PHANTOM_FEET_FIRST;
      if (which == PHANTOM_OBLIQUE)
        options.rotation_degrees = 30.0;
      phantoms[which] = fidac_phantom_new (&options, &error);
      g_assert_no_error (error);
    }
  return phantoms[which];
}

static FidacMpr *
mpr_new (Phantom which)
{
  return fidac_mpr_new ((FidacVolume *) phantom (which));
}

static void
assert_vec3 (const gdouble a[3],
             gdouble       x,
             gdouble       y,
             gdouble       z)
{
  g_assert_cmpfloat_with_epsilon (a[0], x, EPS);
  g_assert_cmpfloat_with_epsilon (a[1], y, EPS);
  g_assert_cmpfloat_with_epsilon (a[2], z, EPS);
}

static void
assert_slice (const FidacMpr *mpr,
              FidacView       view,
              gint            index,
              gint            count,
              gdouble         position)
{
  gint i, n;
  gdouble p;

  fidac_mpr_get_slice (mpr, view, &i, &n, &p);
  g_assert_cmpint (i, ==, index);
  g_assert_cmpint (n, ==, count);
  g_assert_cmpfloat_with_epsilon (p, position, EPS);
}

static void
assert_planes_equal (const FidacPlane *a,
                     const FidacPlane *b)
{
  g_assert_cmpint (a->width, ==, b->width);
  g_assert_cmpint (a->height, ==, b->height);
  g_assert_cmpfloat_with_epsilon (a->pixel_size, b->pixel_size, 1e-12);
  assert_vec3 (a->center, b->center[0], b->center[1], b->center[2]);
  assert_vec3 (a->right, b->right[0], b->right[1], b->right[2]);
  assert_vec3 (a->down, b->down[0], b->down[1], b->down[2]);
}

static void
test_new_default (void)
{
  g_autoptr(FidacMpr) mpr = mpr_new (PHANTOM_DEFAULT);

  g_assert_true (mpr->volume == phantom (PHANTOM_DEFAULT));
  /* Middle slices, index count / 2: axial 60 of 120 (z = -148.75 + 60 * 2.5), coronal 128
   * of 256 (y = -178.5 + 128 * 1.4), sagittal 128 of 256 counted from the patient's left
   * (the normal is -x: x = 178.5 - 128 * 1.4). */
  assert_vec3 (mpr->crosshair, -0.7, 0.7, 1.25);
  assert_slice (mpr, FIDAC_VIEW_AXIAL, 60, 120, 1.25);
  assert_slice (mpr, FIDAC_VIEW_CORONAL, 128, 256, 0.7);
  assert_slice (mpr, FIDAC_VIEW_SAGITTAL, 128, 256, -0.7);

  g_assert_cmpfloat (mpr->window_width, ==, FIDAC_WINDOW_LUNG_WIDTH);
  g_assert_cmpfloat (mpr->window_level, ==, FIDAC_WINDOW_LUNG_LEVEL);
  g_assert_false (mpr->invert);
  g_assert_cmpint (mpr->reslice.interpolation, ==, FIDAC_INTERPOLATION_LINEAR);
  g_assert_cmpfloat (mpr->reslice.slab_mm, ==, 0.0);
  g_assert_cmpint (mpr->reslice.slab_mode, ==, FIDAC_SLAB_AVERAGE);
  for (gint v = 0; v < FIDAC_N_VIEWS; v++)
    {
      g_assert_cmpfloat (mpr->views[v].zoom, ==, 1.0);
      g_assert_cmpfloat (mpr->views[v].pan[0], ==, 0.0);
      g_assert_cmpfloat (mpr->views[v].pan[1], ==, 0.0);
    }
}

static void
test_new_feet_first (void)
{
  g_autoptr(FidacMpr) mpr = mpr_new (PHANTOM_FEET_FIRST);
  gint ijk[3];
  gint16 hu;

  /* The same voxel centres, so the same slices in patient space... */
  assert_vec3 (mpr->crosshair, -0.7, 0.7, 1.25);
  assert_slice (mpr, FIDAC_VIEW_AXIAL, 60, 120, 1.25);
  assert_slice (mpr, FIDAC_VIEW_CORONAL, 128, 256, 0.7);
  assert_slice (mpr, FIDAC_VIEW_SAGITTAL, 128, 256, -0.7);
  /* ...but stored the other way round: x = 178.5 - 1.4 i, z = 148.75 - 2.5 k. */
  g_assert_true (fidac_mpr_probe (mpr, mpr->crosshair, ijk, &hu));
  g_assert_cmpint (ijk[0], ==, 128);
  g_assert_cmpint (ijk[1], ==, 128);
  g_assert_cmpint (ijk[2], ==, 59);
  g_assert_cmpint (hu, ==, fidac_phantom_hu_at (mpr->crosshair));
}

static void
test_new_oblique (void)
{
  g_autoptr(FidacMpr) mpr = mpr_new (PHANTOM_OBLIQUE);
  /* Rotated about z, the voxel centres reach 178.5 (cos 30 + sin 30) along x and y; the
   * volume axis closest to x or y is a 1.4 mm one, so 2 * 243.84 / 1.4 + 1 = 349 slices.
   * Along z nothing changes. */
  gdouble half = 178.5 * (cos (G_PI / 6) + sin (G_PI / 6));
  gdouble middle = -half + 174 * 1.4;

  assert_slice (mpr, FIDAC_VIEW_AXIAL, 60, 120, 1.25);
  assert_slice (mpr, FIDAC_VIEW_CORONAL, 174, 349, middle);
  assert_slice (mpr, FIDAC_VIEW_SAGITTAL, 174, 349, -middle);
  assert_vec3 (mpr->crosshair, -middle, middle, 1.25);
}

/* At zoom 1 without pan, a viewport of the size fidac_plane_init_view() chooses shows its
 * plane exactly: the GUI and `fidac-cli render` agree. */
static void
test_plane_init_view (void)
{
  for (Phantom p = 0; p < N_PHANTOMS; p++)
    {
      g_autoptr(FidacMpr) mpr = mpr_new (p);

      for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
        {
          FidacPlane expected, plane;
          g_autoptr(GError) error = NULL;
          gint index;

          fidac_mpr_get_slice (mpr, v, &index, NULL, NULL);
          g_assert_true (fidac_plane_init_view (&expected, mpr->volume, v, index, 512, &error));
          g_assert_no_error (error);
          fidac_mpr_get_plane (mpr, v, expected.width, expected.height, &plane);
          assert_planes_equal (&plane, &expected);
        }
    }
}

static void
test_plane_fit (void)
{
  g_autoptr(FidacMpr) mpr = mpr_new (PHANTOM_DEFAULT);
  FidacPlane plane;

  /* The axial field is 256 x 1.4 = 358.4 mm square, centred on x = y = 0: a 640 x 480
   * viewport fits its height, 358.4 / 480 mm per pixel. */
  fidac_mpr_get_plane (mpr, FIDAC_VIEW_AXIAL, 640, 480, &plane);
  g_assert_cmpint (plane.width, ==, 640);
  g_assert_cmpint (plane.height, ==, 480);
  g_assert_cmpfloat_with_epsilon (plane.pixel_size, 358.4 / 480, 1e-12);
  assert_vec3 (plane.center, 0.0, 0.0, 1.25);
  assert_vec3 (plane.right, 1, 0, 0);
  assert_vec3 (plane.down, 0, 1, 0);

  /* Zoom divides the pixel size; pan moves the centre along right and down. */
  mpr->views[FIDAC_VIEW_AXIAL].zoom = 4.0;
  mpr->views[FIDAC_VIEW_AXIAL].pan[0] = 10.0;
  mpr->views[FIDAC_VIEW_AXIAL].pan[1] = -20.0;
  fidac_mpr_get_plane (mpr, FIDAC_VIEW_AXIAL, 640, 480, &plane);
  g_assert_cmpfloat_with_epsilon (plane.pixel_size, 358.4 / 480 / 4, 1e-12);
  assert_vec3 (plane.center, 10.0, -20.0, 1.25);

  /* The coronal plane goes through the crosshair's y, the sagittal one through its x. */
  fidac_mpr_get_plane (mpr, FIDAC_VIEW_CORONAL, 300, 300, &plane);
  g_assert_cmpfloat_with_epsilon (plane.center[1], 0.7, EPS);
  g_assert_cmpfloat_with_epsilon (plane.center[0], 0.0, EPS);
  fidac_mpr_get_plane (mpr, FIDAC_VIEW_SAGITTAL, 300, 300, &plane);
  g_assert_cmpfloat_with_epsilon (plane.center[0], -0.7, EPS);
  g_assert_cmpfloat_with_epsilon (plane.center[1], 0.0, EPS);
}

static void
test_slices_step (void)
{
  g_autoptr(FidacMpr) mpr = mpr_new (PHANTOM_DEFAULT);

  fidac_mpr_set_slice (mpr, FIDAC_VIEW_AXIAL, 10);
  assert_slice (mpr, FIDAC_VIEW_AXIAL, 10, 120, -123.75);
  assert_vec3 (mpr->crosshair, -0.7, 0.7, -123.75);
  fidac_mpr_set_slice (mpr, FIDAC_VIEW_AXIAL, -5);
  assert_slice (mpr, FIDAC_VIEW_AXIAL, 0, 120, -148.75);
  fidac_mpr_set_slice (mpr, FIDAC_VIEW_AXIAL, 500);
  assert_slice (mpr, FIDAC_VIEW_AXIAL, 119, 120, 148.75);

  /* At the end nothing moves. */
  g_assert_false (fidac_mpr_scroll (mpr, FIDAC_VIEW_AXIAL, 1));
  assert_slice (mpr, FIDAC_VIEW_AXIAL, 119, 120, 148.75);
  g_assert_true (fidac_mpr_scroll (mpr, FIDAC_VIEW_AXIAL, -3));
  assert_slice (mpr, FIDAC_VIEW_AXIAL, 116, 120, 141.25);
  g_assert_true (fidac_mpr_scroll (mpr, FIDAC_VIEW_AXIAL, -1000));
  assert_slice (mpr, FIDAC_VIEW_AXIAL, 0, 120, -148.75);
  g_assert_false (fidac_mpr_scroll (mpr, FIDAC_VIEW_AXIAL, -1));
  g_assert_false (fidac_mpr_scroll (mpr, FIDAC_VIEW_AXIAL, G_MININT));
  g_assert_true (fidac_mpr_scroll (mpr, FIDAC_VIEW_AXIAL, G_MAXINT));
  assert_slice (mpr, FIDAC_VIEW_AXIAL, 119, 120, 148.75);
  /* The other views did not move. */
  assert_slice (mpr, FIDAC_VIEW_CORONAL, 128, 256, 0.7);
  assert_slice (mpr, FIDAC_VIEW_SAGITTAL, 128, 256, -0.7);

  /* Sagittal slices count from the patient's left (normal -x). */
  fidac_mpr_set_slice (mpr, FIDAC_VIEW_SAGITTAL, 0);
  assert_slice (mpr, FIDAC_VIEW_SAGITTAL, 0, 256, 178.5);
  g_assert_true (fidac_mpr_scroll (mpr, FIDAC_VIEW_SAGITTAL, 1));
  assert_slice (mpr, FIDAC_VIEW_SAGITTAL, 1, 256, 177.1);
  fidac_mpr_set_slice (mpr, FIDAC_VIEW_SAGITTAL, 255);
  assert_slice (mpr, FIDAC_VIEW_SAGITTAL, 255, 256, -178.5);
  fidac_mpr_set_slice (mpr, FIDAC_VIEW_CORONAL, 3);
  assert_slice (mpr, FIDAC_VIEW_CORONAL, 3, 256, -174.3);
  assert_vec3 (mpr->crosshair, -178.5, -174.3, 148.75);

  /* Between two slices (a click elsewhere put it there), a scroll of 0 snaps without
   * moving the index, one of 1 goes to the next slice of the nearest. */
  mpr->crosshair[2] = 1.25 + 1.0;
  g_assert_false (fidac_mpr_scroll (mpr, FIDAC_VIEW_AXIAL, 0));
  assert_slice (mpr, FIDAC_VIEW_AXIAL, 60, 120, 1.25);
  mpr->crosshair[2] = 1.25 + 1.0;
  g_assert_true (fidac_mpr_scroll (mpr, FIDAC_VIEW_AXIAL, 1));
  assert_slice (mpr, FIDAC_VIEW_AXIAL, 61, 120, 3.75);
}

static void
test_slices_oblique (void)
{
  g_autoptr(FidacMpr) mpr = mpr_new (PHANTOM_OBLIQUE);
  gdouble half = 178.5 * (cos (G_PI / 6) + sin (G_PI / 6));

  fidac_mpr_set_slice (mpr, FIDAC_VIEW_CORONAL, 0);
  assert_slice (mpr, FIDAC_VIEW_CORONAL, 0, 349, -half);
  g_assert_false (fidac_mpr_scroll (mpr, FIDAC_VIEW_CORONAL, -1));
  g_assert_true (fidac_mpr_scroll (mpr, FIDAC_VIEW_CORONAL, 348));
  assert_slice (mpr, FIDAC_VIEW_CORONAL, 348, 349, -half + 348 * 1.4);
  fidac_mpr_set_slice (mpr, FIDAC_VIEW_SAGITTAL, 0);
  assert_slice (mpr, FIDAC_VIEW_SAGITTAL, 0, 349, half);
}

static void
test_slice_at_position (void)
{
  const FidacVolume *volume = phantom (PHANTOM_DEFAULT);
  gint index = -1;

  g_assert_true (fidac_mpr_slice_at_position (volume, FIDAC_VIEW_AXIAL, 1.25, &index));
  g_assert_cmpint (index, ==, 60);
  g_assert_true (fidac_mpr_slice_at_position (volume, FIDAC_VIEW_AXIAL, 2.4, &index));
  g_assert_cmpint (index, ==, 60);
  g_assert_true (fidac_mpr_slice_at_position (volume, FIDAC_VIEW_AXIAL, 2.6, &index));
  g_assert_cmpint (index, ==, 61);
  g_assert_true (fidac_mpr_slice_at_position (volume, FIDAC_VIEW_AXIAL, -149.9, &index));
  g_assert_cmpint (index, ==, 0);
  g_assert_true (fidac_mpr_slice_at_position (volume, FIDAC_VIEW_AXIAL, 149.9, &index));
  g_assert_cmpint (index, ==, 119);
  index = -1;
  g_assert_false (fidac_mpr_slice_at_position (volume, FIDAC_VIEW_AXIAL, -150.1, &index));
  g_assert_false (fidac_mpr_slice_at_position (volume, FIDAC_VIEW_AXIAL, 150.1, &index));
  g_assert_false (fidac_mpr_slice_at_position (volume, FIDAC_VIEW_AXIAL, NAN, &index));
  g_assert_cmpint (index, ==, -1);

  g_assert_true (fidac_mpr_slice_at_position (volume, FIDAC_VIEW_CORONAL, 0.7, &index));
  g_assert_cmpint (index, ==, 128);
  g_assert_true (fidac_mpr_slice_at_position (volume, FIDAC_VIEW_SAGITTAL, 178.5, &index));
  g_assert_cmpint (index, ==, 0);
  g_assert_true (fidac_mpr_slice_at_position (volume, FIDAC_VIEW_SAGITTAL, -178.5, &index));
  g_assert_cmpint (index, ==, 255);
  g_assert_true (fidac_mpr_slice_at_position (volume, FIDAC_VIEW_SAGITTAL, 0.7, &index));
  g_assert_cmpint (index, ==, 127);
  g_assert_false (fidac_mpr_slice_at_position (volume, FIDAC_VIEW_SAGITTAL, 180.0, &index));
}

static void
test_slice_position (void)
{
  const FidacVolume *volume = phantom (PHANTOM_DEFAULT);
  gdouble position;

  fidac_mpr_slice_position (volume, FIDAC_VIEW_AXIAL, 0, &position);
  g_assert_cmpfloat_with_epsilon (position, -148.75, EPS);
  fidac_mpr_slice_position (volume, FIDAC_VIEW_AXIAL, 119, &position);
  g_assert_cmpfloat_with_epsilon (position, 148.75, EPS);
  fidac_mpr_slice_position (volume, FIDAC_VIEW_CORONAL, 128, &position);
  g_assert_cmpfloat_with_epsilon (position, 0.7, EPS);
  fidac_mpr_slice_position (volume, FIDAC_VIEW_SAGITTAL, 0, &position);
  g_assert_cmpfloat_with_epsilon (position, 178.5, EPS);
  fidac_mpr_slice_position (volume, FIDAC_VIEW_SAGITTAL, 255, &position);
  g_assert_cmpfloat_with_epsilon (position, -178.5, EPS);
  fidac_mpr_slice_position (volume, FIDAC_VIEW_SAGITTAL, 256, &position);
  g_assert_cmpfloat_with_epsilon (position, -179.9, EPS);

  /* Every slice of every view, on every grid, reads back as itself, and set_slice puts
   * the crosshair there. */
  for (Phantom p = 0; p < N_PHANTOMS; p++)
    {
      g_autoptr(FidacMpr) mpr = mpr_new (p);

      for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
        {
          gint count;

          fidac_view_get_slices (mpr->volume, v, &count, NULL, NULL);
          for (gint i = 0; i < count; i++)
            {
              gint index = -1;

              fidac_mpr_slice_position (mpr->volume, v, i, &position);
              g_assert_true (fidac_mpr_slice_at_position (mpr->volume, v, position, &index));
              g_assert_cmpint (index, ==, i);
              fidac_mpr_set_slice (mpr, v, i);
              assert_slice (mpr, v, i, count, position);
            }
        }
    }
}

static void
test_crosshair_click (void)
{
  g_autoptr(FidacMpr) mpr = mpr_new (PHANTOM_DEFAULT);
  gdouble x, y;

  /* Axial 512 x 512: 0.7 mm per pixel around (0, 0); 101 pixels right and 51 up of the
   * centre is (70.7, -35.7), the centre of voxel (178, 102). */
  fidac_mpr_set_crosshair_screen (mpr, FIDAC_VIEW_AXIAL, 512, 512, 357.0, 205.0);
  assert_vec3 (mpr->crosshair, 70.7, -35.7, 1.25);
  assert_slice (mpr, FIDAC_VIEW_AXIAL, 60, 120, 1.25);
  assert_slice (mpr, FIDAC_VIEW_CORONAL, 102, 256, -35.7);
  assert_slice (mpr, FIDAC_VIEW_SAGITTAL, 77, 256, 70.7);
  fidac_mpr_patient_to_screen (mpr, FIDAC_VIEW_AXIAL, 512, 512, mpr->crosshair, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 357.0, EPS);
  g_assert_cmpfloat_with_epsilon (y, 205.0, EPS);

  /* A click in the coronal view keeps y: the axial and sagittal slices follow. The
   * coronal field is 358.4 mm wide, so 0.7 mm per pixel again at 512 pixels. */
  fidac_mpr_set_crosshair_screen (mpr, FIDAC_VIEW_CORONAL, 512, 512, 256.0 - 11, 256.0 + 20);
  assert_slice (mpr, FIDAC_VIEW_CORONAL, 102, 256, -35.7);
  g_assert_cmpfloat_with_epsilon (mpr->crosshair[0], -7.7, EPS);
  g_assert_cmpfloat_with_epsilon (mpr->crosshair[1], -35.7, EPS);
  assert_slice (mpr, FIDAC_VIEW_SAGITTAL, 133, 256, -7.7);
  {
    FidacPlane plane;
    gint index;

    fidac_mpr_get_plane (mpr, FIDAC_VIEW_CORONAL, 512, 512, &plane);
    /* down is -z: 20 pixels down is 14 mm lower. */
    g_assert_cmpfloat_with_epsilon (mpr->crosshair[2], plane.center[2] - 14.0, EPS);
    g_assert_true (fidac_mpr_slice_at_position (mpr->volume, FIDAC_VIEW_AXIAL,
                                                mpr->crosshair[2], &index));
    assert_slice (mpr, FIDAC_VIEW_AXIAL, index, 120, mpr->crosshair[2]);
    g_assert_cmpint (index, !=, 60);
  }

  /* A sagittal click keeps x. */
  fidac_mpr_set_crosshair_screen (mpr, FIDAC_VIEW_SAGITTAL, 400, 300, 13.5, 250.25);
  g_assert_cmpfloat_with_epsilon (mpr->crosshair[0], -7.7, EPS);
  fidac_mpr_patient_to_screen (mpr, FIDAC_VIEW_SAGITTAL, 400, 300, mpr->crosshair, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 13.5, EPS);
  g_assert_cmpfloat_with_epsilon (y, 250.25, EPS);
}

/* The crosshair lies on the plane of every view, wherever clicks, scrolls, zooms and pans
 * took it, on every grid; non-finite input changes nothing. */
static void
test_crosshair_on_planes (void)
{
  for (Phantom p = 0; p < N_PHANTOMS; p++)
    {
      g_autoptr(FidacMpr) mpr = mpr_new (p);
      gdouble saved[3];

      fidac_mpr_zoom_at (mpr, FIDAC_VIEW_CORONAL, 500, 400, 120.0, 80.0, 3.0);
      fidac_mpr_pan (mpr, FIDAC_VIEW_SAGITTAL, 300, 600, -25.0, 40.0);
      fidac_mpr_set_crosshair_screen (mpr, FIDAC_VIEW_AXIAL, 512, 512, 123.4, 321.0);
      fidac_mpr_scroll (mpr, FIDAC_VIEW_SAGITTAL, 7);
      fidac_mpr_set_crosshair_screen (mpr, FIDAC_VIEW_CORONAL, 500, 400, 301.0, 99.5);
      fidac_mpr_scroll (mpr, FIDAC_VIEW_AXIAL, -3);
      fidac_mpr_set_crosshair_screen (mpr, FIDAC_VIEW_SAGITTAL, 300, 600, 10.0, 500.0);

      for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
        {
          static const gint sizes[FIDAC_N_VIEWS][2] = { { 512, 512 }, { 500, 400 }, { 300, 600 } };
          gdouble x, y, back[3];

          fidac_mpr_patient_to_screen (mpr, v, sizes[v][0], sizes[v][1], mpr->crosshair, &x, &y);
          fidac_mpr_screen_to_patient (mpr, v, sizes[v][0], sizes[v][1], x, y, back);
          assert_vec3 (back, mpr->crosshair[0], mpr->crosshair[1], mpr->crosshair[2]);
        }

      memcpy (saved, mpr->crosshair, sizeof saved);
      fidac_mpr_set_crosshair_screen (mpr, FIDAC_VIEW_AXIAL, 512, 512, NAN, 3.0);
      fidac_mpr_set_crosshair_screen (mpr, FIDAC_VIEW_AXIAL, 512, 512, 3.0, -INFINITY);
      fidac_mpr_pan (mpr, FIDAC_VIEW_AXIAL, 512, 512, NAN, 0.0);
      fidac_mpr_zoom_at (mpr, FIDAC_VIEW_AXIAL, 512, 512, NAN, 0.0, 2.0);
      g_assert_cmpmem (saved, sizeof saved, mpr->crosshair, sizeof saved);
      g_assert_cmpfloat (mpr->views[FIDAC_VIEW_AXIAL].zoom, ==, 1.0);
      g_assert_cmpfloat (mpr->views[FIDAC_VIEW_AXIAL].pan[0], ==, 0.0);
      g_assert_cmpfloat (mpr->views[FIDAC_VIEW_AXIAL].pan[1], ==, 0.0);
    }
}

static void
test_screen_roundtrip (void)
{
  for (Phantom p = 0; p < N_PHANTOMS; p++)
    {
      g_autoptr(FidacMpr) mpr = mpr_new (p);

      for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
        {
          static const gdouble points[][2] = {
            { 0, 0 }, { 0.5, 0.5 }, { 199.75, 10 }, { 640, 480 }, { -30, 700 },
          };

          mpr->views[v].zoom = 2.5;
          mpr->views[v].pan[0] = 13.0;
          mpr->views[v].pan[1] = -4.5;
          for (guint i = 0; i < G_N_ELEMENTS (points); i++)
            {
              gdouble patient[3], moved[3], normal[3], x, y;
              FidacPlane plane;

              fidac_mpr_screen_to_patient (mpr, v, 640, 480, points[i][0], points[i][1],
                                           patient);
              fidac_mpr_patient_to_screen (mpr, v, 640, 480, patient, &x, &y);
              g_assert_cmpfloat_with_epsilon (x, points[i][0], EPS);
              g_assert_cmpfloat_with_epsilon (y, points[i][1], EPS);

              /* A point off the plane projects along the normal. */
              fidac_mpr_get_plane (mpr, v, 640, 480, &plane);
              fidac_plane_get_normal (&plane, normal);
              for (gint c = 0; c < 3; c++)
                moved[c] = patient[c] + 37.0 * normal[c];
              fidac_mpr_patient_to_screen (mpr, v, 640, 480, moved, &x, &y);
              g_assert_cmpfloat_with_epsilon (x, points[i][0], EPS);
              g_assert_cmpfloat_with_epsilon (y, points[i][1], EPS);
            }
        }
    }
}

static void
test_zoom (void)
{
  g_autoptr(FidacMpr) mpr = mpr_new (PHANTOM_DEFAULT);
  const gdouble x = 100.25, y = 333.5;
  gdouble before[3], after[3];
  FidacPlane plane;

  fidac_mpr_screen_to_patient (mpr, FIDAC_VIEW_AXIAL, 640, 480, x, y, before);
  fidac_mpr_zoom_at (mpr, FIDAC_VIEW_AXIAL, 640, 480, x, y, 2.5);
  g_assert_cmpfloat_with_epsilon (mpr->views[FIDAC_VIEW_AXIAL].zoom, 2.5, 1e-12);
  fidac_mpr_screen_to_patient (mpr, FIDAC_VIEW_AXIAL, 640, 480, x, y, after);
  assert_vec3 (after, before[0], before[1], before[2]);
  fidac_mpr_get_plane (mpr, FIDAC_VIEW_AXIAL, 640, 480, &plane);
  g_assert_cmpfloat_with_epsilon (plane.pixel_size, 358.4 / 480 / 2.5, 1e-12);

  /* Clamped at 64, the point still fixed; then down to 0.25. */
  fidac_mpr_zoom_at (mpr, FIDAC_VIEW_AXIAL, 640, 480, x, y, 1000.0);
  g_assert_cmpfloat (mpr->views[FIDAC_VIEW_AXIAL].zoom, ==, FIDAC_MPR_ZOOM_MAX);
  fidac_mpr_screen_to_patient (mpr, FIDAC_VIEW_AXIAL, 640, 480, x, y, after);
  assert_vec3 (after, before[0], before[1], before[2]);
  fidac_mpr_zoom_at (mpr, FIDAC_VIEW_AXIAL, 640, 480, 20.0, 470.0, 1e-6);
  g_assert_cmpfloat (mpr->views[FIDAC_VIEW_AXIAL].zoom, ==, FIDAC_MPR_ZOOM_MIN);

  /* Another point, another view, and nonsense factors change nothing. */
  fidac_mpr_screen_to_patient (mpr, FIDAC_VIEW_SAGITTAL, 300, 700, 5.0, 690.0, before);
  fidac_mpr_zoom_at (mpr, FIDAC_VIEW_SAGITTAL, 300, 700, 5.0, 690.0, 0.5);
  fidac_mpr_screen_to_patient (mpr, FIDAC_VIEW_SAGITTAL, 300, 700, 5.0, 690.0, after);
  assert_vec3 (after, before[0], before[1], before[2]);
  g_assert_cmpfloat (mpr->views[FIDAC_VIEW_SAGITTAL].zoom, ==, 0.5);
  fidac_mpr_zoom_at (mpr, FIDAC_VIEW_SAGITTAL, 300, 700, 5.0, 690.0, 0.0);
  fidac_mpr_zoom_at (mpr, FIDAC_VIEW_SAGITTAL, 300, 700, 5.0, 690.0, NAN);
  fidac_mpr_zoom_at (mpr, FIDAC_VIEW_SAGITTAL, 300, 700, 5.0, 690.0, -2.0);
  g_assert_cmpfloat (mpr->views[FIDAC_VIEW_SAGITTAL].zoom, ==, 0.5);
  g_assert_cmpfloat (mpr->views[FIDAC_VIEW_CORONAL].zoom, ==, 1.0);
}

static void
test_pan_reset (void)
{
  g_autoptr(FidacMpr) mpr = mpr_new (PHANTOM_DEFAULT);
  FidacPlane initial, plane;
  gdouble before[3], after[3];

  fidac_mpr_get_plane (mpr, FIDAC_VIEW_AXIAL, 512, 512, &initial);
  fidac_mpr_screen_to_patient (mpr, FIDAC_VIEW_AXIAL, 512, 512, 100.0, 100.0, before);
  fidac_mpr_pan (mpr, FIDAC_VIEW_AXIAL, 512, 512, 10.0, -4.0);
  /* 0.7 mm per pixel: the centre moves the other way by 7 and -2.8 mm. */
  g_assert_cmpfloat_with_epsilon (mpr->views[FIDAC_VIEW_AXIAL].pan[0], -7.0, EPS);
  g_assert_cmpfloat_with_epsilon (mpr->views[FIDAC_VIEW_AXIAL].pan[1], 2.8, EPS);
  fidac_mpr_screen_to_patient (mpr, FIDAC_VIEW_AXIAL, 512, 512, 110.0, 96.0, after);
  assert_vec3 (after, before[0], before[1], before[2]);

  /* At zoom 2 a pixel is half as long. */
  fidac_mpr_zoom_at (mpr, FIDAC_VIEW_AXIAL, 512, 512, 256.0, 256.0, 2.0);
  fidac_mpr_pan (mpr, FIDAC_VIEW_AXIAL, 512, 512, 10.0, 0.0);
  g_assert_cmpfloat_with_epsilon (mpr->views[FIDAC_VIEW_AXIAL].pan[0], -10.5, EPS);

  fidac_mpr_reset_view (mpr, FIDAC_VIEW_AXIAL);
  g_assert_cmpfloat (mpr->views[FIDAC_VIEW_AXIAL].zoom, ==, 1.0);
  g_assert_cmpfloat (mpr->views[FIDAC_VIEW_AXIAL].pan[0], ==, 0.0);
  g_assert_cmpfloat (mpr->views[FIDAC_VIEW_AXIAL].pan[1], ==, 0.0);
  fidac_mpr_get_plane (mpr, FIDAC_VIEW_AXIAL, 512, 512, &plane);
  assert_planes_equal (&plane, &initial);
}

static void
test_window_drag (void)
{
  gdouble width, level;

  fidac_mpr_window_drag (1500.0, -600.0, 10.0, -5.0, &width, &level);
  g_assert_cmpfloat (width, ==, 1540.0);
  g_assert_cmpfloat (level, ==, -620.0);
  fidac_mpr_window_drag (350.0, 40.0, -87.25, 2.5, &width, &level);
  g_assert_cmpfloat (width, ==, 1.0);
  g_assert_cmpfloat (level, ==, 50.0);
  fidac_mpr_window_drag (350.0, 40.0, -87.0, 0.0, &width, &level);
  g_assert_cmpfloat (width, ==, 2.0);
  g_assert_cmpfloat (level, ==, 40.0);
  fidac_mpr_window_drag (350.0, 40.0, -1000.0, -1000.0, &width, &level);
  g_assert_cmpfloat (width, ==, 1.0);
  g_assert_cmpfloat (level, ==, -3960.0);
  fidac_mpr_window_drag (350.0, 40.0, NAN, INFINITY, &width, &level);
  g_assert_cmpfloat (width, ==, 350.0);
  g_assert_cmpfloat (level, ==, 40.0);
}

static void
assert_probe (const FidacMpr *mpr,
              gdouble         x,
              gdouble         y,
              gdouble         z,
              gint            i,
              gint            j,
              gint            k)
{
  const gdouble p[3] = { x, y, z };
  gint ijk[3];
  gint16 hu;

  g_assert_true (fidac_mpr_probe (mpr, p, ijk, &hu));
  g_assert_cmpint (ijk[0], ==, i);
  g_assert_cmpint (ijk[1], ==, j);
  g_assert_cmpint (ijk[2], ==, k);
  g_assert_cmpint (hu, ==, fidac_volume_get (mpr->volume, i, j, k));
}

static void
assert_probe_outside (const FidacMpr *mpr,
                      gdouble         x,
                      gdouble         y,
                      gdouble         z)
{
  const gdouble p[3] = { x, y, z };
  gint ijk[3] = { -7, -7, -7 };
  gint16 hu = 12345;

  g_assert_false (fidac_mpr_probe (mpr, p, ijk, &hu));
  g_assert_cmpint (ijk[0], ==, -7);
  g_assert_cmpint (hu, ==, 12345);
}

static void
test_probe (void)
{
  g_autoptr(FidacMpr) mpr = mpr_new (PHANTOM_DEFAULT);
  const gdouble lung[3] = { -74.9, 4.9, -6.25 };
  const gdouble air[3] = { 0.7, -170.1, 1.25 };
  gint ijk[3];
  gint16 hu;

  assert_probe (mpr, -0.7, 0.7, 1.25, 127, 128, 60);
  g_assert_true (fidac_mpr_probe (mpr, mpr->crosshair, NULL, &hu));
  g_assert_cmpint (hu, ==, fidac_phantom_hu_at (mpr->crosshair));

  /* Known tissues at voxel centres: right lung parenchyma, air in front of the body. */
  g_assert_true (fidac_mpr_probe (mpr, lung, ijk, &hu));
  g_assert_cmpint (ijk[0], ==, 74);
  g_assert_cmpint (ijk[1], ==, 131);
  g_assert_cmpint (ijk[2], ==, 57);
  g_assert_cmpint (hu, ==, -850);
  g_assert_true (fidac_mpr_probe (mpr, air, ijk, &hu));
  g_assert_cmpint (ijk[0], ==, 128);
  g_assert_cmpint (ijk[1], ==, 6);
  g_assert_cmpint (ijk[2], ==, 60);
  g_assert_cmpint (hu, ==, -1000);

  /* Nearest voxel: 0.69 mm off a centre is still that voxel, 0.71 the next one. */
  assert_probe (mpr, -0.7 + 0.69, 0.7 - 0.69, 1.25 + 1.24, 127, 128, 60);
  assert_probe (mpr, -0.7 + 0.71, 0.7 - 0.71, 1.25 + 1.26, 128, 127, 61);

  /* The volume's edge is half a voxel beyond the outer centres (x, y = ±179.2,
   * z = ±150). */
  assert_probe (mpr, 179.15, -179.15, 149.9, 255, 0, 119);
  assert_probe (mpr, -179.15, 179.15, -149.9, 0, 255, 0);
  assert_probe_outside (mpr, 179.25, 0, 0);
  assert_probe_outside (mpr, -179.25, 0, 0);
  assert_probe_outside (mpr, 0, 179.25, 0);
  assert_probe_outside (mpr, 0, -179.25, 0);
  assert_probe_outside (mpr, 0, 0, 150.1);
  assert_probe_outside (mpr, 0, 0, -150.1);
  assert_probe_outside (mpr, NAN, 0, 0);
  assert_probe_outside (mpr, 0, 0, INFINITY);
}

static void
test_probe_oblique (void)
{
  g_autoptr(FidacMpr) mpr = mpr_new (PHANTOM_OBLIQUE);
  const gint voxels[][3] = { { 10, 20, 30 }, { 0, 0, 0 }, { 255, 255, 119 }, { 200, 3, 77 } };

  for (guint n = 0; n < G_N_ELEMENTS (voxels); n++)
    {
      const gdouble v[3] = { voxels[n][0] + 0.3, voxels[n][1] - 0.4, voxels[n][2] + 0.2 };
      gdouble p[3];

      fidac_volume_voxel_to_patient (mpr->volume, v, p);
      assert_probe (mpr, p[0], p[1], p[2], voxels[n][0], voxels[n][1], voxels[n][2]);
    }
  /* A corner of the axial-aligned bounding box lies outside the rotated grid. */
  assert_probe_outside (mpr, 240.0, 240.0, 0.0);
}

static void
assert_letters (const gdouble  dir[3],
                const gchar   *expected)
{
  gchar out[4];

  memset (out, 'X', sizeof out);
  fidac_mpr_direction_letters (dir, out);
  g_assert_cmpstr (out, ==, expected);
}

static void
test_letters_direction (void)
{
  const gdouble dirs[][3] = {
    { -1, 0, 0 }, { 1, 0, 0 }, { 0, -1, 0 }, { 0, 1, 0 }, { 0, 0, 1 }, { 0, 0, -1 },
    { 0.7071, 0.7071, 0 }, { -0.7071, 0, -0.7071 }, { 0.2, 0.3, -0.9 },
    { 0.6, -0.64, 0.48 }, { 0.25, -0.25, 0.9354 }, { 0.2499, 0, 0.9687 },
  };
  const gchar *expected[] = {
    "R", "L", "A", "P", "H", "F", "LP", "RF", "FP", "ALH", "HLA", "H",
  };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    assert_letters (dirs[i], expected[i]);
}

static void
assert_plane_letters (const FidacPlane *plane,
                      const gchar      *left,
                      const gchar      *right,
                      const gchar      *top,
                      const gchar      *bottom)
{
  gchar l[4], r[4], t[4], b[4];

  fidac_mpr_plane_letters (plane, l, r, t, b);
  g_assert_cmpstr (l, ==, left);
  g_assert_cmpstr (r, ==, right);
  g_assert_cmpstr (t, ==, top);
  g_assert_cmpstr (b, ==, bottom);
}

static void
test_letters_views (void)
{
  /* The views are planes in patient space: a feet-first or oblique acquisition is
   * resliced and shows the same letters. */
  for (Phantom p = 0; p < N_PHANTOMS; p++)
    {
      g_autoptr(FidacMpr) mpr = mpr_new (p);
      FidacPlane plane;

      fidac_mpr_get_plane (mpr, FIDAC_VIEW_AXIAL, 300, 200, &plane);
      assert_plane_letters (&plane, "R", "L", "A", "P");
      fidac_mpr_get_plane (mpr, FIDAC_VIEW_CORONAL, 300, 200, &plane);
      assert_plane_letters (&plane, "R", "L", "H", "F");
      fidac_mpr_get_plane (mpr, FIDAC_VIEW_SAGITTAL, 300, 200, &plane);
      assert_plane_letters (&plane, "A", "P", "H", "F");
    }

  /* A plane of the oblique grid as stored: its rows turned by 30 degrees about z. */
  {
    const FidacVolume *volume = phantom (PHANTOM_OBLIQUE);
    FidacPlane plane = { .pixel_size = 1.0, .width = 10, .height = 10 };

    memcpy (plane.right, volume->axis[0], sizeof plane.right);
    memcpy (plane.down, volume->axis[1], sizeof plane.down);
    g_assert_cmpfloat_with_epsilon (plane.right[0], cos (G_PI / 6), EPS);
    assert_plane_letters (&plane, "RA", "LP", "AL", "PR");
  }
}

static void
assert_scale_bar (gdouble pixel_size,
                  gdouble max_pixels,
                  gdouble mm,
                  gdouble pixels)
{
  gdouble m = -1, p = -1;

  g_assert_true (fidac_mpr_scale_bar (pixel_size, max_pixels, &m, &p));
  g_assert_cmpfloat_with_epsilon (m, mm, 1e-12);
  g_assert_cmpfloat_with_epsilon (p, pixels, 1e-9);
}

static void
test_scale_bar (void)
{
  gdouble mm = -1, pixels = -1;

  assert_scale_bar (0.5, 100.0, 50.0, 100.0);
  assert_scale_bar (0.7, 100.0, 50.0, 50.0 / 0.7);
  g_assert_true (fidac_mpr_scale_bar (0.7, 100.0, NULL, &pixels));
  g_assert_cmpfloat_with_epsilon (pixels, 71.43, 0.005);
  assert_scale_bar (1.4, 100.0, 100.0, 100.0 / 1.4);
  assert_scale_bar (2.0, 150.0, 200.0, 100.0);
  assert_scale_bar (0.3, 100.0, 20.0, 20.0 / 0.3);
  assert_scale_bar (0.01, 100.0, 1.0, 100.0);
  assert_scale_bar (0.002, 50.0, 0.1, 50.0);
  assert_scale_bar (0.004, 100.0, 0.2, 50.0);
  assert_scale_bar (1000.0, 10.0, 10000.0, 10.0);
  assert_scale_bar (1000.0, 1000.0, 50000.0, 50.0);

  g_assert_false (fidac_mpr_scale_bar (0.002, 40.0, &mm, &pixels));
  g_assert_cmpfloat (mm, ==, 0.0);
  g_assert_cmpfloat (pixels, ==, 0.0);
  g_assert_false (fidac_mpr_scale_bar (0.0, 100.0, &mm, &pixels));
  g_assert_false (fidac_mpr_scale_bar (-0.5, 100.0, &mm, &pixels));
  g_assert_false (fidac_mpr_scale_bar (0.5, 0.0, &mm, &pixels));
  g_assert_false (fidac_mpr_scale_bar (NAN, 100.0, &mm, &pixels));
  g_assert_false (fidac_mpr_scale_bar (0.5, INFINITY, &mm, &pixels));
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fidac/mpr/new/default", test_new_default);
  g_test_add_func ("/fidac/mpr/new/feet-first", test_new_feet_first);
  g_test_add_func ("/fidac/mpr/new/oblique", test_new_oblique);
  g_test_add_func ("/fidac/mpr/plane/init-view", test_plane_init_view);
  g_test_add_func ("/fidac/mpr/plane/fit", test_plane_fit);
  g_test_add_func ("/fidac/mpr/slices/step", test_slices_step);
  g_test_add_func ("/fidac/mpr/slices/oblique", test_slices_oblique);
  g_test_add_func ("/fidac/mpr/slices/at-position", test_slice_at_position);
  g_test_add_func ("/fidac/mpr/slices/position", test_slice_position);
  g_test_add_func ("/fidac/mpr/crosshair/click", test_crosshair_click);
  g_test_add_func ("/fidac/mpr/crosshair/on-planes", test_crosshair_on_planes);
  g_test_add_func ("/fidac/mpr/screen/roundtrip", test_screen_roundtrip);
  g_test_add_func ("/fidac/mpr/zoom", test_zoom);
  g_test_add_func ("/fidac/mpr/pan-reset", test_pan_reset);
  g_test_add_func ("/fidac/mpr/window/drag", test_window_drag);
  g_test_add_func ("/fidac/mpr/probe/default", test_probe);
  g_test_add_func ("/fidac/mpr/probe/oblique", test_probe_oblique);
  g_test_add_func ("/fidac/mpr/letters/direction", test_letters_direction);
  g_test_add_func ("/fidac/mpr/letters/views", test_letters_views);
  g_test_add_func ("/fidac/mpr/scale-bar", test_scale_bar);

  result = g_test_run ();
  for (guint p = 0; p < N_PHANTOMS; p++)
    g_clear_pointer (&phantoms[p], fidac_volume_free);
  return result;
}
