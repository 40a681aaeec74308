/* fidac-window-state.c: what the window shows, read back for the application and the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <string.h>

#include "fidac-window-internal.h"
#include "fidac-window-private.h"

FidacWindowState
fidac_window_get_state (FidacWindow *self)
{
  g_return_val_if_fail (FIDAC_IS_WINDOW (self), FIDAC_WINDOW_STATE_EMPTY);

  return self->state;
}

guint
fidac_window_get_n_pending (FidacWindow *self)
{
  g_return_val_if_fail (FIDAC_IS_WINDOW (self), 0);

  return self->n_pending;
}

const FidacVolume *
fidac_window_get_volume (FidacWindow *self)
{
  g_return_val_if_fail (FIDAC_IS_WINDOW (self), NULL);

  return self->volume;
}

const gchar *
fidac_window_get_detail (FidacWindow *self,
                         const gchar *key)
{
  const struct {
    const gchar  *key;
    AdwActionRow *row;
  } rows[] = {
    { "description", self->description_row },
    { "modality", self->modality_row },
    { "date", self->date_row },
    { "position", self->position_row },
    { "matrix", self->matrix_row },
    { "slices", self->slices_row },
    { "spacing", self->spacing_row },
    { "orientation", self->orientation_row },
    { "hu", self->hu_row },
    { "window", self->window_row },
  };

  g_return_val_if_fail (FIDAC_IS_WINDOW (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (g_str_equal (key, rows[i].key))
      return adw_action_row_get_subtitle (rows[i].row);
  return NULL;
}

GPtrArray *
fidac_window_get_warnings (FidacWindow *self)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) split = NULL;

  g_return_val_if_fail (FIDAC_IS_WINDOW (self), lines);

  split = g_strsplit (gtk_label_get_text (self->warnings_label), "\n", -1);
  for (guint i = 0; split[i] != NULL; i++)
    if (*split[i] != '\0')
      g_ptr_array_add (lines, g_strdup (g_str_has_prefix (split[i], "• ") ? split[i] + strlen ("• ")
                                                                            : split[i]));
  return lines;
}

FidacViewer *
fidac_window_get_viewer (FidacWindow *self)
{
  g_return_val_if_fail (FIDAC_IS_WINDOW (self), NULL);

  return self->viewer;
}

FidacMprLayout *
fidac_window_get_layout (FidacWindow *self)
{
  g_return_val_if_fail (FIDAC_IS_WINDOW (self), NULL);

  return self->layout;
}

gboolean
fidac_window_get_details_shown (FidacWindow *self)
{
  g_return_val_if_fail (FIDAC_IS_WINDOW (self), FALSE);

  return gtk_revealer_get_reveal_child (self->details_revealer);
}

GMenuModel *
fidac_window_get_presets_menu (FidacWindow *self)
{
  g_return_val_if_fail (FIDAC_IS_WINDOW (self), NULL);

  return G_MENU_MODEL (self->presets_menu);
}

GtkSpinButton *
fidac_window_get_slab_spin (FidacWindow *self)
{
  g_return_val_if_fail (FIDAC_IS_WINDOW (self), NULL);

  return self->slab_spin;
}

GtkPopover *
fidac_window_get_custom_window (FidacWindow    *self,
                                GtkSpinButton **width,
                                GtkSpinButton **level)
{
  g_return_val_if_fail (FIDAC_IS_WINDOW (self), NULL);

  if (width != NULL)
    *width = self->custom_width;
  if (level != NULL)
    *level = self->custom_level;
  return GTK_POPOVER (self->custom_popover);
}

const gchar *
fidac_window_get_error_message (FidacWindow *self)
{
  g_return_val_if_fail (FIDAC_IS_WINDOW (self), NULL);

  return self->error_message;
}

GtkListBox *
fidac_window_get_series_list (FidacWindow *self)
{
  g_return_val_if_fail (FIDAC_IS_WINDOW (self), NULL);

  return self->series_list;
}
