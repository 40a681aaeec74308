/* test-paint.c: painting in the MPR views with real pointer events (xdotool, Xvfb), the
 * lesion panel, undo and redo from the keyboard, locks, and navigation left as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The expected label maps are computed with the core brush from the same patient points the
 * view maps the pointer to (fidac_mpr_screen_to_patient() in device pixels), so the GUI adds
 * nothing to what core paints and loses nothing of it.
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
#include "fidac-mpr-view-private.h"
#include "fidac-phantom.h"
#include "fidac-test-support.h"
#include "fidac-window-private.h"
#include "gui-test-phantom.h"
#include "gui-test-support.h"

static FidacApplication *app;

typedef GuiTestPhantom Fixture;

/* xdotool ------------------------------------------------------------------------------- */

#ifdef GDK_WINDOWING_X11

/* Runs xdotool with `args` (space separated; WIN stands for the window's X id). */
static void
xdotool (Fixture     *f,
         const gchar *args)
{
  gui_test_xdotool (GTK_WIDGET (f->window), args);
}

static void
move_to (Fixture   *f,
         GtkWidget *widget,
         gdouble    x,
         gdouble    y)
{
  gui_test_move_to (GTK_WIDGET (f->window), f->scale, widget, x, y);
}

static void
point (Fixture      *f,
       FidacMprView *view,
       gdouble       x,
       gdouble       y)
{
  gui_test_point (GTK_WIDGET (f->window), f->scale, view, x, y);
}

/* Conditions ------------------------------------------------------------------------------ */

typedef GuiTestWant Want;

static gboolean
locked (gpointer data)
{
  Want *w = data;

  return fidac_annotation_get_locked (w->f->annotation, w->id);
}

typedef struct {
  Fixture *f;
  gdouble  crosshair[3];
} CrosshairIs;

static gboolean
crosshair_is (gpointer data)
{
  CrosshairIs *c = data;
  const FidacMpr *mpr = fidac_viewer_get_mpr (c->f->viewer);

  /* 1e-3 mm: GTK's single precision positions. */
  return fabs (mpr->crosshair[0] - c->crosshair[0]) < 1e-3 &&
         fabs (mpr->crosshair[1] - c->crosshair[1]) < 1e-3 &&
         fabs (mpr->crosshair[2] - c->crosshair[2]) < 1e-3;
}

typedef struct {
  FidacMprView *view;
  guint         n;
} LassoHas;

static gboolean
lasso_has (gpointer data)
{
  LassoHas *l = data;

  return l->view->lasso != NULL && l->view->lasso->len / 2 >= l->n;
}

static gboolean
has_focus (gpointer data)
{
  return gtk_widget_has_focus (data);
}

typedef struct {
  FidacMprView *view;
  guint8        id;
  gboolean      present;
} ShowsClass;

/* Asks the view for its class ids at each draw until they show (or no longer show) the
 * class: in GL mode the view computes them only when asked. */
static gboolean
view_shows (gpointer data)
{
  ShowsClass *s = data;
  FidacPlane plane;
  const guint8 *labels;
  gint width, height;
  gboolean found = FALSE;

  if (s->view->labels_requested)
    return FALSE;
  labels = fidac_mpr_view_get_labels (s->view, &plane);
  fidac_mpr_view_device_size (s->view, &width, &height);
  /* The labels of the plane shown now, not of an older one. */
  if (labels != NULL && plane.width == width && plane.height == height)
    for (gsize i = 0; i < (gsize) plane.width * plane.height && !found; i++)
      found = labels[i] == s->id;
  if (found == s->present)
    return TRUE;
  fidac_mpr_view_request_labels (s->view);
  return FALSE;
}

/* The test -------------------------------------------------------------------------------- */

static guint8 *
copy_labels (const FidacLabelMap *map)
{
  return g_memdup2 (map->labels, gui_test_map_size (map));
}

/* The patient point the view maps the logical point (x, y) to. */
static void
view_point (Fixture  *f,
            FidacView view,
            gdouble   x,
            gdouble   y,
            gdouble   patient[3])
{
  gint width, height;

  fidac_mpr_view_device_size (gui_test_view (f, view), &width, &height);
  fidac_mpr_screen_to_patient (fidac_viewer_get_mpr (f->viewer), view, width, height,
                               x * f->scale, y * f->scale, patient);
}

/* What core paints for a stroke of the current tool from a to b in `view`, over `labels`
 * (which it updates): a dab at the press, then the segment. */
static void
expected_stroke (Fixture  *f,
                 FidacView view,
                 guint8   *labels,
                 const gdouble a[3],
                 const gdouble b[3])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (f->volume, &error);
  FidacMprView *mpr_view = gui_test_view (f, view);
  FidacPlane plane;
  FidacBrush brush;
  gdouble normal[3];
  gint width, height;

  g_assert_no_error (error);
  memcpy (map->labels, labels, gui_test_map_size (map));
  fidac_label_map_touch (map, 0, map->dims[2] - 1);
  fidac_mpr_view_device_size (mpr_view, &width, &height);
  fidac_mpr_get_plane (fidac_viewer_get_mpr (f->viewer), view, width, height, &plane);
  fidac_plane_get_normal (&plane, normal);
  g_assert_true (fidac_annotation_get_brush (f->annotation, normal, &brush));
  g_assert_cmpint (fidac_paint_dab (map, fidac_annotation_get_volume (f->annotation), &brush, a,
                                    NULL, &error), >=, 0);
  g_assert_no_error (error);
  g_assert_cmpint (fidac_paint_segment (map, fidac_annotation_get_volume (f->annotation), &brush,
                                        a, b, NULL, &error), >=, 0);
  g_assert_no_error (error);
  memcpy (labels, map->labels, gui_test_map_size (map));
}

/* A left drag in `view` from (x0, y0) to (x1, y1), logical pixels; returns the patient
 * points of the press and of the release as the view received them. */
static void
drag (Fixture   *f,
      FidacView  view,
      gdouble    x0,
      gdouble    y0,
      gdouble    x1,
      gdouble    y1,
      gdouble    a[3],
      gdouble    b[3])
{
  FidacMprView *mpr_view = gui_test_view (f, view);

  point (f, mpr_view, x0, y0);
  xdotool (f, "mousedown 1");
  point (f, mpr_view, x1, y1);
  xdotool (f, "mouseup 1");
  /* The positions the view used (GTK's single precision included). */
  view_point (f, view, mpr_view->drag_x0, mpr_view->drag_y0, a);
  view_point (f, view, mpr_view->drag_x0 + mpr_view->drag_last_dx,
              mpr_view->drag_y0 + mpr_view->drag_last_dy, b);
}

static gchar *
ml_text (Fixture *f,
         guint    id)
{
  const gdouble *s = f->volume->spacing;
  guint64 count = fidac_label_map_count (fidac_annotation_get_map (f->annotation), (guint8) id);

  return g_strdup_printf ("%.2f mL", (gdouble) count * s[0] * s[1] * s[2] / 1000.0);
}

static void
test_paint (gconstpointer data)
{
  gboolean cpu = GPOINTER_TO_INT (data);
  Fixture fixture = { 0 }, *f = &fixture;
  FidacMprView *axial;
  FidacLabelMap *map;
  g_autofree guint8 *before = NULL, *expected = NULL, *painted = NULL;
  g_autofree gchar *ml = NULL;
  gdouble a[3], b[3], cx, cy, crosshair[3];
  Want want;
  GuiTestMapIs is;
  ShowsClass shows;

  if (!gui_test_can_drive_x ())
    return;
  gui_test_use_cpu_renderer (cpu);
  gui_test_phantom_set_up (f, app);
  axial = gui_test_view (f, FIDAC_VIEW_AXIAL);
  map = fidac_annotation_get_map (f->annotation);
  want.f = f;

  /* Navigation is the default: the panel is closed, the tool is navigation. */
  g_assert_false (fidac_window_get_annotation_shown (f->window));
  g_assert_cmpint (fidac_annotation_get_tool (f->annotation), ==, FIDAC_TOOL_NAVIGATE);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "undo"));

  /* F8 opens the panel. */
  xdotool (f, "windowfocus --sync WIN");
  gtk_widget_grab_focus (GTK_WIDGET (axial));
  xdotool (f, "key F8");
  gui_test_wait_until (gui_test_phantom_ready, f, "the panel and the views on screen");
  g_assert_true (fidac_window_get_annotation_shown (f->window));

  /* The brush and consolidation, clicked. */
  gui_test_click (f, GTK_WIDGET (fidac_lesion_panel_get_tool_button (f->panel, FIDAC_TOOL_BRUSH)));
  want.tool = FIDAC_TOOL_BRUSH;
  gui_test_wait_until (gui_test_tool_is, &want, "the brush selected");
  gui_test_answer_reader (f);
  gui_test_click (f, GTK_WIDGET (fidac_lesion_panel_get_class_button (f->panel, FIDAC_LESION_CONSOLIDATION)));
  want.id = FIDAC_LESION_CONSOLIDATION;
  gui_test_wait_until (gui_test_class_is, &want, "consolidation selected");
  g_assert_cmpstr (gtk_label_get_text (fidac_lesion_panel_get_volume_label (f->panel, FIDAC_LESION_CONSOLIDATION)),
                   ==, "0.00 mL");

  /* A stroke across the crosshair in the axial view: the crosshair stays, the map gets
   * exactly what core paints for the same patient points. */
  memcpy (crosshair, fidac_viewer_get_mpr (f->viewer)->crosshair, sizeof crosshair);
  {
    gint width, height;

    fidac_mpr_view_device_size (axial, &width, &height);
    fidac_mpr_patient_to_screen (fidac_viewer_get_mpr (f->viewer), FIDAC_VIEW_AXIAL, width, height,
                                 crosshair, &cx, &cy);
    /* Whole logical pixels: the pointer goes to whole pixels. */
    cx = round (cx / f->scale);
    cy = round (cy / f->scale);
  }
  before = copy_labels (map);
  drag (f, FIDAC_VIEW_AXIAL, cx - 30.0, cy - 12.0, cx + 30.0, cy + 12.0, a, b);
  want.n_undo = 1;
  gui_test_wait_until (gui_test_stroke_done, &want, "the stroke released");
  expected = copy_labels (map);
  memcpy (expected, before, gui_test_map_size (map));
  expected_stroke (f, FIDAC_VIEW_AXIAL, expected, a, b);
  g_assert_cmpmem (map->labels, gui_test_map_size (map), expected, gui_test_map_size (map));
  g_assert_cmpuint (fidac_label_map_count (map, FIDAC_LESION_CONSOLIDATION), >, 30);
  g_assert_cmpmem (fidac_viewer_get_mpr (f->viewer)->crosshair, sizeof crosshair, crosshair, sizeof crosshair);
  g_test_message ("stroke: %" G_GUINT64_FORMAT " voxels",
                  fidac_label_map_count (map, FIDAC_LESION_CONSOLIDATION));
  /* Committed on release. */
  gui_test_assert_stored (f, expected);
  move_to (f, GTK_WIDGET (axial), cx + 40.0, cy + 30.0);
  gui_test_screenshot (cpu ? "paint-cpu" : "paint-gl");

  /* Every view shows it: the stroke crosses the crosshair, so the two other planes cut it. */
  for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
    {
      shows = (ShowsClass) { gui_test_view (f, v), FIDAC_LESION_CONSOLIDATION, TRUE };
      gui_test_wait_until (view_shows, &shows, "the stroke drawn in every view");
    }
  /* Drawn by the GL overlay pass in GL mode, by the CPU otherwise. */
  for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
    {
      g_assert_cmpint (fidac_mpr_view_is_gl (gui_test_view (f, v)), ==, !cpu);
      if (!cpu)
        g_assert_true (gui_test_view (f, v)->labels_in_gl);
    }
  ml = ml_text (f, FIDAC_LESION_CONSOLIDATION);
  g_assert_cmpstr (gtk_label_get_text (fidac_lesion_panel_get_volume_label (f->panel, FIDAC_LESION_CONSOLIDATION)),
                   ==, ml);
  g_assert_cmpstr (ml, !=, "0.00 mL");

  /* Ctrl+Z: bit-identical to before; Ctrl+Shift+Z: the stroke again. */
  painted = copy_labels (map);
  xdotool (f, "key ctrl+z");
  is = (GuiTestMapIs) { map, before };
  gui_test_wait_until (gui_test_map_is, &is, "the stroke undone");
  g_assert_cmpuint (fidac_label_map_count (map, FIDAC_LESION_CONSOLIDATION), ==, 0);
  gui_test_assert_stored (f, before);
  g_assert_cmpstr (gtk_label_get_text (fidac_lesion_panel_get_volume_label (f->panel, FIDAC_LESION_CONSOLIDATION)),
                   ==, "0.00 mL");
  shows = (ShowsClass) { gui_test_view (f, FIDAC_VIEW_CORONAL), FIDAC_LESION_CONSOLIDATION, FALSE };
  gui_test_wait_until (view_shows, &shows, "the stroke gone from the coronal view");
  xdotool (f, "key ctrl+shift+z");
  is = (GuiTestMapIs) { map, painted };
  gui_test_wait_until (gui_test_map_is, &is, "the stroke redone");
  gui_test_assert_stored (f, painted);
  g_assert_cmpstr (gtk_label_get_text (fidac_lesion_panel_get_volume_label (f->panel, FIDAC_LESION_CONSOLIDATION)),
                   ==, ml);

  /* Brush size: Shift+wheel and the brackets, in the view with the focus; the panel follows. */
  g_assert_cmpfloat (fidac_annotation_get_diameter (f->annotation), ==, 10.0);
  point (f, axial, cx + 40.0, cy - 30.0);
  xdotool (f, "keydown shift click 4 keyup shift");
  gui_test_settle ();
  g_assert_cmpfloat (fidac_annotation_get_diameter (f->annotation), ==, 11.0);
  gtk_widget_grab_focus (GTK_WIDGET (axial));
  gui_test_wait_until (has_focus, axial, "the focus on the axial view");
  xdotool (f, "key bracketright bracketright");
  gui_test_settle ();
  g_assert_cmpfloat (fidac_annotation_get_diameter (f->annotation), ==, 13.0);
  xdotool (f, "key bracketleft");
  gui_test_settle ();
  g_assert_cmpfloat (fidac_annotation_get_diameter (f->annotation), ==, 12.0);
  g_assert_cmpfloat (gtk_spin_button_get_value (fidac_lesion_panel_get_size_spin (f->panel)), ==, 12.0);
  /* Shift+wheel with navigation still steps 10 slices: tested by test-mpr-view. */

  /* A locked class is not overwritten: consolidation locked, crazy-paving painted over
   * every unlocked class across it. */
  gui_test_click (f, GTK_WIDGET (fidac_lesion_panel_get_lock_button (f->panel, FIDAC_LESION_CONSOLIDATION)));
  want.id = FIDAC_LESION_CONSOLIDATION;
  gui_test_wait_until (locked, &want, "consolidation locked");
  gui_test_click (f, GTK_WIDGET (fidac_lesion_panel_get_class_button (f->panel, FIDAC_LESION_CRAZY_PAVING)));
  want.id = FIDAC_LESION_CRAZY_PAVING;
  gui_test_wait_until (gui_test_class_is, &want, "crazy-paving selected");
  {
    FidacBrush brush;
    guint over_label;

    fidac_annotation_set_paint_over (f->annotation, FIDAC_PAINT_OVER_CLASS, FIDAC_LESION_GROUND_GLASS);
    g_assert_cmpint (fidac_annotation_get_paint_over (f->annotation, &over_label), ==, FIDAC_PAINT_OVER_CLASS);
    g_assert_cmpuint (over_label, ==, FIDAC_LESION_GROUND_GLASS);
    g_assert_true (fidac_annotation_get_brush (f->annotation, (gdouble[3]) { 0, 0, 1 }, &brush));
    g_assert_cmpint (brush.over, ==, FIDAC_PAINT_OVER_CLASS);
    g_assert_cmpuint (brush.over_label, ==, FIDAC_LESION_GROUND_GLASS);
    g_assert_cmpuint (brush.locked, ==, 1u << FIDAC_LESION_CONSOLIDATION);
  }
  fidac_annotation_set_paint_over (f->annotation, FIDAC_PAINT_OVER_ALL, 0);
  memcpy (expected, map->labels, gui_test_map_size (map));
  drag (f, FIDAC_VIEW_AXIAL, cx - 30.0, cy + 12.0, cx + 30.0, cy - 12.0, a, b);
  want.n_undo = 2;
  gui_test_wait_until (gui_test_stroke_done, &want, "the second stroke released");
  expected_stroke (f, FIDAC_VIEW_AXIAL, expected, a, b);
  g_assert_cmpmem (map->labels, gui_test_map_size (map), expected, gui_test_map_size (map));
  for (gsize i = 0; i < gui_test_map_size (map); i++)
    if (painted[i] == FIDAC_LESION_CONSOLIDATION)
      g_assert_cmpuint (map->labels[i], ==, FIDAC_LESION_CONSOLIDATION);
  g_assert_cmpuint (fidac_label_map_count (map, FIDAC_LESION_CRAZY_PAVING), >, 30);

  /* Fill: a click grows crazy-paving over the lung in the axial slice, as core does for
   * the same seed, range, bound and rule; Ctrl+Z takes the whole region back. */
  gui_test_click (f, GTK_WIDGET (fidac_lesion_panel_get_tool_button (f->panel, FIDAC_TOOL_FILL)));
  want.tool = FIDAC_TOOL_FILL;
  gui_test_wait_until (gui_test_tool_is, &want, "the fill tool selected");
  memcpy (before, map->labels, gui_test_map_size (map));
  memcpy (expected, map->labels, gui_test_map_size (map));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FidacLabelMap) core = fidac_label_map_new (f->volume, &error);
    FidacVolume *volume = fidac_annotation_get_volume (f->annotation);
    FidacFillResult result;
    FidacFillRule rule;
    FidacBrush brush;
    FidacPlane plane;
    gdouble normal[3], seed_point[3];
    gint seed[3], width, height, hu;

    fidac_mpr_view_device_size (axial, &width, &height);
    fidac_mpr_get_plane (fidac_viewer_get_mpr (f->viewer), FIDAC_VIEW_AXIAL, width, height, &plane);
    fidac_plane_get_normal (&plane, normal);
    point (f, axial, cx - 60.0, cy + 10.0);
    view_point (f, FIDAC_VIEW_AXIAL, axial->pointer_x, axial->pointer_y, seed_point);
    g_assert_true (fidac_fill_seed_from_patient (volume, seed_point, seed));
    hu = fidac_volume_get (volume, seed[0], seed[1], seed[2]);
    g_test_message ("fill seed (%d, %d, %d), %d HU", seed[0], seed[1], seed[2], hu);
    g_assert_true (fidac_annotation_get_brush (f->annotation, normal, &brush));
    fidac_fill_rule_from_brush (&rule, &brush);
    memcpy (core->labels, expected, gui_test_map_size (map));
    fidac_label_map_touch (core, 0, core->dims[2] - 1);
    g_assert_true (fidac_fill_region (core, volume, seed, fidac_fill_axis_for_normal (volume, normal),
                                      hu - FIDAC_ANNOTATION_FILL_TOLERANCE_HU,
                                      hu + FIDAC_ANNOTATION_FILL_TOLERANCE_HU,
                                      fidac_fill_voxels_for_ml (volume, FIDAC_ANNOTATION_FILL_MAX_ML),
                                      &rule, NULL, &result, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (result.n_changed, >, 20);
    memcpy (expected, core->labels, gui_test_map_size (map));
  }
  xdotool (f, "click 1");
  want.n_undo = 3;
  gui_test_wait_until (gui_test_stroke_done, &want, "the fill done");
  g_assert_cmpmem (map->labels, gui_test_map_size (map), expected, gui_test_map_size (map));
  gui_test_assert_stored (f, expected);
  xdotool (f, "key ctrl+z");
  is = (GuiTestMapIs) { map, before };
  gui_test_wait_until (gui_test_map_is, &is, "the fill undone");
  gui_test_assert_stored (f, before);
  memcpy (expected, before, gui_test_map_size (map));

  /* Lasso: a triangle drawn in the axial view is filled in its slice on release, as core
   * fills the same outline; one undo step. */
  gui_test_click (f, GTK_WIDGET (fidac_lesion_panel_get_tool_button (f->panel, FIDAC_TOOL_LASSO)));
  want.tool = FIDAC_TOOL_LASSO;
  gui_test_wait_until (gui_test_tool_is, &want, "the lasso selected");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FidacLabelMap) core = fidac_label_map_new (f->volume, &error);
    FidacVolume *volume = fidac_annotation_get_volume (f->annotation);
    g_autofree gdouble *uv = NULL;
    FidacFillResult result;
    FidacFillRule rule;
    FidacBrush brush;
    FidacPlane plane;
    LassoHas has = { axial, 3 };
    gdouble normal[3], patient[3], voxel[3];
    gint width, height, slice = -1;
    guint n;

    point (f, axial, cx - 20.0, cy - 40.0);
    xdotool (f, "mousedown 1");
    point (f, axial, cx + 30.0, cy - 35.0);
    point (f, axial, cx + 5.0, cy + 5.0);
    gui_test_wait_until (lasso_has, &has, "three points in the lasso");
    n = axial->lasso->len / 2;
    uv = g_new (gdouble, 2 * n);
    for (guint p = 0; p < n; p++)
      {
        view_point (f, FIDAC_VIEW_AXIAL, g_array_index (axial->lasso, gdouble, 2 * p),
                    g_array_index (axial->lasso, gdouble, 2 * p + 1), patient);
        fidac_volume_patient_to_voxel (volume, patient, voxel);
        if (p == 0)
          slice = (gint) (voxel[2] + 0.5);
        uv[2 * p] = voxel[0];
        uv[2 * p + 1] = voxel[1];
      }
    xdotool (f, "mouseup 1");
    want.n_undo = 3;
    gui_test_wait_until (gui_test_stroke_done, &want, "the lasso filled");

    fidac_mpr_view_device_size (axial, &width, &height);
    fidac_mpr_get_plane (fidac_viewer_get_mpr (f->viewer), FIDAC_VIEW_AXIAL, width, height, &plane);
    fidac_plane_get_normal (&plane, normal);
    g_assert_cmpint (fidac_fill_axis_for_normal (volume, normal), ==, 2);
    g_assert_true (fidac_annotation_get_brush (f->annotation, normal, &brush));
    fidac_fill_rule_from_brush (&rule, &brush);
    memcpy (core->labels, before, gui_test_map_size (map));
    fidac_label_map_touch (core, 0, core->dims[2] - 1);
    g_assert_true (fidac_fill_polygon (core, volume, 2, slice, uv, n, FIDAC_POLYGON_NONZERO,
                                       &rule, NULL, &result, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (result.n_changed, >, 20);
    g_assert_cmpmem (map->labels, gui_test_map_size (map), core->labels, gui_test_map_size (map));
    memcpy (expected, core->labels, gui_test_map_size (map));
    gui_test_assert_stored (f, expected);
  }

  /* Navigation again: a left click moves the crosshair and paints nothing. */
  gui_test_click (f, GTK_WIDGET (fidac_lesion_panel_get_tool_button (f->panel, FIDAC_TOOL_NAVIGATE)));
  want.tool = FIDAC_TOOL_NAVIGATE;
  gui_test_wait_until (gui_test_tool_is, &want, "navigation selected");
  memcpy (expected, map->labels, gui_test_map_size (map));
  {
    CrosshairIs c = { f };

    view_point (f, FIDAC_VIEW_AXIAL, cx + 20.0, cy + 25.0, c.crosshair);
    point (f, axial, cx + 20.0, cy + 25.0);
    xdotool (f, "click 1");
    gui_test_wait_until (crosshair_is, &c, "the crosshair at the click");
  }
  gui_test_settle ();
  g_assert_cmpmem (map->labels, gui_test_map_size (map), expected, gui_test_map_size (map));
  g_assert_true (fidac_annotation_can_undo (f->annotation));

  /* Closing the pane goes back to navigation (already there) and keeps the labels. */
  xdotool (f, "key F8");
  gui_test_settle ();
  g_assert_false (fidac_window_get_annotation_shown (f->window));
  g_assert_cmpmem (map->labels, gui_test_map_size (map), expected, gui_test_map_size (map));
  gui_test_assert_stored (f, expected);

  /* Reopened, the case shows the reader's work as it was. */
  gui_test_close_window (f);
  gui_test_open_window (f);
  map = fidac_annotation_get_map (f->annotation);
  g_assert_cmpmem (map->labels, gui_test_map_size (map), expected, gui_test_map_size (map));
  g_assert_cmpuint (fidac_annotation_get_n_undo (f->annotation), ==, 0);

  gui_test_phantom_tear_down (f);
}

#else

static void
test_paint (gconstpointer data)
{
  gui_test_can_drive_x ();
}

#endif

int
main (int    argc,
      char **argv)
{
  int status;

  app = gui_test_init_x11 (&argc, &argv);

  g_test_add_data_func ("/fidac/gui/paint/gl", GINT_TO_POINTER (FALSE), test_paint);
  g_test_add_data_func ("/fidac/gui/paint/cpu", GINT_TO_POINTER (TRUE), test_paint);

  status = g_test_run ();
  gui_test_application_free (g_steal_pointer (&app));
  return status;
}
