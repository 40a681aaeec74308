/* fidac-scores-panel-private.h: the scores panel's instance structure, what its files share
 * (fidac-scores-panel.c: loading, editing, saving, completing; fidac-scores-panel-build.c:
 * the controls; fidac-scores-panel-quant.c: the measured figures and the suggested extent)
 * and the accessors of the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fidac-scores.h"
#include "fidac-scores-panel.h"
#include "fidac-store.h"

G_BEGIN_DECLS

/* The choices of the panel: one combo row each, item 0 "Not set", item i + 1 the value i. */
typedef enum {
  FIDAC_SCORES_CHOICE_LOBE_RUL,
  FIDAC_SCORES_CHOICE_LOBE_RML,
  FIDAC_SCORES_CHOICE_LOBE_RLL,
  FIDAC_SCORES_CHOICE_LOBE_LUL,
  FIDAC_SCORES_CHOICE_LOBE_LLL,
  FIDAC_SCORES_CHOICE_EXTENT,
  FIDAC_SCORES_CHOICE_CORADS,
  FIDAC_SCORES_CHOICE_RSNA,
  FIDAC_SCORES_CHOICE_PATTERN,
  FIDAC_SCORES_CHOICE_AXIAL,
  FIDAC_SCORES_CHOICE_SIDE,
  FIDAC_SCORES_N_CHOICES
} FidacScoresChoice;

/* Columns of a lesion row of the figures. */
typedef enum {
  FIDAC_SCORES_COLUMN_ML,
  FIDAC_SCORES_COLUMN_RIGHT,
  FIDAC_SCORES_COLUMN_LEFT,
  FIDAC_SCORES_COLUMN_BOTH,
  FIDAC_SCORES_N_COLUMNS
} FidacScoresColumn;

#define FIDAC_SCORES_N_FINDINGS 4

struct _FidacScoresPanel
{
  GtkBox               parent_instance;

  FidacAnnotation     *annotation;
  FidacQuantification *quantification;   /* may be NULL */

  FidacScores          scores;           /* what the controls show and the store holds */
  gint64               stored_id;        /* the annotation the scores belong to, 0: none */
  FidacAnnotationStatus status;
  gchar               *load_error;       /* the stored scores could not be read */
  gchar               *save_error;       /* the last save failed */
  gboolean             syncing;          /* the controls follow `scores`, not the reverse */

  GtkLabel            *message;          /* why nothing can be scored, or what went wrong */
  GtkWidget           *form;             /* every control of the scores */
  AdwComboRow         *choices[FIDAC_SCORES_N_CHOICES];
  GtkLabel            *definitions[FIDAC_SCORES_N_CHOICES];  /* NULL: in the subtitle */
  GtkLabel            *total;
  GtkCheckButton      *findings[FIDAC_SCORES_N_FINDINGS];
  GtkEntry            *other;
  GtkTextView         *comment;
  GtkButton           *complete;
  GtkLabel            *complete_message;
  GtkLabel            *status_label;

  /* The figures (fidac-scores-panel-quant.c). */
  AdwActionRow        *suggestion;
  GtkLabel            *extent_note;
  AdwPreferencesGroup *figures;
  GtkLabel            *lung_values[FIDAC_LUNG_N + 1];          /* [0] both lungs */
  GtkLabel            *lesion_values[FIDAC_LESION_N_CLASSES + 1][FIDAC_SCORES_N_COLUMNS];
  GtkCheckButton      *show_lungs;
};

/* fidac-scores-panel-build.c */
GtkWidget *fidac_scores_panel_build_form   (FidacScoresPanel *self);
/* The offset in FidacScores of the gint (or enum) a choice sets. */
gsize      fidac_scores_panel_choice_offset (FidacScoresChoice choice);

/* fidac-scores-panel.c: the handlers the controls connect to. */
void       fidac_scores_panel_choice_changed_cb  (AdwComboRow      *row,
                                                  GParamSpec       *pspec,
                                                  FidacScoresPanel *self);
void       fidac_scores_panel_finding_toggled_cb (GtkCheckButton   *button,
                                                  FidacScoresPanel *self);
void       fidac_scores_panel_other_changed_cb   (GtkEditable      *editable,
                                                  FidacScoresPanel *self);
void       fidac_scores_panel_comment_changed_cb (GtkTextBuffer    *buffer,
                                                  FidacScoresPanel *self);
void       fidac_scores_panel_complete_clicked_cb (GtkButton       *button,
                                                   FidacScoresPanel *self);

/* fidac-scores-panel-quant.c */
GtkWidget *fidac_scores_panel_build_figures (FidacScoresPanel *self);
/* The figures, the suggested extent and the note follow the quantification and the
 * expert's extent. */
void       fidac_scores_panel_sync_figures  (FidacScoresPanel *self);

/* ---- for tests ---- */

AdwComboRow     *fidac_scores_panel_get_choice_row      (FidacScoresPanel  *self,
                                                         FidacScoresChoice  choice);
/* `finding` a single FidacFinding flag. */
GtkCheckButton  *fidac_scores_panel_get_finding_button  (FidacScoresPanel  *self,
                                                         FidacFinding       finding);
GtkEntry        *fidac_scores_panel_get_other_entry     (FidacScoresPanel  *self);
GtkTextView     *fidac_scores_panel_get_comment_view    (FidacScoresPanel  *self);
GtkButton       *fidac_scores_panel_get_complete_button (FidacScoresPanel  *self);
GtkWidget       *fidac_scores_panel_get_form            (FidacScoresPanel  *self);
GtkCheckButton  *fidac_scores_panel_get_show_lungs_button (FidacScoresPanel *self);
const FidacScores *fidac_scores_panel_get_scores        (FidacScoresPanel  *self);
/* The texts shown: "Total: 13 / 25 (3 of 5 lobes)"; the line above the form (why it is
 * off, a damaged text, a failed save; "" when none); the outcome of "Mark as Complete";
 * "Status: Draft"; the suggested extent; the note beside it (NULL while hidden). */
const gchar     *fidac_scores_panel_get_total_text      (FidacScoresPanel  *self);
/* The definition shown for the value chosen ("" when none). */
const gchar     *fidac_scores_panel_get_definition_text (FidacScoresPanel  *self,
                                                         FidacScoresChoice  choice);
const gchar     *fidac_scores_panel_get_message         (FidacScoresPanel  *self);
const gchar     *fidac_scores_panel_get_complete_message (FidacScoresPanel *self);
const gchar     *fidac_scores_panel_get_status_text     (FidacScoresPanel  *self);
const gchar     *fidac_scores_panel_get_suggestion_text (FidacScoresPanel  *self);
const gchar     *fidac_scores_panel_get_extent_note     (FidacScoresPanel  *self);
/* The lung volume shown for lung `lung` (0: both lungs, else FidacLung); a lesion figure
 * for class `id` (0: every class). */
const gchar     *fidac_scores_panel_get_lung_text       (FidacScoresPanel  *self,
                                                         guint              lung);
const gchar     *fidac_scores_panel_get_lesion_text     (FidacScoresPanel  *self,
                                                         guint              id,
                                                         FidacScoresColumn  column);

G_END_DECLS
