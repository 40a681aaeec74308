/* fidac-render-gl.c: OpenGL chores shared by the passes and textures of the render layer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-render"

#include "config.h"

#include <string.h>

#include <epoxy/gl.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "fidac-render.h"
#include "fidac-render-private.h"
#include "fidac-render-resources.h"

#define RESOURCE_PATH "/fr/radiologie/Fidac/render/"

gboolean
fidac_render_want_fp64 (void)
{
  /* For tests and measurements of the OpenGL 3.3 paths on a newer driver. */
  if (g_getenv ("FIDAC_RENDER_NO_FP64") != NULL)
    return FALSE;
  return epoxy_gl_version () >= 40 || epoxy_has_gl_extension ("GL_ARB_gpu_shader_fp64");
}

gchar *
fidac_render_load_source (const gchar *name,
                          GError     **error)
{
  g_autofree gchar *path = g_strconcat (RESOURCE_PATH, name, NULL);
  g_autoptr(GBytes) bytes = NULL;
  gsize size;
  const gchar *data;

  /* Looked up in our own resource rather than the global table, so that nothing depends
   * on the static library's constructor being linked in. */
  bytes = g_resource_lookup_data (fidac_render_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  return g_strndup (data, size);
}

GLuint
fidac_render_compile_shader (GLenum        type,
                             const gchar  *name,
                             const gchar **sources,
                             gint          n_sources,
                             GError      **error)
{
  GLuint shader = glCreateShader (type);
  GLint ok = GL_FALSE;

  glShaderSource (shader, n_sources, sources, NULL);
  glCompileShader (shader);
  glGetShaderiv (shader, GL_COMPILE_STATUS, &ok);
  if (!ok)
    {
      GLint length = 0;
      g_autofree gchar *log = NULL;

      glGetShaderiv (shader, GL_INFO_LOG_LENGTH, &length);
      log = g_malloc0 (MAX (length, 1));
      glGetShaderInfoLog (shader, MAX (length, 1), NULL, log);
      glDeleteShader (shader);
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_SHADER,
                   /* TRANSLATORS: a shader file name, then the driver's compiler log */
                   _("The graphics driver could not compile %s: %s"), name, log);
      return 0;
    }
  return shader;
}

GLuint
fidac_render_link_program (GLuint   vertex,
                           GLuint   fragment,
                           gchar  **log)
{
  GLuint program = glCreateProgram ();
  GLint ok = GL_FALSE;

  glAttachShader (program, vertex);
  glAttachShader (program, fragment);
  glBindFragDataLocation (program, 0, "color");
  glLinkProgram (program);
  glDetachShader (program, vertex);
  glDetachShader (program, fragment);
  glGetProgramiv (program, GL_LINK_STATUS, &ok);
  if (!ok)
    {
      GLint length = 0;

      glGetProgramiv (program, GL_INFO_LOG_LENGTH, &length);
      *log = g_malloc0 (MAX (length, 1));
      glGetProgramInfoLog (program, MAX (length, 1), NULL, *log);
      glDeleteProgram (program);
      return 0;
    }
  return program;
}

GString *
fidac_render_shader_header (gboolean fp64,
                            gboolean gather)
{
  GString *header = g_string_new (NULL);

  if (epoxy_gl_version () >= 40)
    g_string_append (header, "#version 400 core\n");
  else
    {
      g_string_append (header, "#version 330 core\n");
      if (fp64)
        g_string_append (header, "#extension GL_ARB_gpu_shader_fp64 : require\n");
      if (gather)
        g_string_append (header, "#extension GL_ARB_texture_gather : require\n");
    }
  return header;
}

void
fidac_render_set_plane_uniforms (gboolean      fp64,
                                 GLint         origin,
                                 GLint         du,
                                 GLint         dv,
                                 const gdouble m[16])
{
  if (fp64)
    {
      glUniform3d (origin, m[3], m[7], m[11]);
      glUniform3d (du, m[0], m[4], m[8]);
      glUniform3d (dv, m[1], m[5], m[9]);
    }
  else
    {
      glUniform3f (origin, (gfloat) m[3], (gfloat) m[7], (gfloat) m[11]);
      glUniform3f (du, (gfloat) m[0], (gfloat) m[4], (gfloat) m[8]);
      glUniform3f (dv, (gfloat) m[1], (gfloat) m[5], (gfloat) m[9]);
    }
}

void
fidac_render_state_save (FidacRenderState *state)
{
  glGetIntegerv (GL_CURRENT_PROGRAM, &state->program);
  glGetIntegerv (GL_VERTEX_ARRAY_BINDING, &state->vertex_array);
  glGetIntegerv (GL_ACTIVE_TEXTURE, &state->active);
  state->blend = glIsEnabled (GL_BLEND);
  state->depth = glIsEnabled (GL_DEPTH_TEST);
  state->scissor = glIsEnabled (GL_SCISSOR_TEST);
}

void
fidac_render_state_restore (const FidacRenderState *state)
{
  glActiveTexture (state->active);
  glBindVertexArray (state->vertex_array);
  glUseProgram (state->program);
  if (state->blend)
    glEnable (GL_BLEND);
  else
    glDisable (GL_BLEND);
  if (state->depth)
    glEnable (GL_DEPTH_TEST);
  else
    glDisable (GL_DEPTH_TEST);
  if (state->scissor)
    glEnable (GL_SCISSOR_TEST);
  else
    glDisable (GL_SCISSOR_TEST);
}

void
fidac_render_unpack_begin (FidacRenderUnpack *saved,
                           gint               alignment)
{
  glGetIntegerv (GL_TEXTURE_BINDING_2D_ARRAY, &saved->texture);
  glGetIntegerv (GL_UNPACK_ALIGNMENT, &saved->alignment);
  glGetIntegerv (GL_UNPACK_ROW_LENGTH, &saved->row_length);
  glGetIntegerv (GL_UNPACK_IMAGE_HEIGHT, &saved->image_height);
  glGetIntegerv (GL_UNPACK_SKIP_PIXELS, &saved->skip_pixels);
  glGetIntegerv (GL_UNPACK_SKIP_ROWS, &saved->skip_rows);
  glGetIntegerv (GL_UNPACK_SKIP_IMAGES, &saved->skip_images);
  glGetIntegerv (GL_PIXEL_UNPACK_BUFFER_BINDING, &saved->unpack_buffer);
  glBindBuffer (GL_PIXEL_UNPACK_BUFFER, 0);
  glPixelStorei (GL_UNPACK_ALIGNMENT, alignment);
  glPixelStorei (GL_UNPACK_ROW_LENGTH, 0);
  glPixelStorei (GL_UNPACK_IMAGE_HEIGHT, 0);
  glPixelStorei (GL_UNPACK_SKIP_PIXELS, 0);
  glPixelStorei (GL_UNPACK_SKIP_ROWS, 0);
  glPixelStorei (GL_UNPACK_SKIP_IMAGES, 0);
}

void
fidac_render_unpack_end (const FidacRenderUnpack *saved)
{
  glPixelStorei (GL_UNPACK_ALIGNMENT, saved->alignment);
  glPixelStorei (GL_UNPACK_ROW_LENGTH, saved->row_length);
  glPixelStorei (GL_UNPACK_IMAGE_HEIGHT, saved->image_height);
  glPixelStorei (GL_UNPACK_SKIP_PIXELS, saved->skip_pixels);
  glPixelStorei (GL_UNPACK_SKIP_ROWS, saved->skip_rows);
  glPixelStorei (GL_UNPACK_SKIP_IMAGES, saved->skip_images);
  glBindBuffer (GL_PIXEL_UNPACK_BUFFER, saved->unpack_buffer);
  glBindTexture (GL_TEXTURE_2D_ARRAY, saved->texture);
}

gboolean
fidac_render_array_fits (const gint dims[3],
                         gint      *max_size,
                         gint      *max_layers)
{
  GLint size = 0, layers = 0;

  glGetIntegerv (GL_MAX_TEXTURE_SIZE, &size);
  glGetIntegerv (GL_MAX_ARRAY_TEXTURE_LAYERS, &layers);
  *max_size = size;
  *max_layers = layers;
  return dims[0] <= size && dims[1] <= size && dims[2] <= layers;
}

GLuint
fidac_render_array_texture_new (void)
{
  GLuint texture = 0;

  glGenTextures (1, &texture);
  glBindTexture (GL_TEXTURE_2D_ARRAY, texture);
  /* Integer texels are fetched (or gathered), never filtered: the shaders interpolate
   * themselves, exactly as the CPU does. One level, no mipmaps. */
  glTexParameteri (GL_TEXTURE_2D_ARRAY, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri (GL_TEXTURE_2D_ARRAY, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri (GL_TEXTURE_2D_ARRAY, GL_TEXTURE_BASE_LEVEL, 0);
  glTexParameteri (GL_TEXTURE_2D_ARRAY, GL_TEXTURE_MAX_LEVEL, 0);
  glTexParameteri (GL_TEXTURE_2D_ARRAY, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri (GL_TEXTURE_2D_ARRAY, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  return texture;
}

GLenum
fidac_render_target_ensure (FidacRenderTarget *target,
                            GLenum             format,
                            gint               width,
                            gint               height)
{
  GLenum status;

  if (target->framebuffer != 0 && target->width == width && target->height == height)
    {
      glBindFramebuffer (GL_FRAMEBUFFER, target->framebuffer);
      return GL_FRAMEBUFFER_COMPLETE;
    }

  if (target->framebuffer == 0)
    glGenFramebuffers (1, &target->framebuffer);
  if (target->renderbuffer == 0)
    glGenRenderbuffers (1, &target->renderbuffer);
  glBindRenderbuffer (GL_RENDERBUFFER, target->renderbuffer);
  glRenderbufferStorage (GL_RENDERBUFFER, format, width, height);
  glBindRenderbuffer (GL_RENDERBUFFER, 0);
  glBindFramebuffer (GL_FRAMEBUFFER, target->framebuffer);
  glFramebufferRenderbuffer (GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER,
                             target->renderbuffer);
  status = glCheckFramebufferStatus (GL_FRAMEBUFFER);
  if (status != GL_FRAMEBUFFER_COMPLETE)
    target->width = target->height = 0;
  else
    {
      target->width = width;
      target->height = height;
    }
  return status;
}

void
fidac_render_target_clear (FidacRenderTarget *target)
{
  if (target->framebuffer != 0)
    glDeleteFramebuffers (1, &target->framebuffer);
  if (target->renderbuffer != 0)
    glDeleteRenderbuffers (1, &target->renderbuffer);
  memset (target, 0, sizeof *target);
}

void
fidac_render_binding_save (FidacRenderBinding *binding)
{
  glGetIntegerv (GL_DRAW_FRAMEBUFFER_BINDING, &binding->draw);
  glGetIntegerv (GL_READ_FRAMEBUFFER_BINDING, &binding->read);
  glGetIntegerv (GL_VIEWPORT, binding->viewport);
}

void
fidac_render_binding_restore (const FidacRenderBinding *binding)
{
  glBindFramebuffer (GL_DRAW_FRAMEBUFFER, binding->draw);
  glBindFramebuffer (GL_READ_FRAMEBUFFER, binding->read);
  glViewport (binding->viewport[0], binding->viewport[1], binding->viewport[2],
              binding->viewport[3]);
}

gboolean
fidac_render_read_pixels (gint     width,
                          gint     height,
                          GLenum   format,
                          gint     bytes_per_pixel,
                          guint8  *out,
                          GError **error)
{
  const gsize row = (gsize) width * bytes_per_pixel;
  g_autofree guint8 *rows = g_malloc (row * height);
  GLint old_alignment = 0, old_buffer = 0, old_row_length = 0;
  GLint old_skip_pixels = 0, old_skip_rows = 0;
  GLenum code;

  glGetIntegerv (GL_PACK_ALIGNMENT, &old_alignment);
  glGetIntegerv (GL_PACK_ROW_LENGTH, &old_row_length);
  glGetIntegerv (GL_PACK_SKIP_PIXELS, &old_skip_pixels);
  glGetIntegerv (GL_PACK_SKIP_ROWS, &old_skip_rows);
  glGetIntegerv (GL_PIXEL_PACK_BUFFER_BINDING, &old_buffer);
  glBindBuffer (GL_PIXEL_PACK_BUFFER, 0);
  glPixelStorei (GL_PACK_ALIGNMENT, 1);
  glPixelStorei (GL_PACK_ROW_LENGTH, 0);
  glPixelStorei (GL_PACK_SKIP_PIXELS, 0);
  glPixelStorei (GL_PACK_SKIP_ROWS, 0);
  glReadBuffer (GL_COLOR_ATTACHMENT0);
  glReadPixels (0, 0, width, height, format, GL_UNSIGNED_BYTE, rows);
  glPixelStorei (GL_PACK_ALIGNMENT, old_alignment);
  glPixelStorei (GL_PACK_ROW_LENGTH, old_row_length);
  glPixelStorei (GL_PACK_SKIP_PIXELS, old_skip_pixels);
  glPixelStorei (GL_PACK_SKIP_ROWS, old_skip_rows);
  glBindBuffer (GL_PIXEL_PACK_BUFFER, old_buffer);
  code = glGetError ();
  if (code != GL_NO_ERROR)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                   /* TRANSLATORS: %s is an OpenGL error name such as GL_INVALID_OPERATION */
                   _("Reading the image back failed (%s)"), fidac_render_gl_error_name (code));
      return FALSE;
    }
  /* OpenGL's first row is the bottom one. */
  for (gint r = 0; r < height; r++)
    memcpy (out + (gsize) r * row, rows + (gsize) (height - 1 - r) * row, row);
  return TRUE;
}
