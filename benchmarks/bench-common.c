/* bench-common.c: clocks, memory, statistics and series loading shared by the benchmarks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench-common.h"

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
