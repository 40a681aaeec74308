/* test-nifti.c: NIfTI-1 export, header read back byte by byte.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "fidac-nifti.h"
#include "fidac-test-support.h"

/* Readers of the little-endian header, independent of the writer's code. */
static gint16
get_i16 (const guint8 *h, gsize off)
{
  return (gint16) (h[off] | (h[off + 1] << 8));
}

static gint32
get_i32 (const guint8 *h, gsize off)
{
  return (gint32) ((guint32) h[off] | ((guint32) h[off + 1] << 8) |
                   ((guint32) h[off + 2] << 16) | ((guint32) h[off + 3] << 24));
}

static gfloat
get_f32 (const guint8 *h, gsize off)
{
  guint32 bits = (guint32) get_i32 (h, off);
  gfloat f;

  memcpy (&f, &bits, sizeof f);
  return f;
}

typedef struct {
  const gchar *name;
  gdouble origin[3];
  gdouble axis_i[3];
  gdouble axis_j[3];
  gdouble axis_k[3];
  gdouble spacing[3];
  /* Expected RAS sform rows, written out by hand from the geometry. */
  gdouble srow[3][4];
  /* Expected quaternion (b, c, d) and qfac; NaN b means "check the rotation instead". */
  gdouble quat[3];
  gdouble qfac;
  gdouble pixdim3;
} Case;

#define C30 0.86602540378443864676
#define S30 0.5
#define C15 0.96592582628906828675
#define S15 0.25881904510252076235

static const Case cases[] = {
  {
    /* Axial, head first supine: LPS x right->left, y anterior->posterior. */
    "axial-hfs",
    { -180.5, -200.25, -350.0 }, { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 }, { 0.7, 0.8, 2.5 },
    { { -0.7, 0, 0, 180.5 }, { 0, -0.8, 0, 200.25 }, { 0, 0, 2.5, -350.0 } },
    { 0, 0, 1 }, 1.0, 2.5,
  },
  {
    /* Feet first: rows run towards the patient's right, slices towards the feet. */
    "flipped-ffs",
    { 170.0, -160.0, 40.0 }, { -1, 0, 0 }, { 0, 1, 0 }, { 0, 0, -1 }, { 0.5, 0.5, 1.25 },
    { { 0.5, 0, 0, -170.0 }, { 0, -0.5, 0, 160.0 }, { 0, 0, -1.25, 40.0 } },
    { 1, 0, 0 }, 1.0, 1.25,
  },
  {
    /* Oblique: rows along (cos 30°, sin 30°, 0), columns towards the feet. */
    "oblique",
    { -10.0, 20.0, 30.0 }, { C30, S30, 0 }, { 0, 0, -1 }, { -S30, C30, 0 }, { 1.0, 2.0, 3.0 },
    { { -C30, 0, 3.0 * S30, 10.0 }, { -S30, 0, -3.0 * C30, -20.0 }, { 0, -2.0, 0, 30.0 } },
    { NAN, NAN, NAN }, 1.0, 3.0,
  },
  {
    /* Oblique about x by 30°: with the LPS -> RAS flip a half turn (quaternion a = 0), where
     * float32 b, c, d must be stored so that readers recompute a = 0. */
    "oblique-half-turn",
    { 5.0, -7.0, 11.0 }, { 1, 0, 0 }, { 0, C30, S30 }, { 0, -S30, C30 }, { 0.6, 0.6, 1.5 },
    { { -0.6, 0, 0, -5.0 }, { 0, -0.6 * C30, 1.5 * S30, 7.0 }, { 0, 0.6 * S30, 1.5 * C30, 11.0 } },
    { NAN, NAN, NAN }, 1.0, 1.5,
  },
  {
    /* Gantry tilt of 15°: slices step along (0, sin 15°, cos 15°), a sheared grid. */
    "tilted",
    { -100.0, -120.0, -200.0 }, { 1, 0, 0 }, { 0, 1, 0 }, { 0, S15, C15 }, { 0.75, 0.75, 2.0 },
    { { -0.75, 0, 0, 100.0 }, { 0, -0.75, -2.0 * S15, 120.0 }, { 0, 0, 2.0 * C15, -200.0 } },
    { 0, 0, 1 }, 1.0, 2.0 * C15,
  },
};

static FidacVolume *
make_volume (const Case *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) volume = fidac_volume_new (5, 4, 3, &error);

  g_assert_no_error (error);
  g_assert_true (fidac_volume_set_geometry (volume, c->origin, c->axis_i, c->axis_j,
                                            c->axis_k, c->spacing, &error));
  g_assert_no_error (error);
  for (gint k = 0; k < 3; k++)
    for (gint j = 0; j < 4; j++)
      for (gint i = 0; i < 5; i++)
        fidac_volume_set (volume, i, j, k, (gint16) (i + 10 * j + 100 * k - 1024));
  /* Values that exercise both bytes and the sign. */
  fidac_volume_set (volume, 4, 3, 2, 3071);
  fidac_volume_set (volume, 0, 0, 0, -2048);
  volume->modality = g_strdup ("CT");
  volume->series_description = g_strdup ("Thorax 1.25 mm");
  return g_steal_pointer (&volume);
}

static GBytes *
read_file (const gchar *path)
{
  g_autoptr(GError) error = NULL;
  gchar *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static void
check_quaternion_rotation (const guint8 *h,
                           const Case   *c)
{
  gdouble b = get_f32 (h, 256), cc = get_f32 (h, 260), d = get_f32 (h, 264);
  gdouble a = sqrt (MAX (0.0, 1.0 - (b * b + cc * cc + d * d)));
  gdouble qfac = get_f32 (h, 76);
  gdouble sum = b * b + cc * cc + d * d;
  gdouble r[3][3] = {
    { a * a + b * b - cc * cc - d * d, 2 * (b * cc - a * d), 2 * (b * d + a * cc) },
    { 2 * (b * cc + a * d), a * a + cc * cc - b * b - d * d, 2 * (cc * d - a * b) },
    { 2 * (b * d - a * cc), 2 * (cc * d + a * b), a * a + d * d - cc * cc - b * b },
  };

  /* nibabel refuses a quaternion whose squares pass 1 by more than 3 float epsilons. */
  g_assert_cmpfloat (sum, <=, 1.0 + 3.5e-7);

  /* The rotation times the pixdims (qfac on the third) is the sform's linear part. */
  for (guint row = 0; row < 3; row++)
    for (guint col = 0; col < 3; col++)
      {
        gdouble scale = col == 2 ? qfac * get_f32 (h, 88) : get_f32 (h, 80 + 4 * col);

        g_assert_cmpfloat_with_epsilon (r[row][col] * scale, c->srow[row][col], 1e-5);
      }
}

static void
test_nifti_header (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(FidacVolume) volume = make_volume (c);
  g_autofree gchar *dir = fidac_test_mkdtemp ();
  g_autofree gchar *path = g_build_filename (dir, "out.nii", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *h;
  gsize len;
  gdouble affine[16];

  g_assert_true (fidac_nifti_write (volume, path, NULL, &error));
  g_assert_no_error (error);
  bytes = read_file (path);
  h = g_bytes_get_data (bytes, &len);
  g_assert_cmpuint (len, ==, 352 + 5 * 4 * 3 * 2);

  g_assert_cmpint (get_i32 (h, 0), ==, 348);
  g_assert_cmpint (h[38], ==, 'r');
  g_assert_cmpint (get_i16 (h, 40), ==, 3);
  g_assert_cmpint (get_i16 (h, 42), ==, 5);
  g_assert_cmpint (get_i16 (h, 44), ==, 4);
  g_assert_cmpint (get_i16 (h, 46), ==, 3);
  for (guint d = 4; d < 8; d++)
    g_assert_cmpint (get_i16 (h, 40 + 2 * d), ==, 1);
  g_assert_cmpint (get_i16 (h, 70), ==, 4);           /* DT_INT16 */
  g_assert_cmpint (get_i16 (h, 72), ==, 16);
  g_assert_cmpfloat (get_f32 (h, 76), ==, (gfloat) c->qfac);
  g_assert_cmpfloat (get_f32 (h, 80), ==, (gfloat) c->spacing[0]);
  g_assert_cmpfloat (get_f32 (h, 84), ==, (gfloat) c->spacing[1]);
  g_assert_cmpfloat_with_epsilon (get_f32 (h, 88), c->pixdim3, 1e-6);
  g_assert_cmpfloat (get_f32 (h, 108), ==, 352.0f);
  g_assert_cmpfloat (get_f32 (h, 112), ==, 1.0f);       /* scl_slope: identity */
  g_assert_cmpfloat (get_f32 (h, 116), ==, 0.0f);
  g_assert_cmpint (h[123], ==, 2);                     /* NIFTI_UNITS_MM */
  g_assert_cmpfloat (get_f32 (h, 124), ==, 3071.0f);    /* cal_max */
  g_assert_cmpfloat (get_f32 (h, 128), ==, -2048.0f);   /* cal_min */
  g_assert_cmpstr ((const gchar *) h + 148, ==, "FIDAC CT Thorax 1.25 mm");
  g_assert_cmpint (get_i16 (h, 252), ==, 1);           /* qform_code scanner */
  g_assert_cmpint (get_i16 (h, 254), ==, 1);           /* sform_code scanner */
  g_assert_cmpmem (h + 344, 4, "n+1", 4);
  g_assert_cmpmem (h + 348, 4, "\0\0\0\0", 4);

  /* sform: exactly the core matrix with x and y negated, rounded once to float. */
  fidac_nifti_affine (volume, affine);
  for (guint r = 0; r < 3; r++)
    for (guint col = 0; col < 4; col++)
      {
        g_assert_cmpfloat_with_epsilon (affine[r * 4 + col], c->srow[r][col], 1e-12);
        g_assert_cmpfloat (get_f32 (h, 280 + 16 * r + 4 * col), ==,
                           (gfloat) affine[r * 4 + col]);
        /* A negated zero is stored as +0. */
        if (affine[r * 4 + col] == 0)
          g_assert_false (signbit (get_f32 (h, 280 + 16 * r + 4 * col)));
      }
  g_assert_cmpfloat (affine[12], ==, 0);
  g_assert_cmpfloat (affine[13], ==, 0);
  g_assert_cmpfloat (affine[14], ==, 0);
  g_assert_cmpfloat (affine[15], ==, 1);

  /* qform: offset is the sform's translation; quaternion exact where known. */
  for (guint q = 0; q < 3; q++)
    g_assert_cmpfloat (get_f32 (h, 268 + 4 * q), ==, (gfloat) c->srow[q][3]);
  if (!isnan (c->quat[0]))
    for (guint q = 0; q < 3; q++)
      g_assert_cmpfloat (get_f32 (h, 256 + 4 * q), ==, (gfloat) c->quat[q]);
  if (fidac_volume_tilt_degrees (volume) < 1e-6)
    check_quaternion_rotation (h, c);

  /* Voxels in volume order, i fastest, little endian. */
  for (gint k = 0; k < 3; k++)
    for (gint j = 0; j < 4; j++)
      for (gint i = 0; i < 5; i++)
        {
          gsize off = 352 + 2 * (((gsize) k * 4 + j) * 5 + i);

          g_assert_cmpint (get_i16 (h, off), ==, fidac_volume_get (volume, i, j, k));
        }

  fidac_test_rmtree (dir);
}

static void
test_nifti_oblique_quaternion (void)
{
  /* The oblique case's rotation in RAS has columns (-c30, -s30, 0), (0, 0, -1) and
   * (s30, -c30, 0). Its quaternion, worked out by hand: c = sqrt(1 + c30) / 2,
   * b = -s30 / (4c), d = -(1 + c30) / (4c), and a = s30 / (4c) > 0. */
  g_autoptr(FidacVolume) volume = make_volume (&cases[2]);
  g_autofree gchar *dir = fidac_test_mkdtemp ();
  g_autofree gchar *path = g_build_filename (dir, "oblique.nii", NULL);
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *h;
  gdouble c = sqrt (1.0 + C30) / 2.0;

  g_assert_true (fidac_nifti_write (volume, path, NULL, NULL));
  bytes = read_file (path);
  h = g_bytes_get_data (bytes, NULL);
  g_assert_cmpfloat_with_epsilon (get_f32 (h, 256), -S30 / (4 * c), 1e-7);
  g_assert_cmpfloat_with_epsilon (get_f32 (h, 260), c, 1e-7);
  g_assert_cmpfloat_with_epsilon (get_f32 (h, 264), -(1 + C30) / (4 * c), 1e-7);
  check_quaternion_rotation (h, &cases[2]);
  fidac_test_rmtree (dir);
}

static void
test_nifti_gzip (void)
{
  g_autoptr(FidacVolume) volume = make_volume (&cases[0]);
  g_autofree gchar *dir = fidac_test_mkdtemp ();
  g_autofree gchar *plain = g_build_filename (dir, "a.nii", NULL);
  g_autofree gchar *packed = g_build_filename (dir, "a.nii.gz", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autoptr(GBytes) compressed = NULL;
  g_autoptr(GZlibDecompressor) gunzip = NULL;
  g_autoptr(GInputStream) raw = NULL;
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GBytes) inflated = NULL;
  const guint8 *gz;
  gsize gz_len;

  g_assert_true (fidac_nifti_write (volume, plain, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (fidac_nifti_write (volume, packed, NULL, &error));
  g_assert_no_error (error);
  expected = read_file (plain);
  compressed = read_file (packed);
  gz = g_bytes_get_data (compressed, &gz_len);
  g_assert_cmpuint (gz_len, >, 18);
  g_assert_cmpint (gz[0], ==, 0x1f);                   /* gzip magic */
  g_assert_cmpint (gz[1], ==, 0x8b);

  raw = g_memory_input_stream_new_from_bytes (compressed);
  gunzip = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  in = g_converter_input_stream_new (raw, G_CONVERTER (gunzip));
  inflated = g_input_stream_read_bytes (in, 1 << 20, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (inflated, expected));

  fidac_test_rmtree (dir);
}

static void
test_nifti_unwritable (void)
{
  g_autoptr(FidacVolume) volume = make_volume (&cases[0]);
  g_autofree gchar *dir = fidac_test_mkdtemp ();
  g_autofree gchar *missing = g_build_filename (dir, "missing", "out.nii", NULL);
  g_autofree gchar *folder = g_build_filename (dir, "folder.nii", NULL);
  g_autoptr(GError) error = NULL;

  /* A folder that does not exist. */
  g_assert_false (fidac_nifti_write (volume, missing, NULL, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);
  g_assert_cmpuint (fidac_test_count_entries (dir), ==, 0);

  /* The target is a folder: the temporary file is written, the rename fails, and the
   * temporary file must not stay behind (whoever runs the test, root included). */
  g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
  g_assert_false (fidac_nifti_write (volume, folder, NULL, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_IO);
  g_clear_error (&error);
  g_assert_cmpuint (fidac_test_count_entries (dir), ==, 1);
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  g_assert_cmpuint (fidac_test_count_entries (folder), ==, 0);

  fidac_test_rmtree (dir);
}

static void
test_nifti_cancelled (void)
{
  g_autoptr(FidacVolume) volume = make_volume (&cases[0]);
  g_autofree gchar *dir = fidac_test_mkdtemp ();
  g_autofree gchar *path = g_build_filename (dir, "out.nii.gz", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (fidac_nifti_write (volume, path, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fidac_test_count_entries (dir), ==, 0);
  fidac_test_rmtree (dir);
}

static void
test_nifti_replace (void)
{
  g_autoptr(FidacVolume) volume = make_volume (&cases[0]);
  g_autofree gchar *dir = fidac_test_mkdtemp ();
  g_autofree gchar *path = g_build_filename (dir, "out.nii", NULL);
  g_autoptr(GError) error = NULL;
  gchar *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_true (fidac_nifti_write (volume, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, 352 + 120);
  g_free (contents);
  g_assert_cmpuint (fidac_test_count_entries (dir), ==, 1);
  fidac_test_rmtree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree gchar *name = g_strdup_printf ("/fidac/nifti/header/%s", cases[c].name);

      g_test_add_data_func (name, &cases[c], test_nifti_header);
    }
  g_test_add_func ("/fidac/nifti/oblique-quaternion", test_nifti_oblique_quaternion);
  g_test_add_func ("/fidac/nifti/gzip", test_nifti_gzip);
  g_test_add_func ("/fidac/nifti/unwritable", test_nifti_unwritable);
  g_test_add_func ("/fidac/nifti/cancelled", test_nifti_cancelled);
  g_test_add_func ("/fidac/nifti/replace", test_nifti_replace);
  return g_test_run ();
}
