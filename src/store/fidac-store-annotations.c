/* fidac-store-annotations.c: cases, annotations (one per series, reader and role), their
 * statuses and scores.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "fidac-store-private.h"

/* Names */

static const gchar *const role_names[] = { "expert", "reviewer" };
static const gchar *const status_names[] = { "draft", "complete", "submitted" };
static const gchar *const progress_names[] = { "not-started", "in-progress", "complete" };

/* The index of `text` in `names`: FALSE when it is none of them (or NULL). */
static gboolean
name_index (const gchar *const *names,
            guint               n_names,
            const gchar        *text,
            guint              *index)
{
  for (guint i = 0; text != NULL && i < n_names; i++)
    if (g_str_equal (text, names[i]))
      {
        *index = i;
        return TRUE;
      }
  return FALSE;
}

const gchar *
fidac_reader_role_to_string (FidacReaderRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), NULL);
  return role_names[role];
}

gboolean
fidac_reader_role_from_string (const gchar     *text,
                               FidacReaderRole *role)
{
  guint index;

  if (!name_index (role_names, G_N_ELEMENTS (role_names), text, &index))
    return FALSE;
  *role = index;
  return TRUE;
}

const gchar *
fidac_annotation_status_to_string (FidacAnnotationStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), NULL);
  return status_names[status];
}

const gchar *
fidac_annotation_status_get_name (FidacAnnotationStatus status)
{
  switch (status)
    {
    case FIDAC_ANNOTATION_DRAFT:
      return _("Draft");
    case FIDAC_ANNOTATION_COMPLETE:
      return _("Complete");
    case FIDAC_ANNOTATION_SUBMITTED:
      return _("Submitted");
    default:
      return NULL;
    }
}

gboolean
fidac_annotation_status_from_string (const gchar           *text,
                                     FidacAnnotationStatus *status)
{
  guint index;

  if (!name_index (status_names, G_N_ELEMENTS (status_names), text, &index))
    return FALSE;
  *status = index;
  return TRUE;
}

const gchar *
fidac_case_progress_to_string (FidacCaseProgress progress)
{
  g_return_val_if_fail ((guint) progress < G_N_ELEMENTS (progress_names), NULL);
  return progress_names[progress];
}

/* Cases */

FidacStoreCase *
fidac_store_case_new_from_volume (const FidacVolume *volume,
                                  const gchar       *path)
{
  FidacStoreCase *c;
  const gdouble (*a)[3];
  gdouble det;

  g_return_val_if_fail (volume != NULL, NULL);

  c = g_new0 (FidacStoreCase, 1);
  c->series_uid = g_strdup (volume->series_uid);
  c->study_uid = g_strdup (volume->study_uid);
  c->description = g_strdup (volume->series_description);
  c->study_date = g_strdup (volume->study_date);
  /* Absolute, so that `fidac-cli annotations show PATH` finds it from any folder. */
  c->path = path != NULL ? g_canonicalize_filename (path, NULL) : NULL;
  memcpy (c->dims, volume->dims, sizeof c->dims);
  /* A tilted grid is sheared: a voxel is a parallelepiped, |det(axes)| times the box. */
  a = (const gdouble (*)[3]) volume->axis;
  det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
      - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
      + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  c->voxel_volume_mm3 = fabs (det) * volume->spacing[0] * volume->spacing[1] * volume->spacing[2];
  return c;
}

void
fidac_store_case_free (FidacStoreCase *store_case)
{
  if (store_case == NULL)
    return;
  g_free (store_case->series_uid);
  g_free (store_case->study_uid);
  g_free (store_case->description);
  g_free (store_case->study_date);
  g_free (store_case->path);
  g_free (store_case);
}

gboolean
fidac_store_put_case (FidacStore           *store,
                      const FidacStoreCase *c,
                      GError              **error)
{
  g_autoptr(sqlite3_stmt) check = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const gchar *doing = _("Cannot save the case in the local database");
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (store != NULL && c != NULL, FALSE);

  if (c->series_uid == NULL || *c->series_uid == '\0' || c->dims[0] <= 0 || c->dims[1] <= 0 ||
      c->dims[2] <= 0 || !(c->voxel_volume_mm3 > 0.0) || !isfinite (c->voxel_volume_mm3))
    {
      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_INVALID,
                   _("A case needs a series UID, a grid and a voxel volume"));
      return FALSE;
    }
  if (!fidac_store_begin (store, error))
    return FALSE;

  check = fidac_store_prepare (store,
                               "SELECT 1 FROM cases c WHERE series_uid = ?1 AND "
                               "(columns != ?2 OR rows != ?3 OR slices != ?4) AND EXISTS "
                               "(SELECT 1 FROM annotations a JOIN label_slices s "
                               " ON s.annotation_id = a.id WHERE a.series_uid = c.series_uid)",
                               error);
  if (check == NULL)
    goto fail;
  sqlite3_bind_text (check, 1, c->series_uid, -1, SQLITE_STATIC);
  for (gint d = 0; d < 3; d++)
    sqlite3_bind_int (check, d + 2, c->dims[d]);
  if (sqlite3_step (check) == SQLITE_ROW)
    {
      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_MISMATCH,
                   _("Series %s is annotated on another grid than %d × %d × %d: its labels "
                     "would not fit"), c->series_uid, c->dims[0], c->dims[1], c->dims[2]);
      goto fail;
    }

  stmt = fidac_store_prepare (store,
                              "INSERT INTO cases (series_uid, study_uid, description, study_date,"
                              " path, columns, rows, slices, voxel_volume_mm3, added, modified)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)"
                              " ON CONFLICT (series_uid) DO UPDATE SET"
                              " study_uid = excluded.study_uid,"
                              " description = excluded.description,"
                              " study_date = excluded.study_date,"
                              " path = coalesce (excluded.path, path),"
                              " columns = excluded.columns, rows = excluded.rows,"
                              " slices = excluded.slices,"
                              " voxel_volume_mm3 = excluded.voxel_volume_mm3,"
                              " modified = excluded.modified", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, c->series_uid, -1, SQLITE_STATIC);
  fidac_store_bind_text (stmt, 2, c->study_uid);
  fidac_store_bind_text (stmt, 3, c->description);
  fidac_store_bind_text (stmt, 4, c->study_date);
  fidac_store_bind_text (stmt, 5, c->path);
  for (gint d = 0; d < 3; d++)
    sqlite3_bind_int (stmt, d + 6, c->dims[d]);
  sqlite3_bind_double (stmt, 9, c->voxel_volume_mm3);
  sqlite3_bind_int64 (stmt, 10, now);
  if (!fidac_store_step_done (store, stmt, doing, error))
    goto fail;
  return fidac_store_commit (store, error);

fail:
  fidac_store_rollback (store);
  return FALSE;
}

#define CASE_COLUMNS "c.series_uid, c.study_uid, c.description, c.study_date, c.path, " \
                     "c.columns, c.rows, c.slices, c.voxel_volume_mm3, c.added, c.modified"

static FidacStoreCase *
case_from_row (sqlite3_stmt *stmt)
{
  FidacStoreCase *c = g_new0 (FidacStoreCase, 1);

  c->series_uid = fidac_store_column_text (stmt, 0);
  c->study_uid = fidac_store_column_text (stmt, 1);
  c->description = fidac_store_column_text (stmt, 2);
  c->study_date = fidac_store_column_text (stmt, 3);
  c->path = fidac_store_column_text (stmt, 4);
  for (gint d = 0; d < 3; d++)
    c->dims[d] = sqlite3_column_int (stmt, 5 + d);
  c->voxel_volume_mm3 = sqlite3_column_double (stmt, 8);
  c->added = sqlite3_column_int64 (stmt, 9);
  c->modified = sqlite3_column_int64 (stmt, 10);
  return c;
}

FidacStoreCase *
fidac_store_get_case (FidacStore   *store,
                      const gchar  *series_uid,
                      GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint rc;

  g_return_val_if_fail (store != NULL && series_uid != NULL, NULL);

  stmt = fidac_store_prepare (store, "SELECT " CASE_COLUMNS " FROM cases c "
                              "WHERE series_uid = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, series_uid, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return case_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND,
                 _("No case with series UID %s in the local database"), series_uid);
  else
    fidac_store_set_sqlite_error (store, rc, _("Cannot read the local database"), error);
  return NULL;
}

GPtrArray *
fidac_store_list_cases (FidacStore   *store,
                        const gchar  *reader_id,
                        GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) cases =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fidac_store_case_free);
  gint rc;

  g_return_val_if_fail (store != NULL, NULL);

  /* Progress of one annotation: 2 complete or submitted, 1 a draft with labels or scores,
   * 0 an empty draft; a case shows its most advanced one. */
  stmt = fidac_store_prepare (store,
                              "SELECT " CASE_COLUMNS ", count (a.id), coalesce (max ("
                              "  CASE WHEN a.status != 'draft' THEN 2"
                              "       WHEN EXISTS (SELECT 1 FROM label_slices s"
                              "                    WHERE s.annotation_id = a.id)"
                              "         OR EXISTS (SELECT 1 FROM scores o"
                              "                    WHERE o.annotation_id = a.id) THEN 1"
                              "       ELSE 0 END), 0)"
                              " FROM cases c LEFT JOIN annotations a"
                              " ON a.series_uid = c.series_uid AND (?1 IS NULL OR a.reader_id = ?1)"
                              " GROUP BY c.series_uid ORDER BY c.modified DESC, c.series_uid",
                              error);
  if (stmt == NULL)
    return NULL;
  fidac_store_bind_text (stmt, 1, reader_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FidacStoreCase *c = case_from_row (stmt);

      c->n_annotations = sqlite3_column_int (stmt, 11);
      c->progress = CLAMP (sqlite3_column_int (stmt, 12), FIDAC_CASE_NOT_STARTED,
                           FIDAC_CASE_COMPLETE);
      g_ptr_array_add (cases, c);
    }
  if (rc != SQLITE_DONE)
    {
      fidac_store_set_sqlite_error (store, rc, _("Cannot read the local database"), error);
      return NULL;
    }
  return g_steal_pointer (&cases);
}

/* Annotations */

void
fidac_store_annotation_free (FidacStoreAnnotation *annotation)
{
  if (annotation == NULL)
    return;
  g_free (annotation->series_uid);
  g_free (annotation->reader_name);
  g_free (annotation->reader_id);
  g_free (annotation);
}

#define ANNOTATION_COLUMNS "a.id, a.series_uid, a.reader_name, a.reader_id, a.role, a.status, " \
                           "a.version, a.created, a.modified, " \
                           "(SELECT count (*) FROM label_slices s WHERE s.annotation_id = a.id), " \
                           "EXISTS (SELECT 1 FROM scores o WHERE o.annotation_id = a.id)"

static FidacStoreAnnotation *
annotation_from_row (FidacStore    *store,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  g_autoptr(FidacStoreAnnotation) a = g_new0 (FidacStoreAnnotation, 1);
  g_autoptr(sqlite3_stmt) counts = NULL;
  const gchar *role = (const gchar *) sqlite3_column_text (stmt, 4);
  const gchar *status = (const gchar *) sqlite3_column_text (stmt, 5);
  gint rc;

  a->id = sqlite3_column_int64 (stmt, 0);
  a->series_uid = fidac_store_column_text (stmt, 1);
  a->reader_name = fidac_store_column_text (stmt, 2);
  a->reader_id = fidac_store_column_text (stmt, 3);
  a->version = sqlite3_column_int (stmt, 6);
  a->created = sqlite3_column_int64 (stmt, 7);
  a->modified = sqlite3_column_int64 (stmt, 8);
  a->n_slices = sqlite3_column_int (stmt, 9);
  a->has_scores = sqlite3_column_int (stmt, 10) != 0;
  /* The schema's CHECK constraints make these impossible, unless the file was edited. */
  if (!fidac_reader_role_from_string (role, &a->role) ||
      !fidac_annotation_status_from_string (status, &a->status))
    {
      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_CORRUPT,
                   _("Annotation %lld in %s has an unknown role or status"),
                   (long long) a->id, store->path);
      return NULL;
    }

  counts = fidac_store_prepare (store, "SELECT label, voxels FROM label_counts "
                                "WHERE annotation_id = ?1", error);
  if (counts == NULL)
    return NULL;
  sqlite3_bind_int64 (counts, 1, a->id);
  while ((rc = sqlite3_step (counts)) == SQLITE_ROW)
    {
      gint label = sqlite3_column_int (counts, 0);

      if (label <= 0 || label >= FIDAC_LABEL_MAX_CLASSES)
        {
          g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_CORRUPT,
                       _("Annotation %lld in %s counts an unknown class %d"),
                       (long long) a->id, store->path, label);
          return NULL;
        }
      a->counts[label] = sqlite3_column_int64 (counts, 1);
    }
  if (rc != SQLITE_DONE)
    {
      fidac_store_set_sqlite_error (store, rc, _("Cannot read the local database"), error);
      return NULL;
    }
  return g_steal_pointer (&a);
}

static FidacStoreAnnotation *
annotation_query_one (FidacStore    *store,
                      sqlite3_stmt  *stmt,
                      GError       **error)
{
  gint rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return annotation_from_row (store, stmt, error);
  if (rc != SQLITE_DONE)
    fidac_store_set_sqlite_error (store, rc, _("Cannot read the local database"), error);
  return NULL;
}

/* The annotation of a series by one reader in one role; NULL and no error when there is none. */
static FidacStoreAnnotation *
find_annotation (FidacStore   *store,
                 const gchar  *series_uid,
                 const gchar  *reader_id,
                 const gchar  *role,
                 GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = fidac_store_prepare (store, "SELECT " ANNOTATION_COLUMNS " FROM annotations a "
                              "WHERE series_uid = ?1 AND reader_id = ?2 AND role = ?3", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, series_uid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, reader_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, role, -1, SQLITE_STATIC);
  return annotation_query_one (store, stmt, error);
}

static gboolean
reader_is_valid (const FidacReader  *reader,
                 GError            **error)
{
  if (reader == NULL || reader->name == NULL || *reader->name == '\0' ||
      reader->id == NULL || *reader->id == '\0' ||
      (guint) reader->role >= G_N_ELEMENTS (role_names))
    {
      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_INVALID,
                   _("An annotation needs a reader with a name, a professional identifier "
                     "and a role"));
      return FALSE;
    }
  return TRUE;
}

FidacStoreAnnotation *
fidac_store_get_annotation (FidacStore        *store,
                            const gchar       *series_uid,
                            const FidacReader *reader,
                            gboolean           create,
                            GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(FidacStoreAnnotation) found = NULL;
  const gchar *doing = _("Cannot save the annotation in the local database");
  const gchar *role;
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (store != NULL && series_uid != NULL, NULL);

  if (!reader_is_valid (reader, error))
    return NULL;
  role = role_names[reader->role];

  if (!create)
    {
      GError *local = NULL;

      found = find_annotation (store, series_uid, reader->id, role, &local);
      if (found == NULL && local == NULL)
        g_set_error (&local, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND,
                     _("No annotation of series %s by %s (%s) in the local database"),
                     series_uid, reader->id, role);
      if (local != NULL)
        g_propagate_error (error, local);
      return g_steal_pointer (&found);
    }

  if (!fidac_store_begin (store, error))
    return NULL;
  stmt = fidac_store_prepare (store, "SELECT 1 FROM cases WHERE series_uid = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, series_uid, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND,
                   _("No case with series UID %s in the local database"), series_uid);
      goto fail;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = fidac_store_prepare (store,
                              "INSERT INTO annotations (series_uid, reader_name, reader_id, role,"
                              " created, modified) VALUES (?1, ?2, ?3, ?4, ?5, ?5)"
                              " ON CONFLICT (series_uid, reader_id, role) DO UPDATE SET"
                              " reader_name = excluded.reader_name"
                              " WHERE reader_name != excluded.reader_name", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, series_uid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, reader->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, reader->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, role, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now);
  if (!fidac_store_step_done (store, stmt, doing, error))
    goto fail;
  g_clear_pointer (&stmt, sqlite3_finalize);

  found = find_annotation (store, series_uid, reader->id, role, error);
  if (found == NULL)
    goto fail;
  if (!fidac_store_commit (store, error))
    return NULL;
  return g_steal_pointer (&found);

fail:
  fidac_store_rollback (store);
  return NULL;
}

FidacStoreAnnotation *
fidac_store_get_annotation_by_id (FidacStore  *store,
                                  gint64       id,
                                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GError *local = NULL;
  FidacStoreAnnotation *found;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = fidac_store_prepare (store, "SELECT " ANNOTATION_COLUMNS " FROM annotations a "
                              "WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  found = annotation_query_one (store, stmt, &local);
  if (found == NULL && local == NULL)
    g_set_error (&local, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND,
                 _("No annotation %lld in the local database"), (long long) id);
  if (local != NULL)
    g_propagate_error (error, local);
  return found;
}

GPtrArray *
fidac_store_list_annotations (FidacStore   *store,
                              const gchar  *series_uid,
                              GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fidac_store_annotation_free);
  gint rc;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = fidac_store_prepare (store, "SELECT " ANNOTATION_COLUMNS " FROM annotations a "
                              "WHERE ?1 IS NULL OR series_uid = ?1 "
                              "ORDER BY series_uid, reader_id, role", error);
  if (stmt == NULL)
    return NULL;
  fidac_store_bind_text (stmt, 1, series_uid);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FidacStoreAnnotation *a = annotation_from_row (store, stmt, error);

      if (a == NULL)
        return NULL;
      g_ptr_array_add (list, a);
    }
  if (rc != SQLITE_DONE)
    {
      fidac_store_set_sqlite_error (store, rc, _("Cannot read the local database"), error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* Runs `stmt` (an UPDATE of one annotation) and fails with NOT_FOUND when no row changed. */
static gboolean
update_annotation (FidacStore    *store,
                   sqlite3_stmt  *stmt,
                   gint64         id,
                   GError       **error)
{
  if (!fidac_store_step_done (store, stmt,
                              _("Cannot save the annotation in the local database"), error))
    return FALSE;
  if (sqlite3_changes (store->db) == 0)
    {
      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND,
                   _("No annotation %lld in the local database"), (long long) id);
      return FALSE;
    }
  return TRUE;
}

gboolean
fidac_store_set_status (FidacStore           *store,
                        gint64                annotation_id,
                        FidacAnnotationStatus status,
                        GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), FALSE);

  stmt = fidac_store_prepare (store, "UPDATE annotations SET status = ?2, modified = ?3,"
                              " version = version + (?2 = 'submitted') WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, annotation_id);
  sqlite3_bind_text (stmt, 2, status_names[status], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  return update_annotation (store, stmt, annotation_id, error);
}

/* Scores */

gboolean
fidac_store_set_scores (FidacStore   *store,
                        gint64        annotation_id,
                        const gchar  *json,
                        GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) touch = NULL;
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (store != NULL, FALSE);

  if (!fidac_store_begin (store, error))
    return FALSE;
  touch = fidac_store_prepare (store, "UPDATE annotations SET modified = ?2 WHERE id = ?1",
                               error);
  if (touch == NULL)
    goto fail;
  sqlite3_bind_int64 (touch, 1, annotation_id);
  sqlite3_bind_int64 (touch, 2, now);
  if (!update_annotation (store, touch, annotation_id, error))
    goto fail;
  stmt = fidac_store_prepare (store, json != NULL
                              ? "INSERT INTO scores (annotation_id, data, modified)"
                                " VALUES (?1, ?2, ?3) ON CONFLICT (annotation_id) DO UPDATE"
                                " SET data = excluded.data, modified = excluded.modified"
                              : "DELETE FROM scores WHERE annotation_id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, annotation_id);
  if (json != NULL)
    {
      sqlite3_bind_text (stmt, 2, json, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, now);
    }
  if (!fidac_store_step_done (store, stmt, _("Cannot save the scores in the local database"),
                              error))
    goto fail;
  return fidac_store_commit (store, error);

fail:
  fidac_store_rollback (store);
  return FALSE;
}

gchar *
fidac_store_get_scores (FidacStore   *store,
                        gint64        annotation_id,
                        GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint rc;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = fidac_store_prepare (store, "SELECT data FROM scores WHERE annotation_id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, annotation_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return fidac_store_column_text (stmt, 0);
  if (rc != SQLITE_DONE)
    fidac_store_set_sqlite_error (store, rc, _("Cannot read the local database"), error);
  return NULL;
}
