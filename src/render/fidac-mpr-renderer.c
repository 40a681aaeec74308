/* fidac-mpr-renderer.c: the MPR pass, one fragment per screen pixel.
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
#include "fidac-window-level.h"

/* Thin plane, then the three slab modes in FidacSlabMode order. */
#define N_SLAB_VARIANTS 4
#define N_INTERPOLATIONS 2
/* The general program, then one axis-aligned program (AXIS in mpr.frag.glsl) per column
 * and row axis: 1 + 3 column + row. */
#define N_PATHS 10

/* What decides the coordinate along each volume axis on the axis-aligned path (see
 * plan_axes()). */
typedef enum {
  OWNER_COLUMN,
  OWNER_ROW,
  OWNER_SLAB,
  N_OWNERS
} Owner;

typedef struct {
  GLuint program;
  GLint  volume;
  GLint  dims;
  GLint  inv_size;
  GLint  origin;
  GLint  du;
  GLint  dv;
  GLint  slab_step;
  GLint  half_samples;
  GLint  height;
  GLint  level_lo;
  GLint  scale;
  GLint  offset;
  GLint  rounding;
  GLint  gray_base;
  GLint  gray_sign;
  GLint  axis_origin;
  GLint  axis_step;
  GLint  plane_nearest;
} Program;

struct _FidacMprRenderer {
  GLuint   vertex_array;
  GLuint   vertex_shader;
  gchar   *fragment_source;
  gboolean fp64;
  gboolean gather;
  /* Whether axis-aligned planes may take their own path (FIDAC_RENDER_NO_AXIS: never). */
  gboolean axis;
  FidacMprPath last_path;
  /* Compiled on first use: most sessions never draw a slab. */
  Program  programs[N_PATHS][N_INTERPOLATIONS][N_SLAB_VARIANTS];
  /* The offscreen target of read_gray. */
  FidacRenderTarget target;
};

static gboolean ensure_program (FidacMprRenderer   *self,
                                const gint         *axes,
                                FidacInterpolation  interpolation,
                                gint                slab,
                                Program           **out,
                                GError            **error);

FidacMprRenderer *
fidac_mpr_renderer_new (GError **error)
{
  g_autoptr(FidacMprRenderer) self = NULL;
  g_autofree gchar *vertex_source = NULL;
  const gchar *sources[1];
  Program *common;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!fidac_render_check_context (error))
    return NULL;

  self = g_new0 (FidacMprRenderer, 1);
  self->fp64 = fidac_render_want_fp64 ();
  self->gather = epoxy_gl_version () >= 40 || epoxy_has_gl_extension ("GL_ARB_texture_gather");
  /* For tests and measurements of the OpenGL 3.3 paths on a newer driver. */
  if (g_getenv ("FIDAC_RENDER_NO_GATHER") != NULL)
    self->gather = FALSE;
  self->axis = g_getenv ("FIDAC_RENDER_NO_AXIS") == NULL;
  vertex_source = fidac_render_load_source ("mpr.vert.glsl", error);
  if (vertex_source == NULL)
    return NULL;
  self->fragment_source = fidac_render_load_source ("mpr.frag.glsl", error);
  if (self->fragment_source == NULL)
    return NULL;

  sources[0] = vertex_source;
  self->vertex_shader = fidac_render_compile_shader (GL_VERTEX_SHADER, "mpr.vert.glsl",
                                                     sources, 1, error);
  if (self->vertex_shader == 0)
    return NULL;
  /* Core profiles draw nothing without a vertex array, even an empty one. */
  glGenVertexArrays (1, &self->vertex_array);

  /* The common variant now, so that a broken driver is known before the first frame. */
  if (!ensure_program (self, NULL, FIDAC_INTERPOLATION_LINEAR, 0, &common, error))
    return NULL;
  return g_steal_pointer (&self);
}

static gboolean
ensure_program (FidacMprRenderer   *self,
                const gint         *axes,
                FidacInterpolation  interpolation,
                gint                slab,
                Program           **out,
                GError            **error)
{
  gint path = axes ? 1 + 3 * axes[OWNER_COLUMN] + axes[OWNER_ROW] : 0;
  Program *p = &self->programs[path][interpolation][slab];
  g_autoptr(GString) header = NULL;
  g_autofree gchar *defines = NULL;
  const gchar *sources[2];
  g_autofree gchar *log = NULL;
  GLuint fragment;

  if (p->program != 0)
    {
      *out = p;
      return TRUE;
    }
  header = fidac_render_shader_header (self->fp64, self->gather);
  g_string_append_printf (header, "#define FP64 %d\n#define GATHER %d\n#define LINEAR %d\n"
                          "#define SLAB %d\n#define AXIS %d\n", self->fp64 ? 1 : 0,
                          self->gather ? 1 : 0,
                          interpolation == FIDAC_INTERPOLATION_LINEAR ? 1 : 0, slab,
                          axes ? 1 : 0);
  if (axes)
    g_string_append_printf (header, "#define COLUMN_AXIS %d\n#define ROW_AXIS %d\n"
                            "#define SAMPLE_AXIS %d\n", axes[OWNER_COLUMN], axes[OWNER_ROW],
                            axes[OWNER_SLAB]);
  g_string_append (header, "#line 1\n");
  defines = g_string_free (g_steal_pointer (&header), FALSE);
  sources[0] = defines;
  sources[1] = self->fragment_source;
  fragment = fidac_render_compile_shader (GL_FRAGMENT_SHADER, "mpr.frag.glsl", sources, 2,
                                          error);
  if (fragment == 0)
    return FALSE;

  p->program = fidac_render_link_program (self->vertex_shader, fragment, &log);
  glDeleteShader (fragment);
  if (p->program == 0)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_SHADER,
                   /* TRANSLATORS: %s is the driver's linker log */
                   _("The graphics driver could not link the image program: %s"), log);
      return FALSE;
    }

  p->volume = glGetUniformLocation (p->program, "volume");
  p->dims = glGetUniformLocation (p->program, "dims");
  p->inv_size = glGetUniformLocation (p->program, "inv_size");
  p->origin = glGetUniformLocation (p->program, "origin");
  p->du = glGetUniformLocation (p->program, "du");
  p->dv = glGetUniformLocation (p->program, "dv");
  p->slab_step = glGetUniformLocation (p->program, "slab_step");
  p->half_samples = glGetUniformLocation (p->program, "half_samples");
  p->height = glGetUniformLocation (p->program, "height");
  p->level_lo = glGetUniformLocation (p->program, "level_lo");
  p->scale = glGetUniformLocation (p->program, "scale");
  p->offset = glGetUniformLocation (p->program, "offset");
  p->rounding = glGetUniformLocation (p->program, "rounding");
  p->gray_base = glGetUniformLocation (p->program, "gray_base");
  p->gray_sign = glGetUniformLocation (p->program, "gray_sign");
  p->axis_origin = glGetUniformLocation (p->program, "axis_origin");
  p->axis_step = glGetUniformLocation (p->program, "axis_step");
  p->plane_nearest = glGetUniformLocation (p->program, "plane_nearest");
  *out = p;
  return TRUE;
}

gboolean
fidac_mpr_renderer_get_double_precision (FidacMprRenderer *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->fp64;
}

void
fidac_mpr_renderer_free (FidacMprRenderer *self)
{
  if (self == NULL)
    return;

  for (gint a = 0; a < N_PATHS; a++)
    for (gint i = 0; i < N_INTERPOLATIONS; i++)
      for (gint s = 0; s < N_SLAB_VARIANTS; s++)
        if (self->programs[a][i][s].program != 0)
          glDeleteProgram (self->programs[a][i][s].program);
  if (self->vertex_shader != 0)
    glDeleteShader (self->vertex_shader);
  if (self->vertex_array != 0)
    glDeleteVertexArrays (1, &self->vertex_array);
  fidac_render_target_clear (&self->target);
  g_free (self->fragment_source);
  g_free (self);
}

void
fidac_mpr_params_init (FidacMprParams *params)
{
  g_return_if_fail (params != NULL);

  memset (params, 0, sizeof *params);
  fidac_reslice_options_init (&params->reslice);
  /* The lung window, as fidac_mpr_new() starts. */
  params->window_width = FIDAC_WINDOW_LUNG_WIDTH;
  params->window_level = FIDAC_WINDOW_LUNG_LEVEL;
}

/* Whether fidac_window_level_map() rounds its grey levels to the nearest or truncates them,
 * asked of the function itself so that the shader can never drift from the CPU: with width
 * 256 and level 0.5, HU 0 falls exactly on 127.5. */
static gfloat
window_rounding (void)
{
  return fidac_window_level_map (0.0, 256.0, 0.5) == 128 ? 0.5f : 0.0f;
}

static gboolean
check_params (FidacGLVolume        *volume,
              const FidacMprParams *params,
              GError              **error)
{
  if (!fidac_plane_validate (&params->plane, error))
    return FALSE;
  if (fidac_gl_volume_get_texture (volume) == 0)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                   _("The volume texture was already released"));
      return FALSE;
    }
  if (params->reslice.interpolation != FIDAC_INTERPOLATION_NEAREST &&
      params->reslice.interpolation != FIDAC_INTERPOLATION_LINEAR)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                   _("Unknown interpolation %d"), (gint) params->reslice.interpolation);
      return FALSE;
    }
  if (params->reslice.slab_mode != FIDAC_SLAB_AVERAGE &&
      params->reslice.slab_mode != FIDAC_SLAB_MIP &&
      params->reslice.slab_mode != FIDAC_SLAB_MINIP)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                   _("Unknown slab mode %d"), (gint) params->reslice.slab_mode);
      return FALSE;
    }
  return TRUE;
}

/* Which volume axis follows the screen column, the screen row and the slab sample, for the
 * axis-aligned path.
 *
 * fidac_reslice() computes a sample at ((origin + x du) + y dv) + s slab_step. Where du, dv
 * and slab_step each have one nonzero component, on three different volume axes (the
 * standard views of a series that is not oblique: the other matrix entries are products of
 * exact zeros), every other term of an axis is an exact zero and adding it changes nothing:
 * the coordinate along the axis of du is origin + x du bit for bit, and so on. Anything else,
 * even a tiny nonzero cross term, takes the general path. */
static gboolean
plan_axes (const gdouble  m[16],
           const gdouble  slab_step[3],
           gint           n_samples,
           gint           axes[N_OWNERS])
{
  gint found[N_OWNERS] = { 0 };

  for (gint c = 0; c < 3; c++)
    {
      gboolean along_x = m[c * 4 + 0] != 0.0;
      gboolean along_y = m[c * 4 + 1] != 0.0;
      /* A thin plane adds no slab term at all. */
      gboolean along_s = n_samples > 1 && slab_step[c] != 0.0;
      Owner owner = along_x ? OWNER_COLUMN : along_y ? OWNER_ROW : OWNER_SLAB;

      if (along_x + along_y + along_s > 1)
        return FALSE;
      axes[owner] = c;
      found[owner]++;
    }
  return found[OWNER_COLUMN] == 1 && found[OWNER_ROW] == 1 && found[OWNER_SLAB] == 1;
}

FidacMprPath
fidac_mpr_renderer_get_last_path (FidacMprRenderer *self)
{
  g_return_val_if_fail (self != NULL, FIDAC_MPR_PATH_NONE);

  return self->last_path;
}

gboolean
fidac_mpr_renderer_draw (FidacMprRenderer      *self,
                         FidacGLVolume         *volume,
                         const FidacMprParams  *params,
                         GError               **error)
{
  FidacVolume *cpu;
  const FidacPlane *plane;
  Program *p;
  gdouble m[16], spacing, width, slab_step[3];
  gint n_samples, slab;
  gint axes[N_OWNERS];
  gboolean axis;
  FidacRenderState saved;
  GLint old_texture = 0;
  GLenum code;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (volume != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_params (volume, params, error))
    return FALSE;
  cpu = fidac_gl_volume_get_volume (volume);
  plane = &params->plane;
  n_samples = fidac_reslice_slab_samples (cpu, &params->reslice);
  slab = n_samples > 1 ? 1 + (gint) params->reslice.slab_mode : 0;

  /* The same matrix fidac_reslice() steps through; the shader computes origin + x du + y dv
   * in double where it can (see mpr.frag.glsl). */
  fidac_plane_get_screen_to_voxel (plane, cpu, m);
  spacing = MIN (cpu->spacing[0], MIN (cpu->spacing[1], cpu->spacing[2]));
  for (gint c = 0; c < 3; c++)
    slab_step[c] = m[c * 4 + 2] * spacing;
  /* Only with positions in double: the general program in float rounds the same sums in
   * its own way, and this one would not be that program less its zeros. */
  axis = self->axis && self->fp64 && plan_axes (m, slab_step, n_samples, axes);

  if (!ensure_program (self, axis ? axes : NULL, params->reslice.interpolation, slab, &p,
                       error))
    return FALSE;

  fidac_render_clear_errors ();
  fidac_render_state_save (&saved);

  width = MAX (params->window_width, 1.0);

  glUseProgram (p->program);
  glUniform1i (p->volume, 0);
  glUniform3i (p->dims, cpu->dims[0], cpu->dims[1], cpu->dims[2]);
  glUniform2f (p->inv_size, 1.0f / cpu->dims[0], 1.0f / cpu->dims[1]);
  fidac_render_set_plane_uniforms (self->fp64, p->origin, p->du, p->dv, m);
  if (self->fp64)
    glUniform3d (p->slab_step, slab_step[0], slab_step[1], slab_step[2]);
  else
    glUniform3f (p->slab_step, (gfloat) slab_step[0], (gfloat) slab_step[1],
                 (gfloat) slab_step[2]);
  glUniform1i (p->half_samples, n_samples / 2);
  glUniform1f (p->height, (gfloat) plane->height);
  glUniform1f (p->level_lo, (gfloat) (params->window_level - 0.5));
  if (width > 1.0)
    {
      glUniform1f (p->scale, (gfloat) (255.0 / (width - 1.0)));
      glUniform1f (p->offset, 127.5f);
    }
  else
    {
      /* A threshold: any HU at or above level - 0.5 is white. The scale takes the smallest
       * float difference of two HU (1e-4) far below 0, and the largest (1e5) stays finite. */
      glUniform1f (p->scale, 1e30f);
      glUniform1f (p->offset, 255.0f);
    }
  glUniform1f (p->rounding, window_rounding ());
  glUniform1f (p->gray_base, params->invert ? 255.0f : 0.0f);
  glUniform1f (p->gray_sign, params->invert ? -1.0f : 1.0f);
  if (axis)
    {
      glUniform3d (p->axis_origin, m[axes[OWNER_COLUMN] * 4 + 3], m[axes[OWNER_ROW] * 4 + 3],
                   m[axes[OWNER_SLAB] * 4 + 3]);
      glUniform3d (p->axis_step, m[axes[OWNER_COLUMN] * 4 + 0], m[axes[OWNER_ROW] * 4 + 1],
                   slab_step[axes[OWNER_SLAB]]);
      {
        /* The shader's floor (p + 0.5) in double, made once; clamped into int range, where
         * it is outside all the same. */
        gdouble k = floor (m[axes[OWNER_SLAB] * 4 + 3] + 0.5);

        glUniform1i (p->plane_nearest, (GLint) CLAMP (k, -1.0, (gdouble) G_MAXINT32));
      }
    }

  glActiveTexture (GL_TEXTURE0);
  glGetIntegerv (GL_TEXTURE_BINDING_2D_ARRAY, &old_texture);
  glBindTexture (GL_TEXTURE_2D_ARRAY, fidac_gl_volume_get_texture (volume));
  glBindVertexArray (self->vertex_array);
  glDisable (GL_BLEND);
  glDisable (GL_DEPTH_TEST);
  glDisable (GL_SCISSOR_TEST);
  glViewport (0, 0, plane->width, plane->height);

  glDrawArrays (GL_TRIANGLES, 0, 3);

  glBindTexture (GL_TEXTURE_2D_ARRAY, old_texture);
  fidac_render_state_restore (&saved);

  code = glGetError ();
  if (code != GL_NO_ERROR)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                   /* TRANSLATORS: %s is an OpenGL error name such as GL_INVALID_OPERATION */
                   _("Drawing the image failed (%s)"), fidac_render_gl_error_name (code));
      return FALSE;
    }
  self->last_path = axis ? FIDAC_MPR_PATH_AXIS : FIDAC_MPR_PATH_GENERAL;
  return TRUE;
}

static gboolean
ensure_target (FidacMprRenderer *self,
               gint              width,
               gint              height,
               GError          **error)
{
  GLenum status = fidac_render_target_ensure (&self->target, GL_R8, width, height);

  if (status != GL_FRAMEBUFFER_COMPLETE)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                   /* TRANSLATORS: image width × height in pixels, then a status code */
                   _("The graphics driver cannot draw a %d × %d grey image (status 0x%x)"),
                   width, height, status);
      return FALSE;
    }
  return TRUE;
}

gboolean
fidac_mpr_renderer_read_gray (FidacMprRenderer      *self,
                              FidacGLVolume         *volume,
                              const FidacMprParams  *params,
                              guint8                *out,
                              GError               **error)
{
  FidacRenderBinding saved;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (volume != NULL, FALSE);
  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_params (volume, params, error))
    return FALSE;

  fidac_render_binding_save (&saved);
  ok = ensure_target (self, params->plane.width, params->plane.height, error) &&
       fidac_mpr_renderer_draw (self, volume, params, error) &&
       fidac_render_read_pixels (params->plane.width, params->plane.height, GL_RED, 1, out,
                                 error);
  fidac_render_binding_restore (&saved);
  return ok;
}
