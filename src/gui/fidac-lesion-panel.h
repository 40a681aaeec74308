/* fidac-lesion-panel.h: the side panel of the annotation: tools, classes, brush, history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lists the catalog's classes (colour, visibility, opacity, lock, live volume in mL) and
 * holds the controls of the brush (tool, size in mm, 2D disc or 3D sphere, HU limit with the
 * class's suggested range or custom values, paint-over rule) and the undo and redo buttons
 * (win.undo, win.redo), the edits of the active class (fill between slices, remove islands,
 * clear slice, clear class) and the overlay's outline mode. Everything it shows follows the
 * FidacAnnotation, whoever changed it. It ties the annotation to the local store for the
 * reader kept in GSettings (asked with a dialog the first time a paint tool is taken): see
 * fidac-lesion-panel.c.
 */
#pragma once

#include <gtk/gtk.h>

#include "fidac-annotation.h"
#include "fidac-mpr-layout.h"

G_BEGIN_DECLS

#define FIDAC_TYPE_LESION_PANEL (fidac_lesion_panel_get_type ())

G_DECLARE_FINAL_TYPE (FidacLesionPanel, fidac_lesion_panel, FIDAC, LESION_PANEL, GtkBox)

GtkWidget       *fidac_lesion_panel_new            (FidacAnnotation  *annotation);
FidacAnnotation *fidac_lesion_panel_get_annotation (FidacLesionPanel *self);
/* The views whose main view and crosshair "Fill between slices" (its axis) and "Clear
 * slice" (its slice) follow; not referenced (the window holds both). Without it those two
 * buttons are insensitive. */
void             fidac_lesion_panel_set_layout     (FidacLesionPanel *self,
                                                    FidacMprLayout   *layout);

/* A disc of `size` pixels in the colour of `lesion` (a catalog entry, so it outlives the
 * widget), centred vertically: the class's mark here and beside the measured figures of the
 * scores panel. */
GtkWidget       *fidac_lesion_panel_swatch_new     (const FidacLesionClass *lesion,
                                                    gint                    size);

/* The default of "Remove islands smaller than" (mm³). */
#define FIDAC_LESION_PANEL_ISLAND_MM3 10.0

/* ---- for tests ---- */

/* The button of `tool`; the row widgets of class `id` (NULL for an id not in the catalog). */
GtkToggleButton *fidac_lesion_panel_get_tool_button    (FidacLesionPanel *self,
                                                        FidacTool         tool);
GtkCheckButton  *fidac_lesion_panel_get_class_button   (FidacLesionPanel *self,
                                                        guint             id);
GtkLabel        *fidac_lesion_panel_get_volume_label   (FidacLesionPanel *self,
                                                        guint             id);
GtkToggleButton *fidac_lesion_panel_get_visible_button (FidacLesionPanel *self,
                                                        guint             id);
GtkToggleButton *fidac_lesion_panel_get_lock_button    (FidacLesionPanel *self,
                                                        guint             id);
GtkSpinButton   *fidac_lesion_panel_get_size_spin      (FidacLesionPanel *self);
/* The dialog asking the reader (an AdwMessageDialog, responses "save" and "cancel") and its
 * fields, while it is open; NULL otherwise. */
GtkWidget       *fidac_lesion_panel_get_reader_dialog  (FidacLesionPanel  *self,
                                                        GtkEntry         **name,
                                                        GtkEntry         **id,
                                                        GtkDropDown      **role);
/* The edits of the active class, the island size, the overlay's outline toggle; the
 * confirmation of "Clear class" (an AdwMessageDialog, responses "cancel" and "clear") while it
 * is open, else NULL; the last edit's outcome as the panel shows it. */
GtkButton       *fidac_lesion_panel_get_fill_between_button   (FidacLesionPanel *self);
GtkButton       *fidac_lesion_panel_get_remove_islands_button (FidacLesionPanel *self);
GtkSpinButton   *fidac_lesion_panel_get_island_spin           (FidacLesionPanel *self);
GtkButton       *fidac_lesion_panel_get_clear_slice_button    (FidacLesionPanel *self);
GtkButton       *fidac_lesion_panel_get_clear_class_button    (FidacLesionPanel *self);
GtkWidget       *fidac_lesion_panel_get_clear_dialog          (FidacLesionPanel *self);
GtkCheckButton  *fidac_lesion_panel_get_outline_button        (FidacLesionPanel *self);
const gchar     *fidac_lesion_panel_get_edit_message          (FidacLesionPanel *self);
/* What the panel says about saving ("Saved at each stroke for ...", "Not saved: ..."). */
const gchar     *fidac_lesion_panel_get_status         (FidacLesionPanel *self);

G_END_DECLS
