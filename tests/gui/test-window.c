/* test-window.c: the application and its window, for real, under Xvfb.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include <adwaita.h>

#include "fidac-application.h"
#include "fidac-case-format.h"
#include "fidac-dicom.h"
#include "fidac-phantom.h"
#include "fidac-test-support.h"
#include "fidac-window-level.h"
#include "fidac-window-private.h"
#include "gui-test-phantom.h"
#include "gui-test-support.h"

/* Generous: a slow CI machine under sanitizers. Exceeding it fails the test, it measures
 * nothing. */
#define WAIT_SECONDS 300

static FidacApplication *app;

typedef gboolean (*Condition) (FidacWindow *window);

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_until (FidacWindow *window,
            Condition    condition,
            const gchar *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint wake = g_timeout_add (20, wake_cb, NULL);

  while (!condition (window))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("window never reached: %s (state %d)", what, fidac_window_get_state (window));
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
}

static gboolean
settled (FidacWindow *window)
{
  return fidac_window_get_state (window) != FIDAC_WINDOW_STATE_LOADING &&
         fidac_window_get_n_pending (window) == 0;
}

static gboolean
idle (FidacWindow *window)
{
  return fidac_window_get_n_pending (window) == 0;
}

static FidacWindow *
window_new (void)
{
  FidacWindow *window = fidac_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
window_destroy (FidacWindow *window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  wait_until (window, idle, "workers finished");
  g_object_unref (window);
}

static FidacVolume *
phantom_new (gint     columns,
             gint     rows,
             gint     slices,
             gdouble  rotation_z)
{
  return gui_test_phantom_new (columns, rows, slices, 2.0, 4.0, rotation_z);
}

static gchar *
write_volume (const FidacVolume *volume,
              const gchar       *parent,
              const gchar       *name)
{
  gchar *folder = g_build_filename (parent, name, NULL);

  gui_test_write_series (volume, folder);
  return folder;
}

static void
open_path (FidacWindow *window,
           const gchar *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  fidac_window_open_files (window, &file, 1);
}

static gboolean
views_mapped (FidacWindow *window)
{
  FidacMprLayout *layout = fidac_window_get_layout (window);

  for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
    if (!gtk_widget_get_mapped (GTK_WIDGET (fidac_mpr_layout_get_view (layout, v))))
      return FALSE;
  return TRUE;
}

/* The three views show the case: the axial one on the middle slice, in the lung window,
 * and, whatever way the rows and columns run, an axial view reads patient right on the
 * left and anterior at the top. */
static void
assert_views_shown (FidacWindow       *window,
                    const FidacVolume *volume)
{
  FidacViewer *viewer = fidac_window_get_viewer (window);
  const FidacMpr *mpr = fidac_viewer_get_mpr (viewer);
  gint index, count;
  gdouble position;
  FidacPlane plane;
  gchar left[4], right[4], top[4], bottom[4];

  g_assert_nonnull (mpr);
  g_assert_true (fidac_viewer_get_volume (viewer) == fidac_window_get_volume (window));
  g_assert_cmpstr (fidac_viewer_get_volume (viewer)->series_uid, ==, volume->series_uid);
  fidac_mpr_get_slice (mpr, FIDAC_VIEW_AXIAL, &index, &count, &position);
  g_assert_cmpint (count, ==, volume->dims[2]);
  g_assert_cmpint (index, ==, volume->dims[2] / 2);
  g_assert_cmpfloat (mpr->window_width, ==, FIDAC_WINDOW_LUNG_WIDTH);
  g_assert_cmpfloat (mpr->window_level, ==, FIDAC_WINDOW_LUNG_LEVEL);
  g_assert_false (mpr->invert);
  g_assert_cmpstr (fidac_window_get_detail (window, "window"), ==, "Lung, width 1500, level -600");

  fidac_mpr_get_plane (mpr, FIDAC_VIEW_AXIAL, 200, 100, &plane);
  fidac_mpr_plane_letters (&plane, left, right, top, bottom);
  g_assert_cmpstr (left, ==, "R");
  g_assert_cmpstr (right, ==, "L");
  g_assert_cmpstr (top, ==, "A");
  g_assert_cmpstr (bottom, ==, "P");

  /* The default layout shows all three. */
  g_assert_cmpint (fidac_mpr_layout_get_layout (fidac_window_get_layout (window)), ==,
                   FIDAC_LAYOUT_ONE_PLUS_TWO);
  wait_until (window, views_mapped, "views on screen");
}

static void
assert_details (FidacWindow       *window,
                const FidacVolume *volume)
{
  g_autofree gchar *slices = g_strdup_printf ("%d", volume->dims[2]);
  g_autofree gchar *matrix = g_strdup_printf ("%d × %d", volume->dims[0], volume->dims[1]);
  g_autofree gchar *hu = NULL;
  gint16 hu_min, hu_max;

  g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_RESULT);
  g_assert_cmpstr (fidac_window_get_detail (window, "slices"), ==, slices);
  g_assert_cmpstr (fidac_window_get_detail (window, "matrix"), ==, matrix);
  g_assert_cmpstr (fidac_window_get_detail (window, "modality"), ==, "CT");
  g_assert_cmpstr (fidac_window_get_detail (window, "description"), ==, volume->series_description);
  g_assert_cmpstr (fidac_window_get_detail (window, "date"), ==, "2020-04-15");
  g_assert_cmpstr (fidac_window_get_detail (window, "spacing"), ==, "2 × 2 × 4 mm");
  g_assert_cmpstr (fidac_window_get_volume (window)->series_uid, ==, volume->series_uid);
  fidac_volume_get_range (volume, &hu_min, &hu_max);
  hu = g_strdup_printf ("%d to %d HU", hu_min, hu_max);
  g_assert_cmpstr (fidac_window_get_detail (window, "hu"), ==, hu);
}

static void
test_open_phantom (void)
{
  g_autofree gchar *tmp = fidac_test_mkdtemp ();
  g_autoptr(FidacVolume) volume = phantom_new (96, 80, 21, 0);
  g_autofree gchar *folder = write_volume (volume, tmp, "phantom");
  FidacWindow *window = window_new ();

  g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_EMPTY);
  open_path (window, folder);
  g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_LOADING);
  wait_until (window, settled, "loaded");

  assert_details (window, volume);
  g_assert_cmpstr (fidac_window_get_detail (window, "position"), ==, "Head first, supine (HFS)");
  g_assert_true (g_str_has_prefix (fidac_window_get_detail (window, "orientation"), "Axial"));
  g_assert_null (fidac_window_get_error_message (window));
  assert_views_shown (window, volume);
  /* Nothing to warn about: the details stay out of the way of the views. */
  g_assert_false (fidac_window_get_details_shown (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-details", NULL));
  g_assert_true (fidac_window_get_details_shown (window));

  window_destroy (window);
  fidac_test_rmtree (tmp);
}

/* Turned by 180° about the patient's axis: columns run to the patient's right and rows to
 * anterior, so both flips are needed to show it the radiological way. */
static void
test_radiological_flip (void)
{
  g_autofree gchar *tmp = fidac_test_mkdtemp ();
  g_autoptr(FidacVolume) volume = phantom_new (64, 48, 9, 180);
  g_autofree gchar *folder = write_volume (volume, tmp, "turned");
  FidacWindow *window = window_new ();

  g_assert_cmpfloat (volume->axis[0][0], <, -0.99);
  g_assert_cmpfloat (volume->axis[1][1], <, -0.99);
  open_path (window, folder);
  wait_until (window, settled, "loaded");
  assert_details (window, volume);
  assert_views_shown (window, volume);

  window_destroy (window);
  fidac_test_rmtree (tmp);
}

static GtkListBoxRow *
series_row (FidacWindow *window,
            const gchar *uid,
            guint       *n_rows)
{
  GtkListBox *list = fidac_window_get_series_list (window);
  GtkListBoxRow *found = NULL;
  GtkListBoxRow *row;

  *n_rows = 0;
  for (gint i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      (*n_rows)++;
      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "fidac-series-uid"), uid) == 0)
        found = row;
    }
  return found;
}

static void
test_chooser (void)
{
  g_autofree gchar *tmp = fidac_test_mkdtemp ();
  g_autoptr(FidacVolume) a = phantom_new (64, 64, 12, 0);
  g_autoptr(FidacVolume) b = phantom_new (80, 72, 16, 0);
  g_autofree gchar *fa = write_volume (a, tmp, "a");
  g_autofree gchar *fb = write_volume (b, tmp, "b");
  FidacWindow *window = window_new ();
  GtkListBoxRow *row;
  guint n_rows;

  open_path (window, tmp);
  wait_until (window, settled, "scanned");
  g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_CHOOSER);
  g_assert_nonnull (series_row (window, a->series_uid, &n_rows));
  row = series_row (window, b->series_uid, &n_rows);
  g_assert_cmpuint (n_rows, ==, 2);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (row)));
  g_assert_nonnull (gtk_list_box_get_selected_row (fidac_window_get_series_list (window)));

  g_signal_emit_by_name (fidac_window_get_series_list (window), "row-activated", row);
  g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_LOADING);
  wait_until (window, settled, "chosen series loaded");
  assert_details (window, b);
  assert_views_shown (window, b);

  window_destroy (window);
  fidac_test_rmtree (tmp);
}

/* Segmentations beside their CT (dcmqi's examples): every series is listed, images first and
 * a CT pre-selected, the SEGs greyed out. */
static void
test_chooser_non_images (void)
{
  const gchar *root = g_getenv ("FIDAC_SHARED_DATA");
  g_autofree gchar *folder = NULL;
  FidacWindow *window;
  GtkListBox *list;
  GtkListBoxRow *row, *selected;
  gboolean seen_non_image = FALSE;
  guint n_seg = 0;

  folder = g_build_filename (root != NULL ? root : "../shared/data",
                             "interop", "dcmqi", "segmentations", NULL);
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_autofree gchar *msg = g_strdup_printf ("shared data %s is not present: skipped", folder);

      g_test_skip (msg);
      return;
    }

  window = window_new ();
  open_path (window, folder);
  wait_until (window, settled, "scanned");
  g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_CHOOSER);
  list = fidac_window_get_series_list (window);
  selected = gtk_list_box_get_selected_row (list);
  g_assert_true (selected == gtk_list_box_get_row_at_index (list, 0));
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (selected)), "CT"));
  for (gint i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      const gchar *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
      gboolean seg = g_str_has_prefix (subtitle, "SEG");

      g_assert_cmpint (gtk_widget_get_sensitive (GTK_WIDGET (row)), ==, !seg);
      /* Images first: nothing loadable after the first SEG. */
      if (seg)
        {
          seen_non_image = TRUE;
          n_seg++;
        }
      else
        g_assert_false (seen_non_image);
    }
  g_assert_cmpuint (n_seg, >=, 3);

  /* Escape leaves the chooser for where the window was. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-load", NULL));
  g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_EMPTY);

  window_destroy (window);
}

static void
test_cancel (void)
{
  g_autofree gchar *tmp = fidac_test_mkdtemp ();
  g_autoptr(FidacVolume) a = phantom_new (64, 64, 12, 0);
  g_autoptr(FidacVolume) b = phantom_new (128, 128, 60, 0);
  g_autofree gchar *fa = write_volume (a, tmp, "a");
  g_autofree gchar *fb = write_volume (b, tmp, "b");
  FidacWindow *window = window_new ();
  const FidacVolume *shown;

  /* Cancelled from an empty window: back to the empty state. */
  open_path (window, fb);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-load", NULL));
  g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_EMPTY);
  wait_until (window, idle, "cancelled worker finished");
  g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_EMPTY);
  g_assert_null (fidac_window_get_volume (window));

  /* Cancelled with a case shown: that case stays, and the late result never replaces it. */
  open_path (window, fa);
  wait_until (window, settled, "first case loaded");
  assert_details (window, a);
  shown = fidac_window_get_volume (window);
  open_path (window, fb);
  g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_LOADING);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-load", NULL));
  g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_RESULT);
  wait_until (window, idle, "cancelled worker finished");
  g_assert_true (fidac_window_get_volume (window) == shown);
  assert_details (window, a);
  assert_views_shown (window, a);

  /* A second open while one loads replaces it; the first one's result is dropped. */
  open_path (window, fb);
  open_path (window, fa);
  wait_until (window, settled, "second open loaded");
  assert_details (window, a);
  g_assert_true (fidac_window_get_volume (window) != shown);

  window_destroy (window);
  fidac_test_rmtree (tmp);
}

static void
write_file (const gchar *folder,
            const gchar *name,
            const gchar *data,
            gsize        length)
{
  g_autofree gchar *path = g_build_filename (folder, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, (gssize) length, &error);
  g_assert_no_error (error);
}

static void
test_broken_folder (void)
{
  g_autofree gchar *tmp = fidac_test_mkdtemp ();
  g_autofree gchar *broken = g_build_filename (tmp, "broken", NULL);
  g_autoptr(FidacVolume) a = phantom_new (64, 64, 12, 0);
  g_autofree gchar *fa = write_volume (a, tmp, "a");
  g_autofree gchar *first = g_build_filename (fa, "", NULL);
  gchar noise[4096];
  gchar header[200] = { 0 };
  FidacWindow *window = window_new ();
  const gchar *message;
  GRand *rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = (gchar) g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);
  memcpy (header + 128, "DICM", 4);
  g_assert_cmpint (g_mkdir_with_parents (broken, 0700), ==, 0);
  write_file (broken, "noise.dcm", noise, sizeof noise);
  write_file (broken, "truncated.dcm", header, sizeof header);
  write_file (broken, "empty.dcm", "", 0);

  open_path (window, broken);
  wait_until (window, settled, "error shown");
  g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_ERROR);
  message = fidac_window_get_error_message (window);
  g_assert_nonnull (message);
  g_assert_cmpuint (strlen (message), >, 10);
  g_assert_null (fidac_window_get_volume (window));

  /* With a case shown, the error is reported above it and the case stays. */
  open_path (window, fa);
  wait_until (window, settled, "case loaded");
  assert_details (window, a);
  g_assert_null (fidac_window_get_error_message (window));
  open_path (window, broken);
  wait_until (window, settled, "error shown over the case");
  g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_RESULT);
  g_assert_nonnull (fidac_window_get_error_message (window));
  assert_details (window, a);
  assert_views_shown (window, a);

  /* A path that does not exist. */
  {
    g_autofree gchar *missing = g_build_filename (tmp, "missing", NULL);

    open_path (window, missing);
    wait_until (window, settled, "error for a missing folder");
    g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_RESULT);
    g_assert_nonnull (fidac_window_get_error_message (window));
  }

  window_destroy (window);
  fidac_test_rmtree (tmp);
}

/* A case that loads with a warning (a stray file beside the slices) opens the details pane
 * with the warning in it, beside the views. */
static void
test_details_warnings (void)
{
  g_autofree gchar *tmp = fidac_test_mkdtemp ();
  g_autoptr(FidacVolume) a = phantom_new (64, 64, 12, 0);
  g_autofree gchar *fa = write_volume (a, tmp, "a");
  g_autofree gchar *notes = g_build_filename (fa, "notes.txt", NULL);
  g_autoptr(GPtrArray) warnings = NULL;
  FidacWindow *window = window_new ();

  write_file (fa, "notes.txt", "not an image\n", strlen ("not an image\n"));
  open_path (window, fa);
  wait_until (window, settled, "case with a warning loaded");
  assert_details (window, a);
  assert_views_shown (window, a);
  warnings = fidac_window_get_warnings (window);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "notes.txt"));
  g_assert_true (fidac_window_get_details_shown (window));

  /* Closed by hand, it stays closed for the next case without warnings, and a case with
   * warnings opens it again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-details", NULL));
  g_assert_false (fidac_window_get_details_shown (window));
  g_assert_cmpint (g_unlink (notes), ==, 0);
  open_path (window, fa);
  wait_until (window, settled, "case without warnings loaded");
  g_assert_false (fidac_window_get_details_shown (window));

  window_destroy (window);
  fidac_test_rmtree (tmp);
}

static void
test_drop (void)
{
  g_autofree gchar *tmp = fidac_test_mkdtemp ();
  g_autoptr(FidacVolume) a = phantom_new (64, 64, 12, 0);
  g_autofree gchar *fa = write_volume (a, tmp, "a");
  FidacWindow *window = window_new ();
  g_autoptr(GFile) file = g_file_new_for_path (fa);
  GSList *list = g_slist_prepend (NULL, file);
  GValue value = G_VALUE_INIT;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (list));
  g_slist_free (list);

  g_assert_true (fidac_window_handle_drop (window, &value));
  g_value_unset (&value);
  g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_LOADING);
  wait_until (window, settled, "dropped folder loaded");
  assert_details (window, a);
  assert_views_shown (window, a);

  window_destroy (window);
  fidac_test_rmtree (tmp);
}

/* Dropping the files of one series one by one (as a file manager selection does). */
static void
test_drop_files (void)
{
  g_autofree gchar *tmp = fidac_test_mkdtemp ();
  g_autoptr(FidacVolume) a = phantom_new (64, 64, 7, 0);
  g_autofree gchar *fa = write_volume (a, tmp, "a");
  FidacWindow *window = window_new ();
  g_autoptr(GDir) dir = g_dir_open (fa, 0, NULL);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  GSList *list = NULL;
  GValue value = G_VALUE_INIT;
  const gchar *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (fa, name, NULL);

      g_ptr_array_add (files, g_file_new_for_path (path));
      list = g_slist_prepend (list, g_ptr_array_index (files, files->len - 1));
    }
  g_assert_cmpuint (files->len, ==, 7);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (list));
  g_slist_free (list);

  g_assert_true (fidac_window_handle_drop (window, &value));
  g_value_unset (&value);
  wait_until (window, settled, "dropped files loaded");
  assert_details (window, a);
  assert_views_shown (window, a);

  window_destroy (window);
  fidac_test_rmtree (tmp);
}

/* Started with nothing to open, the program writes the demo phantom into the (private)
 * user cache and opens it; a second start reuses it. */
static void
test_demo (void)
{
  g_autofree gchar *demo = g_build_filename (g_get_user_cache_dir (), "fidac", "demo-phantom", NULL);
  g_autofree gchar *cache = g_build_filename (g_get_user_cache_dir (), "fidac", NULL);
  g_autoptr(FidacVolume) expected = NULL;
  FidacPhantomOptions options;
  g_autoptr(GError) error = NULL;
  FidacWindow *window;
  g_autoptr(GDir) dir = NULL;
  const gchar *name;

  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_false (g_file_test (demo, G_FILE_TEST_EXISTS));

  g_application_activate (G_APPLICATION (app));
  window = FIDAC_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_LOADING);
  wait_until (window, settled, "demo shown");

  fidac_phantom_options_init (&options);
  expected = fidac_phantom_new (&options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_RESULT);
  g_assert_cmpstr (fidac_window_get_detail (window, "slices"), ==, "120");
  g_assert_cmpstr (fidac_window_get_detail (window, "matrix"), ==, "256 × 256");
  g_assert_cmpstr (fidac_window_get_volume (window)->series_uid, ==, expected->series_uid);
  assert_views_shown (window, expected);
  g_assert_true (g_file_test (demo, G_FILE_TEST_IS_DIR));

  /* Only the finished demo is left in the cache, no temporary folder. */
  dir = g_dir_open (cache, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_cmpstr (name, ==, "demo-phantom");

  /* Opened again (a second window's start), the written demo is reused as it is. */
  {
    g_autofree gchar *marker = g_build_filename (demo, "marker", NULL);

    g_assert_true (g_file_set_contents (marker, "", 0, NULL));
    fidac_window_open_demo (window);
    wait_until (window, settled, "demo shown again");
    g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_RESULT);
    g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
  }

  window_destroy (window);
}

static void
test_format (void)
{
  static const struct {
    gdouble v[3];
    const gchar *letter;
  } directions[] = {
    { { 1, 0, 0 }, "L" }, { { -1, 0, 0 }, "R" }, { { 0, 1, 0 }, "P" },
    { { 0, -1, 0 }, "A" }, { { 0, 0, 1 }, "H" }, { { 0, 0, -1 }, "F" },
    { { -0.8, 0.6, 0 }, "R" }, { { 0.1, -0.3, 0.2 }, "A" },
  };
  struct {
    gdouble mm;
    const gchar *text;
  } mms[] = {
    { 0.703125, "0.703" }, { 2.5, "2.5" }, { 2.0, "2" }, { 1.25, "1.25" }, { 0.0005, "0.001" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (mms); i++)
    {
      g_autofree gchar *text = fidac_format_mm (mms[i].mm);

      g_assert_cmpstr (text, ==, mms[i].text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (directions); i++)
    g_assert_cmpstr (fidac_direction_letter (directions[i].v), ==, directions[i].letter);

  {
    g_autofree gchar *date = fidac_format_date ("20200415");
    g_autofree gchar *no_date = fidac_format_date (NULL);
    g_autofree gchar *odd_date = fidac_format_date ("2020");
    g_autofree gchar *ffs = fidac_format_position ("FFS");
    g_autofree gchar *odd = fidac_format_position ("XYZ");

    g_assert_cmpstr (date, ==, "2020-04-15");
    g_assert_cmpstr (no_date, ==, "Unknown");
    g_assert_cmpstr (odd_date, ==, "2020");
    g_assert_cmpstr (ffs, ==, "Feet first, supine (FFS)");
    g_assert_cmpstr (odd, ==, "XYZ");
  }
}

/* Window size comes from the settings, and an opened folder becomes the chooser's start. */
static void
test_settings (void)
{
  GSettings *settings = fidac_application_get_settings (app);
  g_autofree gchar *tmp = fidac_test_mkdtemp ();
  g_autofree gchar *last = NULL;
  FidacWindow *window;
  gint width, height;

  g_assert_nonnull (settings);
  g_settings_set_int (settings, "window-width", 1001);
  g_settings_set_int (settings, "window-height", 702);
  window = window_new ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1001);
  g_assert_cmpint (height, ==, 702);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 750);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1100);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 750);

  /* An empty folder: nothing to show, a message, and the folder is remembered anyway. */
  open_path (window, tmp);
  wait_until (window, settled, "empty folder answered");
  g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_ERROR);
  g_assert_nonnull (fidac_window_get_error_message (window));
  last = g_settings_get_string (settings, "last-folder");
  g_assert_cmpstr (last, ==, tmp);

  window_destroy (window);
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  fidac_test_rmtree (tmp);
}

static void
assert_accel (const gchar *action,
              const gchar *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  g_assert_true (g_strv_contains ((const gchar * const *) accels, accel));
}

static void
test_accels (void)
{
  assert_accel ("win.open", "<Control>o");
  assert_accel ("app.quit", "<Control>q");
  assert_accel ("window.close", "<Control>w");
  assert_accel ("win.cancel-load", "Escape");
  assert_accel ("win.show-help-overlay", "<Control>question");
  assert_accel ("win.toggle-details", "F9");
  assert_accel ("win.layout('single')", "<Control>3");
  g_assert_cmpint (adw_style_manager_get_color_scheme (adw_style_manager_get_default ()), ==,
                   ADW_COLOR_SCHEME_PREFER_DARK);
}

static void
test_about (void)
{
#if ADW_CHECK_VERSION (1, 5, 0)
  g_test_skip ("the about dialog is not a toplevel from libadwaita 1.5");
#else
  FidacWindow *window = window_new ();
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *about = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (toplevel))
        about = toplevel;
    }
  g_assert_nonnull (about);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "FIDAC");
  gtk_window_destroy (about);
  window_destroy (window);
#endif
}

/* A real series: LIDC-IDRI 0001, feet first, with three non-DICOM files beside the slices. */
static void
test_shared_lidc (void)
{
  g_autofree gchar *folder = fidac_test_shared_ct ("lidc-0001");
  FidacWindow *window;
  const FidacVolume *volume;
  g_autoptr(GPtrArray) warnings = NULL;
  gboolean seen_xml = FALSE;

  if (folder == NULL)
    return;
  window = window_new ();
  open_path (window, folder);
  wait_until (window, settled, "LIDC loaded");
  g_assert_cmpint (fidac_window_get_state (window), ==, FIDAC_WINDOW_STATE_RESULT);
  g_assert_cmpstr (fidac_window_get_detail (window, "slices"), ==, "133");
  g_assert_cmpstr (fidac_window_get_detail (window, "matrix"), ==, "512 × 512");
  g_assert_cmpstr (fidac_window_get_detail (window, "spacing"), ==, "0.703 × 0.703 × 2.5 mm");
  g_assert_cmpstr (fidac_window_get_detail (window, "position"), ==, "Feet first, supine (FFS)");
  g_assert_true (g_str_has_prefix (fidac_window_get_detail (window, "orientation"), "Axial"));
  volume = fidac_window_get_volume (window);
  g_assert_nonnull (volume);
  assert_views_shown (window, volume);
  warnings = fidac_window_get_warnings (window);
  g_assert_cmpuint (warnings->len, >=, 3);
  /* Warnings are read first: the details pane opens by itself. */
  g_assert_true (fidac_window_get_details_shown (window));
  for (guint i = 0; i < warnings->len; i++)
    if (strstr (g_ptr_array_index (warnings, i), "069.xml") != NULL)
      seen_xml = TRUE;
  g_assert_true (seen_xml);

  window_destroy (window);
}

int
main (int    argc,
      char **argv)
{
  g_autofree gchar *cache = NULL;
  int status;

  cache = gui_test_private_cache ();
  g_test_init (&argc, &argv, NULL);

  app = gui_test_application_new ();

  g_test_add_func ("/fidac/gui/format/values", test_format);
  g_test_add_func ("/fidac/gui/window/settings", test_settings);
  g_test_add_func ("/fidac/gui/app/accels", test_accels);
  g_test_add_func ("/fidac/gui/app/about", test_about);
  g_test_add_func ("/fidac/gui/window/shared-lidc", test_shared_lidc);
  g_test_add_func ("/fidac/gui/window/open-phantom", test_open_phantom);
  g_test_add_func ("/fidac/gui/window/radiological-flip", test_radiological_flip);
  g_test_add_func ("/fidac/gui/window/chooser", test_chooser);
  g_test_add_func ("/fidac/gui/window/chooser-non-images", test_chooser_non_images);
  g_test_add_func ("/fidac/gui/window/cancel", test_cancel);
  g_test_add_func ("/fidac/gui/window/broken-folder", test_broken_folder);
  g_test_add_func ("/fidac/gui/window/details-warnings", test_details_warnings);
  g_test_add_func ("/fidac/gui/window/drop-folder", test_drop);
  g_test_add_func ("/fidac/gui/window/drop-files", test_drop_files);
  g_test_add_func ("/fidac/gui/window/demo", test_demo);

  status = g_test_run ();
  gui_test_application_free (g_steal_pointer (&app));
  fidac_test_rmtree (cache);
  return status;
}
