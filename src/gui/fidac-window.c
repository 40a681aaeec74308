/* fidac-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "fidac-case-format.h"
#include "fidac-case-list.h"
#include "fidac-case-load.h"
#include "fidac-file-chooser.h"
#include "fidac-window.h"
#include "fidac-window-private.h"
#include "fidac-window-internal.h"

/* A folder with thousands of stray files would drown the details pane. */
#define MAX_WARNINGS_SHOWN 30


G_DEFINE_FINAL_TYPE (FidacWindow, fidac_window, ADW_TYPE_APPLICATION_WINDOW)

static void
update_actions (FidacWindow *self)
{
  GtkListBoxRow *row;

  /* The list announces its rows' removal while the template is torn down. */
  if (self->series_list == NULL)
    return;
  row = gtk_list_box_get_selected_row (self->series_list);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-load",
                                 self->state == FIDAC_WINDOW_STATE_LOADING ||
                                 self->state == FIDAC_WINDOW_STATE_CHOOSER);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-series",
                                 self->state == FIDAC_WINDOW_STATE_CHOOSER && row != NULL &&
                                 gtk_widget_get_sensitive (GTK_WIDGET (row)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.dismiss-error",
                                 gtk_revealer_get_reveal_child (self->error_revealer));
  fidac_window_view_update_actions (self);
}

static void
set_state (FidacWindow      *self,
           FidacWindowState  state)
{
  static const gchar *pages[] = { "empty", "loading", "chooser", "result", "error" };

  self->state = state;
  gtk_stack_set_visible_child_name (self->stack, pages[state]);
  adw_window_title_set_subtitle (self->window_title,
                                 state == FIDAC_WINDOW_STATE_RESULT ? self->shown_name : NULL);
  update_actions (self);
}

static FidacWindowState
settled_state (FidacWindow *self)
{
  return self->volume != NULL ? FIDAC_WINDOW_STATE_RESULT : FIDAC_WINDOW_STATE_EMPTY;
}

static void
dismiss_error (FidacWindow *self)
{
  g_clear_pointer (&self->error_message, g_free);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  update_actions (self);
}

/* Stops the load in progress, if any; its worker still finishes (promptly, it is
 * cancelled) but its result will find self->load changed and be dropped. */
static void
cancel_current (FidacWindow *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->load, fidac_case_load_unref);
  g_clear_handle_id (&self->progress_source, g_source_remove);
}

static void
show_error (FidacWindow *self,
            const gchar *title,
            const gchar *message)
{
  g_free (self->error_message);
  self->error_message = g_strdup (message);

  if (self->volume != NULL)
    {
      /* Keep the case on screen: a failed second open must not take the first away. */
      g_autofree gchar *markup = g_markup_printf_escaped ("<b>%s</b>  %s", title, message);

      gtk_label_set_markup (self->error_banner_label, markup);
      gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
      set_state (self, FIDAC_WINDOW_STATE_RESULT);
    }
  else
    {
      g_autofree gchar *escaped = g_markup_escape_text (message, -1);

      adw_status_page_set_title (self->error_page, title);
      adw_status_page_set_description (self->error_page, escaped);
      gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
      set_state (self, FIDAC_WINDOW_STATE_ERROR);
    }
}

/* Details ---------------------------------------------------------------------------- */

static void
set_row (AdwActionRow *row,
         const gchar  *value)
{
  adw_action_row_set_subtitle (row, value);
}

/* One label for all of them: GTK 4.8 keeps a box's cached size request mode when wrapping
 * labels are added to it later, and the card would then be too short for its text. */
static void
show_warnings (FidacWindow *self)
{
  g_autofree gchar *title = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = self->warnings->len;

  gtk_widget_set_visible (self->warnings_box, n > 0);
  if (n == 0)
    {
      gtk_label_set_text (self->warnings_label, "");
      return;
    }

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Warning", "%u Warnings", n), n);
  gtk_label_set_text (self->warnings_title, title);
  for (guint i = 0; i < MIN (n, MAX_WARNINGS_SHOWN); i++)
    g_string_append_printf (text, "%s• %s", i > 0 ? "\n" : "",
                            (const gchar *) g_ptr_array_index (self->warnings, i));
  if (n > MAX_WARNINGS_SHOWN)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE, "… and %u more warning.",
                                           "… and %u more warnings.", n - MAX_WARNINGS_SHOWN),
                              n - MAX_WARNINGS_SHOWN);
    }
  gtk_label_set_text (self->warnings_label, text->str);
}

/* Local cases ----------------------------------------------------------------------------- */

/* The case shown goes into the local store with where it came from, so that the case list
 * can open it again. */
static void
record_case (FidacWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!fidac_case_list_record (FIDAC_CASE_LIST (self->start_cases), self->volume,
                               self->open_path, &error))
    {
      g_autofree gchar *text = g_strdup_printf (_("The case is not in the local list: %s"),
                                                error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
    }
  fidac_case_list_queue_refresh (FIDAC_CASE_LIST (self->popover_cases));
}

static void
refresh_cases (FidacWindow *self)
{
  /* The views may end a stroke while the window is torn down. */
  if (self->start_cases == NULL)
    return;
  fidac_case_list_queue_refresh (FIDAC_CASE_LIST (self->start_cases));
  fidac_case_list_queue_refresh (FIDAC_CASE_LIST (self->popover_cases));
}

static void
open_case_cb (FidacCaseList *list,
              const gchar   *path,
              const gchar   *series_uid,
              FidacWindow   *self)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (self->popover_cases,
                                                             GTK_TYPE_POPOVER)));
  fidac_window_open_files (self, &file, 1);
  /* After the open, which forgets any earlier wish. */
  g_free (self->wanted_series_uid);
  self->wanted_series_uid = g_strdup (series_uid);
}

static void
stroke_finished_cb (FidacAnnotation *annotation,
                    gint             k0,
                    gint             k1,
                    FidacWindow     *self)
{
  /* Idle: the commit may run in a handler after this one. */
  refresh_cases (self);
}

static void
cases_popover_show_cb (GtkWidget   *popover,
                       FidacWindow *self)
{
  fidac_case_list_refresh (FIDAC_CASE_LIST (self->popover_cases), NULL);
  gtk_widget_grab_focus (GTK_WIDGET (fidac_case_list_get_search_entry (FIDAC_CASE_LIST (self->popover_cases))));
}

static void
reader_id_changed_cb (GSettings   *settings,
                      const gchar *key,
                      FidacWindow *self)
{
  g_autofree gchar *id = g_settings_get_string (settings, "reader-id");

  fidac_case_list_set_reader_id (FIDAC_CASE_LIST (self->start_cases), id);
  fidac_case_list_set_reader_id (FIDAC_CASE_LIST (self->popover_cases), id);
}

static GtkWidget *
case_list_new (FidacWindow *self,
               GtkWidget   *box)
{
  GtkWidget *list = fidac_case_list_new ();

  g_signal_connect_object (list, "open-case", G_CALLBACK (open_case_cb), self, 0);
  gtk_box_append (GTK_BOX (box), list);
  fidac_case_list_refresh (FIDAC_CASE_LIST (list), NULL);
  return list;
}

FidacCaseList *
fidac_window_get_start_cases (FidacWindow *self)
{
  g_return_val_if_fail (FIDAC_IS_WINDOW (self), NULL);
  return FIDAC_CASE_LIST (self->start_cases);
}

FidacCaseList *
fidac_window_get_popover_cases (FidacWindow *self)
{
  g_return_val_if_fail (FIDAC_IS_WINDOW (self), NULL);
  return FIDAC_CASE_LIST (self->popover_cases);
}

static void
show_volume (FidacWindow  *self,
             FidacVolume  *volume,
             gint16        hu_min,
             gint16        hu_max,
             GPtrArray    *scan_warnings)
{
  g_autofree gchar *date = NULL;
  g_autofree gchar *position = NULL;
  g_autofree gchar *matrix = NULL;
  g_autofree gchar *slices = NULL;
  g_autofree gchar *sx = NULL, *sy = NULL, *sz = NULL;
  g_autofree gchar *spacing = NULL;
  g_autofree gchar *orientation = NULL;
  g_autofree gchar *hu = NULL;
  guint inserted = 0;
  /* Freed on return, once the views hold the new volume. */
  g_autoptr(FidacVolume) previous = g_steal_pointer (&self->volume);

  self->volume = volume;
  g_free (self->shown_name);
  self->shown_name = g_strdup (volume->series_description != NULL && *volume->series_description
                               ? volume->series_description : self->load_name);
  dismiss_error (self);

  g_ptr_array_set_size (self->warnings, 0);
  for (guint i = 0; scan_warnings != NULL && i < scan_warnings->len; i++)
    g_ptr_array_add (self->warnings, g_strdup (g_ptr_array_index (scan_warnings, i)));
  for (guint i = 0; volume->warnings != NULL && i < volume->warnings->len; i++)
    g_ptr_array_add (self->warnings, g_strdup (g_ptr_array_index (volume->warnings, i)));
  show_warnings (self);

  for (gint k = 0; volume->slice_uids != NULL && k < volume->dims[2]; k++)
    if (volume->slice_uids[k] == NULL)
      inserted++;

  date = fidac_format_date (volume->study_date);
  position = fidac_format_position (volume->patient_position);
  matrix = g_strdup_printf ("%d × %d", volume->dims[0], volume->dims[1]);
  if (inserted > 0)
    slices = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%d (%u missing, shown as air)",
                                           "%d (%u missing, shown as air)", inserted),
                              volume->dims[2], inserted);
  else
    slices = g_strdup_printf ("%d", volume->dims[2]);
  sx = fidac_format_mm (volume->spacing[0]);
  sy = fidac_format_mm (volume->spacing[1]);
  sz = fidac_format_mm (volume->spacing[2]);
  spacing = g_strdup_printf (_("%s × %s × %s mm"), sx, sy, sz);
  orientation = fidac_format_orientation (volume);
  hu = g_strdup_printf (_("%d to %d HU"), hu_min, hu_max);

  set_row (self->description_row,
           volume->series_description != NULL && *volume->series_description
           ? volume->series_description : _("Unnamed series"));
  set_row (self->modality_row, volume->modality != NULL ? volume->modality : _("Unknown"));
  set_row (self->date_row, date);
  set_row (self->position_row, position);
  set_row (self->matrix_row, matrix);
  set_row (self->slices_row, slices);
  set_row (self->spacing_row, spacing);
  set_row (self->orientation_row, orientation);
  set_row (self->hu_row, hu);

  /* The views follow the volume at once; the window row follows the viewer. */
  fidac_window_view_show_volume (self);
  set_state (self, FIDAC_WINDOW_STATE_RESULT);
  fidac_window_view_focus (self);
  record_case (self);
}

/* Chooser ---------------------------------------------------------------------------- */

static gint
series_rank (const FidacSeriesInfo *info)
{
  if (!fidac_series_is_image (info))
    return 2;
  return g_strcmp0 (info->modality, "CT") == 0 ? 0 : 1;
}

static GtkWidget *
series_row_new (const FidacSeriesInfo *info)
{
  gboolean image = fidac_series_is_image (info);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  g_autofree gchar *subtitle = fidac_format_series_summary (info);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 info->series_description != NULL && *info->series_description
                                 ? info->series_description : _("Unnamed series"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  icon = gtk_image_new_from_icon_name (image ? "image-x-generic-symbolic" : "text-x-generic-symbolic");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  if (image)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), image);
  gtk_widget_set_sensitive (row, image);
  g_object_set_data_full (G_OBJECT (row), "fidac-series-uid", g_strdup (info->series_uid), g_free);
  return row;
}

static void
show_chooser (FidacWindow *self,
              FidacScan   *scan)
{
  GtkWidget *child;
  GtkListBoxRow *first = NULL;
  g_autofree gchar *text = NULL;

  g_clear_pointer (&self->scan, fidac_scan_free);
  self->scan = scan;
  g_ptr_array_set_size (self->scan_warnings, 0);
  for (guint i = 0; i < scan->warnings->len; i++)
    g_ptr_array_add (self->scan_warnings, g_strdup (g_ptr_array_index (scan->warnings, i)));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->series_list))) != NULL)
    gtk_list_box_remove (self->series_list, child);

  /* CT first, then other images, then what cannot be shown; the scan's order within. */
  for (gint rank = 0; rank <= 2; rank++)
    for (guint i = 0; i < scan->series->len; i++)
      {
        const FidacSeriesInfo *info = g_ptr_array_index (scan->series, i);
        GtkWidget *row;

        if (series_rank (info) != rank)
          continue;
        row = series_row_new (info);
        gtk_list_box_append (self->series_list, row);
        if (first == NULL && rank < 2)
          first = GTK_LIST_BOX_ROW (row);
      }
  gtk_list_box_select_row (self->series_list, first);

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "“%s” holds %u series. Choose the one to open.",
                                       "“%s” holds %u series. Choose the one to open.",
                                       scan->series->len),
                          self->load_name, scan->series->len);
  gtk_label_set_text (self->chooser_label, text);
  set_state (self, FIDAC_WINDOW_STATE_CHOOSER);
  if (first != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (first));
}

/* Loading ---------------------------------------------------------------------------- */

static void choose_row (FidacWindow   *self,
                        GtkListBoxRow *row);

static gboolean
progress_poll_cb (gpointer user_data)
{
  FidacWindow *self = FIDAC_WINDOW (user_data);
  FidacCaseLoad *load = self->load;
  g_autofree gchar *text = NULL;

  if (load == NULL)
    return G_SOURCE_CONTINUE;

  switch (fidac_case_load_get_phase (load))
    {
    case FIDAC_CASE_LOAD_PHASE_DEMO:
      gtk_label_set_text (self->loading_label, _("Writing the demo case (first start only)…"));
      gtk_progress_bar_set_show_text (self->progress_bar, FALSE);
      gtk_progress_bar_pulse (self->progress_bar);
      break;
    case FIDAC_CASE_LOAD_PHASE_SCAN:
      gtk_label_set_text (self->loading_label, _("Reading DICOM headers…"));
      gtk_progress_bar_set_show_text (self->progress_bar, TRUE);
      gtk_progress_bar_set_fraction (self->progress_bar, fidac_case_load_get_fraction (load));
      break;
    case FIDAC_CASE_LOAD_PHASE_DECODE:
    default:
      /* The worker sets load->series before it publishes this phase. */
      if (load->series != NULL)
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Decoding %u image…",
                                             "Decoding %u images…", load->series->n_frames),
                                load->series->n_frames);
      gtk_label_set_text (self->loading_label, text != NULL ? text : "");
      gtk_progress_bar_set_show_text (self->progress_bar, TRUE);
      gtk_progress_bar_set_fraction (self->progress_bar, fidac_case_load_get_fraction (load));
      break;
    }
  return G_SOURCE_CONTINUE;
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  FidacWindow *self = FIDAC_WINDOW (source);
  g_autoptr(FidacCaseLoad) load = fidac_case_load_ref (fidac_case_load_from_result (result));
  g_autoptr(GError) error = NULL;
  g_autofree gchar *title = NULL;
  gboolean ok;

  ok = fidac_case_load_run_finish (result, &error);
  self->n_pending--;

  /* Cancelled or replaced by a newer open: whatever it produced is never shown. */
  if (load != self->load)
    return;

  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_clear_pointer (&self->load, fidac_case_load_unref);
  g_clear_object (&self->cancellable);

  if (!ok)
    {
      title = g_strdup_printf (_("Could not open “%s”"), self->load_name);
      show_error (self, title, error->message);
      return;
    }
  /* Where the list opens the case again; the demo's folder is known only now. */
  if (load->paths->len == 1)
    {
      g_free (self->open_path);
      self->open_path = g_strdup (g_ptr_array_index (load->paths, 0));
    }
  if (load->scan != NULL)
    {
      g_autofree gchar *wanted = g_steal_pointer (&self->wanted_series_uid);

      show_chooser (self, g_steal_pointer (&load->scan));
      /* A case from the local list names its series: no need to ask again. */
      for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->series_list));
           wanted != NULL && row != NULL; row = gtk_widget_get_next_sibling (row))
        if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "fidac-series-uid"), wanted) == 0)
          {
            choose_row (self, GTK_LIST_BOX_ROW (row));
            break;
          }
      return;
    }
  show_volume (self, g_steal_pointer (&load->volume), load->hu_min, load->hu_max,
               load->scan_warnings);
}

static void
start_load (FidacWindow   *self,
            FidacCaseLoad *load,
            const gchar   *name)
{
  g_autofree gchar *title = NULL;

  cancel_current (self);
  /* A new open answers the last error; a new one will say so again. */
  dismiss_error (self);
  if (self->state != FIDAC_WINDOW_STATE_LOADING)
    self->return_state = self->state == FIDAC_WINDOW_STATE_ERROR ? settled_state (self) : self->state;

  self->load = load;
  self->cancellable = g_cancellable_new ();
  g_free (self->load_name);
  self->load_name = g_strdup (name);

  title = g_strdup_printf (_("Opening “%s”"), name);
  adw_status_page_set_title (self->loading_page, title);
  gtk_label_set_text (self->loading_label, "");
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  set_state (self, FIDAC_WINDOW_STATE_LOADING);

  /* The worker only stores its progress; ten looks a second keep the main loop free
   * however often the decoder reports. */
  self->progress_source = g_timeout_add (100, progress_poll_cb, self);
  self->n_pending++;
  fidac_case_load_run_async (load, self, self->cancellable, load_done_cb, NULL);
}

static void
remember_folder (FidacWindow *self,
                 GFile       *file)
{
  g_autofree gchar *path = NULL;
  g_autoptr(GFile) folder = NULL;

  if (self->settings == NULL)
    return;
  if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY)
    folder = g_object_ref (file);
  else
    folder = g_file_get_parent (file);
  if (folder != NULL && (path = g_file_get_path (folder)) != NULL)
    g_settings_set_string (self->settings, "last-folder", path);
}

void
fidac_window_open_files (FidacWindow  *self,
                         GFile       **files,
                         guint         n_files)
{
  g_autoptr(FidacCaseLoad) load = NULL;
  g_autofree gchar *name = NULL;

  g_return_if_fail (FIDAC_IS_WINDOW (self));
  g_return_if_fail (n_files == 0 || files != NULL);

  if (n_files == 0)
    return;

  load = fidac_case_load_new ();
  for (guint i = 0; i < n_files; i++)
    {
      gchar *path = g_file_get_path (files[i]);

      if (path == NULL)
        {
          g_autofree gchar *uri = g_file_get_uri (files[i]);
          g_autofree gchar *message =
            g_strdup_printf (_("“%s” is not a local file; only files on this computer can be opened."), uri);

          cancel_current (self);
          show_error (self, _("Could not open the selection"), message);
          return;
        }
      g_ptr_array_add (load->paths, path);
    }

  g_clear_pointer (&self->wanted_series_uid, g_free);
  g_free (self->open_path);
  self->open_path = n_files == 1 ? g_strdup (g_ptr_array_index (load->paths, 0)) : NULL;
  if (n_files == 1)
    name = g_file_get_basename (files[0]);
  else
    name = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", n_files), n_files);
  remember_folder (self, files[0]);
  start_load (self, g_steal_pointer (&load), name);
}

void
fidac_window_open_demo (FidacWindow *self)
{
  FidacCaseLoad *load;

  g_return_if_fail (FIDAC_IS_WINDOW (self));

  g_clear_pointer (&self->wanted_series_uid, g_free);
  g_clear_pointer (&self->open_path, g_free);
  load = fidac_case_load_new ();
  load->demo_cache_dir = g_build_filename (g_get_user_cache_dir (), "fidac", NULL);
  start_load (self, load, _("Demo Phantom"));
}

static void
choose_row (FidacWindow   *self,
            GtkListBoxRow *row)
{
  const gchar *uid = g_object_get_data (G_OBJECT (row), "fidac-series-uid");
  g_autoptr(GError) error = NULL;
  const FidacSeriesInfo *info;
  FidacCaseLoad *load;
  g_autofree gchar *name = NULL;

  if (self->scan == NULL || !gtk_widget_get_sensitive (GTK_WIDGET (row)))
    return;
  info = fidac_scan_pick (self->scan, uid, &error);
  if (info == NULL)
    {
      show_error (self, _("Could not open the series"), error->message);
      return;
    }

  load = fidac_case_load_new ();
  load->series = fidac_series_info_copy (info);
  for (guint i = 0; i < self->scan_warnings->len; i++)
    g_ptr_array_add (load->scan_warnings, g_strdup (g_ptr_array_index (self->scan_warnings, i)));
  name = g_strdup (info->series_description != NULL && *info->series_description
                   ? info->series_description : _("Unnamed series"));
  start_load (self, load, name);
}

static void
series_list_row_activated_cb (GtkListBox    *list,
                              GtkListBoxRow *row,
                              FidacWindow   *self)
{
  choose_row (self, row);
}

static void
series_list_row_selected_cb (GtkListBox    *list,
                             GtkListBoxRow *row,
                             FidacWindow   *self)
{
  update_actions (self);
}

/* File chooser ------------------------------------------------------------------------- */

static GFile *
chooser_start_folder (FidacWindow *self)
{
  g_autofree gchar *last = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GFile) parent = NULL;

  if (self->settings == NULL)
    return NULL;
  last = g_settings_get_string (self->settings, "last-folder");
  if (last == NULL || *last == '\0' || !g_file_test (last, G_FILE_TEST_IS_DIR))
    return NULL;
  /* Cases sit side by side: start in the folder holding the last one, next to its siblings. */
  folder = g_file_new_for_path (last);
  parent = g_file_get_parent (folder);
  return parent != NULL ? g_steal_pointer (&parent) : g_steal_pointer (&folder);
}

static void
open_list_model (FidacWindow *self,
                 GListModel  *model)
{
  guint n = g_list_model_get_n_items (model);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (files, g_list_model_get_item (model, i));
  fidac_window_open_files (self, (GFile **) files->pdata, files->len);
}

static void
files_chosen_cb (GtkWindow  *parent,
                 GListModel *files)
{
  open_list_model (FIDAC_WINDOW (parent), files);
}

static void
run_file_chooser (FidacWindow *self,
                  gboolean     folder)
{
  g_autoptr(GFile) start = chooser_start_folder (self);

  fidac_file_chooser_run (GTK_WINDOW (self), folder, start, files_chosen_cb);
}

/* Actions ---------------------------------------------------------------------------- */

static void
open_action (GtkWidget   *widget,
             const gchar *action_name,
             GVariant    *parameter)
{
  run_file_chooser (FIDAC_WINDOW (widget), TRUE);
}

static void
open_files_action (GtkWidget   *widget,
                   const gchar *action_name,
                   GVariant    *parameter)
{
  run_file_chooser (FIDAC_WINDOW (widget), FALSE);
}

static void
open_demo_action (GtkWidget   *widget,
                  const gchar *action_name,
                  GVariant    *parameter)
{
  fidac_window_open_demo (FIDAC_WINDOW (widget));
}

static void
cancel_load_action (GtkWidget   *widget,
                    const gchar *action_name,
                    GVariant    *parameter)
{
  FidacWindow *self = FIDAC_WINDOW (widget);

  if (self->state == FIDAC_WINDOW_STATE_LOADING)
    {
      FidacWindowState back = self->return_state;

      cancel_current (self);
      if (back == FIDAC_WINDOW_STATE_CHOOSER && self->scan == NULL)
        back = settled_state (self);
      set_state (self, back);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Loading cancelled")));
    }
  else if (self->state == FIDAC_WINDOW_STATE_CHOOSER)
    {
      g_clear_pointer (&self->scan, fidac_scan_free);
      set_state (self, settled_state (self));
    }
}

static void
open_series_action (GtkWidget   *widget,
                    const gchar *action_name,
                    GVariant    *parameter)
{
  FidacWindow *self = FIDAC_WINDOW (widget);
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->series_list);

  if (row != NULL)
    choose_row (self, row);
}

static void
local_cases_action (GtkWidget   *widget,
                    const gchar *action_name,
                    GVariant    *parameter)
{
  gtk_menu_button_popup (GTK_MENU_BUTTON (gtk_widget_get_template_child (widget, FIDAC_TYPE_WINDOW,
                                                                          "cases_button")));
}

static void
dismiss_error_action (GtkWidget   *widget,
                      const gchar *action_name,
                      GVariant    *parameter)
{
  dismiss_error (FIDAC_WINDOW (widget));
}

/* Drag and drop -------------------------------------------------------------------------- */

gboolean
fidac_window_handle_drop (FidacWindow  *self,
                          const GValue *value)
{
  GSList *list;
  g_autoptr(GPtrArray) files = NULL;

  g_return_val_if_fail (FIDAC_IS_WINDOW (self), FALSE);

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || g_value_get_boxed (value) == NULL)
    return FALSE;

  list = gdk_file_list_get_files (g_value_get_boxed (value));
  files = g_ptr_array_new_with_free_func (g_object_unref);
  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, g_object_ref (l->data));
  g_slist_free (list);
  if (files->len == 0)
    return FALSE;

  fidac_window_open_files (self, (GFile **) files->pdata, files->len);
  return TRUE;
}

static GdkDragAction
drop_enter_cb (GtkDropTarget *target,
               gdouble        x,
               gdouble        y,
               FidacWindow   *self)
{
  gtk_widget_set_visible (self->drop_highlight, TRUE);
  return GDK_ACTION_COPY;
}

static void
drop_leave_cb (GtkDropTarget *target,
               FidacWindow   *self)
{
  gtk_widget_set_visible (self->drop_highlight, FALSE);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         gdouble        x,
         gdouble        y,
         FidacWindow   *self)
{
  gtk_widget_set_visible (self->drop_highlight, FALSE);
  return fidac_window_handle_drop (self, value);
}

/* Object ------------------------------------------------------------------------------ */

static void
fidac_window_dispose (GObject *object)
{
  FidacWindow *self = FIDAC_WINDOW (object);

  cancel_current (self);
  self->start_cases = NULL;
  self->popover_cases = NULL;
  /* The views let go of the volume before it goes. */
  fidac_window_view_dispose (self);
  g_clear_pointer (&self->scan, fidac_scan_free);
  g_clear_pointer (&self->volume, fidac_volume_free);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), FIDAC_TYPE_WINDOW);

  G_OBJECT_CLASS (fidac_window_parent_class)->dispose (object);
}

static void
fidac_window_finalize (GObject *object)
{
  FidacWindow *self = FIDAC_WINDOW (object);

  g_clear_pointer (&self->scan_warnings, g_ptr_array_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_free (self->load_name);
  g_free (self->shown_name);
  g_free (self->error_message);
  g_free (self->open_path);
  g_free (self->wanted_series_uid);

  G_OBJECT_CLASS (fidac_window_parent_class)->finalize (object);
}

static void
fidac_window_class_init (FidacWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fidac_window_dispose;
  object_class->finalize = fidac_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/fr/radiologie/Fidac/fidac-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, error_banner_label);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, drop_area);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, drop_highlight);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, loading_label);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, chooser_label);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, series_list);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, warnings_box);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, warnings_title);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, warnings_label);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, description_row);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, modality_row);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, date_row);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, position_row);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, matrix_row);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, slices_row);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, spacing_row);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, orientation_row);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, hu_row);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, window_row);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, error_page);
  gtk_widget_class_bind_template_callback (widget_class, series_list_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, series_list_row_selected_cb);
  fidac_window_view_class_init (widget_class);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-files", NULL, open_files_action);
  gtk_widget_class_install_action (widget_class, "win.open-demo", NULL, open_demo_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-load", NULL, cancel_load_action);
  gtk_widget_class_install_action (widget_class, "win.open-series", NULL, open_series_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-error", NULL, dismiss_error_action);
  gtk_widget_class_install_action (widget_class, "win.local-cases", NULL, local_cases_action);
  gtk_widget_class_bind_template_child_full (widget_class, "start_cases_box", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "popover_cases_box", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "cases_popover", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "cases_button", FALSE, 0);
}

static void
fidac_window_init (FidacWindow *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->scan_warnings = g_ptr_array_new_with_free_func (g_free);
  fidac_window_view_init (self);

  self->start_cases = case_list_new (self, GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), FIDAC_TYPE_WINDOW, "start_cases_box")));
  self->popover_cases = case_list_new (self, GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), FIDAC_TYPE_WINDOW, "popover_cases_box")));
  g_signal_connect_object (gtk_widget_get_template_child (GTK_WIDGET (self), FIDAC_TYPE_WINDOW, "cases_popover"),
                           "show", G_CALLBACK (cases_popover_show_cb), self, 0);
  g_signal_connect_object (fidac_viewer_get_annotation (self->viewer), "stroke-finished",
                           G_CALLBACK (stroke_finished_cb), self, 0);

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "enter", G_CALLBACK (drop_enter_cb), self);
  g_signal_connect (target, "leave", G_CALLBACK (drop_leave_cb), self);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (self->drop_area, GTK_EVENT_CONTROLLER (target));

  set_state (self, FIDAC_WINDOW_STATE_EMPTY);
}

FidacWindow *
fidac_window_new (FidacApplication *application)
{
  FidacWindow *self;
  GSettings *settings;

  g_return_val_if_fail (FIDAC_IS_APPLICATION (application), NULL);

  self = g_object_new (FIDAC_TYPE_WINDOW, "application", application, NULL);
  settings = fidac_application_get_settings (application);
  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
      g_signal_connect_object (settings, "changed::reader-id", G_CALLBACK (reader_id_changed_cb),
                               self, 0);
      reader_id_changed_cb (settings, "reader-id", self);
    }
  return self;
}
