/* fidac-scores-panel-quant.c: the measured figures beside the scores.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lung volumes and, per lesion class, the volume painted and the share of each lung
 * it takes, as FidacQuantification counts them after every stroke; and the extent class
 * that share suggests, put beside the expert's with a note when they differ. The expert's
 * class is never changed for them: the measurement only counts what was painted.
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fidac-lesion-panel.h"
#include "fidac-scores-panel-private.h"

static GtkLabel *
cell (GtkGrid     *grid,
      const gchar *text,
      gint         column,
      gint         row,
      gboolean     heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0.0f : 1.0f);
  gtk_widget_add_css_class (label, heading ? "caption-heading" : "numeric");
  gtk_widget_set_hexpand (label, column == 0);
  gtk_grid_attach (grid, label, column, row, 1, 1);
  return GTK_LABEL (label);
}

GtkWidget *
fidac_scores_panel_build_figures (FidacScoresPanel *self)
{
  static const gchar *columns[FIDAC_SCORES_N_COLUMNS] = {
    N_("Volume"), N_("Right"), N_("Left"), N_("Both"),
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *figures = adw_preferences_group_new ();
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *widget;

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (figures), _("Quantification"));
  self->figures = ADW_PREFERENCES_GROUP (figures);
  for (guint lung = 0; lung <= FIDAC_LUNG_N; lung++)
    {
      /* Right, left, then both lungs. */
      guint index = lung < FIDAC_LUNG_N ? lung + 1 : 0;
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     index == 0 ? _("Both lungs") : fidac_lung_get_name ((FidacLung) index));
      widget = gtk_label_new ("");
      gtk_widget_add_css_class (widget, "numeric");
      gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), widget);
      self->lung_values[index] = GTK_LABEL (widget);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (figures), row);
    }
  gtk_box_append (GTK_BOX (box), figures);

  /* Per class: the volume painted (mL) and the share of each lung involved (%). */
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_widget_set_tooltip_text (grid, _("Volume painted per class, and the share of the right "
                                       "lung, the left lung and both lungs it takes"));
  cell (GTK_GRID (grid), _("Lesions"), 0, 0, TRUE);
  for (guint c = 0; c < FIDAC_SCORES_N_COLUMNS; c++)
    cell (GTK_GRID (grid), _(columns[c]), (gint) c + 1, 0, TRUE);
  for (guint id = 1; id <= FIDAC_LESION_N_CLASSES + 1; id++)
    {
      /* The classes, then every class together on the last line. */
      guint index = id <= FIDAC_LESION_N_CLASSES ? id : 0;
      const FidacLesionClass *lesion = fidac_lesion_get (index);
      GtkWidget *name = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

      if (lesion != NULL)
        {
          gtk_box_append (GTK_BOX (name), fidac_lesion_panel_swatch_new (lesion, 12));
        }
      widget = gtk_label_new (lesion != NULL ? fidac_lesion_get_name (lesion) : _("All classes"));
      gtk_label_set_xalign (GTK_LABEL (widget), 0.0f);
      gtk_label_set_ellipsize (GTK_LABEL (widget), PANGO_ELLIPSIZE_END);
      if (lesion == NULL)
        gtk_widget_add_css_class (widget, "heading");
      gtk_box_append (GTK_BOX (name), widget);
      gtk_widget_set_hexpand (name, TRUE);
      gtk_grid_attach (GTK_GRID (grid), name, 0, (gint) id, 1, 1);
      for (guint c = 0; c < FIDAC_SCORES_N_COLUMNS; c++)
        self->lesion_values[index][c] = cell (GTK_GRID (grid), "", (gint) c + 1, (gint) id, FALSE);
    }
  gtk_box_append (GTK_BOX (box), grid);

  widget = gtk_check_button_new_with_mnemonic (_("Show _lung outline"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (widget), "win.show-lungs");
  gtk_widget_set_tooltip_text (widget, _("Outline the lungs found in the views: the share "
                                         "involved is of these"));
  self->show_lungs = GTK_CHECK_BUTTON (widget);
  gtk_box_append (GTK_BOX (box), widget);
  return box;
}

static void
set_ml (GtkLabel *label,
        gboolean  shown,
        gdouble   ml,
        gint      digits)
{
  /* Translators: a volume in millilitres; the first %.*f is the number of decimals. */
  g_autofree gchar *text = shown ? g_strdup_printf (_("%.*f mL"), digits, ml) : g_strdup ("—");

  gtk_label_set_text (label, text);
}

static void
set_percent (GtkLabel *label,
             gboolean  shown,
             gdouble   percent)
{
  /* Translators: a share of a lung, in percent. */
  g_autofree gchar *text = shown ? g_strdup_printf (_("%.2f %%"), percent) : g_strdup ("—");

  gtk_label_set_text (label, text);
}

static void
show_note (FidacScoresPanel *self,
           const gchar      *text)
{
  gtk_label_set_text (self->extent_note, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->extent_note), text != NULL);
}

void
fidac_scores_panel_sync_figures (FidacScoresPanel *self)
{
  FidacQuantificationState state = FIDAC_QUANTIFICATION_NONE;
  FidacQuantResult result = { 0 };
  g_autofree gchar *description = NULL;
  g_autofree gchar *suggestion = NULL;
  g_autofree gchar *note = NULL;
  gboolean ready, live;

  if (self->quantification != NULL)
    {
      state = fidac_quantification_get_state (self->quantification);
      fidac_quantification_get_result (self->quantification, &result);
    }
  ready = state == FIDAC_QUANTIFICATION_READY && result.has_lungs;
  live = state != FIDAC_QUANTIFICATION_NONE;

  switch (state)
    {
    case FIDAC_QUANTIFICATION_SEGMENTING:
      /* Translators: the progress of the lung segmentation, in percent. */
      description = g_strdup_printf (_("Finding the lungs… %.0f %%"),
                                     100.0 * fidac_quantification_get_progress (self->quantification));
      note = g_strdup (_("The lungs are still being segmented: no suggestion yet."));
      break;
    case FIDAC_QUANTIFICATION_FAILED:
      {
        const gchar *why = fidac_quantification_get_message (self->quantification);

        description = g_strdup_printf (_("The lungs were not found: %s"), why != NULL ? why : "");
        note = g_strdup_printf (_("No suggestion: the lungs could not be found (%s)."),
                                why != NULL ? why : "");
      }
      break;
    case FIDAC_QUANTIFICATION_READY:
      description = g_strdup (_("Lesion volumes and shares of the lungs found automatically"));
      break;
    case FIDAC_QUANTIFICATION_NONE:
    default:
      description = g_strdup (self->quantification != NULL ? _("No case") : _("Not measured"));
      break;
    }
  {
    /* A message from below may hold "<" or "&": the description is markup. */
    g_autofree gchar *escaped = g_markup_escape_text (description, -1);

    adw_preferences_group_set_description (self->figures, escaped);
  }

  for (guint lung = 0; lung <= FIDAC_LUNG_N; lung++)
    set_ml (self->lung_values[lung], ready, result.lung_ml[lung], 1);
  for (guint id = 0; id <= FIDAC_LESION_N_CLASSES; id++)
    {
      set_ml (self->lesion_values[id][FIDAC_SCORES_COLUMN_ML], live, result.lesion_ml[id], 2);
      set_percent (self->lesion_values[id][FIDAC_SCORES_COLUMN_RIGHT], ready,
                   result.involvement[FIDAC_LUNG_RIGHT][id]);
      set_percent (self->lesion_values[id][FIDAC_SCORES_COLUMN_LEFT], ready,
                   result.involvement[FIDAC_LUNG_LEFT][id]);
      set_percent (self->lesion_values[id][FIDAC_SCORES_COLUMN_BOTH], ready,
                   result.involvement[0][id]);
    }

  if (ready)
    {
      gdouble percent = result.involvement[0][0];
      FidacExtent suggested = fidac_extent_for_percent (percent);

      /* Translators: the extent class suggested, and the share of both lungs painted. */
      suggestion = g_strdup_printf (_("%s (%.2f %% of both lungs)"), fidac_extent_get_name (suggested),
                                    percent);
      if (self->scores.extent != FIDAC_EXTENT_UNSET && self->scores.extent != suggested)
        /* Translators: the suggested extent class, then the expert's. */
        note = g_strdup_printf (_("The measured involvement suggests “%s”, not “%s”: check the "
                                  "painting or the class."),
                                fidac_extent_get_name (suggested),
                                fidac_extent_get_name (self->scores.extent));
    }
  else
    suggestion = g_strdup ("—");
  adw_action_row_set_subtitle (self->suggestion, suggestion);
  show_note (self, note);
}
