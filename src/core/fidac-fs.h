/* fidac-fs.h: small file-system helpers shared by the layers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Removes `path` and, for a folder, everything under it, never following symbolic links.
 * Best effort: FALSE when something could not be removed. */
gboolean fidac_fs_remove_tree (const gchar *path);

G_END_DECLS
