/* gui-test-support.c: what the GUI tests share (see gui-test-support.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <gtk/gtk.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#include "fidac-mpr-view-private.h"
#include "fidac-test-support.h"
#include "fidac-window-private.h"
#include "gui-test-support.h"

/* Keeps the main loop waking up while nothing else would, so that the deadline is looked at. */
static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
gui_test_try_until_for (guint            seconds,
                        GuiTestCondition condition,
                        gpointer         data)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint wake = g_timeout_add (20, wake_cb, NULL);
  gboolean reached;

  while (!(reached = condition (data)) && g_get_monotonic_time () <= deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return reached;
}

void
gui_test_wait_until_for (guint             seconds,
                         GuiTestCondition  condition,
                         gpointer          data,
                         const gchar      *what)
{
  if (!gui_test_try_until_for (seconds, condition, data))
    g_error ("never reached: %s", what);
}

void
gui_test_wait_until (GuiTestCondition  condition,
                     gpointer          data,
                     const gchar      *what)
{
  gui_test_wait_until_for (GUI_TEST_WAIT_SECONDS, condition, data, what);
}

/* Lets pending events and redraws run for a moment: only to let nothing else happen before
 * asserting that something did not change. */
void
gui_test_settle (void)
{
  gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC / 5;
  guint wake = g_timeout_add (20, wake_cb, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

gboolean
gui_test_window_settled (gpointer data)
{
  FidacWindow *window = data;

  return fidac_window_get_state (window) != FIDAC_WINDOW_STATE_LOADING &&
         fidac_window_get_n_pending (window) == 0;
}

gboolean
gui_test_window_idle (gpointer data)
{
  return fidac_window_get_n_pending (FIDAC_WINDOW (data)) == 0;
}

gboolean
gui_test_can_drive_x (void)
{
  g_autofree gchar *xdotool = g_find_program_in_path ("xdotool");

  if (xdotool == NULL)
    {
      g_test_skip ("xdotool is not installed");
      return FALSE;
    }
#ifdef GDK_WINDOWING_X11
  if (GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    return TRUE;
#endif
  g_test_skip ("not an X11 display: xdotool cannot drive it");
  return FALSE;
}

void
gui_test_use_cpu_renderer (gboolean cpu)
{
  if (cpu)
    g_setenv ("FIDAC_RENDERER", "cairo", TRUE);
  else
    g_unsetenv ("FIDAC_RENDERER");
}

/* With FIDAC_TEST_SCREENSHOTS=DIR, a picture of the screen for a human to look at. */
void
gui_test_screenshot (const gchar *name)
{
  const gchar *dir = g_getenv ("FIDAC_TEST_SCREENSHOTS");
  g_autofree gchar *path = NULL;
  g_autoptr(GError) error = NULL;
  const gchar *argv[] = { "import", "-window", "root", NULL, NULL };

  if (dir == NULL)
    return;
  gui_test_settle ();
  path = g_strdup_printf ("%s/%s.png", dir, name);
  argv[3] = path;
  g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

#ifdef GDK_WINDOWING_X11
/* Runs xdotool with `args` (space separated; WIN stands for the window's X id). */
void
gui_test_xdotool (GtkWidget   *window,
                  const gchar *args)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree gchar *id = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  g_auto(GStrv) words = g_strsplit (args, " ", -1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree gchar *err = NULL;
  gint status;

  g_ptr_array_add (argv, (gchar *) "xdotool");
  for (guint i = 0; words[i] != NULL; i++)
    g_ptr_array_add (argv, g_str_equal (words[i], "WIN") ? id : words[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (gchar **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("xdotool %s: %s (%s)", args, error->message, err);
}

void
gui_test_move_to (GtkWidget *window,
                  gint       scale,
                  GtkWidget *widget,
                  gdouble    x,
                  gdouble    y)
{
  g_autofree gchar *args = NULL;
  gdouble tx, ty, sx, sy;

#if GTK_CHECK_VERSION (4, 12, 0)
  graphene_point_t out;

  g_assert_true (gtk_widget_compute_point (widget, window,
                                           &GRAPHENE_POINT_INIT ((gfloat) x, (gfloat) y), &out));
  tx = out.x;
  ty = out.y;
#else
  g_assert_true (gtk_widget_translate_coordinates (widget, window, x, y, &tx, &ty));
#endif
  gtk_native_get_surface_transform (GTK_NATIVE (window), &sx, &sy);
  /* X counts device pixels. */
  args = g_strdup_printf ("mousemove --window WIN %ld %ld", lround ((tx + sx) * scale),
                          lround ((ty + sy) * scale));
  gui_test_xdotool (window, args);
}

typedef struct {
  FidacMprView *view;
  gdouble       x;
  gdouble       y;
} PointerAt;

static gboolean
pointer_at (gpointer data)
{
  PointerAt *at = data;

  /* GTK takes the position to the widget through single precision transforms: views away
   * from the window's origin see 109.99999 for 110. */
  return at->view->has_pointer && fabs (at->view->pointer_x - at->x) < 1e-3 &&
         fabs (at->view->pointer_y - at->y) < 1e-3;
}

void
gui_test_point (GtkWidget    *window,
                gint          scale,
                FidacMprView *view,
                gdouble       x,
                gdouble       y)
{
  PointerAt at = { view, x, y };

  gui_test_move_to (window, scale, GTK_WIDGET (view), x, y);
  gui_test_wait_until (pointer_at, &at, "the pointer seen by the view");
}
#endif

gchar *
gui_test_private_cache (void)
{
  g_autoptr(GError) error = NULL;
  gchar *cache = g_dir_make_tmp ("fidac-test-cache-XXXXXX", &error);

  g_assert_no_error (error);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  return cache;
}

FidacApplication *
gui_test_application_new (void)
{
  FidacApplication *app = fidac_application_new ();
  g_autoptr(GError) error = NULL;

  /* A FIDAC already running in the session must not take over the test's calls. */
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));
  return app;
}

void
gui_test_application_free (FidacApplication *app)
{
  g_application_release (G_APPLICATION (app));
  g_object_unref (app);
}

FidacApplication *
gui_test_init_x11 (int    *argc,
                   char ***argv)
{
  FidacApplication *app;

  /* xdotool drives X11: the tests run on Xvfb. */
  g_setenv ("GDK_BACKEND", "x11", FALSE);
  g_test_init (argc, argv, NULL);
  app = gui_test_application_new ();
  /* A panel slides in: a click during the slide would land beside its button. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  return app;
}
