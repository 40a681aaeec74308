/* fidac-store.c: opening the database (creation, checks, migrations, a damaged file moved
 * aside) and the statement helpers the other files share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "fidac-store-private.h"

G_DEFINE_QUARK (fidac-store-error-quark, fidac_store_error)

/* Schema migrations: migrations[n] takes user_version n to n + 1. Never edit a shipped
 * one; append. */
static const gchar *const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE cases ("
  "  series_uid TEXT PRIMARY KEY NOT NULL,"
  "  study_uid TEXT,"
  "  description TEXT,"
  "  study_date TEXT,"
  "  path TEXT,"
  "  columns INTEGER NOT NULL CHECK (columns > 0),"
  "  rows INTEGER NOT NULL CHECK (rows > 0),"
  "  slices INTEGER NOT NULL CHECK (slices > 0),"
  "  voxel_volume_mm3 REAL NOT NULL CHECK (voxel_volume_mm3 > 0),"
  "  added INTEGER NOT NULL,"
  "  modified INTEGER NOT NULL"
  ");"
  "CREATE TABLE annotations ("
  "  id INTEGER PRIMARY KEY,"
  "  series_uid TEXT NOT NULL REFERENCES cases (series_uid) ON DELETE CASCADE,"
  "  reader_name TEXT NOT NULL,"
  "  reader_id TEXT NOT NULL,"
  "  role TEXT NOT NULL CHECK (role IN ('expert', 'reviewer')),"
  "  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'complete', 'submitted')),"
  "  version INTEGER NOT NULL DEFAULT 0,"
  "  created INTEGER NOT NULL,"
  "  modified INTEGER NOT NULL,"
  "  UNIQUE (series_uid, reader_id, role)"
  ");"
  "CREATE TABLE label_slices ("
  "  annotation_id INTEGER NOT NULL REFERENCES annotations (id) ON DELETE CASCADE,"
  "  slice INTEGER NOT NULL CHECK (slice >= 0),"
  "  data BLOB NOT NULL,"
  "  PRIMARY KEY (annotation_id, slice)"
  ");"
  "CREATE TABLE label_counts ("
  "  annotation_id INTEGER NOT NULL REFERENCES annotations (id) ON DELETE CASCADE,"
  "  label INTEGER NOT NULL CHECK (label > 0),"
  "  voxels INTEGER NOT NULL CHECK (voxels > 0),"
  "  PRIMARY KEY (annotation_id, label)"
  ") WITHOUT ROWID;"
  "CREATE TABLE scores ("
  "  annotation_id INTEGER PRIMARY KEY REFERENCES annotations (id) ON DELETE CASCADE,"
  "  data TEXT NOT NULL,"
  "  modified INTEGER NOT NULL"
  ");"
  /* For the sync engine (next issue); created now so that migrations stay linear. */
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY,"
  "  annotation_id INTEGER NOT NULL REFERENCES annotations (id) ON DELETE CASCADE,"
  "  version INTEGER NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  sop_instance_uid TEXT,"
  "  state TEXT NOT NULL DEFAULT 'pending',"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt INTEGER,"
  "  last_error TEXT,"
  "  created INTEGER NOT NULL"
  ");"
  "CREATE INDEX annotations_by_reader ON annotations (reader_id);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == FIDAC_STORE_SCHEMA_VERSION);

/* Errors and statements */

void
fidac_store_set_sqlite_error (FidacStore   *store,
                              gint          rc,
                              const gchar  *doing,
                              GError      **error)
{
  gint code = FIDAC_STORE_ERROR_IO;
  const gchar *message = store->db != NULL ? sqlite3_errmsg (store->db) : sqlite3_errstr (rc);

  if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
    code = FIDAC_STORE_ERROR_CORRUPT;
  else if ((rc & 0xff) == SQLITE_CONSTRAINT)
    code = FIDAC_STORE_ERROR_INVALID;
  /* TRANSLATORS: "%s: %s (%s)": what was being done, SQLite's message, the database file */
  g_set_error (error, FIDAC_STORE_ERROR, code, _("%s: %s (%s)"), doing, message, store->path);
}

sqlite3_stmt *
fidac_store_prepare (FidacStore   *store,
                     const gchar  *sql,
                     GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  gint rc = sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      fidac_store_set_sqlite_error (store, rc, _("Cannot read the local database"), error);
      return NULL;
    }
  return stmt;
}

static gboolean
store_exec (FidacStore   *store,
            const gchar  *sql,
            const gchar  *doing,
            GError      **error)
{
  gint rc = sqlite3_exec (store->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      fidac_store_set_sqlite_error (store, rc, doing, error);
      return FALSE;
    }
  return TRUE;
}

gboolean
fidac_store_begin (FidacStore  *store,
                   GError     **error)
{
  return store_exec (store, "BEGIN IMMEDIATE", _("Cannot write to the local database"), error);
}

gboolean
fidac_store_begin_read (FidacStore  *store,
                        GError     **error)
{
  return store_exec (store, "BEGIN", _("Cannot read the local database"), error);
}

gboolean
fidac_store_commit (FidacStore  *store,
                    GError     **error)
{
  if (!store_exec (store, "COMMIT", _("Cannot write to the local database"), error))
    {
      fidac_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

void
fidac_store_rollback (FidacStore *store)
{
  if (!sqlite3_get_autocommit (store->db))
    sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
fidac_store_step_done (FidacStore    *store,
                       sqlite3_stmt  *stmt,
                       const gchar   *doing,
                       GError       **error)
{
  gint rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    {
      fidac_store_set_sqlite_error (store, rc, doing, error);
      return FALSE;
    }
  return TRUE;
}

void
fidac_store_bind_text (sqlite3_stmt *stmt,
                       gint          index,
                       const gchar  *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

gchar *
fidac_store_column_text (sqlite3_stmt *stmt,
                         gint          index)
{
  const guchar *text = sqlite3_column_text (stmt, index);

  return text != NULL ? g_strdup ((const gchar *) text) : NULL;
}

/* Opening */

gchar *
fidac_store_default_path (void)
{
  const gchar *dir = g_getenv ("FIDAC_DATA_DIR");

  if (dir != NULL && *dir != '\0')
    return g_build_filename (dir, "fidac.db", NULL);
  return g_build_filename (g_get_user_data_dir (), "fidac", "fidac.db", NULL);
}

/* Renames `path` and its -wal and -shm companions to "<path>.corrupt-<UTC time>[-n]" and
 * returns the new name of the main file (NULL when it could not be moved). */
static gchar *
move_aside (const gchar *path,
            GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree gchar *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree gchar *target = NULL;
  static const gchar *const companions[] = { "-wal", "-shm", "-journal" };

  for (guint n = 1; target == NULL || g_file_test (target, G_FILE_TEST_EXISTS); n++)
    {
      g_free (target);
      target = n == 1 ? g_strdup_printf ("%s.corrupt-%s", path, stamp)
                      : g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, n);
    }
  if (g_rename (path, target) != 0)
    {
      int saved = errno;

      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_IO,
                   _("Cannot move the damaged database %s aside to %s: %s"),
                   path, target, g_strerror (saved));
      return NULL;
    }
  for (guint c = 0; c < G_N_ELEMENTS (companions); c++)
    {
      g_autofree gchar *from = g_strconcat (path, companions[c], NULL);
      g_autofree gchar *to = g_strconcat (target, companions[c], NULL);

      /* The write-ahead log may hold the latest strokes: it goes with its database. */
      if (g_file_test (from, G_FILE_TEST_EXISTS) && g_rename (from, to) != 0)
        g_warning ("cannot move %s to %s: %s", from, to, g_strerror (errno));
    }
  return g_steal_pointer (&target);
}

/* Reads user_version and runs the quick integrity check. Returns the SQLite status; on a
 * failed check `problem` receives its first line. */
static gint
check_database (FidacStore *store,
                gint       *version,
                gint       *tables,
                gchar     **problem)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint rc;

  rc = sqlite3_prepare_v2 (store->db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return rc;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return rc;
  *version = sqlite3_column_int (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);
  /* A newer schema may use what this SQLite cannot check: refused, never judged damaged. */
  if (*version > FIDAC_STORE_SCHEMA_VERSION)
    return SQLITE_OK;

  rc = sqlite3_prepare_v2 (store->db, "SELECT count (*) FROM sqlite_schema", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return rc;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return rc;
  *tables = sqlite3_column_int (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* quick_check reads every page (a truncated file shows as pages missing) without the
   * cost of checking every index against its table. */
  rc = sqlite3_prepare_v2 (store->db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return rc;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return rc;
  if (g_strcmp0 ((const gchar *) sqlite3_column_text (stmt, 0), "ok") != 0)
    {
      *problem = fidac_store_column_text (stmt, 0);
      g_strdelimit (*problem, "\n", ' ');
      return SQLITE_CORRUPT;
    }
  return SQLITE_OK;
}

static gboolean
migrate (FidacStore  *store,
         gint         from,
         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint version = 0;
  gint tables = 0;

  if (!fidac_store_begin (store, error))
    return FALSE;
  /* Another process may have migrated between our check and our lock. */
  stmt = fidac_store_prepare (store, "SELECT (SELECT user_version FROM pragma_user_version), "
                              "(SELECT count(*) FROM sqlite_schema)", error);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    {
      if (stmt != NULL)
        fidac_store_set_sqlite_error (store, sqlite3_errcode (store->db),
                                      _("Cannot read the local database"), error);
      fidac_store_rollback (store);
      return FALSE;
    }
  version = sqlite3_column_int (stmt, 0);
  tables = sqlite3_column_int (stmt, 1);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (version == 0 && tables > 0)
    {
      fidac_store_rollback (store);
      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_INVALID,
                   _("%s is an SQLite database but not a FIDAC one: it was left untouched"),
                   store->path);
      return FALSE;
    }
  for (gint v = version; v < FIDAC_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree gchar *bump = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      if (!store_exec (store, migrations[v], _("Cannot update the local database"), error) ||
          !store_exec (store, bump, _("Cannot update the local database"), error))
        {
          fidac_store_rollback (store);
          return FALSE;
        }
    }
  return fidac_store_commit (store, error);
}

/* Creates the file with mode 0600 ourselves: SQLite would use 0644 minus the umask, and
 * its -wal and -shm files copy the main file's mode. */
static gboolean
create_private_file (const gchar  *path,
                     GError      **error)
{
  g_autofree gchar *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_IO,
                   _("Cannot create the folder %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST)
    {
      int saved = errno;

      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_IO,
                   _("Cannot create the local database %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  if (fd >= 0)
    g_close (fd, NULL);
  return TRUE;
}

FidacStore *
fidac_store_open (const gchar  *path,
                  GError      **error)
{
  g_autoptr(FidacStore) store = g_new0 (FidacStore, 1);
  g_autofree gchar *problem = NULL;
  gint version = 0;
  gint tables = 0;
  gint rc;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  store->path = path != NULL ? g_strdup (path) : fidac_store_default_path ();
  if (!create_private_file (store->path, error))
    return NULL;

  rc = sqlite3_open_v2 (store->path, &store->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      fidac_store_set_sqlite_error (store, rc, _("Cannot open the local database"), error);
      return NULL;
    }
  sqlite3_extended_result_codes (store->db, 1);
  sqlite3_busy_timeout (store->db, FIDAC_STORE_BUSY_TIMEOUT_MS);
  /* Until the file is known to be sound, closing must not checkpoint a log into it:
   * a damaged file is moved aside exactly as it was found. */
  sqlite3_db_config (store->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);

  rc = check_database (store, &version, &tables, &problem);
  if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
    {
      g_autofree gchar *detail = problem != NULL ? g_strdup (problem)
                                                 : g_strdup (sqlite3_errmsg (store->db));
      g_autofree gchar *aside = NULL;

      g_clear_pointer (&store->db, sqlite3_close_v2);
      aside = move_aside (store->path, error);
      if (aside == NULL)
        return NULL;
      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_CORRUPT,
                   _("The local database %s is damaged (%s). It was kept as %s and an empty "
                     "one will be created; nothing was deleted."),
                   store->path, detail, aside);
      return NULL;
    }
  if (rc != SQLITE_OK)
    {
      fidac_store_set_sqlite_error (store, rc, _("Cannot open the local database"), error);
      return NULL;
    }
  if (version > FIDAC_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_VERSION,
                   _("The local database %s was written by a newer version of FIDAC (schema "
                     "%d, this one knows %d); it was left untouched. Update FIDAC."),
                   store->path, version, FIDAC_STORE_SCHEMA_VERSION);
      return NULL;
    }
  if (version == 0 && tables > 0)
    {
      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_INVALID,
                   _("%s is an SQLite database but not a FIDAC one: it was left untouched"),
                   store->path);
      return NULL;
    }
  sqlite3_db_config (store->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);

  /* WAL: readers (the case list, the CLI) never block the stroke commits. FULL: a
   * committed stroke survives a power cut too, for one sync of the log per stroke. */
  if (!store_exec (store, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                   "PRAGMA foreign_keys = ON;", _("Cannot open the local database"), error))
    return NULL;
  if (version < FIDAC_STORE_SCHEMA_VERSION && !migrate (store, version, error))
    return NULL;
  return g_steal_pointer (&store);
}

void
fidac_store_close (FidacStore *store)
{
  if (store == NULL)
    return;
  if (store->db != NULL)
    {
      fidac_store_rollback (store);
      sqlite3_close_v2 (store->db);
    }
  g_free (store->path);
  g_free (store);
}

const gchar *
fidac_store_get_path (FidacStore *store)
{
  g_return_val_if_fail (store != NULL, NULL);
  return store->path;
}
