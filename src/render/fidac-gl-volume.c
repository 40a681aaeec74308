/* fidac-gl-volume.c: the CT volume as one 16-bit integer texture, a layer per slice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-render"

#include "config.h"

#include <epoxy/gl.h>
#include <glib/gi18n-lib.h>

#include "fidac-render.h"
#include "fidac-render-private.h"

struct _FidacGLVolume {
  gint         ref_count;
  FidacVolume *volume;          /* a reference: the one CPU copy */
  GLuint       texture;         /* 0 once released */
  gdouble      upload_seconds;
  gsize        texture_bytes;
};

G_DEFINE_QUARK (fidac-render-error-quark, fidac_render_error)

gboolean
fidac_render_check_context (GError **error)
{
  gint version;

  if (!epoxy_is_desktop_gl ())
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_UNSUPPORTED,
                   _("OpenGL ES is not supported by the image views; desktop OpenGL 3.3 is needed"));
      return FALSE;
    }
  version = epoxy_gl_version ();
  if (version < 33)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_UNSUPPORTED,
                   /* TRANSLATORS: an OpenGL version such as 3.1 */
                   _("OpenGL %d.%d is too old for the image views; version 3.3 is needed"),
                   version / 10, version % 10);
      return FALSE;
    }
  return TRUE;
}

const gchar *
fidac_render_gl_error_name (guint code)
{
  switch (code)
    {
    case GL_INVALID_ENUM: return "GL_INVALID_ENUM";
    case GL_INVALID_VALUE: return "GL_INVALID_VALUE";
    case GL_INVALID_OPERATION: return "GL_INVALID_OPERATION";
    case GL_INVALID_FRAMEBUFFER_OPERATION: return "GL_INVALID_FRAMEBUFFER_OPERATION";
    case GL_OUT_OF_MEMORY: return "GL_OUT_OF_MEMORY";
    default: return "unknown OpenGL error";
    }
}

void
fidac_render_clear_errors (void)
{
  /* Bounded: a lost context may report errors for ever. */
  for (gint i = 0; i < 16 && glGetError () != GL_NO_ERROR; i++)
    ;
}

static gboolean
check_size (const FidacVolume *volume,
            GError           **error)
{
  gint max_size = 0, max_layers = 0;
  GLint width = 0;

  if (!fidac_render_array_fits (volume->dims, &max_size, &max_layers))
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_TOO_LARGE,
                   /* TRANSLATORS: the volume's columns × rows × slices, then the largest
                    * slice (width × height) and the most slices the graphics driver takes */
                   _("The volume (%d × %d × %d voxels) is too large for the graphics driver, "
                     "which takes slices of at most %d × %d pixels and at most %d slices"),
                   volume->dims[0], volume->dims[1], volume->dims[2], max_size, max_size,
                   max_layers);
      return FALSE;
    }

  /* The proxy asks the driver whether it could hold this texture at all, before anything
   * is allocated. */
  glTexImage3D (GL_PROXY_TEXTURE_2D_ARRAY, 0, GL_R16I, volume->dims[0], volume->dims[1],
                volume->dims[2], 0, GL_RED_INTEGER, GL_SHORT, NULL);
  glGetTexLevelParameteriv (GL_PROXY_TEXTURE_2D_ARRAY, 0, GL_TEXTURE_WIDTH, &width);
  if (width == 0)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_TOO_LARGE,
                   /* TRANSLATORS: the volume's columns × rows × slices, then its size in
                    * megabytes */
                   _("The volume (%d × %d × %d voxels, %.0f MB) is too large for the graphics "
                     "driver"),
                   volume->dims[0], volume->dims[1], volume->dims[2],
                   fidac_volume_n_voxels (volume) * 2.0 / 1e6);
      return FALSE;
    }
  return TRUE;
}

FidacGLVolume *
fidac_gl_volume_new (FidacVolume *volume,
                     GError     **error)
{
  g_autoptr(FidacGLVolume) self = NULL;
  FidacRenderUnpack saved;
  gint64 start;
  GLenum code;

  g_return_val_if_fail (volume != NULL, NULL);
  g_return_val_if_fail (volume->voxels != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!fidac_render_check_context (error))
    return NULL;
  fidac_render_clear_errors ();
  if (!check_size (volume, error))
    return NULL;

  self = g_new0 (FidacGLVolume, 1);
  self->ref_count = 1;
  self->volume = fidac_volume_ref (volume);

  /* Whatever unpacking state the caller (GTK) left is put back afterwards; the voxels are
   * tightly packed int16. */
  fidac_render_unpack_begin (&saved, 2);
  /* Integer textures are never filtered: the shader fetches or gathers texels and
   * interpolates itself, exactly as the CPU reslicer does. A 2D array rather than a 3D
   * texture: textureGather() only exists for the former (a linear sample is then two gathers
   * instead of eight fetches). */
  self->texture = fidac_render_array_texture_new ();

  start = g_get_monotonic_time ();
  glTexImage3D (GL_TEXTURE_2D_ARRAY, 0, GL_R16I, volume->dims[0], volume->dims[1], volume->dims[2],
                0, GL_RED_INTEGER, GL_SHORT, volume->voxels);
  glFinish ();
  self->upload_seconds = (g_get_monotonic_time () - start) / (gdouble) G_USEC_PER_SEC;
  code = glGetError ();

  fidac_render_unpack_end (&saved);

  if (code == GL_OUT_OF_MEMORY)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_TOO_LARGE,
                   /* TRANSLATORS: the volume's columns × rows × slices, then megabytes */
                   _("The graphics driver has no memory left for the volume "
                     "(%d × %d × %d voxels, %.0f MB)"),
                   volume->dims[0], volume->dims[1], volume->dims[2],
                   fidac_volume_n_voxels (volume) * 2.0 / 1e6);
      return NULL;
    }
  if (code != GL_NO_ERROR)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                   /* TRANSLATORS: %s is an OpenGL error name such as GL_INVALID_VALUE */
                   _("The graphics driver refused the volume texture (%s)"),
                   fidac_render_gl_error_name (code));
      return NULL;
    }
  self->texture_bytes = fidac_volume_n_voxels (volume) * sizeof (gint16);
  return g_steal_pointer (&self);
}

FidacGLVolume *
fidac_gl_volume_ref (FidacGLVolume *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
fidac_gl_volume_release (FidacGLVolume *self)
{
  g_return_if_fail (self != NULL);

  if (self->texture != 0)
    {
      glDeleteTextures (1, &self->texture);
      self->texture = 0;
      self->texture_bytes = 0;
    }
}

void
fidac_gl_volume_unref (FidacGLVolume *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;
  fidac_gl_volume_release (self);
  fidac_volume_unref (self->volume);
  g_free (self);
}

FidacVolume *
fidac_gl_volume_get_volume (FidacGLVolume *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->volume;
}

guint
fidac_gl_volume_get_texture (FidacGLVolume *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->texture;
}

gdouble
fidac_gl_volume_get_upload_seconds (FidacGLVolume *self)
{
  g_return_val_if_fail (self != NULL, 0.0);

  return self->upload_seconds;
}

gsize
fidac_gl_volume_get_texture_bytes (FidacGLVolume *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->texture_bytes;
}
