/* test-load.c: series loaded into volumes, checked voxel by voxel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reference values of the two shared series were taken once with an independent reader:
 * Debian's /usr/bin/python3 with pydicom 2.3.1 and numpy: files sorted by Image Position
 * (Patient) projected on the normal of Image Orientation, HU = round(stored * slope +
 * intercept), stored values equal to Pixel Padding Value (read as the signed 16-bit
 * pattern) set to -1024. pydicom 2.3 has no JPEG-lossless decoder, so the RICORD series
 * was first decompressed with DCMTK's `dcmdjpeg` (lossless, so the stored values are the
 * same). Both whole volumes matched this reader bit for bit; the voxel sums below are the
 * numpy int64 sums of those reference volumes.
 */
#include "config.h"

#include <math.h>
#include <unistd.h>

#include "fidac-dicom.h"
#include "fidac-test-support.h"
#include "dicom-fixtures.h"

typedef struct {
  gint i, j, k;
  gint hu;
} Probe;

typedef struct {
  const gchar *folder;
  const gchar *series_uid;
  const gchar *study_uid;
  const gchar *frame_of_reference_uid;
  const gchar *first_uid;
  const gchar *last_uid;
  const gchar *patient_position;
  const gchar *study_date;
  gint         slices;
  gdouble      spacing[3];
  gdouble      origin[3];
  gdouble      window[2];
  gint64       sum;
  gint64       sum_first_slice;
  Probe        probes[7];
} Expected;

static const Expected lidc = {
  "lidc-0001",
  "1.3.6.1.4.1.14519.5.2.1.6279.6001.179049373636438705059720603192",
  "1.3.6.1.4.1.14519.5.2.1.6279.6001.298806137288633453246975630178",
  "1.3.6.1.4.1.14519.5.2.1.6279.6001.229925374658226729607867499499",
  "1.3.6.1.4.1.14519.5.2.1.6279.6001.227129408140157230270926028555",
  "1.3.6.1.4.1.14519.5.2.1.6279.6001.262721256650280657946440242654",
  "FFS", "20000101",
  133, { 0.703125, 0.703125, 2.5 }, { -166.0, -171.699997, -340.0 }, { -600, 1600 },
  G_GINT64_CONSTANT (-28831525777), -206998942,
  {
    /* Outside the reconstruction circle the stored value is -1024 (HU -2048); the padding
     * value 63536 (-2000) occurs in no voxel of this series. */
    { 0, 0, 0, -2048 },
    { 511, 511, 132, -2048 },
    { 256, 256, 66, 399 },         /* mediastinum, contrast-enhanced */
    { 150, 250, 66, -934 },        /* lung */
    { 100, 300, 30, -89 },
    { 380, 260, 100, -904 },       /* lung */
    { 256, 380, 60, 137 },
  },
};

static const Expected ricord = {
  "covid-ricord-000082",
  "1.2.826.0.1.3680043.10.474.419639.403650391453800318566197197100",
  "1.2.826.0.1.3680043.10.474.419639.312580455409613733097488204614",
  "1.2.826.0.1.3680043.10.474.419639.296611353308121109544688784770",
  "1.2.826.0.1.3680043.10.474.419639.272848588482897603497706095803",
  "1.2.826.0.1.3680043.10.474.419639.311125615553813016796609441640",
  "HFS", "20020802",
  255, { 0.703125, 0.703125, 1.25 }, { -192.2, -180.0, -349.25 }, { 40, 400 },
  G_GINT64_CONSTANT (-33763117429), -90057658,
  {
    { 0, 0, 0, -1024 },            /* padding: stored -2000 = Pixel Padding Value */
    { 511, 511, 254, -1024 },      /* padding */
    { 256, 256, 127, 52 },
    { 150, 250, 127, -543 },       /* ground glass */
    { 380, 260, 200, -891 },       /* lung */
    { 256, 380, 60, 30 },
    { 100, 300, 30, 38 },
  },
};

static FidacVolume *
load_path (const gchar *path, FidacScan **scan_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacScan) scan = fidac_dicom_scan (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  const FidacSeriesInfo *info = fidac_scan_pick (scan, NULL, &error);
  g_assert_no_error (error);
  FidacVolume *volume = fidac_dicom_load_series (info, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (volume);
  if (scan_out != NULL)
    *scan_out = g_steal_pointer (&scan);
  return volume;
}

static void
check_expected (const Expected *e)
{
  g_autofree gchar *path = fidac_test_shared_ct (e->folder);
  if (path == NULL)
    return;

  g_autoptr(FidacVolume) v = load_path (path, NULL);
  g_assert_cmpint (v->dims[0], ==, 512);
  g_assert_cmpint (v->dims[1], ==, 512);
  g_assert_cmpint (v->dims[2], ==, e->slices);
  for (guint c = 0; c < 3; c++)
    {
      g_assert_cmpfloat_with_epsilon (v->spacing[c], e->spacing[c], 1e-6);
      g_assert_cmpfloat_with_epsilon (v->origin[c], e->origin[c], 1e-5);
      for (guint a = 0; a < 3; a++)
        g_assert_cmpfloat_with_epsilon (v->axis[a][c], a == c ? 1.0 : 0.0, 1e-9);
    }
  g_assert_cmpstr (v->series_uid, ==, e->series_uid);
  g_assert_cmpstr (v->study_uid, ==, e->study_uid);
  g_assert_cmpstr (v->frame_of_reference_uid, ==, e->frame_of_reference_uid);
  g_assert_cmpstr (v->modality, ==, "CT");
  g_assert_cmpstr (v->patient_position, ==, e->patient_position);
  g_assert_cmpstr (v->study_date, ==, e->study_date);
  g_assert_cmpstr (v->slice_uids[0], ==, e->first_uid);
  g_assert_cmpstr (v->slice_uids[e->slices - 1], ==, e->last_uid);
  for (gint k = 0; k < e->slices; k++)
    g_assert_nonnull (v->slice_uids[k]);
  g_assert_cmpuint (v->windows->len, ==, 1);
  g_assert_cmpfloat (g_array_index (v->windows, FidacWindowPreset, 0).center, ==, e->window[0]);
  g_assert_cmpfloat (g_array_index (v->windows, FidacWindowPreset, 0).width, ==, e->window[1]);
  g_assert_cmpuint (v->warnings->len, ==, 0);

  for (guint p = 0; p < G_N_ELEMENTS (e->probes); p++)
    {
      const Probe *probe = &e->probes[p];
      g_assert_cmpint (fidac_volume_get (v, probe->i, probe->j, probe->k), ==, probe->hu);
    }

  gint64 sum = 0, first = 0;
  gsize n = fidac_volume_n_voxels (v), per_slice = fidac_volume_slice_voxels (v);
  for (gsize i = 0; i < n; i++)
    sum += v->voxels[i];
  for (gsize i = 0; i < per_slice; i++)
    first += v->voxels[i];
  g_assert_cmpint (sum, ==, e->sum);
  g_assert_cmpint (first, ==, e->sum_first_slice);
}

static void
test_shared_lidc (void)
{
  check_expected (&lidc);
}

static void
test_shared_ricord (void)
{
  check_expected (&ricord);
}

/* A copy under random names (links), some in a subfolder: the same volume, bit for bit. */
static void
check_shuffled (const gchar *name)
{
  g_autofree gchar *path = fidac_test_shared_ct (name);
  if (path == NULL)
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  g_autofree gchar *sub = g_build_filename (dir, "zz", NULL);
  g_mkdir (sub, 0755);
  g_autoptr(GDir) source = g_dir_open (path, 0, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20200301);
  const gchar *entry;
  while ((entry = g_dir_read_name (source)) != NULL)
    {
      if (!g_str_has_suffix (entry, ".dcm"))
        continue;
      g_autofree gchar *target = g_build_filename (path, entry, NULL);
      g_autofree gchar *random = g_strdup_printf ("%08x", g_rand_int (rand));
      g_autofree gchar *link = g_build_filename (g_rand_boolean (rand) ? dir : sub, random, NULL);
      g_assert_cmpint (symlink (target, link), ==, 0);
    }

  g_autoptr(FidacVolume) a = load_path (path, NULL);
  g_autoptr(FidacVolume) b = load_path (dir, NULL);
  g_assert_cmpmem (a->dims, sizeof a->dims, b->dims, sizeof b->dims);
  g_assert_cmpmem (a->to_patient, sizeof a->to_patient, b->to_patient, sizeof b->to_patient);
  g_assert_true (memcmp (a->voxels, b->voxels, fidac_volume_n_voxels (a) * sizeof (gint16)) == 0);
  for (gint k = 0; k < a->dims[2]; k++)
    g_assert_cmpstr (a->slice_uids[k], ==, b->slice_uids[k]);
  fidac_test_rmtree (dir);
}

static void
test_shuffled_lidc (void)
{
  check_shuffled ("lidc-0001");
}

static void
test_shuffled_ricord (void)
{
  check_shuffled ("covid-ricord-000082");
}

/* An oblique stack (rotated 30° about the feet-head axis, images standing upright) with
 * names and Instance Numbers in no useful order, and scanner-like jitter in positions. */
static void
test_oblique (void)
{
  if (!fixture_have_tools ())
    return;

  const gdouble c30 = cos (G_PI / 6), s30 = sin (G_PI / 6);
  const gdouble row[3] = { c30, s30, 0 }, col[3] = { 0, 0, -1 };
  const gdouble normal[3] = { -s30, c30, 0 };      /* row × col */
  const gdouble base[3] = { 12.5, -40.25, 80 };
  const gdouble jitter[6] = { 0.002, -0.003, 0.001, 0, -0.002, 0.003 };
  const gint order[6] = { 4, 0, 5, 2, 1, 3 };
  g_autofree gchar *dir = fidac_test_mkdtemp ();

  for (gint n = 0; n < 6; n++)
    {
      gint k = order[n];
      Fixture fx;
      fixture_init (&fx);
      fx.k = k;
      memcpy (fx.orientation, row, sizeof row);
      memcpy (fx.orientation + 3, col, sizeof col);
      for (guint c = 0; c < 3; c++)
        fx.position[c] = base[c] + (3.0 * k + jitter[k]) * normal[c];
      g_autofree gchar *path = g_strdup_printf ("%s/slice-%c.dcm", dir, 'a' + n);
      fixture_write (&fx, path);
    }

  g_autoptr(FidacVolume) v = load_path (dir, NULL);
  g_assert_cmpint (v->dims[0], ==, 16);
  g_assert_cmpint (v->dims[1], ==, 12);
  g_assert_cmpint (v->dims[2], ==, 6);
  g_assert_cmpfloat_with_epsilon (v->spacing[0], 0.7, 1e-9);   /* PixelSpacing[1] */
  g_assert_cmpfloat_with_epsilon (v->spacing[1], 0.8, 1e-9);   /* PixelSpacing[0] */
  /* From the end slices: (5 steps + jitter[5] - jitter[0]) / 5. */
  g_assert_cmpfloat_with_epsilon (v->spacing[2], 3.0 + (jitter[5] - jitter[0]) / 5, 1e-6);
  for (guint c = 0; c < 3; c++)
    {
      g_assert_cmpfloat_with_epsilon (v->axis[0][c], row[c], 1e-6);
      g_assert_cmpfloat_with_epsilon (v->axis[1][c], col[c], 1e-6);
      g_assert_cmpfloat_with_epsilon (v->axis[2][c], normal[c], 1e-6);
      g_assert_cmpfloat_with_epsilon (v->origin[c], base[c] + jitter[0] * normal[c], 1e-5);
    }
  g_assert_cmpfloat_with_epsilon (fidac_volume_tilt_degrees (v), 0.0, 1e-6);
  g_assert_cmpuint (v->warnings->len, ==, 0);
  for (gint k = 0; k < 6; k++)
    for (gint j = 0; j < 12; j++)
      for (gint i = 0; i < 16; i++)
        g_assert_cmpint (fidac_volume_get (v, i, j, k), ==, fixture_hu (i, j, k));

  /* Metadata and every window preset of the header. */
  g_assert_cmpstr (v->series_uid, ==, FIXTURE_SERIES_UID);
  g_assert_cmpstr (v->study_uid, ==, FIXTURE_STUDY_UID);
  g_assert_cmpstr (v->frame_of_reference_uid, ==, FIXTURE_FOR_UID);
  g_assert_cmpstr (v->series_description, ==, "fixture");
  g_assert_cmpstr (v->study_date, ==, "20200301");
  g_assert_cmpstr (v->patient_position, ==, "HFS");
  g_assert_cmpuint (v->windows->len, ==, 2);
  FidacWindowPreset *w0 = &g_array_index (v->windows, FidacWindowPreset, 0);
  FidacWindowPreset *w1 = &g_array_index (v->windows, FidacWindowPreset, 1);
  g_assert_cmpfloat (w0->center, ==, -600);
  g_assert_cmpfloat (w0->width, ==, 1500);
  g_assert_cmpstr (w0->explanation, ==, "LUNG");
  g_assert_cmpfloat (w1->center, ==, 40);
  g_assert_cmpfloat (w1->width, ==, 400);
  g_assert_cmpstr (w1->explanation, ==, "MEDIASTINUM");
  fidac_test_rmtree (dir);
}

/* Feet-first order does not matter either: slice 0 is the lowest along the normal. A
 * slice given twice (same instance, another path) counts once, with a warning. */
static void
test_copy_ignored (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  Fixture fx;
  fixture_init (&fx);
  fx.position[2] = 500;
  fixture_write_stack (dir, 4, &fx);
  g_autofree gchar *original = g_build_filename (dir, "im01.dcm", NULL);
  g_autofree gchar *copy = g_build_filename (dir, "copy-of-im01.dcm", NULL);
  g_autofree gchar *data = NULL;
  gsize size;
  g_assert_true (g_file_get_contents (original, &data, &size, NULL));
  g_assert_true (g_file_set_contents (copy, data, size, NULL));

  g_autoptr(FidacVolume) v = load_path (dir, NULL);
  g_assert_cmpint (v->dims[2], ==, 4);
  g_assert_cmpfloat_with_epsilon (v->origin[2], 500, 1e-9);
  g_assert_cmpuint (v->warnings->len, ==, 1);
  g_assert_nonnull (strstr (v->warnings->pdata[0], "SOP Instance UID"));
  for (gint k = 0; k < 4; k++)
    g_assert_cmpint (fidac_volume_get (v, 7, 3, k), ==, fixture_hu (7, 3, k));
  fidac_test_rmtree (dir);
}

/* Enhanced CT: one multi-frame file, geometry from the functional groups. Frames are
 * stored in a scrambled order along the normal; frame 3 has its own rescale. 20 frames,
 * enough to be shared out between decoding threads. */
static void
write_enhanced (const gchar *path)
{
  const gint rows = 6, columns = 5, n = 20;
  g_autoptr(GString) dump = g_string_new (NULL);
  g_autofree gchar *dump_path = g_strconcat (path, ".dump", NULL);
  g_autofree gchar *pix_path = g_strconcat (path, ".pix", NULL);
  g_autofree guint8 *pix = g_new0 (guint8, rows * columns * n * 2);

  g_string_append (dump,
    "(0002,0010) UI [1.2.840.10008.1.2.1]\n"
    "(0008,0016) UI [1.2.840.10008.5.1.4.1.1.2.1]\n"
    "(0008,0018) UI [1.2.826.0.1.3680043.8.498.3.1]\n"
    "(0008,0060) CS [CT]\n"
    "(0020,000d) UI [" FIXTURE_STUDY_UID "]\n"
    "(0020,000e) UI [1.2.826.0.1.3680043.8.498.3]\n"
    "(0020,0052) UI [" FIXTURE_FOR_UID "]\n"
    "(0028,0002) US 1\n(0028,0004) CS [MONOCHROME2]\n(0028,0008) IS [20]\n"
    "(0028,0010) US 6\n(0028,0011) US 5\n"
    "(0028,0100) US 16\n(0028,0101) US 16\n(0028,0102) US 15\n(0028,0103) US 1\n"
    "(5200,9229) SQ (Sequence with undefined length #=1)\n"
    "(fffe,e000) na (Item with undefined length #=3)\n"
    "(0020,9116) SQ (Sequence with undefined length #=1)\n"
    "(fffe,e000) na (Item with undefined length #=1)\n"
    "(0020,0037) DS [0\\1\\0\\0\\0\\-1]\n"
    "(fffe,e00d) na (ItemDelimitationItem)\n"
    "(fffe,e0dd) na (SequenceDelimitationItem)\n"
    "(0028,9110) SQ (Sequence with undefined length #=1)\n"
    "(fffe,e000) na (Item with undefined length #=2)\n"
    "(0028,0030) DS [0.9\\0.6]\n(0018,0050) DS [2]\n"
    "(fffe,e00d) na (ItemDelimitationItem)\n"
    "(fffe,e0dd) na (SequenceDelimitationItem)\n"
    "(0028,9145) SQ (Sequence with undefined length #=1)\n"
    "(fffe,e000) na (Item with undefined length #=2)\n"
    "(0028,1052) DS [-1024]\n(0028,1053) DS [1]\n(0028,1054) LO [HU]\n"
    "(fffe,e00d) na (ItemDelimitationItem)\n"
    "(fffe,e0dd) na (SequenceDelimitationItem)\n"
    "(fffe,e00d) na (ItemDelimitationItem)\n"
    "(fffe,e0dd) na (SequenceDelimitationItem)\n"
    "(5200,9230) SQ (Sequence with undefined length #=20)\n");
  for (gint f = 0; f < n; f++)
    {
      gint k = (f * 7) % n;                   /* slice index of frame f */
      gdouble intercept = f == 3 ? -1000 : -1024;
      /* Sagittal: normal = (0,1,0) x (0,0,-1) = (-1,0,0); slice k at x = 30 - 2.5 k. */
      g_string_append_printf (dump,
        "(fffe,e000) na (Item with undefined length #=1)\n"
        "(0020,9113) SQ (Sequence with undefined length #=1)\n"
        "(fffe,e000) na (Item with undefined length #=1)\n"
        "(0020,0032) DS [%g\\-20\\40]\n"
        "(fffe,e00d) na (ItemDelimitationItem)\n"
        "(fffe,e0dd) na (SequenceDelimitationItem)\n", 30 - 2.5 * k);
      if (f == 3)
        g_string_append (dump,
          "(0028,9145) SQ (Sequence with undefined length #=1)\n"
          "(fffe,e000) na (Item with undefined length #=2)\n"
          "(0028,1052) DS [-1000]\n(0028,1053) DS [1]\n"
          "(fffe,e00d) na (ItemDelimitationItem)\n"
          "(fffe,e0dd) na (SequenceDelimitationItem)\n");
      g_string_append (dump, "(fffe,e00d) na (ItemDelimitationItem)\n");
      for (gint p = 0; p < rows * columns; p++)
        {
          guint16 v = (guint16) (gint16) (fixture_hu (p % columns, p / columns, k) - intercept);
          gsize o = ((gsize) f * rows * columns + p) * 2;
          pix[o] = v & 0xff;
          pix[o + 1] = v >> 8;
        }
    }
  g_string_append (dump, "(fffe,e0dd) na (SequenceDelimitationItem)\n");
  g_assert_true (g_file_set_contents (pix_path, (const gchar *) pix, rows * columns * n * 2, NULL));
  g_string_append_printf (dump, "(7fe0,0010) OW =%s\n", pix_path);
  g_assert_true (g_file_set_contents (dump_path, dump->str, -1, NULL));
  const gchar *argv[] = { "dump2dcm", "-q", dump_path, path, NULL };
  fixture_run (argv);
  g_unlink (dump_path);
  g_unlink (pix_path);
}

static void
test_enhanced (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  g_autofree gchar *path = g_build_filename (dir, "enhanced.dcm", NULL);
  write_enhanced (path);

  for (guint pass = 0; pass < 2; pass++)
    {
      if (pass == 1)
        fixture_recode (path, "dcmcjpeg", "+e1");   /* encapsulated, one fragment per frame */

      g_autoptr(FidacScan) scan = NULL;
      g_autoptr(FidacVolume) v = load_path (dir, &scan);
      const FidacSeriesInfo *info = scan->series->pdata[0];
      g_assert_cmpuint (info->n_frames, ==, 20);
      g_assert_cmpuint (info->files->len, ==, 1);
      g_assert_cmpint (v->dims[0], ==, 5);
      g_assert_cmpint (v->dims[1], ==, 6);
      g_assert_cmpint (v->dims[2], ==, 20);
      g_assert_cmpfloat_with_epsilon (v->spacing[0], 0.6, 1e-9);
      g_assert_cmpfloat_with_epsilon (v->spacing[1], 0.9, 1e-9);
      g_assert_cmpfloat_with_epsilon (v->spacing[2], 2.5, 1e-9);
      /* Along the normal (-1,0,0) slice k lies at -30 + 2.5 k: slice 0 is at x = 30. */
      g_assert_cmpfloat_with_epsilon (v->origin[0], 30, 1e-9);
      g_assert_cmpfloat_with_epsilon (v->origin[1], -20, 1e-9);
      g_assert_cmpfloat_with_epsilon (v->origin[2], 40, 1e-9);
      g_assert_cmpfloat_with_epsilon (v->axis[2][0], -1, 1e-9);
      g_assert_cmpstr (v->series_uid, ==, "1.2.826.0.1.3680043.8.498.3");
      for (gint k = 0; k < 20; k++)
        {
          g_assert_cmpstr (v->slice_uids[k], ==, "1.2.826.0.1.3680043.8.498.3.1");
          for (gint j = 0; j < 6; j++)
            for (gint i = 0; i < 5; i++)
              g_assert_cmpint (fidac_volume_get (v, i, j, k), ==, fixture_hu (i, j, k));
        }
    }
  fidac_test_rmtree (dir);
}

/* The headers a scan parsed are reused by the load only while the files are unchanged:
 * a file rewritten in between (same size, new rescale) is read again. */
static void
test_changed_after_scan (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  Fixture fx;
  fixture_init (&fx);
  fixture_write_stack (dir, 3, &fx);

  g_autoptr(GError) error = NULL;
  g_autoptr(FidacScan) scan = fidac_dicom_scan (dir, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  /* Slice k=1 (im01.dcm) again, its stored values shifted by 24
   * and the intercept with them: same HU only if the new intercept is read. */
  g_usleep (20000);
  fx.k = 1;
  fx.position[0] = -20;
  fx.position[1] = -30;
  fx.position[2] = 1.5;
  fx.intercept = -1000;
  g_autofree gchar *path = g_build_filename (dir, "im01.dcm", NULL);
  fixture_write (&fx, path);

  g_autoptr(FidacVolume) v = fidac_dicom_load_series (scan->series->pdata[0], NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (gint k = 0; k < 3; k++)
    for (gint j = 0; j < 12; j++)
      for (gint i = 0; i < 16; i++)
        g_assert_cmpint (fidac_volume_get (v, i, j, k), ==, fixture_hu (i, j, k));
  fidac_test_rmtree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fidac/dicom-load/shared-lidc", test_shared_lidc);
  g_test_add_func ("/fidac/dicom-load/shared-ricord", test_shared_ricord);
  g_test_add_func ("/fidac/dicom-load/shuffled-lidc", test_shuffled_lidc);
  g_test_add_func ("/fidac/dicom-load/shuffled-ricord", test_shuffled_ricord);
  g_test_add_func ("/fidac/dicom-load/oblique", test_oblique);
  g_test_add_func ("/fidac/dicom-load/copy-ignored", test_copy_ignored);
  g_test_add_func ("/fidac/dicom-load/enhanced-ct", test_enhanced);
  g_test_add_func ("/fidac/dicom-load/changed-after-scan", test_changed_after_scan);

  return g_test_run ();
}
