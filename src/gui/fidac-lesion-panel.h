/* fidac-lesion-panel.h: the side panel of the annotation: tools, classes, brush, history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lists the catalog's classes (colour, visibility, opacity, lock, live volume in mL) and
 * holds the controls of the brush (tool, size in mm, 2D disc or 3D sphere, HU limit with the
 * class's suggested range or custom values, paint-over rule) and the undo and redo buttons
 * (win.undo, win.redo). Everything it shows follows the FidacAnnotation, whoever changed it.
 * It ties the annotation to the local store for the reader kept in GSettings (asked with a
 * dialog the first time a paint tool is taken): see fidac-lesion-panel.c.
 */
#pragma once

#include <gtk/gtk.h>

#include "fidac-annotation.h"

G_BEGIN_DECLS

#define FIDAC_TYPE_LESION_PANEL (fidac_lesion_panel_get_type ())

G_DECLARE_FINAL_TYPE (FidacLesionPanel, fidac_lesion_panel, FIDAC, LESION_PANEL, GtkBox)

GtkWidget       *fidac_lesion_panel_new            (FidacAnnotation  *annotation);
FidacAnnotation *fidac_lesion_panel_get_annotation (FidacLesionPanel *self);

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
/* What the panel says about saving ("Saved at each stroke for ...", "Not saved: ..."). */
const gchar     *fidac_lesion_panel_get_status         (FidacLesionPanel *self);

G_END_DECLS
