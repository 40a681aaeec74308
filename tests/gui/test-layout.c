/* test-layout.c: the MPR layouts and the controls around the views, driven for real under
 * Xvfb (actions, and real key presses and clicks through xdotool).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#include "fidac-application.h"
#include "fidac-dicom.h"
#include "fidac-mpr-layout.h"
#include "fidac-phantom.h"
#include "fidac-test-support.h"
#include "fidac-window-level.h"
#include "fidac-window-private.h"
#include "gui-test-support.h"

/* Generous: a slow CI machine under sanitizers. Exceeding it fails the test, it measures
 * nothing. */
#define WAIT_SECONDS 300

/* The window's size, so that the layout has room for exact proportions. */
#define WINDOW_WIDTH 1200
#define WINDOW_HEIGHT 800

static FidacApplication *app;

static gboolean
try_until (GuiTestCondition condition,
           gpointer         data)
{
  return gui_test_try_until_for (WAIT_SECONDS, condition, data);
}

static void
wait_until (GuiTestCondition  condition,
            gpointer          data,
            const gchar      *what)
{
  gui_test_wait_until_for (WAIT_SECONDS, condition, data, what);
}

/* Views ---------------------------------------------------------------------------------- */

static GtkWidget *
view_widget (FidacWindow *window,
             FidacView    view)
{
  return GTK_WIDGET (fidac_mpr_layout_get_view (fidac_window_get_layout (window), view));
}

/* The view's box in the layout's coordinates; empty when it is not on screen. */
static graphene_rect_t
view_bounds (FidacWindow *window,
             FidacView    view)
{
  GtkWidget *widget = view_widget (window, view);
  graphene_rect_t bounds;

  if (!gtk_widget_get_mapped (widget) ||
      !gtk_widget_compute_bounds (widget, GTK_WIDGET (fidac_window_get_layout (window)), &bounds))
    graphene_rect_init (&bounds, 0, 0, 0, 0);
  return bounds;
}

static gboolean
near (gdouble a,
      gdouble b,
      gdouble tolerance)
{
  return fabs (a - b) <= tolerance;
}

typedef struct {
  FidacWindow *window;
  FidacLayout  layout;
  FidacView    main_view;
  FidacView    shown;          /* SINGLE or maximised: the one view on screen */
} Expected;

/* Whether the views sit where the layout puts them, to a pixel or two (the one-pixel
 * separators and the rounding of odd sizes). */
static gboolean
geometry_matches (gpointer data)
{
  Expected *e = data;
  GtkWidget *layout = GTK_WIDGET (fidac_window_get_layout (e->window));
  gdouble w = gtk_widget_get_width (layout), h = gtk_widget_get_height (layout);
  graphene_rect_t b[FIDAC_N_VIEWS];

  if (w < 100 || h < 100)
    return FALSE;
  for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
    b[v] = view_bounds (e->window, v);

  if (e->shown != FIDAC_N_VIEWS)
    {
      for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
        if (v != e->shown && (gtk_widget_get_mapped (view_widget (e->window, v)) ||
                              gtk_widget_get_child_visible (view_widget (e->window, v))))
          return FALSE;
      return b[e->shown].origin.x == 0 && b[e->shown].origin.y == 0 &&
             b[e->shown].size.width == w && b[e->shown].size.height == h;
    }

  if (e->layout == FIDAC_LAYOUT_SIDE_BY_SIDE)
    {
      for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
        if (!near (b[v].size.width, w / 3, 1.5) || b[v].size.height != h || b[v].origin.y != 0)
          return FALSE;
      /* Axial, coronal, sagittal from left to right. */
      return b[0].origin.x == 0 && b[1].origin.x > b[0].origin.x && b[2].origin.x > b[1].origin.x &&
             b[2].origin.x + b[2].size.width == w;
    }

  /* ONE_PLUS_TWO: the main view two thirds wide on the left, the other two stacked, each
   * half the height, in view order. */
  {
    FidacView others[2];
    guint n = 0;

    for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
      if (v != e->main_view)
        others[n++] = v;
    if (!(b[e->main_view].origin.x == 0 && near (b[e->main_view].size.width, 2 * w / 3, 1.5) &&
          b[e->main_view].size.height == h))
      return FALSE;
    for (guint i = 0; i < 2; i++)
      {
        graphene_rect_t *o = &b[others[i]];

        if (!near (o->origin.x, 2 * w / 3, 2) || !near (o->size.width, w / 3, 2) ||
            !near (o->size.height, h / 2, 1.5) || o->origin.x + o->size.width != w)
          return FALSE;
      }
    return b[others[0]].origin.y == 0 && b[others[1]].origin.y > h / 2 - 1 &&
           b[others[1]].origin.y + b[others[1]].size.height == h;
  }
}

static void
assert_geometry (FidacWindow *window,
                 FidacLayout  layout,
                 FidacView    main_view,
                 FidacView    shown)
{
  Expected e = { window, layout, main_view, shown };

  if (!try_until (geometry_matches, &e))
    {
      GtkWidget *l = GTK_WIDGET (fidac_window_get_layout (window));

      for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
        {
          graphene_rect_t b = view_bounds (window, v);

          g_printerr ("view %d: %g,%g %gx%g\n", v, b.origin.x, b.origin.y, b.size.width, b.size.height);
        }
      g_error ("layout %d (main %d, shown %d) not reached in %dx%d", layout, main_view, shown,
               gtk_widget_get_width (l), gtk_widget_get_height (l));
    }
  g_assert_cmpint (fidac_mpr_layout_get_layout (fidac_window_get_layout (window)), ==, layout);
  g_assert_cmpint (fidac_mpr_layout_get_main_view (fidac_window_get_layout (window)), ==, main_view);
}

static void
assert_string_state (FidacWindow *window,
                     const gchar *action,
                     const gchar *expected)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window), action);

  g_assert_nonnull (state);
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, expected);
}

/* Case --------------------------------------------------------------------------------- */

/* A small phantom whose header carries one window unlike the chest presets, so that the
 * fourth preset is told apart from the first three. */
static FidacVolume *
phantom_new (void)
{
  FidacPhantomOptions options;
  g_autoptr(GError) error = NULL;
  FidacVolume *volume;

  fidac_phantom_options_init (&options);
  options.columns = 96;
  options.rows = 80;
  options.slices = 24;
  options.pixel_spacing = 2.0;
  options.slice_spacing = 4.0;
  volume = fidac_phantom_new (&options, &error);
  g_assert_no_error (error);
  g_array_set_size (volume->windows, 0);
  fidac_volume_add_window (volume, 60, 400, "ABDOMEN");
  return volume;
}

typedef struct {
  gchar       *tmp;
  FidacVolume *volume;
  FidacWindow *window;
} Fixture;

static gboolean
views_mapped (gpointer data)
{
  FidacWindow *window = data;

  for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
    if (!gtk_widget_get_mapped (view_widget (window, v)))
      return FALSE;
  return gtk_widget_get_width (GTK_WIDGET (fidac_window_get_layout (window))) > 100;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree gchar *folder = NULL;
  g_autoptr(GFile) file = NULL;
  FidacDicomWriteOptions options;
  g_autoptr(GError) error = NULL;

  f->tmp = fidac_test_mkdtemp ();
  f->volume = phantom_new ();
  folder = g_build_filename (f->tmp, "phantom", NULL);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  fidac_dicom_write_options_init (&options);
  fidac_dicom_write_series (f->volume, &options, folder, NULL, &error);
  g_assert_no_error (error);

  f->window = fidac_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (f->window), WINDOW_WIDTH, WINDOW_HEIGHT);
  gtk_window_present (GTK_WINDOW (f->window));
  file = g_file_new_for_path (folder);
  fidac_window_open_files (f->window, &file, 1);
  wait_until (gui_test_window_settled, f->window, "phantom loaded");
  g_assert_cmpint (fidac_window_get_state (f->window), ==, FIDAC_WINDOW_STATE_RESULT);
  wait_until (views_mapped, f->window, "views on screen");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_object_ref (f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  wait_until (gui_test_window_idle, f->window, "workers finished");
  g_object_unref (f->window);
  /* The window took its shortcuts window and popovers with it. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), ==, 0);
  g_clear_pointer (&f->volume, fidac_volume_free);
  fidac_test_rmtree (f->tmp);
  g_free (f->tmp);
}

/* xdotool ------------------------------------------------------------------------------- */

static gboolean
have_xdotool (FidacWindow *window)
{
  g_autofree gchar *path = g_find_program_in_path ("xdotool");

#ifdef GDK_WINDOWING_X11
  if (path != NULL && GDK_IS_X11_DISPLAY (gtk_widget_get_display (GTK_WIDGET (window))))
    return TRUE;
#endif
  g_test_skip ("xdotool or an X11 display is missing");
  return FALSE;
}

static gulong
window_xid (FidacWindow *window)
{
#ifdef GDK_WINDOWING_X11
  return gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window)));
#else
  return 0;
#endif
}

static void
xdotool (const gchar *format,
         ...)
{
  va_list args;
  g_autofree gchar *arguments = NULL;
  g_autofree gchar *command = NULL;
  g_autofree gchar *err = NULL;
  g_autoptr(GError) error = NULL;
  gint status;

  va_start (args, format);
  arguments = g_strdup_vprintf (format, args);
  va_end (args);
  command = g_strdup_printf ("xdotool %s", arguments);
  g_spawn_command_line_sync (command, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", command, err);
}

static gboolean
window_active (gpointer data)
{
  return gtk_window_is_active (GTK_WINDOW (data));
}

/* Keys typed on the real keyboard go to the X focus: give it to the window first. */
static void
focus_window (FidacWindow *window)
{
  xdotool ("windowfocus %lu", window_xid (window));
  wait_until (window_active, window, "window focused");
}

/* Window coordinates (of the X window) of the centre of `widget`. */
static void
widget_centre (FidacWindow *window,
               GtkWidget   *widget,
               gint        *x,
               gint        *y)
{
  graphene_point_t centre = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0f,
                                                 gtk_widget_get_height (widget) / 2.0f);
  graphene_point_t point;
  gdouble sx, sy;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (window), &centre, &point));
  gtk_native_get_surface_transform (GTK_NATIVE (window), &sx, &sy);
  *x = (gint) lround (point.x + sx);
  *y = (gint) lround (point.y + sy);
}

/* Tests --------------------------------------------------------------------------------- */

static void
test_layouts (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *w = GTK_WIDGET (f->window);

  assert_geometry (f->window, FIDAC_LAYOUT_ONE_PLUS_TWO, FIDAC_VIEW_AXIAL, FIDAC_N_VIEWS);
  assert_string_state (f->window, "layout", "one-plus-two");
  /* With the details closed, the views have the whole width of the window. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fidac_window_get_layout (f->window))), ==,
                   gtk_widget_get_width (gtk_widget_get_parent (gtk_widget_get_parent (
                     GTK_WIDGET (fidac_window_get_layout (f->window))))));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fidac_window_get_layout (f->window))), >, WINDOW_WIDTH * 9 / 10);
  assert_string_state (f->window, "main-view", "axial");

  g_assert_true (gtk_widget_activate_action (w, "win.layout", "s", "side-by-side"));
  assert_geometry (f->window, FIDAC_LAYOUT_SIDE_BY_SIDE, FIDAC_VIEW_AXIAL, FIDAC_N_VIEWS);
  assert_string_state (f->window, "layout", "side-by-side");

  g_assert_true (gtk_widget_activate_action (w, "win.layout", "s", "single"));
  assert_geometry (f->window, FIDAC_LAYOUT_SINGLE, FIDAC_VIEW_AXIAL, FIDAC_VIEW_AXIAL);

  /* The main view is the one shown alone, and the large one. */
  g_assert_true (gtk_widget_activate_action (w, "win.main-view", "s", "coronal"));
  assert_geometry (f->window, FIDAC_LAYOUT_SINGLE, FIDAC_VIEW_CORONAL, FIDAC_VIEW_CORONAL);
  assert_string_state (f->window, "main-view", "coronal");
  g_assert_true (gtk_widget_activate_action (w, "win.layout", "s", "one-plus-two"));
  assert_geometry (f->window, FIDAC_LAYOUT_ONE_PLUS_TWO, FIDAC_VIEW_CORONAL, FIDAC_N_VIEWS);
  g_assert_true (gtk_widget_activate_action (w, "win.main-view", "s", "sagittal"));
  assert_geometry (f->window, FIDAC_LAYOUT_ONE_PLUS_TWO, FIDAC_VIEW_SAGITTAL, FIDAC_N_VIEWS);

  /* The functions and the actions agree. */
  fidac_mpr_layout_set_layout (fidac_window_get_layout (f->window), FIDAC_LAYOUT_SIDE_BY_SIDE);
  assert_string_state (f->window, "layout", "side-by-side");
  assert_geometry (f->window, FIDAC_LAYOUT_SIDE_BY_SIDE, FIDAC_VIEW_SAGITTAL, FIDAC_N_VIEWS);

  /* The accelerators of the layouts are the application's. */
  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                  "win.layout('side-by-side')");

    g_assert_true (g_strv_contains ((const gchar * const *) accels, "<Control>2"));
  }
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  FidacMprLayout *layout = fidac_window_get_layout (f->window);
  guint n_layout = 0, n_main = 0, n_max = 0;
  gint value;

  g_assert_true (fidac_mpr_layout_get_viewer (layout) == fidac_window_get_viewer (f->window));
  g_signal_connect (layout, "notify::layout", G_CALLBACK (count_notify_cb), &n_layout);
  g_signal_connect (layout, "notify::main-view", G_CALLBACK (count_notify_cb), &n_main);
  g_signal_connect (layout, "notify::maximized", G_CALLBACK (count_notify_cb), &n_max);

  g_assert_cmpint (fidac_mpr_layout_get_maximized (layout), ==, FIDAC_N_VIEWS);
  fidac_mpr_layout_set_layout (layout, FIDAC_LAYOUT_ONE_PLUS_TWO);
  g_assert_cmpuint (n_layout, ==, 0);
  g_object_set (layout, "layout", FIDAC_LAYOUT_SINGLE, NULL);
  g_assert_cmpuint (n_layout, ==, 1);
  g_object_get (layout, "layout", &value, NULL);
  g_assert_cmpint (value, ==, FIDAC_LAYOUT_SINGLE);
  fidac_mpr_layout_set_main_view (layout, FIDAC_VIEW_SAGITTAL);
  fidac_mpr_layout_set_main_view (layout, FIDAC_VIEW_SAGITTAL);
  g_assert_cmpuint (n_main, ==, 1);
  fidac_mpr_layout_set_maximized (layout, FIDAC_VIEW_CORONAL);
  g_assert_cmpuint (n_max, ==, 1);
  g_object_get (layout, "maximized", &value, NULL);
  g_assert_cmpint (value, ==, FIDAC_VIEW_CORONAL);
  assert_geometry (f->window, FIDAC_LAYOUT_SINGLE, FIDAC_VIEW_SAGITTAL, FIDAC_VIEW_CORONAL);

  /* Choosing a layout shows it: the maximised view gives way. */
  fidac_mpr_layout_set_layout (layout, FIDAC_LAYOUT_SIDE_BY_SIDE);
  g_assert_cmpint (fidac_mpr_layout_get_maximized (layout), ==, FIDAC_N_VIEWS);
  g_assert_cmpuint (n_max, ==, 2);
  g_assert_cmpuint (n_layout, ==, 2);
  assert_geometry (f->window, FIDAC_LAYOUT_SIDE_BY_SIDE, FIDAC_VIEW_SAGITTAL, FIDAC_N_VIEWS);

  /* A view hidden with the focus hands it to the view shown, for the keys to go on working. */
  g_assert_true (gtk_widget_grab_focus (view_widget (f->window, FIDAC_VIEW_AXIAL)));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == view_widget (f->window, FIDAC_VIEW_AXIAL));
  fidac_mpr_layout_set_maximized (layout, FIDAC_VIEW_CORONAL);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == view_widget (f->window, FIDAC_VIEW_CORONAL));
  fidac_mpr_layout_set_maximized (layout, FIDAC_N_VIEWS);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == view_widget (f->window, FIDAC_VIEW_CORONAL));

  g_signal_handlers_disconnect_by_func (layout, count_notify_cb, &n_layout);
  g_signal_handlers_disconnect_by_func (layout, count_notify_cb, &n_main);
  g_signal_handlers_disconnect_by_func (layout, count_notify_cb, &n_max);
}

static void
test_maximize_signal (Fixture       *f,
                      gconstpointer  data)
{
  FidacMprLayout *layout = fidac_window_get_layout (f->window);

  g_signal_emit_by_name (view_widget (f->window, FIDAC_VIEW_CORONAL), "toggle-maximized");
  g_assert_cmpint (fidac_mpr_layout_get_maximized (layout), ==, FIDAC_VIEW_CORONAL);
  assert_geometry (f->window, FIDAC_LAYOUT_ONE_PLUS_TWO, FIDAC_VIEW_AXIAL, FIDAC_VIEW_CORONAL);
  g_signal_emit_by_name (view_widget (f->window, FIDAC_VIEW_CORONAL), "toggle-maximized");
  g_assert_cmpint (fidac_mpr_layout_get_maximized (layout), ==, FIDAC_N_VIEWS);
  assert_geometry (f->window, FIDAC_LAYOUT_ONE_PLUS_TWO, FIDAC_VIEW_AXIAL, FIDAC_N_VIEWS);

  /* Restoring goes back to the layout there was, whichever it was. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.layout", "s", "side-by-side"));
  g_signal_emit_by_name (view_widget (f->window, FIDAC_VIEW_SAGITTAL), "toggle-maximized");
  assert_geometry (f->window, FIDAC_LAYOUT_SIDE_BY_SIDE, FIDAC_VIEW_AXIAL, FIDAC_VIEW_SAGITTAL);
  g_signal_emit_by_name (view_widget (f->window, FIDAC_VIEW_SAGITTAL), "toggle-maximized");
  assert_geometry (f->window, FIDAC_LAYOUT_SIDE_BY_SIDE, FIDAC_VIEW_AXIAL, FIDAC_N_VIEWS);
}

static void
test_maximize_double_click (Fixture       *f,
                            gconstpointer  data)
{
  FidacMprLayout *layout = fidac_window_get_layout (f->window);
  gint x, y;

  if (!have_xdotool (f->window))
    return;
  assert_geometry (f->window, FIDAC_LAYOUT_ONE_PLUS_TWO, FIDAC_VIEW_AXIAL, FIDAC_N_VIEWS);
  widget_centre (f->window, view_widget (f->window, FIDAC_VIEW_SAGITTAL), &x, &y);
  xdotool ("mousemove --window %lu %d %d click --repeat 2 --delay 80 1", window_xid (f->window), x, y);
  assert_geometry (f->window, FIDAC_LAYOUT_ONE_PLUS_TWO, FIDAC_VIEW_AXIAL, FIDAC_VIEW_SAGITTAL);
  g_assert_cmpint (fidac_mpr_layout_get_maximized (layout), ==, FIDAC_VIEW_SAGITTAL);

  /* The sagittal view now fills the layout: a double click at its new centre restores. */
  widget_centre (f->window, view_widget (f->window, FIDAC_VIEW_SAGITTAL), &x, &y);
  xdotool ("mousemove --window %lu %d %d click --repeat 2 --delay 80 1", window_xid (f->window), x, y);
  assert_geometry (f->window, FIDAC_LAYOUT_ONE_PLUS_TWO, FIDAC_VIEW_AXIAL, FIDAC_N_VIEWS);
  g_assert_cmpint (fidac_mpr_layout_get_maximized (layout), ==, FIDAC_N_VIEWS);
}

static gboolean
axial_moved (gpointer data)
{
  const FidacMpr *mpr = fidac_viewer_get_mpr (fidac_window_get_viewer (data));
  gint index, count;
  gdouble position;

  fidac_mpr_get_slice (mpr, FIDAC_VIEW_AXIAL, &index, &count, &position);
  return index != count / 2;
}

typedef struct {
  FidacWindow *window;
  gdouble      width;
  gdouble      level;
  gboolean     invert;
} WindowState;

static gboolean
window_reached (gpointer data)
{
  WindowState *s = data;
  const FidacMpr *mpr = fidac_viewer_get_mpr (fidac_window_get_viewer (s->window));

  return mpr->window_width == s->width && mpr->window_level == s->level && mpr->invert == s->invert;
}

static void
press_and_expect (FidacWindow *window,
                  const gchar *key,
                  gdouble      width,
                  gdouble      level,
                  gboolean     invert)
{
  WindowState s = { window, width, level, invert };

  xdotool ("key --window %lu %s", window_xid (window), key);
  if (!try_until (window_reached, &s))
    {
      const FidacMpr *mpr = fidac_viewer_get_mpr (fidac_window_get_viewer (window));

      g_error ("key %s: window W %g L %g invert %d, expected W %g L %g invert %d", key,
               mpr->window_width, mpr->window_level, mpr->invert, width, level, invert);
    }
}

static gchar *
menu_item (GMenuModel  *menu,
           gint         section,
           gint         item,
           const gchar *attribute)
{
  g_autoptr(GMenuModel) items = g_menu_model_get_item_link (menu, section, G_MENU_LINK_SECTION);
  gchar *value = NULL;

  g_assert_nonnull (items);
  if (!g_menu_model_get_item_attribute (items, item, attribute, "s", &value))
    return NULL;
  return value;
}

/* The menu lists the presets in key order, with their keys, then the typed window. */
static void
assert_presets_menu (FidacWindow *window)
{
  GMenuModel *menu = fidac_window_get_presets_menu (window);
  static const gchar *labels[] = {
    "Lung (W 1500 L -600)", "Mediastinum (W 350 L 40)", "Bone (W 2000 L 500)",
  };
  g_autofree gchar *header = NULL;
  g_autofree gchar *header_accel = NULL;
  g_autofree gchar *custom = NULL;
  g_autofree gchar *custom_action = NULL;

  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_autofree gchar *label = menu_item (menu, 0, i, G_MENU_ATTRIBUTE_LABEL);
      g_autofree gchar *accel = menu_item (menu, 0, i, "accel");
      g_autofree gchar *expected_accel = g_strdup_printf ("%u", i + 1);
      g_autofree gchar *action = menu_item (menu, 0, i, G_MENU_ATTRIBUTE_ACTION);
      g_autoptr(GMenuModel) items = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
      g_autoptr(GVariant) target = g_menu_model_get_item_attribute_value (items, i, G_MENU_ATTRIBUTE_TARGET,
                                                                          G_VARIANT_TYPE_UINT32);

      g_assert_cmpstr (label, ==, labels[i]);
      g_assert_cmpstr (accel, ==, expected_accel);
      g_assert_cmpstr (action, ==, "win.preset");
      g_assert_nonnull (target);
      g_assert_cmpuint (g_variant_get_uint32 (target), ==, i);
    }
  header = menu_item (menu, 1, 0, G_MENU_ATTRIBUTE_LABEL);
  header_accel = menu_item (menu, 1, 0, "accel");
  g_assert_cmpstr (header, ==, "ABDOMEN (W 400 L 60)");
  g_assert_cmpstr (header_accel, ==, "4");
  custom = menu_item (menu, 2, 0, G_MENU_ATTRIBUTE_LABEL);
  custom_action = menu_item (menu, 2, 0, G_MENU_ATTRIBUTE_ACTION);
  g_assert_cmpstr (custom, ==, "_Custom Window…");
  g_assert_cmpstr (custom_action, ==, "win.window-custom");
}

/* After a load the keyboard is the main view's: the arrows move through its slices at once. */
static void
test_view_keys (Fixture       *f,
                gconstpointer  data)
{
  const FidacMpr *mpr = fidac_viewer_get_mpr (fidac_window_get_viewer (f->window));
  gint start, index, count;
  gdouble position;

  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == view_widget (f->window, FIDAC_VIEW_AXIAL));
  if (!have_xdotool (f->window))
    return;
  focus_window (f->window);
  fidac_mpr_get_slice (mpr, FIDAC_VIEW_AXIAL, &start, &count, &position);
  g_assert_cmpint (start, ==, 12);
  xdotool ("key --window %lu Page_Up", window_xid (f->window));
  wait_until (axial_moved, f->window, "Page Up reached the axial view");
  fidac_mpr_get_slice (mpr, FIDAC_VIEW_AXIAL, &index, &count, &position);
  g_assert_cmpint (index, ==, start + 1);
  /* The number keys still reach the window through the focused view. */
  press_and_expect (f->window, "3", 2000, 500, FALSE);
}

static void
test_preset_keys (Fixture       *f,
                  gconstpointer  data)
{
  GArray *presets = fidac_viewer_get_presets (fidac_window_get_viewer (f->window));
  g_autoptr(GVariant) state = NULL;

  /* The fourth preset is the header's window, written into the files and read back. */
  g_assert_cmpuint (presets->len, ==, 4);
  g_assert_cmpfloat (g_array_index (presets, FidacViewerPreset, 3).width, ==, 400);
  g_assert_cmpfloat (g_array_index (presets, FidacViewerPreset, 3).level, ==, 60);
  assert_presets_menu (f->window);
  if (!have_xdotool (f->window))
    return;
  focus_window (f->window);

  press_and_expect (f->window, "2", FIDAC_WINDOW_MEDIASTINUM_WIDTH, FIDAC_WINDOW_MEDIASTINUM_LEVEL, FALSE);
  g_assert_cmpfloat (FIDAC_WINDOW_MEDIASTINUM_WIDTH, ==, 350);
  g_assert_cmpfloat (FIDAC_WINDOW_MEDIASTINUM_LEVEL, ==, 40);
  g_assert_cmpstr (fidac_window_get_detail (f->window, "window"), ==, "Mediastinum, width 350, level 40");
  press_and_expect (f->window, "3", 2000, 500, FALSE);
  press_and_expect (f->window, "4", 400, 60, FALSE);
  press_and_expect (f->window, "KP_1", 1500, -600, FALSE);
  press_and_expect (f->window, "i", 1500, -600, TRUE);
  state = g_action_group_get_action_state (G_ACTION_GROUP (f->window), "invert");
  g_assert_true (g_variant_get_boolean (state));
  g_assert_cmpstr (fidac_window_get_detail (f->window, "window"), ==, "Lung, width 1500, level -600, inverted");
  press_and_expect (f->window, "shift+i", 1500, -600, FALSE);
  /* Past the last preset of this case: nothing happens, and the next key still works. */
  xdotool ("key --window %lu 9", window_xid (f->window));
  press_and_expect (f->window, "2", 350, 40, FALSE);
}

typedef struct {
  GtkSpinButton *spin;
  const gchar   *text;
} SpinText;

static gboolean
spin_shows (gpointer data)
{
  SpinText *s = data;

  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (s->spin)), s->text) == 0;
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
widget_unmapped (gpointer data)
{
  return !gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
widget_focused (gpointer data)
{
  return gtk_widget_has_focus (GTK_WIDGET (data)) ||
         gtk_widget_is_focus (GTK_WIDGET (data)) ||
         gtk_widget_get_focus_child (GTK_WIDGET (data)) != NULL;
}

/* Typed values: the digits go into the spin buttons, never to the presets (3 would be
 * bone, 2 mediastinum), and Enter applies them. */
static void
test_custom_window (Fixture       *f,
                    gconstpointer  data)
{
  GtkSpinButton *width, *level;
  GtkPopover *popover = fidac_window_get_custom_window (f->window, &width, &level);
  const FidacMpr *mpr = fidac_viewer_get_mpr (fidac_window_get_viewer (f->window));
  SpinText typed = { NULL, NULL };

  g_assert_nonnull (popover);
  if (!have_xdotool (f->window))
    return;
  focus_window (f->window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.window-custom", NULL));
  wait_until (widget_mapped, popover, "custom window popover shown");
  g_assert_cmpfloat (gtk_spin_button_get_value (width), ==, 1500);
  g_assert_cmpfloat (gtk_spin_button_get_value (level), ==, -600);
  wait_until (widget_focused, width, "width field focused");

  xdotool ("key --window %lu ctrl+a", window_xid (f->window));
  xdotool ("type --window %lu 300", window_xid (f->window));
  typed.spin = width;
  typed.text = "300";
  wait_until (spin_shows, &typed, "300 typed into the width");
  g_assert_cmpfloat (mpr->window_width, ==, 1500);
  g_assert_cmpfloat (mpr->window_level, ==, -600);

  xdotool ("key --window %lu Tab", window_xid (f->window));
  wait_until (widget_focused, level, "level field focused");
  xdotool ("key --window %lu ctrl+a", window_xid (f->window));
  xdotool ("type --window %lu -- -20", window_xid (f->window));
  typed.spin = level;
  typed.text = "-20";
  wait_until (spin_shows, &typed, "-20 typed into the level");
  g_assert_cmpfloat (mpr->window_width, ==, 1500);

  xdotool ("key --window %lu Return", window_xid (f->window));
  {
    WindowState s = { f->window, 300, -20, FALSE };

    wait_until (window_reached, &s, "typed window applied");
  }
  wait_until (widget_unmapped, popover, "popover closed");
  g_assert_cmpstr (fidac_window_get_detail (f->window, "window"), ==, "Custom, width 300, level -20");
}

static void
test_slab_interpolation (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *w = GTK_WIDGET (f->window);
  const FidacMpr *mpr = fidac_viewer_get_mpr (fidac_window_get_viewer (f->window));
  g_autoptr(GVariant) thickness = NULL;

  g_assert_cmpfloat (mpr->reslice.slab_mm, <=, 0.0);
  assert_string_state (f->window, "slab-mode", "off");
  assert_string_state (f->window, "interpolation", "linear");

  g_assert_true (gtk_widget_activate_action (w, "win.slab-mode", "s", "mip"));
  g_assert_cmpint (mpr->reslice.slab_mode, ==, FIDAC_SLAB_MIP);
  g_assert_cmpfloat (mpr->reslice.slab_mm, ==, 10.0);
  assert_string_state (f->window, "slab-mode", "mip");

  g_assert_true (gtk_widget_activate_action (w, "win.slab-thickness", "d", 25.0));
  g_assert_cmpfloat (mpr->reslice.slab_mm, ==, 25.0);
  g_assert_cmpint (mpr->reslice.slab_mode, ==, FIDAC_SLAB_MIP);
  thickness = g_action_group_get_action_state (G_ACTION_GROUP (f->window), "slab-thickness");
  g_assert_cmpfloat (g_variant_get_double (thickness), ==, 25.0);

  g_assert_true (gtk_widget_activate_action (w, "win.slab-mode", "s", "off"));
  g_assert_cmpfloat (mpr->reslice.slab_mm, ==, 0.0);
  assert_string_state (f->window, "slab-mode", "off");
  /* The thickness is kept for the next slab. */
  g_assert_true (gtk_widget_activate_action (w, "win.slab-mode", "s", "minip"));
  g_assert_cmpint (mpr->reslice.slab_mode, ==, FIDAC_SLAB_MINIP);
  g_assert_cmpfloat (mpr->reslice.slab_mm, ==, 25.0);
  g_assert_true (gtk_widget_activate_action (w, "win.slab-mode", "s", "average"));
  g_assert_cmpint (mpr->reslice.slab_mode, ==, FIDAC_SLAB_AVERAGE);

  /* Out of 1..100 mm is refused, and warned about. */
  g_test_expect_message ("fidac-gui", G_LOG_LEVEL_WARNING, "*outside 1 to 100 mm*");
  g_assert_true (gtk_widget_activate_action (w, "win.slab-thickness", "d", 0.5));
  g_test_assert_expected_messages ();
  g_assert_cmpfloat (mpr->reslice.slab_mm, ==, 25.0);

  g_assert_true (gtk_widget_activate_action (w, "win.interpolation", "s", "nearest"));
  g_assert_cmpint (mpr->reslice.interpolation, ==, FIDAC_INTERPOLATION_NEAREST);
  assert_string_state (f->window, "interpolation", "nearest");
  g_assert_true (gtk_widget_activate_action (w, "win.interpolation", "s", "linear"));
  g_assert_cmpint (mpr->reslice.interpolation, ==, FIDAC_INTERPOLATION_LINEAR);

  /* A change made on the viewer shows in the actions. */
  fidac_viewer_set_slab (fidac_window_get_viewer (f->window), FIDAC_SLAB_MIP, 40.0);
  assert_string_state (f->window, "slab-mode", "mip");
  g_clear_pointer (&thickness, g_variant_unref);
  thickness = g_action_group_get_action_state (G_ACTION_GROUP (f->window), "slab-thickness");
  g_assert_cmpfloat (g_variant_get_double (thickness), ==, 40.0);
  g_assert_cmpfloat (gtk_spin_button_get_value (fidac_window_get_slab_spin (f->window)), ==, 40.0);

  /* The thickness field sets the slab. */
  gtk_spin_button_set_value (fidac_window_get_slab_spin (f->window), 30.0);
  g_assert_cmpfloat (mpr->reslice.slab_mm, ==, 30.0);
  g_assert_cmpint (mpr->reslice.slab_mode, ==, FIDAC_SLAB_MIP);

  /* A slab thinner than the field allows, set elsewhere, is shown clamped but kept. */
  fidac_viewer_set_slab (fidac_window_get_viewer (f->window), FIDAC_SLAB_AVERAGE, 0.5);
  g_assert_cmpfloat (mpr->reslice.slab_mm, ==, 0.5);
  g_assert_cmpfloat (gtk_spin_button_get_value (fidac_window_get_slab_spin (f->window)), ==, 1.0);
  assert_string_state (f->window, "slab-mode", "average");

  fidac_viewer_set_interpolation (fidac_window_get_viewer (f->window), FIDAC_INTERPOLATION_NEAREST);
  assert_string_state (f->window, "interpolation", "nearest");

  /* Reset zoom and pan of every view. */
  fidac_viewer_zoom_at (fidac_window_get_viewer (f->window), FIDAC_VIEW_CORONAL, 200, 200, 50, 50, 2.0);
  g_assert_cmpfloat (mpr->views[FIDAC_VIEW_CORONAL].zoom, ==, 2.0);
  g_assert_true (gtk_widget_activate_action (w, "win.reset-view", NULL));
  g_assert_cmpfloat (mpr->views[FIDAC_VIEW_CORONAL].zoom, ==, 1.0);
}

static gboolean
overlay_visible (gpointer data)
{
  GtkWindow *overlay = GTK_WINDOW (gtk_application_window_get_help_overlay (data));

  return overlay != NULL && gtk_widget_get_visible (GTK_WIDGET (overlay)) &&
         gtk_widget_get_mapped (GTK_WIDGET (overlay));
}

static void
test_shortcuts_window (Fixture       *f,
                       gconstpointer  data)
{
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (f->window));

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  if (!have_xdotool (f->window))
    return;
  focus_window (f->window);
  xdotool ("key --window %lu ctrl+question", window_xid (f->window));
  wait_until (overlay_visible, f->window, "shortcuts window shown");
  gtk_widget_set_visible (GTK_WIDGET (overlay), FALSE);
}

/* The details pane: closed for a case without warnings, F9 and the header button open it. */
static void
test_details_pane (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_false (fidac_window_get_details_shown (f->window));
  if (!have_xdotool (f->window))
    return;
  focus_window (f->window);
  xdotool ("key --window %lu F9", window_xid (f->window));
  wait_until ((GuiTestCondition) fidac_window_get_details_shown, f->window, "details shown by F9");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.toggle-details", NULL));
  g_assert_false (fidac_window_get_details_shown (f->window));
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

#define ADD(path, func) \
  g_test_add ("/fidac/gui/layout/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("layouts", test_layouts);
  ADD ("properties", test_properties);
  ADD ("maximize-signal", test_maximize_signal);
  ADD ("maximize-double-click", test_maximize_double_click);
  ADD ("view-keys", test_view_keys);
  ADD ("preset-keys", test_preset_keys);
  ADD ("custom-window", test_custom_window);
  ADD ("slab-interpolation", test_slab_interpolation);
  ADD ("shortcuts-window", test_shortcuts_window);
  ADD ("details-pane", test_details_pane);
#undef ADD

  status = g_test_run ();
  gui_test_application_free (g_steal_pointer (&app));
  fidac_test_rmtree (cache);
  return status;
}
