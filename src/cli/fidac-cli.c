/* fidac-cli.c: the scripting face of FIDAC; dispatches to one function per command.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "fidac-cli-common.h"

static const struct {
  const gchar        *name;
  FidacCliCommandFunc func;
  const gchar        *summary;
} commands[] = {
  { "series", fidac_cli_series, N_("List the DICOM series found in a file or folder") },
  { "info", fidac_cli_info, N_("Load one series and print its geometry and values") },
  { "convert", fidac_cli_convert, N_("Load one series and write it as NIfTI-1") },
  { "phantom", fidac_cli_phantom, N_("Write the synthetic chest phantom as a DICOM series") },
  { "render", fidac_cli_render, N_("Write one plane of a series as a PNG image") },
  { "annotations", fidac_cli_annotations,
    N_("List or show the annotations of the local database") },
  { "quantify", fidac_cli_quantify,
    N_("Print the lung volumes and the lesion burden of a series") },
  { "report", fidac_cli_report, N_("Write the case report of an annotation as a PDF") },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n  fidac-cli %s\n\n%s\n",
           _("Usage:"), _("COMMAND [OPTION…] ARGUMENT…"), _("Commands:"));
  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    fprintf (out, "  %-12s %s\n", commands[c].name, _(commands[c].summary));
  fprintf (out, "\n%s\n", _("Run “fidac-cli COMMAND --help” for the options of a command."));
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("fidac-cli");

  if (argc < 2)
    {
      print_usage (stderr);
      return FIDAC_CLI_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return FIDAC_CLI_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("fidac-cli %s\n", PACKAGE_VERSION);
      return FIDAC_CLI_EXIT_OK;
    }

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    if (g_str_equal (argv[1], commands[c].name))
      return commands[c].func (argc - 1, argv + 1);

  /* TRANSLATORS: %s is what the user typed as a command */
  g_printerr (_("fidac-cli: unknown command “%s”\n\n"), argv[1]);
  print_usage (stderr);
  return FIDAC_CLI_EXIT_USAGE;
}
