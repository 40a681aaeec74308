/* fidac-cli-convert.c: `fidac-cli convert PATH OUT.nii[.gz]`, a series as NIfTI-1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-cli"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fidac-cli-common.h"
#include "fidac-nifti.h"

typedef struct {
  FidacCliLoad load;
  const gchar *output;
} ConvertJob;

static gboolean
convert_job (gpointer      data,
             GCancellable *cancellable,
             GError      **error)
{
  ConvertJob *job = data;

  if (!fidac_cli_load (&job->load, cancellable, error))
    return FALSE;
  return fidac_nifti_write (job->load.volume, job->output, cancellable, error);
}

int
fidac_cli_convert (int argc, char **argv)
{
  g_autofree gchar *series_uid = NULL;
  const GOptionEntry entries[] = {
    { "series", 's', 0, G_OPTION_ARG_STRING, &series_uid,
      N_("The series to convert when PATH holds several"), N_("UID") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PATH OUTPUT.nii[.gz]"));
  g_autoptr(GError) error = NULL;
  ConvertJob job = { { NULL }, NULL };
  gboolean ok;

  g_option_context_set_summary (context,
                                _("Loads one series from PATH and writes it as a NIfTI-1 file: "
                                  "16-bit Hounsfield units, voxel-to-RAS affine in both qform and "
                                  "sform, gzip-compressed when the name ends in .gz."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!fidac_cli_parse (context, "convert", &argc, &argv))
    return FIDAC_CLI_EXIT_USAGE;
  if (argc != 3)
    return fidac_cli_usage_error ("convert", _("a PATH and an OUTPUT file are needed"));
  if (!g_str_has_suffix (argv[2], ".nii") && !g_str_has_suffix (argv[2], ".nii.gz"))
    return fidac_cli_usage_error ("convert", _("the OUTPUT file name must end in .nii or .nii.gz"));

  job.load.path = argv[1];
  job.load.series_uid = series_uid;
  job.output = argv[2];
  ok = fidac_cli_run_job (convert_job, &job, &error);

  fidac_cli_load_warn (&job.load);
  fidac_cli_load_clear (&job.load);

  if (!ok)
    return fidac_cli_fail (error);
  return FIDAC_CLI_EXIT_OK;
}
