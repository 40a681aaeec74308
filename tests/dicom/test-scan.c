/* test-scan.c: finding series in folders, files and DICOMDIRs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fidac-dicom.h"
#include "fidac-test-support.h"
#include "dicom-fixtures.h"

#define OTHER_SERIES_UID "1.2.826.0.1.3680043.8.498.1099"

/* Series A: 4 slices of 12 × 16, series number 3, 2020; series B: 2 slices of 8 × 8,
 * series number 2, same study: B sorts first. */
static void
write_two_series (const gchar *dir)
{
  Fixture fx;

  fixture_init (&fx);
  fixture_write_stack (dir, 4, &fx);
  for (gint k = 0; k < 2; k++)
    {
      fixture_init (&fx);
      fx.series_uid = OTHER_SERIES_UID;
      fx.rows = fx.columns = 8;
      fx.k = k;
      fx.position[2] = 5.0 * k;
      fx.series_number = 2;
      g_autofree gchar *path = g_strdup_printf ("%s/other%d.dcm", dir, k);
      fixture_write (&fx, path);
    }
}

static void
test_two_series (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  g_autofree gchar *sub = g_build_filename (dir, "deeper", "still", NULL);
  write_two_series (dir);
  /* One more slice of series A further down: scanning is recursive. */
  {
    Fixture fx;
    fixture_init (&fx);
    fx.k = 4;
    fx.position[0] = -20;
    fx.position[1] = -30;
    fx.position[2] = 6;
    g_mkdir_with_parents (sub, 0755);
    g_autofree gchar *path = g_build_filename (sub, "x.dcm", NULL);
    fixture_write (&fx, path);
  }

  g_autoptr(GError) error = NULL;
  g_autoptr(FidacScan) scan = fidac_dicom_scan (dir, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scan->series->len, ==, 2);
  g_assert_cmpuint (scan->warnings->len, ==, 0);

  const FidacSeriesInfo *b = scan->series->pdata[0];
  const FidacSeriesInfo *a = scan->series->pdata[1];
  g_assert_cmpstr (b->series_uid, ==, OTHER_SERIES_UID);
  g_assert_cmpint (b->series_number, ==, 2);
  g_assert_cmpuint (b->n_frames, ==, 2);
  g_assert_cmpuint (b->files->len, ==, 2);
  g_assert_cmpint (b->rows, ==, 8);
  g_assert_cmpstr (a->series_uid, ==, FIXTURE_SERIES_UID);
  g_assert_cmpstr (a->study_uid, ==, FIXTURE_STUDY_UID);
  g_assert_cmpstr (a->modality, ==, "CT");
  g_assert_cmpstr (a->series_description, ==, "fixture");
  g_assert_cmpstr (a->study_date, ==, "20200301");
  g_assert_cmpstr (a->sop_class_uid, ==, "1.2.840.10008.5.1.4.1.1.2");
  g_assert_cmpstr (a->transfer_syntax_uid, ==, "1.2.840.10008.1.2.1");
  g_assert_cmpint (a->series_number, ==, 3);
  g_assert_cmpint (a->rows, ==, 12);
  g_assert_cmpint (a->columns, ==, 16);
  g_assert_cmpuint (a->n_frames, ==, 5);
  g_assert_cmpuint (a->files->len, ==, 5);
  for (guint f = 0; f < a->files->len; f++)
    g_assert_true (g_path_is_absolute (a->files->pdata[f]));

  /* No choice made: an error listing both. */
  const FidacSeriesInfo *picked = fidac_scan_pick (scan, NULL, &error);
  g_assert_null (picked);
  g_assert_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_SEVERAL_SERIES);
  g_assert_nonnull (strstr (error->message, FIXTURE_SERIES_UID));
  g_assert_nonnull (strstr (error->message, OTHER_SERIES_UID));
  g_clear_error (&error);

  picked = fidac_scan_pick (scan, OTHER_SERIES_UID, &error);
  g_assert_no_error (error);
  g_assert_true (picked == b);
  picked = fidac_scan_pick (scan, "1.2.3.4", &error);
  g_assert_null (picked);
  g_assert_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_UNKNOWN_SERIES);
  g_clear_error (&error);

  /* Both load, each with its own slices. */
  g_autoptr(FidacVolume) va = fidac_dicom_load_series (a, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (va->dims[2], ==, 5);
  g_autoptr(FidacVolume) vb = fidac_dicom_load_series (b, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (vb->dims[0], ==, 8);
  g_assert_cmpint (vb->dims[2], ==, 2);
  g_assert_cmpfloat_with_epsilon (vb->spacing[2], 5.0, 1e-9);

  fidac_test_rmtree (dir);
}

static void
test_single_file (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  write_two_series (dir);
  g_autofree gchar *path = g_build_filename (dir, "other1.dcm", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacScan) scan = fidac_dicom_scan (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scan->series->len, ==, 1);
  const FidacSeriesInfo *info = fidac_scan_pick (scan, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->files->len, ==, 1);
  g_assert_cmpstr (info->files->pdata[0], ==, path);

  /* A single file that is not DICOM: no series, and the message says why. */
  g_autofree gchar *text = g_build_filename (dir, "readme.txt", NULL);
  g_assert_true (g_file_set_contents (text, "hello\n", -1, NULL));
  g_autoptr(FidacScan) none = fidac_dicom_scan (text, NULL, NULL, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_NO_SERIES);
  g_assert_nonnull (strstr (error->message, "1 file skipped"));
  g_assert_nonnull (strstr (error->message, "not a DICOM file"));
  fidac_test_rmtree (dir);
}

static void
test_skipped_files (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  Fixture fx;
  fixture_init (&fx);
  fixture_write_stack (dir, 3, &fx);
  g_autofree gchar *text = g_build_filename (dir, "notes.txt", NULL);
  g_autofree gchar *empty = g_build_filename (dir, "empty.dcm", NULL);
  g_autofree gchar *no_uid = g_build_filename (dir, "nouid.dcm", NULL);
  g_assert_true (g_file_set_contents (text, "<xml>not dicom</xml>\n", -1, NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  fixture_write (&fx, no_uid);
  {
    const gchar *argv[] = { "dcmodify", "-q", "-nb", "-e", "(0020,000e)", no_uid, NULL };
    fixture_run (argv);
  }

  g_autoptr(GError) error = NULL;
  g_autoptr(FidacScan) scan = fidac_dicom_scan (dir, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scan->series->len, ==, 1);
  g_assert_cmpuint (((FidacSeriesInfo *) scan->series->pdata[0])->n_frames, ==, 3);
  g_assert_cmpuint (scan->warnings->len, ==, 3);
  g_assert_true (fidac_test_warnings_contain (scan->warnings, text, "not a DICOM file"));
  g_assert_true (fidac_test_warnings_contain (scan->warnings, empty, "empty"));
  g_assert_true (fidac_test_warnings_contain (scan->warnings, no_uid, "Series Instance UID"));
  fidac_test_rmtree (dir);
}

static void
test_empty_and_missing (void)
{
  g_autofree gchar *dir = fidac_test_mkdtemp ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacScan) scan = fidac_dicom_scan (dir, NULL, NULL, NULL, &error);

  g_assert_null (scan);
  g_assert_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_NO_SERIES);
  g_assert_nonnull (strstr (error->message, "0 files skipped"));
  g_clear_error (&error);

  g_autofree gchar *missing = g_build_filename (dir, "no-such-folder", NULL);
  scan = fidac_dicom_scan (missing, NULL, NULL, NULL, &error);
  g_assert_null (scan);
  g_assert_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, missing));
  fidac_test_rmtree (dir);
}

static void
run_in (const gchar *cwd, const gchar *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *err = NULL;
  gint status = 0;

  g_spawn_sync (cwd, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

/* With a DICOMDIR the files it lists are used, and only those; a broken one is reported
 * and the folder is searched instead. */
static void
test_dicomdir (void)
{
  g_autofree gchar *tool = g_find_program_in_path ("dcmmkdir");
  if (tool == NULL)
    {
      g_test_skip ("dcmmkdir (Debian package dcmtk) is not installed: skipped");
      return;
    }
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  g_autofree gchar *data = g_build_filename (dir, "DATA", "SUB", NULL);
  g_mkdir_with_parents (data, 0755);
  for (gint k = 0; k < 3; k++)
    {
      Fixture fx;
      fixture_init (&fx);
      fx.k = k;
      fx.position[2] = 2.0 * k;
      fx.extra = "(0010,0010) PN [TEST^FIXTURE]\n(0010,0020) LO [P1]\n(0008,0030) TM [120000]\n"
                 "(0020,0010) SH [1]\n";
      g_autofree gchar *path = g_strdup_printf ("%s/IM%04d", data, 3 - k);
      fixture_write (&fx, path);
    }
  {
    const gchar *argv[] = { "dcmmkdir", "-q", "+r", "+I", "-W", "DATA", NULL };
    run_in (dir, argv);
  }
  /* A series the DICOMDIR does not know: not found through the DICOMDIR. */
  {
    Fixture fx;
    fixture_init (&fx);
    fx.series_uid = OTHER_SERIES_UID;
    g_autofree gchar *path = g_build_filename (dir, "stray.dcm", NULL);
    fixture_write (&fx, path);
  }

  g_autofree gchar *dicomdir = g_build_filename (dir, "DICOMDIR", NULL);
  g_assert_true (g_file_test (dicomdir, G_FILE_TEST_IS_REGULAR));
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacScan) scan = fidac_dicom_scan (dir, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scan->series->len, ==, 1);
  g_assert_cmpuint (scan->warnings->len, ==, 0);
  const FidacSeriesInfo *info = scan->series->pdata[0];
  g_assert_cmpstr (info->series_uid, ==, FIXTURE_SERIES_UID);
  g_assert_cmpuint (info->files->len, ==, 3);

  /* The DICOMDIR file itself as the path. */
  g_autoptr(FidacScan) direct = fidac_dicom_scan (dicomdir, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (direct->series->len, ==, 1);
  g_assert_cmpuint (((FidacSeriesInfo *) direct->series->pdata[0])->files->len, ==, 3);

  g_autoptr(FidacVolume) volume = fidac_dicom_load_series (info, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (volume->dims[2], ==, 3);
  g_assert_cmpint (fidac_volume_get (volume, 3, 4, 2), ==, fixture_hu (3, 4, 2));

  /* Broken DICOMDIR: a warning naming it, then every file of the folder, and the DICOMDIR
   * file itself is neither a series nor a skipped file. */
  g_assert_true (g_file_set_contents (dicomdir, "garbage, not a DICOMDIR", -1, NULL));
  g_autoptr(FidacScan) walked = fidac_dicom_scan (dir, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (walked->series->len, ==, 2);
  g_assert_true (fidac_test_warnings_contain (walked->warnings, dicomdir, "DICOMDIR"));

  fidac_test_rmtree (dir);
}

typedef struct {
  guint   calls;
  gdouble last;
  gboolean monotonic;
} ProgressState;

static void
progress_cb (gdouble fraction, gpointer user_data)
{
  ProgressState *state = user_data;

  /* Called from worker threads; the test only records. */
  if (fraction < state->last)
    state->monotonic = FALSE;
  state->last = fraction;
  g_atomic_int_inc (&state->calls);
}

static void
test_progress (void)
{
  if (!fixture_have_tools ())
    return;

  g_autofree gchar *dir = fidac_test_mkdtemp ();
  Fixture fx;
  fixture_init (&fx);
  fixture_write_stack (dir, 8, &fx);
  ProgressState state = { 0, 0, TRUE };
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacScan) scan = fidac_dicom_scan (dir, NULL, progress_cb, &state, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (state.calls, >=, 2);
  g_assert_cmpfloat (state.last, ==, 1.0);
  fidac_test_rmtree (dir);
}

/* The shared real series: one series each, the non-DICOM companions skipped by name. */
static void
test_shared_lidc (void)
{
  g_autofree gchar *path = fidac_test_shared_ct ("lidc-0001");
  if (path == NULL)
    return;

  g_autoptr(GError) error = NULL;
  g_autoptr(FidacScan) scan = fidac_dicom_scan (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scan->series->len, ==, 1);
  const FidacSeriesInfo *info = scan->series->pdata[0];
  g_assert_cmpstr (info->series_uid, ==, "1.3.6.1.4.1.14519.5.2.1.6279.6001.179049373636438705059720603192");
  g_assert_cmpstr (info->modality, ==, "CT");
  g_assert_cmpstr (info->study_date, ==, "20000101");
  g_assert_cmpstr (info->transfer_syntax_uid, ==, "1.2.840.10008.1.2.1");
  g_assert_cmpuint (info->n_frames, ==, 133);
  g_assert_cmpint (info->rows, ==, 512);
  g_assert_cmpint (info->columns, ==, 512);
  g_assert_cmpuint (scan->warnings->len, ==, 3);
  g_assert_true (fidac_test_warnings_contain (scan->warnings, "069.xml", "not a DICOM file"));
  g_assert_true (fidac_test_warnings_contain (scan->warnings, "SOURCE.txt", "not a DICOM file"));
  g_assert_true (fidac_test_warnings_contain (scan->warnings, "ATTRIBUTION.txt", "not a DICOM file"));
}

static void
test_shared_ricord (void)
{
  g_autofree gchar *path = fidac_test_shared_ct ("covid-ricord-000082");
  if (path == NULL)
    return;

  g_autoptr(GError) error = NULL;
  g_autoptr(FidacScan) scan = fidac_dicom_scan (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scan->series->len, ==, 1);
  const FidacSeriesInfo *info = scan->series->pdata[0];
  g_assert_cmpstr (info->series_uid, ==, "1.2.826.0.1.3680043.10.474.419639.403650391453800318566197197100");
  g_assert_cmpstr (info->study_date, ==, "20020802");
  g_assert_cmpstr (info->transfer_syntax_uid, ==, "1.2.840.10008.1.2.4.70");
  g_assert_cmpuint (info->n_frames, ==, 255);
  g_assert_cmpuint (scan->warnings->len, ==, 1);
  g_assert_true (fidac_test_warnings_contain (scan->warnings, "SOURCE.txt", "not a DICOM file"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fidac/dicom-scan/two-series", test_two_series);
  g_test_add_func ("/fidac/dicom-scan/single-file", test_single_file);
  g_test_add_func ("/fidac/dicom-scan/skipped-files", test_skipped_files);
  g_test_add_func ("/fidac/dicom-scan/empty-and-missing", test_empty_and_missing);
  g_test_add_func ("/fidac/dicom-scan/dicomdir", test_dicomdir);
  g_test_add_func ("/fidac/dicom-scan/progress", test_progress);
  g_test_add_func ("/fidac/dicom-scan/shared-lidc", test_shared_lidc);
  g_test_add_func ("/fidac/dicom-scan/shared-ricord", test_shared_ricord);

  return g_test_run ();
}
