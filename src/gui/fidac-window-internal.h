/* fidac-window-internal.h: the window's instance structure, shared by the files that
 * make up the window class (fidac-window.c, fidac-window-state.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fidac-case-load.h"
#include "fidac-dicom.h"
#include "fidac-slice-view.h"
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
  FidacSliceView       *slice_view;
  GtkLabel             *slice_label;
  GtkLabel             *slice_title_label;
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
};

G_END_DECLS
