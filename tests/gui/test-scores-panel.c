/* test-scores-panel.c: the scores panel of a window showing a phantom, driven through its
 * widgets (and the keyboard for some), checked against what the store holds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every edit must be in the store at once, exactly (the stored text deserializes to the
 * struct the test expects, the figures of the moment included); a reopened case shows what
 * was stored; "Mark as Complete" refuses with the exact list of what is missing and sets
 * the status only when nothing is; a damaged stored text is reported and left alone until
 * the reader edits. The figures beside the scores are checked against counts the test makes
 * itself on the label map and the lung mask.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <sqlite3.h>

#include "fidac-application.h"
#include "fidac-phantom.h"
#include "fidac-quantification.h"
#include "fidac-scores-panel-private.h"
#include "fidac-store.h"
#include "fidac-test-support.h"
#include "fidac-window-private.h"
#include "gui-test-phantom.h"
#include "gui-test-support.h"

static FidacApplication *app;

typedef struct {
  GuiTestPhantom    phantom;
  FidacScoresPanel *panel;
  FidacQuantification *quantification;
} Fixture;

#ifdef GDK_WINDOWING_X11

static void
xdotool (Fixture     *f,
         const gchar *args)
{
  gui_test_xdotool (GTK_WIDGET (f->phantom.window), args);
}

static gboolean
scores_shown (gpointer data)
{
  Fixture *f = data;

  return fidac_window_get_scores_shown (f->phantom.window) &&
         gtk_widget_get_mapped (GTK_WIDGET (f->panel)) &&
         gtk_widget_get_width (GTK_WIDGET (f->panel)) > 0;
}

static gboolean
lungs_ready (gpointer data)
{
  Fixture *f = data;

  return fidac_quantification_get_state (f->quantification) == FIDAC_QUANTIFICATION_READY;
}

/* The window (re)opened on the phantom, its scores pane shown with F7. */
static void
attach (Fixture *f)
{
  f->panel = fidac_window_get_scores_panel (f->phantom.window);
  f->quantification = fidac_viewer_get_quantification (f->phantom.viewer);
  g_assert_true (fidac_scores_panel_get_annotation (f->panel) == f->phantom.annotation);
  xdotool (f, "windowfocus --sync WIN");
  gtk_widget_grab_focus (GTK_WIDGET (gui_test_view (&f->phantom, FIDAC_VIEW_AXIAL)));
  g_assert_false (fidac_window_get_scores_shown (f->phantom.window));
  xdotool (f, "key F7");
  gui_test_wait_until (scores_shown, f, "the scores pane on screen");
  gui_test_wait_until (lungs_ready, f, "the lungs segmented");
}

static FidacStore *
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  FidacStore *store = fidac_store_open (fidac_store_get_path (fidac_annotation_get_store (f->phantom.annotation)),
                                        &error);

  g_assert_no_error (error);
  return store;
}

static gint64
stored_id (Fixture *f)
{
  gint64 id = fidac_annotation_get_stored_id (f->phantom.annotation);

  g_assert_cmpint (id, >, 0);
  return id;
}

/* The text the store holds, through a connection of its own; NULL when none. */
static gchar *
stored_text (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacStore) store = open_store (f);
  gchar *text = fidac_store_get_scores (store, stored_id (f), &error);

  g_assert_no_error (error);
  return text;
}

static FidacAnnotationStatus
stored_status (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacStore) store = open_store (f);
  g_autoptr(FidacStoreAnnotation) annotation = fidac_store_get_annotation_by_id (store, stored_id (f), &error);

  g_assert_no_error (error);
  return annotation->status;
}

/* `expected` with the figures of now, as the panel saves them. */
static void
with_figures (Fixture     *f,
              FidacScores *expected)
{
  memset (&expected->quantification, 0, sizeof expected->quantification);
  expected->has_quantification = TRUE;
  fidac_quantification_get_result (f->quantification, &expected->quantification);
}

/* The store holds exactly `expected` (with the figures of now), and so does the panel. */
static void
assert_stored (Fixture     *f,
               FidacScores *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *text = stored_text (f);
  g_autofree gchar *expected_text = NULL;
  FidacScores got, want;

  g_assert_nonnull (text);
  with_figures (f, expected);
  g_assert_true (fidac_scores_equal (fidac_scores_panel_get_scores (f->panel), expected));
  /* Through the text both ways, so that doubles compare as the store keeps them. */
  expected_text = fidac_scores_serialize (expected);
  fidac_scores_init (&want);
  g_assert_true (fidac_scores_deserialize (expected_text, &want, &error));
  g_assert_no_error (error);
  fidac_scores_init (&got);
  g_assert_true (fidac_scores_deserialize (text, &got, &error));
  g_assert_no_error (error);
  g_assert_true (fidac_scores_equal (&got, &want));
  g_assert_cmpstr (text, ==, expected_text);
  fidac_scores_clear (&got);
  fidac_scores_clear (&want);
}

static void
choose (Fixture           *f,
        FidacScoresChoice  choice,
        gint               value)
{
  AdwComboRow *row = fidac_scores_panel_get_choice_row (f->panel, choice);

  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (row)));
  adw_combo_row_set_selected (row, (guint) (value + 1));
}

typedef struct {
  Fixture     *f;
  const gchar *text;
} TextIs;

static gboolean
other_is (gpointer data)
{
  TextIs *t = data;

  return g_strcmp0 (fidac_scores_panel_get_scores (t->f->panel)->other_findings, t->text) == 0;
}

static gboolean
comment_is (gpointer data)
{
  TextIs *t = data;

  return g_strcmp0 (fidac_scores_panel_get_scores (t->f->panel)->comment, t->text) == 0;
}

static gboolean
complete_message_is (gpointer data)
{
  TextIs *t = data;

  return g_strcmp0 (fidac_scores_panel_get_complete_message (t->f->panel), t->text) == 0;
}

/* "Mark as Complete" pressed (GtkButton emits ::clicked a moment after ::activate): the
 * panel answers `message`. */
static void
press_complete (Fixture     *f,
                const gchar *message)
{
  TextIs t = { f, message };

  g_assert_true (gtk_widget_activate (GTK_WIDGET (fidac_scores_panel_get_complete_button (f->panel))));
  gui_test_wait_until (complete_message_is, &t, message);
  gui_test_settle ();
  g_assert_cmpstr (fidac_scores_panel_get_complete_message (f->panel), ==, message);
}

typedef struct {
  Fixture *f;
  guint    findings;
} FindingsAre;

static gboolean
findings_are (gpointer data)
{
  FindingsAre *fa = data;

  return fidac_scores_panel_get_scores (fa->f->panel)->findings == fa->findings;
}

/* Focuses `widget` (the pane scrolls to it) and waits until it has the focus. */
static gboolean
window_active (gpointer data)
{
  return gtk_window_is_active (GTK_WINDOW (data));
}

/* The focus on `data` or inside it (an entry gives it to its text). */
static gboolean
focus_within (gpointer data)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (data)));

  return focus != NULL && (focus == data || gtk_widget_is_ancestor (focus, GTK_WIDGET (data)));
}

/* The keys reach `widget`: its window active, the focus on it (the pane scrolls to it). */
static void
focus (Fixture   *f,
       GtkWidget *widget)
{
  xdotool (f, "windowfocus --sync WIN");
  gui_test_wait_until (window_active, f->phantom.window, "the window active");
  g_assert_true (gtk_widget_grab_focus (widget));
  gui_test_wait_until (focus_within, widget, "the focus given");
  gui_test_settle ();
}

/* Shows the values of `expected` in every control. */
static void
assert_controls (Fixture           *f,
                 const FidacScores *expected)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (fidac_scores_panel_get_comment_view (f->panel));
  g_autofree gchar *comment = NULL;
  GtkTextIter start, end;
  gint values[FIDAC_SCORES_N_CHOICES] = {
    expected->lobes[0], expected->lobes[1], expected->lobes[2], expected->lobes[3],
    expected->lobes[4], expected->extent, expected->corads, expected->rsna, expected->pattern,
    expected->axial, expected->side,
  };

  for (FidacScoresChoice c = 0; c < FIDAC_SCORES_N_CHOICES; c++)
    g_assert_cmpuint (adw_combo_row_get_selected (fidac_scores_panel_get_choice_row (f->panel, c)), ==,
                      (guint) (values[c] + 1));
  for (guint i = 0; i < FIDAC_SCORES_N_FINDINGS; i++)
    g_assert_cmpint (gtk_check_button_get_active (fidac_scores_panel_get_finding_button (f->panel, 1u << i)), ==,
                     (expected->findings & (1u << i)) != 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (fidac_scores_panel_get_other_entry (f->panel))), ==,
                   expected->other_findings != NULL ? expected->other_findings : "");
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  comment = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (comment, ==, expected->comment != NULL ? expected->comment : "");
}

/* The figures -------------------------------------------------------------------------------- */

/* A disc of ground glass of `mm` in axial slice k, centred on the middle of the right lung
 * in that slice (as the lung mask has it). */
static void
paint_in_right_lung (Fixture *f,
                     gint     k,
                     gdouble  mm)
{
  g_autoptr(GError) error = NULL;
  FidacLabelMap *lungs = fidac_quantification_get_lungs (f->quantification);
  const gdouble normal[3] = { 0.0, 0.0, 1.0 };
  gdouble si = 0.0, sj = 0.0, voxel[3], patient[3];
  guint64 n = 0;

  g_assert_nonnull (lungs);
  for (gint j = 0; j < lungs->dims[1]; j++)
    for (gint i = 0; i < lungs->dims[0]; i++)
      if (fidac_label_map_get (lungs, i, j, k) == FIDAC_LUNG_RIGHT)
        {
          si += i;
          sj += j;
          n++;
        }
  g_assert_cmpuint (n, >, 50);
  voxel[0] = round (si / n);
  voxel[1] = round (sj / n);
  voxel[2] = k;
  g_assert_cmpint (fidac_label_map_get (lungs, (gint) voxel[0], (gint) voxel[1], k), ==, FIDAC_LUNG_RIGHT);
  fidac_volume_voxel_to_patient (f->phantom.volume, voxel, patient);
  fidac_annotation_set_tool (f->phantom.annotation, FIDAC_TOOL_BRUSH);
  fidac_annotation_set_class (f->phantom.annotation, FIDAC_LESION_GROUND_GLASS);
  fidac_annotation_set_diameter (f->phantom.annotation, mm);
  g_assert_true (fidac_annotation_stroke_begin (f->phantom.annotation, normal, patient, &error));
  g_assert_no_error (error);
  fidac_annotation_stroke_end (f->phantom.annotation);
  fidac_annotation_set_tool (f->phantom.annotation, FIDAC_TOOL_NAVIGATE);
}

typedef struct {
  Fixture *f;
  guint64  voxels;
} Counted;

static gboolean
counted (gpointer data)
{
  Counted *c = data;
  FidacQuantResult result;

  fidac_quantification_get_result (c->f->quantification, &result);
  return result.lesion_voxels[0] == c->voxels;
}

/* The rows show the volumes and shares the test counts itself on the maps. */
static void
assert_figures (Fixture *f)
{
  FidacLabelMap *labels = fidac_annotation_get_map (f->phantom.annotation);
  FidacLabelMap *lungs = fidac_quantification_get_lungs (f->quantification);
  const gdouble *spacing = f->phantom.volume->spacing;
  gdouble voxel_ml = spacing[0] * spacing[1] * spacing[2] / 1000.0;
  guint64 lung[FIDAC_LUNG_N + 1] = { 0 };
  guint64 lesion[FIDAC_LESION_N_CLASSES + 1] = { 0 };
  guint64 in_lung[FIDAC_LUNG_N + 1][FIDAC_LESION_N_CLASSES + 1] = { { 0 } };
  gsize n = gui_test_map_size (labels);
  Counted c = { f, 0 };

  for (gsize v = 0; v < n; v++)
    {
      guint8 l = lungs->labels[v], id = labels->labels[v];

      if (l != 0)
        {
          lung[l]++;
          lung[0]++;
        }
      if (id == 0)
        continue;
      lesion[id]++;
      lesion[0]++;
      if (l != 0)
        {
          in_lung[l][id]++;
          in_lung[l][0]++;
          in_lung[0][id]++;
          in_lung[0][0]++;
        }
    }
  c.voxels = lesion[0];
  gui_test_wait_until (counted, &c, "the figures counted");
  gui_test_settle ();
  for (guint l = 0; l <= FIDAC_LUNG_N; l++)
    {
      g_autofree gchar *text = g_strdup_printf ("%.1f mL", lung[l] * voxel_ml);

      g_assert_cmpuint (lung[l], >, 0);
      g_assert_cmpstr (fidac_scores_panel_get_lung_text (f->panel, l), ==, text);
    }
  for (guint id = 0; id <= FIDAC_LESION_N_CLASSES; id++)
    {
      g_autofree gchar *ml = g_strdup_printf ("%.2f mL", lesion[id] * voxel_ml);
      g_autofree gchar *right = g_strdup_printf ("%.2f %%", 100.0 * in_lung[FIDAC_LUNG_RIGHT][id] / lung[FIDAC_LUNG_RIGHT]);
      g_autofree gchar *left = g_strdup_printf ("%.2f %%", 100.0 * in_lung[FIDAC_LUNG_LEFT][id] / lung[FIDAC_LUNG_LEFT]);
      g_autofree gchar *both = g_strdup_printf ("%.2f %%", 100.0 * in_lung[0][id] / lung[0]);

      g_assert_cmpstr (fidac_scores_panel_get_lesion_text (f->panel, id, FIDAC_SCORES_COLUMN_ML), ==, ml);
      g_assert_cmpstr (fidac_scores_panel_get_lesion_text (f->panel, id, FIDAC_SCORES_COLUMN_RIGHT), ==, right);
      g_assert_cmpstr (fidac_scores_panel_get_lesion_text (f->panel, id, FIDAC_SCORES_COLUMN_LEFT), ==, left);
      g_assert_cmpstr (fidac_scores_panel_get_lesion_text (f->panel, id, FIDAC_SCORES_COLUMN_BOTH), ==, both);
    }
  g_test_message ("lungs %.1f + %.1f mL; ground glass %.2f mL, %.2f %% of the right lung",
                  lung[1] * voxel_ml, lung[2] * voxel_ml, lesion[1] * voxel_ml,
                  100.0 * in_lung[FIDAC_LUNG_RIGHT][1] / lung[FIDAC_LUNG_RIGHT]);
}

static gboolean
show_lungs_is_on (gpointer data)
{
  Fixture *f = data;

  return fidac_quantification_get_show_lungs (f->quantification);
}

static gboolean
show_lungs_is_off (gpointer data)
{
  return !show_lungs_is_on (data);
}

/* The tests ---------------------------------------------------------------------------------- */

static void
test_scores (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *text = NULL;
  g_autofree gchar *damaged_message = NULL;
  const gchar *damaged = "{'version': <1>, 'corads': <9>}";
  FidacScores expected, scratch;
  GtkWidget *form;

  if (!gui_test_can_drive_x ())
    return;
  gui_test_chest_set_up (&f->phantom, app);
  attach (f);
  form = fidac_scores_panel_get_form (f->panel);
  fidac_scores_init (&expected);

  /* The outline of the lungs, from here too (win.show-lungs). */
  {
    GtkCheckButton *outline = fidac_scores_panel_get_show_lungs_button (f->panel);

    g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (outline)), ==, "win.show-lungs");
    g_assert_false (fidac_quantification_get_show_lungs (f->quantification));
    g_assert_true (gtk_widget_activate (GTK_WIDGET (outline)));
    gui_test_wait_until (show_lungs_is_on, f, "the lung outline on");
    g_assert_true (gtk_check_button_get_active (outline));
    g_assert_true (gtk_widget_activate (GTK_WIDGET (outline)));
    gui_test_wait_until (show_lungs_is_off, f, "the lung outline off");
    g_assert_false (gtk_check_button_get_active (outline));
  }

  /* No reader yet: nothing can be scored, and the panel says why. */
  g_assert_cmpint (fidac_annotation_get_stored_id (f->phantom.annotation), ==, 0);
  g_assert_false (gtk_widget_is_sensitive (form));
  g_assert_cmpstr (fidac_scores_panel_get_message (f->panel), ==,
                   "The scores are saved with the reader’s annotation: choose a paint tool in the "
                   "annotation tools (F8) to say who reads, then score here.");
  g_assert_cmpstr (fidac_scores_panel_get_total_text (f->panel), ==, "Total: 0 / 25 (0 of 5 lobes)");

  fidac_annotation_set_tool (f->phantom.annotation, FIDAC_TOOL_BRUSH);
  gui_test_answer_reader (&f->phantom);
  fidac_annotation_set_tool (f->phantom.annotation, FIDAC_TOOL_NAVIGATE);
  xdotool (f, "windowfocus --sync WIN");
  g_assert_true (gtk_widget_is_sensitive (form));
  g_assert_cmpstr (fidac_scores_panel_get_message (f->panel), ==, "");
  g_assert_cmpstr (fidac_scores_panel_get_status_text (f->panel), ==, "Status: Draft (in progress)");
  g_assert_null (stored_text (f));

  /* Nothing painted: the measurement suggests "None"; an expert's other class gets the note. */
  g_assert_cmpstr (fidac_scores_panel_get_suggestion_text (f->panel), ==, "None (0.00 % of both lungs)");
  g_assert_null (fidac_scores_panel_get_extent_note (f->panel));

  /* Complete with everything missing: the exact list, nothing changed. */
  press_complete (f, "Missing: the five lobe scores, extent class, CO-RADS, RSNA category.");
  g_assert_cmpint (stored_status (f), ==, FIDAC_ANNOTATION_DRAFT);
  g_assert_null (stored_text (f));

  /* The lobes one by one, the total after each. */
  choose (f, FIDAC_SCORES_CHOICE_LOBE_RUL, 2);
  expected.lobes[FIDAC_LOBE_RUL] = 2;
  assert_stored (f, &expected);
  g_assert_cmpstr (fidac_scores_panel_get_total_text (f->panel), ==, "Total: 2 / 25 (1 of 5 lobes)");
  choose (f, FIDAC_SCORES_CHOICE_LOBE_RML, 0);
  expected.lobes[FIDAC_LOBE_RML] = 0;
  assert_stored (f, &expected);
  g_assert_cmpstr (fidac_scores_panel_get_total_text (f->panel), ==, "Total: 2 / 25 (2 of 5 lobes)");
  choose (f, FIDAC_SCORES_CHOICE_LOBE_RLL, 5);
  expected.lobes[FIDAC_LOBE_RLL] = 5;
  choose (f, FIDAC_SCORES_CHOICE_LOBE_LUL, 3);
  expected.lobes[FIDAC_LOBE_LUL] = 3;
  assert_stored (f, &expected);
  g_assert_cmpstr (fidac_scores_panel_get_total_text (f->panel), ==, "Total: 10 / 25 (4 of 5 lobes)");
  choose (f, FIDAC_SCORES_CHOICE_LOBE_LLL, 3);
  expected.lobes[FIDAC_LOBE_LLL] = 3;
  assert_stored (f, &expected);
  g_assert_cmpstr (fidac_scores_panel_get_total_text (f->panel), ==, "Total: 13 / 25");
  /* Unset again: back to the partial total. */
  choose (f, FIDAC_SCORES_CHOICE_LOBE_RUL, FIDAC_SCORE_UNSET);
  expected.lobes[FIDAC_LOBE_RUL] = FIDAC_SCORE_UNSET;
  assert_stored (f, &expected);
  g_assert_cmpstr (fidac_scores_panel_get_total_text (f->panel), ==, "Total: 11 / 25 (4 of 5 lobes)");
  choose (f, FIDAC_SCORES_CHOICE_LOBE_RUL, 2);
  expected.lobes[FIDAC_LOBE_RUL] = 2;

  /* The extent, its definition under it, the note beside the measured "None". */
  choose (f, FIDAC_SCORES_CHOICE_EXTENT, FIDAC_EXTENT_MODERATE);
  expected.extent = FIDAC_EXTENT_MODERATE;
  assert_stored (f, &expected);
  g_assert_cmpstr (fidac_scores_panel_get_definition_text (f->panel, FIDAC_SCORES_CHOICE_EXTENT), ==,
                   "10–25 % of the lungs");
  g_assert_cmpstr (fidac_scores_panel_get_extent_note (f->panel), ==,
                   "The measured involvement suggests “None”, not “Moderate”: check the painting or the class.");

  /* A disc painted in the right lung: the figures follow, the suggestion becomes "Minimal". */
  {
    FidacLabelMap *lungs = fidac_quantification_get_lungs (f->quantification);

    paint_in_right_lung (f, lungs->dims[2] / 2, 20.0);
    assert_figures (f);
    g_assert_true (g_str_has_prefix (fidac_scores_panel_get_suggestion_text (f->panel), "Minimal ("));
    g_assert_cmpstr (fidac_scores_panel_get_extent_note (f->panel), ==,
                     "The measured involvement suggests “Minimal”, not “Moderate”: check the painting or the class.");
    gui_test_screenshot ("scores-panel-extent");
    choose (f, FIDAC_SCORES_CHOICE_EXTENT, FIDAC_EXTENT_MINIMAL);
    expected.extent = FIDAC_EXTENT_MINIMAL;
    g_assert_null (fidac_scores_panel_get_extent_note (f->panel));
    assert_stored (f, &expected);
    choose (f, FIDAC_SCORES_CHOICE_EXTENT, FIDAC_EXTENT_UNSET);
    g_assert_null (fidac_scores_panel_get_extent_note (f->panel));
    choose (f, FIDAC_SCORES_CHOICE_EXTENT, FIDAC_EXTENT_MINIMAL);
    g_assert_null (fidac_scores_panel_get_extent_note (f->panel));
    assert_stored (f, &expected);
  }

  /* Still missing: the rest, in the order of the fields. */
  press_complete (f, "Missing: CO-RADS, RSNA category, predominant pattern, axial distribution, "
                   "unilateral or bilateral.");
  g_assert_cmpint (stored_status (f), ==, FIDAC_ANNOTATION_DRAFT);

  choose (f, FIDAC_SCORES_CHOICE_CORADS, 5);
  expected.corads = 5;
  g_assert_cmpstr (fidac_scores_panel_get_definition_text (f->panel, FIDAC_SCORES_CHOICE_CORADS), ==,
                   "Very high: typical COVID-19 findings");
  choose (f, FIDAC_SCORES_CHOICE_RSNA, FIDAC_RSNA_TYPICAL);
  expected.rsna = FIDAC_RSNA_TYPICAL;
  g_assert_cmpstr (fidac_scores_panel_get_definition_text (f->panel, FIDAC_SCORES_CHOICE_RSNA), ==,
                   fidac_rsna_get_definition (FIDAC_RSNA_TYPICAL));
  choose (f, FIDAC_SCORES_CHOICE_PATTERN, FIDAC_PATTERN_GROUND_GLASS);
  expected.pattern = FIDAC_PATTERN_GROUND_GLASS;
  choose (f, FIDAC_SCORES_CHOICE_AXIAL, FIDAC_AXIAL_PERIPHERAL);
  expected.axial = FIDAC_AXIAL_PERIPHERAL;
  assert_stored (f, &expected);
  choose (f, FIDAC_SCORES_CHOICE_SIDE, FIDAC_SIDE_BILATERAL);
  expected.side = FIDAC_SIDE_BILATERAL;
  assert_stored (f, &expected);

  /* Findings with the keyboard: Space on a check button; "Other" without its text is
   * missing. */
  {
    FindingsAre fa = { f, FIDAC_FINDING_PLEURAL_EFFUSION };

    focus (f, GTK_WIDGET (fidac_scores_panel_get_finding_button (f->panel, FIDAC_FINDING_PLEURAL_EFFUSION)));
    xdotool (f, "key space");
    gui_test_wait_until (findings_are, &fa, "pleural effusion checked");
    expected.findings = fa.findings;
    assert_stored (f, &expected);
    gtk_check_button_set_active (fidac_scores_panel_get_finding_button (f->panel, FIDAC_FINDING_OTHER), TRUE);
    expected.findings |= FIDAC_FINDING_OTHER;
    assert_stored (f, &expected);
  }
  press_complete (f, "Missing: description of other findings.");
  g_assert_cmpint (stored_status (f), ==, FIDAC_ANNOTATION_DRAFT);

  /* Typed texts, saved as they are typed. */
  {
    TextIs other = { f, "Adenopathy" };
    TextIs comment = { f, "Typical bilateral" };

    focus (f, GTK_WIDGET (fidac_scores_panel_get_other_entry (f->panel)));
    xdotool (f, "type --delay 20 Adenopathy");
    gui_test_wait_until (other_is, &other, "the other findings typed");
    expected.other_findings = g_strdup (other.text);
    assert_stored (f, &expected);
    focus (f, GTK_WIDGET (fidac_scores_panel_get_comment_view (f->panel)));
    /* The helper splits its arguments at spaces: the space is a key of its own. */
    xdotool (f, "type --delay 20 Typical");
    xdotool (f, "key space");
    xdotool (f, "type --delay 20 bilateral");
    gui_test_wait_until (comment_is, &comment, "the comment typed");
    expected.comment = g_strdup (comment.text);
    assert_stored (f, &expected);
  }

  /* Everything filled: complete in the store. */
  g_assert_cmpuint (fidac_scores_get_missing (&expected), ==, 0);
  press_complete (f, "Marked as complete.");
  g_assert_cmpstr (fidac_scores_panel_get_status_text (f->panel), ==, "Status: Complete");
  g_assert_cmpint (stored_status (f), ==, FIDAC_ANNOTATION_COMPLETE);
  assert_stored (f, &expected);
  gui_test_screenshot ("scores-panel-complete");

  /* An edit afterwards: a draft again. */
  gtk_check_button_set_active (fidac_scores_panel_get_finding_button (f->panel, FIDAC_FINDING_NODULES), TRUE);
  expected.findings |= FIDAC_FINDING_NODULES;
  assert_stored (f, &expected);
  g_assert_cmpint (stored_status (f), ==, FIDAC_ANNOTATION_DRAFT);
  g_assert_cmpstr (fidac_scores_panel_get_status_text (f->panel), ==, "Status: Draft (in progress)");
  g_assert_cmpstr (fidac_scores_panel_get_complete_message (f->panel), ==, "");

  /* Complete again, then a stroke: changed labels make it a draft again (the store's commit
   * does it), shown at once. */
  press_complete (f, "Marked as complete.");
  g_assert_cmpint (stored_status (f), ==, FIDAC_ANNOTATION_COMPLETE);
  paint_in_right_lung (f, fidac_quantification_get_lungs (f->quantification)->dims[2] / 2 - 1, 6.0);
  g_assert_cmpint (stored_status (f), ==, FIDAC_ANNOTATION_DRAFT);
  g_assert_cmpstr (fidac_scores_panel_get_status_text (f->panel), ==, "Status: Draft (in progress)");
  g_assert_cmpstr (fidac_scores_panel_get_complete_message (f->panel), ==, "");

  /* A save that fails (another writer holds the database past the busy timeout) is said,
   * and stays said until a save succeeds. */
  {
    sqlite3 *db = NULL;
    const gchar *message;

    g_assert_cmpint (sqlite3_open (fidac_store_get_path (fidac_annotation_get_store (f->phantom.annotation)), &db),
                     ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), ==, SQLITE_OK);
    choose (f, FIDAC_SCORES_CHOICE_PATTERN, FIDAC_PATTERN_MIXED);
    message = fidac_scores_panel_get_message (f->panel);
    g_test_message ("save failed: %s", message);
    g_assert_true (g_str_has_prefix (message, "The scores are not saved: "));
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->panel->message), "error"));
    g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    /* The figures changing say nothing of it: still shown. */
    fidac_scores_panel_sync_figures (f->panel);
    g_assert_true (g_str_has_prefix (fidac_scores_panel_get_message (f->panel), "The scores are not saved: "));
    choose (f, FIDAC_SCORES_CHOICE_PATTERN, FIDAC_PATTERN_GROUND_GLASS);
    g_assert_cmpstr (fidac_scores_panel_get_message (f->panel), ==, "");
    assert_stored (f, &expected);
  }

  /* The case reopened: the panel shows what was stored. */
  gui_test_close_window (&f->phantom);
  gui_test_open_window (&f->phantom);
  attach (f);
  g_assert_cmpint (fidac_annotation_get_stored_id (f->phantom.annotation), >, 0);
  g_assert_true (gtk_widget_is_sensitive (form = fidac_scores_panel_get_form (f->panel)));
  g_assert_cmpstr (fidac_scores_panel_get_message (f->panel), ==, "");
  text = stored_text (f);
  fidac_scores_init (&scratch);
  g_assert_true (fidac_scores_deserialize (text, &scratch, &error));
  g_assert_no_error (error);
  g_assert_true (fidac_scores_equal (fidac_scores_panel_get_scores (f->panel), &scratch));
  fidac_scores_clear (&scratch);
  assert_controls (f, &expected);
  g_assert_cmpstr (fidac_scores_panel_get_total_text (f->panel), ==, "Total: 13 / 25");
  g_assert_cmpstr (fidac_scores_panel_get_status_text (f->panel), ==, "Status: Draft (in progress)");
  assert_figures (f);

  /* A damaged stored text: said, the fields unset, and the text left as it is until an
   * edit. */
  {
    g_autoptr(FidacStore) store = open_store (f);

    g_assert_true (fidac_store_set_scores (store, stored_id (f), damaged, &error));
    g_assert_no_error (error);
    fidac_scores_init (&scratch);
    g_assert_false (fidac_scores_deserialize (damaged, &scratch, &error));
    damaged_message = g_strdup_printf ("%s. The fields are empty; your next edit replaces the "
                                       "stored scores.", error->message);
    g_clear_error (&error);
  }
  gui_test_close_window (&f->phantom);
  gui_test_open_window (&f->phantom);
  attach (f);
  g_assert_cmpstr (fidac_scores_panel_get_message (f->panel), ==, damaged_message);
  g_assert_true (fidac_scores_equal (fidac_scores_panel_get_scores (f->panel), &scratch));
  assert_controls (f, &scratch);
  g_assert_cmpstr (fidac_scores_panel_get_total_text (f->panel), ==, "Total: 0 / 25 (0 of 5 lobes)");
  g_clear_pointer (&text, g_free);
  text = stored_text (f);
  g_assert_cmpstr (text, ==, damaged);
  /* A stroke changes the figures, not the stored text. */
  paint_in_right_lung (f, fidac_quantification_get_lungs (f->quantification)->dims[2] / 2 + 1, 10.0);
  assert_figures (f);
  g_clear_pointer (&text, g_free);
  text = stored_text (f);
  g_assert_cmpstr (text, ==, damaged);
  /* The reader's edit replaces it. */
  choose (f, FIDAC_SCORES_CHOICE_CORADS, 3);
  scratch.corads = 3;
  assert_stored (f, &scratch);
  g_assert_cmpstr (fidac_scores_panel_get_message (f->panel), ==, "");
  fidac_scores_clear (&scratch);

  fidac_scores_clear (&expected);
  gui_test_phantom_tear_down (&f->phantom);
}

static gboolean
lungs_failed (gpointer data)
{
  Fixture *f = data;

  return fidac_quantification_get_state (f->quantification) == FIDAC_QUANTIFICATION_FAILED;
}

/* A grid that cuts the body (no air around it): no lungs found. The note says so, the lung
 * figures are dashes, the lesion volumes still live, and the scores are saved without
 * figures. */
static void
test_no_lungs (void)
{
  Fixture fixture = { 0 }, *f = &fixture;
  g_autofree gchar *note = NULL;
  FidacScores expected;

  if (!gui_test_can_drive_x ())
    return;
  gui_test_phantom_set_up (&f->phantom, app);
  f->panel = fidac_window_get_scores_panel (f->phantom.window);
  f->quantification = fidac_viewer_get_quantification (f->phantom.viewer);
  gui_test_wait_until (lungs_failed, f, "the lungs not found");
  g_assert_nonnull (fidac_quantification_get_message (f->quantification));
  note = g_strdup_printf ("No suggestion: the lungs could not be found (%s).",
                          fidac_quantification_get_message (f->quantification));
  g_assert_cmpstr (fidac_scores_panel_get_extent_note (f->panel), ==, note);
  g_assert_cmpstr (fidac_scores_panel_get_suggestion_text (f->panel), ==, "—");
  for (guint l = 0; l <= FIDAC_LUNG_N; l++)
    g_assert_cmpstr (fidac_scores_panel_get_lung_text (f->panel, l), ==, "—");
  for (guint id = 0; id <= FIDAC_LESION_N_CLASSES; id++)
    {
      g_assert_cmpstr (fidac_scores_panel_get_lesion_text (f->panel, id, FIDAC_SCORES_COLUMN_ML), ==, "0.00 mL");
      for (FidacScoresColumn c = FIDAC_SCORES_COLUMN_RIGHT; c <= FIDAC_SCORES_COLUMN_BOTH; c++)
        g_assert_cmpstr (fidac_scores_panel_get_lesion_text (f->panel, id, c), ==, "—");
    }

  /* The reader known (asked here when this case runs alone), the annotation stored: an
   * edit is saved without figures. */
  if (fidac_annotation_get_stored_id (f->phantom.annotation) == 0)
    {
      fidac_annotation_set_tool (f->phantom.annotation, FIDAC_TOOL_BRUSH);
      gui_test_answer_reader (&f->phantom);
      fidac_annotation_set_tool (f->phantom.annotation, FIDAC_TOOL_NAVIGATE);
    }
  g_assert_cmpint (fidac_annotation_get_stored_id (f->phantom.annotation), >, 0);
  g_assert_true (gtk_widget_is_sensitive (fidac_scores_panel_get_form (f->panel)));
  choose (f, FIDAC_SCORES_CHOICE_EXTENT, FIDAC_EXTENT_SEVERE);
  g_assert_cmpstr (fidac_scores_panel_get_extent_note (f->panel), ==, note);
  {
    g_autoptr(GError) error = NULL;
    g_autofree gchar *text = stored_text (f);
    FidacScores got;

    fidac_scores_init (&expected);
    expected.extent = FIDAC_EXTENT_SEVERE;
    fidac_scores_init (&got);
    g_assert_true (fidac_scores_deserialize (text, &got, &error));
    g_assert_no_error (error);
    g_assert_false (got.has_quantification);
    g_assert_true (fidac_scores_equal (&got, &expected));
    g_assert_true (fidac_scores_equal (fidac_scores_panel_get_scores (f->panel), &expected));
    fidac_scores_clear (&got);
    fidac_scores_clear (&expected);
  }
  gui_test_phantom_tear_down (&f->phantom);
}

#else

static void
test_scores (void)
{
  gui_test_can_drive_x ();
}

static void
test_no_lungs (void)
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

  g_test_add_func ("/fidac/gui/scores-panel/edit-store-reopen", test_scores);
  g_test_add_func ("/fidac/gui/scores-panel/no-lungs", test_no_lungs);

  status = g_test_run ();
  gui_test_application_free (g_steal_pointer (&app));
  return status;
}
