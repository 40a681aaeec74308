/* bench-paint.c: the brush and the undo history on a full-size series.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-paint [--series NAME] [--dabs N]
 *
 * On the shared COVID series ($FIDAC_SHARED_DATA/ct/covid-ricord-000082, 512 x 512 x 255;
 * a phantom on the same grid when it is absent): the time of one 10 mm brush dab in core
 * (disc and sphere, without and with the ground-glass HU limit, through an undo step), of
 * a stroke of 20 dabs (press to release: begin, 20 segments, end), and the memory held by
 * 100 undo steps of large strokes (30 mm spheres across the lungs), with the time to undo
 * and redo the largest. A report: nothing is asserted.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench-common.h"
#include "fidac-dicom.h"
#include "fidac-label-map.h"
#include "fidac-lesion.h"
#include "fidac-paint.h"
#include "fidac-undo.h"

static gint n_dabs = 400;

/* Median and maximum time of single dabs at scattered places in both lungs, each one
 * undo step, on a fresh map. */
static void
bench_dabs (const FidacVolume *volume,
            const gchar       *what,
            FidacBrushShape    shape,
            gboolean           hu_limit)
{
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);
  g_autoptr(FidacUndo) undo = fidac_undo_new (map, FIDAC_UNDO_DEFAULT_STEPS,
                                              FIDAC_UNDO_DEFAULT_BYTES);
  g_autofree gdouble *times = g_new (gdouble, n_dabs);
  g_autoptr(GRand) rand = g_rand_new_with_seed (82);
  const FidacLesionClass *ggo = fidac_lesion_get (FIDAC_LESION_GROUND_GLASS);
  FidacBrush brush;
  gsize voxels = 0;

  fidac_brush_init (&brush);
  brush.shape = shape;
  brush.label = FIDAC_LESION_GROUND_GLASS;
  brush.hu_limit = hu_limit;
  brush.hu_min = ggo->hu_min;
  brush.hu_max = ggo->hu_max;

  for (gint d = 0; d < n_dabs; d++)
    {
      gdouble p[3], start;
      gssize changed;

      bench_grid_point (volume, g_rand_boolean (rand) ? g_rand_double_range (rand, 0.2, 0.4) :
                  g_rand_double_range (rand, 0.6, 0.8), g_rand_double_range (rand, 0.3, 0.6),
                  g_rand_double_range (rand, 0.2, 0.8), p);
      start = bench_now ();
      fidac_undo_begin (undo);
      changed = fidac_paint_dab (map, volume, &brush, p, undo, NULL);
      fidac_undo_end (undo, NULL, NULL);
      times[d] = bench_now () - start;
      voxels += MAX (changed, 0);
    }
  qsort (times, n_dabs, sizeof (gdouble), bench_compare_double);
  g_print ("  10 mm %-26s median %.3f ms, max %.3f ms (%d dabs, %.0f voxels each on "
           "average)\n", what, times[n_dabs / 2] * 1e3, times[n_dabs - 1] * 1e3, n_dabs,
           (gdouble) voxels / n_dabs);
}

/* A stroke of 20 dabs: 20 segments of 3 mm (a quick drag) in the right lung. */
static void
bench_stroke (const FidacVolume *volume,
              FidacBrushShape    shape)
{
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);
  g_autoptr(FidacUndo) undo = fidac_undo_new (map, FIDAC_UNDO_DEFAULT_STEPS,
                                              FIDAC_UNDO_DEFAULT_BYTES);
  gdouble best = G_MAXDOUBLE, best_end = 0;
  gssize changed = 0;
  FidacBrush brush;

  fidac_brush_init (&brush);
  brush.shape = shape;
  for (gint round = 0; round < 10; round++)
    {
      gdouble a[3], b[3], start, end_start;

      bench_grid_point (volume, 0.3, 0.4, 0.3 + 0.04 * round, a);
      start = bench_now ();
      fidac_undo_begin (undo);
      changed = 0;
      for (gint s = 0; s < 20; s++)
        {
          memcpy (b, a, sizeof b);
          b[0] += 3.0 * cos (s * 0.3);
          b[1] += 3.0 * sin (s * 0.3);
          changed += fidac_paint_segment (map, volume, &brush, a, b, undo, NULL);
          memcpy (a, b, sizeof a);
        }
      end_start = bench_now ();
      fidac_undo_end (undo, NULL, NULL);
      if (bench_now () - start < best)
        {
          best = bench_now () - start;
          best_end = bench_now () - end_start;
        }
    }
  g_print ("  stroke of 20 dabs, 10 mm %s: %.3f ms (closing the undo step %.3f ms), "
           "%" G_GSSIZE_FORMAT " voxels\n", shape == FIDAC_BRUSH_DISC ? "disc" : "sphere",
           best * 1e3, best_end * 1e3, changed);
}

/* 100 steps of large strokes: 30 mm spheres swept 20 x 8 mm through the lungs, over
 * everything, alternating classes so each stroke rewrites what the previous ones left. */
static void
bench_history (const FidacVolume *volume)
{
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);
  g_autoptr(FidacUndo) undo = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (19);
  gdouble rss_before, start, undo_time, redo_time;
  guint64 total = 0, largest = 0;
  FidacBrush brush;

  rss_before = bench_rss_mb ();
  /* No memory cap here: the point is what 100 such steps cost. */
  undo = fidac_undo_new (map, 100, 0);
  fidac_brush_init (&brush);
  brush.shape = FIDAC_BRUSH_SPHERE;
  brush.diameter = 30;
  brush.over = FIDAC_PAINT_OVER_ALL;
  start = bench_now ();
  for (gint step = 0; step < 100; step++)
    {
      gdouble a[3], b[3], angle = g_rand_double_range (rand, 0, 2 * G_PI);
      gsize changed = 0;

      brush.label = 1 + step % 3;
      bench_grid_point (volume, g_rand_boolean (rand) ? 0.3 : 0.7, g_rand_double_range (rand, 0.35, 0.55),
                  g_rand_double_range (rand, 0.2, 0.8), a);
      fidac_undo_begin (undo);
      for (gint s = 0; s < 20; s++)
        {
          memcpy (b, a, sizeof b);
          b[0] += 8.0 * cos (angle) * 0.3;
          b[1] += 8.0 * sin (angle) * 0.3;
          b[2] += 8.0 * 0.95;
          changed += fidac_paint_segment (map, volume, &brush, a, b, undo, NULL);
          memcpy (a, b, sizeof a);
        }
      fidac_undo_end (undo, NULL, NULL);
      total += changed;
      largest = MAX (largest, changed);
    }
  g_print ("  100 strokes of a 30 mm sphere over 160 mm: %.2f s, %.0f voxels changed per "
           "stroke (largest %" G_GUINT64_FORMAT ")\n", bench_now () - start, (gdouble) total / 100,
           largest);
  g_print ("  history: %u steps, %.2f MB (%.2f bytes per changed voxel); process memory "
           "+%.1f MB\n", fidac_undo_n_undo (undo), fidac_undo_get_bytes (undo) / 1048576.0,
           (gdouble) fidac_undo_get_bytes (undo) / MAX (total, 1), bench_rss_mb () - rss_before);

  start = bench_now ();
  fidac_undo_undo (undo, NULL, NULL);
  undo_time = bench_now () - start;
  start = bench_now ();
  fidac_undo_redo (undo, NULL, NULL);
  redo_time = bench_now () - start;
  g_print ("  undo of the last stroke %.3f ms, redo %.3f ms\n", undo_time * 1e3,
           redo_time * 1e3);
  start = bench_now ();
  while (fidac_undo_undo (undo, NULL, NULL))
    ;
  g_print ("  undo of all 100 steps %.1f ms; map empty again: %s\n", (bench_now () - start) * 1e3,
           fidac_label_map_count (map, FIDAC_LABEL_NONE) ==
           (guint64) fidac_volume_n_voxels (volume) ? "yes" : "NO");
}

int
main (int argc, char **argv)
{
  g_autofree gchar *series = g_strdup ("covid-ricord-000082");
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "series", 0, 0, G_OPTION_ARG_STRING, &series, "Shared series", "NAME" },
    { "dabs", 0, 0, G_OPTION_ARG_INT, &n_dabs, "Dabs timed per brush", "N" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_dabs < 1)
    {
      g_printerr ("bench-paint: %s\n", error ? error->message : "--dabs must be positive");
      return 1;
    }

  volume = bench_open_series ("bench-paint", series);
  if (volume == NULL)
    return 1;

  bench_dabs (volume, "disc (axial)", FIDAC_BRUSH_DISC, FALSE);
  bench_dabs (volume, "disc, ground-glass range", FIDAC_BRUSH_DISC, TRUE);
  bench_dabs (volume, "sphere", FIDAC_BRUSH_SPHERE, FALSE);
  bench_dabs (volume, "sphere, ground-glass range", FIDAC_BRUSH_SPHERE, TRUE);
  bench_stroke (volume, FIDAC_BRUSH_DISC);
  bench_stroke (volume, FIDAC_BRUSH_SPHERE);
  bench_history (volume);
  return 0;
}
