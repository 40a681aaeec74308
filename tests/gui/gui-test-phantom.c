/* gui-test-phantom.c: a window showing a small phantom (see gui-test-phantom.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "fidac-dicom.h"
#include "fidac-store.h"
#include "fidac-test-support.h"
#include "gui-test-phantom.h"
#include "gui-test-support.h"

FidacMprView *
gui_test_view (GuiTestPhantom *f,
               FidacView       view)
{
  return fidac_mpr_layout_get_view (fidac_window_get_layout (f->window), view);
}

gboolean
gui_test_views_drawn (gpointer data)
{
  GuiTestPhantom *f = data;

  for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
    if (!gtk_widget_get_mapped (GTK_WIDGET (gui_test_view (f, v))) ||
        fidac_mpr_view_get_n_frames (gui_test_view (f, v)) == 0)
      return FALSE;
  return TRUE;
}

gboolean
gui_test_phantom_ready (gpointer data)
{
  GuiTestPhantom *f = data;

  return gui_test_views_drawn (f) && gtk_widget_get_mapped (GTK_WIDGET (f->panel)) &&
         gtk_widget_get_width (GTK_WIDGET (f->panel)) > 0;
}

void
gui_test_open_window (GuiTestPhantom *f)
{
  g_autofree gchar *folder = g_build_filename (f->tmp, "phantom", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (folder);

  f->window = fidac_window_new (f->app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), GUI_TEST_WINDOW_WIDTH,
                               GUI_TEST_WINDOW_HEIGHT);
  gtk_window_present (GTK_WINDOW (f->window));
  fidac_window_open_files (f->window, &file, 1);
  gui_test_wait_until (gui_test_window_settled, f->window, "phantom loaded");
  g_assert_cmpint (fidac_window_get_state (f->window), ==, FIDAC_WINDOW_STATE_RESULT);
  f->viewer = fidac_window_get_viewer (f->window);
  f->annotation = fidac_viewer_get_annotation (f->viewer);
  f->panel = fidac_window_get_lesion_panel (f->window);
  g_assert_nonnull (fidac_annotation_get_map (f->annotation));
  f->scale = gtk_widget_get_scale_factor (GTK_WIDGET (f->window));
}

void
gui_test_close_window (GuiTestPhantom *f)
{
  g_object_ref (f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  gui_test_wait_until (gui_test_window_idle, f->window, "workers finished");
  g_object_unref (f->window);
  f->window = NULL;
}

FidacVolume *
gui_test_phantom_new (gint    columns,
                      gint    rows,
                      gint    slices,
                      gdouble pixel_spacing,
                      gdouble slice_spacing,
                      gdouble rotation_degrees)
{
  FidacPhantomOptions options;
  g_autoptr(GError) error = NULL;
  FidacVolume *volume;

  fidac_phantom_options_init (&options);
  options.columns = columns;
  options.rows = rows;
  options.slices = slices;
  options.pixel_spacing = pixel_spacing;
  options.slice_spacing = slice_spacing;
  options.rotation_degrees = rotation_degrees;
  volume = fidac_phantom_new (&options, &error);
  g_assert_no_error (error);
  return volume;
}

void
gui_test_write_series (const FidacVolume *volume,
                       const gchar       *folder)
{
  FidacDicomWriteOptions options;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  fidac_dicom_write_options_init (&options);
  fidac_dicom_write_series (volume, &options, folder, NULL, &error);
  g_assert_no_error (error);
}

/* Takes `volume`, writes it in a fresh folder (also the store's) and opens it. */
static void
set_up_with (GuiTestPhantom   *f,
             FidacApplication *app,
             FidacVolume      *volume)
{
  g_autofree gchar *folder = NULL;

  f->app = app;
  f->tmp = fidac_test_mkdtemp ();
  /* The store of this test alone (read when a window opens it). */
  g_setenv ("FIDAC_DATA_DIR", f->tmp, TRUE);
  f->volume = volume;
  folder = g_build_filename (f->tmp, "phantom", NULL);
  gui_test_write_series (f->volume, folder);

  gui_test_open_window (f);
}

void
gui_test_phantom_set_up (GuiTestPhantom   *f,
                         FidacApplication *app)
{
  set_up_with (f, app, gui_test_phantom_new (96, 80, 24, 2.0, 4.0, 0.0));
}

void
gui_test_chest_set_up (GuiTestPhantom   *f,
                       FidacApplication *app)
{
  set_up_with (f, app, gui_test_phantom_new (128, 104, 36, 3.0, 7.0, 0.0));
}

void
gui_test_phantom_tear_down (GuiTestPhantom *f)
{
  if (f->window != NULL)
    gui_test_close_window (f);
  g_clear_pointer (&f->volume, fidac_volume_free);
  fidac_test_rmtree (f->tmp);
  g_free (f->tmp);
  gui_test_settle ();
}

gsize
gui_test_map_size (const FidacLabelMap *map)
{
  return (gsize) map->dims[0] * map->dims[1] * map->dims[2];
}

gboolean
gui_test_one_window (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      n += gtk_widget_get_mapped (window) ? 1 : 0;

    }
  return n == 1;
}

static gboolean
status_saved (gpointer data)
{
  GuiTestPhantom *f = data;

  return g_str_has_prefix (fidac_lesion_panel_get_status (f->panel), "Saved at each stroke for ");
}

/* The first time a paint tool is taken, the reader is asked (the settings are in memory, for
 * the whole test program); afterwards the panel knows the reader. */
void
gui_test_answer_reader (GuiTestPhantom *f)
{
  static gboolean answered = FALSE;
  GtkEntry *name, *id;
  GtkDropDown *role;
  GtkWidget *dialog;

  dialog = fidac_lesion_panel_get_reader_dialog (f->panel, &name, &id, &role);
  if (answered)
    g_assert_null (dialog);
  else
    {
      g_assert_nonnull (dialog);
      g_assert_cmpstr (fidac_lesion_panel_get_status (f->panel), ==, "Not saved: no reader yet");
      g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save"));
      gtk_editable_set_text (GTK_EDITABLE (name), "Dr Test");
      g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save"));
      gtk_editable_set_text (GTK_EDITABLE (id), "10001234567");
      gtk_drop_down_set_selected (role, 1);
      g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save"));
      /* A click on the button emits the response, then closes the dialog. */
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "save");
      gtk_window_destroy (GTK_WINDOW (dialog));
      answered = TRUE;
    }
  gui_test_wait_until (status_saved, f, "the annotation tied to the store");
  /* The dialog gone, clicks reach the window again. */
  gui_test_wait_until (gui_test_one_window, NULL, "the reader dialog closed");
  gui_test_settle ();
  g_assert_cmpstr (fidac_lesion_panel_get_status (f->panel), ==, "Saved at each stroke for Dr Test (reviewer)");
  g_assert_cmpint (fidac_annotation_get_tool (f->annotation), ==, FIDAC_TOOL_BRUSH);
  g_assert_cmpint (fidac_annotation_get_stored_id (f->annotation), >, 0);
}

/* What the store holds for the annotation shown, read through a connection of its own. */
void
gui_test_assert_stored (GuiTestPhantom *f,
                        const guint8   *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (f->volume, &error);
  FidacStore *store;

  g_assert_no_error (error);
  store = fidac_store_open (fidac_store_get_path (fidac_annotation_get_store (f->annotation)), &error);
  g_assert_no_error (error);
  fidac_store_load_labels (store, fidac_annotation_get_stored_id (f->annotation), map, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (map->labels, gui_test_map_size (map), expected, gui_test_map_size (map));
  fidac_store_close (store);
}

gboolean
gui_test_tool_is (gpointer data)
{
  GuiTestWant *w = data;

  return fidac_annotation_get_tool (w->f->annotation) == w->tool;
}

gboolean
gui_test_class_is (gpointer data)
{
  GuiTestWant *w = data;

  return fidac_annotation_get_class (w->f->annotation) == w->id;
}

gboolean
gui_test_stroke_done (gpointer data)
{
  GuiTestWant *w = data;

  return !fidac_annotation_in_stroke (w->f->annotation) &&
         fidac_annotation_get_n_undo (w->f->annotation) == w->n_undo;
}

gboolean
gui_test_map_is (gpointer data)
{
  GuiTestMapIs *m = data;

  return memcmp (m->map->labels, m->expected, gui_test_map_size (m->map)) == 0;
}

#ifdef GDK_WINDOWING_X11
void
gui_test_click (GuiTestPhantom *f,
                GtkWidget      *widget)
{
  gui_test_move_to (GTK_WIDGET (f->window), f->scale, widget,
                    gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0);
  gui_test_settle ();
  gui_test_xdotool (GTK_WIDGET (f->window), "click 1");
}
#endif
