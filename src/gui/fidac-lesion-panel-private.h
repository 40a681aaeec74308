/* fidac-lesion-panel-private.h: the lesion panel's instance structure and what its files
 * share (fidac-lesion-panel.c: tools, classes, brush, reader and store;
 * fidac-lesion-panel-edit.c: the edits of the active class).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fidac-lesion-panel.h"

G_BEGIN_DECLS

typedef struct {
  GtkCheckButton  *select;
  GtkLabel        *volume;
  GtkToggleButton *visible;
  GtkToggleButton *lock;
  GtkScale        *opacity;
} ClassRow;

struct _FidacLesionPanel
{
  GtkBox           parent_instance;

  FidacAnnotation *annotation;
  gulong           changed_id;
  gboolean         syncing;

  GtkToggleButton *tools[FIDAC_TOOL_LASSO + 1];
  ClassRow         rows[FIDAC_LABEL_MAX_CLASSES];
  GtkSpinButton   *size;
  GtkDropDown     *shape;
  GtkCheckButton  *hu_limit;
  GtkSpinButton   *hu_min;
  GtkSpinButton   *hu_max;
  GtkDropDown     *over;
  GtkLabel        *status;

  FidacMprLayout  *layout;          /* weak */
  GtkCheckButton  *outline;
  GtkSpinButton   *island_size;
  GtkButton       *fill_between;
  GtkButton       *remove_islands;
  GtkButton       *clear_slice;
  GtkButton       *clear_class;
  GtkLabel        *edit_message;
  GtkWidget       *clear_dialog;    /* open while "Clear class" is confirmed */

  GSettings       *settings;        /* NULL without an installed schema */
  GtkWidget       *reader_dialog;   /* open while the reader is asked */
  GtkEntry        *reader_name;
  GtkEntry        *reader_id;
  GtkDropDown     *reader_role;
};

/* The common setup of the panel's controls: a tooltip and the handler of their signal. */
GtkWidget *fidac_lesion_panel_control     (GtkWidget        *widget,
                                           const gchar      *tooltip,
                                           const gchar      *signal,
                                           GCallback         callback,
                                           FidacLesionPanel *self,
                                           GConnectFlags     flags);
GtkWidget *fidac_lesion_panel_build_edits (FidacLesionPanel *self);
/* The edit buttons follow whether there is a map and a layout to take the slice from. */
void       fidac_lesion_panel_sync_edits  (FidacLesionPanel *self);
/* The line under the edits: an outcome, or an error (shown as one). */
void       fidac_lesion_panel_set_edit_message (FidacLesionPanel *self,
                                                const gchar      *text,
                                                gboolean          error);

G_END_DECLS
