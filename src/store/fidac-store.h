/* fidac-store.h: the local database (SQLite): cases, annotations, label slices, scores, outbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One file, `$XDG_DATA_HOME/fidac/fidac.db` by default (FIDAC_DATA_DIR overrides the folder),
 * mode 0600, WAL journal, foreign keys on, schema versioned by `PRAGMA user_version`.
 *
 * Threads: a FidacStore is one SQLite connection and must be used by one thread at a time;
 * open one store per thread that needs it (WAL lets readers and one writer work at once;
 * a writer waits up to FIDAC_STORE_BUSY_TIMEOUT_MS for another).
 *
 * Durability: every write is one transaction, committed with `synchronous=FULL`, so that a
 * stroke saved by fidac_store_save_slices() survives the program being killed (and a power
 * cut): work is lost only up to the stroke in progress.
 *
 * A damaged database (not SQLite, truncated, failing its integrity check) is never repaired
 * or replaced silently: fidac_store_open() renames it (with its -wal and -shm files) to
 * "<name>.corrupt-<UTC time>", fails with FIDAC_STORE_ERROR_CORRUPT naming both paths, and
 * the next open starts an empty database.
 */
#pragma once

#include <glib.h>

#include "fidac-label-map.h"
#include "fidac-volume.h"

G_BEGIN_DECLS

#define FIDAC_STORE_ERROR (fidac_store_error_quark ())

typedef enum {
  FIDAC_STORE_ERROR_IO,         /* folder or file cannot be created, disk full, locked too long */
  FIDAC_STORE_ERROR_CORRUPT,    /* damaged database (moved aside at open) or damaged row */
  FIDAC_STORE_ERROR_VERSION,    /* written by a newer FIDAC: left untouched, not downgraded */
  FIDAC_STORE_ERROR_INVALID,    /* bad argument: empty UID, unknown reader, bad grid */
  FIDAC_STORE_ERROR_NOT_FOUND,  /* no such case or annotation */
  FIDAC_STORE_ERROR_MISMATCH,   /* the label map's grid is not the case's */
} FidacStoreError;

GQuark fidac_store_error_quark (void);

/* The schema version this build writes; a database with a higher one is refused. */
#define FIDAC_STORE_SCHEMA_VERSION 1
#define FIDAC_STORE_BUSY_TIMEOUT_MS 5000

typedef struct _FidacStore FidacStore;

/* `$FIDAC_DATA_DIR/fidac.db` when that variable is set, else
 * `$XDG_DATA_HOME/fidac/fidac.db`. */
gchar        *fidac_store_default_path   (void);

/* Opens `path` (NULL: the default path), creating it (and its folder, mode 0700) when
 * absent, and migrating an older schema. */
FidacStore   *fidac_store_open           (const gchar   *path,
                                          GError       **error);
void          fidac_store_close          (FidacStore    *store);
const gchar  *fidac_store_get_path       (FidacStore    *store);

/* Reader and annotation */

typedef enum {
  FIDAC_READER_ROLE_EXPERT,
  FIDAC_READER_ROLE_REVIEWER,
} FidacReaderRole;

/* draft → complete → submitted (the version increases at each submission). */
typedef enum {
  FIDAC_ANNOTATION_DRAFT,
  FIDAC_ANNOTATION_COMPLETE,
  FIDAC_ANNOTATION_SUBMITTED,
} FidacAnnotationStatus;

/* What a case list shows for a case. */
typedef enum {
  FIDAC_CASE_NOT_STARTED,       /* no annotation, or a draft with nothing painted or scored */
  FIDAC_CASE_IN_PROGRESS,       /* a draft with content */
  FIDAC_CASE_COMPLETE,          /* complete or submitted */
} FidacCaseProgress;

typedef struct {
  const gchar    *name;         /* display name, not empty */
  const gchar    *id;           /* RPPS or other professional identifier, not empty */
  FidacReaderRole role;
} FidacReader;

/* Stable names, as stored and printed: "expert", "reviewer"; "draft", "complete",
 * "submitted"; "not-started", "in-progress", "complete". */
const gchar  *fidac_reader_role_to_string       (FidacReaderRole        role);
gboolean      fidac_reader_role_from_string     (const gchar           *text,
                                                 FidacReaderRole       *role);
const gchar  *fidac_annotation_status_to_string (FidacAnnotationStatus  status);
gboolean      fidac_annotation_status_from_string (const gchar         *text,
                                                   FidacAnnotationStatus *status);
const gchar  *fidac_case_progress_to_string     (FidacCaseProgress      progress);
/* The status as the window and the case report show it, in the user's language ("Draft",
 * "Complete", "Submitted"); NULL for a value out of the enumeration. */
const gchar  *fidac_annotation_status_get_name  (FidacAnnotationStatus  status);

/* Cases */

typedef struct {
  gchar   *series_uid;
  gchar   *study_uid;           /* may be NULL */
  gchar   *description;         /* may be NULL */
  gchar   *study_date;          /* DICOM DA, may be NULL */
  gchar   *path;                /* where the series was loaded from, may be NULL */
  gint     dims[3];             /* the volume's grid: columns, rows, slices */
  gdouble  voxel_volume_mm3;    /* so that volumes in mL need no DICOM */
  gint64   added;               /* µs since the epoch, UTC (set by the store) */
  gint64   modified;            /* last put or annotation change */
  /* Filled by fidac_store_list_cases(): */
  FidacCaseProgress progress;
  guint    n_annotations;
} FidacStoreCase;

/* A case describing `volume` (grid, voxel volume of the possibly sheared grid, UIDs);
 * `path` (may be NULL) is made absolute. */
FidacStoreCase *fidac_store_case_new_from_volume (const FidacVolume *volume,
                                                  const gchar       *path);
void          fidac_store_case_free      (FidacStoreCase *store_case);

/* Adds or updates the case keyed by its series UID. A case whose grid changes while it has
 * painted slices is refused (FIDAC_STORE_ERROR_MISMATCH): the labels would not fit. */
gboolean      fidac_store_put_case       (FidacStore           *store,
                                          const FidacStoreCase *store_case,
                                          GError              **error);
FidacStoreCase *fidac_store_get_case     (FidacStore           *store,
                                          const gchar          *series_uid,
                                          GError              **error);
/* All cases (FidacStoreCase*), most recently modified first; `progress` is that of the
 * annotations of `reader_id` (any role), or of all annotations when NULL (the most advanced). */
GPtrArray    *fidac_store_list_cases     (FidacStore           *store,
                                          const gchar          *reader_id,
                                          GError              **error);

/* Annotations */

typedef struct {
  gint64   id;
  gchar   *series_uid;
  gchar   *reader_name;
  gchar   *reader_id;
  FidacReaderRole role;
  FidacAnnotationStatus status;
  gint     version;             /* 0 until the first submission */
  gint64   created;             /* µs since the epoch, UTC */
  gint64   modified;
  guint64  counts[FIDAC_LABEL_MAX_CLASSES];  /* voxels per class id (counts[0] unused) */
  guint    n_slices;            /* slices holding at least one labelled voxel */
  gboolean has_scores;
} FidacStoreAnnotation;

void          fidac_store_annotation_free (FidacStoreAnnotation *annotation);

/* The annotation of (series, reader id, role); with `create`, made (draft, empty) when
 * absent, else FIDAC_STORE_ERROR_NOT_FOUND. The case must have been put first. A changed
 * display name for the same reader id is updated. */
FidacStoreAnnotation *fidac_store_get_annotation (FidacStore        *store,
                                                  const gchar       *series_uid,
                                                  const FidacReader *reader,
                                                  gboolean           create,
                                                  GError           **error);
FidacStoreAnnotation *fidac_store_get_annotation_by_id (FidacStore  *store,
                                                        gint64       id,
                                                        GError     **error);
/* All annotations (FidacStoreAnnotation*), of one series or of all when NULL, ordered by
 * series, reader id, role. */
GPtrArray    *fidac_store_list_annotations (FidacStore     *store,
                                            const gchar    *series_uid,
                                            GError        **error);
/* Submitting increases the version. */
gboolean      fidac_store_set_status     (FidacStore           *store,
                                          gint64                annotation_id,
                                          FidacAnnotationStatus status,
                                          GError              **error);

/* The stroke commit: writes, in ONE transaction, the slices k of `map` whose `flags[k]` is
 * set (`flags`: map->dims[2] bytes; NULL means map->dirty): a slice with labels replaces its
 * row, an empty one deletes it; the per-class counts follow. All or nothing. The flags are
 * not cleared: the caller clears what it consumed (the GL texture reads them too). */
gboolean      fidac_store_save_slices    (FidacStore           *store,
                                          gint64                annotation_id,
                                          const FidacLabelMap  *map,
                                          const guint8         *flags,
                                          GError              **error);
/* Replaces the whole content of `map` (on the case's grid) with the stored annotation,
 * bit for bit, and marks every slice dirty (the texture must take it all; clear the flags
 * afterwards so that the next commit does not rewrite them). */
gboolean      fidac_store_load_labels    (FidacStore           *store,
                                          gint64                annotation_id,
                                          FidacLabelMap        *map,
                                          GError              **error);

/* Scores: the text of fidac_scores_serialize() (a GVariant a{sv}, fidac-scores.h), kept
 * as it is and read back with fidac_scores_deserialize(); NULL when none. */
gboolean      fidac_store_set_scores     (FidacStore           *store,
                                          gint64                annotation_id,
                                          const gchar          *json,
                                          GError              **error);
gchar        *fidac_store_get_scores     (FidacStore           *store,
                                          gint64                annotation_id,
                                          GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FidacStore, fidac_store_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FidacStoreCase, fidac_store_case_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FidacStoreAnnotation, fidac_store_annotation_free)

G_END_DECLS
