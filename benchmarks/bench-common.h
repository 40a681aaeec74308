/* bench-common.h: clocks, memory, statistics and series loading shared by the benchmarks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fidac-dicom.h"

G_BEGIN_DECLS

/* Wall time in seconds, monotonic. */
gdouble      bench_now            (void);
/* Processor time of the whole process (llvmpipe's threads included): unlike wall time it
 * does not grow when other programs share the processors. */
gdouble      bench_cpu_seconds    (void);
/* Resident memory (VmRSS) in MB, -1 when unknown. */
gdouble      bench_rss_mb         (void);

/* Ascending order of doubles, for qsort(). */
gint         bench_compare_double (gconstpointer a,
                                   gconstpointer b);
/* Sorts `values` and returns the upper median (values[n / 2]). */
gdouble      bench_median         (gdouble      *values,
                                   gint          n);
gdouble      bench_maximum        (const gdouble *values,
                                   gint           n);

/* The one series of a folder (fidac_scan_pick() chooses). */
FidacVolume *bench_load_series    (const gchar  *folder,
                                   GError      **error);
/* The shared series `series` ($FIDAC_SHARED_DATA/ct/SERIES, ../shared/data when unset), or
 * when it is absent the phantom on its 512 x 512 x 255 grid; says which on stdout. NULL
 * after a message on stderr that starts with `program` when neither can be had. */
FidacVolume *bench_open_series    (const gchar  *program,
                                   const gchar  *series);
/* A patient point at fractions (fx, fy, fz) of the grid. */
void         bench_grid_point     (const FidacVolume *volume,
                                   gdouble            fx,
                                   gdouble            fy,
                                   gdouble            fz,
                                   gdouble            out[3]);

G_END_DECLS
