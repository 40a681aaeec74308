/* fidac-cli-annotations.c: `fidac-cli annotations list|show`, the annotations of the local
 * database with their voxel counts and volumes per class.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-cli"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fidac-cli-common.h"
#include "fidac-lesion.h"
#include "fidac-store.h"

/* Key and name of class `id`: the catalog's, or "class-N" for an id it does not know
 * (written by a newer FIDAC). */
static gchar *
class_key (guint id)
{
  const FidacLesionClass *lesion = fidac_lesion_get (id);

  return lesion != NULL ? g_strdup (lesion->key) : g_strdup_printf ("class-%u", id);
}

static gchar *
class_name (guint id)
{
  const FidacLesionClass *lesion = fidac_lesion_get (id);

  /* TRANSLATORS: a lesion class id the catalog does not know */
  return lesion != NULL ? g_strdup (fidac_lesion_get_name (lesion))
                        : g_strdup_printf (_("class %u"), id);
}

/* The catalog's classes always, other ids only when they hold voxels. */
static gboolean
class_is_listed (const FidacStoreAnnotation *a,
                 guint                       id)
{
  return fidac_lesion_get (id) != NULL || a->counts[id] > 0;
}

static gchar *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return t != NULL ? g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

static json_t *
annotation_to_json (const FidacStoreAnnotation *a,
                    const FidacStoreCase       *c)
{
  json_t *o = json_object ();
  json_t *classes = json_array ();
  g_autofree gchar *created = format_time (a->created);
  g_autofree gchar *modified = format_time (a->modified);

  json_object_set_new (o, "id", json_integer (a->id));
  json_object_set_new (o, "series_uid", fidac_cli_json_string (a->series_uid));
  json_object_set_new (o, "study_uid", fidac_cli_json_string (c != NULL ? c->study_uid : NULL));
  json_object_set_new (o, "series_description",
                       fidac_cli_json_string (c != NULL ? c->description : NULL));
  json_object_set_new (o, "path", fidac_cli_json_string (c != NULL ? c->path : NULL));
  json_object_set_new (o, "reader_name", fidac_cli_json_string (a->reader_name));
  json_object_set_new (o, "reader_id", fidac_cli_json_string (a->reader_id));
  json_object_set_new (o, "role", json_string (fidac_reader_role_to_string (a->role)));
  json_object_set_new (o, "status", json_string (fidac_annotation_status_to_string (a->status)));
  json_object_set_new (o, "version", json_integer (a->version));
  json_object_set_new (o, "created", json_string (created));
  json_object_set_new (o, "modified", json_string (modified));
  json_object_set_new (o, "slices", json_integer (a->n_slices));
  json_object_set_new (o, "scores", json_boolean (a->has_scores));
  json_object_set_new (o, "voxel_volume_mm3",
                       c != NULL ? json_real (c->voxel_volume_mm3) : json_null ());
  for (guint id = 1; id < FIDAC_LABEL_MAX_CLASSES; id++)
    {
      g_autofree gchar *key = NULL;

      if (!class_is_listed (a, id))
        continue;
      key = class_key (id);
      json_array_append_new (classes, json_pack ("{s:i, s:s, s:I, s:o}",
                                                 "id", (int) id, "key", key,
                                                 "voxels", (json_int_t) a->counts[id],
                                                 "volume_ml", c != NULL
                                                   ? json_real (a->counts[id] *
                                                                c->voxel_volume_mm3 / 1000.0)
                                                   : json_null ()));
    }
  json_object_set_new (o, "classes", classes);
  return o;
}

/* "ground-glass opacity 12.34 mL (5678 voxels), consolidation …" */
static gchar *
format_classes (const FidacStoreAnnotation *a,
                const FidacStoreCase       *c)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint id = 1; id < FIDAC_LABEL_MAX_CLASSES; id++)
    {
      g_autofree gchar *name = NULL;

      if (!class_is_listed (a, id))
        continue;
      name = class_name (id);
      if (text->len > 0)
        g_string_append (text, ", ");
      if (c != NULL)
        /* TRANSLATORS: a lesion class, its volume in millilitres and its voxel count */
        g_string_append_printf (text, _("%s %.2f mL (%llu voxels)"), name,
                                a->counts[id] * c->voxel_volume_mm3 / 1000.0,
                                (unsigned long long) a->counts[id]);
      else
        g_string_append_printf (text, _("%s %llu voxels"), name,
                                (unsigned long long) a->counts[id]);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
print_annotation (const FidacStoreAnnotation *a,
                  const FidacStoreCase       *c)
{
  const gint w = 19;
  g_autofree gchar *created = format_time (a->created);
  g_autofree gchar *modified = format_time (a->modified);

  fidac_cli_print_field (w, "annotation", "%" G_GINT64_FORMAT, a->id);
  fidac_cli_print_field (w, "reader", "%s (%s)", a->reader_name, a->reader_id);
  fidac_cli_print_field (w, "role", "%s", fidac_reader_role_to_string (a->role));
  fidac_cli_print_field (w, "status", "%s", fidac_annotation_status_to_string (a->status));
  fidac_cli_print_field (w, "version", "%d", a->version);
  fidac_cli_print_field (w, "created", "%s", created);
  fidac_cli_print_field (w, "modified", "%s", modified);
  fidac_cli_print_field (w, "slices", "%u", a->n_slices);
  fidac_cli_print_field (w, "scores", "%s", a->has_scores ? _("yes") : _("no"));
  for (guint id = 1; id < FIDAC_LABEL_MAX_CLASSES; id++)
    {
      g_autofree gchar *key = NULL;

      if (!class_is_listed (a, id))
        continue;
      key = class_key (id);
      if (c != NULL)
        fidac_cli_print_field (w, key, _("%.2f mL (%llu voxels)"),
                               a->counts[id] * c->voxel_volume_mm3 / 1000.0,
                               (unsigned long long) a->counts[id]);
      else
        fidac_cli_print_field (w, key, _("%llu voxels"),
                               (unsigned long long) a->counts[id]);
    }
}

static void
print_case (const FidacStoreCase *c)
{
  const gint w = 19;

#define TEXT(s) ((s) != NULL ? (s) : "")
  fidac_cli_print_field (w, "series_uid", "%s", c->series_uid);
  fidac_cli_print_field (w, "series_description", "%s", TEXT (c->description));
  fidac_cli_print_field (w, "study_uid", "%s", TEXT (c->study_uid));
  fidac_cli_print_field (w, "study_date", "%s", TEXT (c->study_date));
  fidac_cli_print_field (w, "path", "%s", TEXT (c->path));
  fidac_cli_print_field (w, "grid", "%d × %d × %d", c->dims[0], c->dims[1], c->dims[2]);
  fidac_cli_print_field (w, "voxel_volume", "%.6g mm³", c->voxel_volume_mm3);
#undef TEXT
}

/* The cases of the database, by series UID. */
static GHashTable *
cases_by_uid (FidacStore  *store,
              GError     **error)
{
  g_autoptr(GPtrArray) cases = fidac_store_list_cases (store, NULL, error);
  GHashTable *table;

  if (cases == NULL)
    return NULL;
  table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                 (GDestroyNotify) fidac_store_case_free);
  for (guint c = 0; c < cases->len; c++)
    {
      FidacStoreCase *sc = g_ptr_array_index (cases, c);

      g_hash_table_insert (table, sc->series_uid, sc);
    }
  g_ptr_array_set_free_func (cases, NULL);
  return table;
}

/* Opens the database; FALSE with *store NULL and no error when it does not exist and
 * `must_exist` is FALSE: listing an absent database creates nothing. */
static gboolean
open_database (const gchar  *path,
               gboolean      must_exist,
               FidacStore  **store,
               GError      **error)
{
  g_autofree gchar *resolved = path != NULL ? g_strdup (path) : fidac_store_default_path ();

  *store = NULL;
  if (!g_file_test (resolved, G_FILE_TEST_EXISTS))
    {
      if (!must_exist)
        return TRUE;
      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND,
                   _("No local database at %s"), resolved);
      return FALSE;
    }
  *store = fidac_store_open (resolved, error);
  return *store != NULL;
}

static int
print_list (GPtrArray  *annotations,
            GHashTable *cases,
            gboolean    json)
{
  if (json)
    {
      g_autoptr(json_t) root = json_array ();

      for (guint i = 0; annotations != NULL && i < annotations->len; i++)
        {
          const FidacStoreAnnotation *a = g_ptr_array_index (annotations, i);

          const FidacStoreCase *c = g_hash_table_lookup (cases, a->series_uid);

          json_array_append_new (root, annotation_to_json (a, c));
        }
      return fidac_cli_print_json (root) ? FIDAC_CLI_EXIT_OK : FIDAC_CLI_EXIT_FAILURE;
    }
  for (guint i = 0; annotations != NULL && i < annotations->len; i++)
    {
      const FidacStoreAnnotation *a = g_ptr_array_index (annotations, i);
      const FidacStoreCase *c = g_hash_table_lookup (cases, a->series_uid);
      g_autofree gchar *classes = format_classes (a, c);

      g_print ("%s  %s (%s)  %s  %s v%d  %s\n", a->series_uid, a->reader_name, a->reader_id,
               fidac_reader_role_to_string (a->role),
               fidac_annotation_status_to_string (a->status), a->version, classes);
    }
  return FIDAC_CLI_EXIT_OK;
}

static int
annotations_list (const gchar *database,
                  gboolean     json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacStore) store = NULL;
  g_autoptr(GPtrArray) annotations = NULL;
  g_autoptr(GHashTable) cases = NULL;

  if (!open_database (database, FALSE, &store, &error))
    return fidac_cli_fail (error);
  if (store != NULL)
    {
      annotations = fidac_store_list_annotations (store, NULL, &error);
      cases = annotations != NULL ? cases_by_uid (store, &error) : NULL;
      if (cases == NULL)
        return fidac_cli_fail (error);
    }
  else
    cases = g_hash_table_new (g_str_hash, g_str_equal);
  return print_list (annotations, cases, json);
}

/* The series UIDs `target` names: a series UID of the database, the path a case was loaded
 * from, or a DICOM file or folder (scanned). */
static GPtrArray *
resolve_target (GHashTable   *cases,
                const gchar  *target,
                GError      **error)
{
  g_autoptr(GPtrArray) uids = g_ptr_array_new_with_free_func (g_free);
  g_autofree gchar *wanted = NULL;
  g_autoptr(FidacScan) scan = NULL;
  GHashTableIter iter;
  gpointer value;

  if (g_hash_table_contains (cases, target))
    {
      g_ptr_array_add (uids, g_strdup (target));
      return g_steal_pointer (&uids);
    }
  if (!g_file_test (target, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND,
                   _("“%s” is neither a series of the local database nor a file or folder"),
                   target);
      return NULL;
    }

  wanted = g_canonicalize_filename (target, NULL);
  g_hash_table_iter_init (&iter, cases);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const FidacStoreCase *c = value;
      g_autofree gchar *path = NULL;

      if (c->path != NULL)
        path = g_canonicalize_filename (c->path, NULL);

      if (g_strcmp0 (path, wanted) == 0)
        g_ptr_array_add (uids, g_strdup (c->series_uid));
    }
  if (uids->len > 0)
    return g_steal_pointer (&uids);

  scan = fidac_dicom_scan (target, NULL, NULL, NULL, error);
  if (scan == NULL)
    return NULL;
  for (guint s = 0; s < scan->series->len; s++)
    {
      const FidacSeriesInfo *info = g_ptr_array_index (scan->series, s);

      if (g_hash_table_contains (cases, info->series_uid))
        g_ptr_array_add (uids, g_strdup (info->series_uid));
    }
  if (uids->len == 0 && scan->series->len <= 1)
    {
      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND,
                   _("The series in %s is not in the local database"), target);
      return NULL;
    }
  if (uids->len == 0)
    {
      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND,
                   g_dngettext (GETTEXT_PACKAGE,
                                "None of the %u series in %s is in the local database",
                                "None of the %u series in %s is in the local database",
                                scan->series->len),
                   scan->series->len, target);
      return NULL;
    }
  return g_steal_pointer (&uids);
}

static int
annotations_show (const gchar *database,
                  const gchar *target,
                  gboolean     json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacStore) store = NULL;
  g_autoptr(GHashTable) cases = NULL;
  g_autoptr(GPtrArray) uids = NULL;
  g_autoptr(json_t) root = json_array ();

  if (!open_database (database, TRUE, &store, &error))
    return fidac_cli_fail (error);
  cases = cases_by_uid (store, &error);
  if (cases == NULL)
    return fidac_cli_fail (error);
  uids = resolve_target (cases, target, &error);
  if (uids == NULL)
    return fidac_cli_fail (error);

  for (guint u = 0; u < uids->len; u++)
    {
      const gchar *uid = g_ptr_array_index (uids, u);
      const FidacStoreCase *c = g_hash_table_lookup (cases, uid);
      g_autoptr(GPtrArray) annotations = fidac_store_list_annotations (store, uid, &error);

      if (annotations == NULL)
        return fidac_cli_fail (error);
      if (json)
        {
          json_t *list = json_array ();

          for (guint i = 0; i < annotations->len; i++)
            json_array_append_new (list, annotation_to_json (g_ptr_array_index (annotations, i),
                                                             c));
          json_array_append_new (root, json_pack ("{s:o, s:o, s:o, s:o, s:o, s:[i, i, i], s:f,"
                                                  " s:o}",
                                                  "series_uid",
                                                  fidac_cli_json_string (c->series_uid),
                                                  "series_description",
                                                  fidac_cli_json_string (c->description),
                                                  "study_uid",
                                                  fidac_cli_json_string (c->study_uid),
                                                  "study_date",
                                                  fidac_cli_json_string (c->study_date),
                                                  "path", fidac_cli_json_string (c->path),
                                                  "grid", c->dims[0], c->dims[1], c->dims[2],
                                                  "voxel_volume_mm3", c->voxel_volume_mm3,
                                                  "annotations", list));
          continue;
        }
      if (u > 0)
        g_print ("\n");
      print_case (c);
      if (annotations->len == 0)
        g_print ("%s\n", _("No annotation yet."));
      for (guint i = 0; i < annotations->len; i++)
        {
          g_print ("\n");
          print_annotation (g_ptr_array_index (annotations, i), c);
        }
    }
  if (json)
    return fidac_cli_print_json (root) ? FIDAC_CLI_EXIT_OK : FIDAC_CLI_EXIT_FAILURE;
  return FIDAC_CLI_EXIT_OK;
}

int
fidac_cli_annotations (int argc, char **argv)
{
  gboolean json = FALSE;
  g_autofree gchar *database = NULL;
  const GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("The local database to read (default: fidac.db in $FIDAC_DATA_DIR, else in "
         "$XDG_DATA_HOME/fidac)"), N_("FILE") },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for programs"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("list | show PATH-OR-SERIES-UID"));

  g_option_context_set_summary (context,
                                _("“list” prints every annotation of the local database: series, "
                                  "reader, role, status and, per lesion class, the voxel count "
                                  "and volume in mL. “show” prints the case and annotations of "
                                  "one series, named by its UID, the path it was opened from, "
                                  "or a DICOM file or folder."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!fidac_cli_parse (context, "annotations", &argc, &argv))
    return FIDAC_CLI_EXIT_USAGE;
  if (argc < 2)
    return fidac_cli_usage_error ("annotations", _("“list” or “show” is needed"));

  if (g_str_equal (argv[1], "list"))
    {
      if (argc != 2)
        return fidac_cli_usage_error ("annotations", _("“list” takes no argument"));
      return annotations_list (database, json);
    }
  if (g_str_equal (argv[1], "show"))
    {
      if (argc != 3)
        return fidac_cli_usage_error ("annotations", argc < 3
                                      ? _("“show” needs a PATH or a series UID")
                                      : _("only one PATH or series UID can be given"));
      return annotations_show (database, argv[2], json);
    }
  /* TRANSLATORS: %s is what the user typed after "annotations" */
  return fidac_cli_usage_error ("annotations", _("unknown action “%s”: use “list” or “show”"),
                                argv[1]);
}
