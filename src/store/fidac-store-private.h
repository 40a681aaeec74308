/* fidac-store-private.h: what the store's files share, and the slice codec (for its tests).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "fidac-store.h"

G_BEGIN_DECLS

struct _FidacStore {
  sqlite3 *db;
  gchar   *path;
};

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Sets `error` from the connection's last error, prefixed by what was being done
 * (`doing`, translated). SQLITE_CORRUPT and SQLITE_NOTADB give FIDAC_STORE_ERROR_CORRUPT. */
void           fidac_store_set_sqlite_error (FidacStore   *store,
                                             gint          rc,
                                             const gchar  *doing,
                                             GError      **error);
sqlite3_stmt  *fidac_store_prepare          (FidacStore   *store,
                                             const gchar  *sql,
                                             GError      **error);
/* BEGIN IMMEDIATE (the write lock at once, so that two writers never deadlock on an
 * upgrade), COMMIT, ROLLBACK (best effort, after an error). */
gboolean       fidac_store_begin            (FidacStore   *store,
                                             GError      **error);
/* BEGIN (deferred): one consistent snapshot for several reads. */
gboolean       fidac_store_begin_read       (FidacStore   *store,
                                             GError      **error);
gboolean       fidac_store_commit           (FidacStore   *store,
                                             GError      **error);
void           fidac_store_rollback         (FidacStore   *store);

/* Steps `stmt` to its end (rows ignored); `doing` (translated) prefixes an error. */
gboolean       fidac_store_step_done        (FidacStore   *store,
                                             sqlite3_stmt *stmt,
                                             const gchar  *doing,
                                             GError      **error);
/* Binds `text`, or NULL when it is NULL. */
void           fidac_store_bind_text        (sqlite3_stmt *stmt,
                                             gint          index,
                                             const gchar  *text);
/* The column as a new string, or NULL. */
gchar         *fidac_store_column_text      (sqlite3_stmt *stmt,
                                             gint          index);

/* Slice codec. A stored slice is a format byte then:
 *   FIDAC_SLICE_RUNS:    runs, each an unsigned LEB128 length (>= 1) then the label byte,
 *                        in voxel order (i fastest), covering the slice exactly;
 *   FIDAC_SLICE_DEFLATE: the LEB128 size of the runs, then the runs deflated (raw zlib),
 *                        used when it is smaller. */
#define FIDAC_SLICE_RUNS    1
#define FIDAC_SLICE_DEFLATE 2

/* Appends the encoding of `n` labels to `out`. */
void           fidac_store_encode_slice     (const guint8 *labels,
                                             gsize         n,
                                             GByteArray   *out);
/* Decodes `data` into exactly `n` labels, checking every length, value (< the class limit)
 * and byte: FALSE with FIDAC_STORE_ERROR_CORRUPT otherwise. */
gboolean       fidac_store_decode_slice     (const guint8 *data,
                                             gsize         size,
                                             guint8       *labels,
                                             gsize         n,
                                             GError      **error);

G_END_DECLS
