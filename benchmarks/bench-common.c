/* bench-common.c: clocks, memory, statistics and series loading shared by the benchmarks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench-common.h"
#include "fidac-phantom.h"

gdouble
bench_now (void)
{
  return g_get_monotonic_time () / (gdouble) G_USEC_PER_SEC;
}

gdouble
bench_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

gdouble
bench_rss_mb (void)
{
  g_autofree gchar *status = NULL;
  const gchar *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1.0;
  line = strstr (status, "VmRSS:");
  if (line == NULL)
    return -1.0;
  return g_ascii_strtod (line + 6, NULL) / 1024.0;
}

gint
bench_compare_double (gconstpointer a,
                      gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

gdouble
bench_median (gdouble *values,
              gint     n)
{
  qsort (values, n, sizeof (gdouble), bench_compare_double);
  return values[n / 2];
}

gdouble
bench_maximum (const gdouble *values,
               gint           n)
{
  gdouble m = values[0];

  for (gint i = 1; i < n; i++)
    m = MAX (m, values[i]);
  return m;
}

FidacVolume *
bench_load_series (const gchar *folder,
                   GError     **error)
{
  g_autoptr(FidacScan) scan = fidac_dicom_scan (folder, NULL, NULL, NULL, error);
  const FidacSeriesInfo *info;

  if (scan == NULL)
    return NULL;
  info = fidac_scan_pick (scan, NULL, error);
  if (info == NULL)
    return NULL;
  return fidac_dicom_load_series (info, NULL, NULL, NULL, error);
}

FidacVolume *
bench_open_series (const gchar *program,
                   const gchar *series)
{
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *folder = NULL;
  const gchar *shared = g_getenv ("FIDAC_SHARED_DATA");
  FidacPhantomOptions options;

  folder = g_build_filename (shared ? shared : "../shared/data", "ct", series, NULL);
  if (g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      volume = bench_load_series (folder, &error);
      if (volume == NULL)
        {
          g_printerr ("%s: cannot load %s: %s\n", program, folder, error->message);
          return NULL;
        }
      g_print ("%s: %d x %d x %d, %.3f x %.3f x %.3f mm\n", series, volume->dims[0],
               volume->dims[1], volume->dims[2], volume->spacing[0], volume->spacing[1],
               volume->spacing[2]);
      return g_steal_pointer (&volume);
    }

  fidac_phantom_options_init (&options);
  options.columns = options.rows = 512;
  options.slices = 255;
  options.pixel_spacing = 0.703;
  options.slice_spacing = 1.25;
  volume = fidac_phantom_new (&options, &error);
  if (volume == NULL)
    {
      g_printerr ("%s: %s\n", program, error->message);
      return NULL;
    }
  g_print ("%s is not there: the phantom on a 512 x 512 x 255 grid, 0.703 x 0.703 x "
           "1.25 mm\n", folder);
  return g_steal_pointer (&volume);
}

void
bench_grid_point (const FidacVolume *volume,
                  gdouble            fx,
                  gdouble            fy,
                  gdouble            fz,
                  gdouble            out[3])
{
  const gdouble voxel[3] = {
    fx * (volume->dims[0] - 1), fy * (volume->dims[1] - 1), fz * (volume->dims[2] - 1),
  };

  fidac_volume_voxel_to_patient (volume, voxel, out);
}
