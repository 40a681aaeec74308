/* fidac-label-overlay.c: the label overlay pass, blended over the MPR pass.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include <epoxy/gl.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "fidac-render.h"
#include "fidac-render-private.h"

typedef struct {
  GLuint program;
  GLint  labels;
  GLint  dims;
  GLint  origin;
  GLint  du;
  GLint  dv;
  GLint  height;
  GLint  colors;
  GLint  tables;
} Program;

/* An index outside any volume: added to another table entry (at most 2^15) it stays
 * negative. */
#define OUTSIDE (-(1 << 24))

struct _FidacLabelOverlay {
  GLuint   vertex_array;
  gboolean fp64;
  /* Whether axis-aligned planes take the table path (FIDAC_RENDER_NO_AXIS: never). */
  gboolean axis;
  gboolean last_axis;
  gsize    last_pixels;
  Program  programs[2][2];      /* [general, axis][filled, outline] */
  GLuint   tables;              /* the axis path's RGBA32I tables */
  gint32  *table_data;
  gint     table_width;
  /* What the tables were made for: a view redrawn on the same plane (while painting)
   * sends nothing, and never waits for a draw that still reads them. */
  gboolean tables_valid;
  gdouble  table_matrix[16];
  gint     table_size[5];       /* plane width, height, volume dims */
  /* The offscreen target of read_rgba. */
  FidacRenderTarget target;
};

static gboolean
build_program (FidacLabelOverlay *self,
               GLuint             vertex,
               const gchar       *fragment_source,
               gboolean           axis,
               gboolean           outline,
               GError           **error)
{
  Program *p = &self->programs[axis ? 1 : 0][outline ? 1 : 0];
  g_autoptr(GString) header = fidac_render_shader_header (self->fp64, FALSE);
  const gchar *sources[2];
  g_autofree gchar *log = NULL;
  GLuint fragment;

  g_string_append_printf (header, "#define FP64 %d\n#define OUTLINE %d\n#define AXIS %d\n"
                          "#line 1\n", self->fp64 ? 1 : 0, outline ? 1 : 0, axis ? 1 : 0);
  sources[0] = header->str;
  sources[1] = fragment_source;
  fragment = fidac_render_compile_shader (GL_FRAGMENT_SHADER, "labels.frag.glsl", sources, 2,
                                          error);
  if (fragment == 0)
    return FALSE;

  p->program = fidac_render_link_program (vertex, fragment, &log);
  glDeleteShader (fragment);
  if (p->program == 0)
    {
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
  p->tables = glGetUniformLocation (p->program, "tables");
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
  self->fp64 = fidac_render_want_fp64 ();

  vertex_source = fidac_render_load_source ("labels.vert.glsl", error);
  if (vertex_source == NULL)
    return NULL;
  fragment_source = fidac_render_load_source ("labels.frag.glsl", error);
  if (fragment_source == NULL)
    return NULL;
  sources[0] = vertex_source;
  vertex = fidac_render_compile_shader (GL_VERTEX_SHADER, "labels.vert.glsl", sources, 1,
                                        error);
  if (vertex == 0)
    return NULL;
  self->axis = g_getenv ("FIDAC_RENDER_NO_AXIS") == NULL;
  ok = TRUE;
  for (gint axis = 0; axis < 2 && ok; axis++)
    for (gint outline = 0; outline < 2 && ok; outline++)
      ok = build_program (self, vertex, fragment_source, axis, outline, error);
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

  for (guint a = 0; a < 2; a++)
    for (guint i = 0; i < 2; i++)
      if (self->programs[a][i].program != 0)
        glDeleteProgram (self->programs[a][i].program);
  if (self->tables != 0)
    glDeleteTextures (1, &self->tables);
  g_free (self->table_data);
  if (self->vertex_array != 0)
    glDeleteVertexArrays (1, &self->vertex_array);
  fidac_render_target_clear (&self->target);
  g_free (self);
}

gboolean
fidac_label_overlay_get_double_precision (FidacLabelOverlay *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->fp64;
}

void
fidac_label_overlay_set_axis_path (FidacLabelOverlay *self,
                                   gboolean           enabled)
{
  g_return_if_fail (self != NULL);

  self->axis = enabled;
}

gboolean
fidac_label_overlay_get_last_draw_axis (FidacLabelOverlay *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->last_axis;
}

/* fidac_label_reslice()'s nearest voxel on one axis, OUTSIDE where it finds the sample
 * outside. */
static inline gint32
nearest_index (gdouble p,
               gint    n)
{
  if (p < -0.5 || p >= n - 0.5)
    return OUTSIDE;
  return (gint32) (p + 0.5);
}

/* The axis path's tables, when every voxel axis depends on the screen column only, on the
 * row only or on neither. fidac_label_reslice() computes ((origin + x du) + y dv) per axis;
 * where du or dv is an exact zero, its product is a zero and adding it changes nothing, so
 * the coordinate is origin + x du (origin + y dv, origin) bit for bit, and the tables below
 * hold exactly the CPU's voxels. A tiny nonzero cross term takes the general path. */
static gboolean
build_tables (FidacLabelOverlay  *self,
              const FidacPlane   *plane,
              const FidacVolume  *volume,
              const gdouble       m[16])
{
  gint width = MAX (plane->width, plane->height) + 2;
  const gint size[5] = {
    plane->width, plane->height, volume->dims[0], volume->dims[1], volume->dims[2],
  };

  for (gint c = 0; c < 3; c++)
    if (m[c * 4 + 0] != 0.0 && m[c * 4 + 1] != 0.0)
      return FALSE;

  if (self->tables_valid && memcmp (self->table_matrix, m, sizeof self->table_matrix) == 0 &&
      memcmp (self->table_size, size, sizeof size) == 0)
    {
      glBindTexture (GL_TEXTURE_2D, self->tables);
      return TRUE;
    }

  if (width > self->table_width)
    {
      g_free (self->table_data);
      self->table_data = g_new (gint32, (gsize) width * 2 * 4);
      self->table_width = width;
    }
  memset (self->table_data, 0, sizeof (gint32) * self->table_width * 2 * 4);
  for (gint c = 0; c < 3; c++)
    {
      const gdouble origin = m[c * 4 + 3], du = m[c * 4 + 0], dv = m[c * 4 + 1];
      const gint n = volume->dims[c];
      gint32 *columns = self->table_data;
      gint32 *rows = self->table_data + (gsize) self->table_width * 4;

      if (du != 0.0)
        for (gint u = -1; u <= plane->width; u++)
          columns[(u + 1) * 4 + c] = nearest_index (origin + du * (u + 0.5), n);
      else if (dv != 0.0)
        for (gint v = -1; v <= plane->height; v++)
          rows[(v + 1) * 4 + c] = nearest_index (origin + dv * (v + 0.5), n);
      else
        for (gint u = -1; u <= plane->width; u++)
          columns[(u + 1) * 4 + c] = nearest_index (origin, n);
    }

  if (self->tables == 0)
    {
      glGenTextures (1, &self->tables);
      glBindTexture (GL_TEXTURE_2D, self->tables);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_BASE_LEVEL, 0);
      glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, 0);
    }
  else
    glBindTexture (GL_TEXTURE_2D, self->tables);
  glTexImage2D (GL_TEXTURE_2D, 0, GL_RGBA32I, self->table_width, 2, 0, GL_RGBA_INTEGER, GL_INT,
                self->table_data);
  memcpy (self->table_matrix, m, sizeof self->table_matrix);
  memcpy (self->table_size, size, sizeof size);
  self->tables_valid = TRUE;
  return TRUE;
}

gsize
fidac_label_overlay_get_last_pixels (FidacLabelOverlay *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->last_pixels;
}

/* The part of the viewport (framebuffer x, y, width, height) outside which no pixel can
 * show a label; FALSE when none can. A pixel is coloured only when its own sample p lies
 * in a labelled voxel, so p lies in the box of the labelled voxels (their cells, ±0.5) of
 * the slices the plane crosses, and the pixel's screen point in the projection of that
 * box's corners: the plane maps screen points to voxels affinely, and back. Two pixels of
 * margin absorb rounding. */
static gboolean
label_rect (FidacGLLabels     *labels,
            const FidacPlane  *plane,
            const gdouble      m[16],
            gint               rect[4])
{
  const gint w = plane->width, h = plane->height;
  gdouble kmin = G_MAXDOUBLE, kmax = -G_MAXDOUBLE;
  gdouble xmin = G_MAXDOUBLE, xmax = -G_MAXDOUBLE, ymin = G_MAXDOUBLE, ymax = -G_MAXDOUBLE;
  gdouble inverse[16];
  gint box[6], u0, u1, v0, v1;

  for (gint c = 0; c < 4; c++)
    {
      gdouble x = (c & 1) ? w : 0.0, y = (c & 2) ? h : 0.0;
      gdouble k = m[8] * x + m[9] * y + m[11];

      kmin = MIN (kmin, k);
      kmax = MAX (kmax, k);
    }
  /* Clamped before the conversion: a plane far from the grid has coordinates no integer
   * holds, and no slice. */
  kmin = CLAMP (kmin, -4.0, 1e8);
  kmax = CLAMP (kmax, -4.0, 1e8);
  if (!fidac_gl_labels_get_box (labels, (gint) floor (kmin + 0.5) - 1,
                                (gint) floor (kmax + 0.5) + 1, box))
    return FALSE;

  if (!fidac_mat4_invert (m, inverse))
    {
      rect[0] = rect[1] = 0;
      rect[2] = w;
      rect[3] = h;
      return TRUE;
    }
  for (gint c = 0; c < 8; c++)
    {
      const gdouble voxel[3] = {
        (c & 1) ? box[1] + 0.5 : box[0] - 0.5,
        (c & 2) ? box[3] + 0.5 : box[2] - 0.5,
        (c & 4) ? box[5] + 0.5 : box[4] - 0.5,
      };
      gdouble screen[3];

      fidac_mat4_apply_point (inverse, voxel, screen);
      xmin = MIN (xmin, screen[0]);
      xmax = MAX (xmax, screen[0]);
      ymin = MIN (ymin, screen[1]);
      ymax = MAX (ymax, screen[1]);
    }
  /* Pixel u is at x = u + 0.5. */
  u0 = (gint) CLAMP (floor (xmin) - 2.0, 0.0, (gdouble) w);
  u1 = (gint) CLAMP (ceil (xmax) + 2.0, 0.0, (gdouble) w);
  v0 = (gint) CLAMP (floor (ymin) - 2.0, 0.0, (gdouble) h);
  v1 = (gint) CLAMP (ceil (ymax) + 2.0, 0.0, (gdouble) h);
  if (u0 >= u1 || v0 >= v1)
    return FALSE;
  /* Screen row v is framebuffer row h - 1 - v. */
  rect[0] = u0;
  rect[1] = h - v1;
  rect[2] = u1 - u0;
  rect[3] = v1 - v0;
  return TRUE;
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
  FidacRenderState saved;
  GLint old_texture = 0, old_texture_1 = 0, old_scissor[4] = { 0 };
  gint rect[4];
  gboolean axis;
  GLint old_src_rgb = 0, old_dst_rgb = 0, old_src_alpha = 0, old_dst_alpha = 0;
  GLint old_equation_rgb = 0, old_equation_alpha = 0;
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
  self->last_pixels = 0;
  if (!label_rect (labels, plane, m, rect))
    {
      self->last_axis = FALSE;
      return TRUE;
    }

  fidac_render_clear_errors ();
  fidac_render_state_save (&saved);

  /* The tables on unit 1, sent with the caller's unpacking state set aside. */
  glActiveTexture (GL_TEXTURE1);
  glGetIntegerv (GL_TEXTURE_BINDING_2D, &old_texture_1);
  axis = FALSE;
  if (self->axis)
    {
      FidacRenderUnpack unpack;

      fidac_render_unpack_begin (&unpack, 4);
      axis = build_tables (self, plane, volume, m);
      fidac_render_unpack_end (&unpack);
    }
  p = &self->programs[axis ? 1 : 0][style->mode == FIDAC_OVERLAY_OUTLINE ? 1 : 0];

  glGetIntegerv (GL_BLEND_SRC_RGB, &old_src_rgb);
  glGetIntegerv (GL_BLEND_DST_RGB, &old_dst_rgb);
  glGetIntegerv (GL_BLEND_SRC_ALPHA, &old_src_alpha);
  glGetIntegerv (GL_BLEND_DST_ALPHA, &old_dst_alpha);
  glGetIntegerv (GL_BLEND_EQUATION_RGB, &old_equation_rgb);
  glGetIntegerv (GL_BLEND_EQUATION_ALPHA, &old_equation_alpha);
  glGetIntegerv (GL_SCISSOR_BOX, old_scissor);

  glUseProgram (p->program);
  glUniform1i (p->labels, 0);
  glUniform1i (p->tables, 1);
  glUniform3i (p->dims, volume->dims[0], volume->dims[1], volume->dims[2]);
  fidac_render_set_plane_uniforms (self->fp64, p->origin, p->du, p->dv, m);
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
  glEnable (GL_SCISSOR_TEST);
  glScissor (rect[0], rect[1], rect[2], rect[3]);
  glViewport (0, 0, plane->width, plane->height);

  glDrawArrays (GL_TRIANGLES, 0, 3);

  glBindTexture (GL_TEXTURE_2D_ARRAY, old_texture);
  glActiveTexture (GL_TEXTURE1);
  glBindTexture (GL_TEXTURE_2D, old_texture_1);
  glBlendEquationSeparate (old_equation_rgb, old_equation_alpha);
  glBlendFuncSeparate (old_src_rgb, old_dst_rgb, old_src_alpha, old_dst_alpha);
  glScissor (old_scissor[0], old_scissor[1], old_scissor[2], old_scissor[3]);
  fidac_render_state_restore (&saved);

  code = glGetError ();
  if (code != GL_NO_ERROR)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                   /* TRANSLATORS: %s is an OpenGL error name such as GL_INVALID_OPERATION */
                   _("Drawing the label overlay failed (%s)"), fidac_render_gl_error_name (code));
      return FALSE;
    }
  self->last_axis = axis;
  self->last_pixels = (gsize) rect[2] * rect[3];
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
  FidacRenderBinding saved;
  GLenum status;
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

  fidac_render_binding_save (&saved);
  status = fidac_render_target_ensure (&self->target, GL_RGBA8, w, h);
  if (status != GL_FRAMEBUFFER_COMPLETE)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                   /* TRANSLATORS: image width × height in pixels, then a status code */
                   _("The graphics driver cannot draw a %d × %d colour image (status 0x%x)"),
                   w, h, status);
      ok = FALSE;
    }
  else
    ok = fidac_mpr_renderer_draw (renderer, volume, params, error) &&
         (labels == NULL || fidac_label_overlay_draw (self, labels, params, style, error)) &&
         fidac_render_read_pixels (w, h, GL_RGBA, 4, out, error);
  fidac_render_binding_restore (&saved);
  return ok;
}
