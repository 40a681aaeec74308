/* fidac-scores-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel keeps one FidacScores, the one of the stored annotation shown: loaded when the
 * annotation gets a stored id (a case opened, the reader known), changed by the controls
 * and saved to the store at every edit, so that nothing scored is lost when the program is
 * killed. The controls are set from the struct only under `syncing`, never by their own
 * handlers.
 *
 * A stored text that cannot be read is not replaced behind the reader's back: the fields
 * are shown unset with a message, and only the reader's next edit writes over it.
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "fidac-scores-panel-private.h"

G_DEFINE_FINAL_TYPE (FidacScoresPanel, fidac_scores_panel, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_ANNOTATION,
  PROP_QUANTIFICATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gint *
choice_value (FidacScoresPanel  *self,
              FidacScoresChoice  choice)
{
  return G_STRUCT_MEMBER_P (&self->scores, fidac_scores_panel_choice_offset (choice));
}

/* The store ---------------------------------------------------------------------------------- */

static FidacStore *
store (FidacScoresPanel *self)
{
  return self->stored_id != 0 ? fidac_annotation_get_store (self->annotation) : NULL;
}

static const gchar *
status_text (FidacAnnotationStatus status)
{
  switch (status)
    {
    case FIDAC_ANNOTATION_COMPLETE:
      return _("Status: Complete");
    case FIDAC_ANNOTATION_SUBMITTED:
      return _("Status: Submitted");
    case FIDAC_ANNOTATION_DRAFT:
    default:
      return _("Status: Draft (in progress)");
    }
}

/* The line above the form: a failed save first (work not saved), then a stored text that
 * could not be read, then why nothing can be scored. */
static void
sync_message (FidacScoresPanel *self)
{
  const gchar *text = "";
  const gchar *style = NULL;

  if (self->save_error != NULL)
    {
      text = self->save_error;
      style = "error";
    }
  else if (self->load_error != NULL)
    {
      text = self->load_error;
      style = "error";
    }
  else if (self->stored_id == 0)
    {
      if (fidac_annotation_get_map (self->annotation) == NULL)
        text = _("Open a case to score it.");
      else
        text = _("The scores are saved with the reader’s annotation: choose a paint tool in the "
                 "annotation tools (F8) to say who reads, then score here.");
      style = "dim-label";
    }
  gtk_label_set_text (self->message, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->message), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->message), "dim-label");
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->message), style);
  gtk_widget_set_visible (GTK_WIDGET (self->message), *text != '\0');
  gtk_widget_set_sensitive (self->form, self->stored_id != 0);
  gtk_label_set_text (self->status_label, self->stored_id != 0 ? status_text (self->status) : "");
}

static void
set_complete_message (FidacScoresPanel *self,
                      const gchar      *text,
                      gboolean          error)
{
  gtk_label_set_text (self->complete_message, text);
  gtk_widget_set_visible (GTK_WIDGET (self->complete_message), *text != '\0');
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->complete_message), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->complete_message), "error");
}

static void
set_save_error (FidacScoresPanel *self,
                const gchar      *format,
                const GError     *error)
{
  g_free (self->save_error);
  self->save_error = g_strdup_printf (format, error->message);
}

/* The scores as they are now, with the figures of now: the SR and the report read them. */
static void
save (FidacScoresPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *text = NULL;
  FidacStore *s = store (self);

  if (s == NULL)
    return;
  memset (&self->scores.quantification, 0, sizeof self->scores.quantification);
  self->scores.has_quantification =
    self->quantification != NULL &&
    fidac_quantification_get_state (self->quantification) == FIDAC_QUANTIFICATION_READY;
  if (self->scores.has_quantification)
    fidac_quantification_get_result (self->quantification, &self->scores.quantification);
  text = fidac_scores_serialize (&self->scores);
  if (!fidac_store_set_scores (s, self->stored_id, text, &error))
    {
      set_save_error (self, _("The scores are not saved: %s"), error);
      sync_message (self);
      return;
    }
  g_clear_pointer (&self->save_error, g_free);
  /* The reader's edit replaced what could not be read. */
  g_clear_pointer (&self->load_error, g_free);
  /* What was complete (or submitted) is not any more: it changed since. */
  if (self->status != FIDAC_ANNOTATION_DRAFT)
    {
      if (fidac_store_set_status (s, self->stored_id, FIDAC_ANNOTATION_DRAFT, &error))
        self->status = FIDAC_ANNOTATION_DRAFT;
      else
        set_save_error (self, _("The status could not be set back to draft: %s"), error);
    }
  sync_message (self);
}

/* Following the struct ------------------------------------------------------------------------ */

static void
sync_total (FidacScoresPanel *self)
{
  guint n_set;
  gint total = fidac_scores_total (&self->scores, &n_set);
  g_autofree gchar *text = NULL;

  if (n_set == FIDAC_N_LOBES)
    /* Translators: the total of the lobe scores and its maximum. */
    text = g_strdup_printf (_("Total: %d / %d"), total, FIDAC_TOTAL_SCORE_MAX);
  else
    /* Translators: the total of the lobe scores set so far, its maximum, how many lobes
     * are scored and how many there are. */
    text = g_strdup_printf (_("Total: %d / %d (%u of %d lobes)"), total, FIDAC_TOTAL_SCORE_MAX,
                            n_set, FIDAC_N_LOBES);
  gtk_label_set_text (self->total, text);
}

static void
sync_subtitle (FidacScoresPanel  *self,
               FidacScoresChoice  choice)
{
  AdwComboRow *row = self->choices[choice];
  GStrv definitions = g_object_get_data (G_OBJECT (row), "fidac-definitions");
  gint value = *choice_value (self, choice);
  const gchar *text = NULL;

  if (definitions == NULL)
    return;
  if (value >= 0 && (guint) value < g_strv_length (definitions))
    text = definitions[value];
  if (self->definitions[choice] != NULL)
    {
      gtk_label_set_text (self->definitions[choice], text != NULL ? text : "");
      gtk_widget_set_visible (GTK_WIDGET (self->definitions[choice]), text != NULL);
    }
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text != NULL ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), text);
}

/* What follows the values: the total, the definitions chosen, the suggested extent. */
static void
sync_derived (FidacScoresPanel *self)
{
  sync_total (self);
  for (FidacScoresChoice c = 0; c < FIDAC_SCORES_N_CHOICES; c++)
    sync_subtitle (self, c);
  fidac_scores_panel_sync_figures (self);
}

static void
sync_controls (FidacScoresPanel *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->comment);

  self->syncing = TRUE;
  for (FidacScoresChoice c = 0; c < FIDAC_SCORES_N_CHOICES; c++)
    adw_combo_row_set_selected (self->choices[c], (guint) (*choice_value (self, c) + 1));
  for (guint i = 0; i < FIDAC_SCORES_N_FINDINGS; i++)
    gtk_check_button_set_active (self->findings[i], (self->scores.findings & (1u << i)) != 0);
  gtk_editable_set_text (GTK_EDITABLE (self->other),
                         self->scores.other_findings != NULL ? self->scores.other_findings : "");
  gtk_text_buffer_set_text (buffer, self->scores.comment != NULL ? self->scores.comment : "", -1);
  self->syncing = FALSE;
  sync_derived (self);
}

/* The scores of the stored annotation now shown (none when its id is 0). */
static void
load (FidacScoresPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *text = NULL;
  FidacStore *s = store (self);

  fidac_scores_clear (&self->scores);
  g_clear_pointer (&self->load_error, g_free);
  g_clear_pointer (&self->save_error, g_free);
  self->status = FIDAC_ANNOTATION_DRAFT;
  set_complete_message (self, "", FALSE);
  if (s != NULL)
    {
      g_autoptr(FidacStoreAnnotation) stored = fidac_store_get_annotation_by_id (s, self->stored_id, &error);

      if (stored != NULL)
        self->status = stored->status;
      else
        g_warning ("annotation %" G_GINT64_FORMAT ": %s", self->stored_id, error->message);
      g_clear_error (&error);
      text = fidac_store_get_scores (s, self->stored_id, &error);
      if (error != NULL)
        self->load_error = g_strdup_printf (_("The stored scores could not be read: %s. The fields "
                                              "are empty; your next edit replaces them."),
                                            error->message);
      else if (text != NULL && !fidac_scores_deserialize (text, &self->scores, &error))
        {
          /* Translators: %s says what is wrong with the stored scores (a full sentence
           * without its period). */
          self->load_error = g_strdup_printf (_("%s. The fields are empty; your next edit "
                                                "replaces the stored scores."),
                                              error->message);
          fidac_scores_clear (&self->scores);
        }
    }
  sync_controls (self);
  sync_message (self);
}

static void
annotation_changed_cb (FidacAnnotation  *annotation,
                       guint             changes,
                       gint              k0,
                       gint              k1,
                       FidacScoresPanel *self)
{
  gint64 id = fidac_annotation_get_stored_id (annotation);

  /* The id changes on a new map (0) and when the reader's annotation is loaded, which
   * reports labels rather than a map: every change is looked at. */
  if (id != self->stored_id)
    {
      self->stored_id = id;
      load (self);
    }
  else if (changes & FIDAC_ANNOTATION_CHANGED_MAP)
    sync_message (self);
}

/* The store makes a completed annotation a draft again when its labels change (the commit
 * precedes this signal): the status shown follows. */
static void
annotation_stroke_finished_cb (FidacAnnotation  *annotation,
                               gint              k0,
                               gint              k1,
                               FidacScoresPanel *self)
{
  g_autoptr(FidacStoreAnnotation) stored = NULL;
  FidacStore *s = store (self);

  if (self->stored_id == 0 || self->status == FIDAC_ANNOTATION_DRAFT || s == NULL)
    return;
  stored = fidac_store_get_annotation_by_id (s, self->stored_id, NULL);
  if (stored == NULL || stored->status == self->status)
    return;
  self->status = stored->status;
  set_complete_message (self, "", FALSE);
  sync_message (self);
}

static void
quantification_changed_cb (FidacQuantification *quantification,
                           FidacScoresPanel    *self)
{
  fidac_scores_panel_sync_figures (self);
}

/* From the controls ----------------------------------------------------------------------- */

static void
edited (FidacScoresPanel *self)
{
  set_complete_message (self, "", FALSE);
  sync_derived (self);
  save (self);
}

void
fidac_scores_panel_choice_changed_cb (AdwComboRow      *row,
                                      GParamSpec       *pspec,
                                      FidacScoresPanel *self)
{
  FidacScoresChoice choice = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "fidac-choice"));
  guint selected = adw_combo_row_get_selected (row);

  if (self->syncing)
    return;
  *choice_value (self, choice) = selected == 0 || selected == GTK_INVALID_LIST_POSITION
                                 ? FIDAC_SCORE_UNSET : (gint) selected - 1;
  edited (self);
}

void
fidac_scores_panel_finding_toggled_cb (GtkCheckButton   *button,
                                       FidacScoresPanel *self)
{
  guint flag = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "fidac-finding"));

  if (self->syncing)
    return;
  if (gtk_check_button_get_active (button))
    self->scores.findings |= flag;
  else
    self->scores.findings &= ~flag;
  edited (self);
}

/* An empty text is no text: the struct says NULL, as it does before anything is typed. */
static void
set_text (gchar       **field,
          const gchar  *text)
{
  g_free (*field);
  *field = text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

void
fidac_scores_panel_other_changed_cb (GtkEditable      *editable,
                                     FidacScoresPanel *self)
{
  if (self->syncing)
    return;
  set_text (&self->scores.other_findings, gtk_editable_get_text (editable));
  edited (self);
}

void
fidac_scores_panel_comment_changed_cb (GtkTextBuffer    *buffer,
                                       FidacScoresPanel *self)
{
  g_autofree gchar *text = NULL;
  GtkTextIter start, end;

  if (self->syncing)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  set_text (&self->scores.comment, text);
  edited (self);
}

void
fidac_scores_panel_complete_clicked_cb (GtkButton        *button,
                                        FidacScoresPanel *self)
{
  g_autoptr(GError) error = NULL;
  guint missing = fidac_scores_get_missing (&self->scores);
  FidacStore *s = store (self);

  if (s == NULL)
    return;
  if (missing != 0)
    {
      g_autofree gchar *text = fidac_scores_describe_missing (missing);

      set_complete_message (self, text, TRUE);
      return;
    }
  if (!fidac_store_set_status (s, self->stored_id, FIDAC_ANNOTATION_COMPLETE, &error))
    {
      g_autofree gchar *text = g_strdup_printf (_("Not marked as complete: %s"), error->message);

      set_complete_message (self, text, TRUE);
      return;
    }
  self->status = FIDAC_ANNOTATION_COMPLETE;
  set_complete_message (self, _("Marked as complete."), FALSE);
  sync_message (self);
}

/* Object ------------------------------------------------------------------------------------ */

static void
fidac_scores_panel_constructed (GObject *object)
{
  FidacScoresPanel *self = FIDAC_SCORES_PANEL (object);
  GtkWidget *widget;

  G_OBJECT_CLASS (fidac_scores_panel_parent_class)->constructed (object);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 18);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 12);

  widget = gtk_label_new ("");
  gtk_label_set_xalign (GTK_LABEL (widget), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (widget), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (widget), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (widget), TRUE);
  self->message = GTK_LABEL (widget);
  gtk_box_append (GTK_BOX (self), widget);
  gtk_box_append (GTK_BOX (self), fidac_scores_panel_build_form (self));
  gtk_box_append (GTK_BOX (self), fidac_scores_panel_build_figures (self));

  g_signal_connect_object (self->annotation, "changed", G_CALLBACK (annotation_changed_cb), self, 0);
  g_signal_connect_object (self->annotation, "stroke-finished",
                           G_CALLBACK (annotation_stroke_finished_cb), self, 0);
  if (self->quantification != NULL)
    g_signal_connect_object (self->quantification, "changed",
                             G_CALLBACK (quantification_changed_cb), self, 0);
  self->stored_id = fidac_annotation_get_stored_id (self->annotation);
  load (self);
}

static void
fidac_scores_panel_dispose (GObject *object)
{
  FidacScoresPanel *self = FIDAC_SCORES_PANEL (object);

  if (self->annotation != NULL)
    g_signal_handlers_disconnect_by_data (self->annotation, self);
  if (self->quantification != NULL)
    g_signal_handlers_disconnect_by_data (self->quantification, self);
  g_clear_object (&self->annotation);
  g_clear_object (&self->quantification);

  G_OBJECT_CLASS (fidac_scores_panel_parent_class)->dispose (object);
}

static void
fidac_scores_panel_finalize (GObject *object)
{
  FidacScoresPanel *self = FIDAC_SCORES_PANEL (object);

  fidac_scores_clear (&self->scores);
  g_free (self->load_error);
  g_free (self->save_error);

  G_OBJECT_CLASS (fidac_scores_panel_parent_class)->finalize (object);
}

static void
fidac_scores_panel_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  FidacScoresPanel *self = FIDAC_SCORES_PANEL (object);

  switch (prop_id)
    {
    case PROP_ANNOTATION:
      g_value_set_object (value, self->annotation);
      break;
    case PROP_QUANTIFICATION:
      g_value_set_object (value, self->quantification);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fidac_scores_panel_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  FidacScoresPanel *self = FIDAC_SCORES_PANEL (object);

  switch (prop_id)
    {
    case PROP_ANNOTATION:
      self->annotation = g_value_dup_object (value);
      break;
    case PROP_QUANTIFICATION:
      self->quantification = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fidac_scores_panel_class_init (FidacScoresPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = fidac_scores_panel_constructed;
  object_class->dispose = fidac_scores_panel_dispose;
  object_class->finalize = fidac_scores_panel_finalize;
  object_class->get_property = fidac_scores_panel_get_property;
  object_class->set_property = fidac_scores_panel_set_property;

  properties[PROP_ANNOTATION] =
    g_param_spec_object ("annotation", NULL, NULL, FIDAC_TYPE_ANNOTATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUANTIFICATION] =
    g_param_spec_object ("quantification", NULL, NULL, FIDAC_TYPE_QUANTIFICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "fidac-scores-panel");
}

static void
fidac_scores_panel_init (FidacScoresPanel *self)
{
  fidac_scores_init (&self->scores);
}

GtkWidget *
fidac_scores_panel_new (FidacAnnotation     *annotation,
                        FidacQuantification *quantification)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (annotation), NULL);
  g_return_val_if_fail (quantification == NULL || FIDAC_IS_QUANTIFICATION (quantification), NULL);

  return g_object_new (FIDAC_TYPE_SCORES_PANEL, "annotation", annotation,
                       "quantification", quantification, NULL);
}

FidacAnnotation *
fidac_scores_panel_get_annotation (FidacScoresPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_SCORES_PANEL (self), NULL);
  return self->annotation;
}

/* For tests ------------------------------------------------------------------------------------ */

AdwComboRow *
fidac_scores_panel_get_choice_row (FidacScoresPanel  *self,
                                   FidacScoresChoice  choice)
{
  g_return_val_if_fail (FIDAC_IS_SCORES_PANEL (self), NULL);
  g_return_val_if_fail (choice < FIDAC_SCORES_N_CHOICES, NULL);
  return self->choices[choice];
}

GtkCheckButton *
fidac_scores_panel_get_finding_button (FidacScoresPanel *self,
                                       FidacFinding      finding)
{
  g_return_val_if_fail (FIDAC_IS_SCORES_PANEL (self), NULL);
  for (guint i = 0; i < FIDAC_SCORES_N_FINDINGS; i++)
    if ((guint) finding == 1u << i)
      return self->findings[i];
  return NULL;
}

GtkEntry *
fidac_scores_panel_get_other_entry (FidacScoresPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_SCORES_PANEL (self), NULL);
  return self->other;
}

GtkTextView *
fidac_scores_panel_get_comment_view (FidacScoresPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_SCORES_PANEL (self), NULL);
  return self->comment;
}

GtkButton *
fidac_scores_panel_get_complete_button (FidacScoresPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_SCORES_PANEL (self), NULL);
  return self->complete;
}

GtkWidget *
fidac_scores_panel_get_form (FidacScoresPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_SCORES_PANEL (self), NULL);
  return self->form;
}

GtkCheckButton *
fidac_scores_panel_get_show_lungs_button (FidacScoresPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_SCORES_PANEL (self), NULL);
  return self->show_lungs;
}

const FidacScores *
fidac_scores_panel_get_scores (FidacScoresPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_SCORES_PANEL (self), NULL);
  return &self->scores;
}

const gchar *
fidac_scores_panel_get_total_text (FidacScoresPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_SCORES_PANEL (self), NULL);
  return gtk_label_get_text (self->total);
}

const gchar *
fidac_scores_panel_get_definition_text (FidacScoresPanel  *self,
                                        FidacScoresChoice  choice)
{
  g_return_val_if_fail (FIDAC_IS_SCORES_PANEL (self), NULL);
  g_return_val_if_fail (choice < FIDAC_SCORES_N_CHOICES, NULL);
  if (self->definitions[choice] != NULL)
    return gtk_label_get_text (self->definitions[choice]);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (self->choices[choice]));
}

const gchar *
fidac_scores_panel_get_message (FidacScoresPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_SCORES_PANEL (self), NULL);
  return gtk_label_get_text (self->message);
}

const gchar *
fidac_scores_panel_get_complete_message (FidacScoresPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_SCORES_PANEL (self), NULL);
  return gtk_label_get_text (self->complete_message);
}

const gchar *
fidac_scores_panel_get_status_text (FidacScoresPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_SCORES_PANEL (self), NULL);
  return gtk_label_get_text (self->status_label);
}

const gchar *
fidac_scores_panel_get_suggestion_text (FidacScoresPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_SCORES_PANEL (self), NULL);
  return adw_action_row_get_subtitle (self->suggestion);
}

const gchar *
fidac_scores_panel_get_extent_note (FidacScoresPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_SCORES_PANEL (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->extent_note)))
    return NULL;
  return gtk_label_get_text (self->extent_note);
}

const gchar *
fidac_scores_panel_get_lung_text (FidacScoresPanel *self,
                                  guint             lung)
{
  g_return_val_if_fail (FIDAC_IS_SCORES_PANEL (self), NULL);
  g_return_val_if_fail (lung <= FIDAC_LUNG_N, NULL);
  return gtk_label_get_text (self->lung_values[lung]);
}

const gchar *
fidac_scores_panel_get_lesion_text (FidacScoresPanel  *self,
                                    guint              id,
                                    FidacScoresColumn  column)
{
  g_return_val_if_fail (FIDAC_IS_SCORES_PANEL (self), NULL);
  g_return_val_if_fail (id <= FIDAC_LESION_N_CLASSES && column < FIDAC_SCORES_N_COLUMNS, NULL);
  return gtk_label_get_text (self->lesion_values[id][column]);
}
