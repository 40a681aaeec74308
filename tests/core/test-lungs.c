/* test-lungs.c: automatic lung segmentation against the phantom's ground truth.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The phantom's lung labels (fidac_phantom_fill_lung_labels()) hold the parenchyma, the
 * lesions and the vessels and bronchi inside the lungs, but not the trachea, the main
 * bronchi, the hilum's vessels or the heart: what a radiologist calls the lung, and what
 * fidac_lungs_segment() must find. The real series are checked in
 * tests/dicom/test-lungs-real.c (they need the DICOM loader).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "fidac-lungs.h"
#include "fidac-phantom.h"
#include "fidac-test-support.h"

/* Each lung's volume within 2 % of the truth (the issue's requirement). */
#define VOLUME_TOLERANCE 0.02
/* Dice per lung. The segmentation differs from the truth only in thin shells: the hilum's
 * vessels and the main bronchi's ends, which the closing half takes in, and on coarse grids
 * the vessels touching the lung's edge. On the default grid that is about 1 % of a lung,
 * i.e. a Dice near 0.99; 0.97 leaves room for the coarser, sheared and rotated grids while
 * any real fault (a lobe lost, the heart or the trachea taken in, the lungs swapped: Dice
 * near 0) stays far below. */
#define DICE_MIN 0.97

typedef struct {
  gdouble voxel_ml;
  guint64 found[FIDAC_LUNG_N + 1];
  guint64 truth[FIDAC_LUNG_N + 1];
  guint64 both[FIDAC_LUNG_N + 1];
  guint64 swapped;
  gdouble dice[FIDAC_LUNG_N + 1];
} Comparison;

static FidacVolume *
make_phantom (const FidacPhantomOptions *options)
{
  g_autoptr(GError) error = NULL;
  FidacVolume *volume = fidac_phantom_new (options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (volume);
  return volume;
}

static gdouble
voxel_ml (const FidacVolume *volume)
{
  const gdouble *m = volume->to_patient;

  return fabs (m[0] * (m[5] * m[10] - m[6] * m[9]) - m[1] * (m[4] * m[10] - m[6] * m[8])
               + m[2] * (m[4] * m[9] - m[5] * m[8])) / 1000.0;
}

/* Squared distance in mm² between two patient points. */
static gdouble
distance2 (const gdouble a[3],
           const gdouble b[3])
{
  gdouble d2 = 0;

  for (gint c = 0; c < 3; c++)
    d2 += (a[c] - b[c]) * (a[c] - b[c]);
  return d2;
}

/* Segments `volume` and compares it with the truth: volumes, Dice, lesions, airways. */
static void
check_phantom (const FidacVolume *volume,
               const gchar       *what,
               gboolean           touching)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacLabelMap) map = NULL;
  gsize n = fidac_volume_n_voxels (volume);
  g_autofree guint8 *truth = g_new (guint8, n);
  g_autofree guint8 *lesions = g_new (guint8, n);
  const FidacPhantomLesion *lesion_list;
  guint n_lesions;
  guint64 lesion_voxels = 0, lesion_missed = 0, airway_found = 0;
  FidacLungsInfo info;
  Comparison cmp = { 0 };

  map = fidac_lungs_segment (volume, &info, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (map);
  fidac_test_assert_label_counts (map);
  g_assert_true (fidac_phantom_fill_lung_labels (volume, truth, n, &error));
  g_assert_no_error (error);
  g_assert_true (fidac_phantom_fill_lesion_labels (volume, lesions, n, &error));
  g_assert_no_error (error);
  lesion_list = fidac_phantom_lesions (&n_lesions);

  cmp.voxel_ml = voxel_ml (volume);
  for (gint k = 0; k < volume->dims[2]; k++)
    for (gint j = 0; j < volume->dims[1]; j++)
      for (gint i = 0; i < volume->dims[0]; i++)
        {
          gsize v = fidac_label_map_index (map, i, j, k);
          guint8 f = map->labels[v], t = truth[v];
          const gdouble voxel[3] = { i, j, k };
          gdouble p[3];

          g_assert_cmpuint (f, <=, FIDAC_LUNG_N);
          cmp.found[f]++;
          cmp.truth[t]++;
          if (f == t)
            cmp.both[f]++;
          else if (f != 0 && t != 0)
            cmp.swapped++;
          if (lesions[v] == 0 && (f == 0 || t != 0))
            continue;
          fidac_volume_voxel_to_patient (volume, voxel, p);
          if (lesions[v] != 0)
            {
              /* The lung that holds the lesion, from the phantom's lesion list. */
              for (guint l = 0; l < n_lesions; l++)
                {
                  const FidacPhantomLesion *les = &lesion_list[l];

                  if (distance2 (p, les->center) <= les->radius * les->radius)
                    {
                      lesion_voxels++;
                      lesion_missed += f != (guint8) les->lung;
                      break;
                    }
                }
            }
          if (f != 0 && t == 0 &&
              fidac_phantom_tissue_at (p, TRUE) == FIDAC_PHANTOM_TISSUE_AIRWAY)
            airway_found++;
        }

  for (gint l = 1; l <= FIDAC_LUNG_N; l++)
    {
      gdouble found_ml = cmp.found[l] * cmp.voxel_ml, truth_ml = cmp.truth[l] * cmp.voxel_ml;

      cmp.dice[l] = 2.0 * cmp.both[l] / (cmp.found[l] + cmp.truth[l]);
      g_test_message ("%s: %s %.1f mL, truth %.1f mL (%+.2f %%), Dice %.4f", what,
                      fidac_lung_get_name (l), found_ml, truth_ml,
                      100.0 * (found_ml - truth_ml) / truth_ml, cmp.dice[l]);
      g_assert_cmpuint (info.voxels[l], ==, cmp.found[l]);
      g_assert_cmpfloat_with_epsilon (info.volume_ml[l], found_ml, 1e-6 * found_ml);
      g_assert_cmpfloat (fabs (found_ml - truth_ml), <=, VOLUME_TOLERANCE * truth_ml);
      g_assert_cmpfloat (cmp.dice[l], >=, DICE_MIN);
    }
  g_test_message ("%s: %.3f s, airway removed %.1f mL, split %s, lesion voxels %"
                  G_GUINT64_FORMAT " (missed %" G_GUINT64_FORMAT ")", what, info.seconds,
                  info.airway_ml, info.split_needed ? "yes" : "no", lesion_voxels,
                  lesion_missed);
  g_assert_cmpfloat_with_epsilon (info.volume_ml[0], info.volume_ml[1] + info.volume_ml[2],
                                  1e-9);
  /* Left and right never swapped: no voxel of one lung's truth in the other's mask. */
  g_assert_cmpuint (cmp.swapped, ==, 0);
  g_assert_cmpuint (lesion_voxels, >, 0);
  g_assert_cmpuint (lesion_missed, ==, 0);
  g_assert_cmpuint (airway_found, ==, 0);
  /* The trachea and main bronchi were found and removed. */
  g_assert_cmpfloat (info.airway_ml, >, 10.0);
  g_assert_cmpint (info.split_needed, ==, touching);
}

/* The phantom made from `options`, segmented and compared with its truth. */
static void
check_options (const FidacPhantomOptions *options,
               const gchar               *what)
{
  g_autoptr(FidacVolume) volume = make_phantom (options);

  check_phantom (volume, what, FALSE);
}

static void
test_phantom_default (void)
{
  FidacPhantomOptions options;

  fidac_phantom_options_init (&options);
  check_options (&options, "default");
}

static void
test_phantom_feet_first (void)
{
  FidacPhantomOptions options;

  fidac_phantom_options_init (&options);
  options.feet_first = TRUE;
  check_options (&options, "feet first");
}

static void
test_phantom_tilted (void)
{
  FidacPhantomOptions options;

  fidac_phantom_options_init (&options);
  options.tilt_degrees = 20.0;
  check_options (&options, "tilted 20°");
}

static void
test_phantom_rotated (void)
{
  FidacPhantomOptions options;

  fidac_phantom_options_init (&options);
  options.rotation_degrees = 25.0;
  check_options (&options, "rotated 25° about z");
}

static void
test_phantom_oblique (void)
{
  FidacPhantomOptions options;

  fidac_phantom_options_init (&options);
  options.rotation_degrees = 20.0;
  options.rotation_axis[0] = 1.0;
  options.rotation_axis[1] = 1.0;
  options.rotation_axis[2] = 0.0;
  check_options (&options, "oblique 20° about (1, 1, 0)");
}

/* Fine pixels and thick slices: the coarse grid takes 3 × 3 × 1 voxels per cell, so the
 * refinement at full resolution is what the volumes measure. */
static void
test_phantom_anisotropic (void)
{
  FidacPhantomOptions options;

  fidac_phantom_options_init (&options);
  options.columns = 480;
  options.rows = 400;
  options.pixel_spacing = 0.75;
  options.slices = 60;
  options.slice_spacing = 5.0;
  check_options (&options, "anisotropic 0.75 × 0.75 × 5 mm");
}

/* A grid that cuts both lungs: 120 mm of a chest, from under the aortic arch to the upper
 * domes. Lungs that run into the first and last slices keep their edge there (nothing
 * erodes from the grid's end). */
static void
test_phantom_partial (void)
{
  FidacPhantomOptions options;

  fidac_phantom_options_init (&options);
  options.slices = 48;
  check_options (&options, "partial coverage, z -60 .. +60 mm");
}

/* The lungs touch in front (an anterior junction line, as in thin patients): a band of
 * aerated tissue 10 mm thick joins them above the heart. They must be cut apart there, with
 * no voxel of one lung's truth given to the other; the band itself (some 18 mL, not lung
 * in the truth) goes half to each side, within the volume tolerance. */
static void
test_phantom_touching (void)
{
  FidacPhantomOptions options;
  g_autoptr(FidacVolume) volume = NULL;
  guint64 band = 0;

  fidac_phantom_options_init (&options);
  volume = make_phantom (&options);
  for (gint k = 0; k < volume->dims[2]; k++)
    for (gint j = 0; j < volume->dims[1]; j++)
      for (gint i = 0; i < volume->dims[0]; i++)
        {
          const gdouble voxel[3] = { i, j, k };
          gdouble p[3];

          fidac_volume_voxel_to_patient (volume, voxel, p);
          if (fabs (p[0]) <= 45 && p[1] >= -75 && p[1] <= -65 && p[2] >= 30 && p[2] <= 50 &&
              fidac_phantom_tissue_at (p, TRUE) != FIDAC_PHANTOM_TISSUE_LUNG)
            {
              fidac_volume_set (volume, i, j, k, -850);
              band++;
            }
        }
  g_assert_cmpuint (band, >, 1000);
  check_phantom (volume, "lungs touching in front", TRUE);
}

/* The mediastinum itself aerated between the lungs, 12 cm wide and 20 cm high: one blob
 * with no narrow junction. It must still be cut into a left and a right lung (by erosion,
 * or failing that at the midline), and neither lung's truth may land in the other's mask. */
static void
test_phantom_merged (void)
{
  FidacPhantomOptions options;
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacLabelMap) map = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *truth = NULL;
  FidacLungsInfo info;
  guint64 swapped = 0;
  gsize n;

  fidac_phantom_options_init (&options);
  options.lesions = FALSE;
  volume = make_phantom (&options);
  n = fidac_volume_n_voxels (volume);
  for (gint k = 0; k < volume->dims[2]; k++)
    for (gint j = 0; j < volume->dims[1]; j++)
      for (gint i = 0; i < volume->dims[0]; i++)
        {
          const gdouble voxel[3] = { i, j, k };
          gdouble p[3];
          FidacPhantomTissue t;

          fidac_volume_voxel_to_patient (volume, voxel, p);
          t = fidac_phantom_tissue_at (p, FALSE);
          if (fabs (p[0]) <= 60 && p[1] >= -80 && p[1] <= 40 && fabs (p[2]) <= 100 &&
              t != FIDAC_PHANTOM_TISSUE_AIRWAY && t != FIDAC_PHANTOM_TISSUE_AIRWAY_WALL &&
              t != FIDAC_PHANTOM_TISSUE_VERTEBRA)
            fidac_volume_set (volume, i, j, k, -850);
        }
  truth = g_new (guint8, n);
  g_assert_true (fidac_phantom_fill_lung_labels (volume, truth, n, &error));
  map = fidac_lungs_segment (volume, &info, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (info.split_needed);
  for (gsize v = 0; v < n; v++)
    swapped += truth[v] != 0 && map->labels[v] != 0 && truth[v] != map->labels[v];
  g_test_message ("merged: right %.1f mL, left %.1f mL, %" G_GUINT64_FORMAT " swapped",
                  info.volume_ml[FIDAC_LUNG_RIGHT], info.volume_ml[FIDAC_LUNG_LEFT], swapped);
  g_assert_cmpuint (swapped, ==, 0);
  g_assert_cmpfloat (info.volume_ml[FIDAC_LUNG_RIGHT], >, 2000.0);
  g_assert_cmpfloat (info.volume_ml[FIDAC_LUNG_LEFT], >, 2000.0);
}

/* Lesions that touch the chest wall, added to the default phantom where each lung meets the
 * wall: a dense consolidation (30 HU, like the wall itself) in the right lung and ground
 * glass in the left. Every lesion voxel must be in its lung's mask. */
static void
test_pleural_lesions (void)
{
  static const struct {
    gdouble  center[3];
    gdouble  radius;
    gint16   hu;
    FidacLung lung;
  } added[] = {
    { { -132.0, 0.0, 0.0 }, 14.0, 30, FIDAC_LUNG_RIGHT },
    { { 130.0, 10.0, 40.0 }, 14.0, -550, FIDAC_LUNG_LEFT },
  };
  FidacPhantomOptions options;
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacLabelMap) map = NULL;
  g_autoptr(GError) error = NULL;
  gsize n;
  g_autofree guint8 *truth = NULL;

  fidac_phantom_options_init (&options);
  volume = make_phantom (&options);
  n = fidac_volume_n_voxels (volume);
  truth = g_new (guint8, n);
  g_assert_true (fidac_phantom_fill_lung_labels (volume, truth, n, &error));

  for (guint a = 0; a < G_N_ELEMENTS (added); a++)
    {
      guint64 wall = 0;

      for (gint k = 0; k < volume->dims[2]; k++)
        for (gint j = 0; j < volume->dims[1]; j++)
          for (gint i = 0; i < volume->dims[0]; i++)
            {
              const gdouble voxel[3] = { i, j, k };
              gdouble p[3];

              fidac_volume_voxel_to_patient (volume, voxel, p);
              if (distance2 (p, added[a].center) > added[a].radius * added[a].radius)
                continue;
              if (truth[((gsize) k * volume->dims[1] + j) * volume->dims[0] + i] ==
                  (guint8) added[a].lung)
                fidac_volume_set (volume, i, j, k, added[a].hu);
              else
                wall++;
            }
      /* The sphere reaches past the lung into the wall: it touches the pleura. */
      g_assert_cmpuint (wall, >, 100);
    }

  map = fidac_lungs_segment (volume, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint a = 0; a < G_N_ELEMENTS (added); a++)
    {
      guint64 voxels = 0, found = 0, deep = 0, deep_found = 0;

      for (gint k = 0; k < volume->dims[2]; k++)
        for (gint j = 0; j < volume->dims[1]; j++)
          for (gint i = 0; i < volume->dims[0]; i++)
            {
              gsize v = fidac_label_map_index (map, i, j, k);
              const gdouble voxel[3] = { i, j, k };
              gdouble p[3];
              gboolean is_deep = TRUE;

              if (truth[v] != (guint8) added[a].lung ||
                  fidac_volume_get (volume, i, j, k) != added[a].hu)
                continue;
              fidac_volume_voxel_to_patient (volume, voxel, p);
              if (distance2 (p, added[a].center) > added[a].radius * added[a].radius)
                continue;
              /* Deep: lung 5 mm away in all six directions, i.e. not against the pleura:
               * a lesion as dense as the wall cannot be told from it within the cells of
               * the segmentation's coarse grid (2.8 mm here) that straddle the pleura. */
              for (gint c = 0; c < 6 && is_deep; c++)
                {
                  gdouble q[3] = { p[0], p[1], p[2] };

                  q[c / 2] += c % 2 ? 5.0 : -5.0;
                  is_deep = fidac_phantom_tissue_at (q, FALSE) == FIDAC_PHANTOM_TISSUE_LUNG;
                }
              voxels++;
              found += map->labels[v] == (guint8) added[a].lung;
              deep += is_deep;
              deep_found += is_deep && map->labels[v] == (guint8) added[a].lung;
            }
      g_test_message ("pleural %s lesion: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                      " voxels in the %s (%.1f %%); %" G_GUINT64_FORMAT " of %"
                      G_GUINT64_FORMAT " farther than 5 mm from the pleura",
                      added[a].hu > 0 ? "dense" : "ground-glass", found, voxels,
                      fidac_lung_get_name (added[a].lung), 100.0 * found / voxels, deep_found,
                      deep);
      g_assert_cmpuint (voxels, >, 500);
      g_assert_cmpuint (deep, >, voxels / 2);
      g_assert_cmpuint (deep_found, ==, deep);
      /* The lung's outline closes across the lesion down to the chest wall's inner surface
       * (99.5 % of the dense lesion measured, 100 % of the ground glass): what is left out
       * is a voxel here and there at the rim of its contact with the wall. */
      g_assert_cmpfloat (found, >=, 0.97 * voxels);
    }

  {
    guint64 wall = 0;

    for (gint k = 0; k < volume->dims[2]; k++)
      for (gint j = 0; j < volume->dims[1]; j++)
        for (gint i = 0; i < volume->dims[0]; i++)
          {
            const gdouble voxel[3] = { i, j, k };
            gdouble p[3];
            FidacPhantomTissue t;

            if (map->labels[fidac_label_map_index (map, i, j, k)] == 0)
              continue;
            fidac_volume_voxel_to_patient (volume, voxel, p);
            t = fidac_phantom_tissue_at (p, FALSE);
            wall += t == FIDAC_PHANTOM_TISSUE_MUSCLE || t == FIDAC_PHANTOM_TISSUE_FAT ||
                    t == FIDAC_PHANTOM_TISSUE_RIB || t == FIDAC_PHANTOM_TISSUE_SKIN;
          }
    g_test_message ("chest wall voxels in the lungs: %" G_GUINT64_FORMAT, wall);
    /* ... but not into the wall, as dense as the lesion: none before the outline was
     * closed across the lesion, 8 since (muscle whose voxel centre lies less than a voxel
     * past the pleura, taken by the last step toward the wall). The bound leaves room for
     * the rounding of the voxel grid, far below one layer of the lesion's contact with
     * the wall (some 180 voxels). */
    g_assert_cmpuint (wall, <=, 40);
  }
}

static FidacVolume *
make_flat (gint columns, gint rows, gint slices, gdouble spacing, gint16 hu)
{
  g_autoptr(GError) error = NULL;
  const gdouble origin[3] = { 0, 0, 0 }, ax[3] = { 1, 0, 0 }, ay[3] = { 0, 1, 0 },
                az[3] = { 0, 0, 1 }, sp[3] = { spacing, spacing, spacing };
  FidacVolume *volume = fidac_volume_new (columns, rows, slices, &error);

  g_assert_no_error (error);
  g_assert_true (fidac_volume_set_geometry (volume, origin, ax, ay, az, sp, &error));
  for (gsize v = 0; v < fidac_volume_n_voxels (volume); v++)
    volume->voxels[v] = hu;
  return volume;
}

static void
expect_invalid (FidacVolume *volume, const gchar *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacLabelMap) map = NULL;
  FidacLungsInfo info;

  info.voxels[1] = 77;
  map = fidac_lungs_segment (volume, &info, NULL, NULL, NULL, &error);
  g_assert_null (map);
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_test_message ("%s: %s", what, error->message);
  g_assert_cmpuint (info.voxels[1], ==, 0);
  fidac_volume_free (volume);
}

static void
test_no_lungs (void)
{
  FidacPhantomOptions options;
  FidacVolume *volume;

  expect_invalid (make_flat (128, 128, 40, 2.0, 40), "all soft tissue");
  expect_invalid (make_flat (128, 128, 40, 2.0, -1000), "all air");
  expect_invalid (make_flat (4, 4, 2, 1.0, -850), "4 × 4 × 2");
  expect_invalid (make_flat (1, 1, 1, 1.0, -850), "1 voxel");
  /* A body of soft tissue in air, no lung: the air outside is no lung. */
  volume = make_flat (128, 128, 40, 2.0, -1000);
  for (gint k = 0; k < 40; k++)
    for (gint j = 20; j < 108; j++)
      for (gint i = 20; i < 108; i++)
        fidac_volume_set (volume, i, j, k, 40);
  expect_invalid (volume, "body without lungs");
  /* The phantom's neck and abdomen only: slices above and below the lungs. */
  fidac_phantom_options_init (&options);
  options.slices = 10;
  options.center[2] = -170.0;
  volume = make_phantom (&options);
  expect_invalid (volume, "abdomen below the lungs");
}

static void
progress_cb (gdouble fraction, gpointer user_data)
{
  GArray *fractions = user_data;

  g_array_append_val (fractions, fraction);
}

static void
cancel_cb (gdouble fraction, gpointer user_data)
{
  if (fraction >= 0.3)
    g_cancellable_cancel (user_data);
}

static void
test_progress_and_cancel (void)
{
  FidacPhantomOptions options;
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacLabelMap) map = NULL;

  fidac_phantom_options_init (&options);
  options.lesions = FALSE;
  volume = make_phantom (&options);

  map = fidac_lungs_segment (volume, NULL, progress_cb, fractions, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (map);
  g_assert_cmpuint (fractions->len, >=, 4);
  g_assert_cmpfloat (g_array_index (fractions, gdouble, 0), ==, 0.0);
  g_assert_cmpfloat (g_array_index (fractions, gdouble, fractions->len - 1), ==, 1.0);
  for (guint i = 1; i < fractions->len; i++)
    g_assert_cmpfloat (g_array_index (fractions, gdouble, i), >,
                       g_array_index (fractions, gdouble, i - 1));
  g_clear_pointer (&map, fidac_label_map_unref);

  /* Cancelled before it starts, and between two passes. */
  g_cancellable_cancel (cancellable);
  map = fidac_lungs_segment (volume, NULL, NULL, NULL, cancellable, &error);
  g_assert_null (map);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_cancellable_reset (cancellable);
  map = fidac_lungs_segment (volume, NULL, cancel_cb, cancellable, cancellable, &error);
  g_assert_null (map);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_names (void)
{
  g_assert_cmpstr (fidac_lung_get_name (FIDAC_LUNG_RIGHT), ==, "Right lung");
  g_assert_cmpstr (fidac_lung_get_name (FIDAC_LUNG_LEFT), ==, "Left lung");
  g_assert_cmpint (FIDAC_LUNG_RIGHT, ==, FIDAC_PHANTOM_LUNG_RIGHT);
  g_assert_cmpint (FIDAC_LUNG_LEFT, ==, FIDAC_PHANTOM_LUNG_LEFT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fidac/lungs/phantom/default", test_phantom_default);
  g_test_add_func ("/fidac/lungs/phantom/feet-first", test_phantom_feet_first);
  g_test_add_func ("/fidac/lungs/phantom/tilted", test_phantom_tilted);
  g_test_add_func ("/fidac/lungs/phantom/rotated", test_phantom_rotated);
  g_test_add_func ("/fidac/lungs/phantom/oblique", test_phantom_oblique);
  g_test_add_func ("/fidac/lungs/phantom/anisotropic", test_phantom_anisotropic);
  g_test_add_func ("/fidac/lungs/phantom/partial", test_phantom_partial);
  g_test_add_func ("/fidac/lungs/phantom/touching", test_phantom_touching);
  g_test_add_func ("/fidac/lungs/phantom/merged", test_phantom_merged);
  g_test_add_func ("/fidac/lungs/pleural-lesions", test_pleural_lesions);
  g_test_add_func ("/fidac/lungs/no-lungs", test_no_lungs);
  g_test_add_func ("/fidac/lungs/progress-and-cancel", test_progress_and_cancel);
  g_test_add_func ("/fidac/lungs/names", test_names);

  return g_test_run ();
}
