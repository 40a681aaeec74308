/* fidac-nifti.c: NIfTI-1 single-file export (int16, scanner-anatomical RAS).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "fidac-nifti.h"

/* NIfTI-1 constants (nifti1.h); the header is written byte by byte at these offsets so that
 * the file never depends on the host's struct layout or byte order. */
#define NIFTI_HEADER_SIZE     348
#define NIFTI_VOX_OFFSET      352
#define NIFTI_DT_INT16        4
#define NIFTI_UNITS_MM        2
#define NIFTI_XFORM_SCANNER   1
#define NIFTI_MAX_DIM         32767

#define OFF_SIZEOF_HDR        0
#define OFF_REGULAR           38
#define OFF_DIM               40
#define OFF_DATATYPE          70
#define OFF_BITPIX            72
#define OFF_PIXDIM            76
#define OFF_VOX_OFFSET        108
#define OFF_SCL_SLOPE         112
#define OFF_SCL_INTER         116
#define OFF_XYZT_UNITS        123
#define OFF_CAL_MAX           124
#define OFF_CAL_MIN           128
#define OFF_DESCRIP           148
#define OFF_QFORM_CODE        252
#define OFF_SFORM_CODE        254
#define OFF_QUATERN_B         256
#define OFF_QOFFSET_X         268
#define OFF_SROW_X            280
#define OFF_MAGIC             344

#define DESCRIP_SIZE          80

void
fidac_nifti_affine (const FidacVolume *volume,
                    gdouble            affine[16])
{
  /* RAS = diag(-1, -1, 1) * LPS: negate the first two rows of the core matrix. Adding
   * +0.0 turns the -0 of a negated zero into 0, which readers print less alarmingly. */
  for (guint r = 0; r < 4; r++)
    for (guint c = 0; c < 4; c++)
      affine[r * 4 + c] = (r < 2 ? -1.0 : 1.0) * volume->to_patient[r * 4 + c] + 0.0;
}

static void
put_i16 (guint8 *h, gsize offset, gint16 value)
{
  guint16 le = GUINT16_TO_LE ((guint16) value);

  memcpy (h + offset, &le, sizeof le);
}

static void
put_i32 (guint8 *h, gsize offset, gint32 value)
{
  guint32 le = GUINT32_TO_LE ((guint32) value);

  memcpy (h + offset, &le, sizeof le);
}

static void
put_f32 (guint8 *h, gsize offset, gdouble value)
{
  gfloat f = (gfloat) value;
  guint32 bits;

  memcpy (&bits, &f, sizeof bits);
  bits = GUINT32_TO_LE (bits);
  memcpy (h + offset, &bits, sizeof bits);
}

/* The rotation that best describes the grid, as a quaternion (b, c, d) with qfac.
 * `rot` is column-major in spirit: rot[r][c] is row r of column c. Columns must be
 * orthonormal. */
static void
rotation_to_quaternion (gdouble rot[3][3],
                        gdouble quat[4],
                        gdouble *qfac)
{
  gdouble det = rot[0][0] * (rot[1][1] * rot[2][2] - rot[1][2] * rot[2][1])
              - rot[0][1] * (rot[1][0] * rot[2][2] - rot[1][2] * rot[2][0])
              + rot[0][2] * (rot[1][0] * rot[2][1] - rot[1][1] * rot[2][0]);
  gdouble a, b, c, d;

  /* A left-handed grid is stored as a proper rotation with the third axis flipped. */
  *qfac = 1.0;
  if (det < 0)
    {
      *qfac = -1.0;
      for (guint r = 0; r < 3; r++)
        rot[r][2] = -rot[r][2];
    }

  /* Pick the largest of 4a², 4b², 4c², 4d² as the divisor so the result stays accurate
   * for every rotation, including the half turns CT axes often are. */
  a = 1.0 + rot[0][0] + rot[1][1] + rot[2][2];
  if (a > 0.5)
    {
      a = 0.5 * sqrt (a);
      b = 0.25 * (rot[2][1] - rot[1][2]) / a;
      c = 0.25 * (rot[0][2] - rot[2][0]) / a;
      d = 0.25 * (rot[1][0] - rot[0][1]) / a;
    }
  else
    {
      gdouble xd = 1.0 + rot[0][0] - (rot[1][1] + rot[2][2]);
      gdouble yd = 1.0 + rot[1][1] - (rot[0][0] + rot[2][2]);
      gdouble zd = 1.0 + rot[2][2] - (rot[0][0] + rot[1][1]);

      if (xd > 1.0)
        {
          b = 0.5 * sqrt (xd);
          c = 0.25 * (rot[0][1] + rot[1][0]) / b;
          d = 0.25 * (rot[0][2] + rot[2][0]) / b;
          a = 0.25 * (rot[2][1] - rot[1][2]) / b;
        }
      else if (yd > 1.0)
        {
          c = 0.5 * sqrt (yd);
          b = 0.25 * (rot[0][1] + rot[1][0]) / c;
          d = 0.25 * (rot[1][2] + rot[2][1]) / c;
          a = 0.25 * (rot[0][2] - rot[2][0]) / c;
        }
      else
        {
          d = 0.5 * sqrt (zd);
          b = 0.25 * (rot[0][2] + rot[2][0]) / d;
          c = 0.25 * (rot[1][2] + rot[2][1]) / d;
          a = 0.25 * (rot[1][0] - rot[0][1]) / d;
        }
      /* NIfTI stores only b, c, d and assumes a >= 0. */
      if (a < 0)
        {
          b = -b;
          c = -c;
          d = -d;
        }
    }
  quat[0] = b;
  quat[1] = c;
  quat[2] = d;
  quat[3] = a;
}

/* Readers recompute a = sqrt(1 - (b² + c² + d²)) from the float32 b, c, d. Near a half
 * turn (a ≈ 0, common: RAS flips two LPS axes) the float rounding of b, c, d alone makes
 * that a about 3e-4 and tilts the axes by a milliradian. So there, store a = 0 exactly:
 * b, c, d a unit vector whose float squares sum to 1 or a hair above, which readers
 * (nifti1_io, nibabel) accept as a = 0. */
static void
put_quaternion (guint8        *h,
                gsize          offset,
                const gdouble  quat[4])
{
  gfloat f[3];

  if (quat[3] < 5e-4)
    {
      gdouble n = sqrt (quat[0] * quat[0] + quat[1] * quat[1] + quat[2] * quat[2]);
      guint big = 0;

      for (guint q = 0; q < 3; q++)
        {
          f[q] = (gfloat) (quat[q] / n);
          if (fabsf (f[q]) > fabsf (f[big]))
            big = q;
        }
      for (guint step = 0; step < 32; step++)
        {
          gdouble sum = (gdouble) f[0] * f[0] + (gdouble) f[1] * f[1] + (gdouble) f[2] * f[2];

          if (sum >= 1.0)
            break;
          f[big] = nextafterf (f[big], f[big] > 0 ? 2.0f : -2.0f);
        }
    }
  else
    {
      for (guint q = 0; q < 3; q++)
        f[q] = (gfloat) quat[q];
    }
  for (guint q = 0; q < 3; q++)
    put_f32 (h, offset + 4 * q, f[q]);
}

static void
put_descrip (guint8            *h,
             const FidacVolume *volume)
{
  g_autofree gchar *text = NULL;
  const gchar *end;

  text = g_strdup_printf ("FIDAC %s%s%s",
                          volume->modality != NULL ? volume->modality : "CT",
                          volume->series_description != NULL ? " " : "",
                          volume->series_description != NULL ? volume->series_description : "");
  /* Keep a NUL and never cut a UTF-8 character in half; drop what is not valid UTF-8. */
  if (!g_utf8_validate (text, -1, &end))
    text[end - text] = '\0';
  if (strlen (text) > DESCRIP_SIZE - 1)
    {
      const gchar *p = text;

      while (*p != '\0')
        {
          const gchar *next = g_utf8_next_char (p);

          if (next - text > DESCRIP_SIZE - 1)
            break;
          p = next;
        }
      text[p - text] = '\0';
    }
  memcpy (h + OFF_DESCRIP, text, strlen (text));
}

static void
build_header (const FidacVolume *volume,
              guint8             h[NIFTI_VOX_OFFSET])
{
  gdouble affine[16];
  gdouble normal[3], axis_i[3], axis_j[3];
  gdouble rot[3][3], quat[4], qfac;
  gdouble along_normal;
  gint16 lo, hi;

  memset (h, 0, NIFTI_VOX_OFFSET);
  put_i32 (h, OFF_SIZEOF_HDR, NIFTI_HEADER_SIZE);
  h[OFF_REGULAR] = 'r';

  put_i16 (h, OFF_DIM + 0, 3);
  for (guint d = 0; d < 3; d++)
    put_i16 (h, OFF_DIM + 2 * (d + 1), (gint16) volume->dims[d]);
  for (guint d = 4; d < 8; d++)
    put_i16 (h, OFF_DIM + 2 * d, 1);
  put_i16 (h, OFF_DATATYPE, NIFTI_DT_INT16);
  put_i16 (h, OFF_BITPIX, 16);

  /* The qform must be a rotation: orthonormalise the image axes (Gram-Schmidt, since the
   * core accepts a tiny skew between row and column cosines) and take the normal as the
   * slice axis. With gantry tilt the slice step is not along the normal, so the qform can
   * only be approximate there; the sform below stays exact. The qform's slice spacing is
   * the distance between slice planes, which is what the qform then gets right. */
  memcpy (axis_i, volume->axis[0], sizeof axis_i);
  {
    gdouble dot = fidac_vec3_dot (volume->axis[1], axis_i);
    gdouble n;

    for (guint c = 0; c < 3; c++)
      axis_j[c] = volume->axis[1][c] - dot * axis_i[c];
    n = fidac_vec3_norm (axis_j);
    for (guint c = 0; c < 3; c++)
      axis_j[c] /= n;
  }
  fidac_vec3_cross (axis_i, axis_j, normal);
  along_normal = fidac_vec3_dot (volume->axis[2], normal);
  if (fidac_volume_tilt_degrees (volume) < 1e-6)
    along_normal = 1.0;

  for (guint r = 0; r < 3; r++)
    {
      gdouble flip = r < 2 ? -1.0 : 1.0;

      rot[r][0] = flip * axis_i[r];
      rot[r][1] = flip * axis_j[r];
      rot[r][2] = flip * normal[r];
    }
  rotation_to_quaternion (rot, quat, &qfac);

  put_f32 (h, OFF_PIXDIM + 0, qfac);
  put_f32 (h, OFF_PIXDIM + 4, volume->spacing[0]);
  put_f32 (h, OFF_PIXDIM + 8, volume->spacing[1]);
  put_f32 (h, OFF_PIXDIM + 12, volume->spacing[2] * along_normal);
  for (guint d = 4; d < 8; d++)
    put_f32 (h, OFF_PIXDIM + 4 * d, 1.0);

  put_f32 (h, OFF_VOX_OFFSET, NIFTI_VOX_OFFSET);
  /* Stored values are HU already: an explicit identity scaling rather than 0/0 ("none"),
   * so that readers which ignore the 0 convention still read HU. */
  put_f32 (h, OFF_SCL_SLOPE, 1.0);
  put_f32 (h, OFF_SCL_INTER, 0.0);
  h[OFF_XYZT_UNITS] = NIFTI_UNITS_MM;

  fidac_volume_get_range (volume, &lo, &hi);
  put_f32 (h, OFF_CAL_MIN, lo);
  put_f32 (h, OFF_CAL_MAX, hi);
  put_descrip (h, volume);

  put_i16 (h, OFF_QFORM_CODE, NIFTI_XFORM_SCANNER);
  put_i16 (h, OFF_SFORM_CODE, NIFTI_XFORM_SCANNER);
  fidac_nifti_affine (volume, affine);
  put_quaternion (h, OFF_QUATERN_B, quat);
  for (guint q = 0; q < 3; q++)
    put_f32 (h, OFF_QOFFSET_X + 4 * q, affine[q * 4 + 3]);
  for (guint r = 0; r < 3; r++)
    for (guint c = 0; c < 4; c++)
      put_f32 (h, OFF_SROW_X + 16 * r + 4 * c, affine[r * 4 + c]);

  memcpy (h + OFF_MAGIC, "n+1", 4);
  /* Bytes 348..351 stay zero: no extension follows. */
}

static gboolean
write_voxels (GOutputStream     *out,
              const FidacVolume *volume,
              GCancellable      *cancellable,
              GError           **error)
{
  gsize slice_bytes = fidac_volume_slice_voxels (volume) * sizeof (gint16);
#if G_BYTE_ORDER == G_BIG_ENDIAN
  g_autofree gint16 *swapped = g_new (gint16, fidac_volume_slice_voxels (volume));
#endif

  /* Slice by slice: cancellation is honoured between slices and no copy of the volume is
   * made on little-endian hosts. */
  for (gint k = 0; k < volume->dims[2]; k++)
    {
      const gint16 *slice = fidac_volume_slice (volume, k);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
#if G_BYTE_ORDER == G_BIG_ENDIAN
      for (gsize v = 0; v < fidac_volume_slice_voxels (volume); v++)
        swapped[v] = (gint16) GUINT16_TO_LE ((guint16) slice[v]);
      slice = swapped;
#endif
      if (!g_output_stream_write_all (out, slice, slice_bytes, NULL, cancellable, error))
        return FALSE;
    }
  return TRUE;
}

static GFileOutputStream *
create_temporary (GFile   *target,
                  GFile  **temporary,
                  GError **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (target);
  g_autofree gchar *base = g_file_get_basename (target);

  /* Beside the target, so the final rename stays on one file system and is atomic. */
  for (guint attempt = 0; attempt < 100; attempt++)
    {
      g_autofree gchar *name = g_strdup_printf (".%s.%08x.tmp", base, g_random_int ());
      g_autoptr(GFile) file = g_file_get_child (parent, name);
      g_autoptr(GError) local_error = NULL;
      GFileOutputStream *stream;

      stream = g_file_create (file, G_FILE_CREATE_NONE, NULL, &local_error);
      if (stream != NULL)
        {
          *temporary = g_steal_pointer (&file);
          return stream;
        }
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       _("No free temporary file name was found"));
  return NULL;
}

gboolean
fidac_nifti_write (const FidacVolume *volume,
                   const gchar       *path,
                   GCancellable      *cancellable,
                   GError           **error)
{
  g_autoptr(GFile) target = NULL;
  g_autoptr(GFile) parent = NULL;
  g_autoptr(GFile) temporary = NULL;
  g_autoptr(GFileOutputStream) file_stream = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) local_error = NULL;
  guint8 header[NIFTI_VOX_OFFSET];
  gboolean ok;

  g_return_val_if_fail (volume != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  for (guint d = 0; d < 3; d++)
    {
      if (volume->dims[d] > NIFTI_MAX_DIM)
        {
          g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                       _("A volume of %d × %d × %d voxels does not fit in NIfTI-1 (at most %d per axis)"),
                       volume->dims[0], volume->dims[1], volume->dims[2], NIFTI_MAX_DIM);
          return FALSE;
        }
    }

  target = g_file_new_for_path (path);
  parent = g_file_get_parent (target);
  if (parent == NULL)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_IO,
                   _("Cannot write %s: not a file name"), path);
      return FALSE;
    }

  file_stream = create_temporary (target, &temporary, &local_error);
  if (file_stream == NULL)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_IO,
                   _("Cannot write %s: %s"), path, local_error->message);
      return FALSE;
    }

  if (g_str_has_suffix (path, ".gz"))
    {
      g_autoptr(GZlibCompressor) gzip =
        g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);

      out = g_converter_output_stream_new (G_OUTPUT_STREAM (file_stream), G_CONVERTER (gzip));
    }
  else
    {
      out = g_object_ref (G_OUTPUT_STREAM (file_stream));
    }

  build_header (volume, header);
  ok = g_output_stream_write_all (out, header, sizeof header, NULL, cancellable, &local_error) &&
       write_voxels (out, volume, cancellable, &local_error) &&
       g_output_stream_close (out, cancellable, &local_error);
  /* The converter closes the file stream too; closing again is a no-op. */
  if (ok)
    ok = g_output_stream_close (G_OUTPUT_STREAM (file_stream), cancellable, &local_error);

  if (ok && g_rename (g_file_peek_path (temporary), path) != 0)
    {
      int saved_errno = errno;

      g_set_error (&local_error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s", g_strerror (saved_errno));
      ok = FALSE;
    }

  if (!ok)
    {
      g_output_stream_close (out, NULL, NULL);
      g_output_stream_close (G_OUTPUT_STREAM (file_stream), NULL, NULL);
      g_file_delete (temporary, NULL, NULL);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_IO,
                     _("Cannot write %s: %s"), path, local_error->message);
      return FALSE;
    }
  return TRUE;
}
