/* fidac-gl-labels.c: the label map as one 8-bit integer texture, a layer per slice, updated
 * slice by slice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-render"

#include "config.h"

#include <string.h>

#include <epoxy/gl.h>
#include <glib/gi18n-lib.h>

#include "fidac-render.h"
#include "fidac-render-private.h"

struct _FidacGLLabels {
  gint         ref_count;
  FidacVolume *volume;          /* the geometry the overlay samples through */
  gint         dims[3];
  GLuint       texture;         /* 0 once released */
  gint         last_update_slices;
  /* Per slice, the box of its labelled voxels: i0, i1, j0, j1 (i0 > i1 when the slice is
   * empty), so that the overlay draws only where labels can be. */
  gint        *boxes;
};

/* The box of the labelled voxels of slice k of `map` into `box`. Rows are tested eight
 * bytes at a time: most of a slice is empty. */
static void
scan_slice (const FidacLabelMap *map,
            gint                 k,
            gint                 box[4])
{
  const gint nx = map->dims[0], ny = map->dims[1];

  box[0] = nx;
  box[1] = -1;
  box[2] = ny;
  box[3] = -1;
  for (gint j = 0; j < ny; j++)
    {
      const guint8 *row = map->labels + fidac_label_map_index (map, 0, j, k);
      gint i = 0, first = -1, last = -1;

      for (; i + 8 <= nx; i += 8)
        {
          guint64 word;

          memcpy (&word, row + i, sizeof word);
          if (word != 0)
            break;
        }
      for (; i < nx; i++)
        if (row[i] != 0)
          {
            first = i;
            break;
          }
      if (first < 0)
        continue;
      for (gint r = nx - 1; r >= first; r--)
        if (row[r] != 0)
          {
            last = r;
            break;
          }
      box[0] = MIN (box[0], first);
      box[1] = MAX (box[1], last);
      box[2] = MIN (box[2], j);
      box[3] = MAX (box[3], j);
    }
}

gboolean
fidac_gl_labels_get_box (FidacGLLabels *self,
                         gint           k0,
                         gint           k1,
                         gint           box[6])
{
  g_return_val_if_fail (self != NULL, FALSE);

  box[0] = box[2] = box[4] = G_MAXINT;
  box[1] = box[3] = box[5] = G_MININT;
  k0 = MAX (k0, 0);
  k1 = MIN (k1, self->dims[2] - 1);
  for (gint k = k0; k <= k1; k++)
    {
      const gint *b = self->boxes + 4 * k;

      if (b[0] > b[1])
        continue;
      box[0] = MIN (box[0], b[0]);
      box[1] = MAX (box[1], b[1]);
      box[2] = MIN (box[2], b[2]);
      box[3] = MAX (box[3], b[3]);
      box[4] = MIN (box[4], k);
      box[5] = MAX (box[5], k);
    }
  return box[0] <= box[1];
}

static gboolean
check_map (const gint           dims[3],
           const FidacLabelMap *map,
           GError             **error)
{
  if (map->dims[0] != dims[0] || map->dims[1] != dims[1] || map->dims[2] != dims[2])
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                   /* TRANSLATORS: two grids of columns × rows × slices */
                   _("The label map (%d × %d × %d) is not on the volume's grid (%d × %d × %d)"),
                   map->dims[0], map->dims[1], map->dims[2], dims[0], dims[1], dims[2]);
      return FALSE;
    }
  return TRUE;
}

FidacGLLabels *
fidac_gl_labels_new (FidacVolume         *volume,
                     const FidacLabelMap *map,
                     GError             **error)
{
  g_autoptr(FidacGLLabels) self = NULL;
  gint max_size = 0, max_layers = 0;
  FidacRenderUnpack saved;
  GLenum code;

  g_return_val_if_fail (volume != NULL, NULL);
  g_return_val_if_fail (map != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!fidac_render_check_context (error))
    return NULL;
  if (!check_map (volume->dims, map, error))
    return NULL;
  fidac_render_clear_errors ();

  if (!fidac_render_array_fits (map->dims, &max_size, &max_layers))
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_TOO_LARGE,
                   /* TRANSLATORS: the volume's columns × rows × slices, then the largest
                    * slice (width × height) and the most slices the graphics driver takes */
                   _("The label map (%d × %d × %d voxels) is too large for the graphics "
                     "driver, which takes slices of at most %d × %d pixels and at most %d "
                     "slices"),
                   map->dims[0], map->dims[1], map->dims[2], max_size, max_size, max_layers);
      return NULL;
    }

  self = g_new0 (FidacGLLabels, 1);
  self->ref_count = 1;
  self->volume = fidac_volume_ref (volume);
  memcpy (self->dims, map->dims, sizeof self->dims);

  /* Rows of bytes are not padded to 4. */
  fidac_render_unpack_begin (&saved, 1);
  /* Fetched, never filtered: a label is a class, not a quantity. */
  self->texture = fidac_render_array_texture_new ();
  glTexImage3D (GL_TEXTURE_2D_ARRAY, 0, GL_R8UI, map->dims[0], map->dims[1], map->dims[2], 0,
                GL_RED_INTEGER, GL_UNSIGNED_BYTE, map->labels);
  code = glGetError ();
  fidac_render_unpack_end (&saved);

  if (code == GL_OUT_OF_MEMORY)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_TOO_LARGE,
                   /* TRANSLATORS: the volume's columns × rows × slices, then megabytes */
                   _("The graphics driver has no memory left for the label map "
                     "(%d × %d × %d voxels, %.0f MB)"),
                   map->dims[0], map->dims[1], map->dims[2],
                   (gdouble) map->dims[0] * map->dims[1] * map->dims[2] / 1e6);
      return NULL;
    }
  if (code != GL_NO_ERROR)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                   /* TRANSLATORS: %s is an OpenGL error name such as GL_INVALID_VALUE */
                   _("The graphics driver refused the label texture (%s)"),
                   fidac_render_gl_error_name (code));
      return NULL;
    }
  self->last_update_slices = map->dims[2];
  self->boxes = g_new (gint, 4 * (gsize) map->dims[2]);
  for (gint k = 0; k < map->dims[2]; k++)
    scan_slice (map, k, self->boxes + 4 * k);
  return g_steal_pointer (&self);
}

gboolean
fidac_gl_labels_update (FidacGLLabels       *self,
                        const FidacLabelMap *map,
                        gint                 k0,
                        gint                 k1,
                        GError             **error)
{
  FidacRenderUnpack saved;
  GLenum code;
  gsize slice;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (map != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->texture == 0)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                   _("The label texture was already released"));
      return FALSE;
    }
  if (!check_map (self->dims, map, error))
    return FALSE;
  k0 = MAX (k0, 0);
  k1 = MIN (k1, self->dims[2] - 1);
  self->last_update_slices = 0;
  if (k0 > k1)
    return TRUE;

  fidac_render_clear_errors ();
  fidac_render_unpack_begin (&saved, 1);
  slice = (gsize) self->dims[0] * self->dims[1];
  glBindTexture (GL_TEXTURE_2D_ARRAY, self->texture);
  glTexSubImage3D (GL_TEXTURE_2D_ARRAY, 0, 0, 0, k0, self->dims[0], self->dims[1], k1 - k0 + 1,
                   GL_RED_INTEGER, GL_UNSIGNED_BYTE, map->labels + slice * k0);
  code = glGetError ();
  fidac_render_unpack_end (&saved);
  if (code != GL_NO_ERROR)
    {
      g_set_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                   /* TRANSLATORS: %s is an OpenGL error name such as GL_INVALID_VALUE */
                   _("Updating the label texture failed (%s)"), fidac_render_gl_error_name (code));
      return FALSE;
    }
  self->last_update_slices = k1 - k0 + 1;
  for (gint k = k0; k <= k1; k++)
    scan_slice (map, k, self->boxes + 4 * k);
  return TRUE;
}

FidacGLLabels *
fidac_gl_labels_ref (FidacGLLabels *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
fidac_gl_labels_release (FidacGLLabels *self)
{
  g_return_if_fail (self != NULL);

  if (self->texture != 0)
    {
      glDeleteTextures (1, &self->texture);
      self->texture = 0;
    }
}

void
fidac_gl_labels_unref (FidacGLLabels *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_int_dec_and_test (&self->ref_count))
    return;
  fidac_gl_labels_release (self);
  fidac_volume_unref (self->volume);
  g_free (self->boxes);
  g_free (self);
}

FidacVolume *
fidac_gl_labels_get_volume (FidacGLLabels *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->volume;
}

guint
fidac_gl_labels_get_texture (FidacGLLabels *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->texture;
}

gint
fidac_gl_labels_get_last_update_slices (FidacGLLabels *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->last_update_slices;
}
