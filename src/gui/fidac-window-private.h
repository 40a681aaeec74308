/* fidac-window-private.h: window state, for the application and the GUI tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fidac-case-list.h"
#include "fidac-lesion-panel.h"
#include "fidac-mpr-layout.h"
#include "fidac-scores-panel.h"
#include "fidac-volume.h"
#include "fidac-window.h"

G_BEGIN_DECLS

typedef enum {
  FIDAC_WINDOW_STATE_EMPTY,
  FIDAC_WINDOW_STATE_LOADING,
  FIDAC_WINDOW_STATE_CHOOSER,
  FIDAC_WINDOW_STATE_RESULT,
  FIDAC_WINDOW_STATE_ERROR,
} FidacWindowState;

FidacWindowState   fidac_window_get_state         (FidacWindow  *self);

/* Worker threads not yet finished, cancelled ones included. */
guint              fidac_window_get_n_pending     (FidacWindow  *self);

const FidacVolume *fidac_window_get_volume        (FidacWindow  *self);

/* The text shown for one detail: "description", "modality", "date", "position", "matrix",
 * "slices", "spacing", "orientation", "hu", "window"; NULL for an unknown key. */
const gchar       *fidac_window_get_detail        (FidacWindow  *self,
                                                   const gchar  *key);
/* The warnings listed in the details, in order (transfer full). */
GPtrArray         *fidac_window_get_warnings      (FidacWindow  *self);

/* The views of the case shown. */
FidacViewer       *fidac_window_get_viewer        (FidacWindow  *self);
FidacMprLayout    *fidac_window_get_layout        (FidacWindow  *self);
/* Whether the side pane with the series details and warnings is open. */
gboolean           fidac_window_get_details_shown (FidacWindow  *self);
/* The window presets menu (win.preset items, then win.window-custom). */
GMenuModel        *fidac_window_get_presets_menu  (FidacWindow  *self);
/* The slab thickness field (mm) of the slab popover. */
GtkSpinButton     *fidac_window_get_slab_spin     (FidacWindow  *self);
/* The popover of win.window-custom and its two spin buttons (width, level). */
GtkPopover        *fidac_window_get_custom_window (FidacWindow    *self,
                                                   GtkSpinButton **width,
                                                   GtkSpinButton **level);

/* The annotation side pane (win.toggle-annotation, F8) and its panel. */
gboolean           fidac_window_get_annotation_shown (FidacWindow *self);
FidacLesionPanel  *fidac_window_get_lesion_panel  (FidacWindow  *self);
/* The scores side pane (win.toggle-scores, F7) and its panel. */
gboolean           fidac_window_get_scores_shown  (FidacWindow  *self);
FidacScoresPanel  *fidac_window_get_scores_panel  (FidacWindow  *self);

/* The case report of the case shown, written to `path` off the main thread as
 * win.export-report does once a file is chosen; a toast says how it went. */
void               fidac_window_export_report     (FidacWindow  *self,
                                                   const gchar  *path);
/* Reports being written. */
guint              fidac_window_get_n_reports     (FidacWindow  *self);

/* The message of the last error shown, or NULL. */
const gchar       *fidac_window_get_error_message (FidacWindow  *self);

/* The series chooser: its rows carry the Series Instance UID as data "fidac-series-uid" and
 * are sensitive only for image series. */
GtkListBox        *fidac_window_get_series_list   (FidacWindow  *self);

/* The local case lists: the start page's and the header popover's (win.local-cases). */
FidacCaseList     *fidac_window_get_start_cases   (FidacWindow  *self);
FidacCaseList     *fidac_window_get_popover_cases (FidacWindow  *self);

/* What the drop target does with a dropped GdkFileList. */
gboolean           fidac_window_handle_drop       (FidacWindow  *self,
                                                   const GValue *value);

G_END_DECLS
