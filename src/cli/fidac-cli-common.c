/* fidac-cli-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-cli"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "fidac-cli-common.h"

gboolean
fidac_cli_parse (GOptionContext *context,
                 const gchar    *command,
                 int            *argc,
                 char         ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *prgname = g_strconcat ("fidac-cli ", command, NULL);

  /* So that --help reads "fidac-cli info [OPTION…] PATH". */
  g_set_prgname (prgname);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fidac_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

int
fidac_cli_usage_error (const gchar *command,
                       const gchar *format,
                       ...)
{
  g_autofree gchar *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  fidac_cli_progress_done ();
  g_printerr ("fidac-cli %s: %s\n", command, message);
  /* TRANSLATORS: %s is a command name such as "info" */
  g_printerr (_("Try “fidac-cli %s --help” for more information.\n"), command);
  return FIDAC_CLI_EXIT_USAGE;
}

int
fidac_cli_fail (const GError *error)
{
  fidac_cli_progress_done ();
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_printerr ("fidac-cli: %s\n", _("Cancelled"));
  else
    g_printerr ("fidac-cli: %s\n", error->message);
  return FIDAC_CLI_EXIT_FAILURE;
}

void
fidac_cli_warn (const gchar *message)
{
  fidac_cli_progress_done ();
  /* TRANSLATORS: prefix of a warning line, %s is the warning */
  g_printerr (_("fidac-cli: warning: %s\n"), message);
}

/* Progress */

static GMutex progress_lock;
static gint progress_shown = -1;    /* percent on screen, -1 when the line is clear */
static gint progress_tty = -1;

void
fidac_cli_progress (gdouble  fraction,
                    gpointer label)
{
  gint percent = (gint) CLAMP (fraction * 100.0, 0.0, 100.0);

  g_mutex_lock (&progress_lock);
  if (progress_tty < 0)
    progress_tty = isatty (STDERR_FILENO) ? 1 : 0;
  /* Workers report in any order; only ever move forward so the line does not flicker. */
  if (progress_tty == 1 && percent > progress_shown)
    {
      progress_shown = percent;
      fprintf (stderr, "\r%s %3d %%", (const gchar *) label, percent);
      fflush (stderr);
    }
  g_mutex_unlock (&progress_lock);
}

void
fidac_cli_progress_done (void)
{
  g_mutex_lock (&progress_lock);
  if (progress_shown >= 0)
    {
      fputs ("\r\033[K", stderr);
      fflush (stderr);
      progress_shown = -1;
    }
  g_mutex_unlock (&progress_lock);
}

/* Jobs */

typedef struct {
  FidacCliJob   job;
  gpointer      data;
  GCancellable *cancellable;
  GMainContext *context;
  gboolean      done;
  gboolean      ok;
  GError       *error;
} JobState;

static gboolean
job_signal_cb (gpointer user_data)
{
  JobState *state = user_data;

  g_cancellable_cancel (state->cancellable);
  return G_SOURCE_CONTINUE;
}

static gpointer
job_thread (gpointer user_data)
{
  JobState *state = user_data;

  state->ok = state->job (state->data, state->cancellable, &state->error);
  g_atomic_int_set (&state->done, TRUE);
  g_main_context_wakeup (state->context);
  return NULL;
}

gboolean
fidac_cli_run_job (FidacCliJob job,
                   gpointer    data,
                   GError    **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainContext) context = g_main_context_new ();
  JobState state = { job, data, cancellable, context, FALSE, FALSE, NULL };
  g_autoptr(GSource) sigint = NULL;
  g_autoptr(GSource) sigterm = NULL;
  GThread *thread;

  g_main_context_push_thread_default (context);
  sigint = g_unix_signal_source_new (SIGINT);
  g_source_set_callback (sigint, job_signal_cb, &state, NULL);
  g_source_attach (sigint, context);
  sigterm = g_unix_signal_source_new (SIGTERM);
  g_source_set_callback (sigterm, job_signal_cb, &state, NULL);
  g_source_attach (sigterm, context);

  thread = g_thread_new ("fidac-cli-job", job_thread, &state);
  while (!g_atomic_int_get (&state.done))
    g_main_context_iteration (context, TRUE);
  g_thread_join (thread);

  g_source_destroy (sigint);
  g_source_destroy (sigterm);
  g_main_context_pop_thread_default (context);
  fidac_cli_progress_done ();

  if (!state.ok)
    {
      if (state.error == NULL)
        g_set_error_literal (&state.error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Unknown error"));
      g_propagate_error (error, state.error);
      return FALSE;
    }
  g_clear_error (&state.error);
  return TRUE;
}

/* Loading */

gboolean
fidac_cli_load (FidacCliLoad  *load,
                GCancellable  *cancellable,
                GError       **error)
{
  load->scan = fidac_dicom_scan (load->path, cancellable, fidac_cli_progress,
                                 (gpointer) _("Scanning"), error);
  fidac_cli_progress_done ();
  if (load->scan == NULL)
    return FALSE;
  load->info = fidac_scan_pick (load->scan, load->series_uid, error);
  if (load->info == NULL)
    return FALSE;
  load->volume = fidac_dicom_load_series (load->info, cancellable, fidac_cli_progress,
                                          (gpointer) _("Loading"), error);
  fidac_cli_progress_done ();
  return load->volume != NULL;
}

void
fidac_cli_load_clear (FidacCliLoad *load)
{
  g_clear_pointer (&load->volume, fidac_volume_free);
  g_clear_pointer (&load->scan, fidac_scan_free);
  load->info = NULL;
}

void
fidac_cli_load_warn (const FidacCliLoad *load)
{
  if (load->scan != NULL)
    for (guint w = 0; w < load->scan->warnings->len; w++)
      fidac_cli_warn (g_ptr_array_index (load->scan->warnings, w));
  if (load->volume != NULL)
    for (guint w = 0; w < load->volume->warnings->len; w++)
      fidac_cli_warn (g_ptr_array_index (load->volume->warnings, w));
}

/* Transfer syntaxes */

static const struct {
  const gchar *uid;
  const gchar *name;
} transfer_syntaxes[] = {
  { "1.2.840.10008.1.2", "Implicit VR Little Endian" },
  { "1.2.840.10008.1.2.1", "Explicit VR Little Endian" },
  { "1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian" },
  { "1.2.840.10008.1.2.2", "Explicit VR Big Endian" },
  { "1.2.840.10008.1.2.4.50", "JPEG Baseline" },
  { "1.2.840.10008.1.2.4.51", "JPEG Extended" },
  { "1.2.840.10008.1.2.4.57", "JPEG Lossless" },
  { "1.2.840.10008.1.2.4.70", "JPEG Lossless SV1" },
  { "1.2.840.10008.1.2.4.80", "JPEG-LS Lossless" },
  { "1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless" },
  { "1.2.840.10008.1.2.4.90", "JPEG 2000 Lossless" },
  { "1.2.840.10008.1.2.4.91", "JPEG 2000" },
  { "1.2.840.10008.1.2.5", "RLE Lossless" },
};

const gchar *
fidac_cli_transfer_syntax_name (const gchar *uid)
{
  if (uid == NULL)
    return "";
  for (guint t = 0; t < G_N_ELEMENTS (transfer_syntaxes); t++)
    if (g_str_equal (uid, transfer_syntaxes[t].uid))
      return transfer_syntaxes[t].name;
  return uid;
}

/* Output */

gboolean
fidac_cli_print_json (json_t *root)
{
  /* 15 significant digits: every DICOM decimal string (at most 16 characters) survives,
   * and a cosine of 1 is printed as 1 rather than 0.99999999999999989. */
  if (json_dumpf (root, stdout, JSON_INDENT (2) | JSON_REAL_PRECISION (15)) != 0)
    return FALSE;
  fputc ('\n', stdout);
  return fflush (stdout) == 0;
}

json_t *
fidac_cli_json_string (const gchar *text)
{
  if (text == NULL)
    return json_null ();
  /* Header strings are not always valid UTF-8; JSON must be. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_autofree gchar *valid = g_utf8_make_valid (text, -1);

      return json_string (valid);
    }
  return json_string (text);
}

json_t *
fidac_cli_json_vec3 (const gdouble v[3])
{
  /* + 0.0: a cross product's -0 is printed as 0. */
  return json_pack ("[f, f, f]", v[0] + 0.0, v[1] + 0.0, v[2] + 0.0);
}

json_t *
fidac_cli_json_strings (GPtrArray *strings)
{
  json_t *array = json_array ();

  for (guint s = 0; strings != NULL && s < strings->len; s++)
    json_array_append_new (array, fidac_cli_json_string (g_ptr_array_index (strings, s)));
  return array;
}

void
fidac_cli_print_field (gint         width,
                       const gchar *key,
                       const gchar *format,
                       ...)
{
  g_autofree gchar *value = NULL;
  g_autofree gchar *label = g_strconcat (key, *key != '\0' ? ":" : "", NULL);
  va_list args;

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);
  g_print ("%-*s %s\n", width, label, value);
}
