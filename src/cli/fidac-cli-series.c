/* fidac-cli-series.c: `fidac-cli series PATH`, the series a file or folder holds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-cli"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fidac-cli-common.h"

typedef struct {
  const gchar *path;
  FidacScan   *scan;
} SeriesJob;

static gboolean
series_job (gpointer      data,
            GCancellable *cancellable,
            GError      **error)
{
  SeriesJob *job = data;

  job->scan = fidac_dicom_scan (job->path, cancellable, fidac_cli_progress,
                                (gpointer) _("Scanning"), error);
  return job->scan != NULL;
}

static json_t *
series_to_json (const FidacSeriesInfo *info)
{
  json_t *object = json_object ();

  json_object_set_new (object, "series_uid", fidac_cli_json_string (info->series_uid));
  json_object_set_new (object, "study_uid", fidac_cli_json_string (info->study_uid));
  json_object_set_new (object, "modality", fidac_cli_json_string (info->modality));
  json_object_set_new (object, "series_description",
                       fidac_cli_json_string (info->series_description));
  json_object_set_new (object, "study_description",
                       fidac_cli_json_string (info->study_description));
  json_object_set_new (object, "study_date", fidac_cli_json_string (info->study_date));
  json_object_set_new (object, "series_number",
                       info->series_number >= 0 ? json_integer (info->series_number) : json_null ());
  json_object_set_new (object, "slices", json_integer (info->n_frames));
  json_object_set_new (object, "rows", json_integer (info->rows));
  json_object_set_new (object, "columns", json_integer (info->columns));
  json_object_set_new (object, "transfer_syntax_uid",
                       fidac_cli_json_string (info->transfer_syntax_uid));
  json_object_set_new (object, "transfer_syntax",
                       fidac_cli_json_string (fidac_cli_transfer_syntax_name (info->transfer_syntax_uid)));
  json_object_set_new (object, "sop_class_uid", fidac_cli_json_string (info->sop_class_uid));
  json_object_set_new (object, "files", json_integer (info->files != NULL ? info->files->len : 0));
  return object;
}

static void
print_series (const FidacSeriesInfo *info)
{
  const gint w = 20;

  fidac_cli_print_field (w, "series_uid", "%s", info->series_uid);
  fidac_cli_print_field (w, "modality", "%s", info->modality != NULL ? info->modality : "");
  fidac_cli_print_field (w, "series_description", "%s",
                         info->series_description != NULL ? info->series_description : "");
  fidac_cli_print_field (w, "study_date", "%s", info->study_date != NULL ? info->study_date : "");
  if (info->series_number >= 0)
    fidac_cli_print_field (w, "series_number", "%d", info->series_number);
  else
    fidac_cli_print_field (w, "series_number", "%s", "");
  fidac_cli_print_field (w, "slices", "%u", info->n_frames);
  fidac_cli_print_field (w, "rows x columns", "%d × %d", info->rows, info->columns);
  fidac_cli_print_field (w, "transfer_syntax", "%s (%s)",
                         fidac_cli_transfer_syntax_name (info->transfer_syntax_uid),
                         info->transfer_syntax_uid != NULL ? info->transfer_syntax_uid : "?");
  fidac_cli_print_field (w, "files", "%u", info->files != NULL ? info->files->len : 0);
}

int
fidac_cli_series (int argc, char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for programs"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PATH"));
  g_autoptr(GError) error = NULL;
  SeriesJob job = { NULL, NULL };
  g_autoptr(FidacScan) scan = NULL;

  g_option_context_set_summary (context,
                                _("Lists the DICOM series found in PATH, a file or a folder "
                                  "searched recursively (through its DICOMDIR when there is one), "
                                  "and the files that were skipped."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!fidac_cli_parse (context, "series", &argc, &argv))
    return FIDAC_CLI_EXIT_USAGE;
  if (argc != 2)
    return fidac_cli_usage_error ("series", argc < 2 ? _("a PATH is needed")
                                                     : _("only one PATH can be given"));

  job.path = argv[1];
  if (!fidac_cli_run_job (series_job, &job, &error))
    return fidac_cli_fail (error);
  scan = job.scan;

  if (json)
    {
      g_autoptr(json_t) root = json_object ();
      json_t *list = json_array ();

      for (guint s = 0; s < scan->series->len; s++)
        json_array_append_new (list, series_to_json (g_ptr_array_index (scan->series, s)));
      json_object_set_new (root, "path", fidac_cli_json_string (job.path));
      json_object_set_new (root, "series", list);
      json_object_set_new (root, "warnings", fidac_cli_json_strings (scan->warnings));
      if (!fidac_cli_print_json (root))
        return FIDAC_CLI_EXIT_FAILURE;
    }
  else
    {
      for (guint s = 0; s < scan->series->len; s++)
        {
          if (s > 0)
            g_print ("\n");
          print_series (g_ptr_array_index (scan->series, s));
        }
      for (guint w = 0; w < scan->warnings->len; w++)
        fidac_cli_warn (g_ptr_array_index (scan->warnings, w));
    }

  if (scan->series->len == 0)
    {
      /* TRANSLATORS: %s is a file or folder */
      g_printerr (_("fidac-cli: no DICOM series was found in %s\n"), job.path);
      return FIDAC_CLI_EXIT_FAILURE;
    }
  return FIDAC_CLI_EXIT_OK;
}
