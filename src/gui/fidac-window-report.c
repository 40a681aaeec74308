/* fidac-window-report.c: win.export-report, the case report of the case shown as a PDF.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The report is the window's state when the reader asks for it: the volume, a copy of the
 * label map (painting goes on while the PDF is written), the lungs and live figures of the
 * window's FidacQuantification, the scores saved for the stored annotation, and the reader
 * of the settings. It is written off the main thread (GTask) and a toast says how it went.
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "fidac-quantification.h"
#include "fidac-report.h"
#include "fidac-window-internal.h"

static GQuark n_reports_quark;

typedef struct {
  FidacVolume      *volume;
  FidacLabelMap    *labels;       /* a copy; slices recounted in the worker */
  FidacLabelMap    *lungs;        /* a reference: the quantification never writes it again */
  FidacScores       scores;
  gboolean          has_scores;
  FidacQuantResult  result;
  gboolean          has_result;   /* FALSE: the report counts the figures itself */
  gchar            *reader_name;
  gchar            *reader_id;
  gchar            *reader_role;
  gchar            *status;
  gchar            *path;
} ReportJob;

static void
report_job_free (ReportJob *job)
{
  g_clear_pointer (&job->volume, fidac_volume_unref);
  g_clear_pointer (&job->labels, fidac_label_map_unref);
  g_clear_pointer (&job->lungs, fidac_label_map_unref);
  fidac_scores_clear (&job->scores);
  g_free (job->reader_name);
  g_free (job->reader_id);
  g_free (job->reader_role);
  g_free (job->status);
  g_free (job->path);
  g_free (job);
}

static void
add_reports (FidacWindow *self,
             gint         delta)
{
  guint n = GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (self), n_reports_quark));

  g_object_set_qdata (G_OBJECT (self), n_reports_quark, GUINT_TO_POINTER (n + delta));
}

guint
fidac_window_get_n_reports (FidacWindow *self)
{
  g_return_val_if_fail (FIDAC_IS_WINDOW (self), 0);
  return GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (self), n_reports_quark));
}

static void
write_thread (GTask        *task,
              gpointer      source,
              gpointer      data,
              GCancellable *cancellable)
{
  ReportJob *job = data;
  g_autoptr(GError) error = NULL;
  FidacReportInput input = { NULL };

  if (job->labels != NULL)
    fidac_label_map_touch (job->labels, 0, job->labels->dims[2] - 1);
  input.volume = job->volume;
  input.labels = job->labels;
  input.lungs = job->lungs;
  input.scores = job->has_scores ? &job->scores : NULL;
  input.quantification = job->has_result ? &job->result : NULL;
  input.reader_name = job->reader_name;
  input.reader_id = job->reader_id;
  input.reader_role = job->reader_role;
  input.status = job->status;
  if (fidac_report_write_pdf (&input, job->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
write_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  FidacWindow *self = FIDAC_WINDOW (source);
  ReportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree gchar *text = NULL;
  g_autofree gchar *name = g_filename_display_basename (job->path);

  add_reports (self, -1);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    /* TRANSLATORS: %s is the file name of the PDF written */
    text = g_strdup_printf (_("Report written to %s"), name);
  else
    text = g_strdup_printf (_("The report could not be written: %s"), error->message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* A copy of `map` whose counts are left to fidac_label_map_touch(). */
static FidacLabelMap *
copy_labels (const FidacLabelMap *map,
             const FidacVolume   *volume,
             GError             **error)
{
  FidacLabelMap *copy = fidac_label_map_new (volume, error);

  if (copy != NULL)
    memcpy (copy->labels, map->labels,
            (gsize) map->dims[0] * map->dims[1] * map->dims[2]);
  return copy;
}

/* The saved scores and status of the reader's stored annotation, when there is one. */
static void
read_stored (FidacAnnotation *annotation,
             ReportJob       *job)
{
  FidacStore *store = fidac_annotation_get_store (annotation);
  gint64 id = fidac_annotation_get_stored_id (annotation);
  g_autoptr(FidacStoreAnnotation) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *text = NULL;

  if (store == NULL || id <= 0)
    return;
  stored = fidac_store_get_annotation_by_id (store, id, &error);
  if (stored != NULL)
    {
      job->status = g_strdup (fidac_annotation_status_get_name (stored->status));
      if (job->reader_name == NULL || *job->reader_name == '\0')
        {
          g_free (job->reader_name);
          g_free (job->reader_id);
          g_free (job->reader_role);
          job->reader_name = g_strdup (stored->reader_name);
          job->reader_id = g_strdup (stored->reader_id);
          job->reader_role = g_strdup (fidac_reader_role_to_string (stored->role));
        }
    }
  else
    g_warning ("Cannot read annotation %" G_GINT64_FORMAT ": %s", id, error->message);
  g_clear_error (&error);
  text = fidac_store_get_scores (store, id, &error);
  if (text != NULL)
    {
      job->has_scores = fidac_scores_deserialize (text, &job->scores, &error);
      if (!job->has_scores)
        g_warning ("The scores of annotation %" G_GINT64_FORMAT " are damaged: %s", id,
                   error->message);
    }
  else if (error != NULL)
    g_warning ("Cannot read the scores of annotation %" G_GINT64_FORMAT ": %s", id,
               error->message);
}

void
fidac_window_export_report (FidacWindow *self,
                            const gchar *path)
{
  FidacAnnotation *annotation;
  FidacQuantification *quantification;
  FidacLabelMap *map;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  ReportJob *job;

  g_return_if_fail (FIDAC_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  if (self->volume == NULL || self->viewer == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("There is no case to report")));
      return;
    }
  annotation = fidac_viewer_get_annotation (self->viewer);
  quantification = fidac_viewer_get_quantification (self->viewer);
  job = g_new0 (ReportJob, 1);
  fidac_scores_init (&job->scores);
  job->volume = fidac_volume_ref (self->volume);
  job->path = g_strdup (path);
  map = fidac_annotation_get_map (annotation);
  if (map != NULL)
    {
      job->labels = copy_labels (map, self->volume, &error);
      if (job->labels == NULL)
        {
          g_autofree gchar *text = g_strdup_printf (_("The report could not be written: %s"),
                                                    error->message);

          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
          report_job_free (job);
          return;
        }
    }
  if (quantification != NULL)
    {
      FidacLabelMap *lungs = fidac_quantification_get_lungs (quantification);

      job->lungs = lungs != NULL ? fidac_label_map_ref (lungs) : NULL;
      fidac_quantification_get_result (quantification, &job->result);
      job->has_result = TRUE;
    }
  if (self->settings != NULL)
    {
      job->reader_name = g_settings_get_string (self->settings, "reader-name");
      job->reader_id = g_settings_get_string (self->settings, "reader-id");
      job->reader_role = g_settings_get_string (self->settings, "reader-role");
    }
  read_stored (annotation, job);

  task = g_task_new (self, NULL, write_done_cb, NULL);
  g_task_set_source_tag (task, fidac_window_export_report);
  g_task_set_task_data (task, job, (GDestroyNotify) report_job_free);
  add_reports (self, 1);
  g_task_run_in_thread (task, write_thread);
}

/* "<series description> <study date>.pdf", without characters file systems refuse. */
static gchar *
default_name (const FidacVolume *volume)
{
  g_autoptr(GString) name = g_string_new (NULL);

  if (volume->series_description != NULL && *volume->series_description != '\0')
    g_string_append (name, volume->series_description);
  else
    /* TRANSLATORS: the start of a report's default file name */
    g_string_append (name, _("Report"));
  if (volume->study_date != NULL && *volume->study_date != '\0')
    g_string_append_printf (name, " %s", volume->study_date);
  for (gsize i = 0; i < name->len; i++)
    if (strchr ("/\\:*?\"<>|", name->str[i]) != NULL || (guchar) name->str[i] < 0x20)
      name->str[i] = '_';
  g_string_append (name, ".pdf");
  return g_string_free (g_steal_pointer (&name), FALSE);
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     gint             response,
                     FidacWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree gchar *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        fidac_window_export_report (self, path);
      else
        adw_toast_overlay_add_toast (self->toast_overlay,
                                     adw_toast_new (_("The report can only be written to a "
                                                      "local file")));
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_report_activate (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  FidacWindow *self = user_data;
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree gchar *name = NULL;

  if (self->volume == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export Report"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_suffix (filter, "pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  name = default_name (self->volume);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static const GActionEntry report_actions[] = {
  { "export-report", export_report_activate, NULL, NULL, NULL },
};

void
fidac_window_report_init (FidacWindow *self)
{
  if (n_reports_quark == 0)
    n_reports_quark = g_quark_from_static_string ("fidac-window-n-reports");
  g_action_map_add_action_entries (G_ACTION_MAP (self), report_actions,
                                   G_N_ELEMENTS (report_actions), self);
}
