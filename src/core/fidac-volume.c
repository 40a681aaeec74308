/* fidac-volume.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "fidac-volume.h"

G_DEFINE_QUARK (fidac-core-error-quark, fidac_core_error)

/* A slice count or matrix above this is certainly a corrupt header. */
#define MAX_DIM 65536

static void
window_preset_clear (gpointer data)
{
  FidacWindowPreset *preset = data;

  g_clear_pointer (&preset->explanation, g_free);
}

FidacVolume *
fidac_volume_new (gint     columns,
                  gint     rows,
                  gint     slices,
                  GError **error)
{
  g_autoptr(FidacVolume) volume = NULL;
  gsize n;

  if (columns <= 0 || rows <= 0 || slices <= 0 ||
      columns > MAX_DIM || rows > MAX_DIM || slices > MAX_DIM)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Invalid volume size %d × %d × %d"), columns, rows, slices);
      return NULL;
    }

  n = (gsize) columns * rows * slices;
  volume = g_new0 (FidacVolume, 1);
  volume->ref_count = 1;
  volume->dims[0] = columns;
  volume->dims[1] = rows;
  volume->dims[2] = slices;
  volume->voxels = g_try_new (gint16, n);
  if (volume->voxels == NULL)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Not enough memory for a volume of %d × %d × %d voxels"),
                   columns, rows, slices);
      return NULL;
    }
  volume->slice_uids = g_new0 (gchar *, slices + 1);
  volume->windows = g_array_new (FALSE, TRUE, sizeof (FidacWindowPreset));
  g_array_set_clear_func (volume->windows, window_preset_clear);
  volume->warnings = g_ptr_array_new_with_free_func (g_free);

  {
    const gdouble origin[3] = { 0, 0, 0 };
    const gdouble ax_i[3] = { 1, 0, 0 }, ax_j[3] = { 0, 1, 0 }, ax_k[3] = { 0, 0, 1 };
    const gdouble spacing[3] = { 1, 1, 1 };

    fidac_volume_set_geometry (volume, origin, ax_i, ax_j, ax_k, spacing, NULL);
  }

  return g_steal_pointer (&volume);
}

FidacVolume *
fidac_volume_ref (FidacVolume *volume)
{
  g_return_val_if_fail (volume != NULL, NULL);

  g_atomic_int_inc (&volume->ref_count);
  return volume;
}

void
fidac_volume_free (FidacVolume *volume)
{
  if (volume == NULL)
    return;
  if (!g_atomic_int_dec_and_test (&volume->ref_count))
    return;

  g_free (volume->voxels);
  if (volume->slice_uids != NULL)
    {
      for (gint k = 0; k < volume->dims[2]; k++)
        g_free (volume->slice_uids[k]);
      g_free (volume->slice_uids);
    }
  g_free (volume->series_uid);
  g_free (volume->study_uid);
  g_free (volume->frame_of_reference_uid);
  g_free (volume->modality);
  g_free (volume->series_description);
  g_free (volume->study_date);
  g_free (volume->patient_position);
  g_clear_pointer (&volume->windows, g_array_unref);
  g_clear_pointer (&volume->warnings, g_ptr_array_unref);
  g_free (volume);
}

gsize
fidac_volume_slice_voxels (const FidacVolume *volume)
{
  return (gsize) volume->dims[0] * volume->dims[1];
}

gsize
fidac_volume_n_voxels (const FidacVolume *volume)
{
  return fidac_volume_slice_voxels (volume) * volume->dims[2];
}

gboolean
fidac_volume_contains (const FidacVolume *volume,
                       gint               i,
                       gint               j,
                       gint               k)
{
  return i >= 0 && j >= 0 && k >= 0 &&
         i < volume->dims[0] && j < volume->dims[1] && k < volume->dims[2];
}

void
fidac_vec3_cross (const gdouble a[3],
                  const gdouble b[3],
                  gdouble       out[3])
{
  gdouble r[3] = {
    a[1] * b[2] - a[2] * b[1],
    a[2] * b[0] - a[0] * b[2],
    a[0] * b[1] - a[1] * b[0],
  };

  memcpy (out, r, sizeof r);
}

gdouble
fidac_vec3_dot (const gdouble a[3],
                const gdouble b[3])
{
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

gdouble
fidac_vec3_norm (const gdouble a[3])
{
  return sqrt (fidac_vec3_dot (a, a));
}

static gboolean
normalise (const gdouble in[3],
           gdouble       out[3])
{
  gdouble n = fidac_vec3_norm (in);

  if (!(n > 1e-6) || !isfinite (n))
    return FALSE;
  for (guint c = 0; c < 3; c++)
    out[c] = in[c] / n;
  return TRUE;
}

gboolean
fidac_volume_set_geometry (FidacVolume   *volume,
                           const gdouble  origin[3],
                           const gdouble  axis_i[3],
                           const gdouble  axis_j[3],
                           const gdouble  axis_k[3],
                           const gdouble  spacing[3],
                           GError       **error)
{
  gdouble a[3][3];
  gdouble normal[3];

  if (!normalise (axis_i, a[0]) || !normalise (axis_j, a[1]) || !normalise (axis_k, a[2]))
    {
      g_set_error_literal (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                           _("The image orientation has a zero-length direction"));
      return FALSE;
    }
  if (fabs (fidac_vec3_dot (a[0], a[1])) > 1e-3)
    {
      g_set_error_literal (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                           _("The image orientation's row and column directions are not perpendicular"));
      return FALSE;
    }
  fidac_vec3_cross (a[0], a[1], normal);
  if (fidac_vec3_dot (normal, a[2]) < 0.1)
    {
      g_set_error_literal (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                           _("The slice direction lies in the image plane"));
      return FALSE;
    }
  for (guint c = 0; c < 3; c++)
    {
      if (!(spacing[c] > 0) || !isfinite (spacing[c]) || !isfinite (origin[c]))
        {
          g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                       _("Invalid voxel spacing %g × %g × %g mm"),
                       spacing[0], spacing[1], spacing[2]);
          return FALSE;
        }
    }

  memcpy (volume->origin, origin, sizeof volume->origin);
  memcpy (volume->axis, a, sizeof volume->axis);
  memcpy (volume->spacing, spacing, sizeof volume->spacing);
  fidac_volume_update_geometry (volume);
  return TRUE;
}

void
fidac_volume_update_geometry (FidacVolume *volume)
{
  gdouble *m = volume->to_patient;

  for (guint r = 0; r < 3; r++)
    {
      for (guint c = 0; c < 3; c++)
        m[r * 4 + c] = volume->axis[c][r] * volume->spacing[c];
      m[r * 4 + 3] = volume->origin[r];
    }
  m[12] = m[13] = m[14] = 0;
  m[15] = 1;

  if (!fidac_mat4_invert (volume->to_patient, volume->to_voxel))
    g_critical ("Singular volume geometry");
}

void
fidac_mat4_apply_point (const gdouble m[16],
                        const gdouble in[3],
                        gdouble       out[3])
{
  gdouble r[3];

  for (guint i = 0; i < 3; i++)
    r[i] = m[i * 4 + 0] * in[0] + m[i * 4 + 1] * in[1] + m[i * 4 + 2] * in[2] + m[i * 4 + 3];
  memcpy (out, r, sizeof r);
}

void
fidac_volume_voxel_to_patient (const FidacVolume *volume,
                               const gdouble      voxel[3],
                               gdouble            patient[3])
{
  fidac_mat4_apply_point (volume->to_patient, voxel, patient);
}

void
fidac_volume_patient_to_voxel (const FidacVolume *volume,
                               const gdouble      patient[3],
                               gdouble            voxel[3])
{
  fidac_mat4_apply_point (volume->to_voxel, patient, voxel);
}

gboolean
fidac_mat4_invert (const gdouble m[16],
                   gdouble       out[16])
{
  /* Gauss-Jordan with partial pivoting: robust and plenty fast for 4x4. */
  gdouble a[4][8];

  for (guint r = 0; r < 4; r++)
    for (guint c = 0; c < 8; c++)
      a[r][c] = c < 4 ? m[r * 4 + c] : (c - 4 == r ? 1.0 : 0.0);

  for (guint col = 0; col < 4; col++)
    {
      guint pivot = col;

      for (guint r = col + 1; r < 4; r++)
        if (fabs (a[r][col]) > fabs (a[pivot][col]))
          pivot = r;
      if (fabs (a[pivot][col]) < 1e-12)
        return FALSE;
      if (pivot != col)
        for (guint c = 0; c < 8; c++)
          {
            gdouble t = a[col][c];
            a[col][c] = a[pivot][c];
            a[pivot][c] = t;
          }
      {
        gdouble inv = 1.0 / a[col][col];

        for (guint c = 0; c < 8; c++)
          a[col][c] *= inv;
      }
      for (guint r = 0; r < 4; r++)
        {
          gdouble f;

          if (r == col)
            continue;
          f = a[r][col];
          if (f == 0)
            continue;
          for (guint c = 0; c < 8; c++)
            a[r][c] -= f * a[col][c];
        }
    }

  for (guint r = 0; r < 4; r++)
    for (guint c = 0; c < 4; c++)
      out[r * 4 + c] = a[r][c + 4];
  return TRUE;
}

void
fidac_volume_get_range (const FidacVolume *volume,
                        gint16            *min,
                        gint16            *max)
{
  gsize n = fidac_volume_n_voxels (volume);
  gint16 lo = G_MAXINT16, hi = G_MININT16;

  for (gsize v = 0; v < n; v++)
    {
      gint16 x = volume->voxels[v];

      lo = MIN (lo, x);
      hi = MAX (hi, x);
    }
  if (min != NULL)
    *min = lo;
  if (max != NULL)
    *max = hi;
}

gdouble
fidac_volume_tilt_degrees (const FidacVolume *volume)
{
  gdouble normal[3];
  gdouble c;

  fidac_vec3_cross (volume->axis[0], volume->axis[1], normal);
  c = CLAMP (fidac_vec3_dot (normal, volume->axis[2]), -1.0, 1.0);
  return acos (c) * 180.0 / G_PI;
}

gdouble
fidac_volume_voxel_mm3 (const FidacVolume *volume)
{
  const gdouble *m;

  g_return_val_if_fail (volume != NULL, 0.0);

  /* The cell a voxel stands for is the parallelepiped of its three edges: on a tilted
   * (sheared) grid it is smaller than the product of the spacings. */
  m = volume->to_patient;
  return fabs (m[0] * (m[5] * m[10] - m[6] * m[9])
               - m[1] * (m[4] * m[10] - m[6] * m[8])
               + m[2] * (m[4] * m[9] - m[5] * m[8]));
}

void
fidac_volume_add_warning (FidacVolume *volume,
                          const gchar *format,
                          ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (volume->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

void
fidac_volume_add_window (FidacVolume *volume,
                         gdouble      center,
                         gdouble      width,
                         const gchar *explanation)
{
  FidacWindowPreset preset = { center, width, g_strdup (explanation) };

  g_array_append_val (volume->windows, preset);
}
