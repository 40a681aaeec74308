/* fidac-window-internal.h: the window's instance structure, shared by the files that
 * make up the window class (fidac-window.c, fidac-window-state.c, fidac-window-view.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fidac-case-load.h"
#include "fidac-dicom.h"
#include "fidac-mpr-layout.h"
#include "fidac-viewer.h"
#include "fidac-window-private.h"

G_BEGIN_DECLS

struct _FidacWindow
{
  AdwApplicationWindow  parent_instance;

  /* template */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_banner_label;
  GtkWidget            *drop_area;
  GtkWidget            *drop_highlight;
  GtkStack             *stack;
  AdwStatusPage        *loading_page;
  GtkLabel             *loading_label;
  GtkProgressBar       *progress_bar;
  GtkLabel             *chooser_label;
  GtkListBox           *series_list;
  GtkWidget            *views_box;
  GtkRevealer          *details_revealer;
  GtkWidget            *view_controls;
  GtkMenuButton        *presets_button;
  GtkMenuButton        *custom_window_button;
  GtkSpinButton        *slab_spin;
  GtkWidget            *warnings_box;
  GtkLabel             *warnings_title;
  GtkLabel             *warnings_label;
  AdwActionRow         *description_row;
  AdwActionRow         *modality_row;
  AdwActionRow         *date_row;
  AdwActionRow         *position_row;
  AdwActionRow         *matrix_row;
  AdwActionRow         *slices_row;
  AdwActionRow         *spacing_row;
  AdwActionRow         *orientation_row;
  AdwActionRow         *hu_row;
  AdwActionRow         *window_row;
  AdwStatusPage        *error_page;

  GSettings            *settings;          /* NULL without an installed schema */

  FidacWindowState      state;
  FidacWindowState      return_state;      /* where Cancel goes back to */

  /* The load in progress: a callback whose load is not this one is stale and ignored. */
  FidacCaseLoad        *load;
  GCancellable         *cancellable;
  gchar                *load_name;
  gchar                *shown_name;        /* what the case shown was opened as */
  guint                 progress_source;
  guint                 n_pending;

  FidacScan            *scan;              /* the series offered by the chooser */
  GPtrArray            *scan_warnings;     /* gchar*, of that scan */
  FidacVolume          *volume;            /* the case shown */
  GPtrArray            *warnings;          /* gchar*, shown with it */
  gchar                *error_message;

  /* The views (fidac-window-view.c). */
  FidacViewer          *viewer;
  FidacMprLayout       *layout;
  GMenu                *presets_menu;
  GtkWidget            *custom_popover;    /* typed window, custom_window_button's */
  GtkSpinButton        *custom_width;
  GtkSpinButton        *custom_level;
  gdouble               slab_mm;           /* the thickness kept while the slab is off */
  gboolean              syncing_slab;      /* the slab spin button follows the viewer */

  /* The local cases (fidac-case-list.h): on the start page and in the header's popover. */
  GtkWidget            *start_cases;
  GtkWidget            *popover_cases;
  gchar                *open_path;         /* the one folder or file being opened, else NULL */
  gchar                *wanted_series_uid; /* picked at once if the open offers a chooser */
};

/* fidac-window-view.c: the MPR views, their controls and actions. */
void fidac_window_view_class_init     (GtkWidgetClass *widget_class);
void fidac_window_view_init           (FidacWindow    *self);
void fidac_window_view_dispose        (FidacWindow    *self);
/* Shows the case just loaded (self->volume) in the views; the details pane opens when
 * the load has warnings. */
void fidac_window_view_show_volume    (FidacWindow    *self);
void fidac_window_view_update_actions (FidacWindow    *self);
/* Gives the keyboard focus to the main view. */
void fidac_window_view_focus          (FidacWindow    *self);

/* fidac-window-report.c: win.export-report (enabled with the case actions). */
void fidac_window_report_init         (FidacWindow    *self);

G_END_DECLS
