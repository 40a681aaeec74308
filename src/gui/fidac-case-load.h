/* fidac-case-load.h: opening a case off the main thread (demo, scan, pick, load).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fidac-dicom.h"

G_BEGIN_DECLS

typedef enum {
  FIDAC_CASE_LOAD_PHASE_DEMO,          /* writing the demo phantom */
  FIDAC_CASE_LOAD_PHASE_SCAN,          /* reading headers */
  FIDAC_CASE_LOAD_PHASE_DECODE,        /* decoding pixels */
} FidacCaseLoadPhase;

/* A reference-counted job shared by the window (main thread) and its worker thread. The
 * inputs are set before fidac_case_load_run_async(), the outputs read after it completes;
 * only phase and progress are touched concurrently, atomically. */
typedef struct {
  /* inputs */
  GPtrArray       *paths;            /* gchar*; empty for the demo */
  gchar           *demo_cache_dir;   /* non-NULL: make/open the demo phantom there */
  FidacSeriesInfo *series;           /* the series to load, or NULL to scan `paths` */
  GPtrArray       *scan_warnings;    /* gchar*, carried along with a chosen series */

  /* outputs */
  FidacScan       *scan;             /* set when several series need a choice */
  FidacVolume     *volume;
  gint16           hu_min;           /* of `volume`, found by the worker: a big volume's */
  gint16           hu_max;           /* full pass has no place on the main thread */

  /* progress, atomic */
  gint             phase;            /* FidacCaseLoadPhase */
  gint             progress;         /* fraction in millionths */
} FidacCaseLoad;

FidacCaseLoad   *fidac_case_load_new           (void);
FidacCaseLoad   *fidac_case_load_ref           (FidacCaseLoad *load);
void             fidac_case_load_unref         (FidacCaseLoad *load);

void             fidac_case_load_run_async     (FidacCaseLoad       *load,
                                                gpointer             source_object,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean         fidac_case_load_run_finish    (GAsyncResult        *result,
                                                GError             **error);
FidacCaseLoad   *fidac_case_load_from_result   (GAsyncResult        *result);

FidacCaseLoadPhase fidac_case_load_get_phase   (FidacCaseLoad       *load);
gdouble          fidac_case_load_get_fraction  (FidacCaseLoad       *load);

/* Whether a series holds images that can be loaded as a volume (not a SEG, SR, ...). */
gboolean         fidac_series_is_image         (const FidacSeriesInfo *info);
FidacSeriesInfo *fidac_series_info_copy        (const FidacSeriesInfo *info);

/* Writes the demo phantom once into `cache_dir`/demo-phantom (through a temporary folder
 * renamed at the end, so a half-written demo is never reused) and returns that path. */
gchar           *fidac_demo_ensure             (const gchar   *cache_dir,
                                                GCancellable  *cancellable,
                                                GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FidacCaseLoad, fidac_case_load_unref)

G_END_DECLS
