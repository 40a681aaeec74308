/* fidac-file-chooser.h: asking for a folder or files, on every GTK the program builds with.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Called only when the user chose something; `files` holds GFile items. */
typedef void (*FidacFilesChosenFunc) (GtkWindow  *parent,
                                      GListModel *files);

/* A modal chooser over `parent` (kept alive until it answers) for one folder or for
 * several files, starting in `start` when not NULL. */
void fidac_file_chooser_run (GtkWindow            *parent,
                             gboolean              folder,
                             GFile                *start,
                             FidacFilesChosenFunc  callback);

G_END_DECLS
