/* fidac-lesion-panel-edit.c: the lesion panel's edits of the active class (fill between
 * slices, remove islands, clear slice, clear class), each one undo step of the annotation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fidac-lesion-panel-private.h"

void
fidac_lesion_panel_set_edit_message (FidacLesionPanel *self,
                                     const gchar      *text,
                                     gboolean          error)
{
  gtk_label_set_text (self->edit_message, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->edit_message), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->edit_message), "error");
}

void
fidac_lesion_panel_sync_edits (FidacLesionPanel *self)
{
  gboolean map = fidac_annotation_get_map (self->annotation) != NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->fill_between), map && self->layout != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_slice), map && self->layout != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_islands), map);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_class), map);
}

/* The voxel axis of the main view's slices and the slice through the crosshair. */
static gboolean
get_reference (FidacLesionPanel *self,
               gint             *axis,
               gint             *slice)
{
  FidacVolume *volume = fidac_annotation_get_volume (self->annotation);
  FidacLabelMap *map = fidac_annotation_get_map (self->annotation);
  const FidacMpr *mpr;
  gdouble right[3], down[3], normal[3], voxel[3];

  if (self->layout == NULL || volume == NULL || map == NULL)
    return FALSE;
  mpr = fidac_viewer_get_mpr (fidac_mpr_layout_get_viewer (self->layout));
  if (mpr == NULL)
    return FALSE;
  fidac_view_get_axes (fidac_mpr_layout_get_main_view (self->layout), right, down);
  normal[0] = right[1] * down[2] - right[2] * down[1];
  normal[1] = right[2] * down[0] - right[0] * down[2];
  normal[2] = right[0] * down[1] - right[1] * down[0];
  *axis = fidac_fill_axis_for_normal (volume, normal);
  fidac_volume_patient_to_voxel (volume, mpr->crosshair, voxel);
  if (!(voxel[*axis] >= -0.5 && voxel[*axis] < map->dims[*axis] - 0.5))
    return FALSE;
  /* Non-negative: truncation is the nearest slice. */
  *slice = (gint) (voxel[*axis] + 0.5);
  return TRUE;
}

static void
fill_between_cb (GtkButton        *button,
                 FidacLesionPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *text = NULL;
  FidacInterpolateResult result;
  gint axis, slice;

  if (!get_reference (self, &axis, &slice))
    {
      fidac_lesion_panel_set_edit_message (self, _("No view to fill along"), TRUE);
      return;
    }
  if (!fidac_annotation_fill_between (self->annotation, axis, &result, &error))
    {
      fidac_lesion_panel_set_edit_message (self, error->message, TRUE);
      return;
    }
  if (result.n_painted < 2)
    text = g_strdup (_("Paint the class on two slices at least, then fill between them"));
  else
    /* TRANSLATORS: slices filled, then the painted slices (two or more) they lie between */
    text = g_strdup_printf (_("Slices filled: %u (between %u painted slices)"),
                            result.n_slices, result.n_painted);
  fidac_lesion_panel_set_edit_message (self, text, FALSE);
}

static void
remove_islands_cb (GtkButton        *button,
                   FidacLesionPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *text = NULL;
  FidacFillResult result;

  if (!fidac_annotation_remove_islands (self->annotation, gtk_spin_button_get_value (self->island_size),
                                        &result, &error))
    {
      fidac_lesion_panel_set_edit_message (self, error->message, TRUE);
      return;
    }
  /* TRANSLATORS: voxels removed, then the connected parts of the class kept */
  text = g_strdup_printf (_("Voxels removed: %llu; parts kept: %llu"),
                          (unsigned long long) result.n_changed, (unsigned long long) result.n_region);
  fidac_lesion_panel_set_edit_message (self, text, FALSE);
}

/* The message after a clear: the count, or why nothing was cleared (cleared < 0). */
static void
report_cleared (FidacLesionPanel *self,
                gint64            cleared,
                const GError     *error)
{
  g_autofree gchar *text = NULL;

  if (cleared < 0)
    {
      fidac_lesion_panel_set_edit_message (self, error->message, TRUE);
      return;
    }
  text = g_strdup_printf (_("Voxels cleared: %lld"), (long long) cleared);
  fidac_lesion_panel_set_edit_message (self, text, FALSE);
}

static void
clear_slice_cb (GtkButton        *button,
                FidacLesionPanel *self)
{
  g_autoptr(GError) error = NULL;
  gint axis, slice;
  gint64 cleared;

  if (!get_reference (self, &axis, &slice))
    {
      fidac_lesion_panel_set_edit_message (self, _("No slice to clear"), TRUE);
      return;
    }
  cleared = fidac_annotation_clear_slice (self->annotation, axis, slice, &error);
  report_cleared (self, cleared, error);
}

static void
clear_response_cb (AdwMessageDialog *dialog,
                   const gchar      *response,
                   FidacLesionPanel *self)
{
  self->clear_dialog = NULL;
  if (g_str_equal (response, "clear"))
    {
      g_autoptr(GError) error = NULL;
      gint64 cleared = fidac_annotation_clear_class (self->annotation, &error);

      report_cleared (self, cleared, error);
    }
}

static void
clear_class_cb (GtkButton        *button,
                FidacLesionPanel *self)
{
  const FidacLesionClass *lesion = fidac_lesion_get (fidac_annotation_get_class (self->annotation));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree gchar *heading = NULL;
  GtkWidget *dialog;

  if (self->clear_dialog != NULL || lesion == NULL)
    return;
  /* TRANSLATORS: the name of a lesion class */
  heading = g_strdup_printf (_("Clear %s?"), fidac_lesion_get_name (lesion));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("Every voxel of this class is cleared, on every slice. "
                                     "Undo (Ctrl+Z) brings them back."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "clear", _("C_lear"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "clear",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (clear_response_cb), self);
  self->clear_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

GtkWidget *
fidac_lesion_panel_build_edits (FidacLesionPanel *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *line, *widget;

  widget = fidac_lesion_panel_control (gtk_button_new_with_mnemonic (_("_Fill Between Slices")),
                    _("Interpolate the active class through the empty slices "
                      "between its painted slices, along the main view"),
                    "clicked", G_CALLBACK (fill_between_cb), self, 0);
  self->fill_between = GTK_BUTTON (widget);
  gtk_box_append (GTK_BOX (box), widget);

  line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  widget = fidac_lesion_panel_control (gtk_button_new_with_mnemonic (_("_Remove Islands")),
                    _("Remove the parts of the active class smaller than this volume (mm³)"),
                    "clicked", G_CALLBACK (remove_islands_cb), self, 0);
  gtk_widget_set_hexpand (widget, TRUE);
  self->remove_islands = GTK_BUTTON (widget);
  gtk_box_append (GTK_BOX (line), widget);
  widget = gtk_spin_button_new_with_range (0.0, 100000.0, 1.0);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (widget), 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), FIDAC_LESION_PANEL_ISLAND_MM3);
  gtk_widget_set_tooltip_text (widget, _("Smallest part kept (mm³)"));
  self->island_size = GTK_SPIN_BUTTON (widget);
  gtk_box_append (GTK_BOX (line), widget);
  gtk_box_append (GTK_BOX (box), line);

  line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_set_homogeneous (GTK_BOX (line), TRUE);
  widget = fidac_lesion_panel_control (gtk_button_new_with_mnemonic (_("Clear _Slice")),
                    _("Clear the active class in the main view's slice at the crosshair"),
                    "clicked", G_CALLBACK (clear_slice_cb), self, 0);
  self->clear_slice = GTK_BUTTON (widget);
  gtk_box_append (GTK_BOX (line), widget);
  widget = fidac_lesion_panel_control (gtk_button_new_with_mnemonic (_("Clear _Class…")),
                    _("Clear the active class on every slice"),
                    "clicked", G_CALLBACK (clear_class_cb), self, 0);
  gtk_widget_add_css_class (widget, "destructive-action");
  self->clear_class = GTK_BUTTON (widget);
  gtk_box_append (GTK_BOX (line), widget);
  gtk_box_append (GTK_BOX (box), line);

  widget = gtk_label_new ("");
  gtk_label_set_xalign (GTK_LABEL (widget), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (widget), TRUE);
  gtk_widget_add_css_class (widget, "caption");
  self->edit_message = GTK_LABEL (widget);
  gtk_box_append (GTK_BOX (box), widget);
  return box;
}

GtkButton *
fidac_lesion_panel_get_fill_between_button (FidacLesionPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_LESION_PANEL (self), NULL);
  return self->fill_between;
}

GtkButton *
fidac_lesion_panel_get_remove_islands_button (FidacLesionPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_LESION_PANEL (self), NULL);
  return self->remove_islands;
}

GtkSpinButton *
fidac_lesion_panel_get_island_spin (FidacLesionPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_LESION_PANEL (self), NULL);
  return self->island_size;
}

GtkButton *
fidac_lesion_panel_get_clear_slice_button (FidacLesionPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_LESION_PANEL (self), NULL);
  return self->clear_slice;
}

GtkButton *
fidac_lesion_panel_get_clear_class_button (FidacLesionPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_LESION_PANEL (self), NULL);
  return self->clear_class;
}

GtkWidget *
fidac_lesion_panel_get_clear_dialog (FidacLesionPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_LESION_PANEL (self), NULL);
  return self->clear_dialog;
}
