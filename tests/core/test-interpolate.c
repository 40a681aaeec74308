/* test-interpolate.c: fill between slices (shape-based interpolation of painted slices).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "fidac-interpolate.h"
#include "fidac-phantom.h"
#include "fidac-test-support.h"
#include "fidac-undo.h"

static FidacVolume *
make_volume (gint          columns,
             gint          rows,
             gint          slices,
             const gdouble spacing[3])
{
  const gdouble origin[3] = { 0, 0, 0 };
  const gdouble ax_i[3] = { 1, 0, 0 }, ax_j[3] = { 0, 1, 0 }, ax_k[3] = { 0, 0, 1 };
  g_autoptr(GError) error = NULL;
  FidacVolume *volume = fidac_volume_new (columns, rows, slices, &error);

  g_assert_no_error (error);
  memset (volume->voxels, 0, fidac_volume_n_voxels (volume) * sizeof (gint16));
  g_assert_true (fidac_volume_set_geometry (volume, origin, ax_i, ax_j, ax_k, spacing, NULL));
  return volume;
}

/* A disc of radius r (voxels) centred on (cu, cv) in slice `slice` perpendicular to `axis`;
 * returns its voxel count. */
static gsize
paint_disc (FidacLabelMap *map,
            gint           axis,
            gint           slice,
            gdouble        cu,
            gdouble        cv,
            gdouble        r,
            guint8         label)
{
  gint nu = axis == 0 ? map->dims[1] : map->dims[0];
  gint nv = axis == 2 ? map->dims[1] : map->dims[2];
  gsize n = 0;

  for (gint v = 0; v < nv; v++)
    for (gint u = 0; u < nu; u++)
      if ((u - cu) * (u - cu) + (v - cv) * (v - cv) <= r * r)
        {
          gint ijk[3];

          ijk[axis] = slice;
          ijk[axis == 0 ? 1 : 0] = u;
          ijk[axis == 2 ? 1 : 2] = v;
          fidac_label_map_set (map, ijk[0], ijk[1], ijk[2], label);
          n++;
        }
  return n;
}

/* Voxels of `label` in slice `slice` perpendicular to `axis`. */
static gsize
slice_count (const FidacLabelMap *map,
             gint                 axis,
             gint                 slice,
             guint8               label)
{
  gsize n = 0;

  for (gint k = 0; k < map->dims[2]; k++)
    for (gint j = 0; j < map->dims[1]; j++)
      for (gint i = 0; i < map->dims[0]; i++)
        {
          const gint ijk[3] = { i, j, k };

          if (ijk[axis] == slice && fidac_label_map_get (map, i, j, k) == label)
            n++;
        }
  return n;
}

static void
test_edt (void)
{
  /* One feature at (2, 1) in a 5 × 4 grid, spacing 0.5 × 2 mm. */
  guint8 mask[20] = { 0 };
  gfloat out[20];

  mask[1 * 5 + 2] = 1;
  fidac_interpolate_edt_2d (mask, 5, 4, 0.5, 2.0, 1, out);
  for (gint y = 0; y < 4; y++)
    for (gint x = 0; x < 5; x++)
      {
        gdouble dx = (x - 2) * 0.5, dy = (y - 1) * 2.0;

        g_assert_cmpfloat_with_epsilon (out[y * 5 + x], dx * dx + dy * dy, 1e-6);
      }

  /* Two features: the nearer wins. No feature: G_MAXFLOAT everywhere. */
  mask[3 * 5 + 4] = 1;
  fidac_interpolate_edt_2d (mask, 5, 4, 1.0, 1.0, 1, out);
  g_assert_cmpfloat (out[3 * 5 + 3], ==, 1.0f);
  g_assert_cmpfloat (out[0], ==, 5.0f);
  g_assert_cmpfloat (out[2 * 5 + 3], ==, 2.0f);
  fidac_interpolate_edt_2d (mask, 5, 4, 1.0, 1.0, 7, out);
  for (gint p = 0; p < 20; p++)
    g_assert_cmpfloat (out[p], ==, G_MAXFLOAT);
}

/* Discs of radius 5 and 15 on slices 5 and 9: slices 6, 7, 8 grow strictly between them,
 * monotonically; nothing outside the gap is touched. */
static void
test_discs_growing (void)
{
  const gdouble spacing[3] = { 1.0, 1.0, 2.5 };
  g_autoptr(FidacVolume) volume = make_volume (48, 40, 16, spacing);
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, &error);
  g_autoptr(FidacUndo) undo = NULL;
  g_autofree guint8 *keys = NULL, *filled = NULL;
  FidacInterpolateResult result;
  FidacFillRule rule;
  gsize a5, a9, previous, n = fidac_volume_n_voxels (volume);

  g_assert_no_error (error);
  a5 = paint_disc (map, 2, 5, 24, 20, 5, 1);
  a9 = paint_disc (map, 2, 9, 24, 20, 15, 1);
  g_assert_cmpuint (a5, ==, 81);
  g_assert_cmpuint (a9, ==, 709);
  keys = g_memdup2 (map->labels, n);

  undo = fidac_undo_new (map, 10, 0);
  fidac_fill_rule_init (&rule, 1);
  g_assert_true (fidac_interpolate_slices (map, volume, 2, &rule, undo, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_painted, ==, 2);
  g_assert_cmpuint (result.n_gaps, ==, 1);
  g_assert_cmpuint (result.n_slices, ==, 3);

  /* One undo step: back to the two discs, and forward again. */
  filled = g_memdup2 (map->labels, n);
  g_assert_cmpuint (fidac_undo_n_undo (undo), ==, 1);
  g_assert_true (fidac_undo_undo (undo, NULL, NULL));
  g_assert_cmpmem (map->labels, n, keys, n);
  fidac_test_assert_label_counts (map);
  g_assert_true (fidac_undo_redo (undo, NULL, NULL));
  g_assert_cmpmem (map->labels, n, filled, n);

  previous = a5;
  for (gint k = 6; k <= 8; k++)
    {
      gsize a = fidac_label_map_slice_count (map, k, 1);

      g_test_message ("slice %d: %" G_GSIZE_FORMAT " voxels", k, a);
      g_assert_cmpuint (a, >, previous);
      g_assert_cmpuint (a, <, a9);
      previous = a;
      /* Each interpolated slice holds the smaller disc and lies within the larger. */
      for (gint j = 0; j < 40; j++)
        for (gint i = 0; i < 48; i++)
          {
            if (fidac_label_map_get (map, i, j, 5))
              g_assert_cmpuint (fidac_label_map_get (map, i, j, k), ==, 1);
            if (fidac_label_map_get (map, i, j, k))
              g_assert_cmpuint (fidac_label_map_get (map, i, j, 9), ==, 1);
          }
    }
  g_assert_cmpuint (fidac_label_map_count (map, 1), ==, a5 + a9 + result.n_changed);
  g_assert_cmpuint (fidac_label_map_slice_count (map, 5, 1), ==, a5);
  g_assert_cmpuint (fidac_label_map_slice_count (map, 9, 1), ==, a9);
  for (gint k = 0; k < 16; k++)
    if (k < 5 || k > 9)
      g_assert_cmpuint (fidac_label_map_slice_count (map, k, FIDAC_LABEL_NONE), ==, 48 * 40);
  fidac_test_assert_label_counts (map);

  /* Run again: every slice between holds the class, nothing left to do. */
  g_assert_true (fidac_interpolate_slices (map, volume, 2, &rule, NULL, &result, &error));
  g_assert_cmpuint (result.n_painted, ==, 5);
  g_assert_cmpuint (result.n_gaps, ==, 0);
  g_assert_cmpuint (result.n_changed, ==, 0);
}

/* The same disc on slices 3 and 7 comes out identical on 4, 5, 6; and along the axes i and
 * j too, with anisotropic spacing. */
static void
test_discs_identical (void)
{
  const gdouble spacing[3] = { 0.7, 0.9, 3.0 };
  g_autoptr(FidacVolume) volume = make_volume (36, 30, 24, spacing);

  for (gint axis = 0; axis < 3; axis++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, &error);
      FidacInterpolateResult result;
      FidacFillRule rule;
      gsize area;

      fidac_fill_rule_init (&rule, 2);
      area = paint_disc (map, axis, 3, 12.3, 10.6, 7.2, 2);
      g_assert_cmpuint (paint_disc (map, axis, 7, 12.3, 10.6, 7.2, 2), ==, area);
      g_assert_true (fidac_interpolate_slices (map, volume, axis, &rule, NULL, &result, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (result.n_gaps, ==, 1);
      g_assert_cmpuint (result.n_slices, ==, 3);
      g_assert_cmpuint (result.n_changed, ==, 3 * area);
      g_assert_cmpuint (fidac_label_map_count (map, 2), ==, 5 * area);
      for (gint s = 3; s <= 7; s++)
        g_assert_cmpuint (slice_count (map, axis, s, 2), ==, area);
      /* Slice by slice equal to the disc: a disc painted again over each adds nothing. */
      for (gint s = 4; s <= 6; s++)
        {
          guint64 before = fidac_label_map_count (map, 2);

          paint_disc (map, axis, s, 12.3, 10.6, 7.2, 2);
          g_assert_cmpuint (fidac_label_map_count (map, 2), ==, before);
        }
      fidac_test_assert_label_counts (map);
    }
}

/* Several gaps along k (2–6, 6–8), a slice next to its neighbour (8, 9: no gap), and the
 * paint-over rule: a square of class 3 in the gap stays when painting over empty only. */
static void
test_gaps_and_rules (void)
{
  const gdouble spacing[3] = { 1.0, 1.0, 1.0 };
  g_autoptr(FidacVolume) volume = make_volume (32, 32, 14, spacing);
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, &error);
  FidacInterpolateResult result;
  FidacFillRule rule;
  gsize area;

  area = paint_disc (map, 2, 2, 16, 16, 6, 1);
  paint_disc (map, 2, 6, 16, 16, 6, 1);
  paint_disc (map, 2, 8, 16, 16, 6, 1);
  paint_disc (map, 2, 9, 16, 16, 6, 1);
  for (gint j = 14; j < 18; j++)
    for (gint i = 14; i < 18; i++)
      fidac_label_map_set (map, i, j, 4, 3);

  fidac_fill_rule_init (&rule, 1);
  g_assert_true (fidac_interpolate_slices (map, volume, 2, &rule, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_painted, ==, 4);
  g_assert_cmpuint (result.n_gaps, ==, 2);
  g_assert_cmpuint (result.n_slices, ==, 4);
  g_assert_cmpuint (result.n_changed, ==, 4 * area - 16);
  g_assert_cmpuint (fidac_label_map_slice_count (map, 4, 3), ==, 16);
  g_assert_cmpuint (fidac_label_map_slice_count (map, 4, 1), ==, area - 16);
  g_assert_cmpuint (fidac_label_map_slice_count (map, 7, 1), ==, area);
  for (gint k = 0; k < 14; k++)
    if (k < 2 || k > 9)
      g_assert_cmpuint (fidac_label_map_slice_count (map, k, 1), ==, 0);
  fidac_test_assert_label_counts (map);

  /* Over class 3 fills the square too. */
  fidac_fill_clear_slice (map, 2, 4, 1, 0, NULL, NULL);
  rule.over = FIDAC_PAINT_OVER_CLASS;
  rule.over_label = 3;
  g_assert_true (fidac_interpolate_slices (map, volume, 2, &rule, NULL, &result, &error));
  g_assert_cmpuint (result.n_slices, ==, 1);
  g_assert_cmpuint (result.n_changed, ==, area);
  g_assert_cmpuint (fidac_label_map_slice_count (map, 4, 3), ==, 0);
  fidac_test_assert_label_counts (map);

  /* One key slice only, or none: nothing to do, no error. */
  {
    g_autoptr(FidacLabelMap) one = fidac_label_map_new (volume, &error);

    paint_disc (one, 2, 5, 16, 16, 4, 1);
    g_assert_true (fidac_interpolate_slices (one, volume, 2, &rule, NULL, &result, &error));
    g_assert_cmpuint (result.n_painted, ==, 1);
    g_assert_cmpuint (result.n_changed, ==, 0);
    fidac_fill_rule_init (&rule, 5);
    g_assert_true (fidac_interpolate_slices (one, volume, 0, &rule, NULL, &result, &error));
    g_assert_cmpuint (result.n_painted, ==, 0);
  }

  /* Errors: a locked class, a bad axis, no class. */
  fidac_fill_rule_init (&rule, 1);
  rule.locked = 1u << 1;
  g_assert_false (fidac_interpolate_slices (map, volume, 2, &rule, NULL, &result, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  rule.locked = 0;
  g_assert_false (fidac_interpolate_slices (map, volume, 3, &rule, NULL, &result, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  fidac_fill_rule_init (&rule, FIDAC_LABEL_NONE);
  g_assert_false (fidac_interpolate_slices (map, volume, 2, &rule, NULL, &result, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
}

/* Voxels of `label` in slice k inside the disc (cu, cv, r) (axis 2). */
static gsize
count_in_disc (const FidacLabelMap *map,
               gint                 k,
               gdouble              cu,
               gdouble              cv,
               gdouble              r,
               guint8               label)
{
  gsize n = 0;

  for (gint j = 0; j < map->dims[1]; j++)
    for (gint i = 0; i < map->dims[0]; i++)
      if ((i - cu) * (i - cu) + (j - cv) * (j - cv) <= r * r &&
          fidac_label_map_get (map, i, j, k) == label)
        n++;
  return n;
}

/* Shapes are matched by overlap and interpolated pair by pair: disc A (slice 2, r 6) grows
 * into A' (slice 8, r 8); disc B (slice 2 only) shrinks and is gone by the middle of the
 * gap; disc C (slice 8 only) appears after the middle and grows; nothing else is written
 * (no bridge between B and C, which lie 7 voxels apart). */
static void
test_shapes_matched (void)
{
  const gdouble spacing[3] = { 1.0, 1.0, 1.0 };
  g_autoptr(FidacVolume) volume = make_volume (64, 48, 12, spacing);
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, &error);
  FidacInterpolateResult result;
  FidacFillRule rule;
  gsize a, a1, b, c, previous_a = 0, previous_b = G_MAXSIZE, previous_c = 0;

  a = paint_disc (map, 2, 2, 16, 24, 6, 1);
  b = paint_disc (map, 2, 2, 48, 24, 5, 1);
  a1 = paint_disc (map, 2, 8, 16, 24, 8, 1);
  c = paint_disc (map, 2, 8, 40, 10, 4, 1);
  g_assert_cmpuint (a, ==, 113);
  g_assert_cmpuint (b, ==, 81);
  g_assert_cmpuint (a1, ==, 197);
  g_assert_cmpuint (c, ==, 49);

  fidac_fill_rule_init (&rule, 1);
  g_assert_true (fidac_interpolate_slices (map, volume, 2, &rule, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_gaps, ==, 1);
  g_assert_cmpuint (result.n_slices, ==, 5);

  for (gint k = 3; k <= 7; k++)
    {
      gsize in_a = count_in_disc (map, k, 16, 24, 8, 1);
      gsize in_b = count_in_disc (map, k, 48, 24, 5, 1);
      gsize in_c = count_in_disc (map, k, 40, 10, 4, 1);

      g_test_message ("slice %d: A %" G_GSIZE_FORMAT ", B %" G_GSIZE_FORMAT ", C %"
                      G_GSIZE_FORMAT, k, in_a, in_b, in_c);
      /* Nothing outside the three discs. */
      g_assert_cmpuint (fidac_label_map_slice_count (map, k, 1), ==, in_a + in_b + in_c);
      g_assert_cmpuint (count_in_disc (map, k, 16, 24, 6, 1), ==, a);
      g_assert_cmpuint (in_a, >=, previous_a);
      g_assert_cmpuint (in_a, >=, a);
      g_assert_cmpuint (in_a, <=, a1);
      previous_a = in_a;
      if (k < 5)
        {
          g_assert_cmpuint (in_b, >, 0);
          g_assert_cmpuint (in_b, <, previous_b);
          g_assert_cmpuint (in_c, ==, 0);
        }
      else if (k == 5)
        {
          g_assert_cmpuint (in_b, ==, 0);
          g_assert_cmpuint (in_c, ==, 0);
        }
      else
        {
          g_assert_cmpuint (in_b, ==, 0);
          g_assert_cmpuint (in_c, >, previous_c);
          g_assert_cmpuint (in_c, <=, c);
        }
      previous_b = in_b;
      previous_c = in_c;
    }
  fidac_test_assert_label_counts (map);
}

/* On the phantom: a GGO lesion painted (from the ground truth) on every fourth slice only,
 * filled between: the result stays within one voxel ring of the true sphere, slice by slice
 * (a sphere's cross-section is not linear in z, so not exact), and every slice between the
 * first and last key slice holds the class. */
static void
test_phantom_sphere (void)
{
  FidacPhantomOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) phantom = NULL;
  g_autoptr(FidacLabelMap) map = NULL;
  g_autofree guint8 *truth = NULL;
  FidacInterpolateResult result;
  FidacFillRule rule;
  gsize n, slice;
  gint first = -1, last = -1;
  guint64 expected_total = 0;

  fidac_phantom_options_init (&options);
  phantom = fidac_phantom_new (&options, &error);
  g_assert_no_error (error);
  n = fidac_volume_n_voxels (phantom);
  slice = (gsize) phantom->dims[0] * phantom->dims[1];
  truth = g_new (guint8, n);
  g_assert_true (fidac_phantom_fill_lesion_labels (phantom, truth, n, &error));
  map = fidac_label_map_new (phantom, &error);
  g_assert_no_error (error);

  /* Lesion 1 (GGO, r = 14 mm at z = -37) alone: another GGO shares its slices, so keep the
   * class-1 voxels within r + 2 mm of its centre. */
  {
    const FidacPhantomLesion *lesion = &fidac_phantom_lesions (NULL)[1];

    for (gint k = 0; k < phantom->dims[2]; k++)
      for (gsize p = 0; p < slice; p++)
        {
          const gdouble v[3] = { p % phantom->dims[0], p / phantom->dims[0], k };
          gdouble x[3], d2 = 0;

          if (truth[k * slice + p] != 1)
            {
              truth[k * slice + p] = 0;
              continue;
            }
          fidac_volume_voxel_to_patient (phantom, v, x);
          for (gint a = 0; a < 3; a++)
            d2 += (x[a] - lesion->center[a]) * (x[a] - lesion->center[a]);
          truth[k * slice + p] = d2 <= (lesion->radius + 2) * (lesion->radius + 2);
        }
  }
  for (gint k = 0; k < phantom->dims[2]; k++)
    for (gsize p = 0; p < slice; p++)
      if (truth[k * slice + p])
        {
          if (first < 0)
            first = k;
          last = k;
          break;
        }
  g_assert_cmpint (last - first, >=, 8);

  /* Key slices: first, first + 4, …, and last. */
  for (gint k = first; k <= last; k++)
    {
      if ((k - first) % 4 != 0 && k != last)
        continue;
      memcpy (map->labels + k * slice, truth + k * slice, slice);
      fidac_label_map_touch (map, k, k);
    }
  fidac_fill_rule_init (&rule, 1);
  g_assert_true (fidac_interpolate_slices (map, phantom, 2, &rule, NULL, &result, &error));
  g_assert_no_error (error);

  for (gint k = 0; k < phantom->dims[2]; k++)
    {
      gsize have = fidac_label_map_slice_count (map, k, 1), want = 0, wrong = 0;

      for (gsize p = 0; p < slice; p++)
        {
          want += truth[k * slice + p];
          wrong += (map->labels[k * slice + p] == 1) != truth[k * slice + p];
        }
      expected_total += want;
      g_test_message ("slice %d: %" G_GSIZE_FORMAT " interpolated, %" G_GSIZE_FORMAT
                      " true, %" G_GSIZE_FORMAT " differ", k, have, want, wrong);
      if (k < first || k > last)
        g_assert_cmpuint (have, ==, 0);
      else
        {
          g_assert_cmpuint (have, >, 0);
          /* Within a ring of the true disc's perimeter: 2π r / pixel at most. */
          g_assert_cmpuint (wrong, <=, (gsize) (2 * G_PI * 14.0 / 1.4) + 1);
        }
    }
  g_test_message ("lesion 1: %" G_GUINT64_FORMAT " voxels true, %" G_GUINT64_FORMAT
                  " after interpolation", expected_total, fidac_label_map_count (map, 1));
  fidac_test_assert_label_counts (map);
}

/* A timing for the report on a 512 × 512 grid: two large discs 8 slices apart. */
static void
test_timing (void)
{
  const gdouble spacing[3] = { 0.7, 0.7, 1.25 };
  g_autoptr(FidacVolume) volume = make_volume (512, 512, 20, spacing);
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);
  FidacInterpolateResult result;
  FidacFillRule rule;
  gint64 t0;

  if (!g_test_perf ())
    {
      g_test_skip ("timing only with -m perf");
      return;
    }
  paint_disc (map, 2, 2, 200, 260, 60, 1);
  paint_disc (map, 2, 10, 260, 250, 150, 1);
  fidac_fill_rule_init (&rule, 1);
  t0 = g_get_monotonic_time ();
  g_assert_true (fidac_interpolate_slices (map, volume, 2, &rule, NULL, &result, NULL));
  g_test_minimized_result ((g_get_monotonic_time () - t0) / 1000.0,
                           "interpolation of 7 slices (512 x 512, discs r 60 and 150): %.1f ms",
                           (g_get_monotonic_time () - t0) / 1000.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fidac/interpolate/edt", test_edt);
  g_test_add_func ("/fidac/interpolate/discs-growing", test_discs_growing);
  g_test_add_func ("/fidac/interpolate/discs-identical", test_discs_identical);
  g_test_add_func ("/fidac/interpolate/gaps-and-rules", test_gaps_and_rules);
  g_test_add_func ("/fidac/interpolate/shapes-matched", test_shapes_matched);
  g_test_add_func ("/fidac/interpolate/phantom-sphere", test_phantom_sphere);
  g_test_add_func ("/fidac/interpolate/timing", test_timing);

  return g_test_run ();
}
