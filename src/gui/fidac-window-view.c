/* fidac-window-view.c: the window's MPR views, the controls around them and their actions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every control goes through a window action (win.layout, win.preset, win.invert, ...), so
 * that the header bar, the menus, the keys and the tests drive the viewer the same way. The
 * action states are set from the viewer (its ::changed) and the layout (notify), not by the
 * actions themselves, so that a change made in a view, a new case or a menu all end in the
 * same states.
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fidac-lesion-panel.h"
#include "fidac-scores-panel.h"
#include "fidac-window-internal.h"

/* The number keys reach presets 1 to 9. */
#define N_PRESET_KEYS 9

static const gchar *layout_names[] = { "one-plus-two", "side-by-side", "single" };
static const gchar *view_names[] = { "axial", "coronal", "sagittal" };
static const gchar *interpolation_names[] = { "nearest", "linear" };
/* "off" first, then FidacSlabMode + 1. */
static const gchar *slab_names[] = { "off", "average", "mip", "minip" };

/* The actions that need a case on screen. */
static const gchar *case_actions[] = {
  "layout", "main-view", "preset", "window-custom", "invert", "slab-mode", "slab-thickness",
  "interpolation", "toggle-details", "reset-view", "toggle-annotation", "export-report",
  "toggle-scores",
};

static gint
name_index (const gchar  *name,
            const gchar **names,
            guint         n_names)
{
  for (guint i = 0; i < n_names; i++)
    if (g_str_equal (name, names[i]))
      return (gint) i;
  return -1;
}

static GSimpleAction *
lookup (FidacWindow *self,
        const gchar *name)
{
  return G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self), name));
}

static void
set_string_state (FidacWindow *self,
                  const gchar *action,
                  const gchar *value)
{
  g_simple_action_set_state (lookup (self, action), g_variant_new_string (value));
}

/* States from the viewer and the layout ------------------------------------------------- */

static void
show_window_detail (FidacWindow    *self,
                    const FidacMpr *mpr)
{
  GArray *presets = fidac_viewer_get_presets (self->viewer);
  const gchar *name = _("Custom");
  g_autofree gchar *text = NULL;

  for (guint i = 0; i < presets->len; i++)
    {
      const FidacViewerPreset *p = &g_array_index (presets, FidacViewerPreset, i);

      if (p->width == mpr->window_width && p->level == mpr->window_level)
        {
          name = p->name;
          break;
        }
    }
  if (mpr->invert)
    /* Translators: the display window of the views: preset name, width and level in HU. */
    text = g_strdup_printf (_("%s, width %.0f, level %.0f, inverted"), name,
                            mpr->window_width, mpr->window_level);
  else
    /* Translators: the display window of the views: preset name, width and level in HU. */
    text = g_strdup_printf (_("%s, width %.0f, level %.0f"), name,
                            mpr->window_width, mpr->window_level);
  adw_action_row_set_subtitle (self->window_row, text);
}

static void
rebuild_presets_menu (FidacWindow *self)
{
  GArray *presets = fidac_viewer_get_presets (self->viewer);
  g_autoptr(GMenu) chest = g_menu_new ();
  g_autoptr(GMenu) header = g_menu_new ();
  g_autoptr(GMenu) custom = g_menu_new ();

  g_menu_remove_all (self->presets_menu);
  for (guint i = 0; i < presets->len; i++)
    {
      const FidacViewerPreset *p = &g_array_index (presets, FidacViewerPreset, i);
      g_autoptr(GMenuItem) item = NULL;
      g_autofree gchar *label = NULL;

      /* The first three are the chest presets, named without their values; the header's
       * already carry theirs. */
      if (i < 3)
        /* Translators: a window preset in the menu: its name, width and level. */
        label = g_strdup_printf (_("%s (W %g L %g)"), p->name, p->width, p->level);
      else
        label = g_strdup (p->name);
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "win.preset", g_variant_new_uint32 (i));
      if (i < N_PRESET_KEYS)
        {
          g_autofree gchar *accel = g_strdup_printf ("%u", i + 1);

          g_menu_item_set_attribute (item, "accel", "s", accel);
        }
      g_menu_append_item (i < 3 ? chest : header, item);
    }
  g_menu_append (custom, _("_Custom Window…"), "win.window-custom");
  g_menu_append_section (self->presets_menu, NULL, G_MENU_MODEL (chest));
  if (g_menu_model_get_n_items (G_MENU_MODEL (header)) > 0)
    g_menu_append_section (self->presets_menu, _("DICOM Header"), G_MENU_MODEL (header));
  g_menu_append_section (self->presets_menu, NULL, G_MENU_MODEL (custom));
}

static void
sync_slab_spin (FidacWindow *self)
{
  gdouble thickness = CLAMP (self->slab_mm, 1.0, 100.0);

  /* Showing a thickness is not choosing it: a slab set outside 1..100 mm elsewhere must
   * not be clamped back into the viewer by the spin button's ::value-changed. */
  self->syncing_slab = TRUE;
  gtk_spin_button_set_value (self->slab_spin, thickness);
  self->syncing_slab = FALSE;
  g_simple_action_set_state (lookup (self, "slab-thickness"), g_variant_new_double (thickness));
}

static void
viewer_changed_cb (FidacViewer *viewer,
                   guint        changes,
                   gint         view,
                   FidacWindow *self)
{
  const FidacMpr *mpr = fidac_viewer_get_mpr (viewer);

  if (mpr == NULL)
    return;
  if (changes & FIDAC_VIEWER_CHANGED_VOLUME)
    rebuild_presets_menu (self);
  if (changes & (FIDAC_VIEWER_CHANGED_WINDOW | FIDAC_VIEWER_CHANGED_VOLUME))
    {
      g_simple_action_set_state (lookup (self, "invert"), g_variant_new_boolean (mpr->invert));
      show_window_detail (self, mpr);
    }
  if (changes & (FIDAC_VIEWER_CHANGED_RESLICE | FIDAC_VIEWER_CHANGED_VOLUME))
    {
      gboolean slab = mpr->reslice.slab_mm > 0.0;

      set_string_state (self, "interpolation",
                        interpolation_names[mpr->reslice.interpolation == FIDAC_INTERPOLATION_NEAREST ? 0 : 1]);
      set_string_state (self, "slab-mode", slab ? slab_names[mpr->reslice.slab_mode + 1] : "off");
      if (slab)
        self->slab_mm = mpr->reslice.slab_mm;
      sync_slab_spin (self);
    }
}

static void
layout_notify_cb (FidacMprLayout *layout,
                  GParamSpec     *pspec,
                  FidacWindow    *self)
{
  set_string_state (self, "layout", layout_names[fidac_mpr_layout_get_layout (layout)]);
  set_string_state (self, "main-view", view_names[fidac_mpr_layout_get_main_view (layout)]);
}

/* Actions ------------------------------------------------------------------------------- */

static void
layout_change_state (GSimpleAction *action,
                     GVariant      *value,
                     gpointer       user_data)
{
  FidacWindow *self = FIDAC_WINDOW (user_data);
  gint layout = name_index (g_variant_get_string (value, NULL), layout_names,
                            G_N_ELEMENTS (layout_names));

  if (layout < 0)
    {
      g_warning ("unknown layout “%s”", g_variant_get_string (value, NULL));
      return;
    }
  fidac_mpr_layout_set_layout (self->layout, (FidacLayout) layout);
}

static void
main_view_change_state (GSimpleAction *action,
                        GVariant      *value,
                        gpointer       user_data)
{
  FidacWindow *self = FIDAC_WINDOW (user_data);
  gint view = name_index (g_variant_get_string (value, NULL), view_names,
                          G_N_ELEMENTS (view_names));

  if (view < 0)
    {
      g_warning ("unknown view “%s”", g_variant_get_string (value, NULL));
      return;
    }
  fidac_mpr_layout_set_main_view (self->layout, (FidacView) view);
}

static void
preset_activate (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  FidacWindow *self = FIDAC_WINDOW (user_data);

  /* A number key past the last preset of this case does nothing. */
  fidac_viewer_apply_preset (self->viewer, g_variant_get_uint32 (parameter));
}

/* Opened by its button or the menu, the fields start from the window shown. */
static void
custom_popover_show_cb (FidacWindow *self)
{
  const FidacMpr *mpr = fidac_viewer_get_mpr (self->viewer);

  if (mpr == NULL)
    return;
  gtk_spin_button_set_value (self->custom_width, mpr->window_width);
  gtk_spin_button_set_value (self->custom_level, mpr->window_level);
  gtk_widget_grab_focus (GTK_WIDGET (self->custom_width));
}

static void
window_custom_activate (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  FidacWindow *self = FIDAC_WINDOW (user_data);

  gtk_menu_button_popup (self->custom_window_button);
}

static void
invert_change_state (GSimpleAction *action,
                     GVariant      *value,
                     gpointer       user_data)
{
  FidacWindow *self = FIDAC_WINDOW (user_data);

  fidac_viewer_set_invert (self->viewer, g_variant_get_boolean (value));
}

static void
apply_slab (FidacWindow *self,
            gint         mode)
{
  const FidacMpr *mpr = fidac_viewer_get_mpr (self->viewer);

  if (mpr == NULL)
    return;
  if (mode <= 0)
    fidac_viewer_set_slab (self->viewer, mpr->reslice.slab_mode, 0.0);
  else
    fidac_viewer_set_slab (self->viewer, (FidacSlabMode) (mode - 1), self->slab_mm);
}

static void
slab_mode_change_state (GSimpleAction *action,
                        GVariant      *value,
                        gpointer       user_data)
{
  FidacWindow *self = FIDAC_WINDOW (user_data);
  gint mode = name_index (g_variant_get_string (value, NULL), slab_names, G_N_ELEMENTS (slab_names));

  if (mode < 0)
    {
      g_warning ("unknown slab mode “%s”", g_variant_get_string (value, NULL));
      return;
    }
  apply_slab (self, mode);
}

static void
slab_thickness_change_state (GSimpleAction *action,
                             GVariant      *value,
                             gpointer       user_data)
{
  FidacWindow *self = FIDAC_WINDOW (user_data);
  const FidacMpr *mpr = fidac_viewer_get_mpr (self->viewer);
  gdouble mm = g_variant_get_double (value);

  if (!(mm >= 1.0 && mm <= 100.0))
    {
      g_warning ("slab thickness %g mm is outside 1 to 100 mm", mm);
      return;
    }
  self->slab_mm = mm;
  if (mpr != NULL && mpr->reslice.slab_mm > 0.0)
    fidac_viewer_set_slab (self->viewer, mpr->reslice.slab_mode, mm);
  sync_slab_spin (self);
}

static void
interpolation_change_state (GSimpleAction *action,
                            GVariant      *value,
                            gpointer       user_data)
{
  FidacWindow *self = FIDAC_WINDOW (user_data);
  gint i = name_index (g_variant_get_string (value, NULL), interpolation_names,
                       G_N_ELEMENTS (interpolation_names));

  if (i < 0)
    {
      g_warning ("unknown interpolation “%s”", g_variant_get_string (value, NULL));
      return;
    }
  fidac_viewer_set_interpolation (self->viewer,
                                  i == 0 ? FIDAC_INTERPOLATION_NEAREST : FIDAC_INTERPOLATION_LINEAR);
}

static void
toggle_details_change_state (GSimpleAction *action,
                             GVariant      *value,
                             gpointer       user_data)
{
  FidacWindow *self = FIDAC_WINDOW (user_data);

  gtk_revealer_set_reveal_child (self->details_revealer, g_variant_get_boolean (value));
  g_simple_action_set_state (action, value);
}

static GtkWidget *
template_child (FidacWindow *self,
                const gchar *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), FIDAC_TYPE_WINDOW, name));
}

/* Shown even with the annotation pane closed: work on screen that is not saved must not
 * go unnoticed. */
static void
save_failed_cb (FidacAnnotation *annotation,
                const gchar     *message,
                FidacWindow     *self)
{
  g_autofree gchar *text = g_strdup_printf (_("The last stroke is not saved: %s"), message);
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
toggle_annotation_change_state (GSimpleAction *action,
                                GVariant      *value,
                                gpointer       user_data)
{
  FidacWindow *self = FIDAC_WINDOW (user_data);

  gtk_revealer_set_reveal_child (GTK_REVEALER (template_child (self, "annotation_revealer")),
                                 g_variant_get_boolean (value));
  /* Hiding the tools goes back to navigation: a hidden brush must not paint. */
  if (!g_variant_get_boolean (value))
    fidac_annotation_set_tool (fidac_viewer_get_annotation (self->viewer), FIDAC_TOOL_NAVIGATE);
  g_simple_action_set_state (action, value);
}

static void
toggle_scores_change_state (GSimpleAction *action,
                            GVariant      *value,
                            gpointer       user_data)
{
  FidacWindow *self = FIDAC_WINDOW (user_data);

  gtk_revealer_set_reveal_child (GTK_REVEALER (template_child (self, "scores_revealer")),
                                 g_variant_get_boolean (value));
  g_simple_action_set_state (action, value);
}

static void
reset_view_activate (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  FidacWindow *self = FIDAC_WINDOW (user_data);

  for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
    fidac_viewer_reset_view (self->viewer, v);
}

static const GActionEntry view_actions[] = {
  { .name = "layout", .parameter_type = "s", .state = "'one-plus-two'",
    .change_state = layout_change_state },
  { .name = "main-view", .parameter_type = "s", .state = "'axial'",
    .change_state = main_view_change_state },
  { .name = "preset", .parameter_type = "u", .activate = preset_activate },
  { .name = "window-custom", .activate = window_custom_activate },
  { .name = "invert", .state = "false", .change_state = invert_change_state },
  { .name = "slab-mode", .parameter_type = "s", .state = "'off'",
    .change_state = slab_mode_change_state },
  { .name = "slab-thickness", .parameter_type = "d", .state = "10.0",
    .change_state = slab_thickness_change_state },
  { .name = "interpolation", .parameter_type = "s", .state = "'linear'",
    .change_state = interpolation_change_state },
  { .name = "toggle-details", .state = "false", .change_state = toggle_details_change_state },
  { .name = "reset-view", .activate = reset_view_activate },
  { .name = "toggle-annotation", .state = "false", .change_state = toggle_annotation_change_state },
  { .name = "toggle-scores", .state = "false", .change_state = toggle_scores_change_state },
};

/* Controls ------------------------------------------------------------------------------ */

static void
slab_spin_value_changed_cb (GtkSpinButton *spin,
                            FidacWindow   *self)
{
  if (self->syncing_slab)
    return;
  g_action_group_change_action_state (G_ACTION_GROUP (self), "slab-thickness",
                                      g_variant_new_double (gtk_spin_button_get_value (spin)));
}

static void
apply_custom_window (FidacWindow *self)
{
  gtk_spin_button_update (self->custom_width);
  gtk_spin_button_update (self->custom_level);
  fidac_viewer_set_window (self->viewer, gtk_spin_button_get_value (self->custom_width),
                           gtk_spin_button_get_value (self->custom_level));
  gtk_popover_popdown (GTK_POPOVER (self->custom_popover));
}

/* Enter in either field applies. GtkSpinButton has no ::activate before GTK 4.14 and its
 * text uses the key, so the popover takes it first, in the capture phase. */
static gboolean
custom_key_pressed_cb (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       FidacWindow           *self)
{
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;
  apply_custom_window (self);
  return TRUE;
}

static void
custom_apply_clicked_cb (GtkButton   *button,
                         FidacWindow *self)
{
  apply_custom_window (self);
}

static GtkSpinButton *
custom_spin_new (GtkGrid     *grid,
                 gint         row,
                 const gchar *label,
                 gdouble      lower,
                 gdouble      upper)
{
  GtkWidget *title = gtk_label_new_with_mnemonic (label);
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, 10.0);

  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (title), spin);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 0);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_widget_set_hexpand (spin, TRUE);
  gtk_grid_attach (grid, title, 0, row, 1, 1);
  gtk_grid_attach (grid, spin, 1, row, 1, 1);
  return GTK_SPIN_BUTTON (spin);
}

/* The typed window: the popover of its own button, also opened by "Custom Window…" in the
 * presets menu (win.window-custom). */
static void
custom_popover_init (FidacWindow *self)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *heading = gtk_label_new (_("Window"));
  GtkWidget *apply = gtk_button_new_with_mnemonic (_("_Apply"));
  GtkEventController *key;

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_start (grid, 6);
  gtk_widget_set_margin_end (grid, 6);
  gtk_widget_set_margin_top (grid, 6);
  gtk_widget_set_margin_bottom (grid, 6);
  gtk_label_set_xalign (GTK_LABEL (heading), 0.0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_grid_attach (GTK_GRID (grid), heading, 0, 0, 2, 1);
  /* HU: a width of at least 1 and a level anywhere a CT value (or its padding) can be. */
  self->custom_width = custom_spin_new (GTK_GRID (grid), 1, _("_Width (HU)"), 1.0, 70000.0);
  self->custom_level = custom_spin_new (GTK_GRID (grid), 2, _("_Level (HU)"), -35000.0, 35000.0);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->custom_width), _("Press Enter to apply"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->custom_level), _("Press Enter to apply"));
  gtk_widget_add_css_class (apply, "suggested-action");
  gtk_widget_set_halign (apply, GTK_ALIGN_END);
  g_signal_connect (apply, "clicked", G_CALLBACK (custom_apply_clicked_cb), self);
  gtk_grid_attach (GTK_GRID (grid), apply, 0, 3, 2, 1);

  self->custom_popover = gtk_popover_new ();
  key = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect (key, "key-pressed", G_CALLBACK (custom_key_pressed_cb), self);
  gtk_widget_add_controller (self->custom_popover, key);
  gtk_popover_set_child (GTK_POPOVER (self->custom_popover), grid);
  gtk_menu_button_set_popover (self->custom_window_button, self->custom_popover);
  g_signal_connect_object (self->custom_popover, "show", G_CALLBACK (custom_popover_show_cb), self,
                           G_CONNECT_SWAPPED);
}

/* Plain keys (digits, I, R) must reach a spin button or an entry first: they are bound in
 * the bubble phase, so the window sees them only when the focused widget has not used
 * them. Application accelerators would take them before any widget. */
static void
key_shortcuts_init (FidacWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcutController *shortcuts = GTK_SHORTCUT_CONTROLLER (controller);

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_BUBBLE);
  for (guint i = 0; i < N_PRESET_KEYS; i++)
    {
      GtkShortcutTrigger *trigger =
        gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_1 + i, 0),
                                     gtk_keyval_trigger_new (GDK_KEY_KP_1 + i, 0));

      gtk_shortcut_controller_add_shortcut (shortcuts,
                                            gtk_shortcut_new_with_arguments (trigger,
                                                                             gtk_named_action_new ("win.preset"),
                                                                             "u", i));
    }
  gtk_shortcut_controller_add_shortcut (shortcuts,
    gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_i, 0),
                                                   gtk_keyval_trigger_new (GDK_KEY_I, GDK_SHIFT_MASK)),
                      gtk_named_action_new ("win.invert")));
  gtk_shortcut_controller_add_shortcut (shortcuts,
    gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_r, 0),
                                                   gtk_keyval_trigger_new (GDK_KEY_R, GDK_SHIFT_MASK)),
                      gtk_named_action_new ("win.reset-view")));
  /* Shift+L, here too: an application accelerator would take every capital L typed into
   * the scores panel's comment. */
  gtk_shortcut_controller_add_shortcut (shortcuts,
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_L, GDK_SHIFT_MASK),
                      gtk_named_action_new ("win.show-lungs")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

FidacLesionPanel *
fidac_window_get_lesion_panel (FidacWindow *self)
{
  GtkWidget *child;

  g_return_val_if_fail (FIDAC_IS_WINDOW (self), NULL);
  child = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (template_child (self, "annotation_scroll")));
  /* The scrolled window wraps a widget that does not scroll in a viewport. */
  if (GTK_IS_VIEWPORT (child))
    child = gtk_viewport_get_child (GTK_VIEWPORT (child));
  return FIDAC_LESION_PANEL (child);
}

FidacScoresPanel *
fidac_window_get_scores_panel (FidacWindow *self)
{
  GtkWidget *child;

  g_return_val_if_fail (FIDAC_IS_WINDOW (self), NULL);
  child = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (template_child (self, "scores_scroll")));
  if (GTK_IS_VIEWPORT (child))
    child = gtk_viewport_get_child (GTK_VIEWPORT (child));
  return FIDAC_SCORES_PANEL (child);
}

gboolean
fidac_window_get_scores_shown (FidacWindow *self)
{
  g_return_val_if_fail (FIDAC_IS_WINDOW (self), FALSE);
  return gtk_revealer_get_reveal_child (GTK_REVEALER (template_child (self, "scores_revealer")));
}

gboolean
fidac_window_get_annotation_shown (FidacWindow *self)
{
  g_return_val_if_fail (FIDAC_IS_WINDOW (self), FALSE);
  return gtk_revealer_get_reveal_child (GTK_REVEALER (template_child (self, "annotation_revealer")));
}

/* Window class ----------------------------------------------------------------------------- */

void
fidac_window_view_update_actions (FidacWindow *self)
{
  gboolean shown = self->viewer != NULL && self->volume != NULL &&
                   self->state == FIDAC_WINDOW_STATE_RESULT;

  if (self->viewer == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (case_actions); i++)
    g_simple_action_set_enabled (lookup (self, case_actions[i]), shown);
  gtk_widget_set_visible (self->view_controls, shown);
  if (!shown && self->custom_popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->custom_popover));
}

void
fidac_window_view_show_volume (FidacWindow *self)
{
  gboolean warned = self->warnings->len > 0;

  fidac_viewer_set_volume (self->viewer, self->volume);
  /* Warnings are read before the images: the pane opens by itself when there are some. */
  g_action_group_change_action_state (G_ACTION_GROUP (self), "toggle-details",
                                      g_variant_new_boolean (warned));
}

void
fidac_window_view_focus (FidacWindow *self)
{
  FidacView main_view = fidac_mpr_layout_get_main_view (self->layout);

  /* The keys (slices, presets) work at once, without a click into the views first. */
  gtk_widget_grab_focus (GTK_WIDGET (fidac_mpr_layout_get_view (self->layout, main_view)));
}

void
fidac_window_view_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, views_box);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, details_revealer);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, view_controls);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, presets_button);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, custom_window_button);
  gtk_widget_class_bind_template_child (widget_class, FidacWindow, slab_spin);
  gtk_widget_class_bind_template_callback (widget_class, slab_spin_value_changed_cb);
  /* Looked up by name (gtk_widget_get_template_child()), without a field of their own. */
  gtk_widget_class_bind_template_child_full (widget_class, "annotation_revealer", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "annotation_scroll", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "scores_revealer", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "scores_scroll", FALSE, 0);
}

void
fidac_window_view_init (FidacWindow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  self->slab_mm = 10.0;
  g_action_map_add_action_entries (G_ACTION_MAP (self), view_actions, G_N_ELEMENTS (view_actions),
                                   self);

  self->viewer = fidac_viewer_new ();
  g_signal_connect_object (self->viewer, "changed", G_CALLBACK (viewer_changed_cb), self, 0);
  self->layout = FIDAC_MPR_LAYOUT (fidac_mpr_layout_new (self->viewer));
  g_signal_connect_object (self->layout, "notify::layout", G_CALLBACK (layout_notify_cb), self, 0);
  g_signal_connect_object (self->layout, "notify::main-view", G_CALLBACK (layout_notify_cb), self, 0);
  gtk_box_append (GTK_BOX (self->views_box), GTK_WIDGET (self->layout));
  fidac_annotation_add_actions (fidac_viewer_get_annotation (self->viewer), G_ACTION_MAP (self));
  fidac_window_report_init (self);
  {
    /* Stateful (boolean), toggled by activation: the check button and Shift+L. */
    g_autoptr(GPropertyAction) show_lungs =
      g_property_action_new ("show-lungs", fidac_viewer_get_quantification (self->viewer), "show-lungs");

    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (show_lungs));
  }
  g_signal_connect_object (fidac_viewer_get_annotation (self->viewer), "save-failed",
                           G_CALLBACK (save_failed_cb), self, 0);
  {
    GtkWidget *panel = fidac_lesion_panel_new (fidac_viewer_get_annotation (self->viewer));

    fidac_lesion_panel_set_layout (FIDAC_LESION_PANEL (panel), self->layout);
    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (template_child (self, "annotation_scroll")),
                                   panel);
  }
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (template_child (self, "scores_scroll")),
                                 fidac_scores_panel_new (fidac_viewer_get_annotation (self->viewer),
                                                         fidac_viewer_get_quantification (self->viewer)));

  self->presets_menu = g_menu_new ();
  gtk_menu_button_set_menu_model (self->presets_button, G_MENU_MODEL (self->presets_menu));
  rebuild_presets_menu (self);
  custom_popover_init (self);
  key_shortcuts_init (self);

  builder = gtk_builder_new_from_resource ("/fr/radiologie/Fidac/fidac-shortcuts.ui");
  gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self),
                                           GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
  fidac_window_view_update_actions (self);
}

void
fidac_window_view_dispose (FidacWindow *self)
{
  self->custom_popover = NULL;
  self->custom_width = NULL;
  self->custom_level = NULL;
  if (self->viewer != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->viewer, self);
      fidac_viewer_set_volume (self->viewer, NULL);
    }
  g_clear_object (&self->viewer);
  g_clear_object (&self->presets_menu);
  self->layout = NULL;
}
