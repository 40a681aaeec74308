/* bench-quantify.c: the quantification's update after a stroke, against a full recount.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-quantify [--series NAME] [--strokes N]
 *
 * On the shared COVID series ($FIDAC_SHARED_DATA/ct/covid-ricord-000082, 512 x 512 x 255;
 * a phantom on the same grid when it is absent), with the lung mask of
 * fidac_lungs_segment() (a threshold mask, -1000..-400 HU split at the middle column, when
 * the segmentation fails; the output says which): the time of fidac_quantifier_update() on
 * the slices a stroke changed plus fidac_quantifier_get_result(), for strokes of 20 segments
 * of 3 mm (a quick drag of 60 mm) with a 10 mm brush — an axial disc, a 3D sphere, and a
 * disc drawn on a coronal view going 60 mm down, which touches the most slices — painted
 * one after the other at random places in both lungs, so the map fills as a reader's
 * would. Then the time of a full recount (fidac_quantify(), and a new quantifier) for
 * comparison. Target: an update under 10 ms. A report: nothing is asserted.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-common.h"
#include "fidac-dicom.h"
#include "fidac-label-map.h"
#include "fidac-lesion.h"
#include "fidac-lungs.h"
#include "fidac-paint.h"
#include "fidac-quantify.h"

static gint n_strokes = 200;

/* Processor time of this thread, to nanoseconds: on a shared machine a wall-time maximum
 * mostly measures who else ran, this one what the update cost. */
static gdouble
thread_cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The fallback: air-like voxels inside the body are "lung", split left / right at the
 * middle column. Crude (airways and the air outside the body count), but of the right size
 * for timing. */
static FidacLabelMap *
threshold_lungs (const FidacVolume *volume)
{
  FidacLabelMap *lungs = fidac_label_map_new (volume, NULL);
  gint ni = volume->dims[0], nj = volume->dims[1], nk = volume->dims[2];

  for (gint k = 0; k < nk; k++)
    for (gint j = nj / 8; j < nj - nj / 8; j++)
      for (gint i = ni / 8; i < ni - ni / 8; i++)
        {
          gint16 hu = fidac_volume_get (volume, i, j, k);

          if (hu >= -1000 && hu <= -400)
            lungs->labels[fidac_label_map_index (lungs, i, j, k)] =
              i < ni / 2 ? FIDAC_LUNG_RIGHT : FIDAC_LUNG_LEFT;
        }
  fidac_label_map_touch (lungs, 0, nk - 1);
  return lungs;
}

typedef enum {
  STROKE_AXIAL_DISC,
  STROKE_SPHERE,
  STROKE_CORONAL_DISC,
} StrokeKind;

static const gchar *const stroke_names[] = {
  "10 mm disc, axial view",
  "10 mm sphere",
  "10 mm disc, coronal view, 60 mm down",
};

static void
bench_strokes (const FidacVolume *volume,
               FidacLabelMap     *lungs,
               StrokeKind         kind,
               gdouble           *median_out)
{
  g_autoptr(FidacLabelMap) labels = fidac_label_map_new (volume, NULL);
  g_autoptr(FidacQuantifier) quantifier = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (82 + kind);
  g_autoptr(GError) error = NULL;
  g_autofree gdouble *times = g_new (gdouble, n_strokes);
  g_autofree gdouble *cpu_times = g_new (gdouble, n_strokes);
  FidacQuantResult result, reference;
  FidacBrush brush;
  guint64 slices = 0, voxels = 0;
  gint most_slices = 0;
  gdouble median;

  quantifier = fidac_quantifier_new (volume, labels, lungs, &error);
  if (quantifier == NULL)
    g_error ("bench-quantify: %s", error->message);
  fidac_brush_init (&brush);
  brush.shape = kind == STROKE_SPHERE ? FIDAC_BRUSH_SPHERE : FIDAC_BRUSH_DISC;
  if (kind == STROKE_CORONAL_DISC)
    {
      /* The coronal view's plane: its normal is the patient's anterior-posterior axis. */
      brush.normal[0] = 0;
      brush.normal[1] = 1;
      brush.normal[2] = 0;
    }
  else
    {
      brush.normal[0] = 0;
      brush.normal[1] = 0;
      brush.normal[2] = 1;
    }

  for (gint s = 0; s < n_strokes; s++)
    {
      gdouble a[3], b[3], start, cpu_start, angle = g_rand_double_range (rand, 0, 2 * G_PI);
      gint k0, k1;

      brush.label = 1 + s % FIDAC_LESION_N_CLASSES;
      bench_grid_point (volume, g_rand_boolean (rand) ? g_rand_double_range (rand, 0.25, 0.4) :
                        g_rand_double_range (rand, 0.6, 0.75), g_rand_double_range (rand, 0.35, 0.6),
                        g_rand_double_range (rand, 0.25, 0.75), a);
      fidac_label_map_clear_dirty (labels);
      for (gint seg = 0; seg < 20; seg++)
        {
          gssize changed;

          memcpy (b, a, sizeof b);
          if (kind == STROKE_CORONAL_DISC)
            {
              b[0] += 3.0 * cos (angle) * 0.2;
              b[2] -= 3.0;
            }
          else
            {
              b[0] += 3.0 * cos (angle + seg * 0.15);
              b[1] += 3.0 * sin (angle + seg * 0.15);
            }
          changed = fidac_paint_segment (labels, volume, &brush, a, b, NULL, &error);
          if (changed < 0)
            g_error ("bench-quantify: %s", error->message);
          voxels += changed;
          memcpy (a, b, sizeof a);
        }
      if (!fidac_label_map_get_dirty (labels, &k0, &k1))
        k0 = 0, k1 = -1;

      start = bench_now ();
      cpu_start = thread_cpu_now ();
      fidac_quantifier_update (quantifier, k0, k1);
      fidac_quantifier_get_result (quantifier, &result);
      cpu_times[s] = thread_cpu_now () - cpu_start;
      times[s] = bench_now () - start;
      slices += k1 - k0 + 1;
      most_slices = MAX (most_slices, k1 - k0 + 1);
    }

  /* The figures followed every stroke: same as a recount at the end. */
  fidac_quantify (volume, labels, lungs, &reference, NULL);
  median = bench_median (times, n_strokes);
  bench_median (cpu_times, n_strokes);
  g_print ("  %-38s wall median %.3f ms, 95th percentile %.3f ms, max %.3f ms; processor time "
           "median %.3f ms, max %.3f ms\n", stroke_names[kind], median * 1e3,
           times[n_strokes * 95 / 100] * 1e3, bench_maximum (times, n_strokes) * 1e3,
           cpu_times[n_strokes / 2] * 1e3, bench_maximum (cpu_times, n_strokes) * 1e3);
  g_print ("  %-38s %d strokes; %.1f slices each on average, at most %d; %.0f voxels painted "
           "per stroke\n", "", n_strokes, (gdouble) slices / n_strokes, most_slices,
           (gdouble) voxels / n_strokes);
  g_print ("  %-38s after them: %.1f mL painted, %.2f %% of the lungs; same as a recount: %s\n",
           "", result.lesion_ml[0], result.involvement[0][0],
           memcmp (result.in_lung_voxels, reference.in_lung_voxels,
                   sizeof result.in_lung_voxels) == 0 &&
           memcmp (result.lesion_voxels, reference.lesion_voxels,
                   sizeof result.lesion_voxels) == 0 ? "yes" : "NO");
  *median_out = median;
}

/* A full recount on a map painted in both lungs. */
static void
bench_full (const FidacVolume *volume,
            FidacLabelMap     *lungs,
            const gdouble     *medians,
            guint              n_medians)
{
  g_autoptr(FidacLabelMap) labels = fidac_label_map_new (volume, NULL);
  gdouble quantify_times[7], new_times[7], quantify_median, new_median;
  FidacBrush brush;
  FidacQuantResult result;

  fidac_brush_init (&brush);
  brush.shape = FIDAC_BRUSH_SPHERE;
  brush.diameter = 30;
  for (gint n = 0; n < 40; n++)
    {
      gdouble p[3];

      bench_grid_point (volume, n % 2 ? 0.32 : 0.68, 0.45, 0.2 + 0.015 * n, p);
      fidac_paint_dab (labels, volume, &brush, p, NULL, NULL);
    }

  for (gint r = 0; r < 7; r++)
    {
      FidacQuantifier *quantifier;
      gdouble start = bench_now ();

      fidac_quantify (volume, labels, lungs, &result, NULL);
      quantify_times[r] = bench_now () - start;
      start = bench_now ();
      quantifier = fidac_quantifier_new (volume, labels, lungs, NULL);
      new_times[r] = bench_now () - start;
      fidac_quantifier_free (quantifier);
    }
  quantify_median = bench_median (quantify_times, 7);
  new_median = bench_median (new_times, 7);
  g_print ("  full recount (fidac_quantify) %.2f ms, new quantifier %.2f ms, median of 7, "
           "with %.1f mL painted (%.2f %% of the lungs)\n", quantify_median * 1e3,
           new_median * 1e3, result.lesion_ml[0], result.involvement[0][0]);
  for (guint n = 0; n < n_medians; n++)
    g_print ("  %-38s update %.0f times faster than a recount\n", stroke_names[n],
             quantify_median / MAX (medians[n], 1e-9));

  /* The worst case for the counting loop: every voxel painted, none skipped. */
  {
    g_autoptr(FidacQuantifier) quantifier = fidac_quantifier_new (volume, labels, lungs, NULL);
    gint nk = volume->dims[2];
    gdouble start;

    gsize n = fidac_volume_n_voxels (volume);
    gdouble uniform;

    memset (labels->labels, FIDAC_LESION_GROUND_GLASS, n);
    fidac_label_map_touch (labels, 0, nk - 1);
    start = bench_now ();
    fidac_quantifier_update (quantifier, 0, nk - 1);
    fidac_quantifier_get_result (quantifier, &result);
    uniform = bench_now () - start;
    /* Classes changing at every voxel: no block is one class. */
    for (gsize v = 0; v < n; v++)
      labels->labels[v] = 1 + v % FIDAC_LESION_N_CLASSES;
    fidac_label_map_touch (labels, 0, nk - 1);
    start = bench_now ();
    fidac_quantifier_update (quantifier, 0, nk - 1);
    fidac_quantifier_get_result (quantifier, &result);
    g_print ("  every voxel painted, one class: %.3f ms per slice; classes mixed voxel by "
             "voxel (the worst case): %.3f ms per slice\n", uniform * 1e3 / nk,
             (bench_now () - start) * 1e3 / nk);
  }
}

int
main (int argc, char **argv)
{
  g_autofree gchar *series = g_strdup ("covid-ricord-000082");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacLabelMap) lungs = NULL;
  g_autoptr(GError) error = NULL;
  gdouble medians[3];
  FidacLungsInfo info;
  gdouble start;
  GOptionEntry entries[] = {
    { "series", 0, 0, G_OPTION_ARG_STRING, &series, "Shared series", "NAME" },
    { "strokes", 0, 0, G_OPTION_ARG_INT, &n_strokes, "Strokes timed per brush", "N" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_strokes < 1)
    {
      g_printerr ("bench-quantify: %s\n", error ? error->message : "--strokes must be positive");
      return 1;
    }

  volume = bench_open_series ("bench-quantify", series);
  if (volume == NULL)
    return 1;

  start = bench_now ();
  lungs = fidac_lungs_segment (volume, &info, NULL, NULL, NULL, &error);
  if (lungs != NULL)
    g_print ("  lung mask: fidac_lungs_segment() in %.2f s: right %.0f mL, left %.0f mL\n",
             bench_now () - start, info.volume_ml[FIDAC_LUNG_RIGHT],
             info.volume_ml[FIDAC_LUNG_LEFT]);
  else
    {
      g_print ("  lung mask: fidac_lungs_segment() failed (%s); a threshold mask "
               "(-1000..-400 HU, split at the middle column) instead\n", error->message);
      lungs = threshold_lungs (volume);
    }

  g_print ("  quantification after a stroke of 20 segments of 3 mm (update of the changed "
           "slices + result; target < 10 ms):\n");
  bench_strokes (volume, lungs, STROKE_AXIAL_DISC, &medians[0]);
  bench_strokes (volume, lungs, STROKE_SPHERE, &medians[1]);
  bench_strokes (volume, lungs, STROKE_CORONAL_DISC, &medians[2]);
  bench_full (volume, lungs, medians, G_N_ELEMENTS (medians));
  return 0;
}
