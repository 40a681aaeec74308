/* test-quantify.c: lesion and lung volumes, involvement, the incremental quantifier and the
 * key slices.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The references: the phantom's ground truth (voxel counts of each lesion computed from
 * its sphere, lung labels), boxes whose overlaps are counted by hand, a brute-force count
 * written here from the header's definitions, and fidac_quantify() itself once it agrees
 * with those, for the 500 random edits the quantifier follows slice by slice.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "fidac-label-map.h"
#include "fidac-lesion.h"
#include "fidac-paint.h"
#include "fidac-phantom.h"
#include "fidac-quantify.h"
#include "fidac-test-support.h"

#define NL (FIDAC_LUNG_N + 1)
#define NC (FIDAC_LESION_N_CLASSES + 1)

static FidacVolume *
make_volume (gint           ni,
             gint           nj,
             gint           nk,
             const gdouble  spacing[3],
             gdouble        tilt_degrees)
{
  g_autoptr(GError) error = NULL;
  FidacVolume *volume = fidac_volume_new (ni, nj, nk, &error);
  const gdouble origin[3] = { -10, -20, -30 };
  const gdouble x[3] = { 1, 0, 0 }, y[3] = { 0, 1, 0 };
  gdouble t = tilt_degrees * G_PI / 180;
  const gdouble k[3] = { 0, sin (t), cos (t) };

  g_assert_no_error (error);
  g_assert_true (fidac_volume_set_geometry (volume, origin, x, y, k, spacing, &error));
  g_assert_no_error (error);
  memset (volume->voxels, 0, fidac_volume_n_voxels (volume) * sizeof (gint16));
  return volume;
}

/* Writes `value` in the box [i0, i1] × [j0, j1] × [k0, k1] (inclusive, clipped). */
static void
fill_box (FidacLabelMap *map,
          gint i0, gint i1, gint j0, gint j1, gint k0, gint k1,
          guint8 value)
{
  for (gint k = MAX (k0, 0); k <= MIN (k1, map->dims[2] - 1); k++)
    for (gint j = MAX (j0, 0); j <= MIN (j1, map->dims[1] - 1); j++)
      for (gint i = MAX (i0, 0); i <= MIN (i1, map->dims[0] - 1); i++)
        fidac_label_map_set (map, i, j, k, value);
}

/* The header's definitions, counted voxel by voxel. */
static void
brute_force (const FidacVolume   *volume,
             const FidacLabelMap *labels,
             const FidacLabelMap *lungs,
             gdouble              voxel_ml,
             FidacQuantResult    *r)
{
  gsize n = fidac_volume_n_voxels (volume);

  memset (r, 0, sizeof *r);
  r->has_lungs = lungs != NULL;
  r->voxel_ml = voxel_ml;
  for (gsize v = 0; v < n; v++)
    {
      guint lab = labels->labels[v], lung = lungs != NULL ? lungs->labels[v] : 0;

      if (lung >= 1 && lung <= FIDAC_LUNG_N)
        {
          r->lung_voxels[lung]++;
          r->lung_voxels[0]++;
        }
      if (lab < 1 || lab > FIDAC_LESION_N_CLASSES)
        continue;
      r->lesion_voxels[lab]++;
      r->lesion_voxels[0]++;
      if (lung >= 1 && lung <= FIDAC_LUNG_N)
        {
          r->in_lung_voxels[lung][lab]++;
          r->in_lung_voxels[lung][0]++;
          r->in_lung_voxels[0][lab]++;
          r->in_lung_voxels[0][0]++;
        }
    }
  for (guint l = 0; l < NL; l++)
    {
      r->lung_ml[l] = r->lung_voxels[l] * voxel_ml;
      for (guint c = 0; c < NC; c++)
        {
          r->in_lung_ml[l][c] = r->in_lung_voxels[l][c] * voxel_ml;
          r->involvement[l][c] = r->lung_voxels[l] > 0
            ? 100.0 * r->in_lung_voxels[l][c] / r->lung_voxels[l] : 0;
        }
    }
  for (guint c = 0; c < NC; c++)
    r->lesion_ml[c] = r->lesion_voxels[c] * voxel_ml;
}

/* Every field equal, exactly. */
static void
assert_results_equal (const FidacQuantResult *a,
                      const FidacQuantResult *b,
                      const gchar            *what)
{
#define CHECK(cond, ...) G_STMT_START { if (!(cond)) g_error (__VA_ARGS__); } G_STMT_END
  CHECK (a->has_lungs == b->has_lungs, "%s: has_lungs %d / %d", what, a->has_lungs, b->has_lungs);
  CHECK (a->voxel_ml == b->voxel_ml, "%s: voxel_ml %.17g / %.17g", what, a->voxel_ml, b->voxel_ml);
  for (guint l = 0; l < NL; l++)
    {
      CHECK (a->lung_voxels[l] == b->lung_voxels[l], "%s: lung_voxels[%u] %" G_GUINT64_FORMAT
             " / %" G_GUINT64_FORMAT, what, l, a->lung_voxels[l], b->lung_voxels[l]);
      CHECK (a->lung_ml[l] == b->lung_ml[l], "%s: lung_ml[%u]", what, l);
    }
  for (guint c = 0; c < NC; c++)
    {
      CHECK (a->lesion_voxels[c] == b->lesion_voxels[c], "%s: lesion_voxels[%u] %"
             G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT, what, c, a->lesion_voxels[c],
             b->lesion_voxels[c]);
      CHECK (a->lesion_ml[c] == b->lesion_ml[c], "%s: lesion_ml[%u]", what, c);
      for (guint l = 0; l < NL; l++)
        {
          CHECK (a->in_lung_voxels[l][c] == b->in_lung_voxels[l][c],
                 "%s: in_lung_voxels[%u][%u] %" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT,
                 what, l, c, a->in_lung_voxels[l][c], b->in_lung_voxels[l][c]);
          CHECK (a->in_lung_ml[l][c] == b->in_lung_ml[l][c], "%s: in_lung_ml[%u][%u]", what, l, c);
          CHECK (a->involvement[l][c] == b->involvement[l][c],
                 "%s: involvement[%u][%u] %.17g / %.17g", what, l, c, a->involvement[l][c],
                 b->involvement[l][c]);
        }
    }
#undef CHECK
}

static void
quantify (const FidacVolume   *volume,
          const FidacLabelMap *labels,
          const FidacLabelMap *lungs,
          FidacQuantResult    *result)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fidac_quantify (volume, labels, lungs, result, &error));
  g_assert_no_error (error);
}

/* ---------------------------------------------------------------------------------------- */

static void
test_phantom (void)
{
  FidacPhantomOptions options;
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacLabelMap) labels = NULL, lungs = NULL;
  g_autoptr(FidacQuantifier) quantifier = NULL;
  FidacQuantResult result, incremental, brute;
  const FidacPhantomLesion *lesions;
  guint n_lesions;
  guint64 class_voxels[NC] = { 0 }, in_lung[NL][NC] = { { 0 } }, lung_voxels[NL] = { 0 };
  gdouble class_analytic_ml[NC] = { 0 };
  FidacVolume *volume;
  gsize n;
  gdouble voxel_ml;

  fidac_phantom_options_init (&options);
  volume = fidac_phantom_new (&options, &error);
  g_assert_no_error (error);
  n = fidac_volume_n_voxels (volume);
  labels = fidac_test_label_map_new (volume);
  lungs = fidac_test_label_map_new (volume);
  g_assert_true (fidac_phantom_fill_lesion_labels (volume, labels->labels, n, &error));
  g_assert_true (fidac_phantom_fill_lung_labels (volume, lungs->labels, n, &error));
  g_assert_no_error (error);
  fidac_label_map_touch (labels, 0, volume->dims[2] - 1);
  fidac_label_map_touch (lungs, 0, volume->dims[2] - 1);

  /* Ground truth: each lesion's voxels from its sphere, each in the lung that holds it. */
  lesions = fidac_phantom_lesions (&n_lesions);
  for (guint l = 0; l < n_lesions; l++)
    {
      gsize count = fidac_phantom_lesion_voxel_count (volume, l);

      class_voxels[lesions[l].lesion_class] += count;
      class_voxels[0] += count;
      in_lung[lesions[l].lung][lesions[l].lesion_class] += count;
      in_lung[lesions[l].lung][0] += count;
      in_lung[0][lesions[l].lesion_class] += count;
      in_lung[0][0] += count;
      class_analytic_ml[lesions[l].lesion_class] += fidac_phantom_lesion_volume_ml (l);
    }
  for (gsize v = 0; v < n; v++)
    lung_voxels[lungs->labels[v]]++;
  lung_voxels[0] = lung_voxels[1] + lung_voxels[2];
  /* The phantom's own test fixes these on the default grid. */
  g_assert_cmpuint (lung_voxels[FIDAC_LUNG_RIGHT], ==, 520009);
  g_assert_cmpuint (lung_voxels[FIDAC_LUNG_LEFT], ==, 434498);

  quantify (volume, labels, lungs, &result);
  voxel_ml = 1.4 * 1.4 * 2.5 / 1000;
  g_assert_cmpfloat_with_epsilon (result.voxel_ml, voxel_ml, 1e-15);
  g_assert_true (result.has_lungs);
  for (guint l = 0; l < NL; l++)
    {
      g_assert_cmpuint (result.lung_voxels[l], ==, lung_voxels[l]);
      g_assert_cmpfloat (result.lung_ml[l], ==, lung_voxels[l] * result.voxel_ml);
    }
  for (guint c = 0; c < NC; c++)
    {
      g_assert_cmpuint (result.lesion_voxels[c], ==, class_voxels[c]);
      g_assert_cmpfloat (result.lesion_ml[c], ==, class_voxels[c] * result.voxel_ml);
      for (guint l = 0; l < NL; l++)
        {
          g_assert_cmpuint (result.in_lung_voxels[l][c], ==, in_lung[l][c]);
          g_assert_cmpfloat (result.involvement[l][c], ==,
                             100.0 * in_lung[l][c] / lung_voxels[l]);
        }
    }
  /* The bound: within 2 % of the spheres' volumes. */
  for (guint c = 1; c <= 2; c++)
    {
      g_test_message ("class %u: %.3f mL measured, %.3f mL analytic", c, result.lesion_ml[c],
                      class_analytic_ml[c]);
      g_assert_cmpfloat (fabs (result.lesion_ml[c] - class_analytic_ml[c]), <,
                         0.02 * class_analytic_ml[c]);
    }
  g_test_message ("involvement: right %.4f %%, left %.4f %%, both %.4f %%",
                  result.involvement[1][0], result.involvement[2][0], result.involvement[0][0]);

  brute_force (volume, labels, lungs, result.voxel_ml, &brute);
  assert_results_equal (&result, &brute, "phantom, brute force");

  quantifier = fidac_quantifier_new (volume, labels, lungs, &error);
  g_assert_no_error (error);
  fidac_quantifier_get_result (quantifier, &incremental);
  assert_results_equal (&incremental, &result, "phantom, quantifier");
  g_assert_true (fidac_quantifier_get_lungs (quantifier) == lungs);

  g_clear_pointer (&quantifier, fidac_quantifier_free);
  fidac_volume_free (volume);
}

/* Two box lungs and three lesion cubes straddling their borders, counted by hand. */
static void
test_boxes (void)
{
  const gdouble spacing[3] = { 0.8, 0.7, 2.0 };
  g_autoptr(FidacLabelMap) labels = NULL, lungs = NULL;
  g_autoptr(GError) error = NULL;
  FidacQuantResult r, brute;
  FidacVolume *volume = make_volume (40, 30, 20, spacing, 0);
  const gdouble ml = 0.8 * 0.7 * 2.0 / 1000;

  labels = fidac_test_label_map_new (volume);
  lungs = fidac_test_label_map_new (volume);
  fill_box (lungs, 2, 17, 3, 24, 2, 17, FIDAC_LUNG_RIGHT);    /* 16 × 22 × 16 = 5632 */
  fill_box (lungs, 22, 37, 5, 24, 4, 15, FIDAC_LUNG_LEFT);    /* 16 × 20 × 12 = 3840 */
  /* Ground glass, 8³: half (4 × 8 × 8) in the right lung, half outside. */
  fill_box (labels, 14, 21, 5, 12, 5, 12, FIDAC_LESION_GROUND_GLASS);
  /* Consolidation, 6³, at the left lung's corner and the grid's edge: 4 × 5 × 6 inside. */
  fill_box (labels, 34, 39, 20, 25, 10, 15, FIDAC_LESION_CONSOLIDATION);
  /* Crazy-paving, 4³, across the gap between the lungs: 2 × 4 × 4 in the left one. */
  fill_box (labels, 20, 23, 14, 17, 6, 9, FIDAC_LESION_CRAZY_PAVING);
  /* A class id the catalog does not (yet) have is no lesion of the figures. */
  fill_box (labels, 3, 4, 20, 21, 3, 3, 9);

  quantify (volume, labels, lungs, &r);
  g_assert_true (r.has_lungs);
  g_assert_cmpfloat_with_epsilon (r.voxel_ml, ml, 1e-18);
  g_assert_cmpuint (r.lung_voxels[0], ==, 9472);
  g_assert_cmpuint (r.lung_voxels[1], ==, 5632);
  g_assert_cmpuint (r.lung_voxels[2], ==, 3840);
  g_assert_cmpuint (r.lesion_voxels[0], ==, 792);
  g_assert_cmpuint (r.lesion_voxels[1], ==, 512);
  g_assert_cmpuint (r.lesion_voxels[2], ==, 216);
  g_assert_cmpuint (r.lesion_voxels[3], ==, 64);
  {
    static const guint64 expected[NL][NC] = {
      { 408, 256, 120, 32 },
      { 256, 256, 0, 0 },
      { 152, 0, 120, 32 },
    };

    for (guint l = 0; l < NL; l++)
      for (guint c = 0; c < NC; c++)
        {
          g_assert_cmpuint (r.in_lung_voxels[l][c], ==, expected[l][c]);
          g_assert_cmpfloat (r.in_lung_ml[l][c], ==, expected[l][c] * r.voxel_ml);
          g_assert_cmpfloat (r.involvement[l][c], ==,
                             100.0 * expected[l][c] / r.lung_voxels[l]);
        }
  }
  g_assert_cmpfloat_with_epsilon (r.involvement[1][1], 100.0 * 256 / 5632, 1e-12);
  g_assert_cmpfloat_with_epsilon (r.involvement[0][0], 100.0 * 408 / 9472, 1e-12);
  g_assert_cmpfloat_with_epsilon (r.lesion_ml[0], 792 * ml, 1e-15);
  g_assert_cmpfloat_with_epsilon (r.lung_ml[0], 9472 * ml, 1e-12);
  brute_force (volume, labels, lungs, r.voxel_ml, &brute);
  assert_results_equal (&r, &brute, "boxes");

  /* Without lungs: what was drawn, and no lung figure. */
  quantify (volume, labels, NULL, &r);
  g_assert_false (r.has_lungs);
  g_assert_cmpuint (r.lesion_voxels[0], ==, 792);
  g_assert_cmpuint (r.lesion_voxels[3], ==, 64);
  for (guint l = 0; l < NL; l++)
    {
      g_assert_cmpuint (r.lung_voxels[l], ==, 0);
      g_assert_cmpfloat (r.lung_ml[l], ==, 0);
      for (guint c = 0; c < NC; c++)
        {
          g_assert_cmpuint (r.in_lung_voxels[l][c], ==, 0);
          g_assert_cmpfloat (r.involvement[l][c], ==, 0);
        }
    }
  brute_force (volume, labels, NULL, r.voxel_ml, &brute);
  assert_results_equal (&r, &brute, "boxes without lungs");

  /* An empty lung mask: involvement 0, not a division by zero. */
  {
    g_autoptr(FidacLabelMap) empty = fidac_test_label_map_new (volume);

    quantify (volume, labels, empty, &r);
    g_assert_true (r.has_lungs);
    g_assert_cmpuint (r.lung_voxels[0], ==, 0);
    g_assert_cmpfloat (r.involvement[0][0], ==, 0);
    g_assert_cmpuint (r.lesion_voxels[0], ==, 792);
  }

  fidac_volume_free (volume);
}

/* A tilted (sheared) grid: the voxel is a parallelepiped, smaller than the spacings' product. */
static void
test_tilted_voxel (void)
{
  const gdouble spacing[3] = { 0.8, 0.7, 2.0 };
  FidacVolume *volume = make_volume (8, 8, 8, spacing, 20);
  g_autoptr(FidacLabelMap) labels = fidac_test_label_map_new (volume);
  FidacQuantResult r;

  fill_box (labels, 0, 1, 0, 1, 0, 1, FIDAC_LESION_GROUND_GLASS);
  quantify (volume, labels, NULL, &r);
  g_assert_cmpfloat_with_epsilon (r.voxel_ml, 0.8 * 0.7 * 2.0 * cos (20 * G_PI / 180) / 1000,
                                  1e-17);
  g_assert_cmpfloat_with_epsilon (r.lesion_ml[1], 8 * r.voxel_ml, 1e-17);
  fidac_volume_free (volume);
}

/* ---------------------------------------------------------------------------------------- */

static void
random_point (GRand             *rand,
              const FidacVolume *volume,
              gdouble            p[3])
{
  gdouble v[3];

  for (guint a = 0; a < 3; a++)
    v[a] = g_rand_double_range (rand, -2, volume->dims[a] + 1);
  fidac_volume_voxel_to_patient (volume, v, p);
}

static void
test_random_edits (void)
{
  const gdouble spacing[3] = { 1.5, 1.2, 3.0 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (82);
  g_autoptr(FidacLabelMap) labels = NULL, lungs = NULL;
  g_autoptr(FidacQuantifier) quantifier = NULL;
  g_autoptr(GError) error = NULL;
  FidacVolume *volume = make_volume (48, 40, 30, spacing, 0);
  guint kinds[4] = { 0 };
  guint64 changed_voxels = 0;

  labels = fidac_test_label_map_new (volume);
  lungs = fidac_test_label_map_new (volume);
  /* Two ellipsoids, right and left. */
  for (gint k = 0; k < 30; k++)
    for (gint j = 0; j < 40; j++)
      for (gint i = 0; i < 48; i++)
        {
          gdouble y = (j - 20) / 16.0, z = (k - 15) / 13.0;
          gdouble xr = (i - 13) / 10.0, xl = (i - 35) / 9.0;

          if (xr * xr + y * y + z * z <= 1)
            lungs->labels[fidac_label_map_index (lungs, i, j, k)] = FIDAC_LUNG_RIGHT;
          else if (xl * xl + y * y + z * z <= 1)
            lungs->labels[fidac_label_map_index (lungs, i, j, k)] = FIDAC_LUNG_LEFT;
        }
  fidac_label_map_touch (lungs, 0, 29);
  g_assert_cmpuint (fidac_label_map_count (lungs, FIDAC_LUNG_RIGHT), >, 5000);
  g_assert_cmpuint (fidac_label_map_count (lungs, FIDAC_LUNG_LEFT), >, 5000);

  quantifier = fidac_quantifier_new (volume, labels, lungs, &error);
  g_assert_no_error (error);
  fidac_label_map_clear_dirty (labels);

  for (guint edit = 0; edit < 500; edit++)
    {
      g_autofree gchar *what = g_strdup_printf ("edit %u", edit);
      FidacQuantResult incremental, reference;
      guint kind = g_rand_int_range (rand, 0, 4);
      gint k0, k1;

      kinds[kind]++;
      switch (kind)
        {
        case 0:                 /* single voxels */
          for (guint n = g_rand_int_range (rand, 1, 20); n > 0; n--)
            fidac_label_map_set (labels, g_rand_int_range (rand, 0, 48),
                                 g_rand_int_range (rand, 0, 40), g_rand_int_range (rand, 0, 30),
                                 g_rand_int_range (rand, 0, FIDAC_LESION_N_CLASSES + 2));
          break;
        case 1:                 /* a brush stroke */
        case 2:
          {
            FidacBrush brush;
            gdouble a[3], b[3];
            gssize changed;

            fidac_brush_init (&brush);
            brush.mode = g_rand_int_range (rand, 0, 3);
            brush.label = g_rand_int_range (rand, 1, FIDAC_LESION_N_CLASSES + 1);
            brush.shape = g_rand_boolean (rand) ? FIDAC_BRUSH_SPHERE : FIDAC_BRUSH_DISC;
            brush.diameter = g_rand_double_range (rand, 1, 16);
            brush.over = g_rand_int_range (rand, 0, 2);
            for (guint c = 0; c < 3; c++)
              brush.normal[c] = g_rand_double_range (rand, -1, 1);
            if (g_rand_boolean (rand))  /* most strokes are drawn on an axial view */
              brush.normal[0] = brush.normal[1] = 0, brush.normal[2] = 1;
            random_point (rand, volume, a);
            if (g_rand_boolean (rand))
              memcpy (b, a, sizeof b);
            else
              random_point (rand, volume, b);
            changed = fidac_paint_segment (labels, volume, &brush, a, b, NULL, &error);
            g_assert_no_error (error);
            g_assert_cmpint (changed, >=, 0);
            changed_voxels += changed;
          }
          break;
        default:                /* a bulk write of a box, then touch */
          {
            gint i0 = g_rand_int_range (rand, 0, 48), j0 = g_rand_int_range (rand, 0, 40);
            gint kk0 = g_rand_int_range (rand, 0, 30);
            /* Drawn before MIN(), which evaluates its arguments twice. */
            gint di = g_rand_int_range (rand, 0, 20), dj = g_rand_int_range (rand, 0, 20);
            gint dk = g_rand_int_range (rand, 0, 6);
            gint i1 = MIN (47, i0 + di), j1 = MIN (39, j0 + dj), kk1 = MIN (29, kk0 + dk);
            guint8 value = g_rand_int_range (rand, 0, FIDAC_LESION_N_CLASSES + 1);

            for (gint k = kk0; k <= kk1; k++)
              for (gint j = j0; j <= j1; j++)
                memset (labels->labels + fidac_label_map_index (labels, i0, j, k), value,
                        i1 - i0 + 1);
            fidac_label_map_touch (labels, kk0, kk1);
          }
          break;
        }

      if (fidac_label_map_get_dirty (labels, &k0, &k1))
        {
          /* Sometimes a wider range than changed, past the grid's ends: clamped. */
          if (g_rand_int_range (rand, 0, 10) == 0)
            fidac_quantifier_update (quantifier, k0 - 40, k1 + 40);
          else
            fidac_quantifier_update (quantifier, k0, k1);
          fidac_label_map_clear_dirty (labels);
        }
      fidac_quantifier_get_result (quantifier, &incremental);
      quantify (volume, labels, lungs, &reference);
      assert_results_equal (&incremental, &reference, what);
      if (edit % 50 == 49)
        {
          FidacQuantResult brute;

          brute_force (volume, labels, lungs, reference.voxel_ml, &brute);
          assert_results_equal (&reference, &brute, what);
        }
    }
  g_test_message ("edits: %u voxel sets, %u strokes, %u box writes; %" G_GUINT64_FORMAT
                  " voxels painted by strokes", kinds[0], kinds[1] + kinds[2], kinds[3],
                  changed_voxels);
  {
    FidacQuantResult r;

    fidac_quantifier_get_result (quantifier, &r);
    g_test_message ("end: %" G_GUINT64_FORMAT " lesion voxels, %" G_GUINT64_FORMAT
                    " in the lungs (%.2f %%)", r.lesion_voxels[0], r.in_lung_voxels[0][0],
                    r.involvement[0][0]);
    /* The edits left something to count, inside and outside the lungs. */
    g_assert_cmpuint (r.in_lung_voxels[1][0], >, 0);
    g_assert_cmpuint (r.in_lung_voxels[2][0], >, 0);
    g_assert_cmpuint (r.lesion_voxels[0], >, r.in_lung_voxels[0][0]);
  }

  fidac_volume_free (volume);
}

/* Only the slices it is told about are counted again: the figures are kept, not recounted. */
static void
test_incremental_only (void)
{
  const gdouble spacing[3] = { 1, 1, 1 };
  FidacVolume *volume = make_volume (16, 16, 10, spacing, 0);
  g_autoptr(FidacLabelMap) labels = fidac_test_label_map_new (volume);
  g_autoptr(FidacQuantifier) quantifier = NULL;
  g_autoptr(GError) error = NULL;
  FidacQuantResult r;

  quantifier = fidac_quantifier_new (volume, labels, NULL, &error);
  g_assert_no_error (error);
  fidac_label_map_set (labels, 3, 3, 7, FIDAC_LESION_CONSOLIDATION);
  fidac_quantifier_get_result (quantifier, &r);
  g_assert_cmpuint (r.lesion_voxels[0], ==, 0);
  fidac_quantifier_update (quantifier, 0, 6);
  fidac_quantifier_get_result (quantifier, &r);
  g_assert_cmpuint (r.lesion_voxels[0], ==, 0);
  fidac_quantifier_update (quantifier, 7, 7);
  fidac_quantifier_get_result (quantifier, &r);
  g_assert_cmpuint (r.lesion_voxels[FIDAC_LESION_CONSOLIDATION], ==, 1);
  g_assert_false (r.has_lungs);
  /* Empty or reversed ranges do nothing. */
  fidac_quantifier_update (quantifier, 5, 4);
  fidac_quantifier_update (quantifier, 20, 30);
  fidac_quantifier_update (quantifier, -9, -1);
  fidac_quantifier_get_result (quantifier, &r);
  g_assert_cmpuint (r.lesion_voxels[0], ==, 1);
  fidac_volume_free (volume);
}

static void
test_set_lungs (void)
{
  const gdouble spacing[3] = { 1, 1, 2 };
  FidacVolume *volume = make_volume (20, 20, 10, spacing, 0);
  FidacVolume *other = make_volume (20, 20, 11, spacing, 0);
  g_autoptr(FidacLabelMap) labels = fidac_test_label_map_new (volume);
  g_autoptr(FidacLabelMap) lungs = fidac_test_label_map_new (volume);
  g_autoptr(FidacLabelMap) lungs2 = fidac_test_label_map_new (volume);
  g_autoptr(FidacLabelMap) wrong = fidac_test_label_map_new (other);
  g_autoptr(FidacLabelMap) bad_value = fidac_test_label_map_new (volume);
  g_autoptr(FidacQuantifier) quantifier = NULL;
  g_autoptr(GError) error = NULL;
  FidacQuantResult before, after, reference;

  fill_box (lungs, 0, 9, 0, 19, 0, 9, FIDAC_LUNG_RIGHT);
  fill_box (lungs, 10, 19, 0, 19, 0, 9, FIDAC_LUNG_LEFT);
  fill_box (lungs2, 0, 4, 0, 19, 0, 9, FIDAC_LUNG_RIGHT);
  fill_box (labels, 8, 11, 8, 11, 3, 4, FIDAC_LESION_GROUND_GLASS);
  fill_box (bad_value, 0, 0, 0, 0, 6, 6, 3);

  /* A grid that differs is refused at creation, as is a lung value that is no lung. */
  g_assert_null (fidac_quantifier_new (volume, wrong, NULL, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_null (fidac_quantifier_new (volume, labels, wrong, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (fidac_quantifier_new (volume, labels, bad_value, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "value 3"));
  g_clear_error (&error);
  g_assert_false (fidac_quantify (volume, wrong, NULL, &before, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (fidac_quantify (volume, labels, bad_value, &before, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);

  quantifier = fidac_quantifier_new (volume, labels, lungs, &error);
  g_assert_no_error (error);
  fidac_quantifier_get_result (quantifier, &before);
  g_assert_cmpuint (before.in_lung_voxels[1][1], ==, 16);
  g_assert_cmpuint (before.in_lung_voxels[2][1], ==, 16);
  g_assert_cmpfloat (before.involvement[1][1], ==, 100.0 * 16 / 2000);

  /* Refused: the old mask and figures stay. */
  g_assert_false (fidac_quantifier_set_lungs (quantifier, wrong, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (fidac_quantifier_set_lungs (quantifier, bad_value, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (fidac_quantifier_get_lungs (quantifier) == lungs);
  fidac_quantifier_get_result (quantifier, &after);
  assert_results_equal (&after, &before, "after a refused mask");

  /* Another mask: counted again. */
  g_assert_true (fidac_quantifier_set_lungs (quantifier, lungs2, &error));
  g_assert_no_error (error);
  g_assert_true (fidac_quantifier_get_lungs (quantifier) == lungs2);
  fidac_quantifier_get_result (quantifier, &after);
  quantify (volume, labels, lungs2, &reference);
  assert_results_equal (&after, &reference, "second mask");
  g_assert_cmpuint (after.in_lung_voxels[0][0], ==, 0);
  g_assert_cmpuint (after.lung_voxels[0], ==, 1000);

  /* None: lesion volumes only. */
  g_assert_true (fidac_quantifier_set_lungs (quantifier, NULL, &error));
  g_assert_null (fidac_quantifier_get_lungs (quantifier));
  fidac_quantifier_get_result (quantifier, &after);
  quantify (volume, labels, NULL, &reference);
  assert_results_equal (&after, &reference, "no mask");
  g_assert_false (after.has_lungs);
  g_assert_cmpuint (after.lesion_voxels[1], ==, 32);

  /* The quantifier holds its own references. */
  g_assert_true (fidac_quantifier_set_lungs (quantifier, lungs, &error));
  g_clear_pointer (&lungs, fidac_label_map_unref);
  fidac_quantifier_get_result (quantifier, &after);
  assert_results_equal (&after, &before, "the first mask again");

  fidac_volume_free (volume);
  fidac_volume_free (other);
}

/* ---------------------------------------------------------------------------------------- */

/* `count` voxels of class 1 in slice k, in the lung part (rows 0..7) of a 10 × 10 slice. */
static void
paint_in_lung (FidacLabelMap *labels,
               gint           k,
               gint           count)
{
  for (gint n = 0; n < count; n++)
    fidac_label_map_set (labels, n % 10, n / 10, k, 1 + n % 3);
}

static void
assert_slices (const gint *got,
               guint       n_got,
               const gint *expected,
               guint       n_expected)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint n = 0; n < n_got; n++)
    g_string_append_printf (text, " %d", got[n]);
  g_test_message ("key slices:%s", text->str);
  g_assert_cmpuint (n_got, ==, n_expected);
  for (guint n = 0; n < n_got; n++)
    g_assert_cmpint (got[n], ==, expected[n]);
}

static void
test_key_slices (void)
{
  const gdouble spacing[3] = { 1, 1, 2.5 };
  FidacVolume *volume = make_volume (10, 10, 30, spacing, 0);
  g_autoptr(FidacLabelMap) labels = fidac_test_label_map_new (volume);
  g_autoptr(FidacLabelMap) lungs = fidac_test_label_map_new (volume);
  gint slices[10];
  guint n;

  fill_box (lungs, 0, 4, 0, 7, 0, 29, FIDAC_LUNG_RIGHT);
  fill_box (lungs, 5, 9, 0, 7, 0, 29, FIDAC_LUNG_LEFT);

  g_assert_cmpuint (fidac_quantify_key_slices (volume, labels, lungs, 5, 4, slices), ==, 0);

  paint_in_lung (labels, 3, 50);
  paint_in_lung (labels, 4, 60);
  paint_in_lung (labels, 5, 55);
  paint_in_lung (labels, 10, 40);
  paint_in_lung (labels, 12, 45);
  paint_in_lung (labels, 20, 10);
  fill_box (labels, 0, 9, 8, 9, 25, 25, FIDAC_LESION_GROUND_GLASS);  /* 20, outside the lungs */

  /* 5 mm apart = two slices: 5 and 3 are too close to 4; 10 is exactly 5 mm from 12. */
  n = fidac_quantify_key_slices (volume, labels, lungs, 5, 10, slices);
  assert_slices (slices, n, (const gint[]) { 4, 12, 10, 20 }, 4);
  n = fidac_quantify_key_slices (volume, labels, lungs, 5, 3, slices);
  assert_slices (slices, n, (const gint[]) { 4, 12, 10 }, 3);
  n = fidac_quantify_key_slices (volume, labels, lungs, 5.01, 10, slices);
  assert_slices (slices, n, (const gint[]) { 4, 12, 20 }, 3);
  n = fidac_quantify_key_slices (volume, labels, lungs, 0, 10, slices);
  assert_slices (slices, n, (const gint[]) { 4, 5, 3, 12, 10, 20 }, 6);
  n = fidac_quantify_key_slices (volume, labels, lungs, 100, 10, slices);
  assert_slices (slices, n, (const gint[]) { 4 }, 1);
  g_assert_cmpuint (fidac_quantify_key_slices (volume, labels, lungs, 5, 0, NULL), ==, 0);
  /* Without lungs, everything painted counts: slice 25's 20 voxels too. */
  n = fidac_quantify_key_slices (volume, labels, NULL, 5, 10, slices);
  assert_slices (slices, n, (const gint[]) { 4, 12, 10, 25, 20 }, 5);

  /* Ties: the lower slice first. */
  {
    g_autoptr(FidacLabelMap) ties = fidac_test_label_map_new (volume);

    paint_in_lung (ties, 8, 5);
    paint_in_lung (ties, 2, 5);
    paint_in_lung (ties, 17, 6);
    n = fidac_quantify_key_slices (volume, ties, lungs, 0, 10, slices);
    assert_slices (slices, n, (const gint[]) { 17, 2, 8 }, 3);
  }
  fidac_volume_free (volume);

  /* A gap that is a whole number of slices survives rounding: 3 × 0.7 < 2.1 in doubles. */
  {
    const gdouble thin[3] = { 1, 1, 0.7 };
    g_autoptr(FidacLabelMap) map = NULL;

    volume = make_volume (10, 10, 10, thin, 0);
    map = fidac_test_label_map_new (volume);
    paint_in_lung (map, 0, 9);
    paint_in_lung (map, 3, 8);
    paint_in_lung (map, 2, 7);
    g_assert_true (3 * 0.7 < 2.1);
    n = fidac_quantify_key_slices (volume, map, NULL, 2.1, 10, slices);
    assert_slices (slices, n, (const gint[]) { 0, 3 }, 2);
    fidac_volume_free (volume);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fidac/quantify/phantom", test_phantom);
  g_test_add_func ("/fidac/quantify/boxes", test_boxes);
  g_test_add_func ("/fidac/quantify/tilted-voxel", test_tilted_voxel);
  g_test_add_func ("/fidac/quantify/random-edits", test_random_edits);
  g_test_add_func ("/fidac/quantify/incremental-only", test_incremental_only);
  g_test_add_func ("/fidac/quantify/set-lungs", test_set_lungs);
  g_test_add_func ("/fidac/quantify/key-slices", test_key_slices);

  return g_test_run ();
}
