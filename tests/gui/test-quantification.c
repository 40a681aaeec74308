/* test-quantification.c: the window's live quantification and the lung outline in the
 * views, with real pointer and key events (xdotool, Xvfb).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The references are core's, run from scratch on the same data: fidac_lungs_segment() for
 * the lung mask, fidac_quantify() for every figure after each stroke, undo and redo, and
 * fidac_label_reslice() for the lung ids each view outlines.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "fidac-application.h"
#include "fidac-label-reslice.h"
#include "fidac-mpr-view-private.h"
#include "fidac-phantom.h"
#include "fidac-quantification-private.h"
#include "fidac-test-support.h"
#include "fidac-window-private.h"
#include "gui-test-phantom.h"
#include "gui-test-support.h"

static FidacApplication *app;

typedef GuiTestPhantom Fixture;

/* Every state each quantification went through, in order (repeats folded), and whether
 * its progress ever left [0, 1] or went back while segmenting. */
typedef struct {
  gpointer                 instance;
  FidacQuantificationState state;
} Seen;

static GArray *seen;
static gboolean progress_wrong;

static gboolean
changed_hook (GSignalInvocationHint *hint,
              guint                  n_values,
              const GValue          *values,
              gpointer               data)
{
  FidacQuantification *q = g_value_get_object (&values[0]);
  Seen s = { q, fidac_quantification_get_state (q) };
  static gpointer last_instance;
  static gdouble last_progress;
  gdouble progress = fidac_quantification_get_progress (q);

  if (!(progress >= 0.0 && progress <= 1.0))
    progress_wrong = TRUE;
  if (s.state == FIDAC_QUANTIFICATION_SEGMENTING && q == last_instance && progress < last_progress)
    progress_wrong = TRUE;
  last_instance = q;
  last_progress = s.state == FIDAC_QUANTIFICATION_SEGMENTING ? progress : 0.0;

  for (guint i = seen->len; i > 0; i--)
    {
      Seen *prev = &g_array_index (seen, Seen, i - 1);

      if (prev->instance != q)
        continue;
      if (prev->state == s.state)
        return TRUE;
      break;
    }
  g_array_append_val (seen, s);
  return TRUE;
}

/* The states `q` went through. */
static GArray *
states_of (gpointer q)
{
  GArray *states = g_array_new (FALSE, FALSE, sizeof (FidacQuantificationState));

  for (guint i = 0; i < seen->len; i++)
    if (g_array_index (seen, Seen, i).instance == q)
      g_array_append_val (states, g_array_index (seen, Seen, i).state);
  return states;
}

static void
forget_states (void)
{
  g_array_set_size (seen, 0);
}

/* Conditions ------------------------------------------------------------------------------ */

typedef struct {
  FidacQuantification     *q;
  FidacQuantificationState state;
} StateIs;

static gboolean
state_is (gpointer data)
{
  StateIs *s = data;

  return fidac_quantification_get_state (s->q) == s->state;
}

static gboolean
none_running (gpointer data)
{
  return fidac_quantification_get_n_running () == 0;
}

static gboolean
one_running (gpointer data)
{
  return fidac_quantification_get_n_running () == 1;
}

static gboolean
only_reference (gpointer data)
{
  FidacVolume *volume = data;

  return g_atomic_int_get (&volume->ref_count) == 1;
}

/* Checks -------------------------------------------------------------------------------- */

static void
assert_same_result (const FidacQuantResult *a,
                    const FidacQuantResult *b)
{
  g_assert_cmpint (a->has_lungs, ==, b->has_lungs);
  g_assert_cmpfloat (a->voxel_ml, ==, b->voxel_ml);
  for (guint l = 0; l <= FIDAC_LUNG_N; l++)
    {
      g_assert_cmpuint (a->lung_voxels[l], ==, b->lung_voxels[l]);
      g_assert_cmpfloat (a->lung_ml[l], ==, b->lung_ml[l]);
    }
  for (guint c = 0; c <= FIDAC_LESION_N_CLASSES; c++)
    {
      g_assert_cmpuint (a->lesion_voxels[c], ==, b->lesion_voxels[c]);
      g_assert_cmpfloat (a->lesion_ml[c], ==, b->lesion_ml[c]);
      for (guint l = 0; l <= FIDAC_LUNG_N; l++)
        {
          g_assert_cmpuint (a->in_lung_voxels[l][c], ==, b->in_lung_voxels[l][c]);
          g_assert_cmpfloat (a->in_lung_ml[l][c], ==, b->in_lung_ml[l][c]);
          g_assert_cmpfloat (a->involvement[l][c], ==, b->involvement[l][c]);
        }
    }
}

/* The live figures equal core's from scratch on the map as it is now. */
static void
assert_live_result (FidacQuantification *q,
                    FidacAnnotation     *annotation)
{
  g_autoptr(GError) error = NULL;
  FidacQuantResult live, scratch;

  fidac_quantification_get_result (q, &live);
  g_assert_true (fidac_quantify (fidac_annotation_get_volume (annotation),
                                 fidac_annotation_get_map (annotation),
                                 fidac_quantification_get_lungs (q), &scratch, &error));
  g_assert_no_error (error);
  assert_same_result (&live, &scratch);
}

/* The quantification's mask and figures are those of fidac_lungs_segment() on `volume`. */
static void
assert_lungs_of (FidacQuantification *q,
                 const FidacVolume   *volume)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacLabelMap) direct = NULL;
  FidacLabelMap *lungs = fidac_quantification_get_lungs (q);
  FidacLungsInfo info, direct_info;

  direct = fidac_lungs_segment (volume, &direct_info, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (lungs);
  g_assert_cmpmem (lungs->dims, sizeof lungs->dims, volume->dims, sizeof volume->dims);
  g_assert_cmpmem (lungs->labels, gui_test_map_size (lungs), direct->labels, gui_test_map_size (direct));
  g_assert_true (fidac_quantification_get_lungs_info (q, &info));
  for (guint l = 0; l <= FIDAC_LUNG_N; l++)
    {
      g_assert_cmpuint (info.voxels[l], ==, direct_info.voxels[l]);
      g_assert_cmpfloat (info.volume_ml[l], ==, direct_info.volume_ml[l]);
    }
  g_assert_cmpfloat (info.airway_ml, ==, direct_info.airway_ml);
  g_assert_cmpint (info.split_needed, ==, direct_info.split_needed);
  g_assert_cmpuint (info.voxels[FIDAC_LUNG_RIGHT], >, 0);
  g_assert_cmpuint (info.voxels[FIDAC_LUNG_LEFT], >, 0);
  g_test_message ("lungs: right %.1f mL, left %.1f mL, airways %.1f mL, %.3f s",
                  info.volume_ml[FIDAC_LUNG_RIGHT], info.volume_ml[FIDAC_LUNG_LEFT],
                  info.airway_ml, info.seconds);
}

#ifdef GDK_WINDOWING_X11

/* The window test -------------------------------------------------------------------------- */

static void
xdotool (Fixture     *f,
         const gchar *args)
{
  gui_test_xdotool (GTK_WIDGET (f->window), args);
}

static gboolean
has_focus (gpointer data)
{
  return gtk_widget_has_focus (data);
}

/* Whether `view` drew the lung outline at its last draw, of the plane it shows now. */
static gboolean
outline_drawn (FidacMprView *view)
{
  const FidacMpr *mpr = fidac_viewer_get_mpr (fidac_mpr_view_get_viewer (view));
  FidacPlane plane, now;
  gint width, height;

  if (fidac_mpr_view_get_lungs (view, &plane) == NULL)
    return FALSE;
  fidac_mpr_view_device_size (view, &width, &height);
  fidac_mpr_get_plane (mpr, fidac_mpr_view_get_view (view), width, height, &now);
  return memcmp (&plane, &now, sizeof plane) == 0;
}

static gboolean
outlines_drawn (gpointer data)
{
  Fixture *f = data;

  for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
    if (!outline_drawn (gui_test_view (f, v)))
      return FALSE;
  return TRUE;
}

static gboolean
outlines_gone (gpointer data)
{
  Fixture *f = data;

  for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
    if (fidac_mpr_view_get_lungs (gui_test_view (f, v), NULL) != NULL)
      return FALSE;
  return TRUE;
}

/* Each view's lung ids are fidac_label_reslice()'s of the mask on its plane; the axial and
 * coronal planes through the chest cut both lungs. */
static void
assert_outlines (Fixture *f)
{
  FidacQuantification *q = fidac_viewer_get_quantification (f->viewer);
  FidacLabelMap *lungs = fidac_quantification_get_lungs (q);

  for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *expected = NULL;
      const guint8 *ids;
      FidacPlane plane;
      gsize n;
      guint64 counts[FIDAC_LUNG_N + 1] = { 0 };

      ids = fidac_mpr_view_get_lungs (gui_test_view (f, v), &plane);
      g_assert_nonnull (ids);
      n = (gsize) (plane.width + 2) * (plane.height + 2);
      expected = g_malloc (n);
      g_assert_true (fidac_label_reslice (lungs, fidac_annotation_get_volume (f->annotation), &plane,
                                          1, expected, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (ids, n, expected, n);
      for (gsize i = 0; i < n; i++)
        {
          g_assert_cmpuint (ids[i], <=, FIDAC_LUNG_N);
          counts[ids[i]]++;
        }
      if (v != FIDAC_VIEW_SAGITTAL)
        {
          g_assert_cmpuint (counts[FIDAC_LUNG_RIGHT], >, 0);
          g_assert_cmpuint (counts[FIDAC_LUNG_LEFT], >, 0);
        }
    }
}

/* The logical point of `view` where the centre of the right lung's voxels in the axial
 * slice of the crosshair lies. */
static void
right_lung_point (Fixture *f,
                  gdouble *x,
                  gdouble *y)
{
  FidacQuantification *q = fidac_viewer_get_quantification (f->viewer);
  FidacLabelMap *lungs = fidac_quantification_get_lungs (q);
  const FidacMpr *mpr = fidac_viewer_get_mpr (f->viewer);
  FidacVolume *volume = fidac_annotation_get_volume (f->annotation);
  gdouble voxel[3], sum[2] = { 0, 0 }, patient[3], sx, sy;
  gint width, height, k;
  guint64 n = 0;

  fidac_volume_patient_to_voxel (volume, mpr->crosshair, voxel);
  k = (gint) (voxel[2] + 0.5);
  for (gint j = 0; j < lungs->dims[1]; j++)
    for (gint i = 0; i < lungs->dims[0]; i++)
      if (fidac_label_map_get (lungs, i, j, k) == FIDAC_LUNG_RIGHT)
        {
          sum[0] += i;
          sum[1] += j;
          n++;
        }
  g_assert_cmpuint (n, >, 0);
  fidac_volume_voxel_to_patient (volume, (gdouble[3]) { sum[0] / n, sum[1] / n, k }, patient);
  fidac_mpr_view_device_size (gui_test_view (f, FIDAC_VIEW_AXIAL), &width, &height);
  fidac_mpr_patient_to_screen (mpr, FIDAC_VIEW_AXIAL, width, height, patient, &sx, &sy);
  *x = round (sx / f->scale);
  *y = round (sy / f->scale);
}

/* A drag with the left button in the axial view from (x0, y0) to (x1, y1), released as the
 * n_undo-th undo step. */
static void
drag (GuiTestWant *want,
      gdouble      x0,
      gdouble      y0,
      gdouble      x1,
      gdouble      y1,
      guint        n_undo,
      const gchar *what)
{
  Fixture *f = want->f;
  FidacMprView *axial = gui_test_view (f, FIDAC_VIEW_AXIAL);

  gui_test_point (GTK_WIDGET (f->window), f->scale, axial, x0, y0);
  xdotool (f, "mousedown 1");
  gui_test_point (GTK_WIDGET (f->window), f->scale, axial, x1, y1);
  xdotool (f, "mouseup 1");
  want->n_undo = n_undo;
  gui_test_wait_until (gui_test_stroke_done, want, what);
}

static void
test_window (gconstpointer data)
{
  gboolean cpu = GPOINTER_TO_INT (data);
  Fixture fixture = { 0 }, *f = &fixture;
  FidacQuantification *q;
  FidacMprView *axial;
  FidacLabelMap *map;
  g_autoptr(GArray) states = NULL;
  g_autofree guint8 *before = NULL, *painted = NULL;
  StateIs ready;
  GuiTestWant want = { f };
  GuiTestMapIs is;
  FidacQuantResult result;
  gdouble x, y;

  if (!gui_test_can_drive_x ())
    return;
  gui_test_use_cpu_renderer (cpu);
  forget_states ();
  progress_wrong = FALSE;
  gui_test_chest_set_up (f, app);
  axial = gui_test_view (f, FIDAC_VIEW_AXIAL);
  map = fidac_annotation_get_map (f->annotation);
  q = fidac_viewer_get_quantification (f->viewer);
  g_assert_nonnull (q);

  /* Segmenting, then ready, from the main loop; the lesion figures live all along. */
  ready = (StateIs) { q, FIDAC_QUANTIFICATION_READY };
  gui_test_wait_until (state_is, &ready, "the lungs segmented");
  states = states_of (q);
  g_assert_cmpuint (states->len, ==, 2);
  g_assert_cmpint (g_array_index (states, FidacQuantificationState, 0), ==, FIDAC_QUANTIFICATION_SEGMENTING);
  g_assert_cmpint (g_array_index (states, FidacQuantificationState, 1), ==, FIDAC_QUANTIFICATION_READY);
  g_assert_false (progress_wrong);
  g_assert_cmpfloat (fidac_quantification_get_progress (q), ==, 1.0);
  g_assert_null (fidac_quantification_get_message (q));
  assert_lungs_of (q, fidac_annotation_get_volume (f->annotation));
  assert_live_result (q, f->annotation);
  fidac_quantification_get_result (q, &result);
  g_assert_true (result.has_lungs);
  g_assert_cmpuint (result.lesion_voxels[0], ==, 0);

  /* No outline until asked. */
  g_assert_false (fidac_quantification_get_show_lungs (q));
  gui_test_wait_until (gui_test_views_drawn, f, "the views drawn");
  g_assert_true (outlines_gone (f));

  /* The action shows it in every view: exactly the mask sampled on each plane. */
  {
    g_autoptr(GVariant) off = g_action_group_get_action_state (G_ACTION_GROUP (f->window), "show-lungs");
    g_autoptr(GVariant) on = NULL;

    g_assert_false (g_variant_get_boolean (off));
    g_action_group_activate_action (G_ACTION_GROUP (f->window), "show-lungs", NULL);
    g_assert_true (fidac_quantification_get_show_lungs (q));
    on = g_action_group_get_action_state (G_ACTION_GROUP (f->window), "show-lungs");
    g_assert_true (g_variant_get_boolean (on));
  }
  gui_test_wait_until (outlines_drawn, f, "the lung outline in every view");
  assert_outlines (f);
  for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
    g_assert_cmpint (fidac_mpr_view_is_gl (gui_test_view (f, v)), ==, !cpu);
  gui_test_screenshot (cpu ? "lungs-cpu" : "lungs-gl");
  /* Another slice: sampled again there. */
  g_assert_true (fidac_viewer_scroll (f->viewer, FIDAC_VIEW_AXIAL, -2));
  gui_test_wait_until (outlines_drawn, f, "the outline on the new slices");
  assert_outlines (f);

  /* Shift+L in a view hides it, and again shows it. */
  xdotool (f, "windowfocus --sync WIN");
  gtk_widget_grab_focus (GTK_WIDGET (axial));
  gui_test_wait_until (has_focus, axial, "the focus on the axial view");
  xdotool (f, "key shift+l");
  gui_test_wait_until (outlines_gone, f, "the outline gone");
  g_assert_false (fidac_quantification_get_show_lungs (q));
  xdotool (f, "key shift+l");
  gui_test_wait_until (outlines_drawn, f, "the outline back");
  g_assert_true (fidac_quantification_get_show_lungs (q));
  assert_outlines (f);

  /* Strokes: after each one, each undo and redo, the live figures are core's from scratch. */
  xdotool (f, "key F8");
  gui_test_wait_until (gui_test_phantom_ready, f, "the panel and the views on screen");
  gui_test_click (f, GTK_WIDGET (fidac_lesion_panel_get_tool_button (f->panel, FIDAC_TOOL_BRUSH)));
  want.tool = FIDAC_TOOL_BRUSH;
  gui_test_wait_until (gui_test_tool_is, &want, "the brush selected");
  gui_test_answer_reader (f);
  gui_test_click (f, GTK_WIDGET (fidac_lesion_panel_get_class_button (f->panel, FIDAC_LESION_GROUND_GLASS)));
  want.id = FIDAC_LESION_GROUND_GLASS;
  gui_test_wait_until (gui_test_class_is, &want, "ground glass selected");
  fidac_annotation_set_hu_limit (f->annotation, FALSE, -1024, 3071);

  before = g_memdup2 (map->labels, gui_test_map_size (map));
  right_lung_point (f, &x, &y);
  drag (&want, x - 8.0, y, x + 8.0, y + 4.0, 1, "the stroke released");
  assert_live_result (q, f->annotation);
  fidac_quantification_get_result (q, &result);
  g_assert_cmpuint (result.lesion_voxels[FIDAC_LESION_GROUND_GLASS], >, 0);
  g_assert_cmpuint (result.in_lung_voxels[FIDAC_LUNG_RIGHT][FIDAC_LESION_GROUND_GLASS], >, 0);
  g_assert_cmpfloat (result.involvement[FIDAC_LUNG_RIGHT][FIDAC_LESION_GROUND_GLASS], >, 0.0);
  g_assert_cmpfloat (fidac_quantification_get_last_update_ms (q), >, 0.0);
  g_test_message ("stroke: %" G_GUINT64_FORMAT " voxels, %.2f %% of the right lung; update %.3f ms",
                  result.lesion_voxels[FIDAC_LESION_GROUND_GLASS],
                  result.involvement[FIDAC_LUNG_RIGHT][FIDAC_LESION_GROUND_GLASS],
                  fidac_quantification_get_last_update_ms (q));
  painted = g_memdup2 (map->labels, gui_test_map_size (map));

  /* A second stroke of another class across both lungs' middle. */
  gui_test_click (f, GTK_WIDGET (fidac_lesion_panel_get_class_button (f->panel, FIDAC_LESION_CONSOLIDATION)));
  want.id = FIDAC_LESION_CONSOLIDATION;
  gui_test_wait_until (gui_test_class_is, &want, "consolidation selected");
  fidac_annotation_set_hu_limit (f->annotation, FALSE, -1024, 3071);
  drag (&want, x, y - 10.0, x + 60.0, y + 6.0, 2, "the second stroke released");
  assert_live_result (q, f->annotation);
  g_assert_cmpfloat (fidac_quantification_get_last_update_ms (q), >, 0.0);

  xdotool (f, "key ctrl+z");
  is = (GuiTestMapIs) { map, painted };
  gui_test_wait_until (gui_test_map_is, &is, "the second stroke undone");
  assert_live_result (q, f->annotation);
  g_assert_cmpfloat (fidac_quantification_get_last_update_ms (q), >, 0.0);
  xdotool (f, "key ctrl+z");
  is = (GuiTestMapIs) { map, before };
  gui_test_wait_until (gui_test_map_is, &is, "the first stroke undone");
  assert_live_result (q, f->annotation);
  fidac_quantification_get_result (q, &result);
  g_assert_cmpuint (result.lesion_voxels[0], ==, 0);
  xdotool (f, "key ctrl+shift+z");
  is = (GuiTestMapIs) { map, painted };
  gui_test_wait_until (gui_test_map_is, &is, "the first stroke redone");
  assert_live_result (q, f->annotation);
  g_assert_cmpfloat (fidac_quantification_get_last_update_ms (q), >, 0.0);
  /* Painting changed nothing of the outline. */
  g_assert_true (outlines_drawn (f));
  assert_outlines (f);

  /* The action again: drawing stops. */
  g_action_group_activate_action (G_ACTION_GROUP (f->window), "show-lungs", NULL);
  g_assert_false (fidac_quantification_get_show_lungs (q));
  gui_test_wait_until (outlines_gone, f, "the outline gone for good");
  gui_test_settle ();
  g_assert_true (outlines_gone (f));

  gui_test_phantom_tear_down (f);
  gui_test_wait_until (none_running, NULL, "every segmentation ended");
}

#else

static void
test_window (gconstpointer data)
{
  gui_test_can_drive_x ();
}

#endif

/* Without a window ---------------------------------------------------------------------- */

/* A new case while the lungs of the previous one are being segmented: that segmentation is
 * cancelled, its result (if any) dropped, and the lungs are the new volume's. */
static void
test_new_case (void)
{
  g_autoptr(FidacVolume) first = gui_test_phantom_new (256, 208, 72, 1.5, 3.5, 0.0);
  g_autoptr(FidacVolume) second = gui_test_phantom_new (128, 104, 36, 3.0, 7.0, 0.0);
  g_autoptr(FidacAnnotation) annotation = fidac_annotation_new ();
  g_autoptr(FidacQuantification) q = fidac_quantification_new (annotation);
  g_autoptr(GArray) states = NULL;
  g_autoptr(GError) error = NULL;
  StateIs ready = { q, FIDAC_QUANTIFICATION_READY };
  FidacQuantResult result;

  forget_states ();
  g_assert_cmpint (fidac_quantification_get_state (q), ==, FIDAC_QUANTIFICATION_NONE);
  fidac_quantification_get_result (q, &result);
  g_assert_false (result.has_lungs);
  g_assert_cmpuint (result.lesion_voxels[0], ==, 0);

  g_assert_true (fidac_annotation_set_volume (annotation, first, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fidac_quantification_get_state (q), ==, FIDAC_QUANTIFICATION_SEGMENTING);
  g_assert_null (fidac_quantification_get_lungs (q));
  gui_test_wait_until (one_running, NULL, "the first segmentation started");
  g_assert_true (fidac_annotation_set_volume (annotation, second, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fidac_quantification_get_state (q), ==, FIDAC_QUANTIFICATION_SEGMENTING);
  gui_test_wait_until (state_is, &ready, "the second case's lungs");
  gui_test_wait_until (none_running, NULL, "the first segmentation ended");
  gui_test_settle ();

  /* Never ready before the second case's lungs came. */
  states = states_of (q);
  g_assert_cmpuint (states->len, ==, 2);
  g_assert_cmpint (g_array_index (states, FidacQuantificationState, 0), ==, FIDAC_QUANTIFICATION_SEGMENTING);
  g_assert_cmpint (g_array_index (states, FidacQuantificationState, 1), ==, FIDAC_QUANTIFICATION_READY);
  g_assert_cmpint (fidac_quantification_get_state (q), ==, FIDAC_QUANTIFICATION_READY);
  assert_lungs_of (q, second);
  assert_live_result (q, annotation);

  /* No case: nothing. */
  g_assert_true (fidac_annotation_set_volume (annotation, NULL, &error));
  g_assert_cmpint (fidac_quantification_get_state (q), ==, FIDAC_QUANTIFICATION_NONE);
  g_assert_null (fidac_quantification_get_lungs (q));
  fidac_quantification_get_result (q, &result);
  g_assert_false (result.has_lungs);
  g_assert_cmpuint (result.lung_voxels[0], ==, 0);
}

/* Gone while segmenting: finalized at once (the task holds no reference to it), and the
 * segmentation ends on its own without touching it. */
static void
test_dispose (void)
{
  g_autoptr(FidacVolume) volume = gui_test_phantom_new (256, 208, 72, 1.5, 3.5, 0.0);
  FidacAnnotation *annotation = fidac_annotation_new ();
  FidacQuantification *q = fidac_quantification_new (annotation);
  g_autoptr(GError) error = NULL;

  g_object_add_weak_pointer (G_OBJECT (q), (gpointer *) &q);
  g_assert_true (fidac_annotation_set_volume (annotation, volume, &error));
  gui_test_wait_until (one_running, NULL, "the segmentation started");
  g_object_unref (q);
  g_assert_null (q);
  g_object_unref (annotation);
  gui_test_wait_until (none_running, NULL, "the segmentation ended");
  /* The task's reference to the volume goes with it. */
  gui_test_wait_until (only_reference, volume, "the task's reference to the volume dropped");
}

/* A volume without lungs: FAILED with a reason, and the lesion volumes still follow the
 * strokes. */
static void
test_no_lungs (void)
{
  g_autoptr(GError) error = NULL;
  /* The chest's grid, big enough to hold lungs, but all soft tissue. */
  g_autoptr(FidacVolume) volume = gui_test_phantom_new (128, 104, 36, 3.0, 7.0, 0.0);
  g_autoptr(FidacAnnotation) annotation = fidac_annotation_new ();
  g_autoptr(FidacQuantification) q = fidac_quantification_new (annotation);
  StateIs failed = { q, FIDAC_QUANTIFICATION_FAILED };
  FidacQuantResult result;
  FidacLungsInfo info;
  gdouble centre[3];

  for (gsize i = 0; i < (gsize) 128 * 104 * 36; i++)
    volume->voxels[i] = 40;
  g_assert_true (fidac_annotation_set_volume (annotation, volume, &error));
  g_assert_no_error (error);
  gui_test_wait_until (state_is, &failed, "the segmentation failed");
  g_assert_nonnull (fidac_quantification_get_message (q));
  g_assert_cmpstr (fidac_quantification_get_message (q), !=, "");
  g_test_message ("no lungs: %s", fidac_quantification_get_message (q));
  g_assert_null (fidac_quantification_get_lungs (q));
  g_assert_false (fidac_quantification_get_lungs_info (q, &info));
  gui_test_wait_until (none_running, NULL, "the segmentation ended");

  fidac_annotation_set_tool (annotation, FIDAC_TOOL_BRUSH);
  fidac_annotation_set_class (annotation, FIDAC_LESION_CONSOLIDATION);
  fidac_annotation_set_hu_limit (annotation, FALSE, -1024, 3071);
  fidac_volume_voxel_to_patient (volume, (gdouble[3]) { 64, 52, 18 }, centre);
  g_assert_true (fidac_annotation_stroke_begin (annotation, (gdouble[3]) { 0, 0, 1 }, centre, &error));
  g_assert_no_error (error);
  centre[0] += 6.0;
  g_assert_true (fidac_annotation_stroke_move_to (annotation, centre, &error));
  g_assert_no_error (error);
  fidac_annotation_stroke_end (annotation);

  fidac_quantification_get_result (q, &result);
  g_assert_false (result.has_lungs);
  g_assert_cmpuint (result.lesion_voxels[FIDAC_LESION_CONSOLIDATION], >, 0);
  g_assert_cmpuint (result.lesion_voxels[FIDAC_LESION_CONSOLIDATION], ==,
                    fidac_label_map_count (fidac_annotation_get_map (annotation), FIDAC_LESION_CONSOLIDATION));
  assert_live_result (q, annotation);
  g_assert_cmpfloat (fidac_quantification_get_last_update_ms (q), >, 0.0);
  g_assert_true (fidac_annotation_undo (annotation));
  assert_live_result (q, annotation);
  fidac_quantification_get_result (q, &result);
  g_assert_cmpuint (result.lesion_voxels[0], ==, 0);
  g_assert_cmpint (fidac_quantification_get_state (q), ==, FIDAC_QUANTIFICATION_FAILED);
}

int
main (int    argc,
      char **argv)
{
  int status;

  app = gui_test_init_x11 (&argc, &argv);
  seen = g_array_new (FALSE, FALSE, sizeof (Seen));
  g_type_class_unref (g_type_class_ref (FIDAC_TYPE_QUANTIFICATION));
  g_signal_add_emission_hook (g_signal_lookup ("changed", FIDAC_TYPE_QUANTIFICATION), 0,
                              changed_hook, NULL, NULL);

  g_test_add_func ("/fidac/gui/quantification/new-case", test_new_case);
  g_test_add_func ("/fidac/gui/quantification/dispose", test_dispose);
  g_test_add_func ("/fidac/gui/quantification/no-lungs", test_no_lungs);
  g_test_add_data_func ("/fidac/gui/quantification/window/gl", GINT_TO_POINTER (FALSE), test_window);
  g_test_add_data_func ("/fidac/gui/quantification/window/cpu", GINT_TO_POINTER (TRUE), test_window);

  status = g_test_run ();
  gui_test_wait_until (none_running, NULL, "every segmentation ended");
  g_array_unref (seen);
  gui_test_application_free (g_steal_pointer (&app));
  return status;
}
