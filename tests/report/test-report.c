/* test-report.c: the case report PDF, read back with poppler's pdftotext, pdftoppm and
 * pdffonts, on the phantom with its ground truth as the lesions and lungs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "fidac-label-reslice.h"
#include "fidac-lesion.h"
#include "fidac-phantom.h"
#include "fidac-report.h"
#include "fidac-test-support.h"
#include "fidac-window-level.h"

static FidacVolume *phantom;
static FidacLabelMap *lesions;  /* the phantom's lesion labels */
static FidacLabelMap *lungs;    /* the phantom's lung labels */

/* Counted here voxel by voxel, independently of fidac-quantify.c. */
static guint64 lung_voxels[FIDAC_LUNG_N + 1];
static guint64 lesion_voxels[FIDAC_LESION_N_CLASSES + 1];
static guint64 in_lung[FIDAC_LUNG_N + 1][FIDAC_LESION_N_CLASSES + 1];
static gdouble voxel_ml;

static void
setup_phantom (void)
{
  g_autoptr(GError) error = NULL;
  FidacPhantomOptions options;
  gsize n;

  fidac_phantom_options_init (&options);
  options.columns = 128;
  options.rows = 128;
  options.slices = 60;
  options.pixel_spacing = 2.8;
  options.slice_spacing = 5.0;
  phantom = fidac_phantom_new (&options, &error);
  g_assert_no_error (error);
  n = fidac_volume_n_voxels (phantom);
  lesions = fidac_label_map_new (phantom, &error);
  g_assert_no_error (error);
  lungs = fidac_label_map_new (phantom, &error);
  g_assert_no_error (error);
  g_assert_true (fidac_phantom_fill_lesion_labels (phantom, lesions->labels, n, &error));
  g_assert_true (fidac_phantom_fill_lung_labels (phantom, lungs->labels, n, &error));
  g_assert_no_error (error);
  fidac_label_map_touch (lesions, 0, phantom->dims[2] - 1);
  fidac_label_map_touch (lungs, 0, phantom->dims[2] - 1);

  for (gsize v = 0; v < n; v++)
    {
      guint lung = lungs->labels[v], id = lesions->labels[v];

      g_assert_cmpuint (lung, <=, FIDAC_LUNG_N);
      g_assert_cmpuint (id, <=, FIDAC_LESION_N_CLASSES);
      if (lung != 0)
        lung_voxels[lung]++, lung_voxels[0]++;
      if (id != 0)
        lesion_voxels[id]++, lesion_voxels[0]++;
      if (lung != 0 && id != 0)
        {
          in_lung[lung][id]++;
          in_lung[lung][0]++;
          in_lung[0][id]++;
          in_lung[0][0]++;
        }
    }
  voxel_ml = options.pixel_spacing * options.pixel_spacing * options.slice_spacing / 1000.0;
  g_assert_cmpuint (lesion_voxels[FIDAC_LESION_GROUND_GLASS], >, 0);
  g_assert_cmpuint (lesion_voxels[FIDAC_LESION_CONSOLIDATION], >, 0);
  g_assert_cmpuint (lung_voxels[FIDAC_LUNG_RIGHT], >, 0);
  g_assert_cmpuint (lung_voxels[FIDAC_LUNG_LEFT], >, 0);
}

static void
known_scores (FidacScores *s)
{
  static const gint lobes[FIDAC_N_LOBES] = { 3, 1, 4, 2, 3 };

  fidac_scores_init (s);
  memcpy (s->lobes, lobes, sizeof lobes);
  s->extent = FIDAC_EXTENT_MODERATE;
  s->corads = 5;
  s->rsna = FIDAC_RSNA_TYPICAL;
  s->pattern = FIDAC_PATTERN_GROUND_GLASS;
  s->axial = FIDAC_AXIAL_PERIPHERAL;
  s->side = FIDAC_SIDE_BILATERAL;
  s->findings = FIDAC_FINDING_PLEURAL_EFFUSION | FIDAC_FINDING_OTHER;
  s->other_findings = g_strdup ("adénopathie médiastinale");
  s->comment = g_strdup ("Aspect typique, pas d’embolie visible.");
}

static void
input_init (FidacReportInput *input,
            FidacScores      *scores,
            GDateTime        *date)
{
  memset (input, 0, sizeof *input);
  input->volume = phantom;
  input->labels = lesions;
  input->lungs = lungs;
  input->scores = scores;
  input->reader_name = "Dr Hélène Lefèvre";
  input->reader_id = "10001234567";
  input->reader_role = "expert";
  input->status = "Complété";
  input->date = date;
}

/* Runs `argv`; its stdout, or NULL after g_test_skip() when the program is missing. */
static gchar *
run_tool (const gchar * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *program = g_find_program_in_path (argv[0]);
  g_autofree gchar *err = NULL;
  gchar *out = NULL;
  gint status = 0;

  if (program == NULL)
    {
      g_autofree gchar *message = g_strdup_printf ("%s is not installed (Debian package "
                                                   "poppler-utils)", argv[0]);

      g_test_skip (message);
      return NULL;
    }
  g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
  return out;
}

static gchar *
write_report (const FidacReportInput *input,
              gchar                 **dir)
{
  g_autoptr(GError) error = NULL;
  gchar *path;

  *dir = fidac_test_mkdtemp ();
  path = g_build_filename (*dir, "rapport.pdf", NULL);
  g_assert_true (fidac_report_write_pdf (input, path, &error));
  g_assert_no_error (error);
  return path;
}

/* Every figure the report prints, as the hand counts give it. */
static void
test_text (void)
{
  g_autoptr(GDateTime) date = g_date_time_new_local (2026, 3, 15, 9, 30, 0);
  g_autofree gchar *dir = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *text = NULL;
  g_autofree gchar *fonts = NULL;
  FidacReportInput input;
  FidacScores scores;
  gchar buffer[128];

  known_scores (&scores);
  input_init (&input, &scores, date);
  path = write_report (&input, &dir);
  {
    const gchar *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", path, "-", NULL };

    text = run_tool (argv);
  }
  if (text == NULL)
    goto out;
  g_test_message ("%s", text);

  fidac_test_assert_in_report (text, "FIDAC case report");
  fidac_test_assert_in_report (text, "Dr Hélène Lefèvre");
  fidac_test_assert_in_report (text, "10001234567");
  fidac_test_assert_in_report (text, "expert");
  fidac_test_assert_in_report (text, "Complété");
  fidac_test_assert_in_report (text, "2026-03-15 09:30");
  fidac_test_assert_in_report (text, phantom->series_uid);
  fidac_test_assert_in_report (text, phantom->study_uid);
  if (phantom->series_description != NULL)
    fidac_test_assert_in_report (text, phantom->series_description);
  fidac_test_assert_in_report (text, "128 × 128 × 60 voxels (60 slices)");

  /* Lungs to 0.1 mL; lesions to 0.01 mL and their shares to 0.01 %. */
  for (guint lung = 0; lung <= FIDAC_LUNG_N; lung++)
    {
      g_snprintf (buffer, sizeof buffer, "%.1f mL", lung_voxels[lung] * voxel_ml);
      fidac_test_assert_in_report (text, buffer);
    }
  for (guint id = 0; id <= FIDAC_LESION_N_CLASSES; id++)
    {
      g_snprintf (buffer, sizeof buffer, "%.2f mL", lesion_voxels[id] * voxel_ml);
      fidac_test_assert_in_report (text, buffer);
      for (guint lung = 0; lung <= FIDAC_LUNG_N; lung++)
        {
          g_snprintf (buffer, sizeof buffer, "%.2f mL", in_lung[lung][id] * voxel_ml);
          fidac_test_assert_in_report (text, buffer);
          g_snprintf (buffer, sizeof buffer, "%.2f %%",
                      100.0 * in_lung[lung][id] / lung_voxels[lung]);
          fidac_test_assert_in_report (text, buffer);
        }
      if (id > 0)
        fidac_test_assert_in_report (text, fidac_lesion_get_name (fidac_lesion_get (id)));
    }
  g_snprintf (buffer, sizeof buffer, "%s (%s)",
              fidac_extent_get_name (fidac_extent_for_percent (100.0 * in_lung[0][0] /
                                                               lung_voxels[0])),
              fidac_extent_get_definition (fidac_extent_for_percent (100.0 * in_lung[0][0] /
                                                                     lung_voxels[0])));
  fidac_test_assert_in_report (text, buffer);
  /* Beside the expert's class in the scores. */
  g_snprintf (buffer, sizeof buffer, "%s (%.2f %% of the lungs involved)",
              fidac_extent_get_name (fidac_extent_for_percent (100.0 * in_lung[0][0] /
                                                               lung_voxels[0])),
              100.0 * in_lung[0][0] / lung_voxels[0]);
  fidac_test_assert_in_report (text, buffer);

  /* The scores: 3 + 1 + 4 + 2 + 3. */
  fidac_test_assert_in_report (text, "13 / 25");
  for (gint l = 0; l < FIDAC_N_LOBES; l++)
    fidac_test_assert_in_report (text, fidac_lobe_get_name (l));
  fidac_test_assert_in_report (text, fidac_lobe_score_get_definition (4));
  fidac_test_assert_in_report (text, fidac_extent_get_name (FIDAC_EXTENT_MODERATE));
  fidac_test_assert_in_report (text, "CO-RADS 5");
  fidac_test_assert_in_report (text, fidac_rsna_get_name (FIDAC_RSNA_TYPICAL));
  fidac_test_assert_in_report (text, fidac_pattern_get_name (FIDAC_PATTERN_GROUND_GLASS));
  fidac_test_assert_in_report (text, fidac_side_get_name (FIDAC_SIDE_BILATERAL));
  fidac_test_assert_in_report (text, fidac_finding_get_name (FIDAC_FINDING_PLEURAL_EFFUSION));
  fidac_test_assert_in_report (text, "adénopathie médiastinale");
  fidac_test_assert_in_report (text, "pas d’embolie visible");
  fidac_test_assert_in_report (text, "Key images");
  fidac_test_assert_in_report (text, "Lung outline");

  {
    const gchar *argv[] = { "pdffonts", path, NULL };

    fonts = run_tool (argv);
  }
  if (fonts != NULL)
    {
      g_auto(GStrv) lines = g_strsplit (fonts, "\n", -1);
      guint n_fonts = 0;

      g_test_message ("%s", fonts);
      /* name type encoding emb sub uni object ID: every font embedded. */
      for (guint i = 2; lines[i] != NULL; i++)
        {
          if (*lines[i] == '\0')
            continue;
          n_fonts++;
          g_assert_true (strstr (lines[i], " yes ") != NULL);
        }
      g_assert_cmpuint (n_fonts, >, 0);
    }

out:
  fidac_scores_clear (&scores);
  g_unlink (path);
  fidac_test_rmtree (dir);
}

/* A binary PPM (P6) as pdftoppm writes it. */
static guint8 *
read_ppm (const gchar *path,
          gint        *width,
          gint        *height)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *data = NULL;
  gsize length = 0;
  gint maxval = 0, consumed = 0;

  g_assert_true (g_file_get_contents (path, &data, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sscanf (data, "P6 %d %d %d%n", width, height, &maxval, &consumed), ==, 3);
  g_assert_cmpint (maxval, ==, 255);
  consumed++;                   /* the one white space after maxval */
  g_assert_cmpuint (length, ==, consumed + (gsize) *width * *height * 3);
  return g_memdup2 (data + consumed, length - consumed);
}

/* Pixels of `rgb` within `tolerance` of `want` on every channel. */
static guint
count_colour (const guint8 *rgb,
              gsize         n,
              const guint8  want[3],
              gint          tolerance)
{
  guint count = 0;

  for (gsize p = 0; p < n; p++)
    if (ABS (rgb[3 * p] - want[0]) <= tolerance && ABS (rgb[3 * p + 1] - want[1]) <= tolerance &&
        ABS (rgb[3 * p + 2] - want[2]) <= tolerance)
      count++;
  return count;
}

/* The overlay's colour of class `id` over the lung-window grey of `hu`. */
static void
blended (guint         id,
         gint16        hu,
         guint8        out[3])
{
  const FidacLesionClass *lesion = fidac_lesion_get (id);
  guint8 g = fidac_window_level_map (hu, FIDAC_WINDOW_LUNG_WIDTH, FIDAC_WINDOW_LUNG_LEVEL);
  guint a = fidac_overlay_alpha (FIDAC_REPORT_OVERLAY_OPACITY);

  for (gint c = 0; c < 3; c++)
    out[c] = (guint8) ((lesion->rgb[c] * a + g * (255 - a) + 127) / 255);
}

/* Page 1 at 72 dpi is A4 in points; the key images (page 2) show the lesions in their
 * classes' colours over the grey of their HU, and the lung outline. */
static void
test_render (void)
{
  g_autoptr(GDateTime) date = g_date_time_new_utc (2026, 3, 15, 9, 30, 0);
  g_autofree gchar *dir = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *prefix = NULL;
  g_autofree gchar *page1 = NULL;
  g_autofree gchar *page2 = NULL;
  g_autofree gchar *out = NULL;
  g_autofree guint8 *rgb = NULL;
  FidacReportInput input;
  FidacScores scores;
  guint8 ggo[3], consolidation[3];
  static const guint8 outline[3] = FIDAC_REPORT_LUNG_OUTLINE_RGB;
  gint w = 0, h = 0;
  guint n_ggo, n_consolidation, n_outline;

  known_scores (&scores);
  input_init (&input, &scores, date);
  path = write_report (&input, &dir);
  prefix = g_build_filename (dir, "page", NULL);
  {
    const gchar *argv[] = { "pdftoppm", "-r", "72", "-f", "1", "-l", "1", "-singlefile",
                            path, prefix, NULL };

    out = run_tool (argv);
  }
  if (out == NULL)
    goto done;
  page1 = g_strconcat (prefix, ".ppm", NULL);
  rgb = read_ppm (page1, &w, &h);
  /* A4, 210 × 297 mm: 595.28 × 841.89 pt, pixels rounded up. */
  g_assert_cmpint (w, ==, 596);
  g_assert_cmpint (h, ==, 842);
  g_clear_pointer (&rgb, g_free);
  g_unlink (page1);

  g_free (out);
  {
    const gchar *argv[] = { "pdftoppm", "-r", "150", path, prefix, NULL };

    out = run_tool (argv);
  }
  blended (FIDAC_LESION_GROUND_GLASS, -550, ggo);
  blended (FIDAC_LESION_CONSOLIDATION, 30, consolidation);
  n_ggo = n_consolidation = n_outline = 0;
  /* Every page but the first (the figures): the key images follow the scores. */
  for (guint page = 2; ; page++)
    {
      g_autofree gchar *name = g_strdup_printf ("%s-%u.ppm", prefix, page);
      guint g, c, o;

      if (!g_file_test (name, G_FILE_TEST_EXISTS))
        break;
      rgb = read_ppm (name, &w, &h);
      g_assert_cmpint (w, ==, (gint) ceil (595.276 * 150 / 72));
      g_assert_cmpint (h, ==, (gint) ceil (841.890 * 150 / 72));
      g = count_colour (rgb, (gsize) w * h, ggo, 3);
      c = count_colour (rgb, (gsize) w * h, consolidation, 3);
      o = count_colour (rgb, (gsize) w * h, outline, 3);
      g_test_message ("page %u at 150 dpi: %u ground-glass pixels (%u %u %u), %u consolidation "
                      "(%u %u %u), %u lung outline", page, g, ggo[0], ggo[1], ggo[2],
                      c, consolidation[0], consolidation[1], consolidation[2], o);
      n_ggo += g;
      n_consolidation += c;
      n_outline += o;
      g_clear_pointer (&rgb, g_free);
      g_unlink (name);
    }
  {
    g_autofree gchar *first = g_strdup_printf ("%s-1.ppm", prefix);

    g_unlink (first);
  }
  /* A lesion of radius 10 mm at 512 pixels for 358 mm, 243 pt wide at 150 dpi: about
   * 29 pixels across, hundreds of pixels inside. */
  g_assert_cmpuint (n_ggo, >, 300);
  g_assert_cmpuint (n_consolidation, >, 100);
  g_assert_cmpuint (n_outline, >, 300);

done:
  fidac_scores_clear (&scores);
  g_unlink (path);
  fidac_test_rmtree (dir);
}

/* Without labels, lungs or scores the report still says what it lacks. */
static void
test_empty (void)
{
  g_autofree gchar *dir = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *text = NULL;
  FidacReportInput input = { NULL };

  input.volume = phantom;
  path = write_report (&input, &dir);
  {
    const gchar *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", path, "-", NULL };

    text = run_tool (argv);
  }
  if (text != NULL)
    {
      fidac_test_assert_in_report (text, "No scores entered.");
      fidac_test_assert_in_report (text, "Nothing is painted: no key image.");
      fidac_test_assert_in_report (text, "The lungs were not segmented");
      fidac_test_assert_in_report (text, "0.00 mL");
    }
  g_unlink (path);
  fidac_test_rmtree (dir);
}

/* A folder that cannot take the file: FIDAC_REPORT_ERROR_WRITE and nothing left behind; a
 * report written over an older one replaces it whole. */
static void
test_write_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *dir = fidac_test_mkdtemp ();
  g_autofree gchar *missing = g_build_filename (dir, "missing", "rapport.pdf", NULL);
  g_autofree gchar *file = g_build_filename (dir, "file", NULL);
  g_autofree gchar *under_file = g_build_filename (dir, "file", "rapport.pdf", NULL);
  g_autofree gchar *locked = g_build_filename (dir, "locked", NULL);
  g_autofree gchar *in_locked = g_build_filename (dir, "locked", "rapport.pdf", NULL);
  g_autofree gchar *target = g_build_filename (dir, "rapport.pdf", NULL);
  g_autofree gchar *contents = NULL;
  gsize length = 0;
  FidacReportInput input = { NULL };

  input.volume = phantom;
  input.labels = lesions;
  input.lungs = lungs;

  g_assert_false (fidac_report_write_pdf (&input, missing, &error));
  g_assert_error (error, FIDAC_REPORT_ERROR, FIDAC_REPORT_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "rapport.pdf"));
  g_clear_error (&error);
  g_assert_cmpuint (fidac_test_count_entries (dir), ==, 0);

  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  g_assert_false (fidac_report_write_pdf (&input, under_file, &error));
  g_assert_error (error, FIDAC_REPORT_ERROR, FIDAC_REPORT_ERROR_WRITE);
  g_clear_error (&error);
  g_assert_cmpuint (fidac_test_count_entries (dir), ==, 1);

  /* Root writes into read-only folders: the check needs another user. */
  if (geteuid () != 0)
    {
      g_assert_cmpint (g_mkdir (locked, 0500), ==, 0);
      g_assert_false (fidac_report_write_pdf (&input, in_locked, &error));
      g_assert_error (error, FIDAC_REPORT_ERROR, FIDAC_REPORT_ERROR_WRITE);
      g_clear_error (&error);
      g_assert_false (g_file_test (in_locked, G_FILE_TEST_EXISTS));
      g_assert_cmpint (g_chmod (locked, 0700), ==, 0);
      g_assert_cmpint (g_rmdir (locked), ==, 0);
    }

  /* Over an older file: replaced by a whole PDF, no temporary file left. */
  g_assert_true (g_file_set_contents (target, "old", 3, NULL));
  g_assert_true (fidac_report_write_pdf (&input, target, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (target, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_nonnull (g_strrstr_len (contents + length - 16, 16, "%%EOF"));
  g_assert_cmpuint (fidac_test_count_entries (dir), ==, 2);

  fidac_test_rmtree (dir);
}

static void
test_invalid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) small = NULL;
  g_autoptr(FidacLabelMap) other = NULL;
  g_autofree gchar *dir = fidac_test_mkdtemp ();
  g_autofree gchar *target = g_build_filename (dir, "rapport.pdf", NULL);
  FidacReportInput input = { NULL };

  g_assert_false (fidac_report_write_pdf (&input, target, &error));
  g_assert_error (error, FIDAC_REPORT_ERROR, FIDAC_REPORT_ERROR_INVALID);
  g_clear_error (&error);

  small = fidac_volume_new (8, 8, 8, &error);
  g_assert_no_error (error);
  other = fidac_label_map_new (small, &error);
  g_assert_no_error (error);
  input.volume = phantom;
  input.labels = other;
  g_assert_false (fidac_report_write_pdf (&input, target, &error));
  g_assert_error (error, FIDAC_REPORT_ERROR, FIDAC_REPORT_ERROR_INVALID);
  g_clear_error (&error);
  input.labels = NULL;
  input.lungs = other;
  g_assert_false (fidac_report_write_pdf (&input, target, &error));
  g_assert_error (error, FIDAC_REPORT_ERROR, FIDAC_REPORT_ERROR_INVALID);
  g_assert_cmpuint (fidac_test_count_entries (dir), ==, 0);
  fidac_test_rmtree (dir);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  setup_phantom ();
  g_test_add_func ("/fidac/report/text", test_text);
  g_test_add_func ("/fidac/report/render", test_render);
  g_test_add_func ("/fidac/report/empty", test_empty);
  g_test_add_func ("/fidac/report/write-error", test_write_error);
  g_test_add_func ("/fidac/report/invalid", test_invalid);
  status = g_test_run ();
  fidac_label_map_unref (lesions);
  fidac_label_map_unref (lungs);
  fidac_volume_free (phantom);
  return status;
}
