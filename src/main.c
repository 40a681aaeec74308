/* main.c: the FIDAC workstation (fidac).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac"

#include "config.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

#include "fidac-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(FidacApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = fidac_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
