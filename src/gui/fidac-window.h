/* fidac-window.h: the workstation's main window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fidac-application.h"

G_BEGIN_DECLS

#define FIDAC_TYPE_WINDOW (fidac_window_get_type ())

G_DECLARE_FINAL_TYPE (FidacWindow, fidac_window, FIDAC, WINDOW, AdwApplicationWindow)

FidacWindow *fidac_window_new        (FidacApplication *application);

/* Opens folders and/or files (several items are scanned together); a load in progress is
 * cancelled first. */
void         fidac_window_open_files (FidacWindow      *self,
                                      GFile           **files,
                                      guint             n_files);

/* Opens the synthetic demo case, writing it into the user cache the first time. */
void         fidac_window_open_demo  (FidacWindow      *self);

G_END_DECLS
