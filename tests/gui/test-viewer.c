/* test-viewer.c: the model shared by the MPR views: what it changes and what it announces.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gtk/gtk.h>

#include "fidac-phantom.h"
#include "fidac-viewer.h"
#include "fidac-window-level.h"

typedef struct {
  guint n;
  guint changes;
  gint  view;
} Record;

static void
changed_cb (FidacViewer *viewer,
            guint        changes,
            gint         view,
            Record      *record)
{
  record->n++;
  record->changes = changes;
  record->view = view;
}

static FidacVolume *
small_phantom (void)
{
  FidacPhantomOptions options;
  g_autoptr(GError) error = NULL;
  FidacVolume *volume;

  fidac_phantom_options_init (&options);
  options.columns = 64;
  options.rows = 64;
  options.slices = 30;
  options.pixel_spacing = 5.6;
  options.slice_spacing = 10.0;
  volume = fidac_phantom_new (&options, &error);
  g_assert_no_error (error);
  return volume;
}

static void
test_empty (void)
{
  g_autoptr(FidacViewer) viewer = fidac_viewer_new ();
  g_autoptr(GError) error = NULL;
  GArray *presets = fidac_viewer_get_presets (viewer);
  Record record = { 0 };

  g_signal_connect (viewer, "changed", G_CALLBACK (changed_cb), &record);
  g_assert_null (fidac_viewer_get_volume (viewer));
  g_assert_null (fidac_viewer_get_mpr (viewer));
  /* Without a volume, the chest presets are there and nothing else happens. */
  g_assert_cmpuint (presets->len, ==, 3);
  g_assert_false (fidac_viewer_scroll (viewer, FIDAC_VIEW_AXIAL, 1));
  fidac_viewer_set_window (viewer, 400, 40);
  fidac_viewer_reset_view (viewer, FIDAC_VIEW_AXIAL);
  g_assert_cmpuint (record.n, ==, 0);
  g_assert_null (fidac_viewer_ensure_gl_volume (viewer, &error));
  g_assert_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED);
}

static void
test_volume (void)
{
  g_autoptr(FidacViewer) viewer = fidac_viewer_new ();
  g_autoptr(FidacVolume) volume = small_phantom ();
  g_autoptr(GError) error = NULL;
  Record record = { 0 };
  const FidacMpr *mpr;
  gint index, count;
  gdouble position;

  g_signal_connect (viewer, "changed", G_CALLBACK (changed_cb), &record);
  fidac_viewer_set_volume (viewer, volume);
  g_assert_cmpuint (record.n, ==, 1);
  g_assert_cmpuint (record.changes & FIDAC_VIEWER_CHANGED_VOLUME, !=, 0);
  g_assert_cmpint (record.view, ==, FIDAC_N_VIEWS);
  g_assert_true (fidac_viewer_get_volume (viewer) == volume);
  /* The viewer holds its own reference: the volume outlives the caller's. */
  g_assert_cmpint (volume->ref_count, ==, 2);
  mpr = fidac_viewer_get_mpr (viewer);
  g_assert_nonnull (mpr);
  g_assert_cmpfloat (mpr->window_width, ==, FIDAC_WINDOW_LUNG_WIDTH);
  g_assert_cmpfloat (mpr->window_level, ==, FIDAC_WINDOW_LUNG_LEVEL);

  /* The same volume again changes nothing. */
  fidac_viewer_set_volume (viewer, volume);
  g_assert_cmpuint (record.n, ==, 1);

  /* Slices: one signal per move, none at the end of the stack. */
  fidac_viewer_set_slice (viewer, FIDAC_VIEW_AXIAL, 0);
  g_assert_cmpuint (record.n, ==, 2);
  g_assert_cmpuint (record.changes, ==, FIDAC_VIEWER_CHANGED_CROSSHAIR);
  g_assert_false (fidac_viewer_scroll (viewer, FIDAC_VIEW_AXIAL, -1));
  g_assert_cmpuint (record.n, ==, 2);
  g_assert_true (fidac_viewer_scroll (viewer, FIDAC_VIEW_AXIAL, 3));
  g_assert_cmpuint (record.n, ==, 3);
  fidac_mpr_get_slice (mpr, FIDAC_VIEW_AXIAL, &index, &count, &position);
  g_assert_cmpint (index, ==, 3);
  g_assert_cmpint (count, ==, 30);

  /* Zoom and pan name their view. */
  fidac_viewer_zoom_at (viewer, FIDAC_VIEW_CORONAL, 200, 100, 50, 50, 2.0);
  g_assert_cmpuint (record.changes, ==, FIDAC_VIEWER_CHANGED_VIEW);
  g_assert_cmpint (record.view, ==, FIDAC_VIEW_CORONAL);
  g_assert_cmpfloat (mpr->views[FIDAC_VIEW_CORONAL].zoom, ==, 2.0);
  g_assert_cmpfloat (mpr->views[FIDAC_VIEW_AXIAL].zoom, ==, 1.0);
  fidac_viewer_reset_view (viewer, FIDAC_VIEW_CORONAL);
  g_assert_cmpfloat (mpr->views[FIDAC_VIEW_CORONAL].zoom, ==, 1.0);

  /* Window: width at least 1, unchanged values say nothing. */
  fidac_viewer_set_window (viewer, 0.25, 40);
  g_assert_cmpuint (record.changes, ==, FIDAC_VIEWER_CHANGED_WINDOW);
  g_assert_cmpfloat (mpr->window_width, ==, 1.0);
  record.n = 0;
  fidac_viewer_set_window (viewer, 1.0, 40);
  fidac_viewer_set_invert (viewer, FALSE);
  g_assert_cmpuint (record.n, ==, 0);
  fidac_viewer_set_invert (viewer, TRUE);
  g_assert_cmpuint (record.n, ==, 1);
  g_assert_true (mpr->invert);

  fidac_viewer_set_slab (viewer, FIDAC_SLAB_MIP, 10.0);
  g_assert_cmpuint (record.changes, ==, FIDAC_VIEWER_CHANGED_RESLICE);
  g_assert_cmpint (mpr->reslice.slab_mode, ==, FIDAC_SLAB_MIP);
  g_assert_cmpfloat (mpr->reslice.slab_mm, ==, 10.0);
  fidac_viewer_set_slab (viewer, FIDAC_SLAB_MIP, -3.0);
  g_assert_cmpfloat (mpr->reslice.slab_mm, ==, 0.0);
  fidac_viewer_set_interpolation (viewer, FIDAC_INTERPOLATION_NEAREST);
  g_assert_cmpint (mpr->reslice.interpolation, ==, FIDAC_INTERPOLATION_NEAREST);

  /* No GL context is current here: the GL volume is refused with a reason. */
  g_assert_null (fidac_viewer_ensure_gl_volume (viewer, &error));
  g_assert_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED);

  fidac_viewer_set_volume (viewer, NULL);
  g_assert_null (fidac_viewer_get_mpr (viewer));
  g_assert_cmpint (volume->ref_count, ==, 1);
}

static void
test_presets (void)
{
  g_autoptr(FidacViewer) viewer = fidac_viewer_new ();
  g_autoptr(FidacVolume) volume = small_phantom ();
  const FidacViewerPreset *p;
  const FidacMpr *mpr;
  GArray *presets;

  fidac_volume_add_window (volume, 50, 400, "SOFT TISSUE");
  fidac_volume_add_window (volume, 30, 0, NULL);     /* width 0: not a window, left out */
  fidac_volume_add_window (volume, -500, 1200, NULL);
  fidac_viewer_set_volume (viewer, volume);
  mpr = fidac_viewer_get_mpr (viewer);
  presets = fidac_viewer_get_presets (viewer);
  g_assert_cmpuint (presets->len, ==, 3 + volume->windows->len - 1);

  p = &g_array_index (presets, FidacViewerPreset, 0);
  g_assert_cmpfloat (p->width, ==, 1500);
  g_assert_cmpfloat (p->level, ==, -600);
  p = &g_array_index (presets, FidacViewerPreset, 1);
  g_assert_cmpfloat (p->width, ==, 350);
  g_assert_cmpfloat (p->level, ==, 40);
  p = &g_array_index (presets, FidacViewerPreset, 2);
  g_assert_cmpfloat (p->width, ==, 2000);
  g_assert_cmpfloat (p->level, ==, 500);
  p = &g_array_index (presets, FidacViewerPreset, presets->len - 2);
  g_assert_cmpstr (p->name, ==, "SOFT TISSUE (W 400 L 50)");
  p = &g_array_index (presets, FidacViewerPreset, presets->len - 1);
  g_assert_cmpfloat (p->width, ==, 1200);
  g_assert_cmpfloat (p->level, ==, -500);
  g_assert_nonnull (strstr (p->name, "W 1200 L -500"));

  g_assert_true (fidac_viewer_apply_preset (viewer, 1));
  g_assert_cmpfloat (mpr->window_width, ==, 350);
  g_assert_cmpfloat (mpr->window_level, ==, 40);
  g_assert_true (fidac_viewer_apply_preset (viewer, presets->len - 2));
  g_assert_cmpfloat (mpr->window_width, ==, 400);
  g_assert_false (fidac_viewer_apply_preset (viewer, presets->len));
  g_assert_cmpfloat (mpr->window_width, ==, 400);

  /* Back to no volume: only the chest presets. */
  fidac_viewer_set_volume (viewer, NULL);
  g_assert_cmpuint (presets->len, ==, 3);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fidac/viewer/empty", test_empty);
  g_test_add_func ("/fidac/viewer/volume", test_volume);
  g_test_add_func ("/fidac/viewer/presets", test_presets);
  return g_test_run ();
}
