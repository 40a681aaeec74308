/* test-errors.c: broken files, broken series and every refusal of the DICOM reader, plus
 * the pixel formats and transfer syntaxes, on small series built here (dicom-fixtures.h),
 * so nothing depends on the shared data.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "fidac-dicom.h"
#include "fidac-dicom-config.h"
#include "fidac-test-support.h"
#include "dicom-fixtures.h"

#if FIDAC_HAVE_OPENJPEG
#include <openjpeg.h>
#endif

static FidacScan *
scan_ok (const gchar *path)
{
  g_autoptr(GError) error = NULL;
  FidacScan *scan = fidac_dicom_scan (path, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (scan);
  return scan;
}

static FidacVolume *
load_folder (const gchar *path, GError **error)
{
  g_autoptr(FidacScan) scan = scan_ok (path);
  const FidacSeriesInfo *info = fidac_scan_pick (scan, NULL, error);

  if (info == NULL)
    return NULL;
  return fidac_dicom_load_series (info, NULL, NULL, NULL, error);
}

static void
assert_slice_values (const FidacVolume *volume, gint k, gint seed)
{
  for (gint j = 0; j < volume->dims[1]; j++)
    for (gint i = 0; i < volume->dims[0]; i++)
      g_assert_cmpint (fidac_volume_get (volume, i, j, k), ==, fixture_hu (i, j, seed));
}

static void
truncate_file (const gchar *path, gsize length)
{
  g_autofree gchar *data = NULL;
  gsize size;

  g_assert_true (g_file_get_contents (path, &data, &size, NULL));
  g_assert_cmpuint (length, <, size);
  g_assert_true (g_file_set_contents (path, data, length, NULL));
}

/* Broken files are skipped with a warning naming them; the rest loads, the hole they leave
 * is a gap filled with air. */
static void
test_broken_files (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  Fixture fx;
  fixture_init (&fx);
  fixture_write_stack (dir, 6, &fx);

  /* im00 is k=0, im01 is k=... names are (k*7)%6: k=2 -> im02; k=3 -> im03. */
  g_autofree gchar *cut_pixels = g_build_filename (dir, "im02.dcm", NULL);
  g_autofree gchar *cut_header = g_build_filename (dir, "im05.dcm", NULL);
  g_autofree gchar *random = g_build_filename (dir, "noise.dcm", NULL);
  g_autofree gchar *text = g_build_filename (dir, "notes.txt", NULL);
  GStatBuf st;
  g_assert_cmpint (g_stat (cut_pixels, &st), ==, 0);
  truncate_file (cut_pixels, st.st_size - 100);
  truncate_file (cut_header, 300);
  {
    guint8 noise[4000];
    GRand *rand = g_rand_new_with_seed (7);
    for (guint b = 0; b < sizeof noise; b++)
      noise[b] = g_rand_int_range (rand, 0, 256);
    g_rand_free (rand);
    g_assert_true (g_file_set_contents (random, (const gchar *) noise, sizeof noise, NULL));
  }
  g_assert_true (g_file_set_contents (text, "not an image\n", -1, NULL));

  g_autoptr(FidacScan) scan = scan_ok (dir);
  g_assert_cmpuint (scan->series->len, ==, 1);
  g_assert_cmpuint (((FidacSeriesInfo *) scan->series->pdata[0])->n_frames, ==, 4);
  g_assert_cmpuint (scan->warnings->len, ==, 4);
  g_assert_true (fidac_test_warnings_contain (scan->warnings, cut_pixels, "truncated"));
  g_assert_true (fidac_test_warnings_contain (scan->warnings, cut_header, NULL));
  g_assert_true (fidac_test_warnings_contain (scan->warnings, random, "not a DICOM file"));
  g_assert_true (fidac_test_warnings_contain (scan->warnings, text, "not a DICOM file"));

  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) volume =
    fidac_dicom_load_series (scan->series->pdata[0], NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  /* k = 0..5 with 2 and 5 gone: the stack ends at 4, slice 2 is a gap. */
  g_assert_cmpint (volume->dims[2], ==, 5);
  assert_slice_values (volume, 0, 0);
  assert_slice_values (volume, 3, 3);
  assert_slice_values (volume, 4, 4);
  g_assert_null (volume->slice_uids[2]);
  g_assert_nonnull (volume->slice_uids[3]);
  g_assert_cmpint (fidac_volume_get (volume, 5, 5, 2), ==, FIDAC_HU_AIR);
  g_assert_true (fidac_test_warnings_contain (volume->warnings, "1 slice is missing", "between 1.50 mm and 4.50 mm"));

  fidac_test_rmtree (dir);
}

/* A missing slice in the middle of a longer stack: exact place and size of the gap. */
static void
test_gap (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  Fixture fx;
  fixture_init (&fx);
  fx.position[2] = -100;
  fixture_write_stack (dir, 10, &fx);
  /* k=3 and k=4 are im01 and im08 ((k*7)%10 = 1, 8). */
  g_autofree gchar *a = g_build_filename (dir, "im01.dcm", NULL);
  g_autofree gchar *b = g_build_filename (dir, "im08.dcm", NULL);
  g_assert_cmpint (g_unlink (a), ==, 0);
  g_assert_cmpint (g_unlink (b), ==, 0);

  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) volume = load_folder (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (volume->dims[2], ==, 10);
  g_assert_cmpfloat_with_epsilon (volume->spacing[2], 1.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (volume->origin[2], -100, 1e-9);
  for (gint k = 0; k < 10; k++)
    {
      if (k == 3 || k == 4)
        {
          g_assert_null (volume->slice_uids[k]);
          g_assert_cmpint (fidac_volume_get (volume, 0, 0, k), ==, FIDAC_HU_AIR);
          g_assert_cmpint (fidac_volume_get (volume, 15, 11, k), ==, FIDAC_HU_AIR);
        }
      else
        {
          g_assert_nonnull (volume->slice_uids[k]);
          assert_slice_values (volume, k, k);
        }
    }
  g_assert_true (fidac_test_warnings_contain (volume->warnings, "2 slices are missing",
                                              "between -97.00 mm and -92.50 mm"));
  /* Numbered from 1, as the viewer shows slices: k = 3 and 4 are slices 4 and 5. */
  g_assert_true (fidac_test_warnings_contain (volume->warnings, "(slices 4 to 5 are filled with air)",
                                              NULL));
  fidac_test_rmtree (dir);
}

static void
expect_load_error (const gchar *dir, GQuark domain, gint code, const gchar *needle1,
                   const gchar *needle2)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) volume = load_folder (dir, &error);

  g_assert_null (volume);
  g_assert_error (error, domain, code);
  if (needle1 != NULL && strstr (error->message, needle1) == NULL)
    g_error ("'%s' not in '%s'", needle1, error->message);
  if (needle2 != NULL && strstr (error->message, needle2) == NULL)
    g_error ("'%s' not in '%s'", needle2, error->message);
}

static void
test_duplicate_position (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  Fixture fx;
  fixture_init (&fx);
  fixture_write_stack (dir, 4, &fx);
  /* Same position as k=1 (im03), another instance. */
  fx.k = 9;
  fx.position[0] = -20;
  fx.position[1] = -30;
  fx.position[2] = 1.5;
  g_autofree gchar *twin = g_build_filename (dir, "twin.dcm", NULL);
  g_autofree gchar *first = g_build_filename (dir, "im03.dcm", NULL);
  fixture_write (&fx, twin);

  expect_load_error (dir, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_GEOMETRY, twin, first);
  fidac_test_rmtree (dir);
}

static void
test_mixed_sizes (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  Fixture fx;
  fixture_init (&fx);
  fixture_write_stack (dir, 3, &fx);
  fx.rows = 10;
  fx.position[2] = 4.5;
  g_autofree gchar *odd = g_build_filename (dir, "odd.dcm", NULL);
  fixture_write (&fx, odd);
  expect_load_error (dir, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_INCONSISTENT, odd, "16 × 10");
  fidac_test_rmtree (dir);
}

static void
test_mixed_orientation (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  Fixture fx;
  fixture_init (&fx);
  fixture_write_stack (dir, 3, &fx);
  const gdouble turned[6] = { 1, 0, 0, 0, 0.996194698, -0.087155743 }; /* 5° */
  memcpy (fx.orientation, turned, sizeof turned);
  fx.position[2] = 4.5;
  g_autofree gchar *odd = g_build_filename (dir, "turned.dcm", NULL);
  fixture_write (&fx, odd);
  expect_load_error (dir, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_INCONSISTENT, odd, "orientation");
  fidac_test_rmtree (dir);
}

static void
test_mixed_spacing (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  Fixture fx;
  fixture_init (&fx);
  fixture_write_stack (dir, 3, &fx);
  fx.spacing[1] = 0.75;
  fx.position[2] = 4.5;
  g_autofree gchar *odd = g_build_filename (dir, "wide.dcm", NULL);
  fixture_write (&fx, odd);
  expect_load_error (dir, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_INCONSISTENT, odd, "spacing");
  fidac_test_rmtree (dir);
}

static void
test_uneven_spacing (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  const gdouble z[] = { 0, 1.5, 3.0, 4.9, 6.4, 7.9 };
  for (guint k = 0; k < G_N_ELEMENTS (z); k++)
    {
      Fixture fx;
      fixture_init (&fx);
      fx.k = k;
      fx.position[2] = z[k];
      g_autofree gchar *name = g_strdup_printf ("%s/s%u.dcm", dir, k);
      fixture_write (&fx, name);
    }
  g_autofree gchar *a = g_strdup_printf ("%s/s2.dcm", dir);
  g_autofree gchar *b = g_strdup_printf ("%s/s3.dcm", dir);
  expect_load_error (dir, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_GEOMETRY, a, b);
  fidac_test_rmtree (dir);
}

static void
test_missing_position (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  Fixture fx;
  fixture_init (&fx);
  fixture_write_stack (dir, 3, &fx);
  g_autofree gchar *path = g_build_filename (dir, "im00.dcm", NULL);
  const gchar *argv[] = { "dcmodify", "-q", "-nb", "-e", "(0020,0032)", path, NULL };
  fixture_run (argv);
  expect_load_error (dir, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_GEOMETRY, path, "Position");

  /* A lone image without geometry still loads, with a warning. */
  g_autofree gchar *single = g_build_filename (dir, "single", NULL);
  g_mkdir (single, 0755);
  g_autofree gchar *moved = g_build_filename (single, "im00.dcm", NULL);
  g_rename (path, moved);
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) volume = load_folder (single, &error);
  g_assert_no_error (error);
  g_assert_cmpint (volume->dims[2], ==, 1);
  g_assert_cmpfloat (volume->spacing[2], ==, 1.0);
  g_assert_cmpuint (volume->warnings->len, >=, 1);
  assert_slice_values (volume, 0, 0);
  fidac_test_rmtree (dir);
}

/* Gantry tilt: each slice is shifted along the column direction; the volume must follow
 * the true positions, not the perpendicular stack. */
static void
test_gantry_tilt (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  const gdouble tilt = 15.0, step = 2.0;
  gdouble positions[5][3];

  for (gint k = 0; k < 5; k++)
    {
      Fixture fx;
      fixture_init (&fx);
      fx.k = k;
      fx.tilt = tilt;
      fx.position[0] = -10;
      fx.position[1] = 5 + k * step * tan (tilt * G_PI / 180);
      fx.position[2] = -50 + k * step;
      memcpy (positions[k], fx.position, sizeof fx.position);
      g_autofree gchar *name = g_strdup_printf ("%s/t%d.dcm", dir, 4 - k);
      fixture_write (&fx, name);
    }

  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) volume = load_folder (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (volume->dims[2], ==, 5);
  g_assert_cmpfloat_with_epsilon (fidac_volume_tilt_degrees (volume), tilt, 0.01);
  g_assert_true (fidac_test_warnings_contain (volume->warnings, "Gantry tilt", "15.00°"));
  for (gint k = 0; k < 5; k++)
    {
      gdouble voxel[3] = { 0, 0, k }, patient[3];
      fidac_volume_voxel_to_patient (volume, voxel, patient);
      for (guint c = 0; c < 3; c++)
        g_assert_cmpfloat_with_epsilon (patient[c], positions[k][c], 1e-4);
      assert_slice_values (volume, k, k);
    }
  fidac_test_rmtree (dir);
}

static void
test_not_image (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  Fixture fx;
  fixture_init (&fx);
  fx.no_pixels = TRUE;
  g_autofree gchar *path = g_build_filename (dir, "nopixels.dcm", NULL);
  fixture_write (&fx, path);
  expect_load_error (dir, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_NOT_IMAGE, path, "Pixel Data");
  g_unlink (path);

  /* A structured report: not an image at all. */
  fx.sop_class = "1.2.840.10008.5.1.4.1.1.88.22";
  fx.modality = "SR";
  fx.extra = NULL;
  g_autofree gchar *sr = g_build_filename (dir, "report.dcm", NULL);
  fixture_write (&fx, sr);
  expect_load_error (dir, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_NOT_IMAGE, sr, "EnhancedSRStorage");
  fidac_test_rmtree (dir);
}

static void
test_unsupported_pixels (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  Fixture fx;
  fixture_init (&fx);
  g_autofree gchar *path = g_build_filename (dir, "colour.dcm", NULL);
  fixture_write (&fx, path);
  {
    const gchar *argv[] = { "dcmodify", "-q", "-nb", "-m", "(0028,0002)=3", "-m",
                            "(0028,0004)=RGB", path, NULL };
    fixture_run (argv);
  }
  expect_load_error (dir, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_UNSUPPORTED, path, "RGB");
  {
    const gchar *argv[] = { "dcmodify", "-q", "-nb", "-m", "(0028,0002)=1", "-m",
                            "(0028,0004)=MONOCHROME2", "-m", "(0028,0100)=32", "-m",
                            "(0028,0101)=32", "-m", "(0028,0102)=31", path, NULL };
    fixture_run (argv);
  }
  expect_load_error (dir, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_UNSUPPORTED, path, "32 bits");
  fidac_test_rmtree (dir);
}

/* An encapsulated transfer syntax DCMTK knows but cannot decode (MPEG-2). */
static void
test_unsupported_transfer_syntax (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  g_autofree gchar *frag = g_build_filename (dir, "frag.bin", NULL);
  g_autofree gchar *path = g_build_filename (dir, "video.dcm", NULL);
  g_assert_true (g_file_set_contents (frag, "\x00\x00\x01\xb3 not really mpeg 2 data!", 28, NULL));
  g_autofree gchar *extra = g_strdup_printf ("(7fe0,0010) OB (PixelSequence #=2)\n"
                                             "(fffe,e000) pi (no value available)\n"
                                             "(fffe,e000) pi =%s\n"
                                             "(fffe,e0dd) na (SequenceDelimitationItem)\n", frag);
  Fixture fx;
  fixture_init (&fx);
  fx.no_pixels = TRUE;
  fx.extra = extra;
  fx.transfer_syntax = "1.2.840.10008.1.2.4.100";
  fixture_write (&fx, path);
  expect_load_error (dir, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_UNSUPPORTED,
                     "1.2.840.10008.1.2.4.100", path);

  /* A transfer syntax nobody knows (same length, patched into the meta header). */
  {
    g_autofree gchar *data = NULL;
    gsize size;
    g_assert_true (g_file_get_contents (path, &data, &size, NULL));
    gchar *uid = NULL;
    for (gsize o = 0; uid == NULL && o + 23 <= size; o++)
      if (memcmp (data + o, "1.2.840.10008.1.2.4.100", 23) == 0)
        uid = data + o;
    g_assert_nonnull (uid);
    memcpy (uid, "1.2.3.4.5.6.7.8.9.10.11", 23);
    g_assert_true (g_file_set_contents (path, data, size, NULL));
  }
  expect_load_error (dir, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_UNSUPPORTED,
                     "1.2.3.4.5.6.7.8.9.10.11", path);
  fidac_test_rmtree (dir);
}

/* A scout sharing the series UID of its axial stack is left out, with a warning. */
static void
test_localizer (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  Fixture fx;
  fixture_init (&fx);
  fixture_write_stack (dir, 3, &fx);
  const gdouble coronal[6] = { 1, 0, 0, 0, 0, -1 };
  memcpy (fx.orientation, coronal, sizeof coronal);
  fx.rows = 20;
  fx.image_type = "ORIGINAL\\PRIMARY\\LOCALIZER";
  g_autofree gchar *scout = g_build_filename (dir, "scout.dcm", NULL);
  fixture_write (&fx, scout);

  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) volume = load_folder (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (volume->dims[1], ==, 12);
  g_assert_cmpint (volume->dims[2], ==, 3);
  g_assert_true (fidac_test_warnings_contain (volume->warnings, "1 localizer image", NULL));
  assert_slice_values (volume, 2, 2);
  fidac_test_rmtree (dir);
}

/* ---- pixel formats ---- */

static FidacVolume *
load_one_slice_stack (const Fixture *base, const guint16 *raw, GPtrArray **warnings_out)
{
  g_autofree gchar *dir = fidac_test_mkdtemp ();
  for (gint k = 0; k < 2; k++)
    {
      Fixture fx = *base;
      fx.k = k;
      fx.position[2] = 2.0 * k;
      g_autofree gchar *name = g_strdup_printf ("%s/p%d.dcm", dir, k);
      fixture_write_raw (&fx, name, raw);
    }
  g_autoptr(GError) error = NULL;
  FidacVolume *volume = load_folder (dir, &error);
  g_assert_no_error (error);
  fidac_test_rmtree (dir);
  return volume;
}

static void
test_pixel_formats (void)
{
  if (!fixture_have_tools ())
    return;

  Fixture fx;
  gsize n = 12 * 16;
  g_autofree guint16 *raw = g_new (guint16, n);

  /* Unsigned, 12 of 16 bits stored, intercept -2048. */
  {
    fixture_init (&fx);
    fx.is_signed = FALSE;
    fx.bits_stored = 12;
    fx.intercept = -2048;
    g_autoptr(FidacVolume) v = load_one_slice_stack (&fx, NULL, NULL);
    assert_slice_values (v, 0, 0);
    assert_slice_values (v, 1, 1);
  }
  /* Signed 12 bits stored with garbage in the unused high bits: masked, sign-extended. */
  {
    fixture_init (&fx);
    fx.bits_stored = 12;
    fx.intercept = 0;
    for (gsize p = 0; p < n; p++)
      raw[p] = ((guint16) fixture_hu (p % 16, p / 16, 0) & 0x0fff) | 0xa000;
    g_autoptr(FidacVolume) v = load_one_slice_stack (&fx, raw, NULL);
    assert_slice_values (v, 0, 0);
    assert_slice_values (v, 1, 0);
  }
  /* Signed pixels, padding written as US 63536 (raw -2000, as in LIDC), slope 2. */
  {
    fixture_init (&fx);
    fx.slope = 2;
    fx.intercept = -1000;
    fx.has_padding = TRUE;
    fx.padding = 63536;
    fx.padding_as_us = TRUE;
    for (gsize p = 0; p < n; p++)
      raw[p] = (guint16) (gint16) (p % 7 == 0 ? -2000 : (gint) p - 100);
    g_autoptr(FidacVolume) v = load_one_slice_stack (&fx, raw, NULL);
    for (gsize p = 0; p < n; p++)
      g_assert_cmpint (v->voxels[p], ==, p % 7 == 0 ? FIDAC_HU_AIR : ((gint) p - 100) * 2 - 1000);
  }
  /* Padding range: Pixel Padding Value -2000 to Range Limit -1500, signed. */
  {
    fixture_init (&fx);
    fx.intercept = 0;
    fx.has_padding = TRUE;
    fx.padding = (guint16) -2000;
    fx.extra = "(0028,0121) SS -1500\n";
    for (gsize p = 0; p < n; p++)
      raw[p] = (guint16) (gint16) (-2100 + (gint) p * 5);   /* -2100 .. -1145 */
    g_autoptr(FidacVolume) v = load_one_slice_stack (&fx, raw, NULL);
    for (gsize p = 0; p < n; p++)
      {
        gint stored = -2100 + (gint) p * 5;
        g_assert_cmpint (v->voxels[p], ==, stored >= -2000 && stored <= -1500 ? FIDAC_HU_AIR : stored);
      }
  }
  /* 8 bits allocated, slope 10: HU = 10 * stored - 1100. */
  {
    fixture_init (&fx);
    fx.bits_allocated = 8;
    fx.bits_stored = 8;
    fx.is_signed = FALSE;
    fx.slope = 10;
    fx.intercept = -1100;
    for (gsize p = 0; p < n; p++)
      raw[p] = (guint16) (p % 256);
    g_autoptr(FidacVolume) v = load_one_slice_stack (&fx, raw, NULL);
    for (gsize p = 0; p < n; p++)
      g_assert_cmpint (v->voxels[p], ==, 10 * (gint) (p % 256) - 1100);
  }
  /* Values beyond int16 after rescale are clamped, with a warning. */
  {
    fixture_init (&fx);
    fx.is_signed = FALSE;
    fx.slope = 1;
    fx.intercept = 1000;
    for (gsize p = 0; p < n; p++)
      raw[p] = p < 3 ? 65000 : 100;
    g_autoptr(FidacVolume) v = load_one_slice_stack (&fx, raw, NULL);
    g_assert_cmpint (v->voxels[0], ==, G_MAXINT16);
    g_assert_cmpint (v->voxels[3], ==, 1100);
    g_assert_true (fidac_test_warnings_contain (v->warnings, "6 voxels", "clamped"));
  }
  /* CT without Rescale Slope/Intercept: values as stored, and a warning. */
  {
    fixture_init (&fx);
    fx.no_rescale = TRUE;
    fx.intercept = 0;
    g_autoptr(FidacVolume) v = load_one_slice_stack (&fx, NULL, NULL);
    assert_slice_values (v, 1, 1);
    g_assert_true (fidac_test_warnings_contain (v->warnings, "Rescale", NULL));
  }
}

/* ---- transfer syntaxes: every one round-trips to the same HU ---- */

typedef struct {
  const gchar *name;
  const gchar *tool;
  const gchar *option;
  const gchar *uid;
  gint         tolerance;     /* HU, lossy codecs */
  guint        bits;          /* stored; lossy JPEG needs 8 or 12 */
} Syntax;

#if FIDAC_HAVE_OPENJPEG
/* A lossless JPEG 2000 codestream of a 16-bit signed greyscale frame. */
static void
write_j2k (const gchar *path, const gint16 *values, gint columns, gint rows)
{
  opj_cparameters_t parameters;
  opj_image_cmptparm_t component = { 0 };

  opj_set_default_encoder_parameters (&parameters);
  parameters.tcp_numlayers = 1;
  parameters.tcp_rates[0] = 0;
  parameters.cp_disto_alloc = 1;
  parameters.irreversible = 0;
  parameters.numresolution = 3;
  component.dx = component.dy = 1;
  component.w = columns;
  component.h = rows;
  component.prec = 16;
  component.sgnd = 1;
  opj_image_t *image = opj_image_create (1, &component, OPJ_CLRSPC_GRAY);
  image->x1 = columns;
  image->y1 = rows;
  for (gint p = 0; p < columns * rows; p++)
    image->comps[0].data[p] = values[p];
  opj_codec_t *codec = opj_create_compress (OPJ_CODEC_J2K);
  g_assert_true (opj_setup_encoder (codec, &parameters, image));
  opj_stream_t *stream = opj_stream_create_default_file_stream (path, OPJ_FALSE);
  g_assert_nonnull (stream);
  g_assert_true (opj_start_compress (codec, image, stream));
  g_assert_true (opj_encode (codec, stream));
  g_assert_true (opj_end_compress (codec, stream));
  opj_stream_destroy (stream);
  opj_destroy_codec (codec);
  opj_image_destroy (image);
}
#endif

static void
test_transfer_syntaxes (void)
{
  if (!fixture_have_tools ())
    return;

  static const Syntax syntaxes[] = {
    { "explicit", NULL, NULL, "1.2.840.10008.1.2.1", 0, 16 },
    { "implicit", "dcmconv", "+ti", "1.2.840.10008.1.2", 0, 16 },
    { "big-endian", "dcmconv", "+tb", "1.2.840.10008.1.2.2", 0, 16 },
    { "deflated", "dcmconv", "+td", "1.2.840.10008.1.2.1.99", 0, 16 },
    { "jpeg-sv1", "dcmcjpeg", "+e1", "1.2.840.10008.1.2.4.70", 0, 16 },
    { "jpeg-14", "dcmcjpeg", "+el", "1.2.840.10008.1.2.4.57", 0, 16 },
    { "jpeg-ls", "dcmcjpls", "+el", "1.2.840.10008.1.2.4.80", 0, 16 },
    { "rle", "dcmcrle", "+e", "1.2.840.10008.1.2.5", 0, 16 },
    { "jpeg-extended", "dcmcjpeg", "+ee", "1.2.840.10008.1.2.4.51", 60, 12 },
  };

  for (guint s = 0; s < G_N_ELEMENTS (syntaxes); s++)
    {
      const Syntax *sx = &syntaxes[s];
      g_autofree gchar *dir = fidac_test_mkdtemp ();
      Fixture fx;

      g_test_message ("transfer syntax %s", sx->name);
      fixture_init (&fx);
      fx.rows = 32;
      fx.columns = 32;
      if (sx->bits == 12)
        {
          /* Lossy JPEG takes 12-bit unsigned samples. */
          fx.is_signed = FALSE;
          fx.bits_stored = 12;
          fx.intercept = -2048;
        }
      fixture_write_stack (dir, 3, &fx);
      if (sx->tool != NULL)
        for (gint k = 0; k < 3; k++)
          {
            g_autofree gchar *path = g_strdup_printf ("%s/im%02d.dcm", dir, (k * 7) % 3);
            fixture_recode (path, sx->tool, sx->option);
          }

      g_autoptr(FidacScan) scan = scan_ok (dir);
      const FidacSeriesInfo *info = scan->series->pdata[0];
      g_assert_cmpstr (info->transfer_syntax_uid, ==, sx->uid);
      g_autoptr(GError) error = NULL;
      g_autoptr(FidacVolume) v = fidac_dicom_load_series (info, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (v->dims[2], ==, 3);
      for (gint k = 0; k < 3; k++)
        for (gint j = 0; j < 32; j++)
          for (gint i = 0; i < 32; i++)
            {
              gint got = fidac_volume_get (v, i, j, k), want = fixture_hu (i, j, k);
              if (abs (got - want) > sx->tolerance)
                g_error ("%s: voxel %d,%d,%d is %d, expected %d", sx->name, i, j, k, got, want);
            }
      fidac_test_rmtree (dir);
    }
}

static void
test_jpeg2000 (void)
{
#if FIDAC_HAVE_OPENJPEG
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  for (gint k = 0; k < 3; k++)
    {
      gint16 values[24 * 20];
      for (gint p = 0; p < 24 * 20; p++)
        values[p] = (gint16) fixture_hu (p % 24, p / 24, k);   /* intercept 0: stored = HU */
      g_autofree gchar *codestream = g_strdup_printf ("%s/f%d.j2k", dir, k);
      write_j2k (codestream, values, 24, 20);
      g_autofree gchar *extra = g_strdup_printf ("(7fe0,0010) OB (PixelSequence #=2)\n"
                                                 "(fffe,e000) pi (no value available)\n"
                                                 "(fffe,e000) pi =%s\n"
                                                 "(fffe,e0dd) na (SequenceDelimitationItem)\n",
                                                 codestream);
      Fixture fx;
      fixture_init (&fx);
      fx.rows = 20;
      fx.columns = 24;
      fx.intercept = 0;
      fx.k = k;
      fx.position[2] = 3.0 * k;
      fx.no_pixels = TRUE;
      fx.extra = extra;
      fx.transfer_syntax = "1.2.840.10008.1.2.4.90";
      g_autofree gchar *path = g_strdup_printf ("%s/j%d.dcm", dir, k);
      fixture_write (&fx, path);
      g_unlink (codestream);
    }
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) v = load_folder (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (v->dims[2], ==, 3);
  for (gint k = 0; k < 3; k++)
    assert_slice_values (v, k, k);
  fidac_test_rmtree (dir);
#else
  g_test_skip ("built without OpenJPEG");
#endif
}

/* ---- cancellation ---- */

typedef struct {
  GCancellable *cancellable;
  gdouble       at;
  guint         calls;
} CancelState;

static void
cancel_progress_cb (gdouble fraction, gpointer user_data)
{
  CancelState *state = user_data;

  g_atomic_int_inc (&state->calls);
  if (fraction >= state->at)
    g_cancellable_cancel (state->cancellable);
}

/* Enhanced CT whose Number of Frames disagrees with its per-frame groups (found by
 * tests/fuzz/mutate-dicom.py): a huge count made the header reader build frames for
 * minutes, a missing or small one dropped frames without a word. */
static void
test_frame_count (void)
{
  if (!fixture_have_tools ())
    return;

  static const gchar *const counts[] = { "2147483647", "99999999999", "1", NULL };
  g_autofree gchar *dir = fidac_test_mkdtemp ();
  g_autofree gchar *path = g_build_filename (dir, "enhanced.dcm", NULL);
  for (guint c = 0; counts[c] != NULL; c++)
    {
      g_autofree gchar *extra = g_strdup_printf (
        "(0028,0008) IS [%s]\n"
        "(5200,9230) SQ (Sequence with undefined length #=2)\n"
        "(fffe,e000) na (Item with undefined length #=1)\n"
        "(0020,9113) SQ (Sequence with undefined length #=1)\n"
        "(fffe,e000) na (Item with undefined length #=1)\n"
        "(0020,0032) DS [0\\0\\0]\n"
        "(fffe,e00d) na (ItemDelimitationItem)\n"
        "(fffe,e0dd) na (SequenceDelimitationItem)\n"
        "(fffe,e00d) na (ItemDelimitationItem)\n"
        "(fffe,e000) na (Item with undefined length #=1)\n"
        "(0020,9113) SQ (Sequence with undefined length #=1)\n"
        "(fffe,e000) na (Item with undefined length #=1)\n"
        "(0020,0032) DS [0\\0\\1]\n"
        "(fffe,e00d) na (ItemDelimitationItem)\n"
        "(fffe,e0dd) na (SequenceDelimitationItem)\n"
        "(fffe,e00d) na (ItemDelimitationItem)\n"
        "(fffe,e0dd) na (SequenceDelimitationItem)\n", counts[c]);
      Fixture fx;
      fixture_init (&fx);
      fx.sop_class = "1.2.840.10008.5.1.4.1.1.2.1";
      fx.extra = extra;
      fixture_write (&fx, path);
      /* A huge count is caught by the pixel data length first, a small one by the groups. */
      expect_load_error (dir, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE, path,
                         c < 2 ? "Number of Frames" : "Per-Frame Functional Groups describe 2 frames");
    }
  fidac_test_rmtree (dir);
}

/* Three slices at different places that share one SOP Instance UID (found by
 * tests/fuzz/mutate-dicom.py): all three are slices, none is a copy to drop. An image
 * without a UID is kept with a warning. */
static void
test_shared_uid (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  g_autofree gchar *sub = g_build_filename (dir, "sub", NULL);
  g_autofree gchar *same = g_build_filename (sub, "same.dcm", NULL);   /* the UID hashes the path */
  g_mkdir_with_parents (sub, 0755);
  for (gint k = 0; k < 3; k++)
    {
      Fixture fx;
      fixture_init (&fx);
      fx.k = k;
      fx.position[2] = 1.5 * k;
      fixture_write (&fx, same);
      g_autofree gchar *name = g_strdup_printf ("im%d.dcm", k);
      g_autofree gchar *path = g_build_filename (dir, name, NULL);
      g_assert_cmpint (g_rename (same, path), ==, 0);
    }

  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) v = load_folder (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (v->dims[2], ==, 3);
  for (gint k = 0; k < 3; k++)
    assert_slice_values (v, k, k);
  g_assert_cmpuint (v->warnings->len, ==, 2);
  g_assert_true (fidac_test_warnings_contain (v->warnings, "same SOP Instance UID: both are kept", NULL));

  g_autofree gchar *dcmodify = g_find_program_in_path ("dcmodify");
  if (dcmodify != NULL)
    {
      g_autofree gchar *path = g_build_filename (dir, "im1.dcm", NULL);
      const gchar *argv[] = { "dcmodify", "-nb", "-q", "-ea", "(0008,0018)", path, NULL };
      fixture_run (argv);
      g_autoptr(FidacVolume) w = load_folder (dir, &error);
      g_assert_no_error (error);
      g_assert_cmpint (w->dims[2], ==, 3);
      assert_slice_values (w, 1, 1);
      g_assert_null (w->slice_uids[1]);
      g_assert_true (fidac_test_warnings_contain (w->warnings, "1 image has no SOP Instance UID", NULL));
    }
  fidac_test_rmtree (dir);
}

/* Direction cosines that are not unit vectors (found by tests/fuzz/mutate-dicom.py): a
 * huge pair overflowed to zero axes once normalised, and the series was refused with a
 * false "same position" message; a doubled pair was silently accepted. */
static void
test_orientation_length (void)
{
  if (!fixture_have_tools ())
    return;

  static const gdouble scales[] = { 1e308, 2 };
  for (guint s = 0; s < G_N_ELEMENTS (scales); s++)
    {
      g_autofree gchar *dir = fidac_test_mkdtemp ();
      Fixture fx;
      fixture_init (&fx);
      fx.orientation[0] = scales[s];
      fx.orientation[4] = scales[s];
      fixture_write_stack (dir, 3, &fx);
      expect_load_error (dir, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_GEOMETRY,
                         "Image Orientation (Patient)", "perpendicular directions");
      fidac_test_rmtree (dir);
    }
}

/* A Pixel Representation other than 0 or 1 (found by tests/fuzz/mutate-dicom.py) was
 * read as unsigned: signed values became huge and were clamped. */
static void
test_pixel_representation (void)
{
  g_autofree gchar *dcmodify = g_find_program_in_path ("dcmodify");
  if (!fixture_have_tools () || dcmodify == NULL)
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  Fixture fx;
  fixture_init (&fx);
  fixture_write_stack (dir, 3, &fx);
  g_autofree gchar *path = g_build_filename (dir, "im01.dcm", NULL);
  const gchar *argv[] = { "dcmodify", "-nb", "-q", "-m", "(0028,0103)=2", path, NULL };
  fixture_run (argv);
  expect_load_error (dir, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_UNSUPPORTED, path,
                     "Pixel Representation 2");
  fidac_test_rmtree (dir);
}

/* Rows and Columns that disagree with the uncompressed pixel data (found by
 * tests/fuzz/mutate-dicom.py): half the rows gave half an image without a word, and 65535 ×
 * 65535 asked for a volume of 34 GB before anything was read. */
static void
test_pixel_length (void)
{
  g_autofree gchar *dcmodify = g_find_program_in_path ("dcmodify");
  if (!fixture_have_tools () || dcmodify == NULL)
    return;

  static const gchar *const sizes[][2] = { { "6", "16" }, { "65535", "65535" }, { "12", "17" } };
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autofree gchar *dir = fidac_test_mkdtemp ();
      Fixture fx;
      fixture_init (&fx);
      fixture_write_stack (dir, 3, &fx);
      g_autofree gchar *rows = g_strdup_printf ("(0028,0010)=%s", sizes[s][0]);
      g_autofree gchar *columns = g_strdup_printf ("(0028,0011)=%s", sizes[s][1]);
      for (gint k = 0; k < 3; k++)
        {
          g_autofree gchar *name = g_strdup_printf ("im%02d.dcm", k);
          g_autofree gchar *path = g_build_filename (dir, name, NULL);
          const gchar *argv[] = { "dcmodify", "-nb", "-q", "-m", rows, "-m", columns, path, NULL };
          fixture_run (argv);
        }
      expect_load_error (dir, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                         "the Pixel Data holds 384 bytes", "Rows, Columns");
      fidac_test_rmtree (dir);
    }

  /* Deflated: the length is only known once the pixel data is inflated. */
  g_autofree gchar *dir = fidac_test_mkdtemp ();
  Fixture fx;
  fixture_init (&fx);
  fixture_write_stack (dir, 3, &fx);
  for (gint k = 0; k < 3; k++)
    {
      g_autofree gchar *name = g_strdup_printf ("im%02d.dcm", k);
      g_autofree gchar *path = g_build_filename (dir, name, NULL);
      fixture_recode (path, "dcmconv", "+td");
      const gchar *argv[] = { "dcmodify", "-nb", "-q", "-m", "(0028,0010)=6", path, NULL };
      fixture_run (argv);
    }
  expect_load_error (dir, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                     "the Pixel Data holds 384 bytes", "call for 192");
  fidac_test_rmtree (dir);
}

/* JPEG data whose size disagrees with Rows and Columns (found by
 * tests/fuzz/mutate-dicom.py): the lossless decoder filled the wider buffer with a sheared
 * picture without complaint. */
static void
test_compressed_size (void)
{
  g_autofree gchar *dcmodify = g_find_program_in_path ("dcmodify");
  if (!fixture_have_tools () || dcmodify == NULL)
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  Fixture fx;
  fixture_init (&fx);
  fixture_write_stack (dir, 3, &fx);
  for (gint k = 0; k < 3; k++)
    {
      g_autofree gchar *name = g_strdup_printf ("im%02d.dcm", k);
      g_autofree gchar *path = g_build_filename (dir, name, NULL);
      fixture_recode (path, "dcmcjpeg", "+e1");
      const gchar *argv[] = { "dcmodify", "-nb", "-q", "-m", "(0028,0011)=17", path, NULL };
      fixture_run (argv);
    }
  expect_load_error (dir, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                     "the compressed image is 16 × 12 pixels", "17 × 12");
  fidac_test_rmtree (dir);

  /* RLE with half the rows: the decoder stopped when its buffer was full. */
  g_autofree gchar *rle = fidac_test_mkdtemp ();
  fixture_write_stack (rle, 3, &fx);
  for (gint k = 0; k < 3; k++)
    {
      g_autofree gchar *name = g_strdup_printf ("im%02d.dcm", k);
      g_autofree gchar *path = g_build_filename (rle, name, NULL);
      fixture_recode (path, "dcmcrle", "+e");
      const gchar *argv[] = { "dcmodify", "-nb", "-q", "-m", "(0028,0010)=6", path, NULL };
      fixture_run (argv);
    }
  expect_load_error (rle, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                     "pixels per frame but Rows and Columns say", "16 × 6");
  fidac_test_rmtree (rle);
}

static void
test_cancel (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  Fixture fx;
  fixture_init (&fx);
  fixture_write_stack (dir, 40, &fx);
  g_autoptr(FidacScan) scan = scan_ok (dir);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CancelState state = { cancellable, 0.3, 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) v = fidac_dicom_load_series (scan->series->pdata[0], cancellable,
                                                      cancel_progress_cb, &state, &error);
  g_assert_null (v);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (state.calls, >, 0);

  /* A scan cancelled before it starts. */
  g_clear_error (&error);
  g_autoptr(FidacScan) none = fidac_dicom_scan (dir, cancellable, NULL, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  fidac_test_rmtree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fidac/dicom-errors/broken-files", test_broken_files);
  g_test_add_func ("/fidac/dicom-errors/gap", test_gap);
  g_test_add_func ("/fidac/dicom-errors/duplicate-position", test_duplicate_position);
  g_test_add_func ("/fidac/dicom-errors/mixed-sizes", test_mixed_sizes);
  g_test_add_func ("/fidac/dicom-errors/mixed-orientation", test_mixed_orientation);
  g_test_add_func ("/fidac/dicom-errors/mixed-spacing", test_mixed_spacing);
  g_test_add_func ("/fidac/dicom-errors/uneven-spacing", test_uneven_spacing);
  g_test_add_func ("/fidac/dicom-errors/missing-position", test_missing_position);
  g_test_add_func ("/fidac/dicom-errors/gantry-tilt", test_gantry_tilt);
  g_test_add_func ("/fidac/dicom-errors/localizer", test_localizer);
  g_test_add_func ("/fidac/dicom-errors/not-image", test_not_image);
  g_test_add_func ("/fidac/dicom-errors/unsupported-pixels", test_unsupported_pixels);
  g_test_add_func ("/fidac/dicom-errors/unsupported-transfer-syntax", test_unsupported_transfer_syntax);
  g_test_add_func ("/fidac/dicom-errors/pixel-formats", test_pixel_formats);
  g_test_add_func ("/fidac/dicom-errors/transfer-syntaxes", test_transfer_syntaxes);
  g_test_add_func ("/fidac/dicom-errors/jpeg2000", test_jpeg2000);
  g_test_add_func ("/fidac/dicom-errors/cancel", test_cancel);
  g_test_add_func ("/fidac/dicom-errors/frame-count", test_frame_count);
  g_test_add_func ("/fidac/dicom-errors/shared-uid", test_shared_uid);
  g_test_add_func ("/fidac/dicom-errors/orientation-length", test_orientation_length);
  g_test_add_func ("/fidac/dicom-errors/pixel-representation", test_pixel_representation);
  g_test_add_func ("/fidac/dicom-errors/pixel-length", test_pixel_length);
  g_test_add_func ("/fidac/dicom-errors/compressed-size", test_compressed_size);

  return g_test_run ();
}
