/* fidac-render-private.h: helpers shared by the files of the render layer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* FALSE with FIDAC_RENDER_ERROR_UNSUPPORTED unless the current context is desktop OpenGL
 * 3.3 or later (the shaders are GLSL 3.30 core). */
gboolean     fidac_render_check_context (GError **error);

/* The name of a glGetError() code, for messages. */
const gchar *fidac_render_gl_error_name (guint code);

/* Drops errors left by earlier code, so that the next glGetError() is ours. */
void         fidac_render_clear_errors  (void);

G_END_DECLS
