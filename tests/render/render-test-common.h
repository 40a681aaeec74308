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

/* The context of a test program: NULL, with the reason in the test log, when GTK has no
 * display or the display no OpenGL 3.3. */
GdkGLContext *render_test_init_context (void);

/* Makes `context` current; FALSE, skipping the test, when there is none. */
gboolean      render_test_have_context (GdkGLContext *context);

/* A width × height RGBA8 framebuffer, bound, standing for the one GTK draws into. */
void          render_test_target_new   (gint    width,
                                        gint    height,
                                        guint  *framebuffer,
                                        guint  *renderbuffer);
/* Binds the default framebuffer and deletes the target. */
void          render_test_target_free  (guint   framebuffer,
                                        guint   renderbuffer);

G_END_DECLS
