/* render-test-common.h: an OpenGL context without a window, for the render tests and the
 * OpenGL benchmarks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A realized, current desktop OpenGL 3.3 (or later) context of the default display, or
 * NULL with a message in `error` (no display, no GL, OpenGL ES only). */
GdkGLContext *render_test_context_new (GError **error);

G_END_DECLS
