/* test-label-map.c: counts and dirty flags of the label map stay exact.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fidac-label-map.h"
#include "fidac-test-support.h"

static FidacVolume *
make_volume (gint columns, gint rows, gint slices)
{
  g_autoptr(GError) error = NULL;
  FidacVolume *volume = fidac_volume_new (columns, rows, slices, &error);

  g_assert_no_error (error);
  memset (volume->voxels, 0, fidac_volume_n_voxels (volume) * sizeof (gint16));
  return volume;
}

static void
test_new (void)
{
  g_autoptr(FidacVolume) volume = make_volume (7, 5, 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, &error);
  gint k0 = 99, k1 = 99;

  g_assert_no_error (error);
  g_assert_cmpint (map->dims[0], ==, 7);
  g_assert_cmpint (map->dims[1], ==, 5);
  g_assert_cmpint (map->dims[2], ==, 3);
  for (gsize n = 0; n < 7 * 5 * 3; n++)
    g_assert_cmpuint (map->labels[n], ==, 0);
  g_assert_cmpuint (fidac_label_map_count (map, FIDAC_LABEL_NONE), ==, 105);
  g_assert_cmpuint (fidac_label_map_slice_count (map, 2, FIDAC_LABEL_NONE), ==, 35);
  g_assert_cmpuint (fidac_label_map_count (map, 1), ==, 0);
  g_assert_false (fidac_label_map_get_dirty (map, &k0, &k1));
  g_assert_cmpint (k0, ==, -1);
  g_assert_cmpint (k1, ==, -1);
  fidac_test_assert_label_counts (map);

  /* References share the one map. */
  g_assert_true (fidac_label_map_ref (map) == map);
  fidac_label_map_unref (map);
}

static void
test_set (void)
{
  g_autoptr(FidacVolume) volume = make_volume (4, 3, 6);
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);
  gint k0, k1;

  g_assert_cmpuint (fidac_label_map_set (map, 1, 2, 3, 2), ==, 0);
  g_assert_cmpuint (fidac_label_map_get (map, 1, 2, 3), ==, 2);
  g_assert_cmpuint (map->labels[(3 * 3 + 2) * 4 + 1], ==, 2);
  g_assert_cmpuint (fidac_label_map_set (map, 1, 2, 3, 5), ==, 2);
  g_assert_cmpuint (fidac_label_map_set (map, 0, 0, 1, 5), ==, 0);
  g_assert_cmpuint (fidac_label_map_set (map, 3, 2, 5, 15), ==, 0);
  g_assert_cmpuint (fidac_label_map_count (map, 2), ==, 0);
  g_assert_cmpuint (fidac_label_map_count (map, 5), ==, 2);
  g_assert_cmpuint (fidac_label_map_count (map, 15), ==, 1);
  g_assert_cmpuint (fidac_label_map_slice_count (map, 3, 5), ==, 1);
  g_assert_cmpuint (fidac_label_map_slice_count (map, 3, 0), ==, 11);
  g_assert_true (fidac_label_map_get_dirty (map, &k0, &k1));
  g_assert_cmpint (k0, ==, 1);
  g_assert_cmpint (k1, ==, 5);
  g_assert_true (map->dirty[1] && map->dirty[3] && map->dirty[5]);
  g_assert_false (map->dirty[0] || map->dirty[2] || map->dirty[4]);
  fidac_test_assert_label_counts (map);

  fidac_label_map_clear_dirty (map);
  g_assert_false (fidac_label_map_get_dirty (map, NULL, NULL));

  /* Writing the value already there changes nothing, not even the dirty flag. */
  g_assert_cmpuint (fidac_label_map_set (map, 1, 2, 3, 5), ==, 5);
  g_assert_false (fidac_label_map_get_dirty (map, NULL, NULL));

  g_assert_cmpuint (fidac_label_map_set (map, 1, 2, 3, 0), ==, 5);
  g_assert_true (fidac_label_map_get_dirty (map, &k0, &k1));
  g_assert_cmpint (k0, ==, 3);
  g_assert_cmpint (k1, ==, 3);
  fidac_test_assert_label_counts (map);
}

static void
test_touch (void)
{
  g_autoptr(FidacVolume) volume = make_volume (16, 16, 10);
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);
  gint k0, k1;

  /* A bulk writer fills slices 2..4 directly, then touches them. */
  for (gsize n = 2 * 256; n < 5 * 256; n++)
    map->labels[n] = (guint8) (n % 3);
  fidac_label_map_touch (map, 2, 4);
  g_assert_true (fidac_label_map_get_dirty (map, &k0, &k1));
  g_assert_cmpint (k0, ==, 2);
  g_assert_cmpint (k1, ==, 4);
  fidac_test_assert_label_counts (map);
  /* 768 voxels, n from 512: residues 2,0,1,2,0,1... 256 of each. */
  g_assert_cmpuint (fidac_label_map_count (map, 1), ==, 256);
  g_assert_cmpuint (fidac_label_map_count (map, 2), ==, 256);
  g_assert_cmpuint (fidac_label_map_count (map, 0), ==, 2560 - 512);

  /* Out-of-range slices are clamped, not read. */
  fidac_label_map_clear_dirty (map);
  fidac_label_map_touch (map, -5, 0);
  fidac_label_map_touch (map, 9, 40);
  g_assert_true (fidac_label_map_get_dirty (map, &k0, &k1));
  g_assert_cmpint (k0, ==, 0);
  g_assert_cmpint (k1, ==, 9);
  g_assert_false (map->dirty[5]);
  fidac_test_assert_label_counts (map);
}

static void
test_touch_invalid (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(FidacVolume) volume = make_volume (4, 4, 2);
      g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);

      map->labels[17] = 200;
      fidac_label_map_touch (map, 0, 1);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*not a class id*");
}

static void
test_set_invalid (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(FidacVolume) volume = make_volume (4, 4, 2);
      g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);

      fidac_label_map_set (map, 4, 0, 0, 1);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*assertion*failed*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fidac/label-map/new", test_new);
  g_test_add_func ("/fidac/label-map/set", test_set);
  g_test_add_func ("/fidac/label-map/touch", test_touch);
  g_test_add_func ("/fidac/label-map/touch-invalid", test_touch_invalid);
  g_test_add_func ("/fidac/label-map/set-invalid", test_set_invalid);

  return g_test_run ();
}
