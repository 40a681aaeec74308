/* test-tools.c: the lesion panel's edits of the active class (fill between slices, remove
 * islands, clear slice, clear class) and the overlay's outline mode, driven through the
 * real widgets of a window showing a phantom.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each edit must give exactly what its core function gives on a copy of the map, be one
 * undo step that one Ctrl+Z takes back bit for bit, and be in the store after each step.
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
#include "fidac-interpolate.h"
#include "fidac-mpr-view-private.h"
#include "fidac-phantom.h"
#include "fidac-test-support.h"
#include "fidac-window-private.h"
#include "gui-test-phantom.h"
#include "gui-test-support.h"

#define CLASS FIDAC_LESION_CONSOLIDATION

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


/* The test -------------------------------------------------------------------------------- */

typedef struct {
  Fixture *f;
  guint    n_undo;
} StepsAre;

static gboolean
steps_are (gpointer data)
{
  StepsAre *s = data;

  return !fidac_annotation_in_stroke (s->f->annotation) &&
         fidac_annotation_get_n_undo (s->f->annotation) == s->n_undo;
}

/* A copy of the session's map, for the core functions' expectations. */
static FidacLabelMap *
copy_map (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  FidacLabelMap *map = fidac_annotation_get_map (f->annotation);
  FidacLabelMap *copy = fidac_label_map_new (f->volume, &error);

  g_assert_no_error (error);
  memcpy (copy->labels, map->labels, gui_test_map_size (map));
  fidac_label_map_touch (copy, 0, copy->dims[2] - 1);
  return copy;
}

static void
voxel_point (Fixture *f,
             gint     i,
             gint     j,
             gint     k,
             gdouble  patient[3])
{
  const gdouble voxel[3] = { i, j, k };

  fidac_volume_voxel_to_patient (fidac_annotation_get_volume (f->annotation), voxel, patient);
}

/* A dab of the brush (a disc of `mm` in the axial plane) centred on voxel (i, j, k). */
static void
dab (Fixture *f,
     gint     i,
     gint     j,
     gint     k,
     gdouble  mm)
{
  g_autoptr(GError) error = NULL;
  const gdouble normal[3] = { 0.0, 0.0, 1.0 };
  gdouble patient[3];
  guint n_undo = fidac_annotation_get_n_undo (f->annotation);

  voxel_point (f, i, j, k, patient);
  fidac_annotation_set_diameter (f->annotation, mm);
  g_assert_true (fidac_annotation_stroke_begin (f->annotation, normal, patient, &error));
  g_assert_no_error (error);
  fidac_annotation_stroke_end (f->annotation);
  g_assert_cmpuint (fidac_annotation_get_n_undo (f->annotation), ==, n_undo + 1);
}

/* Presses `button` as a click does (GtkButton emits ::clicked a moment after ::activate) and
 * waits for the step it makes. */
static void
press (Fixture   *f,
       GtkButton *button,
       guint      n_undo)
{
  StepsAre steps = { f, n_undo };

  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_assert_true (gtk_widget_activate (GTK_WIDGET (button)));
  gui_test_wait_until (steps_are, &steps, "the edit done");
}

/* One Ctrl+Z in the window: back to `before`, bit for bit, and in the store. */
static void
undo_key (Fixture      *f,
          const guint8 *before,
          guint         n_undo)
{
  FidacLabelMap *map = fidac_annotation_get_map (f->annotation);
  StepsAre steps = { f, n_undo };

  gtk_widget_grab_focus (GTK_WIDGET (gui_test_view (f, FIDAC_VIEW_AXIAL)));
  xdotool (f, "key ctrl+z");
  gui_test_wait_until (steps_are, &steps, "the edit undone");
  g_assert_cmpmem (map->labels, gui_test_map_size (map), before, gui_test_map_size (map));
  gui_test_assert_stored (f, before);
}

typedef struct {
  FidacMprView *view;
  GdkTexture   *old;
} NewTexture;

/* The CPU overlay's texture made again (after a change of style) for a plane of the view's
 * size. */
static gboolean
new_texture (gpointer data)
{
  NewTexture *t = data;
  gint width, height;

  fidac_mpr_view_device_size (t->view, &width, &height);
  return t->view->label_texture != NULL && t->view->label_texture != t->old &&
         t->view->label_ids != NULL && t->view->label_plane.width == width &&
         t->view->label_plane.height == height && !t->view->labels_dirty;
}

/* The CPU overlay of the axial view: a pixel is coloured exactly where its label is a shown
 * class and, in outline mode, one of its 4 neighbours in the view has another label. */
static void
check_cpu_overlay (Fixture          *f,
                   FidacOverlayMode  mode,
                   GdkTexture       *old)
{
  FidacMprView *view = gui_test_view (f, FIDAC_VIEW_AXIAL);
  NewTexture t = { view, old };
  const guint8 *ids;
  g_autofree guint8 *pixels = NULL;
  gint w, h;
  guint n_coloured = 0, n_inside = 0;

  gui_test_wait_until (new_texture, &t, "the overlay drawn again");
  w = view->label_plane.width;
  h = view->label_plane.height;
  ids = view->label_ids;
  g_assert_cmpint (gdk_texture_get_width (view->label_texture), ==, w);
  pixels = g_malloc ((gsize) w * h * 4);
  gdk_texture_download (view->label_texture, pixels, (gsize) w * 4);
  for (gint v = 0; v < h; v++)
    for (gint u = 0; u < w; u++)
      {
        gsize i = (gsize) v * w + u;
        guint8 l = ids[i];
        gboolean border = (u > 0 && ids[i - 1] != l) || (u + 1 < w && ids[i + 1] != l) ||
                          (v > 0 && ids[i - w] != l) || (v + 1 < h && ids[i + w] != l);
        gboolean want = l != 0 && (mode == FIDAC_OVERLAY_FILLED || border);
        /* GDK_MEMORY_DEFAULT is premultiplied B8G8R8A8: the alpha is the fourth byte. */
        gboolean coloured = pixels[4 * i + 3] != 0;

        if (coloured != want)
          g_error ("pixel (%d, %d) label %u border %d: coloured %d", u, v, l, border, coloured);
        n_coloured += coloured;
        n_inside += l != 0 && !border;
      }
  g_test_message ("overlay %s: %u pixels coloured, %u inside",
                  mode == FIDAC_OVERLAY_OUTLINE ? "outline" : "filled", n_coloured, n_inside);
  g_assert_cmpuint (n_coloured, >, 0);
  g_assert_cmpuint (n_inside, >, 0);
}

typedef struct {
  FidacMprView *view;
  guint         frames;
} FramesAfter;

static gboolean
frames_after (gpointer data)
{
  FramesAfter *fa = data;

  return fidac_mpr_view_get_n_frames (fa->view) > fa->frames;
}

static gboolean
mode_is_outline (gpointer data)
{
  Fixture *f = data;

  return fidac_annotation_get_overlay_mode (f->annotation) == FIDAC_OVERLAY_OUTLINE;
}

static gboolean
mode_is_filled (gpointer data)
{
  Fixture *f = data;

  return fidac_annotation_get_overlay_mode (f->annotation) == FIDAC_OVERLAY_FILLED;
}

static FidacLesionPanel *message_panel;

static gboolean
message_is (gpointer data)
{
  return g_strcmp0 (fidac_lesion_panel_get_edit_message (message_panel), data) == 0;
}

static gboolean
clear_dialog_open (gpointer data)
{
  Fixture *f = data;

  return fidac_lesion_panel_get_clear_dialog (f->panel) != NULL;
}

static void
test_tools (gconstpointer data)
{
  gboolean cpu = GPOINTER_TO_INT (data);
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacLabelMap) expected = NULL;
  g_autofree guint8 *before = NULL;
  g_autofree gchar *text = NULL;
  FidacInterpolateResult interpolated;
  FidacFillResult islands;
  FidacFillRule rule;
  FidacLabelMap *map;
  FidacMprView *axial;
  GtkWidget *dialog;
  GdkTexture *old;
  gdouble crosshair[3];
  guint64 n_class;
  gint64 cleared;
  guint frames;

  if (!gui_test_can_drive_x ())
    return;
  gui_test_use_cpu_renderer (cpu);
  gui_test_phantom_set_up (f, app);
  axial = gui_test_view (f, FIDAC_VIEW_AXIAL);
  map = fidac_annotation_get_map (f->annotation);
  message_panel = f->panel;

  xdotool (f, "windowfocus --sync WIN");
  gtk_widget_grab_focus (GTK_WIDGET (axial));
  xdotool (f, "key F8");
  gui_test_wait_until (gui_test_phantom_ready, f, "the panel and the views on screen");

  /* Without a case the edits are off; with one, on. */
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (fidac_lesion_panel_get_fill_between_button (f->panel))));
  g_assert_cmpfloat (gtk_spin_button_get_value (fidac_lesion_panel_get_island_spin (f->panel)), ==,
                     FIDAC_LESION_PANEL_ISLAND_MM3);

  fidac_annotation_set_tool (f->annotation, FIDAC_TOOL_BRUSH);
  gui_test_answer_reader (f);
  fidac_annotation_set_class (f->annotation, CLASS);
  g_assert_cmpint (fidac_mpr_layout_get_main_view (fidac_window_get_layout (f->window)), ==,
                   FIDAC_VIEW_AXIAL);

  /* Two discs, on slices k = 8 and k + 4 = 12, the second larger and shifted. */
  dab (f, 48, 40, 8, 20.0);
  dab (f, 51, 41, 12, 32.0);
  g_assert_cmpuint (fidac_label_map_slice_count (map, 8, CLASS), >, 50);
  gui_test_assert_stored (f, map->labels);

  /* Fill between slices: the slices 9, 10, 11 as core interpolates them on a copy. */
  expected = copy_map (f);
  fidac_fill_rule_init (&rule, CLASS);
  g_assert_true (fidac_interpolate_slices (expected, f->volume, 2, &rule, NULL, &interpolated, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (interpolated.n_painted, ==, 2);
  g_assert_cmpuint (interpolated.n_slices, ==, 3);
  g_assert_cmpuint (interpolated.n_changed, >, 100);
  before = g_memdup2 (map->labels, gui_test_map_size (map));
  press (f, fidac_lesion_panel_get_fill_between_button (f->panel), 3);
  g_assert_cmpmem (map->labels, gui_test_map_size (map), expected->labels, gui_test_map_size (map));
  for (gint k = 9; k <= 11; k++)
    g_assert_cmpuint (fidac_label_map_slice_count (map, k, CLASS), >, 0);
  g_assert_cmpstr (fidac_lesion_panel_get_edit_message (f->panel), ==,
                   "Slices filled: 3 (between 2 painted slices)");
  gui_test_assert_stored (f, expected->labels);
  g_test_message ("fill between: %" G_GUINT64_FORMAT " voxels", interpolated.n_changed);
  undo_key (f, before, 2);
  g_clear_pointer (&expected, fidac_label_map_unref);
  g_clear_pointer (&before, g_free);

  /* Islands: two dabs of one voxel's size, far from the discs; under 100 mm³ they go, the
   * discs stay. */
  dab (f, 10, 10, 8, 2.0);
  dab (f, 85, 70, 12, 2.0);
  n_class = fidac_label_map_count (map, CLASS);
  expected = copy_map (f);
  g_assert_true (fidac_fill_remove_islands (expected, f->volume, CLASS, 100.0, 26, FALSE, 0, NULL,
                                            &islands, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (islands.n_region, ==, 2);
  g_assert_cmpuint (islands.n_changed, >=, 2);
  before = g_memdup2 (map->labels, gui_test_map_size (map));
  gtk_spin_button_set_value (fidac_lesion_panel_get_island_spin (f->panel), 100.0);
  press (f, fidac_lesion_panel_get_remove_islands_button (f->panel), 5);
  g_assert_cmpmem (map->labels, gui_test_map_size (map), expected->labels, gui_test_map_size (map));
  g_assert_cmpuint (fidac_label_map_count (map, CLASS), ==, n_class - islands.n_changed);
  text = g_strdup_printf ("Voxels removed: %" G_GUINT64_FORMAT "; parts kept: 2", islands.n_changed);
  g_assert_cmpstr (fidac_lesion_panel_get_edit_message (f->panel), ==, text);
  g_clear_pointer (&text, g_free);
  gui_test_assert_stored (f, expected->labels);
  undo_key (f, before, 4);
  g_clear_pointer (&expected, fidac_label_map_unref);
  g_clear_pointer (&before, g_free);

  /* Clear slice: the axial slice through the crosshair, put on k = 12. */
  voxel_point (f, 51, 41, 12, crosshair);
  fidac_viewer_set_crosshair (f->viewer, crosshair);
  expected = copy_map (f);
  cleared = fidac_fill_clear_slice (expected, 2, 12, CLASS, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cleared, ==, (gint64) fidac_label_map_slice_count (map, 12, CLASS));
  g_assert_cmpint (cleared, >, 100);
  before = g_memdup2 (map->labels, gui_test_map_size (map));
  press (f, fidac_lesion_panel_get_clear_slice_button (f->panel), 5);
  g_assert_cmpmem (map->labels, gui_test_map_size (map), expected->labels, gui_test_map_size (map));
  g_assert_cmpuint (fidac_label_map_slice_count (map, 12, CLASS), ==, 0);
  g_assert_cmpuint (fidac_label_map_slice_count (map, 8, CLASS), >, 0);
  text = g_strdup_printf ("Voxels cleared: %" G_GINT64_FORMAT, cleared);
  g_assert_cmpstr (fidac_lesion_panel_get_edit_message (f->panel), ==, text);
  g_clear_pointer (&text, g_free);
  gui_test_assert_stored (f, expected->labels);
  undo_key (f, before, 4);
  g_clear_pointer (&expected, fidac_label_map_unref);

  /* Clear class asks first: cancelled, nothing happens. */
  n_class = fidac_label_map_count (map, CLASS);
  g_assert_true (gtk_widget_activate (GTK_WIDGET (fidac_lesion_panel_get_clear_class_button (f->panel))));
  gui_test_wait_until (clear_dialog_open, f, "the confirmation of clear class");
  dialog = fidac_lesion_panel_get_clear_dialog (f->panel);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gui_test_wait_until (gui_test_one_window, NULL, "the confirmation closed");
  g_assert_null (fidac_lesion_panel_get_clear_dialog (f->panel));
  g_assert_cmpuint (fidac_annotation_get_n_undo (f->annotation), ==, 4);
  g_assert_cmpmem (map->labels, gui_test_map_size (map), before, gui_test_map_size (map));

  /* Confirmed: every voxel of the class goes, one step. */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (fidac_lesion_panel_get_clear_class_button (f->panel))));
  gui_test_wait_until (clear_dialog_open, f, "the confirmation of clear class");
  dialog = fidac_lesion_panel_get_clear_dialog (f->panel);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Clear Consolidation?");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "clear");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gui_test_wait_until (gui_test_one_window, NULL, "the confirmation closed");
  g_assert_cmpuint (fidac_annotation_get_n_undo (f->annotation), ==, 5);
  g_assert_cmpuint (fidac_label_map_count (map, CLASS), ==, 0);
  text = g_strdup_printf ("Voxels cleared: %" G_GUINT64_FORMAT, n_class);
  g_assert_cmpstr (fidac_lesion_panel_get_edit_message (f->panel), ==, text);
  g_clear_pointer (&text, g_free);
  {
    g_autofree guint8 *empty = g_malloc0 (gui_test_map_size (map));

    g_assert_cmpmem (map->labels, gui_test_map_size (map), empty, gui_test_map_size (map));
    gui_test_assert_stored (f, empty);
  }
  undo_key (f, before, 4);

  /* A locked class: the edits refuse, say why, and make no step. */
  fidac_annotation_set_locked (f->annotation, CLASS, TRUE);
  g_assert_true (gtk_widget_activate (GTK_WIDGET (fidac_lesion_panel_get_fill_between_button (f->panel))));
  gui_test_wait_until (message_is, (gpointer) "The class is locked: unlock it to edit it", "the refusal told");
  g_assert_cmpuint (fidac_annotation_get_n_undo (f->annotation), ==, 4);
  g_assert_cmpmem (map->labels, gui_test_map_size (map), before, gui_test_map_size (map));
  fidac_annotation_set_locked (f->annotation, CLASS, FALSE);

  /* Outlines: the toggle sets the views' style, they draw again; in CPU mode the image has
   * colour only on the borders of the regions. The crosshair is on slice 12 (a disc). */
  frames = fidac_mpr_view_get_n_frames (axial);
  old = axial->label_texture;
  if (cpu)
    {
      NewTexture t = { axial, NULL };

      fidac_mpr_view_request_labels (axial);
      gtk_widget_queue_draw (GTK_WIDGET (axial));
      gui_test_wait_until (new_texture, &t, "the overlay drawn");
      old = axial->label_texture;
    }
  g_assert_true (gtk_widget_activate (GTK_WIDGET (fidac_lesion_panel_get_outline_button (f->panel))));
  gui_test_wait_until (mode_is_outline, f, "outline mode");
  g_assert_true (gtk_check_button_get_active (fidac_lesion_panel_get_outline_button (f->panel)));
  if (cpu)
    check_cpu_overlay (f, FIDAC_OVERLAY_OUTLINE, old);
  else
    g_assert_true (axial->labels_in_gl);
  /* GL renders again; the CPU path makes a new label texture (checked above), its image
   * (the frames it counts) stays. */
  if (!cpu)
    {
      FramesAfter fa = { axial, frames };

      gui_test_wait_until (frames_after, &fa, "the view drawn again");
    }
  /* The opacity is still the class's. */
  g_assert_cmpfloat (fidac_annotation_get_opacity (f->annotation, CLASS), ==, 0.5);
  old = axial->label_texture;
  frames = fidac_mpr_view_get_n_frames (axial);
  g_assert_true (gtk_widget_activate (GTK_WIDGET (fidac_lesion_panel_get_outline_button (f->panel))));
  gui_test_wait_until (mode_is_filled, f, "filled mode");
  if (cpu)
    check_cpu_overlay (f, FIDAC_OVERLAY_FILLED, old);
  /* GL renders again; the CPU path makes a new label texture (checked above), its image
   * (the frames it counts) stays. */
  if (!cpu)
    {
      FramesAfter fa = { axial, frames };

      gui_test_wait_until (frames_after, &fa, "the view drawn again");
    }

  gui_test_phantom_tear_down (f);
}

#else

static void
test_tools (gconstpointer data)
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

  g_test_add_data_func ("/fidac/gui/tools/gl", GINT_TO_POINTER (FALSE), test_tools);
  g_test_add_data_func ("/fidac/gui/tools/cpu", GINT_TO_POINTER (TRUE), test_tools);

  status = g_test_run ();
  gui_test_application_free (g_steal_pointer (&app));
  return status;
}
