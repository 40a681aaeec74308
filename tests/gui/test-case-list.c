/* test-case-list.c: the local case list of the window, on a store of the test's own
 * (FIDAC_DATA_DIR) filled through the store API: rows, order, progress tags per reader,
 * the search, opening a case, a case whose folder is gone, and the refresh after a stroke.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "fidac-annotation.h"
#include "fidac-application.h"
#include "fidac-case-list.h"
#include "fidac-dicom.h"
#include "fidac-phantom.h"
#include "fidac-store.h"
#include "fidac-test-support.h"
#include "fidac-window-private.h"
#include "gui-test-phantom.h"
#include "gui-test-support.h"

#define UID_ALPHA "1.2.826.0.1.3680043.10.999.1001"
#define UID_BETA  "1.2.826.0.1.3680043.10.999.1002"
#define UID_GAMMA "1.2.826.0.1.3680043.10.999.1003"

static FidacApplication *app;

typedef struct {
  gchar       *tmp;
  gchar       *phantom_dir;
  gchar       *alpha_dir;         /* recorded, never made: the missing folder */
  FidacVolume *volume;
  FidacWindow *window;
  FidacCaseList *list;
} Fixture;

/* The store ------------------------------------------------------------------------------ */

static void
put_case (FidacStore  *store,
          Fixture     *f,
          const gchar *uid,
          const gchar *description,
          const gchar *path)
{
  g_autoptr(FidacStoreCase) c = fidac_store_case_new_from_volume (f->volume, path);
  g_autoptr(GError) error = NULL;

  if (uid != NULL)
    {
      g_free (c->series_uid);
      c->series_uid = g_strdup (uid);
    }
  if (description != NULL)
    {
      g_free (c->description);
      c->description = g_strdup (description);
    }
  fidac_store_put_case (store, c, &error);
  g_assert_no_error (error);
}

/* A draft with one labelled voxel, of (uid, reader). */
static gint64
paint_one_voxel (FidacStore  *store,
                 Fixture     *f,
                 const gchar *uid,
                 const gchar *reader_id)
{
  FidacReader reader = { .name = reader_id, .id = reader_id, .role = FIDAC_READER_ROLE_EXPERT };
  g_autoptr(FidacStoreAnnotation) annotation = NULL;
  g_autoptr(FidacLabelMap) map = NULL;
  g_autoptr(GError) error = NULL;

  annotation = fidac_store_get_annotation (store, uid, &reader, TRUE, &error);
  g_assert_no_error (error);
  map = fidac_label_map_new (f->volume, &error);
  g_assert_no_error (error);
  fidac_label_map_set (map, 10, 10, 3, 1);
  fidac_store_save_slices (store, annotation->id, map, NULL, &error);
  g_assert_no_error (error);
  return annotation->id;
}

/* Modification times come from the clock: a pause keeps them apart. */
static void
tick (void)
{
  g_usleep (5000);
}

static void
fill_store (Fixture *f)
{
  g_autoptr(FidacStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  store = fidac_store_open (NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (fidac_store_get_path (store), f->tmp));

  /* Oldest: R1 has not started it, R2 has. */
  put_case (store, f, UID_ALPHA, "Thorax Alpha", f->alpha_dir);
  paint_one_voxel (store, f, UID_ALPHA, "R2");
  tick ();
  put_case (store, f, UID_BETA, "Thorax Beta", f->tmp);
  paint_one_voxel (store, f, UID_BETA, "R1");
  tick ();
  put_case (store, f, UID_GAMMA, "Lung Gamma", f->tmp);
  id = paint_one_voxel (store, f, UID_GAMMA, "R1");
  fidac_store_set_status (store, id, FIDAC_ANNOTATION_COMPLETE, &error);
  g_assert_no_error (error);
  tick ();
  /* Newest: the phantom, openable, nothing painted. */
  put_case (store, f, NULL, NULL, f->phantom_dir);
}

/* Fixture -------------------------------------------------------------------------------- */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  GSettings *settings = fidac_application_get_settings (app);

  f->tmp = fidac_test_mkdtemp ();
  g_setenv ("FIDAC_DATA_DIR", f->tmp, TRUE);
  f->phantom_dir = g_build_filename (f->tmp, "phantom", NULL);
  f->alpha_dir = g_build_filename (f->tmp, "gone", NULL);

  f->volume = gui_test_phantom_new (64, 48, 12, 4.0, 8.0, 0.0);
  gui_test_write_series (f->volume, f->phantom_dir);

  fill_store (f);

  g_assert_nonnull (settings);
  g_settings_set_string (settings, "reader-name", "Reader One");
  g_settings_set_string (settings, "reader-id", "R1");
  g_settings_set_string (settings, "reader-role", "expert");

  f->window = fidac_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  f->list = fidac_window_get_start_cases (f->window);
  g_assert_cmpint (fidac_window_get_state (f->window), ==, FIDAC_WINDOW_STATE_EMPTY);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GSettings *settings = fidac_application_get_settings (app);

  g_object_ref (f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  gui_test_wait_until (gui_test_window_idle, f->window, "workers finished");
  g_object_unref (f->window);
  g_settings_reset (settings, "reader-name");
  g_settings_reset (settings, "reader-id");
  g_settings_reset (settings, "reader-role");
  g_clear_pointer (&f->volume, fidac_volume_free);
  fidac_test_rmtree (f->tmp);
  g_free (f->tmp);
  g_free (f->phantom_dir);
  g_free (f->alpha_dir);
}

/* Helpers -------------------------------------------------------------------------------- */

static GtkListBoxRow *
row_of (FidacCaseList *list,
        const gchar   *uid)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (fidac_case_list_get_list_box (list)));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (child), "fidac-series-uid"), uid) == 0)
      return GTK_LIST_BOX_ROW (child);
  g_error ("no row for %s", uid);
  return NULL;
}

static const gchar *
status_of (FidacCaseList *list,
           const gchar   *uid)
{
  GtkLabel *tag = g_object_get_data (G_OBJECT (row_of (list, uid)), "fidac-status-label");

  return gtk_label_get_text (tag);
}

/* The shown rows as "uid=tag" joined with spaces. */
static gchar *
shown (FidacCaseList *list)
{
  g_autoptr(GPtrArray) uids = fidac_case_list_get_shown_uids (list);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < uids->len; i++)
    {
      const gchar *uid = g_ptr_array_index (uids, i);

      g_string_append_printf (text, "%s%s=%s", i > 0 ? " " : "", uid, status_of (list, uid));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gchar *
expected_all (Fixture     *f,
              const gchar *phantom,
              const gchar *alpha)
{
  return g_strdup_printf ("%s=%s " UID_GAMMA "=Complete " UID_BETA "=In progress "
                          UID_ALPHA "=%s", f->volume->series_uid, phantom, alpha);
}

typedef struct {
  FidacCaseList *list;
  guint          n;
} CountWait;

static gboolean
n_shown_is (gpointer data)
{
  CountWait *w = data;
  g_autoptr(GPtrArray) uids = fidac_case_list_get_shown_uids (w->list);

  return uids->len == w->n;
}

static void
search (FidacCaseList *list,
        const gchar   *text,
        guint          n)
{
  CountWait w = { list, n };

  gtk_editable_set_text (GTK_EDITABLE (fidac_case_list_get_search_entry (list)), text);
  /* The entry waits a moment before it reports the change. */
  gui_test_wait_until (n_shown_is, &w, "search applied");
}

/* Tests ---------------------------------------------------------------------------------- */

static void
test_rows (Fixture       *f,
           gconstpointer  data)
{
  g_autofree gchar *all = expected_all (f, "Not started", "Not started");
  g_autofree gchar *any = expected_all (f, "Not started", "In progress");
  g_autofree gchar *text = NULL;
  g_autofree gchar *popover = NULL;
  const gchar *uid = f->volume->series_uid;
  GtkListBoxRow *row;

  g_assert_cmpstr (fidac_case_list_get_reader_id (f->list), ==, "R1");
  text = shown (f->list);
  g_assert_cmpstr (text, ==, all);
  popover = shown (fidac_window_get_popover_cases (f->window));
  g_assert_cmpstr (popover, ==, all);

  row = row_of (f->list, UID_BETA);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Thorax Beta");
  /* The last 12 characters of the UID, the date, the slices. */
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "…10.999.1002 · 2020-04-15 · 12 slices");
  row = row_of (f->list, uid);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "FIDAC synthetic chest phantom");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (g_object_get_data (G_OBJECT (row_of (f->list, UID_GAMMA)),
                                                                           "fidac-status-label")),
                                           "complete"));
  g_assert_null (fidac_case_list_get_message (f->list));

  /* Without a reader, the most advanced annotation of anyone. */
  g_settings_set_string (fidac_application_get_settings (app), "reader-id", "");
  g_assert_null (fidac_case_list_get_reader_id (f->list));
  g_clear_pointer (&text, g_free);
  text = shown (f->list);
  g_assert_cmpstr (text, ==, any);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autofree gchar *all = expected_all (f, "Not started", "Not started");
  g_autofree gchar *text = NULL;

  search (f->list, "thorax", 2);
  text = shown (f->list);
  g_assert_cmpstr (text, ==, UID_BETA "=In progress " UID_ALPHA "=Not started");
  g_clear_pointer (&text, g_free);

  /* The UID, anywhere in it. */
  search (f->list, "999.1003", 1);
  text = shown (f->list);
  g_assert_cmpstr (text, ==, UID_GAMMA "=Complete");
  g_clear_pointer (&text, g_free);

  search (f->list, "  LUNG ", 1);
  text = shown (f->list);
  g_assert_cmpstr (text, ==, UID_GAMMA "=Complete");
  g_clear_pointer (&text, g_free);

  search (f->list, "nothing like this", 0);
  /* Enter with nothing left opens nothing. */
  g_signal_emit_by_name (fidac_case_list_get_search_entry (f->list), "activate");
  g_assert_cmpint (fidac_window_get_state (f->window), ==, FIDAC_WINDOW_STATE_EMPTY);
  g_assert_null (fidac_case_list_get_message (f->list));
  search (f->list, "", 4);
  text = shown (f->list);
  g_assert_cmpstr (text, ==, all);
}

static void
test_missing (Fixture       *f,
              gconstpointer  data)
{
  const gchar *message;

  g_assert_false (g_file_test (f->alpha_dir, G_FILE_TEST_EXISTS));
  gtk_widget_activate (GTK_WIDGET (row_of (f->list, UID_ALPHA)));
  message = fidac_case_list_get_message (f->list);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "Thorax Alpha"));
  g_assert_nonnull (strstr (message, f->alpha_dir));
  g_assert_nonnull (strstr (message, "no longer there"));
  /* Nothing was started. */
  g_assert_cmpint (fidac_window_get_state (f->window), ==, FIDAC_WINDOW_STATE_EMPTY);
  g_assert_cmpuint (fidac_window_get_n_pending (f->window), ==, 0);
  g_assert_false (fidac_case_list_open_case (f->list, UID_ALPHA));
  /* A refresh does not hide it: the reader has not seen it go. */
  fidac_case_list_refresh (f->list, NULL);
  g_assert_nonnull (fidac_case_list_get_message (f->list));
}

static gboolean
status_is_in_progress (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (status_of (f->list, f->volume->series_uid), "In progress") == 0 &&
         g_strcmp0 (status_of (fidac_window_get_popover_cases (f->window), f->volume->series_uid),
                    "In progress") == 0;
}

static void
test_open (Fixture       *f,
           gconstpointer  data)
{
  const gchar *uid = f->volume->series_uid;
  const FidacVolume *shown_volume;
  FidacAnnotation *annotation;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) uids = NULL;
  gdouble voxel[3], point[3];
  const gdouble normal[3] = { 0.0, 0.0, 1.0 };

  gtk_widget_activate (GTK_WIDGET (row_of (f->list, uid)));
  g_assert_null (fidac_case_list_get_message (f->list));
  gui_test_wait_until (gui_test_window_settled, f->window, "case opened");
  g_assert_cmpint (fidac_window_get_state (f->window), ==, FIDAC_WINDOW_STATE_RESULT);
  shown_volume = fidac_window_get_volume (f->window);
  g_assert_nonnull (shown_volume);
  g_assert_cmpstr (shown_volume->series_uid, ==, uid);
  g_assert_cmpint (shown_volume->dims[2], ==, 12);

  /* Opening it again put it first (it already was) and kept its folder. */
  uids = fidac_case_list_get_shown_uids (f->list);
  g_assert_cmpuint (uids->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (uids, 0), ==, uid);

  /* A stroke committed for R1 turns it "In progress" in both lists. */
  annotation = fidac_viewer_get_annotation (fidac_window_get_viewer (f->window));
  if (fidac_annotation_get_stored_id (annotation) == 0)
    {
      g_test_skip ("the annotation of the case shown is not stored");
      return;
    }
  fidac_annotation_set_tool (annotation, FIDAC_TOOL_BRUSH);
  voxel[0] = shown_volume->dims[0] / 2;
  voxel[1] = shown_volume->dims[1] / 2;
  voxel[2] = shown_volume->dims[2] / 2;
  fidac_volume_voxel_to_patient (shown_volume, voxel, point);
  fidac_annotation_stroke_begin (annotation, normal, point, &error);
  g_assert_no_error (error);
  fidac_annotation_stroke_end (annotation);
  gui_test_wait_until (status_is_in_progress, f, "the lists show the stroke");
}

/* A folder of two series: the case names one, and it opens without the chooser. */
static void
test_open_in_folder (Fixture       *f,
                     gconstpointer  data)
{
  FidacPhantomOptions phantom;
  FidacDicomWriteOptions options;
  g_autoptr(FidacVolume) healthy = NULL;
  g_autoptr(FidacStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *two = g_build_filename (f->tmp, "two", NULL);
  g_autofree gchar *a = g_build_filename (two, "a", NULL);
  g_autofree gchar *b = g_build_filename (two, "b", NULL);
  g_autoptr(FidacStoreCase) c = NULL;
  const FidacVolume *shown_volume;

  fidac_phantom_options_init (&phantom);
  phantom.columns = 48;
  phantom.rows = 40;
  phantom.slices = 10;
  phantom.pixel_spacing = 5.0;
  phantom.slice_spacing = 8.0;
  phantom.lesions = FALSE;
  healthy = fidac_phantom_new (&phantom, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (healthy->series_uid, !=, f->volume->series_uid);
  fidac_dicom_write_options_init (&options);
  g_assert_cmpint (g_mkdir_with_parents (a, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (b, 0700), ==, 0);
  fidac_dicom_write_series (healthy, &options, a, NULL, &error);
  g_assert_no_error (error);
  fidac_dicom_write_series (f->volume, &options, b, NULL, &error);
  g_assert_no_error (error);

  store = fidac_store_open (NULL, &error);
  g_assert_no_error (error);
  c = fidac_store_case_new_from_volume (healthy, two);
  fidac_store_put_case (store, c, &error);
  g_assert_no_error (error);
  g_clear_pointer (&store, fidac_store_close);

  fidac_case_list_refresh (f->list, &error);
  g_assert_no_error (error);
  g_assert_true (fidac_case_list_open_case (f->list, healthy->series_uid));
  gui_test_wait_until (gui_test_window_settled, f->window, "case opened");
  g_assert_cmpint (fidac_window_get_state (f->window), ==, FIDAC_WINDOW_STATE_RESULT);
  shown_volume = fidac_window_get_volume (f->window);
  g_assert_cmpstr (shown_volume->series_uid, ==, healthy->series_uid);
  g_assert_cmpint (shown_volume->dims[2], ==, 10);
}

/* Ctrl+L (win.local-cases) opens the header's popover with the same cases. */
static gboolean
popover_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
test_popover (Fixture       *f,
              gconstpointer  data)
{
  FidacCaseList *list = fidac_window_get_popover_cases (f->window);
  g_autofree gchar *all = expected_all (f, "Not started", "Not started");
  g_autofree gchar *text = NULL;
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                "win.local-cases");

  g_assert_cmpuint (g_strv_length (accels), ==, 1);
  g_assert_cmpstr (accels[0], ==, "<Control>l");
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (list)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.local-cases", NULL));
  gui_test_wait_until (popover_mapped, list, "popover shown");
  text = shown (list);
  g_assert_cmpstr (text, ==, all);

  /* Enter in its search opens the first case left, and closes it. */
  gtk_editable_set_text (GTK_EDITABLE (fidac_case_list_get_search_entry (list)), "synthetic");
  g_signal_emit_by_name (fidac_case_list_get_search_entry (list), "activate");
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_POPOVER)));
  gui_test_wait_until (gui_test_window_settled, f->window, "case opened");
  g_assert_cmpstr (fidac_window_get_volume (f->window)->series_uid, ==, f->volume->series_uid);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  app = gui_test_application_new ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add ("/fidac/gui/case-list/rows", Fixture, NULL, fixture_set_up, test_rows, fixture_tear_down);
  g_test_add ("/fidac/gui/case-list/search", Fixture, NULL, fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/fidac/gui/case-list/missing", Fixture, NULL, fixture_set_up, test_missing, fixture_tear_down);
  g_test_add ("/fidac/gui/case-list/open", Fixture, NULL, fixture_set_up, test_open, fixture_tear_down);
  g_test_add ("/fidac/gui/case-list/open-in-folder", Fixture, NULL, fixture_set_up, test_open_in_folder, fixture_tear_down);
  g_test_add ("/fidac/gui/case-list/popover", Fixture, NULL, fixture_set_up, test_popover, fixture_tear_down);

  status = g_test_run ();
  gui_test_application_free (g_steal_pointer (&app));
  return status;
}
