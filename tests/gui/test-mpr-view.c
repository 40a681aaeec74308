/* test-mpr-view.c: the MPR views, for real, under Xvfb: GL against the CPU reslicer, the
 * CPU fallback, and the interactions driven by real X events (xdotool).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include <epoxy/gl.h>
#include <gtk/gtk.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#include "fidac-dicom.h"
#include "fidac-mpr-view-private.h"
#include "fidac-phantom.h"
#include "fidac-test-support.h"
#include "fidac-viewer.h"
#include "gui-test-support.h"

#define VIEW_WIDTH 200
#define VIEW_HEIGHT 160

/* The views' scale factor (GDK_SCALE=2 in the hidpi case): the planes are in device pixels,
 * the pointer in logical ones. */
static gint scale_factor = 1;
#define DEV(v) ((v) * (gdouble) scale_factor)
#define DEV_W ((gint) DEV (VIEW_WIDTH))
#define DEV_H ((gint) DEV (VIEW_HEIGHT))

typedef struct {
  GtkWidget   *window;
  FidacViewer *viewer;
  FidacMprView *views[FIDAC_N_VIEWS];
  gchar       *title;
  guint        n_toggles;
} Fixture;

static FidacVolume *
phantom_new (gdouble rotation,
             gdouble axis_x,
             gdouble axis_y,
             gdouble axis_z)
{
  FidacPhantomOptions options;
  g_autoptr(GError) error = NULL;
  FidacVolume *volume;

  fidac_phantom_options_init (&options);
  options.columns = 72;
  options.rows = 64;
  options.slices = 40;
  options.pixel_spacing = 5.0;
  options.slice_spacing = 6.5;
  options.rotation_degrees = rotation;
  options.rotation_axis[0] = axis_x;
  options.rotation_axis[1] = axis_y;
  options.rotation_axis[2] = axis_z;
  volume = fidac_phantom_new (&options, &error);
  g_assert_no_error (error);
  return volume;
}

static void
toggle_cb (FidacMprView *view,
           Fixture      *fixture)
{
  fixture->n_toggles++;
}

static gboolean
views_drawn (gpointer data)
{
  Fixture *fixture = data;

  for (gint v = 0; v < FIDAC_N_VIEWS; v++)
    if (fidac_mpr_view_get_n_frames (fixture->views[v]) == 0)
      return FALSE;
  return TRUE;
}

/* Three views side by side in an undecorated window that cannot be resized, so that each
 * view is exactly VIEW_WIDTH x VIEW_HEIGHT. */
static Fixture *
fixture_new (FidacVolume *volume)
{
  static guint serial;
  Fixture *fixture = g_new0 (Fixture, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  fixture->viewer = fidac_viewer_new ();
  fidac_viewer_set_volume (fixture->viewer, volume);
  fixture->title = g_strdup_printf ("fidac-test-mpr-view-%d-%u", (gint) getpid (), serial++);
  fixture->window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (fixture->window), fixture->title);
  gtk_window_set_decorated (GTK_WINDOW (fixture->window), FALSE);
  gtk_window_set_resizable (GTK_WINDOW (fixture->window), FALSE);
  for (gint v = 0; v < FIDAC_N_VIEWS; v++)
    {
      GtkWidget *view = fidac_mpr_view_new (fixture->viewer, v);

      gtk_widget_set_size_request (view, VIEW_WIDTH, VIEW_HEIGHT);
      gtk_box_append (GTK_BOX (box), view);
      g_signal_connect (view, "toggle-maximized", G_CALLBACK (toggle_cb), fixture);
      fixture->views[v] = FIDAC_MPR_VIEW (view);
    }
  gtk_window_set_child (GTK_WINDOW (fixture->window), box);
  gtk_window_present (GTK_WINDOW (fixture->window));
  gui_test_wait_until (views_drawn, fixture, "the three views drawn");
  for (gint v = 0; v < FIDAC_N_VIEWS; v++)
    {
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->views[v])), ==, VIEW_WIDTH);
      g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fixture->views[v])), ==, VIEW_HEIGHT);
    }
  scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (fixture->views[0]));
  return fixture;
}

static void
fixture_free (Fixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fidac_viewer_set_volume (fixture->viewer, NULL);
  g_object_unref (fixture->viewer);
  g_free (fixture->title);
  g_free (fixture);
  gui_test_settle ();
}

static gboolean
has_capture (gpointer data)
{
  return fidac_mpr_view_get_capture (data, NULL) != NULL;
}

/* Captures the view's image and compares it with the CPU reslicer on the same plane:
 * returns the largest difference, and checks the plane is the one the core gives for the
 * view's size in device pixels. */
static gint
compare_with_cpu (FidacMprView *view,
                  const gchar  *what)
{
  FidacViewer *viewer = fidac_mpr_view_get_viewer (view);
  const FidacMpr *mpr = fidac_viewer_get_mpr (viewer);
  gint scale = gtk_widget_get_scale_factor (GTK_WIDGET (view));
  g_autoptr(GError) error = NULL;
  g_autofree gfloat *hu = NULL;
  g_autofree guint8 *gray = NULL;
  const guint8 *captured;
  FidacPlane plane, expected;
  gsize n, n_diff = 0;
  gint max_diff = 0;

  fidac_mpr_view_request_capture (view);
  gui_test_wait_until (has_capture, view, "a captured image");
  captured = fidac_mpr_view_get_capture (view, &plane);

  fidac_mpr_get_plane (mpr, fidac_mpr_view_get_view (view), VIEW_WIDTH * scale,
                       VIEW_HEIGHT * scale, &expected);
  g_assert_cmpint (plane.width, ==, expected.width);
  g_assert_cmpint (plane.height, ==, expected.height);
  g_assert_cmpmem (&plane, sizeof plane, &expected, sizeof expected);

  n = (gsize) plane.width * plane.height;
  hu = g_new (gfloat, n);
  gray = g_malloc (n);
  fidac_reslice (mpr->volume, &plane, &mpr->reslice, hu, &error);
  g_assert_no_error (error);
  fidac_reslice_window (hu, n, mpr->window_width, mpr->window_level, mpr->invert, gray);
  for (gsize i = 0; i < n; i++)
    {
      gint d = ABS ((gint) captured[i] - (gint) gray[i]);

      if (d > 0)
        n_diff++;
      if (d > 1 && g_getenv ("FIDAC_TEST_DEBUG") != NULL && n_diff < 6)
        {
          gdouble m[16], vox[3];
          gdouble sx = i % plane.width + 0.5, sy = i / plane.width + 0.5;

          fidac_plane_get_screen_to_voxel (&plane, mpr->volume, m);
          for (gint r = 0; r < 3; r++)
            vox[r] = m[4 * r] * sx + m[4 * r + 1] * sy + m[4 * r + 3];
          g_test_message ("pixel %d,%d: GL %d CPU %d, voxel %.6f %.6f %.6f", (gint) (i % plane.width),
                          (gint) (i / plane.width), captured[i], gray[i], vox[0], vox[1], vox[2]);
        }
      max_diff = MAX (max_diff, d);
    }
  g_test_message ("%s, %s view (%s): %d x %d, largest difference %d, %" G_GSIZE_FORMAT
                  " pixels differ", what,
                  fidac_mpr_view_get_text (view, FIDAC_MPR_VIEW_TEXT_NAME),
                  fidac_mpr_view_is_gl (view) ? "GL" : "CPU",
                  plane.width, plane.height, max_diff, n_diff);
  return max_diff;
}

static void
assert_gl_matches (Fixture     *fixture,
                   const gchar *what)
{
  for (gint v = 0; v < FIDAC_N_VIEWS; v++)
    {
      g_assert_true (fidac_mpr_view_is_gl (fixture->views[v]));
      g_assert_cmpint (compare_with_cpu (fixture->views[v], what), <=, 1);
    }
}

static void
test_gl_phantom (void)
{
  g_autoptr(FidacVolume) volume = phantom_new (0.0, 0.0, 0.0, 1.0);
  Fixture *fixture = fixture_new (volume);
  gint w = DEV_W, h = DEV_H;

  if (!fidac_mpr_view_is_gl (fixture->views[0]))
    g_error ("no GL under this display: %s", fidac_mpr_view_get_fallback_reason (fixture->views[0]));
  assert_gl_matches (fixture, "phantom");

  /* Off-centre crosshair, zoomed and panned, nearest sampling. The zooms and pans are
   * chosen so that no pixel centre falls exactly between two voxels: there, nearest
   * sampling in single precision (GL) and in double (CPU) may pick either. */
  fidac_viewer_set_crosshair (fixture->viewer, (gdouble[3]) { 31.0, -17.0, 23.0 });
  fidac_viewer_zoom_at (fixture->viewer, FIDAC_VIEW_AXIAL, w, h, 61.3, 47.9, 1.73);
  fidac_viewer_zoom_at (fixture->viewer, FIDAC_VIEW_CORONAL, w, h, 120.7, 90.2, 2.31);
  fidac_viewer_pan (fixture->viewer, FIDAC_VIEW_SAGITTAL, w, h, 13.3, -7.1);
  fidac_viewer_set_window (fixture->viewer, 350.0, 40.0);
  assert_gl_matches (fixture, "phantom, zoomed and panned, mediastinum window");
  fidac_viewer_set_interpolation (fixture->viewer, FIDAC_INTERPOLATION_NEAREST);
  fidac_viewer_set_invert (fixture->viewer, TRUE);
  assert_gl_matches (fixture, "phantom, nearest, inverted");
  fidac_viewer_set_invert (fixture->viewer, FALSE);
  fidac_viewer_set_interpolation (fixture->viewer, FIDAC_INTERPOLATION_LINEAR);

  fidac_viewer_set_window (fixture->viewer, 1500.0, -600.0);
  fidac_viewer_set_slab (fixture->viewer, FIDAC_SLAB_MIP, 20.0);
  assert_gl_matches (fixture, "phantom, MIP 20 mm");
  fidac_viewer_set_slab (fixture->viewer, FIDAC_SLAB_AVERAGE, 15.0);
  assert_gl_matches (fixture, "phantom, average 15 mm");
  fidac_viewer_set_slab (fixture->viewer, FIDAC_SLAB_MINIP, 12.0);
  assert_gl_matches (fixture, "phantom, MinIP 12 mm");

  fixture_free (fixture);
}

static void
test_gl_oblique (void)
{
  g_autoptr(FidacVolume) volume = phantom_new (25.0, 1.0, 0.5, 0.3);
  Fixture *fixture = fixture_new (volume);

  assert_gl_matches (fixture, "oblique phantom");
  fidac_viewer_set_slab (fixture->viewer, FIDAC_SLAB_MIP, 18.0);
  assert_gl_matches (fixture, "oblique phantom, MIP 18 mm");
  fixture_free (fixture);
}

static void
test_gl_shared (void)
{
  g_autofree gchar *path = fidac_test_shared_ct ("lidc-0001");
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacScan) scan = NULL;
  g_autoptr(FidacVolume) volume = NULL;
  const FidacSeriesInfo *info;
  Fixture *fixture;

  if (path == NULL)
    return;
  scan = fidac_dicom_scan (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  info = fidac_scan_pick (scan, NULL, &error);
  g_assert_no_error (error);
  volume = fidac_dicom_load_series (info, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  fixture = fixture_new (volume);
  assert_gl_matches (fixture, "lidc-0001");
  fidac_viewer_set_window (fixture->viewer, 350.0, 40.0);
  fidac_viewer_set_slab (fixture->viewer, FIDAC_SLAB_MIP, 10.0);
  assert_gl_matches (fixture, "lidc-0001, mediastinum, MIP 10 mm");
  fixture_free (fixture);
}

static void
test_texts (void)
{
  g_autoptr(FidacVolume) volume = phantom_new (0.0, 0.0, 0.0, 1.0);
  Fixture *fixture = fixture_new (volume);
  FidacMprView **views = fixture->views;
  static const gchar *letters[FIDAC_N_VIEWS][4] = {
    { "R", "L", "A", "P" }, { "R", "L", "H", "F" }, { "A", "P", "H", "F" },
  };
  static const gchar *names[FIDAC_N_VIEWS] = { "Axial", "Coronal", "Sagittal" };
  const FidacMpr *mpr = fidac_viewer_get_mpr (fixture->viewer);

  for (gint v = 0; v < FIDAC_N_VIEWS; v++)
    {
      g_autofree gchar *slice = NULL, *position = NULL, *bar = NULL;
      FidacPlane plane;
      gint index, count;
      gdouble mm, pos, pixels;

      fidac_mpr_get_slice (mpr, v, &index, &count, &pos);
      slice = g_strdup_printf ("Slice %d / %d", index + 1, count);
      position = g_strdup_printf ("%c = %.1f mm", "zyx"[v], pos);
      fidac_mpr_get_plane (mpr, v, DEV_W, DEV_H, &plane);
      g_assert_true (fidac_mpr_scale_bar (plane.pixel_size, DEV_W / 4.0, &mm, &pixels));
      bar = g_strdup_printf ("%g mm", mm);

      g_assert_cmpstr (fidac_mpr_view_get_text (views[v], FIDAC_MPR_VIEW_TEXT_NAME), ==, names[v]);
      g_assert_cmpstr (fidac_mpr_view_get_text (views[v], FIDAC_MPR_VIEW_TEXT_SLICE), ==, slice);
      g_assert_cmpstr (fidac_mpr_view_get_text (views[v], FIDAC_MPR_VIEW_TEXT_POSITION), ==, position);
      g_assert_cmpstr (fidac_mpr_view_get_text (views[v], FIDAC_MPR_VIEW_TEXT_WINDOW), ==, "W 1500 L -600");
      g_assert_cmpstr (fidac_mpr_view_get_text (views[v], FIDAC_MPR_VIEW_TEXT_RESLICE), ==, "");
      g_assert_cmpstr (fidac_mpr_view_get_text (views[v], FIDAC_MPR_VIEW_TEXT_SCALE), ==, bar);
      g_assert_cmpstr (fidac_mpr_view_get_text (views[v], FIDAC_MPR_VIEW_TEXT_LEFT), ==, letters[v][0]);
      g_assert_cmpstr (fidac_mpr_view_get_text (views[v], FIDAC_MPR_VIEW_TEXT_RIGHT), ==, letters[v][1]);
      g_assert_cmpstr (fidac_mpr_view_get_text (views[v], FIDAC_MPR_VIEW_TEXT_TOP), ==, letters[v][2]);
      g_assert_cmpstr (fidac_mpr_view_get_text (views[v], FIDAC_MPR_VIEW_TEXT_BOTTOM), ==, letters[v][3]);
    }
  /* The phantom: 40 slices of 6.5 mm centred on z = 0, the middle one index 20. */
  g_assert_cmpstr (fidac_mpr_view_get_text (views[0], FIDAC_MPR_VIEW_TEXT_SLICE), ==, "Slice 21 / 40");
  g_assert_cmpstr (fidac_mpr_view_get_text (views[0], FIDAC_MPR_VIEW_TEXT_POSITION), ==, "z = 3.2 mm");

  fidac_viewer_set_slab (fixture->viewer, FIDAC_SLAB_MIP, 10.0);
  fidac_viewer_set_invert (fixture->viewer, TRUE);
  fidac_viewer_set_window (fixture->viewer, 350.0, 40.0);
  g_assert_cmpstr (fidac_mpr_view_get_text (views[1], FIDAC_MPR_VIEW_TEXT_RESLICE), ==,
                   "MIP 10.0 mm · Inverted");
  g_assert_cmpstr (fidac_mpr_view_get_text (views[1], FIDAC_MPR_VIEW_TEXT_WINDOW), ==, "W 350 L 40");
  fixture_free (fixture);
}

static void
test_fallback (void)
{
  g_autoptr(FidacVolume) volume = phantom_new (0.0, 0.0, 0.0, 1.0);
  Fixture *fixture;

  /* Read when the views realize, that is when the window is shown. */
  g_setenv ("FIDAC_RENDERER", "cairo", TRUE);
  fixture = fixture_new (volume);
  g_unsetenv ("FIDAC_RENDERER");

  for (gint v = 0; v < FIDAC_N_VIEWS; v++)
    {
      g_assert_false (fidac_mpr_view_is_gl (fixture->views[v]));
      g_assert_nonnull (strstr (fidac_mpr_view_get_fallback_reason (fixture->views[v]), "FIDAC_RENDERER"));
      g_assert_cmpint (compare_with_cpu (fixture->views[v], "fallback"), ==, 0);
    }
  fidac_viewer_set_slab (fixture->viewer, FIDAC_SLAB_AVERAGE, 20.0);
  fidac_viewer_zoom_at (fixture->viewer, FIDAC_VIEW_AXIAL, DEV_W, DEV_H, 30.0, 40.0, 2.0);
  for (gint v = 0; v < FIDAC_N_VIEWS; v++)
    g_assert_cmpint (compare_with_cpu (fixture->views[v], "fallback, slab, zoom"), ==, 0);
  fixture_free (fixture);
}

/* A volume the driver cannot hold (more slices than GL_MAX_ARRAY_TEXTURE_LAYERS): the views
 * draw it with the CPU, and go back to GL with the next case. */
static void
test_too_large (void)
{
  g_autoptr(FidacVolume) small = phantom_new (0.0, 0.0, 0.0, 1.0);
  g_autoptr(FidacVolume) large = NULL;
  g_autoptr(GError) error = NULL;
  FidacPhantomOptions options;
  Fixture *fixture = fixture_new (small);
  GLint max_layers = 0, max_3d = 0;

  /* Beyond both limits, whichever texture the render layer uses. */
  gtk_gl_area_make_current (GTK_GL_AREA (fixture->views[0]));
  glGetIntegerv (GL_MAX_ARRAY_TEXTURE_LAYERS, &max_layers);
  glGetIntegerv (GL_MAX_3D_TEXTURE_SIZE, &max_3d);
  max_layers = MAX (max_layers, max_3d);
  g_assert_cmpint (max_layers, >, 0);
  fidac_phantom_options_init (&options);
  options.columns = 8;
  options.rows = 8;
  options.slices = max_layers + 1;
  options.pixel_spacing = 40.0;
  options.slice_spacing = 300.0 / options.slices;
  large = fidac_phantom_new (&options, &error);
  g_assert_no_error (error);

  fidac_viewer_set_volume (fixture->viewer, large);
  for (gint v = 0; v < FIDAC_N_VIEWS; v++)
    {
      g_assert_cmpint (compare_with_cpu (fixture->views[v], "too large for GL"), ==, 0);
      g_assert_false (fidac_mpr_view_is_gl (fixture->views[v]));
      g_assert_cmpstr (fidac_mpr_view_get_fallback_reason (fixture->views[v]), !=, "");
    }

  fidac_viewer_set_volume (fixture->viewer, small);
  assert_gl_matches (fixture, "GL again after a volume too large");
  g_assert_null (fidac_mpr_view_get_fallback_reason (fixture->views[0]));
  fixture_free (fixture);
}

/* ---- interactions, with real X events ---- */

#ifdef GDK_WINDOWING_X11

/* Runs xdotool with `args` (space separated; WIN stands for the window's X id). */
static void
xdotool (Fixture     *fixture,
         const gchar *args)
{
  gui_test_xdotool (GTK_WIDGET (fixture->window), args);
}

static void
move_to (Fixture      *fixture,
         FidacMprView *view,
         gdouble       x,
         gdouble       y)
{
  gui_test_move_to (fixture->window, scale_factor, GTK_WIDGET (view), x, y);
}

static void
point (Fixture      *fixture,
       FidacMprView *view,
       gdouble       x,
       gdouble       y)
{
  gui_test_point (fixture->window, scale_factor, view, x, y);
}

static gint
slice_of (Fixture   *fixture,
          FidacView  view)
{
  gint index, count;
  gdouble mm;

  fidac_mpr_get_slice (fidac_viewer_get_mpr (fixture->viewer), view, &index, &count, &mm);
  return index;
}

typedef struct {
  Fixture   *fixture;
  FidacView  view;
  gint       index;
} SliceIs;

static gboolean
slice_is (gpointer data)
{
  SliceIs *s = data;

  return slice_of (s->fixture, s->view) == s->index;
}

/* Runs the xdotool command and waits for the axial slice to become `expected`; then checks
 * nothing moved it further. */
static void
expect_slice (Fixture     *fixture,
              const gchar *args,
              gint         expected)
{
  SliceIs s = { fixture, FIDAC_VIEW_AXIAL, expected };
  g_autofree gchar *what = g_strdup_printf ("axial slice %d after %s", expected, args);

  xdotool (fixture, args);
  gui_test_wait_until (slice_is, &s, what);
  gui_test_settle ();
  g_assert_cmpint (slice_of (fixture, FIDAC_VIEW_AXIAL), ==, expected);
}

static Fixture *
input_fixture (void)
{
  g_autoptr(FidacVolume) volume = phantom_new (0.0, 0.0, 0.0, 1.0);

  return fixture_new (volume);
}

static gboolean
has_focus (gpointer data)
{
  return gtk_widget_has_focus (data);
}

static void
test_slices (void)
{
  Fixture *fixture;
  FidacMprView *axial;
  gint s0;

  if (!gui_test_can_drive_x ())
    return;
  fixture = input_fixture ();
  axial = fixture->views[FIDAC_VIEW_AXIAL];
  s0 = slice_of (fixture, FIDAC_VIEW_AXIAL);
  g_assert_cmpint (s0, ==, 20);

  point (fixture, axial, 100, 80);
  /* Button 4: the wheel away from the user, the next slice. */
  expect_slice (fixture, "click 4", s0 + 1);
  expect_slice (fixture, "click 5", s0);
  expect_slice (fixture, "keydown shift click 4 keyup shift", s0 + 10);
  expect_slice (fixture, "keydown shift click 5 keyup shift", s0);

  /* The keys need the focus: a click gives it (and moves the crosshair in this plane only). */
  xdotool (fixture, "windowfocus WIN click 1");
  gui_test_wait_until (has_focus, axial, "the focus on the axial view");
  g_assert_cmpint (slice_of (fixture, FIDAC_VIEW_AXIAL), ==, s0);
  expect_slice (fixture, "key Page_Up", s0 + 1);
  expect_slice (fixture, "key Page_Down", s0);
  expect_slice (fixture, "key Up", s0 + 1);
  expect_slice (fixture, "key Down", s0);
  expect_slice (fixture, "key shift+Page_Up", s0 + 10);
  expect_slice (fixture, "key shift+Down", s0);
  expect_slice (fixture, "key shift+Page_Down", s0 - 10);
  /* Clamped at the ends. */
  expect_slice (fixture, "key shift+Page_Down shift+Page_Down shift+Page_Down", 0);
  g_assert_cmpstr (fidac_mpr_view_get_text (axial, FIDAC_MPR_VIEW_TEXT_SLICE), ==, "Slice 1 / 40");
  g_assert_cmpuint (fixture->n_toggles, ==, 0);
  fixture_free (fixture);
}

typedef struct {
  const FidacMpr *mpr;
  gdouble         crosshair[3];
} CrosshairIs;

static gboolean
crosshair_is (gpointer data)
{
  CrosshairIs *c = data;

  /* 1e-3 mm: the pointer positions GTK gives are single precision (see pointer_at()). */
  return fabs (c->mpr->crosshair[0] - c->crosshair[0]) < 1e-3 &&
         fabs (c->mpr->crosshair[1] - c->crosshair[1]) < 1e-3 &&
         fabs (c->mpr->crosshair[2] - c->crosshair[2]) < 1e-3;
}

static void
test_crosshair (void)
{
  Fixture *fixture;
  const FidacMpr *mpr;
  CrosshairIs c;
  gint axial0, coronal0, sagittal0, index;

  if (!gui_test_can_drive_x ())
    return;
  fixture = input_fixture ();
  mpr = fidac_viewer_get_mpr (fixture->viewer);
  axial0 = slice_of (fixture, FIDAC_VIEW_AXIAL);
  coronal0 = slice_of (fixture, FIDAC_VIEW_CORONAL);
  sagittal0 = slice_of (fixture, FIDAC_VIEW_SAGITTAL);

  /* A click in the axial view: the crosshair goes to the patient point under the pointer,
   * in the axial plane. */
  c.mpr = mpr;
  fidac_mpr_screen_to_patient (mpr, FIDAC_VIEW_AXIAL, DEV_W, DEV_H, DEV (60), DEV (50), c.crosshair);
  point (fixture, fixture->views[FIDAC_VIEW_AXIAL], 60, 50);
  xdotool (fixture, "click 1");
  gui_test_wait_until (crosshair_is, &c, "the crosshair at the click");
  g_assert_cmpfloat (mpr->crosshair[2], ==, c.crosshair[2]);
  g_assert_cmpint (slice_of (fixture, FIDAC_VIEW_AXIAL), ==, axial0);
  g_assert_true (fidac_mpr_slice_at_position (mpr->volume, FIDAC_VIEW_CORONAL, c.crosshair[1], &index));
  g_assert_cmpint (slice_of (fixture, FIDAC_VIEW_CORONAL), ==, index);
  g_assert_cmpint (index, !=, coronal0);
  g_assert_true (fidac_mpr_slice_at_position (mpr->volume, FIDAC_VIEW_SAGITTAL, c.crosshair[0], &index));
  g_assert_cmpint (slice_of (fixture, FIDAC_VIEW_SAGITTAL), ==, index);
  g_assert_cmpint (index, !=, sagittal0);

  /* A left drag in the coronal view: the crosshair follows to where the button is released;
   * the coronal slice stays. */
  coronal0 = slice_of (fixture, FIDAC_VIEW_CORONAL);
  fidac_mpr_screen_to_patient (mpr, FIDAC_VIEW_CORONAL, DEV_W, DEV_H, DEV (150), DEV (120), c.crosshair);
  point (fixture, fixture->views[FIDAC_VIEW_CORONAL], 110, 40);
  xdotool (fixture, "mousedown 1");
  move_to (fixture, fixture->views[FIDAC_VIEW_CORONAL], 130, 90);
  move_to (fixture, fixture->views[FIDAC_VIEW_CORONAL], 150, 120);
  xdotool (fixture, "mouseup 1");
  gui_test_wait_until (crosshair_is, &c, "the crosshair at the end of the drag");
  g_assert_cmpfloat (mpr->crosshair[1], ==, c.crosshair[1]);
  g_assert_cmpint (slice_of (fixture, FIDAC_VIEW_CORONAL), ==, coronal0);
  g_assert_true (fidac_mpr_slice_at_position (mpr->volume, FIDAC_VIEW_AXIAL, c.crosshair[2], &index));
  g_assert_cmpint (slice_of (fixture, FIDAC_VIEW_AXIAL), ==, index);
  g_assert_cmpint (index, !=, axial0);
  g_assert_cmpuint (fixture->n_toggles, ==, 0);
  fixture_free (fixture);
}

typedef struct {
  const FidacMpr *mpr;
  gdouble         width;
  gdouble         level;
} WindowIs;

static gboolean
window_is (gpointer data)
{
  WindowIs *w = data;

  /* The drag's offsets carry the single precision of GTK's positions (see pointer_at()). */
  return fabs (w->mpr->window_width - w->width) < 1e-3 && fabs (w->mpr->window_level - w->level) < 1e-3;
}

static void
test_window_drag (void)
{
  Fixture *fixture;
  WindowIs w;

  if (!gui_test_can_drive_x ())
    return;
  fixture = input_fixture ();
  w.mpr = fidac_viewer_get_mpr (fixture->viewer);
  g_assert_cmpfloat (w.mpr->window_width, ==, 1500.0);
  g_assert_cmpfloat (w.mpr->window_level, ==, -600.0);
  /* 40 px right, 25 px down: wider by 40 x 4 HU, level raised by 25 x 4 HU. */
  fidac_mpr_window_drag (1500.0, -600.0, 40.0, 25.0, &w.width, &w.level);
  g_assert_cmpfloat (w.width, ==, 1660.0);
  g_assert_cmpfloat (w.level, ==, -500.0);

  point (fixture, fixture->views[FIDAC_VIEW_SAGITTAL], 80, 70);
  xdotool (fixture, "mousedown 3");
  move_to (fixture, fixture->views[FIDAC_VIEW_SAGITTAL], 100, 80);
  move_to (fixture, fixture->views[FIDAC_VIEW_SAGITTAL], 120, 95);
  xdotool (fixture, "mouseup 3");
  gui_test_wait_until (window_is, &w, "the window after the right drag");
  g_assert_cmpstr (fidac_mpr_view_get_text (fixture->views[FIDAC_VIEW_AXIAL], FIDAC_MPR_VIEW_TEXT_WINDOW),
                   ==, "W 1660 L -500");
  /* The crosshair did not move. */
  g_assert_cmpint (slice_of (fixture, FIDAC_VIEW_AXIAL), ==, 20);
  fixture_free (fixture);
}

typedef struct {
  const FidacMpr *mpr;
  FidacView       view;
  gdouble         zoom;
  gdouble         pan[2];
  gboolean        check_pan;
} ZoomIs;

static gboolean
zoom_is (gpointer data)
{
  ZoomIs *z = data;
  const FidacMprViewState *state = &z->mpr->views[z->view];

  return fabs (state->zoom - z->zoom) < 1e-12 &&
         (!z->check_pan || (state->pan[0] == z->pan[0] && state->pan[1] == z->pan[1]));
}

static gboolean
pan_changed (gpointer data)
{
  ZoomIs *z = data;
  const FidacMprViewState *state = &z->mpr->views[z->view];

  return state->pan[0] != z->pan[0] || state->pan[1] != z->pan[1];
}

static void
assert_screen_of (const FidacMpr *mpr,
                  FidacView       view,
                  const gdouble   patient[3],
                  gdouble         x,
                  gdouble         y)
{
  gdouble sx, sy;

  fidac_mpr_patient_to_screen (mpr, view, DEV_W, DEV_H, patient, &sx, &sy);
  g_assert_cmpfloat_with_epsilon (sx, DEV (x), 1e-6);
  g_assert_cmpfloat_with_epsilon (sy, DEV (y), 1e-6);
}

static void
test_zoom_pan_reset (void)
{
  Fixture *fixture;
  FidacMprView *axial;
  ZoomIs z;
  gdouble p[3];

  if (!gui_test_can_drive_x ())
    return;
  fixture = input_fixture ();
  axial = fixture->views[FIDAC_VIEW_AXIAL];
  z.mpr = fidac_viewer_get_mpr (fixture->viewer);
  z.view = FIDAC_VIEW_AXIAL;
  z.check_pan = FALSE;
  g_assert_cmpfloat (z.mpr->views[FIDAC_VIEW_AXIAL].zoom, ==, 1.0);

  /* Ctrl+wheel away from the user: zoom in by 1.2 about the pointer. */
  point (fixture, axial, 50, 40);
  fidac_mpr_screen_to_patient (z.mpr, FIDAC_VIEW_AXIAL, DEV_W, DEV_H, DEV (50), DEV (40), p);
  z.zoom = 1.2;
  xdotool (fixture, "keydown ctrl click 4 keyup ctrl");
  gui_test_wait_until (zoom_is, &z, "zoom 1.2");
  assert_screen_of (z.mpr, FIDAC_VIEW_AXIAL, p, 50, 40);
  z.zoom = 1.2 * 1.2;
  xdotool (fixture, "keydown ctrl click 4 keyup ctrl");
  gui_test_wait_until (zoom_is, &z, "zoom 1.44");
  assert_screen_of (z.mpr, FIDAC_VIEW_AXIAL, p, 50, 40);
  point (fixture, axial, 150, 120);
  fidac_mpr_screen_to_patient (z.mpr, FIDAC_VIEW_AXIAL, DEV_W, DEV_H, DEV (150), DEV (120), p);
  z.zoom = 1.2;
  xdotool (fixture, "keydown ctrl click 5 keyup ctrl");
  gui_test_wait_until (zoom_is, &z, "zoom back to 1.2");
  assert_screen_of (z.mpr, FIDAC_VIEW_AXIAL, p, 150, 120);
  /* The slice did not change, nor the other views. */
  g_assert_cmpint (slice_of (fixture, FIDAC_VIEW_AXIAL), ==, 20);
  g_assert_cmpfloat (z.mpr->views[FIDAC_VIEW_CORONAL].zoom, ==, 1.0);

  /* Middle drag: the image follows the pointer. */
  point (fixture, axial, 100, 100);
  fidac_mpr_screen_to_patient (z.mpr, FIDAC_VIEW_AXIAL, DEV_W, DEV_H, DEV (100), DEV (100), p);
  memcpy (z.pan, z.mpr->views[FIDAC_VIEW_AXIAL].pan, sizeof z.pan);
  xdotool (fixture, "mousedown 2");
  move_to (fixture, axial, 115, 90);
  move_to (fixture, axial, 130, 70);
  xdotool (fixture, "mouseup 2");
  gui_test_wait_until (pan_changed, &z, "a pan");
  {
    /* Wait for the last position: the point under the start is under the end. */
    gint64 deadline = g_get_monotonic_time () + GUI_TEST_WAIT_SECONDS * G_USEC_PER_SEC;
    gdouble sx = 0, sy = 0;

    while (g_get_monotonic_time () < deadline)
      {
        fidac_mpr_patient_to_screen (z.mpr, FIDAC_VIEW_AXIAL, DEV_W, DEV_H, p, &sx, &sy);
        if (fabs (sx - DEV (130)) < 1e-6 && fabs (sy - DEV (70)) < 1e-6 && axial->drag_button == 0)
          break;
        g_main_context_iteration (NULL, FALSE);
      }
    assert_screen_of (z.mpr, FIDAC_VIEW_AXIAL, p, 130, 70);
  }
  g_assert_cmpfloat (z.mpr->views[FIDAC_VIEW_AXIAL].zoom, ==, 1.2);

  /* R: zoom 1, no pan. */
  xdotool (fixture, "windowfocus WIN");
  gtk_widget_grab_focus (GTK_WIDGET (axial));
  gui_test_wait_until (has_focus, axial, "the focus on the axial view");
  z.zoom = 1.0;
  z.pan[0] = z.pan[1] = 0.0;
  z.check_pan = TRUE;
  xdotool (fixture, "key r");
  gui_test_wait_until (zoom_is, &z, "the view reset");
  g_assert_cmpint (slice_of (fixture, FIDAC_VIEW_AXIAL), ==, 20);
  g_assert_cmpuint (fixture->n_toggles, ==, 0);
  fixture_free (fixture);
}

static gboolean
toggled (gpointer data)
{
  return ((Fixture *) data)->n_toggles > 0;
}

static void
test_double_click (void)
{
  Fixture *fixture;

  if (!gui_test_can_drive_x ())
    return;
  fixture = input_fixture ();
  point (fixture, fixture->views[FIDAC_VIEW_CORONAL], 70, 60);
  xdotool (fixture, "click 1");
  gui_test_settle ();
  g_assert_cmpuint (fixture->n_toggles, ==, 0);
  point (fixture, fixture->views[FIDAC_VIEW_CORONAL], 140, 90);
  xdotool (fixture, "click --repeat 2 --delay 60 1");
  gui_test_wait_until (toggled, fixture, "toggle-maximized");
  gui_test_settle ();
  g_assert_cmpuint (fixture->n_toggles, ==, 1);
  fixture_free (fixture);
}

typedef struct {
  FidacMprView *view;
  const gchar  *hu;
} TextIs;

static gboolean
hu_text_is (gpointer data)
{
  TextIs *t = data;

  return g_strcmp0 (fidac_mpr_view_get_text (t->view, FIDAC_MPR_VIEW_TEXT_HU), t->hu) == 0;
}

static void
test_readout (void)
{
  Fixture *fixture;
  FidacMprView *axial;
  const FidacMpr *mpr;
  g_autofree gchar *hu = NULL, *voxel = NULL, *patient = NULL;
  gdouble p[3];
  gint ijk[3];
  gint16 value;
  TextIs t;

  if (!gui_test_can_drive_x ())
    return;
  fixture = input_fixture ();
  axial = fixture->views[FIDAC_VIEW_AXIAL];
  mpr = fidac_viewer_get_mpr (fixture->viewer);
  g_assert_cmpstr (fidac_mpr_view_get_text (axial, FIDAC_MPR_VIEW_TEXT_HU), ==, "");

  /* Over the body: the voxel under the pointer, its HU and where it is. */
  point (fixture, axial, 120, 70);
  fidac_mpr_screen_to_patient (mpr, FIDAC_VIEW_AXIAL, DEV_W, DEV_H, DEV (120), DEV (70), p);
  g_assert_true (fidac_mpr_probe (mpr, p, ijk, &value));
  g_assert_cmpint (value, ==, fidac_volume_get (mpr->volume, ijk[0], ijk[1], ijk[2]));
  hu = g_strdup_printf ("%d HU", value);
  voxel = g_strdup_printf ("voxel (%d, %d, %d)", ijk[0], ijk[1], ijk[2]);
  patient = g_strdup_printf ("(%.1f, %.1f, %.1f) mm", p[0], p[1], p[2]);
  g_assert_cmpstr (fidac_mpr_view_get_text (axial, FIDAC_MPR_VIEW_TEXT_HU), ==, hu);
  g_assert_cmpstr (fidac_mpr_view_get_text (axial, FIDAC_MPR_VIEW_TEXT_VOXEL), ==, voxel);
  g_assert_cmpstr (fidac_mpr_view_get_text (axial, FIDAC_MPR_VIEW_TEXT_PATIENT), ==, patient);
  g_test_message ("read-out at (120, 70): %s, %s, %s", hu, voxel, patient);
  gui_test_screenshot ("readout");

  /* The volume is 360 mm wide in a 200 x 160 view fitted on its height: the sides are
   * outside. */
  point (fixture, axial, 2, 80);
  fidac_mpr_screen_to_patient (mpr, FIDAC_VIEW_AXIAL, DEV_W, DEV_H, DEV (2), DEV (80), p);
  if (fidac_mpr_probe (mpr, p, ijk, &value))
    g_test_message ("the side of the view is inside the volume: not checked");
  else
    g_assert_cmpstr (fidac_mpr_view_get_text (axial, FIDAC_MPR_VIEW_TEXT_HU), ==, "outside the volume");

  /* Leaving the view clears it. */
  point (fixture, fixture->views[FIDAC_VIEW_CORONAL], 100, 80);
  t.view = axial;
  t.hu = "";
  gui_test_wait_until (hu_text_is, &t, "the read-out cleared");
  g_assert_cmpstr (fidac_mpr_view_get_text (axial, FIDAC_MPR_VIEW_TEXT_VOXEL), ==, "");
  fixture_free (fixture);
}

/* GDK_SCALE=2: the planes get the device size, the pointer is scaled to it. */
static void
hidpi_child (void)
{
  g_autoptr(FidacVolume) volume = phantom_new (0.0, 0.0, 0.0, 1.0);
  Fixture *fixture = fixture_new (volume);
  const FidacMpr *mpr = fidac_viewer_get_mpr (fixture->viewer);
  FidacMprView *axial = fixture->views[FIDAC_VIEW_AXIAL];
  g_autofree gchar *hu = NULL;
  CrosshairIs c;
  gdouble p[3];
  gint ijk[3];
  gint16 value;

  g_assert_cmpint (scale_factor, ==, 2);
  assert_gl_matches (fixture, "scale 2");
  if (!gui_test_can_drive_x ())
    {
      fixture_free (fixture);
      return;
    }
  c.mpr = mpr;
  fidac_mpr_screen_to_patient (mpr, FIDAC_VIEW_AXIAL, DEV_W, DEV_H, DEV (60), DEV (50), c.crosshair);
  point (fixture, axial, 60, 50);
  xdotool (fixture, "click 1");
  gui_test_wait_until (crosshair_is, &c, "the crosshair at the click, scale 2");

  point (fixture, axial, 120, 70);
  fidac_mpr_screen_to_patient (mpr, FIDAC_VIEW_AXIAL, DEV_W, DEV_H, DEV (120), DEV (70), p);
  g_assert_true (fidac_mpr_probe (mpr, p, ijk, &value));
  hu = g_strdup_printf ("%d HU", value);
  g_assert_cmpstr (fidac_mpr_view_get_text (axial, FIDAC_MPR_VIEW_TEXT_HU), ==, hu);
  gui_test_screenshot ("hidpi");
  fixture_free (fixture);
}

static void
test_hidpi (void)
{
  if (g_test_subprocess ())
    {
      hidpi_child ();
      /* The child's checks are done (a failed one aborted). It leaves without the exit
       * handlers: under LeakSanitizer, the stop-the-world leak check at exit has crashed
       * while Mesa's llvmpipe threads were still winding down, and the parent process
       * checks the same code for leaks anyway. */
      fflush (stdout);
      fflush (stderr);
      _exit (0);
    }
  g_setenv ("GDK_SCALE", "2", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("GDK_SCALE");
  g_test_trap_assert_passed ();
}

static void
add_input_tests (void)
{
  g_test_add_func ("/fidac/gui/mpr-view/slices", test_slices);
  g_test_add_func ("/fidac/gui/mpr-view/crosshair", test_crosshair);
  g_test_add_func ("/fidac/gui/mpr-view/window-drag", test_window_drag);
  g_test_add_func ("/fidac/gui/mpr-view/zoom-pan-reset", test_zoom_pan_reset);
  g_test_add_func ("/fidac/gui/mpr-view/double-click", test_double_click);
  g_test_add_func ("/fidac/gui/mpr-view/readout", test_readout);
  g_test_add_func ("/fidac/gui/mpr-view/hidpi", test_hidpi);
}

#else

static void
add_input_tests (void)
{
}

#endif

int
main (int    argc,
      char **argv)
{
  /* xdotool drives X11: the tests run on Xvfb. */
  g_setenv ("GDK_BACKEND", "x11", FALSE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();

  g_test_add_func ("/fidac/gui/mpr-view/gl-phantom", test_gl_phantom);
  g_test_add_func ("/fidac/gui/mpr-view/gl-oblique", test_gl_oblique);
  g_test_add_func ("/fidac/gui/mpr-view/gl-shared-lidc", test_gl_shared);
  g_test_add_func ("/fidac/gui/mpr-view/texts", test_texts);
  g_test_add_func ("/fidac/gui/mpr-view/fallback", test_fallback);
  g_test_add_func ("/fidac/gui/mpr-view/too-large", test_too_large);
  add_input_tests ();

  return g_test_run ();
}
