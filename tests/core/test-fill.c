/* test-fill.c: region growing, polygon fill, islands and clearing on the label map, with
 * exact expectations on the phantom.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "fidac-fill.h"
#include "fidac-undo.h"
#include "fidac-phantom.h"
#include "fidac-test-support.h"

/* One phantom on the default grid for every test: it takes a while to sample. */
static FidacVolume *phantom;
static guint8 *truth;           /* fidac_phantom_fill_lesion_labels() of it */

/* The changes were recorded as `n_steps` undo steps: undoing them restores `before_labels`
 * bit for bit, redoing them the map as it is now; the counts stay exact throughout. */
static void
assert_undo_redo (FidacUndo    *undo,
                  const guint8 *before_labels,
                  guint         n_steps)
{
  FidacLabelMap *map = fidac_undo_get_map (undo);
  gsize n = (gsize) map->dims[0] * map->dims[1] * map->dims[2];
  g_autofree guint8 *after = g_memdup2 (map->labels, n);

  g_assert_cmpuint (fidac_undo_n_undo (undo), ==, n_steps);
  for (guint s = 0; s < n_steps; s++)
    g_assert_true (fidac_undo_undo (undo, NULL, NULL));
  g_assert_false (fidac_undo_undo (undo, NULL, NULL));
  g_assert_cmpmem (map->labels, n, before_labels, n);
  fidac_test_assert_label_counts (map);
  for (guint s = 0; s < n_steps; s++)
    g_assert_true (fidac_undo_redo (undo, NULL, NULL));
  g_assert_false (fidac_undo_redo (undo, NULL, NULL));
  g_assert_cmpmem (map->labels, n, after, n);
  fidac_test_assert_label_counts (map);
}

static void
lesion_seed (guint l,
             gint  seed[3])
{
  const FidacPhantomLesion *lesions = fidac_phantom_lesions (NULL);

  g_assert_true (fidac_fill_seed_from_patient (phantom, lesions[l].center, seed));
}

/* Ground-truth voxels of lesion l (those of its class within r + 2 mm of its centre: the
 * lesions are further apart than that) in the slice perpendicular to `axis` through `at`,
 * or in the whole volume when axis is -1. */
static gsize
truth_count (guint       l,
             gint        axis,
             const gint  at[3])
{
  const FidacPhantomLesion *lesion = &fidac_phantom_lesions (NULL)[l];
  gsize count = 0;

  for (gint k = 0; k < phantom->dims[2]; k++)
    for (gint j = 0; j < phantom->dims[1]; j++)
      for (gint i = 0; i < phantom->dims[0]; i++)
        {
          const gint ijk[3] = { i, j, k };
          const gdouble v[3] = { i, j, k };
          gdouble p[3], d2 = 0;
          gsize index = ((gsize) k * phantom->dims[1] + j) * phantom->dims[0] + i;

          if (truth[index] != lesion->lesion_class || (axis >= 0 && ijk[axis] != at[axis]))
            continue;
          fidac_volume_voxel_to_patient (phantom, v, p);
          for (gint a = 0; a < 3; a++)
            d2 += (p[a] - lesion->center[a]) * (p[a] - lesion->center[a]);
          if (d2 <= (lesion->radius + 2) * (lesion->radius + 2))
            count++;
        }
  return count;
}

/* 3D fills seeded at each lesion's centre, within ±100 HU of the seed (GGO -550, the lung
 * around at -850) or ±20 HU (consolidation 30), find exactly each lesion; all six together
 * give the ground-truth label map bit for bit. */
static void
test_region_3d (void)
{
  g_autoptr(FidacLabelMap) map = fidac_test_label_map_new (phantom);
  g_autoptr(FidacUndo) undo = fidac_undo_new (map, 100, 0);
  gsize n = fidac_volume_n_voxels (phantom);
  g_autofree guint8 *zeros = g_new0 (guint8, n);
  const FidacPhantomLesion *lesions;
  guint n_lesions;

  lesions = fidac_phantom_lesions (&n_lesions);
  for (guint l = 0; l < n_lesions; l++)
    {
      g_autoptr(GError) error = NULL;
      FidacFillRule rule;
      FidacFillResult result;
      gint seed[3], tolerance;
      gint16 hu;
      guint64 before = fidac_label_map_count (map, lesions[l].lesion_class);

      lesion_seed (l, seed);
      hu = fidac_volume_get (phantom, seed[0], seed[1], seed[2]);
      g_assert_cmpint (hu, ==, lesions[l].hu);
      tolerance = lesions[l].lesion_class == FIDAC_PHANTOM_LESION_GROUND_GLASS ? 100 : 20;
      fidac_fill_rule_init (&rule, lesions[l].lesion_class);
      g_assert_true (fidac_fill_region (map, phantom, seed, -1, hu - tolerance, hu + tolerance,
                                        0, &rule, undo, &result, &error));
      g_assert_no_error (error);
      g_assert_false (result.bounded);
      g_assert_cmpuint (result.n_region, ==, fidac_phantom_lesion_voxel_count (phantom, l));
      g_assert_cmpuint (result.n_changed, ==, result.n_region);
      g_assert_cmpuint (result.n_region, ==, truth_count (l, -1, seed));
      g_assert_cmpuint (fidac_label_map_count (map, lesions[l].lesion_class), ==,
                        before + result.n_region);
      fidac_test_assert_label_counts (map);
    }
  g_assert_cmpmem (map->labels, n, truth, n);
  g_assert_cmpuint (fidac_label_map_count (map, 1), ==, 1472 + 2338 + 1872 + 860);
  g_assert_cmpuint (fidac_label_map_count (map, 2), ==, 616 + 616);

  /* The same fill again changes nothing: painted voxels are walked through, not repainted. */
  {
    FidacFillRule rule;
    FidacFillResult result;
    gint seed[3];

    lesion_seed (0, seed);
    fidac_fill_rule_init (&rule, lesions[0].lesion_class);
    g_assert_true (fidac_fill_region (map, phantom, seed, -1, -650, -450, 0, &rule,
                                      undo, &result, NULL));
    g_assert_cmpuint (result.n_region, ==, 1472);
    g_assert_cmpuint (result.n_changed, ==, 0);
  }

  /* One undo step per fill (the one that changed nothing left none). */
  assert_undo_redo (undo, zeros, n_lesions);
}

/* 2D fills in the slices k, j and i through a lesion's centre find exactly the lesion's
 * voxels in that slice, and nothing elsewhere. */
static void
test_region_2d (void)
{
  const FidacPhantomLesion *lesions = fidac_phantom_lesions (NULL);

  for (guint l = 0; l < 2; l++)
    for (gint axis = 0; axis < 3; axis++)
      {
        g_autoptr(FidacLabelMap) map = fidac_test_label_map_new (phantom);
        g_autoptr(FidacUndo) undo = fidac_undo_new (map, 100, 0);
        g_autoptr(GError) error = NULL;
        g_autofree guint8 *zeros = g_new0 (guint8, fidac_volume_n_voxels (phantom));
        FidacFillRule rule;
        FidacFillResult result;
        gint seed[3];
        gsize expected, found = 0;

        lesion_seed (l, seed);
        expected = truth_count (l, axis, seed);
        g_assert_cmpuint (expected, >, 20);
        fidac_fill_rule_init (&rule, lesions[l].lesion_class);
        g_assert_true (fidac_fill_region (map, phantom, seed, axis, -650, -450, 0, &rule,
                                          undo, &result, &error));
        g_assert_no_error (error);
        g_assert_false (result.bounded);
        g_assert_cmpuint (result.n_region, ==, expected);
        g_assert_cmpuint (result.n_changed, ==, expected);
        for (gsize index = 0; index < fidac_volume_n_voxels (phantom); index++)
          {
            gint ijk[3] = { (gint) (index % map->dims[0]),
                            (gint) ((index / map->dims[0]) % map->dims[1]),
                            (gint) (index / ((gsize) map->dims[0] * map->dims[1])) };

            if (map->labels[index] == FIDAC_LABEL_NONE)
              continue;
            g_assert_cmpint (ijk[axis], ==, seed[axis]);
            g_assert_cmpuint (truth[index], ==, lesions[l].lesion_class);
            found++;
          }
        g_assert_cmpuint (found, ==, expected);
        g_assert_cmpuint (fidac_label_map_count (map, lesions[l].lesion_class), ==, expected);
        fidac_test_assert_label_counts (map);
        assert_undo_redo (undo, zeros, 1);
      }
}

/* A fill seeded in the lung parenchyma (-850) would take the whole lung: the bound stops it
 * at exactly max_voxels, says so, and writes those voxels (undone as one step). */
static void
test_region_bounded (void)
{
  const FidacPhantomLesion *lesion = &fidac_phantom_lesions (NULL)[0];
  /* 2 mm beyond the lesion's surface: lung by the phantom's clearance guarantee. */
  const gdouble p[3] = { lesion->center[0], lesion->center[1] + lesion->radius + 2.0,
                         lesion->center[2] };
  gdouble v[3];
  gint seed[3];

  fidac_volume_patient_to_voxel (phantom, p, v);
  for (gint a = 0; a < 3; a++)
    seed[a] = (gint) lround (v[a]);
  g_assert_cmpint (fidac_volume_get (phantom, seed[0], seed[1], seed[2]), ==, -850);

  for (gint axis = -1; axis < 3; axis++)
    {
      g_autoptr(FidacLabelMap) map = fidac_test_label_map_new (phantom);
      g_autoptr(GError) error = NULL;
      FidacFillRule rule;
      FidacFillResult result;
      guint64 bound = axis < 0 ? 20000 : 500;

      fidac_fill_rule_init (&rule, 1);
      g_assert_true (fidac_fill_region (map, phantom, seed, axis, -900, -800, bound, &rule,
                                        NULL, &result, &error));
      g_assert_no_error (error);
      g_assert_true (result.bounded);
      g_assert_cmpuint (result.n_region, ==, bound);
      g_assert_cmpuint (result.n_changed, ==, bound);
      g_assert_cmpuint (fidac_label_map_count (map, 1), ==, bound);
      fidac_test_assert_label_counts (map);
    }

  /* The bound given as a volume: 10 mL of 4.9 mm³ voxels is 2040 voxels. */
  {
    g_autoptr(FidacLabelMap) map = fidac_test_label_map_new (phantom);
    FidacFillRule rule;
    FidacFillResult result;
    guint64 bound = fidac_fill_voxels_for_ml (phantom, 10.0);

    g_assert_cmpuint (bound, ==, 2040);
    g_assert_cmpuint (fidac_fill_voxels_for_ml (phantom, 4.9e-3), ==, 1);
    g_assert_cmpuint (fidac_fill_voxels_for_ml (phantom, 4.9e-2), ==, 10);
    g_assert_cmpuint (fidac_fill_voxels_for_ml (phantom, 0), ==, 1);
    fidac_fill_rule_init (&rule, 1);
    g_assert_true (fidac_fill_region (map, phantom, seed, -1, -900, -800, bound, &rule,
                                      NULL, &result, NULL));
    g_assert_true (result.bounded);
    g_assert_cmpuint (fidac_label_map_count (map, 1), ==, 2040);
  }

  /* A bound larger than the region is not reached: the lesion alone, not flagged. */
  {
    g_autoptr(FidacLabelMap) map = fidac_test_label_map_new (phantom);
    FidacFillRule rule;
    FidacFillResult result;
    gint lseed[3];

    lesion_seed (0, lseed);
    fidac_fill_rule_init (&rule, 1);
    g_assert_true (fidac_fill_region (map, phantom, lseed, -1, -650, -450, 1473, &rule,
                                      NULL, &result, NULL));
    g_assert_false (result.bounded);
    g_assert_cmpuint (result.n_region, ==, 1472);
    /* Exactly the region's size: reached, so flagged, though nothing was left out. */
    fidac_fill_rule_init (&rule, 2);
    rule.over = FIDAC_PAINT_OVER_ALL;
    g_assert_true (fidac_fill_region (map, phantom, lseed, -1, -650, -450, 1472, &rule,
                                      NULL, &result, NULL));
    g_assert_cmpuint (result.n_region, ==, 1472);
    g_assert_cmpuint (fidac_label_map_count (map, 2), ==, 1472);
  }
}

/* Paint-over rules and locks: other classes are walls unless the rule lets them change. */
static void
test_region_rules (void)
{
  g_autoptr(FidacLabelMap) map = fidac_test_label_map_new (phantom);
  g_autoptr(GError) error = NULL;
  FidacFillRule rule;
  FidacFillResult result;
  gint seed[3];

  lesion_seed (0, seed);
  fidac_fill_rule_init (&rule, 1);
  g_assert_true (fidac_fill_region (map, phantom, seed, -1, -650, -450, 0, &rule,
                                    NULL, &result, NULL));
  g_assert_cmpuint (result.n_changed, ==, 1472);

  /* Class 2 over empty only: the seed holds class 1, a wall. */
  fidac_fill_rule_init (&rule, 2);
  g_assert_true (fidac_fill_region (map, phantom, seed, -1, -650, -450, 0, &rule,
                                    NULL, &result, NULL));
  g_assert_cmpuint (result.n_region, ==, 0);
  g_assert_cmpuint (fidac_label_map_count (map, 1), ==, 1472);

  /* Over class 3: class 1 is still a wall. */
  rule.over = FIDAC_PAINT_OVER_CLASS;
  rule.over_label = 3;
  g_assert_true (fidac_fill_region (map, phantom, seed, -1, -650, -450, 0, &rule,
                                    NULL, &result, NULL));
  g_assert_cmpuint (result.n_region, ==, 0);

  /* Over everything, but class 1 locked. */
  rule.over = FIDAC_PAINT_OVER_ALL;
  rule.locked = 1u << 1;
  g_assert_true (fidac_fill_region (map, phantom, seed, -1, -650, -450, 0, &rule,
                                    NULL, &result, NULL));
  g_assert_cmpuint (result.n_region, ==, 0);
  g_assert_cmpuint (fidac_label_map_count (map, 1), ==, 1472);

  /* Over class 1: all of it becomes class 2. */
  rule.locked = 0;
  rule.over = FIDAC_PAINT_OVER_CLASS;
  rule.over_label = 1;
  g_assert_true (fidac_fill_region (map, phantom, seed, -1, -650, -450, 0, &rule,
                                    NULL, &result, NULL));
  g_assert_cmpuint (result.n_changed, ==, 1472);
  g_assert_cmpuint (fidac_label_map_count (map, 1), ==, 0);
  g_assert_cmpuint (fidac_label_map_count (map, 2), ==, 1472);
  fidac_test_assert_label_counts (map);

  /* An HU limit narrower than the lesion's value leaves nothing to fill. */
  fidac_fill_rule_init (&rule, 3);
  rule.over = FIDAC_PAINT_OVER_ALL;
  rule.hu_limit = TRUE;
  rule.hu_min = -500;
  rule.hu_max = 0;
  g_assert_true (fidac_fill_region (map, phantom, seed, -1, -650, -450, 0, &rule,
                                    NULL, &result, NULL));
  g_assert_cmpuint (result.n_region, ==, 0);

  /* A seed outside the HU range: nothing, no error. */
  fidac_fill_rule_init (&rule, 3);
  g_assert_true (fidac_fill_region (map, phantom, seed, -1, 0, 100, 0, &rule,
                                    NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_region, ==, 0);

  /* Errors: a locked class written, a seed outside, a bad axis or range or class. */
  rule.locked = 1u << 3;
  g_assert_false (fidac_fill_region (map, phantom, seed, -1, -650, -450, 0, &rule,
                                     NULL, &result, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  rule.locked = 0;
  {
    const gint outside[3] = { 0, 0, phantom->dims[2] };

    g_assert_false (fidac_fill_region (map, phantom, outside, -1, -650, -450, 0, &rule,
                                       NULL, &result, &error));
    g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
    g_clear_error (&error);
  }
  g_assert_false (fidac_fill_region (map, phantom, seed, 3, -650, -450, 0, &rule,
                                     NULL, &result, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (fidac_fill_region (map, phantom, seed, -1, -450, -650, 0, &rule,
                                     NULL, &result, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  fidac_fill_rule_init (&rule, FIDAC_LABEL_MAX_CLASSES);
  g_assert_false (fidac_fill_region (map, phantom, seed, -1, -650, -450, 0, &rule,
                                     NULL, &result, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  fidac_test_assert_label_counts (map);
}

static void
test_axis_for_normal (void)
{
  const gdouble axial[3] = { 0, 0, 1 }, coronal[3] = { 0, -2, 0 }, sagittal[3] = { 1, 0, 0 };
  const gdouble oblique[3] = { 0.2, 0.9, 0.3 };
  FidacPhantomOptions options;
  g_autoptr(FidacVolume) tilted = NULL;

  g_assert_cmpint (fidac_fill_axis_for_normal (phantom, axial), ==, 2);
  g_assert_cmpint (fidac_fill_axis_for_normal (phantom, coronal), ==, 1);
  g_assert_cmpint (fidac_fill_axis_for_normal (phantom, sagittal), ==, 0);
  g_assert_cmpint (fidac_fill_axis_for_normal (phantom, oblique), ==, 1);
  g_assert_cmpfloat_with_epsilon (fidac_fill_voxel_mm3 (phantom), 1.4 * 1.4 * 2.5, 1e-9);

  /* Seeds: the voxel whose cell holds the point; outside the grid, none. */
  {
    const gdouble v[3] = { 10.3, 20.7, 30.49 };
    const gdouble past[3] = { -0.51, 5, 5 };
    gdouble p[3];
    gint seed[3];

    fidac_volume_voxel_to_patient (phantom, v, p);
    g_assert_true (fidac_fill_seed_from_patient (phantom, p, seed));
    g_assert_cmpint (seed[0], ==, 10);
    g_assert_cmpint (seed[1], ==, 21);
    g_assert_cmpint (seed[2], ==, 30);
    fidac_volume_voxel_to_patient (phantom, past, p);
    g_assert_false (fidac_fill_seed_from_patient (phantom, p, seed));
  }

  /* A 25° gantry tilt: the slices k still are the axial ones, and a voxel keeps its volume
   * (the shear does not change it). */
  fidac_phantom_options_init (&options);
  options.columns = 16;
  options.rows = 16;
  options.slices = 8;
  options.tilt_degrees = 25;
  tilted = fidac_phantom_new (&options, NULL);
  g_assert_nonnull (tilted);
  g_assert_cmpint (fidac_fill_axis_for_normal (tilted, axial), ==, 2);
  g_assert_cmpfloat_with_epsilon (fidac_fill_voxel_mm3 (tilted),
                                  tilted->spacing[0] * tilted->spacing[1] * tilted->spacing[2] *
                                  cos (25 * G_PI / 180), 1e-6);
}

static gsize
polygon (FidacLabelMap          *map,
         const FidacVolume      *volume,
         gint                    axis,
         gint                    slice,
         const gdouble          *uv,
         guint                   n_points,
         FidacPolygonRule        polygon_rule,
         const FidacFillRule    *rule)
{
  g_autoptr(GError) error = NULL;
  FidacFillResult result;
  guint64 before = fidac_label_map_count (map, rule->label);

  g_assert_true (fidac_fill_polygon (map, volume, axis, slice, uv, n_points, polygon_rule,
                                     rule, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fidac_label_map_count (map, rule->label) - before, ==, result.n_changed);
  fidac_test_assert_label_counts (map);
  return result.n_changed;
}

/* Polygon fills on a blank grid, counts worked out by hand. */
static void
test_polygon (void)
{
  g_autoptr(FidacVolume) volume = fidac_volume_new (40, 30, 20, NULL);
  g_autoptr(FidacLabelMap) map = NULL;
  g_autoptr(GError) error = NULL;
  FidacFillRule rule;
  /* Centres 1 .. 10 in u and v: 100. */
  const gdouble square[] = { 0.5, 0.5, 10.5, 0.5, 10.5, 10.5, 0.5, 10.5 };
  /* Integer corners: the half-open edges take u, v ∈ 0 .. 3, 16 centres. */
  const gdouble corner_square[] = { 0, 0, 4, 0, 4, 4, 0, 4 };
  /* Centres u, v >= 1 with u + v < 21 (the hypotenuse u + v = 21 is a right edge): 190. */
  const gdouble triangle[] = { 0.5, 0.5, 20.5, 0.5, 0.5, 20.5 };
  /* The square twice round: winding 2, crossings even. */
  const gdouble twice[] = { 0.5, 0.5, 10.5, 0.5, 10.5, 10.5, 0.5, 10.5,
                            0.5, 0.5, 10.5, 0.5, 10.5, 10.5, 0.5, 10.5 };
  /* Half outside the slice: centres 0 .. 4 in u and v, 25. */
  const gdouble clipped[] = { -5.5, -5.5, 4.5, -5.5, 4.5, 4.5, -5.5, 4.5 };
  /* A figure eight (bow tie) crossing itself at (10, 5): two triangles. */
  const gdouble bowtie[] = { 0.5, 0.5, 19.5, 9.5, 19.5, 0.5, 0.5, 9.5 };

  memset (volume->voxels, 0, fidac_volume_n_voxels (volume) * sizeof (gint16));
  map = fidac_test_label_map_new (volume);
  fidac_fill_rule_init (&rule, 1);

  g_assert_cmpuint (polygon (map, volume, 2, 3, square, 4, FIDAC_POLYGON_EVEN_ODD, &rule), ==, 100);
  for (gint j = 0; j < 30; j++)
    for (gint i = 0; i < 40; i++)
      g_assert_cmpuint (fidac_label_map_get (map, i, j, 3), ==,
                        (i >= 1 && i <= 10 && j >= 1 && j <= 10) ? 1 : 0);
  g_assert_cmpuint (fidac_label_map_count (map, 1), ==, 100);

  g_assert_cmpuint (polygon (map, volume, 2, 4, corner_square, 4, FIDAC_POLYGON_EVEN_ODD, &rule), ==, 16);
  g_assert_cmpuint (fidac_label_map_get (map, 0, 0, 4), ==, 1);
  g_assert_cmpuint (fidac_label_map_get (map, 3, 3, 4), ==, 1);
  g_assert_cmpuint (fidac_label_map_get (map, 4, 3, 4), ==, 0);
  g_assert_cmpuint (fidac_label_map_get (map, 3, 4, 4), ==, 0);

  g_assert_cmpuint (polygon (map, volume, 2, 5, triangle, 3, FIDAC_POLYGON_EVEN_ODD, &rule), ==, 190);
  g_assert_cmpuint (fidac_label_map_get (map, 19, 1, 5), ==, 1);
  g_assert_cmpuint (fidac_label_map_get (map, 20, 1, 5), ==, 0);
  g_assert_cmpuint (fidac_label_map_get (map, 10, 10, 5), ==, 1);
  g_assert_cmpuint (fidac_label_map_get (map, 10, 11, 5), ==, 0);

  g_assert_cmpuint (polygon (map, volume, 2, 6, twice, 8, FIDAC_POLYGON_EVEN_ODD, &rule), ==, 0);
  g_assert_cmpuint (polygon (map, volume, 2, 6, twice, 8, FIDAC_POLYGON_NONZERO, &rule), ==, 100);

  /* The bow tie: the rows v = 1 .. 9 each take the centres left of the left triangle's
   * slanted edge and right of the other's; both rules agree (winding ±1). Row v: the edges
   * cross at u = 0.5 + 19 (v - 0.5) / 9 and 19.5 - 19 (v - 0.5) / 9. */
  {
    gsize expected = 0;

    for (gint v = 1; v <= 9; v++)
      {
        gdouble a = 0.5 + 19.0 * (v - 0.5) / 9.0, b = 19.5 - 19.0 * (v - 0.5) / 9.0;
        gdouble lo = MIN (a, b), hi = MAX (a, b);

        /* Left part: u in [0.5, lo), right part: u in [hi, 19.5). */
        expected += (gsize) (ceil (lo) - 1) + (gsize) (19 - ceil (hi) + 1);
      }
    g_assert_cmpuint (polygon (map, volume, 2, 7, bowtie, 4, FIDAC_POLYGON_EVEN_ODD, &rule), ==, expected);
    g_assert_cmpuint (polygon (map, volume, 2, 8, bowtie, 4, FIDAC_POLYGON_NONZERO, &rule), ==, expected);
  }

  /* Other axes: slice j = 2 has (u, v) = (i, k); slice i = 2 has (u, v) = (j, k). */
  g_assert_cmpuint (polygon (map, volume, 1, 20, clipped, 4, FIDAC_POLYGON_EVEN_ODD, &rule), ==, 25);
  for (gint k = 0; k < 5; k++)
    for (gint i = 0; i < 5; i++)
      g_assert_cmpuint (fidac_label_map_get (map, i, 20, k), ==, 1);
  g_assert_cmpuint (polygon (map, volume, 0, 39, clipped, 4, FIDAC_POLYGON_NONZERO, &rule), ==, 25);
  for (gint k = 0; k < 5; k++)
    for (gint j = 0; j < 5; j++)
      g_assert_cmpuint (fidac_label_map_get (map, 39, j, k), ==, 1);

  /* Paint-over: class 2 over empty only in the slice k = 3 square shifted by 5: the 25
   * centres 6 .. 10 overlap class 1. */
  {
    const gdouble shifted[] = { 5.5, 5.5, 15.5, 5.5, 15.5, 15.5, 5.5, 15.5 };
    FidacFillRule over;

    fidac_fill_rule_init (&over, 2);
    g_assert_cmpuint (polygon (map, volume, 2, 3, shifted, 4, FIDAC_POLYGON_EVEN_ODD, &over), ==, 75);
    over.over = FIDAC_PAINT_OVER_ALL;
    over.locked = 1u << 1;
    g_assert_cmpuint (polygon (map, volume, 2, 3, shifted, 4, FIDAC_POLYGON_EVEN_ODD, &over), ==, 0);
    over.locked = 0;
    g_assert_cmpuint (polygon (map, volume, 2, 3, shifted, 4, FIDAC_POLYGON_EVEN_ODD, &over), ==, 25);
  }

  /* HU limit: the voxels of column i = 3 get 100 HU, the limit [50, 150] keeps them. */
  {
    FidacFillRule limited;

    for (gint j = 0; j < 30; j++)
      fidac_volume_set (volume, 3, j, 10, 100);
    fidac_fill_rule_init (&limited, 3);
    limited.hu_limit = TRUE;
    limited.hu_min = 50;
    limited.hu_max = 150;
    g_assert_cmpuint (polygon (map, volume, 2, 10, square, 4, FIDAC_POLYGON_EVEN_ODD, &limited), ==, 10);
  }

  /* Far outside the grid (no int overflow): the whole slice k = 11 but nothing else. */
  {
    const gdouble huge[] = { -1e300, -1e300, 1e300, -1e300, 1e300, 1e300, -1e300, 1e300 };
    const gdouble away[] = { 1e300, 1e300, 2e300, 1e300, 2e300, 2e300 };

    g_assert_cmpuint (polygon (map, volume, 2, 11, huge, 4, FIDAC_POLYGON_EVEN_ODD, &rule), ==, 40 * 30);
    g_assert_cmpuint (polygon (map, volume, 2, 12, away, 3, FIDAC_POLYGON_EVEN_ODD, &rule), ==, 0);
  }

  /* Errors: too few points, a point that is not a number, a bad slice. */
  g_assert_false (fidac_fill_polygon (map, volume, 2, 3, square, 2, FIDAC_POLYGON_EVEN_ODD, &rule,
                                      NULL, NULL, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  {
    const gdouble nan_point[] = { 0.5, 0.5, NAN, 0.5, 10.5, 10.5 };

    g_assert_false (fidac_fill_polygon (map, volume, 2, 3, nan_point, 3, FIDAC_POLYGON_EVEN_ODD,
                                        &rule, NULL, NULL, &error));
    g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
    g_clear_error (&error);
  }
  g_assert_false (fidac_fill_polygon (map, volume, 2, 20, square, 4, FIDAC_POLYGON_EVEN_ODD, &rule,
                                      NULL, NULL, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (fidac_fill_polygon (map, volume, -1, 0, square, 4, FIDAC_POLYGON_EVEN_ODD, &rule,
                                      NULL, NULL, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
}

/* A polygon drawn around a lesion's cross-section, limited to the GGO range, takes exactly
 * the lesion's voxels in that slice. */
static void
test_polygon_phantom (void)
{
  g_autoptr(FidacLabelMap) map = fidac_test_label_map_new (phantom);
  FidacFillRule rule;
  gint seed[3];
  gdouble r_vox = fidac_phantom_lesions (NULL)[1].radius / phantom->spacing[0] + 3;
  gdouble box[8];

  lesion_seed (1, seed);
  box[0] = seed[0] - r_vox, box[1] = seed[1] - r_vox;
  box[2] = seed[0] + r_vox, box[3] = seed[1] - r_vox;
  box[4] = seed[0] + r_vox, box[5] = seed[1] + r_vox;
  box[6] = seed[0] - r_vox, box[7] = seed[1] + r_vox;
  fidac_fill_rule_init (&rule, 1);
  rule.hu_limit = TRUE;
  rule.hu_min = -600;
  rule.hu_max = -500;
  g_assert_cmpuint (polygon (map, phantom, 2, seed[2], box, 4, FIDAC_POLYGON_NONZERO, &rule), ==,
                    truth_count (1, 2, seed));
}

/* Blobs of known sizes; the islands under the threshold go, per connectivity. */
static void
paint_box (FidacLabelMap *map,
           gint i0, gint j0, gint k0,
           gint ni, gint nj, gint nk,
           guint8 label)
{
  for (gint k = k0; k < k0 + nk; k++)
    for (gint j = j0; j < j0 + nj; j++)
      for (gint i = i0; i < i0 + ni; i++)
        fidac_label_map_set (map, i, j, k, label);
}

static FidacLabelMap *
islands_map (FidacVolume *volume)
{
  FidacLabelMap *map = fidac_test_label_map_new (volume);

  paint_box (map, 2, 2, 2, 3, 3, 3, 1);         /* cube 27 */
  paint_box (map, 5, 5, 5, 1, 1, 2, 1);         /* pair touching the cube's corner (4,4,4) */
  paint_box (map, 10, 2, 2, 2, 2, 2, 1);        /* 8 */
  paint_box (map, 20, 10, 8, 1, 1, 1, 1);       /* single */
  paint_box (map, 0, 0, 0, 1, 1, 1, 1);         /* single, in the corner */
  paint_box (map, 12, 12, 0, 4, 4, 1, 2);       /* another class: 16 */
  paint_box (map, 25, 15, 9, 1, 1, 1, 2);       /* another class: single */
  return map;
}

static void
test_islands (void)
{
  g_autoptr(FidacVolume) volume = fidac_volume_new (30, 20, 10, NULL);
  const gdouble spacing[3] = { 0.8, 0.8, 2.0 };
  const gdouble origin[3] = { 0, 0, 0 };
  const gdouble ax_i[3] = { 1, 0, 0 }, ax_j[3] = { 0, 1, 0 }, ax_k[3] = { 0, 0, 1 };
  gdouble vox;

  memset (volume->voxels, 0, fidac_volume_n_voxels (volume) * sizeof (gint16));
  g_assert_true (fidac_volume_set_geometry (volume, origin, ax_i, ax_j, ax_k, spacing, NULL));
  vox = fidac_fill_voxel_mm3 (volume);
  g_assert_cmpfloat_with_epsilon (vox, 1.28, 1e-12);

  {
    /* 26-connected: components 29 (cube and pair), 8, 1, 1; keep >= 4.5 voxels. */
    g_autoptr(FidacLabelMap) map = islands_map (volume);
    g_autoptr(FidacUndo) undo = fidac_undo_new (map, 100, 0);
    g_autofree guint8 *before = g_memdup2 (map->labels, fidac_volume_n_voxels (volume));
    g_autoptr(GError) error = NULL;
    FidacFillResult result;

    g_assert_cmpuint (fidac_label_map_count (map, 1), ==, 39);
    g_assert_true (fidac_fill_remove_islands (map, volume, 1, 4.5 * vox, 26, FALSE, 0,
                                              undo, &result, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (result.n_region, ==, 2);
    g_assert_cmpuint (result.n_changed, ==, 2);
    g_assert_cmpuint (fidac_label_map_count (map, 1), ==, 37);
    g_assert_cmpuint (fidac_label_map_get (map, 20, 10, 8), ==, 0);
    g_assert_cmpuint (fidac_label_map_get (map, 0, 0, 0), ==, 0);
    g_assert_cmpuint (fidac_label_map_get (map, 5, 5, 6), ==, 1);
    g_assert_cmpuint (fidac_label_map_count (map, 2), ==, 17);
    fidac_test_assert_label_counts (map);
    assert_undo_redo (undo, before, 1);
  }
  {
    /* 6-connected: 27, 2, 8, 1, 1: the pair goes too. */
    g_autoptr(FidacLabelMap) map = islands_map (volume);
    FidacFillResult result;

    g_assert_true (fidac_fill_remove_islands (map, volume, 1, 4.5 * vox, 6, FALSE, 0,
                                              NULL, &result, NULL));
    g_assert_cmpuint (result.n_region, ==, 2);
    g_assert_cmpuint (result.n_changed, ==, 4);
    g_assert_cmpuint (fidac_label_map_count (map, 1), ==, 35);
    g_assert_cmpuint (fidac_label_map_get (map, 5, 5, 6), ==, 0);
    fidac_test_assert_label_counts (map);

    /* The threshold exactly at a component's volume keeps it (>=). */
    g_assert_true (fidac_fill_remove_islands (map, volume, 1, 27 * vox, 6, FALSE, 0,
                                              NULL, &result, NULL));
    g_assert_cmpuint (fidac_label_map_count (map, 1), ==, 27);
    g_assert_cmpuint (result.n_region, ==, 1);
  }
  {
    /* Keep the largest: 29 voxels (26) or 27 (6). */
    g_autoptr(FidacLabelMap) map = islands_map (volume);
    g_autoptr(FidacLabelMap) map6 = islands_map (volume);
    FidacFillResult result;

    g_assert_true (fidac_fill_remove_islands (map, volume, 1, 0, 26, TRUE, 0,
                                              NULL, &result, NULL));
    g_assert_cmpuint (result.n_region, ==, 1);
    g_assert_cmpuint (result.n_changed, ==, 10);
    g_assert_cmpuint (fidac_label_map_count (map, 1), ==, 29);
    g_assert_true (fidac_fill_remove_islands (map6, volume, 1, 0, 6, TRUE, 0,
                                              NULL, &result, NULL));
    g_assert_cmpuint (fidac_label_map_count (map6, 1), ==, 27);
    g_assert_cmpuint (fidac_label_map_count (map6, 2), ==, 17);
    fidac_test_assert_label_counts (map);
    fidac_test_assert_label_counts (map6);

    /* Class 2: the 16-voxel square stays. */
    g_assert_true (fidac_fill_remove_islands (map6, volume, 2, 0, 26, TRUE, 0,
                                              NULL, &result, NULL));
    g_assert_cmpuint (fidac_label_map_count (map6, 2), ==, 16);
    g_assert_cmpuint (fidac_label_map_count (map6, 1), ==, 27);
  }
  {
    g_autoptr(FidacLabelMap) map = islands_map (volume);
    g_autoptr(GError) error = NULL;

    g_assert_false (fidac_fill_remove_islands (map, volume, 1, 10, 26, FALSE, 1u << 1,
                                               NULL, NULL, &error));
    g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (fidac_fill_remove_islands (map, volume, 1, 10, 18, FALSE, 0,
                                               NULL, NULL, &error));
    g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (fidac_fill_remove_islands (map, volume, 1, NAN, 26, FALSE, 0,
                                               NULL, NULL, &error));
    g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpuint (fidac_label_map_count (map, 1), ==, 39);
  }
}

/* The phantom's six lesions as islands: a threshold between the smallest (616 voxels) and
 * the next (860) removes the two consolidations only. */
static void
test_islands_phantom (void)
{
  g_autoptr(FidacLabelMap) map = fidac_test_label_map_new (phantom);
  gsize n = fidac_volume_n_voxels (phantom);
  FidacFillResult result;
  gdouble vox = fidac_fill_voxel_mm3 (phantom);

  memcpy (map->labels, truth, n);
  fidac_label_map_touch (map, 0, map->dims[2] - 1);
  g_assert_true (fidac_fill_remove_islands (map, phantom, 1, 700 * vox, 26, FALSE, 0,
                                            NULL, &result, NULL));
  g_assert_cmpuint (result.n_region, ==, 4);
  g_assert_cmpuint (result.n_changed, ==, 0);
  g_assert_true (fidac_fill_remove_islands (map, phantom, 2, 700 * vox, 26, FALSE, 0,
                                            NULL, &result, NULL));
  g_assert_cmpuint (result.n_region, ==, 0);
  g_assert_cmpuint (result.n_changed, ==, 1232);
  g_assert_cmpuint (fidac_label_map_count (map, 2), ==, 0);
  g_assert_true (fidac_fill_remove_islands (map, phantom, 1, 0, 6, TRUE, 0,
                                            NULL, &result, NULL));
  g_assert_cmpuint (fidac_label_map_count (map, 1), ==, 2338);
  fidac_test_assert_label_counts (map);
}

static void
test_clear (void)
{
  g_autoptr(FidacVolume) volume = fidac_volume_new (30, 20, 10, NULL);
  g_autoptr(FidacLabelMap) map = NULL;
  g_autoptr(FidacUndo) undo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *before = NULL;

  memset (volume->voxels, 0, fidac_volume_n_voxels (volume) * sizeof (gint16));
  map = fidac_test_label_map_new (volume);
  paint_box (map, 0, 0, 0, 10, 10, 10, 1);      /* 1000 */
  paint_box (map, 10, 0, 0, 5, 10, 10, 2);      /* 500 */
  paint_box (map, 20, 0, 0, 2, 10, 10, 3);      /* 200 */
  before = g_memdup2 (map->labels, fidac_volume_n_voxels (volume));
  undo = fidac_undo_new (map, 100, 0);

  /* Slice k = 4: class 2 only (50), then everything but the locked class 3 (100). */
  g_assert_cmpint (fidac_fill_clear_slice (map, 2, 4, 2, 0, undo, &error), ==, 50);
  g_assert_no_error (error);
  g_assert_cmpuint (fidac_label_map_slice_count (map, 4, 2), ==, 0);
  g_assert_cmpint (fidac_fill_clear_slice (map, 2, 4, FIDAC_LABEL_NONE, 1u << 3,
                                           undo, &error), ==, 100);
  g_assert_cmpuint (fidac_label_map_slice_count (map, 4, 1), ==, 0);
  g_assert_cmpuint (fidac_label_map_slice_count (map, 4, 3), ==, 20);
  g_assert_cmpint (fidac_fill_clear_slice (map, 2, 4, FIDAC_LABEL_NONE, 0, undo, &error), ==, 20);
  g_assert_cmpint (fidac_fill_clear_slice (map, 2, 4, FIDAC_LABEL_NONE, 0, NULL, &error), ==, 0);
  fidac_test_assert_label_counts (map);

  /* Slice i = 3 (class 1: 10 rows × 9 slices left) and j = 5 (every class). */
  g_assert_cmpint (fidac_fill_clear_slice (map, 0, 3, FIDAC_LABEL_NONE, 0, undo, &error), ==, 90);
  g_assert_cmpint (fidac_fill_clear_slice (map, 1, 5, 1, 0, undo, &error), ==, 9 * 9);
  g_assert_cmpint (fidac_fill_clear_slice (map, 1, 5, FIDAC_LABEL_NONE, 0, undo, &error), ==, 9 * 5 + 9 * 2);
  fidac_test_assert_label_counts (map);

  /* The whole class 1: what is left of the 1000. */
  g_assert_cmpint (fidac_fill_clear_class (map, 1, 0, undo, &error), ==,
                   1000 - 100 - 90 - 81);
  g_assert_cmpuint (fidac_label_map_count (map, 1), ==, 0);
  g_assert_cmpuint (fidac_label_map_count (map, 2), ==, 500 - 50 - 45);
  g_assert_cmpint (fidac_fill_clear_class (map, 1, 0, NULL, &error), ==, 0);
  fidac_test_assert_label_counts (map);

  /* Locked: refused, nothing changed. */
  g_assert_cmpint (fidac_fill_clear_class (map, 2, 1u << 2, NULL, &error), ==, -1);
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (fidac_fill_clear_slice (map, 2, 0, 2, 1u << 2, NULL, &error), ==, -1);
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (fidac_fill_clear_slice (map, 2, 10, 2, 0, NULL, &error), ==, -1);
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (fidac_fill_clear_class (map, FIDAC_LABEL_NONE, 0, NULL, &error), ==, -1);
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (fidac_label_map_count (map, 2), ==, 405);

  /* Seven clears changed something: seven steps. */
  assert_undo_redo (undo, before, 7);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  FidacPhantomOptions options;
  int status;

  g_test_init (&argc, &argv, NULL);

  fidac_phantom_options_init (&options);
  phantom = fidac_phantom_new (&options, &error);
  g_assert_no_error (error);
  truth = g_new (guint8, fidac_volume_n_voxels (phantom));
  g_assert_true (fidac_phantom_fill_lesion_labels (phantom, truth,
                                                   fidac_volume_n_voxels (phantom), &error));
  g_assert_no_error (error);

  g_test_add_func ("/fidac/fill/region-3d", test_region_3d);
  g_test_add_func ("/fidac/fill/region-2d", test_region_2d);
  g_test_add_func ("/fidac/fill/region-bounded", test_region_bounded);
  g_test_add_func ("/fidac/fill/region-rules", test_region_rules);
  g_test_add_func ("/fidac/fill/axis-for-normal", test_axis_for_normal);
  g_test_add_func ("/fidac/fill/polygon", test_polygon);
  g_test_add_func ("/fidac/fill/polygon-phantom", test_polygon_phantom);
  g_test_add_func ("/fidac/fill/islands", test_islands);
  g_test_add_func ("/fidac/fill/islands-phantom", test_islands_phantom);
  g_test_add_func ("/fidac/fill/clear", test_clear);

  status = g_test_run ();
  g_free (truth);
  fidac_volume_free (phantom);
  return status;
}
