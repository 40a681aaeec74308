/* fidac-render-private.h: helpers shared by the files of the render layer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fidac-render.h"

G_BEGIN_DECLS

/* FALSE with FIDAC_RENDER_ERROR_UNSUPPORTED unless the current context is desktop OpenGL
 * 3.3 or later (the shaders are GLSL 3.30 core). */
gboolean     fidac_render_check_context (GError **error);

/* The name of a glGetError() code, for messages. */
const gchar *fidac_render_gl_error_name (guint code);

/* Drops errors left by earlier code, so that the next glGetError() is ours. */
void         fidac_render_clear_errors  (void);

/* Which program the last successful fidac_mpr_renderer_draw() ran, for tests and
 * benchmarks: the general one, or that of a plane whose axes follow the volume's (see
 * plan_axes() in fidac-mpr-renderer.c), which gives the same bytes with less arithmetic.
 * The environment variable FIDAC_RENDER_NO_AXIS, read when the renderer is made, keeps every
 * plane on the general path. */
typedef enum {
  FIDAC_MPR_PATH_NONE,
  FIDAC_MPR_PATH_GENERAL,
  FIDAC_MPR_PATH_AXIS,
} FidacMprPath;

FidacMprPath fidac_mpr_renderer_get_last_path (FidacMprRenderer *self);

G_END_DECLS
