/* test-phantom.c: the synthetic chest phantom, checked against its construction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "fidac-phantom.h"

/* Voxels of each lesion on the default grid (256 × 256 × 120, 1.4 × 1.4 × 2.5 mm),
 * in the order of fidac_phantom_lesions(). */
static const gsize default_lesion_voxels[] = { 1472, 2338, 616, 1872, 860, 616 };
/* Lung region voxels on the default grid: right, left. */
static const gsize default_lung_voxels[] = { 520009, 434498 };

static FidacVolume *default_volume;

static const FidacVolume *
get_default_volume (void)
{
  if (default_volume == NULL)
    {
      FidacPhantomOptions options;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      fidac_phantom_options_init (&options);
      default_volume = fidac_phantom_new (&options, &error);
      g_assert_no_error (error);
      g_assert_nonnull (default_volume);
      g_test_message ("default phantom generated in %.3f s",
                      (g_get_monotonic_time () - start) / 1e6);
    }
  return default_volume;
}

static FidacVolume *
make_phantom (gint     columns,
              gint     rows,
              gint     slices,
              gdouble  pixel_spacing,
              gdouble  slice_spacing,
              gboolean feet_first,
              gdouble  tilt,
              gdouble  rotation,
              const gdouble axis[3])
{
  FidacPhantomOptions options;
  g_autoptr(GError) error = NULL;
  FidacVolume *volume;

  fidac_phantom_options_init (&options);
  options.columns = columns;
  options.rows = rows;
  options.slices = slices;
  options.pixel_spacing = pixel_spacing;
  options.slice_spacing = slice_spacing;
  options.feet_first = feet_first;
  options.tilt_degrees = tilt;
  options.rotation_degrees = rotation;
  if (axis != NULL)
    memcpy (options.rotation_axis, axis, sizeof options.rotation_axis);
  volume = fidac_phantom_new (&options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (volume);
  return volume;
}

/* Every voxel (or every `stride`-th) holds the HU of the analytic phantom at its
 * centre, mapped through the volume's own matrix. */
static void
assert_samples_anatomy (const FidacVolume *volume,
                        gsize              stride)
{
  gsize n = fidac_volume_n_voxels (volume);
  gsize checked = 0;

  for (gsize v = 0; v < n; v += stride)
    {
      gint i = v % volume->dims[0];
      gint j = (v / volume->dims[0]) % volume->dims[1];
      gint k = v / fidac_volume_slice_voxels (volume);
      const gdouble voxel[3] = { i, j, k };
      gdouble p[3];

      fidac_volume_voxel_to_patient (volume, voxel, p);
      if (volume->voxels[v] != fidac_phantom_hu_at (p))
        g_error ("voxel %d,%d,%d at %g,%g,%g holds %d, the phantom %d", i, j, k,
                 p[0], p[1], p[2], volume->voxels[v], fidac_phantom_hu_at (p));
      checked++;
    }
  g_assert_cmpuint (checked, >, 0);
}

/* The HU of the voxel nearest to a patient point. */
static gint16
hu_near (const FidacVolume *volume,
         const gdouble      p[3])
{
  gdouble v[3];
  gint ijk[3];

  fidac_volume_patient_to_voxel (volume, p, v);
  for (guint a = 0; a < 3; a++)
    ijk[a] = (gint) lround (v[a]);
  g_assert_true (fidac_volume_contains (volume, ijk[0], ijk[1], ijk[2]));
  return fidac_volume_get (volume, ijk[0], ijk[1], ijk[2]);
}

static void
test_phantom_defaults (void)
{
  const FidacVolume *volume = get_default_volume ();
  FidacPhantomOptions options;
  gint16 lo, hi;

  fidac_phantom_options_init (&options);
  g_assert_cmpint (options.columns, ==, 256);
  g_assert_cmpint (options.rows, ==, 256);
  g_assert_cmpint (options.slices, ==, 120);
  g_assert_cmpfloat (options.pixel_spacing, ==, 1.4);
  g_assert_cmpfloat (options.slice_spacing, ==, 2.5);
  g_assert_false (options.feet_first);
  g_assert_true (options.lesions);

  g_assert_cmpint (volume->dims[0], ==, 256);
  g_assert_cmpint (volume->dims[1], ==, 256);
  g_assert_cmpint (volume->dims[2], ==, 120);
  g_assert_cmpfloat_with_epsilon (volume->spacing[0], 1.4, 1e-12);
  g_assert_cmpfloat_with_epsilon (volume->spacing[1], 1.4, 1e-12);
  g_assert_cmpfloat_with_epsilon (volume->spacing[2], 2.5, 1e-12);
  /* Centred on 0,0,0: voxel 0 sits 127.5 pixels and 59.5 slices away. */
  g_assert_cmpfloat_with_epsilon (volume->origin[0], -178.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (volume->origin[1], -178.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (volume->origin[2], -148.75, 1e-9);
  for (guint a = 0; a < 3; a++)
    for (guint c = 0; c < 3; c++)
      g_assert_cmpfloat (volume->axis[a][c], ==, a == c ? 1.0 : 0.0);

  g_assert_cmpstr (volume->modality, ==, "CT");
  g_assert_cmpstr (volume->patient_position, ==, "HFS");
  g_assert_cmpstr (volume->study_date, ==, "20200415");
  g_assert_nonnull (volume->series_description);
  g_assert_cmpuint (volume->windows->len, ==, 2);
  {
    const FidacWindowPreset *lung = &g_array_index (volume->windows, FidacWindowPreset, 0);
    const FidacWindowPreset *medi = &g_array_index (volume->windows, FidacWindowPreset, 1);

    g_assert_cmpfloat (lung->center, ==, -600);
    g_assert_cmpfloat (lung->width, ==, 1500);
    g_assert_cmpfloat (medi->center, ==, 40);
    g_assert_cmpfloat (medi->width, ==, 350);
  }

  fidac_volume_get_range (volume, &lo, &hi);
  g_assert_cmpint (lo, ==, -1000);
  g_assert_cmpint (hi, ==, 650);
  /* Corners are air; the middle of the grid is mediastinum. */
  g_assert_cmpint (fidac_volume_get (volume, 0, 0, 0), ==, -1000);
  g_assert_cmpint (fidac_volume_get (volume, 255, 255, 119), ==, -1000);
}

static gboolean
is_uid (const gchar *uid)
{
  if (uid == NULL || strlen (uid) > 64 || !g_str_has_prefix (uid, "2.25."))
    return FALSE;
  for (const gchar *c = uid; *c; c++)
    if (!g_ascii_isdigit (*c) && *c != '.')
      return FALSE;
  /* No leading zero in a component (PS3.5 9.1). */
  return !(uid[5] == '0' && uid[6] != '\0');
}

static void
test_phantom_uids (void)
{
  g_autoptr(FidacVolume) volume = make_phantom (64, 64, 20, 5.6, 15, FALSE, 0, 0, NULL);
  g_autoptr(FidacVolume) again = make_phantom (64, 64, 20, 5.6, 15, FALSE, 0, 0, NULL);
  g_autoptr(FidacVolume) ffs = make_phantom (64, 64, 20, 5.6, 15, TRUE, 0, 0, NULL);
  const FidacVolume *full = get_default_volume ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_true (is_uid (volume->series_uid));
  g_assert_true (is_uid (volume->study_uid));
  g_assert_true (is_uid (volume->frame_of_reference_uid));
  g_assert_cmpstr (volume->series_uid, !=, volume->study_uid);
  for (gint k = 0; k < volume->dims[2]; k++)
    {
      g_assert_true (is_uid (volume->slice_uids[k]));
      g_assert_true (g_hash_table_add (seen, volume->slice_uids[k]));
      g_assert_cmpstr (volume->slice_uids[k], ==, again->slice_uids[k]);
    }
  g_assert_false (g_hash_table_contains (seen, volume->series_uid));

  /* Same options, same UIDs; another grid of the same patient: same study and frame
   * of reference, another series. */
  g_assert_cmpstr (volume->series_uid, ==, again->series_uid);
  g_assert_cmpstr (volume->study_uid, ==, ffs->study_uid);
  g_assert_cmpstr (volume->frame_of_reference_uid, ==, ffs->frame_of_reference_uid);
  g_assert_cmpstr (volume->series_uid, !=, ffs->series_uid);
  g_assert_cmpstr (volume->slice_uids[0], !=, ffs->slice_uids[0]);
  g_assert_cmpstr (ffs->patient_position, ==, "FFS");
  g_assert_cmpstr (full->study_uid, ==, volume->study_uid);
  g_assert_cmpstr (full->series_uid, !=, volume->series_uid);
}

typedef struct {
  gdouble            p[3];
  FidacPhantomTissue tissue;
  gint16             hu;
} Landmark;

/* Points whose tissue follows from the construction (see fidac-phantom.c). */
static const Landmark landmarks[] = {
  { { 0, -140, 0 }, FIDAC_PHANTOM_TISSUE_AIR, -1000 },            /* in front of the chest */
  { { 170, 0, 0 }, FIDAC_PHANTOM_TISSUE_AIR, -1000 },             /* beside it */
  { { 0, -124, 0 }, FIDAC_PHANTOM_TISSUE_SKIN, 45 },              /* 1 mm under the surface */
  { { 0, -115, 0 }, FIDAC_PHANTOM_TISSUE_FAT, -100 },             /* 10 mm under it */
  { { 0, -100, 0 }, FIDAC_PHANTOM_TISSUE_RIB, 650 },              /* sternum */
  { { -136.5, 0, 0 }, FIDAC_PHANTOM_TISSUE_MUSCLE, 50 },          /* inside the ribs */
  { { 0, 68, 14 }, FIDAC_PHANTOM_TISSUE_VERTEBRA, 450 },          /* vertebral body */
  { { 0, 68, 3 }, FIDAC_PHANTOM_TISSUE_DISC, 80 },                /* disc: z mod 28 < 6 */
  { { 0, 95, 0 }, FIDAC_PHANTOM_TISSUE_SOFT_TISSUE, 40 },         /* spinal canal */
  { { 0, 106, 0 }, FIDAC_PHANTOM_TISSUE_RIB, 650 },               /* neural arch */
  { { 0, 18, 100 }, FIDAC_PHANTOM_TISSUE_AIRWAY, -1000 },         /* trachea */
  { { 9.5, 18 + 2.0 / 3.0, 100 }, FIDAC_PHANTOM_TISSUE_AIRWAY_WALL, 70 },
  { { -19, 22, 30 }, FIDAC_PHANTOM_TISSUE_AIRWAY, -1000 },        /* right main bronchus */
  { { 20, 23, 26 }, FIDAC_PHANTOM_TISSUE_AIRWAY, -1000 },         /* left main bronchus */
  { { 18, -35, -45 }, FIDAC_PHANTOM_TISSUE_HEART, 40 },
  { { 8, -28, 30 }, FIDAC_PHANTOM_TISSUE_VESSEL, 40 },            /* ascending aorta */
  { { 21, 46.5, -100 }, FIDAC_PHANTOM_TISSUE_VESSEL, 40 },        /* descending aorta */
  { { -61, 6.5, 50 }, FIDAC_PHANTOM_TISSUE_VESSEL, 40 },          /* right upper lobe artery */
  { { 0, -60, 40 }, FIDAC_PHANTOM_TISSUE_MEDIASTINAL_FAT, -90 },
  { { -60, 0, -120 }, FIDAC_PHANTOM_TISSUE_LIVER, 60 },           /* under the right dome */
  { { -110, -40, 0 }, FIDAC_PHANTOM_TISSUE_LUNG, -850 },
  { { 105, 10, 80 }, FIDAC_PHANTOM_TISSUE_LUNG, -850 },
};

static void
test_phantom_landmarks (void)
{
  const FidacVolume *volume = get_default_volume ();
  const FidacPhantomLesion *lesions;
  guint n_lesions;

  for (guint l = 0; l < G_N_ELEMENTS (landmarks); l++)
    {
      const Landmark *m = &landmarks[l];

      g_test_message ("landmark %u at %g,%g,%g", l, m->p[0], m->p[1], m->p[2]);
      g_assert_cmpint (fidac_phantom_tissue_at (m->p, TRUE), ==, m->tissue);
      g_assert_cmpint (fidac_phantom_tissue_hu (m->tissue), ==, m->hu);
      g_assert_cmpint (fidac_phantom_hu_at (m->p), ==, m->hu);
    }

  lesions = fidac_phantom_lesions (&n_lesions);
  g_assert_cmpuint (n_lesions, ==, G_N_ELEMENTS (default_lesion_voxels));
  for (guint l = 0; l < n_lesions; l++)
    {
      const FidacPhantomLesion *lesion = &lesions[l];
      FidacPhantomTissue expected = lesion->lesion_class == FIDAC_PHANTOM_LESION_GROUND_GLASS
                                    ? FIDAC_PHANTOM_TISSUE_GROUND_GLASS
                                    : FIDAC_PHANTOM_TISSUE_CONSOLIDATION;

      g_assert_cmpint (lesion->hu, ==, lesion->lesion_class == FIDAC_PHANTOM_LESION_GROUND_GLASS ? -550 : 30);
      g_assert_cmpint (fidac_phantom_tissue_at (lesion->center, TRUE), ==, expected);
      g_assert_cmpint (fidac_phantom_hu_at (lesion->center), ==, lesion->hu);
      g_assert_cmpint (fidac_phantom_tissue_at (lesion->center, FALSE), ==, FIDAC_PHANTOM_TISSUE_LUNG);
      /* The voxel nearest to the centre is within 1.6 mm of it: inside the lesion. */
      g_assert_cmpint (hu_near (volume, lesion->center), ==, lesion->hu);
      /* Right lung at negative x (LPS: x grows to the patient's left). */
      g_assert_cmpint (lesion->lung, ==, lesion->center[0] < 0 ? FIDAC_PHANTOM_LUNG_RIGHT
                                                                 : FIDAC_PHANTOM_LUNG_LEFT);
    }
  g_assert_cmpuint (fidac_phantom_lesions (NULL) == lesions, ==, TRUE);

  /* Only ground glass and consolidation carry their HU. */
  for (guint t = 0; t < FIDAC_PHANTOM_N_TISSUES; t++)
    if (t != FIDAC_PHANTOM_TISSUE_GROUND_GLASS && t != FIDAC_PHANTOM_TISSUE_CONSOLIDATION)
      {
        g_assert_cmpint (fidac_phantom_tissue_hu (t), !=, -550);
        g_assert_cmpint (fidac_phantom_tissue_hu (t), !=, 30);
      }

  for (guint l = 0; l < G_N_ELEMENTS (landmarks); l++)
    g_assert_cmpint (hu_near (volume, landmarks[l].p), ==, fidac_phantom_hu_at (landmarks[l].p) );
}

/* Each lesion lies in lung parenchyma with a margin: sampled every 0.5 mm, the ball of
 * radius r + 4 mm is all lung once lesions are removed, so no vessel, airway, pleura
 * or other lesion cuts into it and its voxel count is purely geometric. */
static void
test_phantom_lesion_clearance (void)
{
  const FidacPhantomLesion *lesions;
  guint n_lesions;

  lesions = fidac_phantom_lesions (&n_lesions);
  for (guint l = 0; l < n_lesions; l++)
    {
      const FidacPhantomLesion *lesion = &lesions[l];
      gdouble r = lesion->radius + 4.0;
      gint steps = (gint) ceil (r / 0.5);

      for (gint a = -steps; a <= steps; a++)
        for (gint b = -steps; b <= steps; b++)
          for (gint c = -steps; c <= steps; c++)
            {
              gdouble d[3] = { a * 0.5, b * 0.5, c * 0.5 };
              gdouble p[3];

              if (fidac_vec3_dot (d, d) > r * r)
                continue;
              for (guint x = 0; x < 3; x++)
                p[x] = lesion->center[x] + d[x];
              if (fidac_phantom_tissue_at (p, FALSE) != FIDAC_PHANTOM_TISSUE_LUNG)
                g_error ("lesion %u: %g,%g,%g is not lung", l, p[0], p[1], p[2]);
              if (fidac_vec3_dot (d, d) > lesion->radius * lesion->radius)
                g_assert_cmpint (fidac_phantom_tissue_at (p, TRUE), ==, FIDAC_PHANTOM_TISSUE_LUNG);
            }
    }
}

static void
count_hu (const FidacVolume *volume,
          gsize             *ground_glass,
          gsize             *consolidation,
          gsize             *lung)
{
  gsize n = fidac_volume_n_voxels (volume);

  *ground_glass = *consolidation = *lung = 0;
  for (gsize v = 0; v < n; v++)
    {
      *ground_glass += volume->voxels[v] == -550;
      *consolidation += volume->voxels[v] == 30;
      *lung += volume->voxels[v] == -850;
    }
}

static void
test_phantom_lesion_volumes (void)
{
  const FidacVolume *volume = get_default_volume ();
  const FidacPhantomLesion *lesions;
  guint n_lesions;
  gsize ggo = 0, cons = 0, hu_ggo, hu_cons, hu_lung;

  lesions = fidac_phantom_lesions (&n_lesions);
  for (guint l = 0; l < n_lesions; l++)
    {
      gsize count = fidac_phantom_lesion_voxel_count (volume, l);
      gdouble ml = fidac_phantom_lesion_voxel_volume_ml (volume, l);
      gdouble analytic = fidac_phantom_lesion_volume_ml (l);

      g_test_message ("lesion %u: %" G_GSIZE_FORMAT " voxels, %.4f mL, analytic %.4f mL",
                      l, count, ml, analytic);
      g_assert_cmpuint (count, ==, default_lesion_voxels[l]);
      g_assert_cmpfloat_with_epsilon (ml, count * 1.4 * 1.4 * 2.5 / 1000.0, 1e-9);
      g_assert_cmpfloat_with_epsilon (analytic,
                                      4.0 / 3.0 * G_PI * pow (lesions[l].radius, 3) / 1000.0,
                                      1e-12);
      g_assert_cmpfloat (fabs (ml / analytic - 1.0), <, 0.02);
      if (lesions[l].lesion_class == FIDAC_PHANTOM_LESION_GROUND_GLASS)
        ggo += count;
      else
        cons += count;
    }

  /* The volume holds exactly the constructed lesion voxels. */
  count_hu (volume, &hu_ggo, &hu_cons, &hu_lung);
  g_assert_cmpuint (hu_ggo, ==, ggo);
  g_assert_cmpuint (hu_cons, ==, cons);
  g_assert_cmpuint (ggo, ==, 1472 + 2338 + 1872 + 860);
  g_assert_cmpuint (cons, ==, 616 + 616);

  /* Without lesions the same voxels are lung (on a coarser grid, for speed). */
  {
    FidacPhantomOptions options;
    g_autoptr(FidacVolume) sick = make_phantom (128, 128, 60, 2.8, 5.0, FALSE, 0, 0, NULL);
    g_autoptr(FidacVolume) healthy = NULL;
    gsize s_ggo, s_cons, s_lung, h_ggo, h_cons, h_lung, lesion_voxels = 0;

    fidac_phantom_options_init (&options);
    options.columns = options.rows = 128;
    options.slices = 60;
    options.pixel_spacing = 2.8;
    options.slice_spacing = 5.0;
    options.lesions = FALSE;
    healthy = fidac_phantom_new (&options, NULL);
    g_assert_nonnull (healthy);
    for (guint l = 0; l < n_lesions; l++)
      lesion_voxels += fidac_phantom_lesion_voxel_count (sick, l);
    count_hu (sick, &s_ggo, &s_cons, &s_lung);
    count_hu (healthy, &h_ggo, &h_cons, &h_lung);
    g_assert_cmpuint (s_ggo + s_cons, ==, lesion_voxels);
    g_assert_cmpuint (h_ggo, ==, 0);
    g_assert_cmpuint (h_cons, ==, 0);
    g_assert_cmpuint (h_lung, ==, s_lung + lesion_voxels);
    g_assert_cmpstr (healthy->series_uid, !=, sick->series_uid);
  }
}

static void
test_phantom_labels (void)
{
  const FidacVolume *volume = get_default_volume ();
  gsize n = fidac_volume_n_voxels (volume);
  g_autofree guint8 *lesion_labels = g_malloc (n);
  g_autofree guint8 *lung_labels = g_malloc (n);
  g_autoptr(GError) error = NULL;
  gsize lesion_count[3] = { 0 }, lung_count[3] = { 0 };
  const FidacPhantomLesion *lesions;
  guint n_lesions;

  g_assert_true (fidac_phantom_fill_lesion_labels (volume, lesion_labels, n, &error));
  g_assert_no_error (error);
  g_assert_true (fidac_phantom_fill_lung_labels (volume, lung_labels, n, &error));
  g_assert_no_error (error);

  for (gsize v = 0; v < n; v++)
    {
      g_assert_cmpuint (lesion_labels[v], <=, 2);
      g_assert_cmpuint (lung_labels[v], <=, 2);
      lesion_count[lesion_labels[v]]++;
      lung_count[lung_labels[v]]++;
      /* Labels and HU tell the same story, voxel by voxel. */
      switch (volume->voxels[v])
        {
        case -550:
          g_assert_cmpuint (lesion_labels[v], ==, FIDAC_PHANTOM_LESION_GROUND_GLASS);
          break;
        case 30:
          g_assert_cmpuint (lesion_labels[v], ==, FIDAC_PHANTOM_LESION_CONSOLIDATION);
          break;
        case -850:
          g_assert_cmpuint (lesion_labels[v], ==, 0);
          g_assert_cmpuint (lung_labels[v], !=, 0);
          break;
        default:
          g_assert_cmpuint (lesion_labels[v], ==, 0);
        }
      if (lesion_labels[v] != 0)
        g_assert_cmpuint (lung_labels[v], !=, 0);
    }
  g_assert_cmpuint (lesion_count[1], ==, 1472 + 2338 + 1872 + 860);
  g_assert_cmpuint (lesion_count[2], ==, 616 + 616);

  g_test_message ("lungs: right %" G_GSIZE_FORMAT " voxels (%.3f L), left %" G_GSIZE_FORMAT
                  " voxels (%.3f L)", lung_count[1], lung_count[1] * 4.9e-6,
                  lung_count[2], lung_count[2] * 4.9e-6);
  g_assert_cmpuint (lung_count[FIDAC_PHANTOM_LUNG_RIGHT], ==, default_lung_voxels[0]);
  g_assert_cmpuint (lung_count[FIDAC_PHANTOM_LUNG_LEFT], ==, default_lung_voxels[1]);
  g_assert_cmpuint (lung_count[FIDAC_PHANTOM_LUNG_RIGHT], >, lung_count[FIDAC_PHANTOM_LUNG_LEFT]);

  /* Each lesion sits in its own lung. */
  lesions = fidac_phantom_lesions (&n_lesions);
  for (guint l = 0; l < n_lesions; l++)
    {
      gdouble v[3];
      gsize index;

      fidac_volume_patient_to_voxel (volume, lesions[l].center, v);
      index = ((gsize) lround (v[2]) * volume->dims[1] + lround (v[1])) * volume->dims[0] + lround (v[0]);
      g_assert_cmpuint (lung_labels[index], ==, lesions[l].lung);
      g_assert_cmpuint (lesion_labels[index], ==, lesions[l].lesion_class);
    }

  /* A buffer of the wrong size is refused. */
  g_assert_false (fidac_phantom_fill_lesion_labels (volume, lesion_labels, n - 1, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (fidac_phantom_fill_lung_labels (volume, lung_labels, n + 1, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
}

static void
test_phantom_sampling (void)
{
  /* Every 31st voxel of the default grid is the analytic phantom at its centre. */
  assert_samples_anatomy (get_default_volume (), 31);
}

static void
test_phantom_feet_first (void)
{
  /* A coarser grid than the default, for speed: the comparison is the same. */
  g_autoptr(FidacVolume) hfs = make_phantom (128, 128, 60, 2.8, 5.0, FALSE, 0, 0, NULL);
  g_autoptr(FidacVolume) ffs = make_phantom (128, 128, 60, 2.8, 5.0, TRUE, 0, 0, NULL);
  gdouble top[3], bottom[3], normal[3];
  gint nx = 128, nz = 60;

  g_assert_cmpfloat (ffs->axis[0][0], ==, -1);
  g_assert_cmpfloat (ffs->axis[1][1], ==, 1);
  g_assert_cmpfloat (ffs->axis[2][2], ==, -1);
  fidac_vec3_cross (ffs->axis[0], ffs->axis[1], normal);
  g_assert_cmpfloat (normal[2], ==, -1);
  g_assert_cmpfloat (fidac_volume_tilt_degrees (ffs), <, 1e-9);

  /* Slice 0 is the top one. */
  fidac_volume_voxel_to_patient (ffs, (const gdouble[3]) { 0, 0, 0 }, top);
  fidac_volume_voxel_to_patient (ffs, (const gdouble[3]) { 0, 0, nz - 1 }, bottom);
  g_assert_cmpfloat_with_epsilon (top[0], 177.8, 1e-9);
  g_assert_cmpfloat_with_epsilon (top[1], -177.8, 1e-9);
  g_assert_cmpfloat_with_epsilon (top[2], 147.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (bottom[2], -147.5, 1e-9);

  /* The same voxel centres, mirrored in i and k: the same HU everywhere. */
  for (gint k = 0; k < nz; k++)
    for (gint j = 0; j < 128; j++)
      for (gint i = 0; i < nx; i++)
        if (fidac_volume_get (ffs, i, j, k) != fidac_volume_get (hfs, nx - 1 - i, j, nz - 1 - k))
          g_error ("FFS voxel %d,%d,%d differs from HFS", i, j, k);

  for (guint l = 0; l < G_N_ELEMENTS (landmarks); l++)
    g_assert_cmpint (hu_near (ffs, landmarks[l].p), ==, hu_near (hfs, landmarks[l].p));
}

static void
check_lesions_on_grid (const FidacVolume *volume,
                       gdouble            voxel_mm3)
{
  const FidacPhantomLesion *lesions;
  guint n_lesions;
  gsize n = fidac_volume_n_voxels (volume);
  g_autofree guint8 *labels = g_malloc (n);
  gsize labelled = 0, expected = 0;

  g_assert_true (fidac_phantom_fill_lesion_labels (volume, labels, n, NULL));
  for (gsize v = 0; v < n; v++)
    {
      labelled += labels[v] != 0;
      g_assert_true ((labels[v] != 0) == (volume->voxels[v] == -550 || volume->voxels[v] == 30));
    }

  lesions = fidac_phantom_lesions (&n_lesions);
  for (guint l = 0; l < n_lesions; l++)
    {
      gdouble ml = fidac_phantom_lesion_voxel_volume_ml (volume, l);
      gsize count = fidac_phantom_lesion_voxel_count (volume, l);

      expected += count;
      g_assert_cmpfloat_with_epsilon (ml, count * voxel_mm3 / 1000.0, 1e-9);
      /* Voxels of 30 to 40 mm³ against spheres of 3 to 11 mL: a coarser match than the
       * default grid's 2 %. */
      g_assert_cmpfloat (fabs (ml / fidac_phantom_lesion_volume_ml (l) - 1.0), <, 0.06);
      g_assert_cmpint (hu_near (volume, lesions[l].center), ==, lesions[l].hu);
    }
  g_assert_cmpuint (labelled, ==, expected);
}

static void
test_phantom_tilted (void)
{
  const FidacVolume *hfs = get_default_volume ();
  g_autoptr(FidacVolume) tilted = make_phantom (128, 128, 64, 2.8, 5.0, FALSE, 15, 0, NULL);
  const gdouble c = cos (15 * G_PI / 180), s = sin (15 * G_PI / 180);

  g_assert_cmpfloat_with_epsilon (fidac_volume_tilt_degrees (tilted), 15, 1e-9);
  g_assert_cmpfloat_with_epsilon (tilted->axis[1][1], c, 1e-12);
  g_assert_cmpfloat_with_epsilon (tilted->axis[1][2], s, 1e-12);
  g_assert_cmpfloat (tilted->axis[2][2], ==, 1);
  g_assert_cmpfloat (tilted->axis[2][1], ==, 0);
  g_assert_cmpstr (tilted->patient_position, ==, "HFS");

  assert_samples_anatomy (tilted, 3);
  check_lesions_on_grid (tilted, 2.8 * 2.8 * 5.0 * c);
  /* Deep inside the landmarks' structures, the tilted and straight grids agree. */
  for (guint l = 0; l < G_N_ELEMENTS (landmarks); l++)
    if (landmarks[l].tissue == FIDAC_PHANTOM_TISSUE_LUNG ||
        landmarks[l].tissue == FIDAC_PHANTOM_TISSUE_HEART ||
        landmarks[l].tissue == FIDAC_PHANTOM_TISSUE_LIVER ||
        landmarks[l].tissue == FIDAC_PHANTOM_TISSUE_AIR)
      g_assert_cmpint (hu_near (tilted, landmarks[l].p), ==, hu_near (hfs, landmarks[l].p));

  /* Feet first and tilted: still a valid sheared grid. */
  {
    g_autoptr(FidacVolume) ffs = make_phantom (64, 64, 32, 5.6, 10.0, TRUE, -20, 0, NULL);
    gdouble normal[3];

    fidac_vec3_cross (ffs->axis[0], ffs->axis[1], normal);
    g_assert_cmpfloat_with_epsilon (fidac_volume_tilt_degrees (ffs), 20, 1e-9);
    g_assert_cmpfloat (fidac_vec3_dot (normal, ffs->axis[2]), >, 0.9);
    assert_samples_anatomy (ffs, 1);
  }
}

static void
test_phantom_oblique (void)
{
  const FidacVolume *hfs = get_default_volume ();
  const gdouble axis[3] = { 1, 1, 0 };
  g_autoptr(FidacVolume) oblique = make_phantom (128, 128, 64, 2.8, 5.0, FALSE, 0, 30, axis);
  gdouble centre[3];

  /* Rows and columns turned, still orthonormal; no tilt. */
  g_assert_cmpfloat_with_epsilon (fidac_vec3_dot (oblique->axis[0], oblique->axis[1]), 0, 1e-12);
  g_assert_cmpfloat_with_epsilon (fidac_vec3_norm (oblique->axis[0]), 1, 1e-12);
  g_assert_cmpfloat_with_epsilon (fidac_volume_tilt_degrees (oblique), 0, 1e-6);
  g_assert_cmpfloat (fabs (oblique->axis[0][2]), >, 0.1);
  /* The rotation keeps the grid centred on the phantom. */
  fidac_volume_voxel_to_patient (oblique, (const gdouble[3]) { 63.5, 63.5, 31.5 }, centre);
  for (guint a = 0; a < 3; a++)
    g_assert_cmpfloat_with_epsilon (centre[a], 0, 1e-9);

  assert_samples_anatomy (oblique, 3);
  check_lesions_on_grid (oblique, 2.8 * 2.8 * 5.0);
  for (guint l = 0; l < G_N_ELEMENTS (landmarks); l++)
    if (landmarks[l].tissue == FIDAC_PHANTOM_TISSUE_LUNG ||
        landmarks[l].tissue == FIDAC_PHANTOM_TISSUE_HEART ||
        landmarks[l].tissue == FIDAC_PHANTOM_TISSUE_LIVER)
      g_assert_cmpint (hu_near (oblique, landmarks[l].p), ==, hu_near (hfs, landmarks[l].p));

  /* Oblique, tilted and feet first together. */
  {
    g_autoptr(FidacVolume) all = make_phantom (64, 48, 40, 5.0, 6.0, TRUE, 10, -25, (const gdouble[3]) { 0, 0, 1 });

    g_assert_cmpfloat_with_epsilon (fidac_volume_tilt_degrees (all), 10, 1e-9);
    assert_samples_anatomy (all, 1);
  }
}

static void
test_phantom_invalid (void)
{
  FidacPhantomOptions options;
  g_autoptr(GError) error = NULL;
  FidacVolume *volume;

  fidac_phantom_options_init (&options);
  options.pixel_spacing = 0;
  volume = fidac_phantom_new (&options, &error);
  g_assert_null (volume);
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);

  fidac_phantom_options_init (&options);
  options.slice_spacing = NAN;
  g_assert_null (fidac_phantom_new (&options, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);

  fidac_phantom_options_init (&options);
  options.tilt_degrees = 45;
  g_assert_null (fidac_phantom_new (&options, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);

  fidac_phantom_options_init (&options);
  options.rotation_degrees = 10;
  memset (options.rotation_axis, 0, sizeof options.rotation_axis);
  g_assert_null (fidac_phantom_new (&options, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);

  fidac_phantom_options_init (&options);
  options.slices = 0;
  g_assert_null (fidac_phantom_new (&options, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fidac/phantom/defaults", test_phantom_defaults);
  g_test_add_func ("/fidac/phantom/uids", test_phantom_uids);
  g_test_add_func ("/fidac/phantom/landmarks", test_phantom_landmarks);
  g_test_add_func ("/fidac/phantom/sampling", test_phantom_sampling);
  g_test_add_func ("/fidac/phantom/lesion-clearance", test_phantom_lesion_clearance);
  g_test_add_func ("/fidac/phantom/lesion-volumes", test_phantom_lesion_volumes);
  g_test_add_func ("/fidac/phantom/labels", test_phantom_labels);
  g_test_add_func ("/fidac/phantom/feet-first", test_phantom_feet_first);
  g_test_add_func ("/fidac/phantom/tilted", test_phantom_tilted);
  g_test_add_func ("/fidac/phantom/oblique", test_phantom_oblique);
  g_test_add_func ("/fidac/phantom/invalid", test_phantom_invalid);

  ret = g_test_run ();
  g_clear_pointer (&default_volume, fidac_volume_free);
  return ret;
}
