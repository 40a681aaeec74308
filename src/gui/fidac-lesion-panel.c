/* fidac-lesion-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built in code rather than from a template: the class rows come from the catalog. The
 * widgets are set from the annotation's ::changed only (under `syncing`), never by their
 * own handlers, so that a key in a view (brush size) and a click here end the same way.
 *
 * The panel also connects the annotation to the local store: the reader (name, professional
 * id, role, kept in GSettings) is asked the first time a paint tool is taken; from then on
 * each case's annotation of that reader is loaded when the case opens and every stroke is
 * committed on release.
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <adwaita.h>

#include "fidac-lesion-panel-private.h"

#define HU_LIMIT_MIN -1024
#define HU_LIMIT_MAX 3071

G_DEFINE_FINAL_TYPE (FidacLesionPanel, fidac_lesion_panel, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_ANNOTATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


/* The store ---------------------------------------------------------------------------------- */

static gboolean
get_reader (FidacLesionPanel *self,
            FidacReader      *reader,
            gchar           **name,
            gchar           **id)
{
  g_autofree gchar *role = NULL;

  if (self->settings == NULL)
    return FALSE;
  *name = g_settings_get_string (self->settings, "reader-name");
  *id = g_settings_get_string (self->settings, "reader-id");
  role = g_settings_get_string (self->settings, "reader-role");
  reader->name = *name;
  reader->id = *id;
  if (!fidac_reader_role_from_string (role, &reader->role))
    reader->role = FIDAC_READER_ROLE_EXPERT;
  return **name != '\0' && **id != '\0';
}

static void
set_status (FidacLesionPanel *self,
            const gchar      *text,
            gboolean          error)
{
  gtk_label_set_text (self->status, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status), "error");
}

/* Loads the reader's annotation of the case shown, opening the store the first time. */
static void
load_stored (FidacLesionPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *name = NULL, *id = NULL, *text = NULL;
  FidacReader reader;

  if (fidac_annotation_get_map (self->annotation) == NULL)
    {
      set_status (self, "", FALSE);
      return;
    }
  if (!get_reader (self, &reader, &name, &id))
    {
      set_status (self, _("Not saved: no reader yet"), FALSE);
      return;
    }
  if (fidac_annotation_get_store (self->annotation) == NULL)
    {
      FidacStore *store = fidac_store_open (NULL, &error);

      if (store == NULL)
        {
          text = g_strdup_printf (_("Not saved: %s"), error->message);
          set_status (self, text, TRUE);
          return;
        }
      fidac_annotation_set_store (self->annotation, store);
    }
  if (!fidac_annotation_load_stored (self->annotation, &reader, &error))
    {
      text = g_strdup_printf (_("Not saved: %s"), error->message);
      set_status (self, text, TRUE);
      return;
    }
  /* TRANSLATORS: the reader's name and role ("expert" or "reviewer") */
  text = g_strdup_printf (_("Saved at each stroke for %s (%s)"), name,
                          reader.role == FIDAC_READER_ROLE_REVIEWER ? _("reviewer") : _("expert"));
  set_status (self, text, FALSE);
}

static void
save_failed_cb (FidacAnnotation  *annotation,
                const gchar      *message,
                FidacLesionPanel *self)
{
  g_autofree gchar *text = g_strdup_printf (_("The last stroke is not saved: %s"), message);

  set_status (self, text, TRUE);
}

static void
reader_entry_changed_cb (FidacLesionPanel *self)
{
  const gchar *name = gtk_editable_get_text (GTK_EDITABLE (self->reader_name));
  const gchar *id = gtk_editable_get_text (GTK_EDITABLE (self->reader_id));
  g_autofree gchar *name_stripped = g_strstrip (g_strdup (name));
  g_autofree gchar *id_stripped = g_strstrip (g_strdup (id));

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self->reader_dialog), "save",
                                           *name_stripped != '\0' && *id_stripped != '\0');
}

static void
reader_response_cb (AdwMessageDialog *dialog,
                    const gchar      *response,
                    FidacLesionPanel *self)
{
  if (g_str_equal (response, "save") && self->settings != NULL)
    {
      g_autofree gchar *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reader_name))));
      g_autofree gchar *id = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->reader_id))));
      FidacReaderRole role = gtk_drop_down_get_selected (self->reader_role) == 1
                             ? FIDAC_READER_ROLE_REVIEWER : FIDAC_READER_ROLE_EXPERT;

      g_settings_set_string (self->settings, "reader-name", name);
      g_settings_set_string (self->settings, "reader-id", id);
      g_settings_set_string (self->settings, "reader-role", fidac_reader_role_to_string (role));
      load_stored (self);
    }
  else
    /* No reader, no painting: the work would belong to nobody. */
    fidac_annotation_set_tool (self->annotation, FIDAC_TOOL_NAVIGATE);
  self->reader_dialog = NULL;
}

static void
ask_reader (FidacLesionPanel *self)
{
  const gchar *roles[] = { _("Expert"), _("Reviewer"), NULL };
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog, *box, *widget;

  if (self->reader_dialog != NULL)
    return;
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Who Annotates?"),
                                   _("Your annotations are stored under your name, professional "
                                     "identifier and role. This is asked once."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  widget = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (widget), _("Name"));
  self->reader_name = GTK_ENTRY (widget);
  g_signal_connect_swapped (widget, "changed", G_CALLBACK (reader_entry_changed_cb), self);
  gtk_box_append (GTK_BOX (box), widget);
  widget = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (widget), _("RPPS or other professional identifier"));
  self->reader_id = GTK_ENTRY (widget);
  g_signal_connect_swapped (widget, "changed", G_CALLBACK (reader_entry_changed_cb), self);
  gtk_box_append (GTK_BOX (box), widget);
  widget = gtk_drop_down_new_from_strings (roles);
  self->reader_role = GTK_DROP_DOWN (widget);
  gtk_box_append (GTK_BOX (box), widget);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "save", _("_Start Annotating"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "save", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (reader_response_cb), self);
  self->reader_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A paint tool taken on a case not yet tied to the store: the reader first. */
static void
check_reader (FidacLesionPanel *self)
{
  g_autofree gchar *name = NULL, *id = NULL;
  FidacReader reader;

  if (fidac_annotation_get_tool (self->annotation) == FIDAC_TOOL_NAVIGATE ||
      fidac_annotation_get_map (self->annotation) == NULL ||
      fidac_annotation_get_stored_id (self->annotation) != 0 || self->settings == NULL)
    return;
  if (!get_reader (self, &reader, &name, &id))
    ask_reader (self);
}

/* Following the annotation ----------------------------------------------------------------- */

static void
sync_volumes (FidacLesionPanel *self)
{
  for (guint id = 1; id < FIDAC_LABEL_MAX_CLASSES; id++)
    if (self->rows[id].volume != NULL)
      {
        /* TRANSLATORS: volume of a lesion class, millilitres */
        g_autofree gchar *text = g_strdup_printf (_("%.2f mL"),
                                                  fidac_annotation_volume_ml (self->annotation, id));

        gtk_label_set_text (self->rows[id].volume, text);
      }
}

static void
sync_settings (FidacLesionPanel *self)
{
  FidacAnnotation *a = self->annotation;
  FidacTool tool = fidac_annotation_get_tool (a);
  gint hu_min, hu_max;
  gboolean limit;

  self->syncing = TRUE;
  for (gint t = FIDAC_TOOL_NAVIGATE; t <= FIDAC_TOOL_LASSO; t++)
    gtk_toggle_button_set_active (self->tools[t], t == (gint) tool);
  for (guint id = 1; id < FIDAC_LABEL_MAX_CLASSES; id++)
    {
      ClassRow *row = &self->rows[id];

      if (row->select == NULL)
        continue;
      gtk_check_button_set_active (row->select, fidac_annotation_get_class (a) == id);
      gtk_toggle_button_set_active (row->visible, fidac_annotation_get_visible (a, id));
      gtk_toggle_button_set_active (row->lock, fidac_annotation_get_locked (a, id));
      gtk_button_set_icon_name (GTK_BUTTON (row->visible),
                                fidac_annotation_get_visible (a, id) ? "view-reveal-symbolic"
                                                                     : "view-conceal-symbolic");
      gtk_button_set_icon_name (GTK_BUTTON (row->lock),
                                fidac_annotation_get_locked (a, id) ? "changes-prevent-symbolic"
                                                                    : "changes-allow-symbolic");
      gtk_range_set_value (GTK_RANGE (row->opacity), fidac_annotation_get_opacity (a, id) * 100.0);
    }
  gtk_spin_button_set_value (self->size, fidac_annotation_get_diameter (a));
  gtk_check_button_set_active (self->outline,
                               fidac_annotation_get_overlay_mode (a) == FIDAC_OVERLAY_OUTLINE);
  gtk_drop_down_set_selected (self->shape, fidac_annotation_get_shape (a) == FIDAC_BRUSH_SPHERE ? 1 : 0);
  limit = fidac_annotation_get_hu_limit (a, &hu_min, &hu_max);
  gtk_check_button_set_active (self->hu_limit, limit);
  gtk_spin_button_set_value (self->hu_min, hu_min);
  gtk_spin_button_set_value (self->hu_max, hu_max);
  gtk_widget_set_sensitive (GTK_WIDGET (self->hu_min), limit);
  gtk_widget_set_sensitive (GTK_WIDGET (self->hu_max), limit);
  {
    guint over_label;
    FidacPaintOver over = fidac_annotation_get_paint_over (a, &over_label);

    /* Items: empty only, every unlocked class, then "empty and <class>" per catalog id. */
    gtk_drop_down_set_selected (self->over, over == FIDAC_PAINT_OVER_ALL ? 1
                                            : over == FIDAC_PAINT_OVER_CLASS ? 1 + over_label : 0);
  }
  self->syncing = FALSE;
}

static void
annotation_changed_cb (FidacAnnotation  *annotation,
                       guint             changes,
                       gint              k0,
                       gint              k1,
                       FidacLesionPanel *self)
{
  if (changes & FIDAC_ANNOTATION_CHANGED_MAP)
    {
      load_stored (self);
      fidac_lesion_panel_sync_edits (self);
      fidac_lesion_panel_set_edit_message (self, "", FALSE);
    }
  if (changes & (FIDAC_ANNOTATION_CHANGED_LABELS | FIDAC_ANNOTATION_CHANGED_MAP))
    sync_volumes (self);
  if (changes & (FIDAC_ANNOTATION_CHANGED_SETTINGS | FIDAC_ANNOTATION_CHANGED_DISPLAY))
    sync_settings (self);
  if (changes & FIDAC_ANNOTATION_CHANGED_SETTINGS)
    check_reader (self);
}

/* From the widgets ------------------------------------------------------------------------- */

static void
tool_toggled_cb (GtkToggleButton  *button,
                 FidacLesionPanel *self)
{
  if (self->syncing || !gtk_toggle_button_get_active (button))
    return;
  fidac_annotation_set_tool (self->annotation,
                             GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "fidac-tool")));
}

static guint
row_id (gpointer widget)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "fidac-class"));
}

static void
class_toggled_cb (GtkCheckButton   *button,
                  FidacLesionPanel *self)
{
  if (self->syncing || !gtk_check_button_get_active (button))
    return;
  fidac_annotation_set_class (self->annotation, row_id (button));
}

/* The eye and the lock of a class row. */
static void
flag_toggled_cb (GtkToggleButton  *button,
                 FidacLesionPanel *self)
{
  guint id;

  if (self->syncing)
    return;
  id = row_id (button);
  if (button == self->rows[id].visible)
    fidac_annotation_set_visible (self->annotation, id, gtk_toggle_button_get_active (button));
  else
    fidac_annotation_set_locked (self->annotation, id, gtk_toggle_button_get_active (button));
}

static void
opacity_changed_cb (GtkRange         *range,
                    FidacLesionPanel *self)
{
  if (self->syncing)
    return;
  fidac_annotation_set_opacity (self->annotation, row_id (range),
                                CLAMP (gtk_range_get_value (range) / 100.0, 0.0, 1.0));
}

static void
size_changed_cb (GtkSpinButton    *spin,
                 FidacLesionPanel *self)
{
  if (self->syncing)
    return;
  fidac_annotation_set_diameter (self->annotation, gtk_spin_button_get_value (spin));
}

static void
shape_changed_cb (GtkDropDown      *drop_down,
                  GParamSpec       *pspec,
                  FidacLesionPanel *self)
{
  if (self->syncing)
    return;
  fidac_annotation_set_shape (self->annotation, gtk_drop_down_get_selected (drop_down) == 1
                                                ? FIDAC_BRUSH_SPHERE : FIDAC_BRUSH_DISC);
}

static void
over_changed_cb (GtkDropDown      *drop_down,
                 GParamSpec       *pspec,
                 FidacLesionPanel *self)
{
  if (self->syncing)
    return;
  guint selected = gtk_drop_down_get_selected (drop_down);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    fidac_annotation_set_paint_over (self->annotation, FIDAC_PAINT_OVER_EMPTY, 0);
  else if (selected == 1)
    fidac_annotation_set_paint_over (self->annotation, FIDAC_PAINT_OVER_ALL, 0);
  else
    fidac_annotation_set_paint_over (self->annotation, FIDAC_PAINT_OVER_CLASS, selected - 1);
}

static void
hu_changed_cb (FidacLesionPanel *self)
{
  gint hu_min, hu_max;

  if (self->syncing)
    return;
  hu_min = gtk_spin_button_get_value_as_int (self->hu_min);
  hu_max = gtk_spin_button_get_value_as_int (self->hu_max);
  /* A minimum typed above the maximum moves the maximum with it, rather than refusing. */
  if (hu_min > hu_max)
    {
      if (gtk_widget_has_focus (GTK_WIDGET (self->hu_max)))
        hu_min = hu_max;
      else
        hu_max = hu_min;
    }
  fidac_annotation_set_hu_limit (self->annotation, gtk_check_button_get_active (self->hu_limit),
                                 hu_min, hu_max);
  /* The annotation may have changed nothing (same values): the spins still show its values. */
  sync_settings (self);
}

static void
hu_suggested_cb (GtkButton        *button,
                 FidacLesionPanel *self)
{
  const FidacLesionClass *lesion = fidac_lesion_get (fidac_annotation_get_class (self->annotation));

  if (lesion == NULL)
    return;
  fidac_annotation_set_hu_limit (self->annotation, TRUE, lesion->hu_min, lesion->hu_max);
}

static void
outline_toggled_cb (GtkCheckButton   *button,
                    FidacLesionPanel *self)
{
  if (self->syncing)
    return;
  fidac_annotation_set_overlay_mode (self->annotation, gtk_check_button_get_active (button)
                                                       ? FIDAC_OVERLAY_OUTLINE : FIDAC_OVERLAY_FILLED);
}

/* Building --------------------------------------------------------------------------------- */

static void
swatch_draw (GtkDrawingArea *area,
             cairo_t        *cr,
             gint            width,
             gint            height,
             gpointer        data)
{
  const FidacLesionClass *lesion = data;

  cairo_set_source_rgb (cr, lesion->rgb[0] / 255.0, lesion->rgb[1] / 255.0, lesion->rgb[2] / 255.0);
  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0 - 1.0, 0.0, 2.0 * G_PI);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0.0, 0.0, 0.0, 0.5);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
}

GtkWidget *
fidac_lesion_panel_swatch_new (const FidacLesionClass *lesion,
                               gint                    size)
{
  GtkWidget *swatch;

  g_return_val_if_fail (lesion != NULL, NULL);

  swatch = gtk_drawing_area_new ();
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), size);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), size);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), swatch_draw, (gpointer) lesion, NULL);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  return swatch;
}

static GtkWidget *
heading (const gchar *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

/* The common setup of the panel's controls: a tooltip and the handler of their signal. */
GtkWidget *
fidac_lesion_panel_control (GtkWidget        *widget,
                            const gchar      *tooltip,
                            const gchar      *signal,
                            GCallback         callback,
                            FidacLesionPanel *self,
                            GConnectFlags     flags)
{
  gtk_widget_set_tooltip_text (widget, tooltip);
  g_signal_connect_data (widget, signal, callback, self, NULL, flags);
  return widget;
}

static GtkWidget *
build_tools (FidacLesionPanel *self)
{
  static const struct { const gchar *icon; const gchar *tooltip; } tools[] = {
    { "find-location-symbolic", N_("Navigate: a left drag moves the crosshair") },
    { "document-edit-symbolic", N_("Brush: a left drag paints the active class") },
    { "edit-clear-symbolic", N_("Eraser: a left drag clears every unlocked class") },
    { "color-select-symbolic", N_("Fill: a click grows the active class over similar density "
                                  "(in the slice with the disc shape, in 3D with the sphere)") },
    { "fidac-lasso-symbolic", N_("Lasso: a drag draws an outline in the slice, filled with the "
                                 "active class on release") },
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_add_css_class (box, "linked");
  for (gint t = FIDAC_TOOL_NAVIGATE; t <= FIDAC_TOOL_LASSO; t++)
    {
      GtkWidget *button = gtk_toggle_button_new ();

      gtk_button_set_icon_name (GTK_BUTTON (button), tools[t].icon);
      gtk_widget_set_tooltip_text (button, _(tools[t].tooltip));
      gtk_widget_set_hexpand (button, TRUE);
      if (t > FIDAC_TOOL_NAVIGATE)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), self->tools[FIDAC_TOOL_NAVIGATE]);
      g_object_set_data (G_OBJECT (button), "fidac-tool", GINT_TO_POINTER (t));
      g_signal_connect (button, "toggled", G_CALLBACK (tool_toggled_cb), self);
      self->tools[t] = GTK_TOGGLE_BUTTON (button);
      gtk_box_append (GTK_BOX (box), button);
    }
  return box;
}

static GtkToggleButton *
flag_button (FidacLesionPanel *self,
             GtkBox           *line,
             const gchar      *tooltip)
{
  GtkWidget *widget = fidac_lesion_panel_control (gtk_toggle_button_new (), tooltip, "toggled",
                               G_CALLBACK (flag_toggled_cb), self, 0);

  gtk_widget_add_css_class (widget, "flat");
  gtk_box_append (line, widget);
  return GTK_TOGGLE_BUTTON (widget);
}

static GtkWidget *
build_class_row (FidacLesionPanel       *self,
                 const FidacLesionClass *lesion,
                 GtkCheckButton         *group)
{
  ClassRow *row = &self->rows[lesion->id];
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *widget;
  g_autofree gchar *opacity_name = NULL;

  widget = gtk_check_button_new ();
  if (group != NULL)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (widget), group);
  gtk_widget_set_tooltip_text (widget, _("Paint this class"));
  row->select = GTK_CHECK_BUTTON (widget);
  g_signal_connect (widget, "toggled", G_CALLBACK (class_toggled_cb), self);
  gtk_box_append (GTK_BOX (line), widget);

  gtk_box_append (GTK_BOX (line), fidac_lesion_panel_swatch_new (lesion, 16));

  widget = gtk_label_new (fidac_lesion_get_name (lesion));
  gtk_label_set_xalign (GTK_LABEL (widget), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (widget), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (widget, TRUE);
  gtk_box_append (GTK_BOX (line), widget);

  widget = gtk_label_new ("");
  gtk_widget_add_css_class (widget, "numeric");
  gtk_widget_add_css_class (widget, "dim-label");
  row->volume = GTK_LABEL (widget);
  gtk_box_append (GTK_BOX (line), widget);

  row->visible = flag_button (self, GTK_BOX (line), _("Show this class"));
  row->lock = flag_button (self, GTK_BOX (line), _("Lock this class: no tool writes or erases it"));
  gtk_box_append (GTK_BOX (box), line);

  widget = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0.0, 100.0, 5.0);
  gtk_scale_set_draw_value (GTK_SCALE (widget), FALSE);
  /* TRANSLATORS: accessible name of the opacity slider of a class */
  opacity_name = g_strdup_printf (_("Opacity of %s"), fidac_lesion_get_name (lesion));
  gtk_widget_set_tooltip_text (widget, opacity_name);
  row->opacity = GTK_SCALE (widget);
  g_signal_connect (widget, "value-changed", G_CALLBACK (opacity_changed_cb), self);
  gtk_box_append (GTK_BOX (box), widget);

  {
    gpointer widgets[] = { row->select, row->visible, row->lock, row->opacity };

    for (guint w = 0; w < G_N_ELEMENTS (widgets); w++)
      g_object_set_data (G_OBJECT (widgets[w]), "fidac-class", GUINT_TO_POINTER (lesion->id));
  }
  return box;
}

static GtkWidget *
labelled (const gchar *text,
          GtkWidget   *widget)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), widget);
  return box;
}

static GtkSpinButton *
hu_spin (FidacLesionPanel *self,
         GtkBox           *line,
         const gchar      *tooltip)
{
  GtkWidget *widget = fidac_lesion_panel_control (gtk_spin_button_new_with_range (HU_LIMIT_MIN, HU_LIMIT_MAX, 10.0),
                               tooltip, "value-changed", G_CALLBACK (hu_changed_cb), self,
                               G_CONNECT_SWAPPED);

  gtk_box_append (line, widget);
  return GTK_SPIN_BUTTON (widget);
}

static GtkWidget *
build_brush (FidacLesionPanel *self)
{
  const gchar *shapes[] = { _("2D disc"), _("3D sphere"), NULL };
  g_autoptr(GPtrArray) overs = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *line, *widget;

  widget = gtk_spin_button_new_with_range (FIDAC_ANNOTATION_DIAMETER_MIN, FIDAC_ANNOTATION_DIAMETER_MAX,
                                           FIDAC_ANNOTATION_DIAMETER_STEP);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (widget), 1);
  self->size = GTK_SPIN_BUTTON (widget);
  g_signal_connect (widget, "value-changed", G_CALLBACK (size_changed_cb), self);
  gtk_box_append (GTK_BOX (box), labelled (_("Brush _size (mm)"), widget));

  widget = gtk_drop_down_new_from_strings (shapes);
  self->shape = GTK_DROP_DOWN (widget);
  g_signal_connect (widget, "notify::selected", G_CALLBACK (shape_changed_cb), self);
  gtk_box_append (GTK_BOX (box), labelled (_("S_hape"), widget));

  g_ptr_array_add (overs, g_strdup (_("Empty voxels only")));
  g_ptr_array_add (overs, g_strdup (_("Every unlocked class")));
  for (guint id = 1; id <= FIDAC_LESION_N_CLASSES; id++)
    /* TRANSLATORS: paint-over rule: empty voxels and those of one class */
    g_ptr_array_add (overs, g_strdup_printf (_("Empty and %s"), fidac_lesion_get_name (fidac_lesion_get (id))));
  g_ptr_array_add (overs, NULL);
  widget = gtk_drop_down_new_from_strings ((const gchar * const *) overs->pdata);
  self->over = GTK_DROP_DOWN (widget);
  g_signal_connect (widget, "notify::selected", G_CALLBACK (over_changed_cb), self);
  gtk_box_append (GTK_BOX (box), labelled (_("Paint _over"), widget));

  widget = fidac_lesion_panel_control (gtk_check_button_new_with_mnemonic (_("_Limit to HU range")),
                    _("Paint only voxels whose density is within the range"),
                    "toggled", G_CALLBACK (hu_changed_cb), self, G_CONNECT_SWAPPED);
  self->hu_limit = GTK_CHECK_BUTTON (widget);
  gtk_box_append (GTK_BOX (box), widget);

  line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->hu_min = hu_spin (self, GTK_BOX (line), _("Lowest HU painted"));
  gtk_box_append (GTK_BOX (line), gtk_label_new ("–"));
  self->hu_max = hu_spin (self, GTK_BOX (line), _("Highest HU painted"));
  widget = fidac_lesion_panel_control (gtk_button_new_with_mnemonic (_("Su_ggested")),
                    _("The range suggested for the active class"),
                    "clicked", G_CALLBACK (hu_suggested_cb), self, 0);
  gtk_box_append (GTK_BOX (line), widget);
  gtk_box_append (GTK_BOX (box), line);
  return box;
}

static GtkWidget *
build_history (void)
{
  static const struct { const gchar *icon; const gchar *action; const gchar *tooltip; } steps[] = {
    { "edit-undo-symbolic", "win.undo", N_("Undo (Ctrl+Z)") },
    { "edit-redo-symbolic", "win.redo", N_("Redo (Ctrl+Shift+Z)") },
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_widget_add_css_class (box, "linked");
  for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      GtkWidget *button = gtk_button_new_from_icon_name (steps[s].icon);

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), steps[s].action);
      gtk_widget_set_tooltip_text (button, _(steps[s].tooltip));
      gtk_widget_set_hexpand (button, TRUE);
      gtk_box_append (GTK_BOX (box), button);
    }
  return box;
}

static void
fidac_lesion_panel_constructed (GObject *object)
{
  FidacLesionPanel *self = FIDAC_LESION_PANEL (object);
  GtkBox *box = GTK_BOX (self);
  GtkWidget *classes = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkCheckButton *group = NULL;

  G_OBJECT_CLASS (fidac_lesion_panel_parent_class)->constructed (object);
  g_return_if_fail (self->annotation != NULL);

  gtk_box_append (box, heading (_("Tool")));
  gtk_box_append (box, build_tools (self));
  gtk_box_append (box, heading (_("Lesion Classes")));
  for (guint id = 1; id <= FIDAC_LESION_N_CLASSES; id++)
    {
      const FidacLesionClass *lesion = fidac_lesion_get (id);

      if (lesion == NULL)
        continue;
      gtk_box_append (GTK_BOX (classes), build_class_row (self, lesion, group));
      if (group == NULL)
        group = self->rows[id].select;
    }
  gtk_box_append (box, classes);
  {
    GtkWidget *widget = fidac_lesion_panel_control (gtk_check_button_new_with_mnemonic (_("_Outlines only")),
                                 _("Draw the classes as outlines instead of filled"),
                                 "toggled", G_CALLBACK (outline_toggled_cb), self, 0);

    self->outline = GTK_CHECK_BUTTON (widget);
    gtk_box_append (box, widget);
  }
  gtk_box_append (box, heading (_("Brush")));
  gtk_box_append (box, build_brush (self));
  gtk_box_append (box, heading (_("Edit Class")));
  gtk_box_append (box, fidac_lesion_panel_build_edits (self));
  gtk_box_append (box, heading (_("History")));
  gtk_box_append (box, build_history ());
  self->status = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->status, 0.0f);
  gtk_label_set_wrap (self->status, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "caption");
  gtk_box_append (box, GTK_WIDGET (self->status));

  {
    GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) schema = source != NULL ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

    /* Without a schema (a build not installed) nothing is saved: the reader is unknown. */
    if (schema != NULL)
      self->settings = g_settings_new_full (schema, NULL, NULL);
  }
  g_signal_connect_object (self->annotation, "save-failed", G_CALLBACK (save_failed_cb), self, 0);

  self->changed_id = g_signal_connect (self->annotation, "changed",
                                       G_CALLBACK (annotation_changed_cb), self);
  sync_settings (self);
  sync_volumes (self);
  fidac_lesion_panel_sync_edits (self);
  load_stored (self);
}

static void
fidac_lesion_panel_dispose (GObject *object)
{
  FidacLesionPanel *self = FIDAC_LESION_PANEL (object);

  if (self->clear_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->clear_dialog, self);
      gtk_window_destroy (GTK_WINDOW (self->clear_dialog));
      self->clear_dialog = NULL;
    }
  if (self->layout != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->layout), (gpointer *) &self->layout);
  self->layout = NULL;
  if (self->reader_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->reader_dialog, self);
      gtk_window_destroy (GTK_WINDOW (self->reader_dialog));
      self->reader_dialog = NULL;
    }
  if (self->annotation != NULL)
    g_clear_signal_handler (&self->changed_id, self->annotation);
  g_clear_object (&self->annotation);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (fidac_lesion_panel_parent_class)->dispose (object);
}

static void
fidac_lesion_panel_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  FidacLesionPanel *self = FIDAC_LESION_PANEL (object);

  switch (prop_id)
    {
    case PROP_ANNOTATION:
      g_value_set_object (value, self->annotation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fidac_lesion_panel_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  FidacLesionPanel *self = FIDAC_LESION_PANEL (object);

  switch (prop_id)
    {
    case PROP_ANNOTATION:
      self->annotation = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fidac_lesion_panel_class_init (FidacLesionPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = fidac_lesion_panel_constructed;
  object_class->dispose = fidac_lesion_panel_dispose;
  object_class->get_property = fidac_lesion_panel_get_property;
  object_class->set_property = fidac_lesion_panel_set_property;

  properties[PROP_ANNOTATION] =
    g_param_spec_object ("annotation", NULL, NULL, FIDAC_TYPE_ANNOTATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "fidac-lesion-panel");
}

static void
fidac_lesion_panel_init (FidacLesionPanel *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 10);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 12);
}

GtkWidget *
fidac_lesion_panel_new (FidacAnnotation *annotation)
{
  g_return_val_if_fail (FIDAC_IS_ANNOTATION (annotation), NULL);

  return g_object_new (FIDAC_TYPE_LESION_PANEL, "annotation", annotation, NULL);
}

FidacAnnotation *
fidac_lesion_panel_get_annotation (FidacLesionPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_LESION_PANEL (self), NULL);
  return self->annotation;
}

void
fidac_lesion_panel_set_layout (FidacLesionPanel *self,
                               FidacMprLayout   *layout)
{
  g_return_if_fail (FIDAC_IS_LESION_PANEL (self));
  g_return_if_fail (layout == NULL || FIDAC_IS_MPR_LAYOUT (layout));

  if (self->layout != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->layout), (gpointer *) &self->layout);
  self->layout = layout;
  if (layout != NULL)
    g_object_add_weak_pointer (G_OBJECT (layout), (gpointer *) &self->layout);
  fidac_lesion_panel_sync_edits (self);
}

/* ---- for tests ---- */

static ClassRow *
get_row (FidacLesionPanel *self,
         guint             id)
{
  if (id >= FIDAC_LABEL_MAX_CLASSES || self->rows[id].select == NULL)
    return NULL;
  return &self->rows[id];
}

GtkToggleButton *
fidac_lesion_panel_get_tool_button (FidacLesionPanel *self,
                                    FidacTool         tool)
{
  g_return_val_if_fail (FIDAC_IS_LESION_PANEL (self), NULL);
  g_return_val_if_fail (tool >= FIDAC_TOOL_NAVIGATE && tool <= FIDAC_TOOL_LASSO, NULL);
  return self->tools[tool];
}

GtkCheckButton *
fidac_lesion_panel_get_class_button (FidacLesionPanel *self,
                                     guint             id)
{
  g_return_val_if_fail (FIDAC_IS_LESION_PANEL (self), NULL);
  return get_row (self, id) != NULL ? get_row (self, id)->select : NULL;
}

GtkLabel *
fidac_lesion_panel_get_volume_label (FidacLesionPanel *self,
                                     guint             id)
{
  g_return_val_if_fail (FIDAC_IS_LESION_PANEL (self), NULL);
  return get_row (self, id) != NULL ? get_row (self, id)->volume : NULL;
}

GtkToggleButton *
fidac_lesion_panel_get_visible_button (FidacLesionPanel *self,
                                       guint             id)
{
  g_return_val_if_fail (FIDAC_IS_LESION_PANEL (self), NULL);
  return get_row (self, id) != NULL ? get_row (self, id)->visible : NULL;
}

GtkToggleButton *
fidac_lesion_panel_get_lock_button (FidacLesionPanel *self,
                                    guint             id)
{
  g_return_val_if_fail (FIDAC_IS_LESION_PANEL (self), NULL);
  return get_row (self, id) != NULL ? get_row (self, id)->lock : NULL;
}

GtkSpinButton *
fidac_lesion_panel_get_size_spin (FidacLesionPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_LESION_PANEL (self), NULL);
  return self->size;
}

GtkWidget *
fidac_lesion_panel_get_reader_dialog (FidacLesionPanel  *self,
                                      GtkEntry         **name,
                                      GtkEntry         **id,
                                      GtkDropDown      **role)
{
  g_return_val_if_fail (FIDAC_IS_LESION_PANEL (self), NULL);
  if (self->reader_dialog == NULL)
    return NULL;
  if (name != NULL)
    *name = self->reader_name;
  if (id != NULL)
    *id = self->reader_id;
  if (role != NULL)
    *role = self->reader_role;
  return self->reader_dialog;
}

const gchar *
fidac_lesion_panel_get_status (FidacLesionPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_LESION_PANEL (self), NULL);
  return gtk_label_get_text (self->status);
}

GtkCheckButton *
fidac_lesion_panel_get_outline_button (FidacLesionPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_LESION_PANEL (self), NULL);
  return self->outline;
}

const gchar *
fidac_lesion_panel_get_edit_message (FidacLesionPanel *self)
{
  g_return_val_if_fail (FIDAC_IS_LESION_PANEL (self), NULL);
  return gtk_label_get_text (self->edit_message);
}
