/* fidac-cli-report.c: `fidac-cli report PATH -o OUT.pdf`, the case report of a stored
 * annotation (the same document as the window's Export Report).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-cli"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fidac-cli-quantify.h"
#include "fidac-report.h"

static gboolean
open_job (gpointer      data,
          GCancellable *cancellable,
          GError      **error)
{
  return fidac_cli_case_open (data, cancellable, error);
}

static gchar *
describe_annotations (GPtrArray *annotations)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < annotations->len; i++)
    {
      const FidacStoreAnnotation *a = g_ptr_array_index (annotations, i);

      g_string_append_printf (text, "%s%s (%s, %s)", i > 0 ? "; " : "", a->reader_name,
                              a->reader_id, fidac_reader_role_to_string (a->role));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

int
fidac_cli_report (int argc, char **argv)
{
  g_autofree gchar *database = NULL;
  g_autofree gchar *reader = NULL;
  g_autofree gchar *role = NULL;
  g_autofree gchar *series_uid = NULL;
  g_autofree gchar *output = NULL;
  gint images = 0;
  const GOptionEntry entries[] = {
    { "series", 's', 0, G_OPTION_ARG_STRING, &series_uid,
      N_("The series to report when PATH holds several"), N_("UID") },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("The local database to read the annotation from (default: fidac.db in "
         "$FIDAC_DATA_DIR, else in $XDG_DATA_HOME/fidac)"), N_("FILE") },
    { "reader", 'r', 0, G_OPTION_ARG_STRING, &reader,
      N_("The annotation of this reader identifier"), N_("ID") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role,
      N_("The annotation of this role: expert or reviewer"), N_("ROLE") },
    { "key-images", 0, 0, G_OPTION_ARG_INT, &images,
      N_("Number of key images, 1 to 8 (default 4)"), N_("N") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("The PDF file to write"), N_("OUT.pdf") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PATH"));
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacLabelMap) labels = NULL;
  FidacCliCase c = { NULL };
  FidacReaderRole parsed_role;
  FidacStoreAnnotation *a;
  FidacReportInput input = { NULL };
  FidacScores scores;
  FidacQuantResult q;
  gboolean has_scores = FALSE;
  gboolean ok;

  g_option_context_set_summary (context,
                                _("Loads one series from PATH, segments the lungs and writes "
                                  "the case report of its annotation in the local database as "
                                  "an A4 PDF: the anonymised identifiers of the case, the "
                                  "reader, the scores, the lung and lesion volumes and the "
                                  "involvement, and axial key images with the lesions at the "
                                  "levels of greatest involvement."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!fidac_cli_parse (context, "report", &argc, &argv))
    return FIDAC_CLI_EXIT_USAGE;
  if (argc != 2)
    return fidac_cli_usage_error ("report", argc < 2 ? _("a PATH is needed")
                                                     : _("only one PATH can be given"));
  if (output == NULL)
    return fidac_cli_usage_error ("report", _("--output is needed"));
  if (role != NULL && !fidac_reader_role_from_string (role, &parsed_role))
    return fidac_cli_usage_error ("report", _("unknown role “%s”: use expert or reviewer"),
                                  role);
  if (images < 0 || images > 8)
    return fidac_cli_usage_error ("report", _("--key-images must be between 1 and 8"));

  c.database = database;
  c.reader_id = reader;
  c.role = role;
  c.load.path = argv[1];
  c.load.series_uid = series_uid;
  ok = fidac_cli_run_job (open_job, &c, &error);
  fidac_cli_load_warn (&c.load);
  if (ok && c.annotations->len == 0)
    {
      g_autofree gchar *db = database != NULL ? g_strdup (database)
                                              : fidac_store_default_path ();

      g_set_error (&error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND,
                   _("No annotation of series %s in %s: nothing to report"),
                   c.load.volume->series_uid, db);
      ok = FALSE;
    }
  if (ok && c.annotations->len > 1)
    {
      g_autofree gchar *list = describe_annotations (c.annotations);

      g_set_error (&error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_INVALID,
                   /* TRANSLATORS: %s lists the readers with their identifiers and roles */
                   _("Several annotations of this series: %s; choose one with --reader and "
                     "--role"), list);
      ok = FALSE;
    }
  if (!ok)
    {
      fidac_cli_case_clear (&c);
      return fidac_cli_fail (error);
    }

  a = g_ptr_array_index (c.annotations, 0);
  if (!fidac_cli_case_read_annotation (&c, a, &labels, &scores, &has_scores, &q, &error))
    {
      fidac_scores_clear (&scores);
      fidac_cli_case_clear (&c);
      return fidac_cli_fail (error);
    }

  input.volume = c.load.volume;
  input.labels = labels;
  input.lungs = c.lungs;
  input.scores = has_scores ? &scores : NULL;
  input.quantification = &q;
  input.reader_name = a->reader_name;
  input.reader_id = a->reader_id;
  input.reader_role = fidac_reader_role_to_string (a->role);
  input.status = fidac_annotation_status_get_name (a->status);
  input.n_key_images = (guint) images;
  ok = fidac_report_write_pdf (&input, output, &error);

  fidac_scores_clear (&scores);
  fidac_cli_case_clear (&c);
  if (!ok)
    return fidac_cli_fail (error);
  return FIDAC_CLI_EXIT_OK;
}
