/* fidac-scores-panel-build.c: the controls of the scores.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built in code: the choices and their definitions come from core (fidac-scores.h), the one
 * place where they are written, so that the panel, the report and the command line say the
 * same thing. Every choice is a combo row whose first item is "Not set": an expert who has
 * not decided must be able to say so, and an unset field is what "Mark as Complete" lists.
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fidac-scores-panel-private.h"

gsize
fidac_scores_panel_choice_offset (FidacScoresChoice choice)
{
  switch (choice)
    {
    case FIDAC_SCORES_CHOICE_LOBE_RUL:
    case FIDAC_SCORES_CHOICE_LOBE_RML:
    case FIDAC_SCORES_CHOICE_LOBE_RLL:
    case FIDAC_SCORES_CHOICE_LOBE_LUL:
    case FIDAC_SCORES_CHOICE_LOBE_LLL:
      return G_STRUCT_OFFSET (FidacScores, lobes) + sizeof (gint) * (gsize) choice;
    case FIDAC_SCORES_CHOICE_EXTENT:
      return G_STRUCT_OFFSET (FidacScores, extent);
    case FIDAC_SCORES_CHOICE_CORADS:
      return G_STRUCT_OFFSET (FidacScores, corads);
    case FIDAC_SCORES_CHOICE_RSNA:
      return G_STRUCT_OFFSET (FidacScores, rsna);
    case FIDAC_SCORES_CHOICE_PATTERN:
      return G_STRUCT_OFFSET (FidacScores, pattern);
    case FIDAC_SCORES_CHOICE_AXIAL:
      return G_STRUCT_OFFSET (FidacScores, axial);
    case FIDAC_SCORES_CHOICE_SIDE:
      return G_STRUCT_OFFSET (FidacScores, side);
    case FIDAC_SCORES_N_CHOICES:
    default:
      break;
    }
  g_return_val_if_reached (0);
}

/* The items of the open list: the choice and, under it, its definition. */
static void
item_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *definition = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0.0f);
  gtk_label_set_xalign (GTK_LABEL (definition), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (definition), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (definition), 40);
  gtk_widget_add_css_class (definition, "dim-label");
  gtk_widget_add_css_class (definition, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), definition);
  gtk_list_item_set_child (item, box);
}

static void
item_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  data)
{
  GStrv definitions = g_object_get_data (G_OBJECT (factory), "fidac-definitions");
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *definition = gtk_widget_get_next_sibling (title);
  guint position = gtk_list_item_get_position (item);
  const gchar *text = NULL;

  gtk_label_set_text (GTK_LABEL (title),
                      gtk_string_object_get_string (GTK_STRING_OBJECT (gtk_list_item_get_item (item))));
  if (definitions != NULL && position > 0 && position <= g_strv_length (definitions))
    text = definitions[position - 1];
  gtk_label_set_text (GTK_LABEL (definition), text != NULL ? text : "");
  gtk_widget_set_visible (definition, text != NULL && *text != '\0');
  gtk_widget_set_tooltip_text (box, text);
}

/* A combo row of "Not set" then `names` (values 0 .. n - 1); `definitions` (may be NULL)
 * are shown under each item of the list and, for the one chosen, as the row's subtitle or,
 * when they are long, in `group` under the rows (a subtitle of several lines would leave
 * the value chosen no room). */
static AdwComboRow *
choice_row (FidacScoresPanel    *self,
            FidacScoresChoice    choice,
            const gchar         *title,
            GPtrArray           *names,
            GPtrArray           *definitions,
            AdwPreferencesGroup *group)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkWidget *row = adw_combo_row_new ();

  gtk_string_list_append (model, _("Not set"));
  for (guint i = 0; i < names->len; i++)
    gtk_string_list_append (model, g_ptr_array_index (names, i));
  /* The definitions hold "<" and "&": plain text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  if (definitions != NULL)
    {
      g_ptr_array_add (definitions, NULL);
      g_object_set_data_full (G_OBJECT (factory), "fidac-definitions",
                              g_strdupv ((GStrv) definitions->pdata), (GDestroyNotify) g_strfreev);
      g_object_set_data_full (G_OBJECT (row), "fidac-definitions",
                              g_strdupv ((GStrv) definitions->pdata), (GDestroyNotify) g_strfreev);
    }
  if (group != NULL)
    {
      GtkWidget *label = gtk_label_new ("");

      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_visible (label, FALSE);
      self->definitions[choice] = GTK_LABEL (label);
      adw_preferences_group_add (group, GTK_WIDGET (row));
      adw_preferences_group_add (group, label);
    }
  g_signal_connect (factory, "setup", G_CALLBACK (item_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (item_bind_cb), NULL);
  adw_combo_row_set_list_factory (ADW_COMBO_ROW (row), factory);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), 0);
  g_object_set_data (G_OBJECT (row), "fidac-choice", GINT_TO_POINTER (choice));
  g_signal_connect (row, "notify::selected", G_CALLBACK (fidac_scores_panel_choice_changed_cb), self);
  self->choices[choice] = ADW_COMBO_ROW (row);
  return ADW_COMBO_ROW (row);
}

typedef const gchar *(*NameFunc) (gint value);

static GPtrArray *
texts (NameFunc func,
       gint     n)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  for (gint i = 0; i < n; i++)
    g_ptr_array_add (array, g_strdup (func (i)));
  return array;
}

static AdwPreferencesGroup *
group (GtkWidget   *form,
       const gchar *title,
       const gchar *description)
{
  GtkWidget *widget = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (widget), title);
  if (description != NULL)
    {
      /* The description is markup, the definitions are not ("< 5 %"). */
      g_autofree gchar *escaped = g_markup_escape_text (description, -1);

      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (widget), escaped);
    }
  gtk_box_append (GTK_BOX (form), widget);
  return ADW_PREFERENCES_GROUP (widget);
}

static GtkLabel *
line (GtkWidget   *box,
      const gchar *css_class)
{
  GtkWidget *label = gtk_label_new ("");

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (box), label);
  return GTK_LABEL (label);
}

static void
build_lobes (FidacScoresPanel *self,
             GtkWidget        *form)
{
  g_autoptr(GPtrArray) scores = texts ((NameFunc) fidac_lobe_score_get_definition,
                                       FIDAC_LOBE_SCORE_MAX + 1);
  g_autofree gchar *legend = NULL;
  g_autofree gchar *description = NULL;
  AdwPreferencesGroup *lobes;

  g_ptr_array_add (scores, NULL);
  legend = g_strjoinv (" · ", (GStrv) scores->pdata);
  g_ptr_array_remove_index (scores, scores->len - 1);
  /* Translators: the legend of the lobe scores, after the scale's reference. */
  description = g_strdup_printf (_("Share of each lobe involved (Pan et al., 2020): %s"), legend);
  lobes = group (form, _("Lobe Scores"), description);
  for (FidacLobe lobe = 0; lobe < FIDAC_N_LOBES; lobe++)
    {
      AdwComboRow *row = choice_row (self, (FidacScoresChoice) lobe, fidac_lobe_get_name (lobe),
                                     scores, NULL, NULL);

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), fidac_lobe_get_abbreviation (lobe));
      adw_preferences_group_add (lobes, GTK_WIDGET (row));
    }
  self->total = line (form, "heading");
}

static void
build_extent (FidacScoresPanel *self,
              GtkWidget        *form)
{
  g_autoptr(GPtrArray) names = texts ((NameFunc) fidac_extent_get_name, FIDAC_N_EXTENTS);
  g_autoptr(GPtrArray) definitions = texts ((NameFunc) fidac_extent_get_definition, FIDAC_N_EXTENTS);
  AdwPreferencesGroup *extent;
  GtkWidget *suggestion;

  extent = group (form, _("Extent of Involvement"),
                  _("French classification (SFR): share of both lungs involved"));
  adw_preferences_group_add (extent, GTK_WIDGET (choice_row (self, FIDAC_SCORES_CHOICE_EXTENT,
                                                             _("Extent"), names, definitions,
                                                             NULL)));
  suggestion = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (suggestion), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (suggestion), _("Suggested by the measurement"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (suggestion), 0);
  gtk_widget_set_tooltip_text (suggestion, _("The class of the share of both lungs painted, "
                                             "as measured on the lung mask"));
  self->suggestion = ADW_ACTION_ROW (suggestion);
  adw_preferences_group_add (extent, suggestion);
  self->extent_note = line (form, "warning");
  gtk_widget_set_visible (GTK_WIDGET (self->extent_note), FALSE);
}

static void
build_classification (FidacScoresPanel *self,
                      GtkWidget        *form)
{
  g_autoptr(GPtrArray) corads = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) corads_definitions = texts ((NameFunc) fidac_corads_get_definition,
                                                   FIDAC_CORADS_MAX + 1);
  g_autoptr(GPtrArray) rsna = texts ((NameFunc) fidac_rsna_get_name, FIDAC_N_RSNA);
  g_autoptr(GPtrArray) rsna_definitions = texts ((NameFunc) fidac_rsna_get_definition, FIDAC_N_RSNA);
  for (gint i = FIDAC_CORADS_MIN; i <= FIDAC_CORADS_MAX; i++)
    /* Translators: a CO-RADS category in its list. */
    g_ptr_array_add (corads, g_strdup_printf (_("CO-RADS %d"), i));
  choice_row (self, FIDAC_SCORES_CHOICE_CORADS, _("Category"), corads, corads_definitions,
              group (form, _("CO-RADS"), _("Level of suspicion of COVID-19 (Prokop et al., 2020)")));
  choice_row (self, FIDAC_SCORES_CHOICE_RSNA, _("Category"), rsna, rsna_definitions,
              group (form, _("RSNA Category"), _("CT appearance (RSNA consensus, Simpson et al., 2020)")));
}

static void
build_findings (FidacScoresPanel *self,
                GtkWidget        *form)
{
  g_autoptr(GPtrArray) patterns = texts ((NameFunc) fidac_pattern_get_name, FIDAC_N_PATTERNS);
  g_autoptr(GPtrArray) axial = texts ((NameFunc) fidac_axial_get_name, FIDAC_N_AXIAL);
  g_autoptr(GPtrArray) sides = texts ((NameFunc) fidac_side_get_name, FIDAC_N_SIDES);
  AdwPreferencesGroup *findings;
  GtkWidget *box, *widget, *frame;

  findings = group (form, _("Findings"), NULL);
  adw_preferences_group_add (findings,
                             GTK_WIDGET (choice_row (self, FIDAC_SCORES_CHOICE_PATTERN,
                                                     _("Predominant Pattern"), patterns, NULL, NULL)));
  adw_preferences_group_add (findings,
                             GTK_WIDGET (choice_row (self, FIDAC_SCORES_CHOICE_AXIAL,
                                                     _("Axial Distribution"), axial, NULL, NULL)));
  adw_preferences_group_add (findings,
                             GTK_WIDGET (choice_row (self, FIDAC_SCORES_CHOICE_SIDE,
                                                     _("Unilateral or Bilateral"), sides, NULL, NULL)));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  widget = gtk_label_new (_("Other Findings"));
  gtk_label_set_xalign (GTK_LABEL (widget), 0.0f);
  gtk_widget_add_css_class (widget, "heading");
  gtk_box_append (GTK_BOX (box), widget);
  for (guint i = 0; i < FIDAC_SCORES_N_FINDINGS; i++)
    {
      widget = gtk_check_button_new_with_label (fidac_finding_get_name ((FidacFinding) (1u << i)));
      g_object_set_data (G_OBJECT (widget), "fidac-finding", GUINT_TO_POINTER (1u << i));
      g_signal_connect (widget, "toggled", G_CALLBACK (fidac_scores_panel_finding_toggled_cb), self);
      self->findings[i] = GTK_CHECK_BUTTON (widget);
      gtk_box_append (GTK_BOX (box), widget);
    }
  widget = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (widget), _("Other findings, described"));
  gtk_widget_set_tooltip_text (widget, _("Required when “Other” is checked"));
  g_signal_connect (widget, "changed", G_CALLBACK (fidac_scores_panel_other_changed_cb), self);
  self->other = GTK_ENTRY (widget);
  gtk_box_append (GTK_BOX (box), widget);

  widget = gtk_label_new_with_mnemonic (_("C_omment"));
  gtk_label_set_xalign (GTK_LABEL (widget), 0.0f);
  gtk_widget_add_css_class (widget, "heading");
  gtk_widget_set_margin_top (widget, 12);
  gtk_box_append (GTK_BOX (box), widget);
  self->comment = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_label_set_mnemonic_widget (GTK_LABEL (widget), GTK_WIDGET (self->comment));
  gtk_text_view_set_wrap_mode (self->comment, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (self->comment, FALSE);
  gtk_text_view_set_top_margin (self->comment, 6);
  gtk_text_view_set_bottom_margin (self->comment, 6);
  gtk_text_view_set_left_margin (self->comment, 6);
  gtk_text_view_set_right_margin (self->comment, 6);
  gtk_widget_set_size_request (GTK_WIDGET (self->comment), -1, 80);
  g_signal_connect (gtk_text_view_get_buffer (self->comment), "changed",
                    G_CALLBACK (fidac_scores_panel_comment_changed_cb), self);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), GTK_WIDGET (self->comment));
  gtk_box_append (GTK_BOX (box), frame);
  gtk_box_append (GTK_BOX (form), box);
}

static void
build_complete (FidacScoresPanel *self,
                GtkWidget        *form)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *button = gtk_button_new_with_mnemonic (_("Mark as _Complete"));

  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Checks that every required field is filled, then marks "
                                         "the annotation as complete"));
  g_signal_connect (button, "clicked", G_CALLBACK (fidac_scores_panel_complete_clicked_cb), self);
  self->complete = GTK_BUTTON (button);
  gtk_box_append (GTK_BOX (box), button);
  self->complete_message = line (box, NULL);
  gtk_label_set_xalign (self->complete_message, 0.5f);
  gtk_label_set_justify (self->complete_message, GTK_JUSTIFY_CENTER);
  self->status_label = line (box, "dim-label");
  gtk_label_set_xalign (self->status_label, 0.5f);
  gtk_box_append (GTK_BOX (form), box);
}

GtkWidget *
fidac_scores_panel_build_form (FidacScoresPanel *self)
{
  GtkWidget *form = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);

  build_lobes (self, form);
  build_extent (self, form);
  build_classification (self, form);
  build_findings (self, form);
  build_complete (self, form);
  self->form = form;
  return form;
}
