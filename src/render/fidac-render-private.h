/* fidac-render-private.h: helpers shared by the files of the render layer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <epoxy/gl.h>
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

/* FALSE when FIDAC_RENDER_NO_FP64 is set or the driver has no double-precision shaders;
 * both passes make the same choice, so that labels and grey land on the same voxels. */
gboolean     fidac_render_want_fp64     (void);

/* A shader source of the render resource (shaders/NAME). */
gchar       *fidac_render_load_source   (const gchar  *name,
                                         GError      **error);
/* A compiled shader, or 0 with FIDAC_RENDER_ERROR_SHADER naming `name`. */
GLuint       fidac_render_compile_shader (GLenum        type,
                                          const gchar  *name,
                                          const gchar **sources,
                                          gint          n_sources,
                                          GError      **error);
/* A linked program writing "color", or 0 with the driver's log in `log` (each pass says
 * which program failed). Leaves both shaders to the caller. */
GLuint       fidac_render_link_program  (GLuint        vertex,
                                         GLuint        fragment,
                                         gchar       **log);
/* A fragment shader's first lines: the GLSL version and the extensions 3.3 lacks. */
GString     *fidac_render_shader_header (gboolean      fp64,
                                         gboolean      gather);
/* The plane's origin, du and dv (columns 3, 0, 1 of the screen-to-voxel matrix) into the
 * current program, in double where the shader has it. */
void         fidac_render_set_plane_uniforms (gboolean      fp64,
                                              GLint         origin,
                                              GLint         du,
                                              GLint         dv,
                                              const gdouble m[16]);

/* What a pass changes of the caller's (GTK's) state, put back after the draw. The caller
 * restores its own texture bindings before. */
typedef struct {
  GLint     program;
  GLint     vertex_array;
  GLint     active;
  GLboolean blend;
  GLboolean depth;
  GLboolean scissor;
} FidacRenderState;

void         fidac_render_state_save    (FidacRenderState       *state);
void         fidac_render_state_restore (const FidacRenderState *state);

/* The caller's unpacking state and 2D array binding, put back after an upload of tightly
 * packed rows. */
typedef struct {
  GLint texture;
  GLint alignment;
  GLint row_length;
  GLint image_height;
  GLint skip_pixels;
  GLint skip_rows;
  GLint skip_images;
  GLint unpack_buffer;
} FidacRenderUnpack;

void         fidac_render_unpack_begin  (FidacRenderUnpack       *saved,
                                         gint                     alignment);
void         fidac_render_unpack_end    (const FidacRenderUnpack *saved);

/* Whether a 2D array texture of dims[0] × dims[1] × dims[2] is within the driver's limits,
 * which come back for the message. */
gboolean     fidac_render_array_fits    (const gint dims[3],
                                         gint      *max_size,
                                         gint      *max_layers);
/* A new unfiltered, single-level 2D array texture, bound. */
GLuint       fidac_render_array_texture_new (void);

/* An offscreen colour target for read-back, kept while its size does not change. */
typedef struct {
  GLuint framebuffer;
  GLuint renderbuffer;
  gint   width;
  gint   height;
} FidacRenderTarget;

/* Binds the target, made or resized to width × height; returns its status
 * (GL_FRAMEBUFFER_COMPLETE when usable). */
GLenum       fidac_render_target_ensure (FidacRenderTarget *target,
                                         GLenum             format,
                                         gint               width,
                                         gint               height);
void         fidac_render_target_clear  (FidacRenderTarget *target);

/* The caller's framebuffers and viewport around a read-back. */
typedef struct {
  GLint draw;
  GLint read;
  GLint viewport[4];
} FidacRenderBinding;

void         fidac_render_binding_save    (FidacRenderBinding       *binding);
void         fidac_render_binding_restore (const FidacRenderBinding *binding);

/* The bound framebuffer's colour attachment into `out`, top row first. */
gboolean     fidac_render_read_pixels   (gint          width,
                                         gint          height,
                                         GLenum        format,
                                         gint          bytes_per_pixel,
                                         guint8       *out,
                                         GError      **error);

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
