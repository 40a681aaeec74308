/* test-volume.c: the volume and its voxel <-> patient geometry.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "fidac-volume.h"
#include "fidac-window-level.h"

static void
test_volume_new_invalid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) volume = fidac_volume_new (0, 10, 10, &error);

  g_assert_null (volume);
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  volume = fidac_volume_new (10, 10, 100000, &error);
  g_assert_null (volume);
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
}

static void
test_volume_index (void)
{
  g_autoptr(FidacVolume) volume = fidac_volume_new (4, 3, 2, NULL);

  g_assert_cmpuint (fidac_volume_n_voxels (volume), ==, 24);
  for (gsize v = 0; v < 24; v++)
    volume->voxels[v] = (gint16) v;
  g_assert_cmpint (fidac_volume_get (volume, 3, 2, 1), ==, 23);
  g_assert_cmpint (fidac_volume_get (volume, 1, 2, 0), ==, 9);
  g_assert_cmpint (fidac_volume_slice (volume, 1)[0], ==, 12);
  fidac_volume_set (volume, 0, 1, 1, -1000);
  g_assert_cmpint (volume->voxels[16], ==, -1000);
  g_assert_true (fidac_volume_contains (volume, 3, 2, 1));
  g_assert_false (fidac_volume_contains (volume, 4, 0, 0));
  g_assert_false (fidac_volume_contains (volume, 0, -1, 0));

  gint16 lo, hi;
  fidac_volume_get_range (volume, &lo, &hi);
  g_assert_cmpint (lo, ==, -1000);
  g_assert_cmpint (hi, ==, 23);
}

static void
test_volume_geometry (void)
{
  g_autoptr(FidacVolume) volume = fidac_volume_new (10, 20, 30, NULL);
  g_autoptr(GError) error = NULL;
  /* An oblique acquisition: rows along (cos 30°, sin 30°, 0), columns along z. */
  const gdouble c30 = cos (G_PI / 6), s30 = sin (G_PI / 6);
  const gdouble origin[3] = { -100, 50, 25 };
  const gdouble ax_i[3] = { c30, s30, 0 }, ax_j[3] = { 0, 0, -1 };
  gdouble ax_k[3];
  const gdouble spacing[3] = { 0.5, 0.75, 2.0 };
  gdouble p[3], v[3];

  fidac_vec3_cross (ax_i, ax_j, ax_k);
  g_assert_true (fidac_volume_set_geometry (volume, origin, ax_i, ax_j, ax_k, spacing, &error));
  g_assert_no_error (error);

  fidac_volume_voxel_to_patient (volume, (const gdouble[3]) { 0, 0, 0 }, p);
  g_assert_cmpfloat_with_epsilon (p[0], -100, 1e-9);
  g_assert_cmpfloat_with_epsilon (p[1], 50, 1e-9);
  g_assert_cmpfloat_with_epsilon (p[2], 25, 1e-9);

  fidac_volume_voxel_to_patient (volume, (const gdouble[3]) { 2, 4, 3 }, p);
  /* 2*0.5 along i, 4*0.75 along j (down z), 3*2 along the normal (-s30, c30, 0). */
  g_assert_cmpfloat_with_epsilon (p[0], -100 + 1.0 * c30 - 6.0 * s30, 1e-9);
  g_assert_cmpfloat_with_epsilon (p[1], 50 + 1.0 * s30 + 6.0 * c30, 1e-9);
  g_assert_cmpfloat_with_epsilon (p[2], 25 - 3.0, 1e-9);

  fidac_volume_patient_to_voxel (volume, p, v);
  g_assert_cmpfloat_with_epsilon (v[0], 2, 1e-9);
  g_assert_cmpfloat_with_epsilon (v[1], 4, 1e-9);
  g_assert_cmpfloat_with_epsilon (v[2], 3, 1e-9);
  g_assert_cmpfloat_with_epsilon (fidac_volume_tilt_degrees (volume), 0, 1e-6);
}

static void
test_volume_tilt (void)
{
  g_autoptr(FidacVolume) volume = fidac_volume_new (8, 8, 8, NULL);
  const gdouble origin[3] = { 0, 0, 0 };
  const gdouble ax_i[3] = { 1, 0, 0 }, ax_j[3] = { 0, 1, 0 };
  /* 15° gantry tilt: each slice steps along z and a bit along y. */
  const gdouble ax_k[3] = { 0, sin (G_PI / 12), cos (G_PI / 12) };
  const gdouble spacing[3] = { 1, 1, 3 };
  gdouble p[3];

  g_assert_true (fidac_volume_set_geometry (volume, origin, ax_i, ax_j, ax_k, spacing, NULL));
  g_assert_cmpfloat_with_epsilon (fidac_volume_tilt_degrees (volume), 15, 1e-6);
  fidac_volume_voxel_to_patient (volume, (const gdouble[3]) { 0, 0, 2 }, p);
  g_assert_cmpfloat_with_epsilon (p[1], 6 * sin (G_PI / 12), 1e-9);
  g_assert_cmpfloat_with_epsilon (p[2], 6 * cos (G_PI / 12), 1e-9);
}

static void
test_volume_geometry_invalid (void)
{
  g_autoptr(FidacVolume) volume = fidac_volume_new (8, 8, 8, NULL);
  g_autoptr(GError) error = NULL;
  const gdouble origin[3] = { 0, 0, 0 };
  const gdouble x[3] = { 1, 0, 0 }, y[3] = { 0, 1, 0 }, z[3] = { 0, 0, 1 }, zero[3] = { 0, 0, 0 };
  const gdouble spacing[3] = { 1, 1, 1 }, bad_spacing[3] = { 1, 0, 1 };

  g_assert_false (fidac_volume_set_geometry (volume, origin, x, x, z, spacing, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (fidac_volume_set_geometry (volume, origin, x, zero, z, spacing, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (fidac_volume_set_geometry (volume, origin, x, y, y, spacing, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (fidac_volume_set_geometry (volume, origin, x, y, z, bad_spacing, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
}

static void
test_window_level (void)
{
  /* Lung window W 1500 L -600: -1350 and below black, 150 and above white. */
  g_assert_cmpuint (fidac_window_level_map (-1351, 1500, -600), ==, 0);
  /* Truncated like DCMTK: 59.54 and 127.59. */
  g_assert_cmpuint (fidac_window_level_map (-1000, 1500, -600), ==, 59);
  g_assert_cmpuint (fidac_window_level_map (-600, 1500, -600), ==, 127);
  g_assert_cmpuint (fidac_window_level_map (-1349, 1500, -600), ==, 0);
  g_assert_cmpuint (fidac_window_level_map (148, 1500, -600), ==, 254);
  g_assert_cmpuint (fidac_window_level_map (149, 1500, -600), ==, 255);
  g_assert_cmpuint (fidac_window_level_map (151, 1500, -600), ==, 255);
  g_assert_cmpuint (fidac_window_level_map (40, 1, 40), ==, 255);
  g_assert_cmpuint (fidac_window_level_map (39, 1, 40), ==, 0);

  g_autoptr(FidacVolume) volume = fidac_volume_new (300, 300, 2, NULL);
  g_autofree guint8 *gray = g_malloc (300 * 300);
  for (gsize v = 0; v < fidac_volume_n_voxels (volume); v++)
    volume->voxels[v] = (gint16) ((gint) (v % 4000) - 2000);
  fidac_window_level_slice_gray (volume, 1, 1500, -600, gray);
  for (gsize v = 0; v < 300 * 300; v += 997)
    g_assert_cmpuint (gray[v], ==, fidac_window_level_map (fidac_volume_slice (volume, 1)[v], 1500, -600));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fidac/volume/new-invalid", test_volume_new_invalid);
  g_test_add_func ("/fidac/volume/index", test_volume_index);
  g_test_add_func ("/fidac/volume/geometry", test_volume_geometry);
  g_test_add_func ("/fidac/volume/tilt", test_volume_tilt);
  g_test_add_func ("/fidac/volume/geometry-invalid", test_volume_geometry_invalid);
  g_test_add_func ("/fidac/window-level/map", test_window_level);
  return g_test_run ();
}
