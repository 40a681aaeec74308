/* fidac-cli-quantify.c: `fidac-cli quantify PATH`, the lung volumes of a series and, for
 * each annotation of it in the local database, the lesion volumes and involvement.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-cli"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fidac-cli-quantify.h"
#include "fidac-lesion.h"

/* The case ------------------------------------------------------------------------------- */

static gboolean
role_matches (const FidacCliCase         *c,
              const FidacStoreAnnotation *a)
{
  FidacReaderRole role;

  if (c->role == NULL)
    return TRUE;
  return fidac_reader_role_from_string (c->role, &role) && role == a->role;
}

static gboolean
find_annotations (FidacCliCase  *c,
                  GError       **error)
{
  const gchar *uid = c->load.volume->series_uid;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(FidacStoreCase) stored = NULL;

  c->annotations = g_ptr_array_new_with_free_func ((GDestroyNotify) fidac_store_annotation_free);
  if (c->store == NULL)
    goto check;
  stored = fidac_store_get_case (c->store, uid, &local_error);
  if (stored == NULL)
    {
      if (!g_error_matches (local_error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      goto check;
    }
  all = fidac_store_list_annotations (c->store, uid, error);
  if (all == NULL)
    return FALSE;
  for (guint i = 0; i < all->len; i++)
    {
      FidacStoreAnnotation *a = g_ptr_array_index (all, i);

      if ((c->reader_id == NULL || g_str_equal (a->reader_id, c->reader_id)) &&
          role_matches (c, a))
        g_ptr_array_add (c->annotations, g_steal_pointer (&all->pdata[i]));
    }

check:
  if (c->annotations->len == 0 && (c->reader_id != NULL || c->role != NULL))
    {
      g_autofree gchar *db = c->database != NULL ? g_strdup (c->database)
                                                 : fidac_store_default_path ();

      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND,
                   /* TRANSLATORS: a reader identifier (or "any"), a role (or "any"), a
                    * series UID and the database's file name */
                   _("No annotation by reader %s (role %s) of series %s in %s"),
                   c->reader_id != NULL ? c->reader_id : _("any"),
                   c->role != NULL ? c->role : _("any"), uid, db);
      return FALSE;
    }
  return TRUE;
}

gboolean
fidac_cli_case_open (FidacCliCase  *c,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree gchar *db = c->database != NULL ? g_strdup (c->database)
                                             : fidac_store_default_path ();

  /* Before the long work: a database named that is not there is a mistake, the default one
   * absent only means that nothing was annotated here yet. */
  if (g_file_test (db, G_FILE_TEST_EXISTS))
    {
      c->store = fidac_store_open (db, error);
      if (c->store == NULL)
        return FALSE;
    }
  else if (c->database != NULL || c->reader_id != NULL || c->role != NULL)
    {
      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND,
                   _("No local database at %s"), db);
      return FALSE;
    }

  if (!fidac_cli_load (&c->load, cancellable, error))
    return FALSE;
  if (!find_annotations (c, error))
    return FALSE;
  c->lungs = fidac_lungs_segment (c->load.volume, &c->lungs_info, fidac_cli_progress,
                                  (gpointer) _("Segmenting the lungs"), cancellable, error);
  fidac_cli_progress_done ();
  if (c->lungs == NULL)
    {
      if (error != NULL && *error != NULL && (*error)->domain == FIDAC_CORE_ERROR)
        g_prefix_error (error, _("No lungs found in %s: "), c->load.path);
      return FALSE;
    }
  return TRUE;
}

void
fidac_cli_case_clear (FidacCliCase *c)
{
  g_clear_pointer (&c->annotations, g_ptr_array_unref);
  g_clear_pointer (&c->store, fidac_store_close);
  g_clear_pointer (&c->lungs, fidac_label_map_unref);
  fidac_cli_load_clear (&c->load);
}

gboolean
fidac_cli_case_read_annotation (FidacCliCase               *c,
                                const FidacStoreAnnotation *a,
                                FidacLabelMap             **labels,
                                FidacScores                *scores,
                                gboolean                   *has_scores,
                                FidacQuantResult           *result,
                                GError                    **error)
{
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (c->load.volume, error);
  g_autofree gchar *text = NULL;
  g_autoptr(GError) local_error = NULL;

  fidac_scores_init (scores);
  *has_scores = FALSE;
  if (map == NULL || !fidac_store_load_labels (c->store, a->id, map, error))
    return FALSE;
  fidac_label_map_clear_dirty (map);
  text = fidac_store_get_scores (c->store, a->id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (text != NULL)
    {
      if (!fidac_scores_deserialize (text, scores, error))
        {
          g_prefix_error (error, _("The scores of annotation %lld are damaged: "),
                          (long long) a->id);
          return FALSE;
        }
      *has_scores = TRUE;
    }
  if (!fidac_quantify (c->load.volume, map, c->lungs, result, error))
    return FALSE;
  *labels = g_steal_pointer (&map);
  return TRUE;
}

/* Output --------------------------------------------------------------------------------- */

#define FIELD_WIDTH 19

static const gchar *
class_key (guint id)
{
  const FidacLesionClass *lesion = fidac_lesion_get (id);

  return lesion != NULL ? lesion->key : "all";
}

static json_t *
lungs_to_json (const FidacQuantResult *q)
{
  return json_pack ("{s:f, s:f, s:f, s:I, s:I, s:I}",
                    "right_ml", q->lung_ml[FIDAC_LUNG_RIGHT],
                    "left_ml", q->lung_ml[FIDAC_LUNG_LEFT],
                    "total_ml", q->lung_ml[0],
                    "right_voxels", (json_int_t) q->lung_voxels[FIDAC_LUNG_RIGHT],
                    "left_voxels", (json_int_t) q->lung_voxels[FIDAC_LUNG_LEFT],
                    "total_voxels", (json_int_t) q->lung_voxels[0]);
}

static json_t *
class_to_json (const FidacQuantResult *q,
               guint                   id)
{
  return json_pack ("{s:i, s:s, s:I, s:f, s:I, s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:f}",
                    "id", (int) id, "key", class_key (id),
                    "voxels", (json_int_t) q->lesion_voxels[id],
                    "volume_ml", q->lesion_ml[id],
                    "right_voxels", (json_int_t) q->in_lung_voxels[FIDAC_LUNG_RIGHT][id],
                    "left_voxels", (json_int_t) q->in_lung_voxels[FIDAC_LUNG_LEFT][id],
                    "lungs_voxels", (json_int_t) q->in_lung_voxels[0][id],
                    "right_ml", q->in_lung_ml[FIDAC_LUNG_RIGHT][id],
                    "left_ml", q->in_lung_ml[FIDAC_LUNG_LEFT][id],
                    "lungs_ml", q->in_lung_ml[0][id],
                    "right_percent", q->involvement[FIDAC_LUNG_RIGHT][id],
                    "left_percent", q->involvement[FIDAC_LUNG_LEFT][id],
                    "lungs_percent", q->involvement[0][id]);
}

static json_t *
annotation_to_json (const FidacStoreAnnotation *a,
                    const FidacQuantResult     *q,
                    const FidacScores          *scores,
                    gboolean                    has_scores)
{
  json_t *classes = json_array ();
  FidacExtent suggested = fidac_extent_for_percent (q->involvement[0][0]);
  json_t *expert = has_scores && scores->extent != FIDAC_EXTENT_UNSET
                   ? json_string (fidac_extent_to_key (scores->extent)) : json_null ();

  for (guint id = 1; id <= FIDAC_LESION_N_CLASSES; id++)
    json_array_append_new (classes, class_to_json (q, id));
  return json_pack ("{s:I, s:o, s:o, s:s, s:s, s:o, s:o, s:s, s:o}",
                    "id", (json_int_t) a->id,
                    "reader_name", fidac_cli_json_string (a->reader_name),
                    "reader_id", fidac_cli_json_string (a->reader_id),
                    "role", fidac_reader_role_to_string (a->role),
                    "status", fidac_annotation_status_to_string (a->status),
                    "classes", classes,
                    "all", class_to_json (q, 0),
                    "suggested_extent", fidac_extent_to_key (suggested),
                    "expert_extent", expert);
}

static void
print_lungs (const FidacCliCase     *c,
             const FidacQuantResult *q)
{
  const FidacVolume *v = c->load.volume;

  fidac_cli_print_field (FIELD_WIDTH, "series_uid", "%s", v->series_uid);
  fidac_cli_print_field (FIELD_WIDTH, "series_description", "%s",
                         v->series_description != NULL ? v->series_description : "");
  fidac_cli_print_field (FIELD_WIDTH, "voxel_volume", "%.6g mm³", q->voxel_ml * 1000.0);
  /* The same precisions as the report (fidac-report.c): lungs to 0.1 mL. */
  fidac_cli_print_field (FIELD_WIDTH, "right_lung", _("%.1f mL (%llu voxels)"),
                         q->lung_ml[FIDAC_LUNG_RIGHT],
                         (unsigned long long) q->lung_voxels[FIDAC_LUNG_RIGHT]);
  fidac_cli_print_field (FIELD_WIDTH, "left_lung", _("%.1f mL (%llu voxels)"),
                         q->lung_ml[FIDAC_LUNG_LEFT],
                         (unsigned long long) q->lung_voxels[FIDAC_LUNG_LEFT]);
  fidac_cli_print_field (FIELD_WIDTH, "lungs", _("%.1f mL (%llu voxels)"), q->lung_ml[0],
                         (unsigned long long) q->lung_voxels[0]);
}

static void
print_annotation (const FidacStoreAnnotation *a,
                  const FidacQuantResult     *q,
                  const FidacScores          *scores,
                  gboolean                    has_scores)
{
  FidacExtent suggested = fidac_extent_for_percent (q->involvement[0][0]);

  g_print ("\n");
  fidac_cli_print_field (FIELD_WIDTH, "annotation", "%" G_GINT64_FORMAT, a->id);
  fidac_cli_print_field (FIELD_WIDTH, "reader", "%s (%s)", a->reader_name, a->reader_id);
  fidac_cli_print_field (FIELD_WIDTH, "role", "%s", fidac_reader_role_to_string (a->role));
  fidac_cli_print_field (FIELD_WIDTH, "status", "%s",
                         fidac_annotation_status_to_string (a->status));
  for (guint c = 1; c <= FIDAC_LESION_N_CLASSES + 1; c++)
    {
      guint id = c <= FIDAC_LESION_N_CLASSES ? c : 0;

      /* TRANSLATORS: the painted volume of a class, then its volume and share in the right
       * lung, the left lung and both lungs */
      fidac_cli_print_field (FIELD_WIDTH, class_key (id),
                             _("%.2f mL; right %.2f mL %.2f %%; left %.2f mL %.2f %%; "
                               "both %.2f mL %.2f %%"),
                             q->lesion_ml[id],
                             q->in_lung_ml[FIDAC_LUNG_RIGHT][id],
                             q->involvement[FIDAC_LUNG_RIGHT][id],
                             q->in_lung_ml[FIDAC_LUNG_LEFT][id],
                             q->involvement[FIDAC_LUNG_LEFT][id],
                             q->in_lung_ml[0][id], q->involvement[0][id]);
    }
  fidac_cli_print_field (FIELD_WIDTH, "suggested_extent", "%s (%s)",
                         fidac_extent_to_key (suggested), fidac_extent_get_name (suggested));
  if (has_scores && scores->extent != FIDAC_EXTENT_UNSET)
    fidac_cli_print_field (FIELD_WIDTH, "expert_extent", "%s (%s)",
                           fidac_extent_to_key (scores->extent),
                           fidac_extent_get_name (scores->extent));
}

/* The command ------------------------------------------------------------------------------ */

static gboolean
open_job (gpointer      data,
          GCancellable *cancellable,
          GError      **error)
{
  return fidac_cli_case_open (data, cancellable, error);
}

int
fidac_cli_quantify (int argc, char **argv)
{
  gboolean json = FALSE;
  g_autofree gchar *database = NULL;
  g_autofree gchar *reader = NULL;
  g_autofree gchar *role = NULL;
  g_autofree gchar *series_uid = NULL;
  const GOptionEntry entries[] = {
    { "series", 's', 0, G_OPTION_ARG_STRING, &series_uid,
      N_("The series to measure when PATH holds several"), N_("UID") },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("The local database to read the annotations from (default: fidac.db in "
         "$FIDAC_DATA_DIR, else in $XDG_DATA_HOME/fidac)"), N_("FILE") },
    { "reader", 'r', 0, G_OPTION_ARG_STRING, &reader,
      N_("Only the annotations of this reader identifier"), N_("ID") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role,
      N_("Only the annotations of this role: expert or reviewer"), N_("ROLE") },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for programs"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PATH"));
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) annotations = json_array ();
  FidacCliCase c = { NULL };
  FidacQuantResult lungs_only;
  FidacReaderRole parsed_role;
  int status = FIDAC_CLI_EXIT_OK;

  g_option_context_set_summary (context,
                                _("Loads one series from PATH, segments the lungs and prints "
                                  "their volumes (right, left, both, in mL); for each "
                                  "annotation of the series in the local database, the volume "
                                  "of each lesion class and the share of each lung and of both "
                                  "lungs it involves, and the extent class that share "
                                  "suggests."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!fidac_cli_parse (context, "quantify", &argc, &argv))
    return FIDAC_CLI_EXIT_USAGE;
  if (argc != 2)
    return fidac_cli_usage_error ("quantify", argc < 2 ? _("a PATH is needed")
                                                       : _("only one PATH can be given"));
  if (role != NULL && !fidac_reader_role_from_string (role, &parsed_role))
    return fidac_cli_usage_error ("quantify", _("unknown role “%s”: use expert or reviewer"),
                                  role);

  c.database = database;
  c.reader_id = reader;
  c.role = role;
  c.load.path = argv[1];
  c.load.series_uid = series_uid;
  if (!fidac_cli_run_job (open_job, &c, &error))
    {
      fidac_cli_load_warn (&c.load);
      fidac_cli_case_clear (&c);
      return fidac_cli_fail (error);
    }
  fidac_cli_load_warn (&c.load);

  {
    g_autoptr(FidacLabelMap) empty = fidac_label_map_new (c.load.volume, &error);

    if (empty == NULL ||
        !fidac_quantify (c.load.volume, empty, c.lungs, &lungs_only, &error))
      {
        fidac_cli_case_clear (&c);
        return fidac_cli_fail (error);
      }
  }
  if (!json)
    print_lungs (&c, &lungs_only);

  for (guint i = 0; i < c.annotations->len; i++)
    {
      const FidacStoreAnnotation *a = g_ptr_array_index (c.annotations, i);
      g_autoptr(FidacLabelMap) labels = NULL;
      FidacScores scores;
      FidacQuantResult q;
      gboolean has_scores;

      if (!fidac_cli_case_read_annotation (&c, a, &labels, &scores, &has_scores, &q, &error))
        {
          fidac_scores_clear (&scores);
          status = fidac_cli_fail (error);
          break;
        }
      if (json)
        json_array_append_new (annotations, annotation_to_json (a, &q, &scores, has_scores));
      else
        print_annotation (a, &q, &scores, has_scores);
      fidac_scores_clear (&scores);
    }
  if (!json && status == FIDAC_CLI_EXIT_OK && c.annotations->len == 0)
    g_print ("\n%s\n", c.store != NULL ? _("No annotation of this series in the local database.")
                                       : _("No local database: no annotation to measure."));

  if (json && status == FIDAC_CLI_EXIT_OK)
    {
      g_autoptr(json_t) root = NULL;

      root = json_pack ("{s:o, s:o, s:f, s:[i, i, i], s:o, s:f, s:O}",
                        "series_uid", fidac_cli_json_string (c.load.volume->series_uid),
                        "series_description",
                        fidac_cli_json_string (c.load.volume->series_description),
                        "voxel_volume_mm3", lungs_only.voxel_ml * 1000.0,
                        "grid", c.load.volume->dims[0], c.load.volume->dims[1],
                        c.load.volume->dims[2],
                        "lungs", lungs_to_json (&lungs_only),
                        "segmentation_seconds", c.lungs_info.seconds,
                        "annotations", annotations);
      if (!fidac_cli_print_json (root))
        status = FIDAC_CLI_EXIT_FAILURE;
    }
  fidac_cli_case_clear (&c);
  return status;
}
