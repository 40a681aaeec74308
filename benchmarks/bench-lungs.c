/* bench-lungs.c: automatic lung segmentation on a full-size series.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-lungs [--series NAME] [--runs N] [--dump FILE]
 *
 * On the shared COVID series ($FIDAC_SHARED_DATA/ct/covid-ricord-000082, 512 x 512 x 255;
 * a phantom on the same grid when it is absent): the wall time of fidac_lungs_segment()
 * (median and maximum of N runs; the target is under 1 s) and the processor time it takes,
 * with the volumes found. --dump writes the last mask as raw bytes (i fastest) for an
 * independent check (tests/data/verify-lungs.py). A report: nothing is asserted.
 */
#include "config.h"

#include <stdlib.h>

#include "bench-common.h"
#include "fidac-dicom.h"
#include "fidac-lungs.h"

int
main (int argc, char **argv)
{
  g_autofree gchar *series = g_strdup ("covid-ricord-000082");
  g_autofree gchar *dump = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacLabelMap) map = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gdouble *walls = NULL, *cpus = NULL;
  gint runs = 7;
  FidacLungsInfo info;
  GOptionEntry entries[] = {
    { "series", 0, 0, G_OPTION_ARG_STRING, &series, "Shared series", "NAME" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed runs", "N" },
    { "dump", 0, 0, G_OPTION_ARG_FILENAME, &dump, "Write the mask as raw bytes", "FILE" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1)
    {
      g_printerr ("bench-lungs: %s\n", error ? error->message : "--runs must be positive");
      return 1;
    }

  volume = bench_open_series ("bench-lungs", series);
  if (volume == NULL)
    return 1;

  walls = g_new (gdouble, runs);
  cpus = g_new (gdouble, runs);
  for (gint r = 0; r < runs; r++)
    {
      gdouble start = bench_now (), cpu = bench_cpu_seconds ();

      g_clear_pointer (&map, fidac_label_map_unref);
      map = fidac_lungs_segment (volume, &info, NULL, NULL, NULL, &error);
      walls[r] = bench_now () - start;
      cpus[r] = bench_cpu_seconds () - cpu;
      if (map == NULL)
        {
          g_printerr ("bench-lungs: %s\n", error->message);
          return 1;
        }
    }
  g_print ("  lung segmentation: median %.3f s, max %.3f s wall (%d runs, %u processors); "
           "median processor time %.3f s\n", bench_median (walls, runs),
           bench_maximum (walls, runs), runs, g_get_num_processors (),
           bench_median (cpus, runs));
  g_print ("  right lung %.1f mL, left lung %.1f mL, both %.1f mL; airway removed %.1f mL; "
           "lungs cut apart: %s\n", info.volume_ml[FIDAC_LUNG_RIGHT],
           info.volume_ml[FIDAC_LUNG_LEFT], info.volume_ml[0], info.airway_ml,
           info.split_needed ? "yes" : "no");
  g_print ("  memory: %.0f MB resident\n", bench_rss_mb ());

  if (dump != NULL &&
      !g_file_set_contents (dump, (const gchar *) map->labels,
                            fidac_volume_n_voxels (volume), &error))
    {
      g_printerr ("bench-lungs: %s\n", error->message);
      return 1;
    }
  return 0;
}
