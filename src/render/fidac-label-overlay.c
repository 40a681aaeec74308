/* fidac-label-overlay.c: the label overlay pass, blended over the MPR pass.
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

typedef struct {
  GLuint program;
  GLint  labels;
  GLint  dims;
  GLint  origin;
  GLint  du;
  GLint  dv;
  GLint  height;
  GLint  colors;
} Program;

struct _FidacLabelOverlay {
  GLuint   vertex_array;
  gboolean fp64;
  Program  programs[2];         /* filled, outline */
  /* The offscreen target of read_rgba, kept while its size does not change. */
  GLuint   framebuffer;
  GLuint   renderbuffer;
  gint     target_width;
  gint     target_height;
};

static gchar *
load_source (const gchar *name,
             GError     **error)
{
  g_autofree gchar *path = g_strconcat (RESOURCE_PATH, name, NULL);
  g_autoptr(GBytes) bytes = NULL;
  gsize size;
  const gchar *data;

  bytes = g_resource_lookup_data (fidac_render_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  return g_strndup (data, size);
}

static GLuint
compile_shader (GLenum        type,
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

static gboolean
build_program (FidacLabelOverlay *self,
               GLuint             vertex,
               const gchar       *fragment_source,
               gboolean           outline,
               GError           **error)
{
  Program *p = &self->programs[outline ? 1 : 0];
  g_autoptr(GString) header = g_string_new (NULL);
  const gchar *sources[2];
  GLuint fragment;
  GLint ok = GL_FALSE;

  if (epoxy_gl_version () >= 40)
    g_string_append (header, "#version 400 core\n");
  else
    {
      g_string_append (header, "#version 330 core\n");
      if (self->fp64)
        g_string_append (header, "#extension GL_ARB_gpu_shader_fp64 : require\n");
    }
  g_string_append_printf (header, "#define FP64 %d\n#define OUTLINE %d\n#line 1\n",
                          self->fp64 ? 1 : 0, outline ? 1 : 0);
  sources[0] = header->str;
  sources[1] = fragment_source;
  fragment = compile_shader (GL_FRAGMENT_SHADER, "labels.frag.glsl", sources, 2, error);
  if (fragment == 0)
    return FALSE;

  p->program = glCreateProgram ();
  glAttachShader (p->program, vertex);
  glAttachShader (p->program, fragment);
  glBindFragDataLocation (p->program, 0, "color");
  glLinkProgram (p->program);
  glDetachShader (p->program, vertex);
  glDetachShader (p->program, fragment);
  glDeleteShader (fragment);
  glGetProgramiv (p->program, GL_LINK_STATUS, &ok);
  if (!ok)
    {
      GLint length = 0;
      g_autofree gchar *log = NULL;

      glGetProgramiv (p->program, GL_INFO_LOG_LENGTH, &length);
      log = g_malloc0 (MAX (length, 1));
      glGetProgramInfoLog (p->program, MAX (length, 1), NULL, log);
      glDeleteProgram (p->program);
      p->program = 0;
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_SHADER,
                   /* TRANSLATORS: %s is the driver's linker log */
                   _("The graphics driver could not link the label overlay program: %s"), log);
      return FALSE;
    }
  p->labels = glGetUniformLocation (p->program, "labels");
  p->dims = glGetUniformLocation (p->program, "dims");
  p->origin = glGetUniformLocation (p->program, "origin");
  p->du = glGetUniformLocation (p->program, "du");
  p->dv = glGetUniformLocation (p->program, "dv");
  p->height = glGetUniformLocation (p->program, "height");
  p->colors = glGetUniformLocation (p->program, "colors");
  return TRUE;
}

FidacLabelOverlay *
fidac_label_overlay_new (GError **error)
{
  g_autoptr(FidacLabelOverlay) self = NULL;
  g_autofree gchar *vertex_source = NULL;
  g_autofree gchar *fragment_source = NULL;
  const gchar *sources[1];
  GLuint vertex;
  gboolean ok;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!fidac_render_check_context (error))
    return NULL;

  self = g_new0 (FidacLabelOverlay, 1);
  /* The same choice as the MPR renderer, so that labels and grey land on the same voxels. */
  self->fp64 = epoxy_gl_version () >= 40 || epoxy_has_gl_extension ("GL_ARB_gpu_shader_fp64");
  if (g_getenv ("FIDAC_RENDER_NO_FP64") != NULL)
    self->fp64 = FALSE;

  vertex_source = load_source ("labels.vert.glsl", error);
  if (vertex_source == NULL)
    return NULL;
  fragment_source = load_source ("labels.frag.glsl", error);
  if (fragment_source == NULL)
    return NULL;
  sources[0] = vertex_source;
  vertex = compile_shader (GL_VERTEX_SHADER, "labels.vert.glsl", sources, 1, error);
  if (vertex == 0)
    return NULL;
  ok = build_program (self, vertex, fragment_source, FALSE, error) &&
       build_program (self, vertex, fragment_source, TRUE, error);
  glDeleteShader (vertex);
  if (!ok)
    return NULL;
  /* Core profiles draw nothing without a vertex array, even an empty one. */
  glGenVertexArrays (1, &self->vertex_array);
  return g_steal_pointer (&self);
}

void
fidac_label_overlay_free (FidacLabelOverlay *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (self->programs); i++)
    if (self->programs[i].program != 0)
      glDeleteProgram (self->programs[i].program);
  if (self->vertex_array != 0)
    glDeleteVertexArrays (1, &self->vertex_array);
  if (self->framebuffer != 0)
    glDeleteFramebuffers (1, &self->framebuffer);
  if (self->renderbuffer != 0)
    glDeleteRenderbuffers (1, &self->renderbuffer);
  g_free (self);
}

gboolean
fidac_label_overlay_get_double_precision (FidacLabelOverlay *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->fp64;
}

gboolean
fidac_label_overlay_draw (FidacLabelOverlay       *self,
                          FidacGLLabels           *labels,
                          const FidacMprParams    *params,
                          const FidacOverlayStyle *style,
                          GError                 **error)
{
  const FidacPlane *plane;
  FidacVolume *volume;
  Program *p;
  gdouble m[16];
  gfloat colors[FIDAC_LABEL_MAX_CLASSES * 4];
  guint alpha;
  gboolean any = FALSE;
  GLint old_program = 0, old_vertex_array = 0, old_active = 0, old_texture = 0;
  GLint old_src_rgb = 0, old_dst_rgb = 0, old_src_alpha = 0, old_dst_alpha = 0;
  GLint old_equation_rgb = 0, old_equation_alpha = 0;
  GLboolean blend, depth, scissor;
  GLenum code;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (labels != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (style != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  plane = &params->plane;
  if (!fidac_plane_validate (plane, error))
    return FALSE;
  if (!fidac_overlay_style_validate (style, error))
    return FALSE;
  if (fidac_gl_labels_get_texture (labels) == 0)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                   _("The label texture was already released"));
      return FALSE;
    }

  /* Alpha A / 255 exactly as fidac_overlay_composite() weighs the colour; 0 leaves the
   * pixel alone (the shader discards it). */
  alpha = fidac_overlay_alpha (style->opacity);
  memset (colors, 0, sizeof colors);
  for (guint id = 1; id < FIDAC_LABEL_MAX_CLASSES; id++)
    {
      if ((style->visible & (1u << id)) == 0 || alpha == 0)
        continue;
      for (gint c = 0; c < 3; c++)
        colors[id * 4 + c] = style->colors[id][c] / 255.0f;
      colors[id * 4 + 3] = alpha / 255.0f;
      any = TRUE;
    }
  if (!any)
    return TRUE;

  volume = fidac_gl_labels_get_volume (labels);
  fidac_plane_get_screen_to_voxel (plane, volume, m);
  p = &self->programs[style->mode == FIDAC_OVERLAY_OUTLINE ? 1 : 0];

  fidac_render_clear_errors ();
  glGetIntegerv (GL_CURRENT_PROGRAM, &old_program);
  glGetIntegerv (GL_VERTEX_ARRAY_BINDING, &old_vertex_array);
  glGetIntegerv (GL_ACTIVE_TEXTURE, &old_active);
  glGetIntegerv (GL_BLEND_SRC_RGB, &old_src_rgb);
  glGetIntegerv (GL_BLEND_DST_RGB, &old_dst_rgb);
  glGetIntegerv (GL_BLEND_SRC_ALPHA, &old_src_alpha);
  glGetIntegerv (GL_BLEND_DST_ALPHA, &old_dst_alpha);
  glGetIntegerv (GL_BLEND_EQUATION_RGB, &old_equation_rgb);
  glGetIntegerv (GL_BLEND_EQUATION_ALPHA, &old_equation_alpha);
  blend = glIsEnabled (GL_BLEND);
  depth = glIsEnabled (GL_DEPTH_TEST);
  scissor = glIsEnabled (GL_SCISSOR_TEST);

  glUseProgram (p->program);
  glUniform1i (p->labels, 0);
  glUniform3i (p->dims, volume->dims[0], volume->dims[1], volume->dims[2]);
  if (self->fp64)
    {
      glUniform3d (p->origin, m[3], m[7], m[11]);
      glUniform3d (p->du, m[0], m[4], m[8]);
      glUniform3d (p->dv, m[1], m[5], m[9]);
    }
  else
    {
      glUniform3f (p->origin, (gfloat) m[3], (gfloat) m[7], (gfloat) m[11]);
      glUniform3f (p->du, (gfloat) m[0], (gfloat) m[4], (gfloat) m[8]);
      glUniform3f (p->dv, (gfloat) m[1], (gfloat) m[5], (gfloat) m[9]);
    }
  glUniform1f (p->height, (gfloat) plane->height);
  glUniform4fv (p->colors, FIDAC_LABEL_MAX_CLASSES, colors);

  glActiveTexture (GL_TEXTURE0);
  glGetIntegerv (GL_TEXTURE_BINDING_2D_ARRAY, &old_texture);
  glBindTexture (GL_TEXTURE_2D_ARRAY, fidac_gl_labels_get_texture (labels));
  glBindVertexArray (self->vertex_array);
  /* The colour over the grey; the framebuffer's own alpha (opaque after the MPR pass) is
   * left as it is, so that GTK composes the view as before. */
  glEnable (GL_BLEND);
  glBlendEquationSeparate (GL_FUNC_ADD, GL_FUNC_ADD);
  glBlendFuncSeparate (GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ZERO, GL_ONE);
  glDisable (GL_DEPTH_TEST);
  glDisable (GL_SCISSOR_TEST);
  glViewport (0, 0, plane->width, plane->height);

  glDrawArrays (GL_TRIANGLES, 0, 3);

  glBindTexture (GL_TEXTURE_2D_ARRAY, old_texture);
  glActiveTexture (old_active);
  glBindVertexArray (old_vertex_array);
  glUseProgram (old_program);
  glBlendEquationSeparate (old_equation_rgb, old_equation_alpha);
  glBlendFuncSeparate (old_src_rgb, old_dst_rgb, old_src_alpha, old_dst_alpha);
  if (!blend)
    glDisable (GL_BLEND);
  if (depth)
    glEnable (GL_DEPTH_TEST);
  if (scissor)
    glEnable (GL_SCISSOR_TEST);

  code = glGetError ();
  if (code != GL_NO_ERROR)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                   /* TRANSLATORS: %s is an OpenGL error name such as GL_INVALID_OPERATION */
                   _("Drawing the label overlay failed (%s)"), fidac_render_gl_error_name (code));
      return FALSE;
    }
  return TRUE;
}

static gboolean
ensure_target (FidacLabelOverlay *self,
               gint               width,
               gint               height,
               GError           **error)
{
  GLenum status;

  if (self->framebuffer != 0 && self->target_width == width && self->target_height == height)
    {
      glBindFramebuffer (GL_FRAMEBUFFER, self->framebuffer);
      return TRUE;
    }

  if (self->framebuffer == 0)
    glGenFramebuffers (1, &self->framebuffer);
  if (self->renderbuffer == 0)
    glGenRenderbuffers (1, &self->renderbuffer);
  glBindRenderbuffer (GL_RENDERBUFFER, self->renderbuffer);
  glRenderbufferStorage (GL_RENDERBUFFER, GL_RGBA8, width, height);
  glBindRenderbuffer (GL_RENDERBUFFER, 0);
  glBindFramebuffer (GL_FRAMEBUFFER, self->framebuffer);
  glFramebufferRenderbuffer (GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER,
                             self->renderbuffer);
  status = glCheckFramebufferStatus (GL_FRAMEBUFFER);
  if (status != GL_FRAMEBUFFER_COMPLETE)
    {
      self->target_width = self->target_height = 0;
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                   /* TRANSLATORS: image width × height in pixels, then a status code */
                   _("The graphics driver cannot draw a %d × %d colour image (status 0x%x)"),
                   width, height, status);
      return FALSE;
    }
  self->target_width = width;
  self->target_height = height;
  return TRUE;
}

gboolean
fidac_label_overlay_read_rgba (FidacLabelOverlay       *self,
                               FidacMprRenderer        *renderer,
                               FidacGLVolume           *volume,
                               FidacGLLabels           *labels,
                               const FidacMprParams    *params,
                               const FidacOverlayStyle *style,
                               guint8                  *out,
                               GError                 **error)
{
  GLint old_draw = 0, old_read = 0, old_viewport[4] = { 0 };
  GLint old_pack_alignment = 0, old_pack_buffer = 0, old_row_length = 0;
  GLint old_skip_pixels = 0, old_skip_rows = 0;
  gboolean ok;
  gint w, h;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (renderer != NULL, FALSE);
  g_return_val_if_fail (volume != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (style != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!fidac_plane_validate (&params->plane, error))
    return FALSE;
  w = params->plane.width;
  h = params->plane.height;

  glGetIntegerv (GL_DRAW_FRAMEBUFFER_BINDING, &old_draw);
  glGetIntegerv (GL_READ_FRAMEBUFFER_BINDING, &old_read);
  glGetIntegerv (GL_VIEWPORT, old_viewport);

  ok = ensure_target (self, w, h, error) &&
       fidac_mpr_renderer_draw (renderer, volume, params, error) &&
       (labels == NULL || fidac_label_overlay_draw (self, labels, params, style, error));
  if (ok)
    {
      g_autofree guint8 *rows = g_malloc ((gsize) w * h * 4);
      GLenum code;

      glGetIntegerv (GL_PACK_ALIGNMENT, &old_pack_alignment);
      glGetIntegerv (GL_PACK_ROW_LENGTH, &old_row_length);
      glGetIntegerv (GL_PACK_SKIP_PIXELS, &old_skip_pixels);
      glGetIntegerv (GL_PACK_SKIP_ROWS, &old_skip_rows);
      glGetIntegerv (GL_PIXEL_PACK_BUFFER_BINDING, &old_pack_buffer);
      glBindBuffer (GL_PIXEL_PACK_BUFFER, 0);
      glPixelStorei (GL_PACK_ALIGNMENT, 1);
      glPixelStorei (GL_PACK_ROW_LENGTH, 0);
      glPixelStorei (GL_PACK_SKIP_PIXELS, 0);
      glPixelStorei (GL_PACK_SKIP_ROWS, 0);
      glReadBuffer (GL_COLOR_ATTACHMENT0);
      glReadPixels (0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rows);
      glPixelStorei (GL_PACK_ALIGNMENT, old_pack_alignment);
      glPixelStorei (GL_PACK_ROW_LENGTH, old_row_length);
      glPixelStorei (GL_PACK_SKIP_PIXELS, old_skip_pixels);
      glPixelStorei (GL_PACK_SKIP_ROWS, old_skip_rows);
      glBindBuffer (GL_PIXEL_PACK_BUFFER, old_pack_buffer);
      code = glGetError ();
      if (code != GL_NO_ERROR)
        {
          g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                       /* TRANSLATORS: %s is an OpenGL error name such as GL_INVALID_OPERATION */
                       _("Reading the image back failed (%s)"), fidac_render_gl_error_name (code));
          ok = FALSE;
        }
      else
        {
          /* OpenGL's first row is the bottom one. */
          for (gint r = 0; r < h; r++)
            memcpy (out + (gsize) r * w * 4, rows + (gsize) (h - 1 - r) * w * 4, (gsize) w * 4);
        }
    }

  glBindFramebuffer (GL_DRAW_FRAMEBUFFER, old_draw);
  glBindFramebuffer (GL_READ_FRAMEBUFFER, old_read);
  glViewport (old_viewport[0], old_viewport[1], old_viewport[2], old_viewport[3]);
  return ok;
}
