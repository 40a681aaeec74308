/* test-write.c: the phantom (or any volume) written as a DICOM CT series.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files are checked three ways: dciodvfy (dicom3tools) must find no error; dcmdump
 * (DCMTK) shows the attributes written; the project's own reader brings the volume back,
 * bit for bit for every lossless transfer syntax.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "fidac-dicom.h"
#include "fidac-phantom.h"
#include "fidac-test-support.h"

typedef struct {
  FidacTransferSyntax syntax;
  const gchar        *uid;
  gboolean            lossless;
} Syntax;

static const Syntax all_syntaxes[] = {
  { FIDAC_TRANSFER_EXPLICIT_LITTLE, "1.2.840.10008.1.2.1", TRUE },
  { FIDAC_TRANSFER_IMPLICIT_LITTLE, "1.2.840.10008.1.2", TRUE },
  { FIDAC_TRANSFER_DEFLATED, "1.2.840.10008.1.2.1.99", TRUE },
  { FIDAC_TRANSFER_JPEG_LOSSLESS_SV1, "1.2.840.10008.1.2.4.70", TRUE },
  { FIDAC_TRANSFER_JPEG_LOSSLESS, "1.2.840.10008.1.2.4.57", TRUE },
  { FIDAC_TRANSFER_JPEG_EXTENDED, "1.2.840.10008.1.2.4.51", FALSE },
  { FIDAC_TRANSFER_JPEG_LS_LOSSLESS, "1.2.840.10008.1.2.4.80", TRUE },
  { FIDAC_TRANSFER_RLE, "1.2.840.10008.1.2.5", TRUE },
  { FIDAC_TRANSFER_JPEG2000_LOSSLESS, "1.2.840.10008.1.2.4.90", TRUE },
};

/* The phantom on a small grid: 64 × 64 × 20, 5.6 mm pixels, 15 mm slices. */
static FidacVolume *
small_phantom (gboolean feet_first,
               gdouble  tilt,
               gdouble  rotation)
{
  FidacPhantomOptions options;
  g_autoptr(GError) error = NULL;
  FidacVolume *volume;

  fidac_phantom_options_init (&options);
  options.columns = 64;
  options.rows = 64;
  options.slices = 20;
  options.pixel_spacing = 5.6;
  options.slice_spacing = 15;
  options.feet_first = feet_first;
  options.tilt_degrees = tilt;
  options.rotation_degrees = rotation;
  options.rotation_axis[0] = 0.3;
  options.rotation_axis[1] = -0.2;
  options.rotation_axis[2] = 1;
  volume = fidac_phantom_new (&options, &error);
  g_assert_no_error (error);
  return volume;
}

static void
write_series (const FidacVolume            *volume,
              const FidacDicomWriteOptions *options,
              const gchar                  *folder)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fidac_dicom_write_series (volume, options, folder, NULL, &error));
  g_assert_no_error (error);
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const gchar * const *) a, *(const gchar * const *) b);
}

static GPtrArray *
list_files (const gchar *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const gchar *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

static gchar *
run_tool (const gchar  *tool,
          const gchar **args,
          gchar       **err_out)
{
  g_autofree gchar *path = g_find_program_in_path (tool);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  gchar *out = NULL;
  gint status;

  if (path == NULL)
    return NULL;
  g_ptr_array_add (argv, path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (gchar **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, err_out, &status, &error));
  g_assert_no_error (error);
  return out;
}

/* Top-level attributes of a file, as dcmdump prints them: "(0020,0032)" -> value. */
static GHashTable *
dump_attributes (const gchar *file)
{
  const gchar *args[] = { "+L", "-Un", file, NULL };
  g_autofree gchar *out = run_tool ("dcmdump", args, NULL);
  GHashTable *table;
  g_auto(GStrv) lines = NULL;

  if (out == NULL)
    return NULL;
  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (out, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    {
      const gchar *line = lines[l];
      const gchar *open, *close;
      gchar *value;

      /* Items of sequences are indented: only the data set's own attributes. */
      if (line[0] != '(' || strlen (line) < 16)
        continue;
      open = strchr (line + 15, '[');
      close = open != NULL ? strchr (open, ']') : NULL;
      if (open != NULL && close != NULL && open - line < 20)
        value = g_strndup (open + 1, close - open - 1);
      else if (g_str_has_prefix (line + 12, "US") || g_str_has_prefix (line + 12, "UL"))
        value = g_strstrip (g_strndup (line + 15, strcspn (line + 15, "#")));
      else
        value = g_strdup ("");
      g_hash_table_replace (table, g_strndup (line, 11), value);
    }
  return table;
}

static void
parse_ds (const gchar *text,
          gdouble     *values,
          guint        n)
{
  g_auto(GStrv) parts = g_strsplit (text, "\\", -1);

  g_assert_cmpuint (g_strv_length (parts), ==, n);
  for (guint i = 0; i < n; i++)
    {
      gchar *end = NULL;

      values[i] = g_ascii_strtod (parts[i], &end);
      g_assert_true (end != parts[i] && *end == '\0');
    }
}

/* dciodvfy prints its findings on stderr; its exit status says nothing reliable. */
static guint
dciodvfy_errors (const gchar *file)
{
  const gchar *args[] = { file, NULL };
  g_autofree gchar *err = NULL;
  g_autofree gchar *out = run_tool ("dciodvfy", args, &err);
  g_auto(GStrv) lines = NULL;
  guint errors = 0;

  g_assert_nonnull (out);
  lines = g_strsplit (err, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    if (g_str_has_prefix (lines[l], "Error"))
      {
        g_test_message ("%s: %s", file, lines[l]);
        errors++;
      }
  return errors;
}

static void
test_write_dciodvfy (void)
{
  g_autofree gchar *dciodvfy = g_find_program_in_path ("dciodvfy");
  g_autofree gchar *dcmconv = g_find_program_in_path ("dcmconv");
  g_autoptr(FidacVolume) volume = small_phantom (FALSE, 0, 0);
  g_autofree gchar *tmp = fidac_test_mkdtemp ();

  if (dciodvfy == NULL)
    {
      g_test_skip ("dciodvfy (Debian package dicom3tools) is not installed");
      return;
    }

  for (guint s = 0; s < G_N_ELEMENTS (all_syntaxes); s++)
    {
      FidacDicomWriteOptions options;
      g_autofree gchar *folder = g_strdup_printf ("%s/ts%u", tmp, s);
      g_autofree gchar *file = g_build_filename (folder, "IMG00007.dcm", NULL);

      fidac_dicom_write_options_init (&options);
      options.transfer_syntax = all_syntaxes[s].syntax;
      write_series (volume, &options, folder);

      if (all_syntaxes[s].syntax == FIDAC_TRANSFER_DEFLATED)
        {
          /* dicom3tools cannot inflate: check the same data set re-encoded by DCMTK. */
          g_autofree gchar *plain = g_build_filename (tmp, "inflated.dcm", NULL);
          const gchar *args[] = { "+te", file, plain, NULL };
          g_autofree gchar *out = NULL;

          if (dcmconv == NULL)
            {
              g_test_message ("dcmconv absent: deflated file not checked by dciodvfy");
              continue;
            }
          out = run_tool ("dcmconv", args, NULL);
          g_assert_true (g_file_test (plain, G_FILE_TEST_EXISTS));
          g_assert_cmpuint (dciodvfy_errors (plain), ==, 0);
          continue;
        }
      g_assert_cmpuint (dciodvfy_errors (file), ==, 0);
    }

  /* Unsigned 12-bit pixels, feet first, tilted and oblique grids too. */
  {
    g_autoptr(FidacVolume) ffs = small_phantom (TRUE, 12, 20);
    FidacDicomWriteOptions options;
    g_autofree gchar *folder = g_build_filename (tmp, "ffs", NULL);
    g_autofree gchar *file = g_build_filename (folder, "IMG00003.dcm", NULL);

    fidac_dicom_write_options_init (&options);
    options.unsigned_pixels = TRUE;
    write_series (ffs, &options, folder);
    g_assert_cmpuint (dciodvfy_errors (file), ==, 0);
  }

  fidac_test_rmtree (tmp);
}

/* The files of a series by slice: slice k is the file whose SOP Instance UID is
 * volume->slice_uids[k]. */
static GPtrArray *
files_by_slice (const FidacVolume *volume,
                const gchar       *folder)
{
  g_autoptr(GPtrArray) names = list_files (folder);
  GPtrArray *by_slice = g_ptr_array_new_full (volume->dims[2], g_free);

  g_ptr_array_set_size (by_slice, volume->dims[2]);
  for (guint f = 0; f < names->len; f++)
    {
      g_autofree gchar *path = g_build_filename (folder, g_ptr_array_index (names, f), NULL);
      g_autoptr(GHashTable) attrs = dump_attributes (path);
      const gchar *uid = g_hash_table_lookup (attrs, "(0008,0018)");
      gint k;

      g_assert_nonnull (uid);
      for (k = 0; k < volume->dims[2]; k++)
        if (g_strcmp0 (volume->slice_uids[k], uid) == 0)
          break;
      g_assert_cmpint (k, <, volume->dims[2]);
      g_assert_null (g_ptr_array_index (by_slice, k));
      g_ptr_array_index (by_slice, k) = g_steal_pointer (&path);
    }
  return by_slice;
}

static void
test_write_attributes (void)
{
  g_autofree gchar *dcmdump = g_find_program_in_path ("dcmdump");
  g_autofree gchar *tmp = fidac_test_mkdtemp ();
  /* Required attributes of the CT Image IOD's modules (type 1 and 2). */
  static const gchar *required[] = {
    "(0008,0016)", "(0008,0018)", "(0010,0010)", "(0010,0020)", "(0010,0030)", "(0010,0040)",
    "(0020,000d)", "(0008,0020)", "(0008,0030)", "(0008,0090)", "(0020,0010)", "(0008,0050)",
    "(0008,0060)", "(0020,000e)", "(0020,0011)", "(0018,5100)", "(0020,0052)", "(0020,1040)",
    "(0008,0070)", "(0020,0013)", "(0028,0030)", "(0020,0037)", "(0020,0032)", "(0018,0050)",
    "(0028,0002)", "(0028,0004)", "(0028,0010)", "(0028,0011)", "(0028,0100)", "(0028,0101)",
    "(0028,0102)", "(0028,0103)", "(7fe0,0010)", "(0008,0008)", "(0028,1052)", "(0028,1053)",
    "(0018,0060)", "(0020,0012)", "(0028,1050)", "(0028,1051)",
  };
  struct {
    gboolean feet_first;
    gdouble  tilt, rotation;
    gboolean is_unsigned;
  } cases[] = {
    { FALSE, 0, 0, FALSE },
    { TRUE, 0, 0, TRUE },
    { FALSE, 15, 0, FALSE },
    { TRUE, -10, 25, FALSE },
  };

  if (dcmdump == NULL)
    {
      g_test_skip ("dcmdump (Debian package dcmtk) is not installed");
      return;
    }

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(FidacVolume) volume = small_phantom (cases[c].feet_first, cases[c].tilt,
                                                     cases[c].rotation);
      g_autofree gchar *folder = g_strdup_printf ("%s/case%u", tmp, c);
      g_autoptr(GPtrArray) files = NULL;
      FidacDicomWriteOptions options;
      gdouble previous_z = 0;
      gint n = volume->dims[2];
      GHashTable *by_instance[20] = { NULL };
      gint slice_of_instance[20];

      fidac_dicom_write_options_init (&options);
      options.unsigned_pixels = cases[c].is_unsigned;
      write_series (volume, &options, folder);
      files = files_by_slice (volume, folder);

      /* Each file once, then in Instance Number order: acquisition order. */
      for (gint k = 0; k < n; k++)
        {
          GHashTable *a = dump_attributes (g_ptr_array_index (files, k));
          gint instance = atoi (g_hash_table_lookup (a, "(0020,0013)"));

          g_assert_cmpint (instance, >=, 1);
          g_assert_cmpint (instance, <=, n);
          g_assert_null (by_instance[instance - 1]);
          by_instance[instance - 1] = a;
          slice_of_instance[instance - 1] = k;
        }

      for (gint instance = 1; instance <= n; instance++)
        {
          gint k = slice_of_instance[instance - 1];
          gdouble ipp[3], iop[6], ps[2], voxel[3] = { 0, 0, 0 }, expected[3];
          GHashTable *attrs = by_instance[instance - 1];

          for (guint r = 0; r < G_N_ELEMENTS (required); r++)
            if (!g_hash_table_contains (attrs, required[r]))
              g_error ("case %u: %s missing", c, required[r]);

          g_assert_cmpstr (g_hash_table_lookup (attrs, "(0008,0016)"), ==, "1.2.840.10008.5.1.4.1.1.2");
          g_assert_cmpstr (g_hash_table_lookup (attrs, "(0008,0060)"), ==, "CT");
          g_assert_cmpstr (g_hash_table_lookup (attrs, "(0010,0010)"), ==, "FIDAC^PHANTOM");
          g_assert_cmpstr (g_hash_table_lookup (attrs, "(0008,0008)"), ==, "ORIGINAL\\PRIMARY\\AXIAL");
          g_assert_cmpstr (g_hash_table_lookup (attrs, "(0018,5100)"), ==,
                           cases[c].feet_first ? "FFS" : "HFS");
          g_assert_cmpstr (g_hash_table_lookup (attrs, "(0020,000e)"), ==, volume->series_uid);
          g_assert_cmpstr (g_hash_table_lookup (attrs, "(0020,000d)"), ==, volume->study_uid);
          g_assert_cmpstr (g_hash_table_lookup (attrs, "(0020,0052)"), ==, volume->frame_of_reference_uid);
          g_assert_cmpstr (g_hash_table_lookup (attrs, "(0008,0020)"), ==, "20200415");
          g_assert_cmpstr (g_hash_table_lookup (attrs, "(0018,0060)"), ==, "120");
          g_assert_cmpstr (g_hash_table_lookup (attrs, "(0028,1050)"), ==, "-600\\40");
          g_assert_cmpstr (g_hash_table_lookup (attrs, "(0028,1051)"), ==, "1500\\350");
          g_assert_cmpstr (g_hash_table_lookup (attrs, "(0028,1055)"), ==, "LUNG\\MEDIASTINUM");
          g_assert_cmpstr (g_hash_table_lookup (attrs, "(0028,0010)"), ==, "64");
          g_assert_cmpstr (g_hash_table_lookup (attrs, "(0028,0100)"), ==, "16");
          g_assert_cmpstr (g_hash_table_lookup (attrs, "(0028,1053)"), ==, "1");
          if (cases[c].is_unsigned)
            {
              /* The phantom spans -1000..650 HU: 24..1674 fits in 12 bits. */
              g_assert_cmpstr (g_hash_table_lookup (attrs, "(0028,0101)"), ==, "12");
              g_assert_cmpstr (g_hash_table_lookup (attrs, "(0028,0102)"), ==, "11");
              g_assert_cmpstr (g_hash_table_lookup (attrs, "(0028,0103)"), ==, "0");
              g_assert_cmpstr (g_hash_table_lookup (attrs, "(0028,1052)"), ==, "-1024");
            }
          else
            {
              g_assert_cmpstr (g_hash_table_lookup (attrs, "(0028,0101)"), ==, "16");
              g_assert_cmpstr (g_hash_table_lookup (attrs, "(0028,0102)"), ==, "15");
              g_assert_cmpstr (g_hash_table_lookup (attrs, "(0028,0103)"), ==, "1");
              g_assert_cmpstr (g_hash_table_lookup (attrs, "(0028,1052)"), ==, "0");
            }

          /* Geometry from the volume's matrix. */
          voxel[2] = k;
          fidac_volume_voxel_to_patient (volume, voxel, expected);
          parse_ds (g_hash_table_lookup (attrs, "(0020,0032)"), ipp, 3);
          parse_ds (g_hash_table_lookup (attrs, "(0020,0037)"), iop, 6);
          parse_ds (g_hash_table_lookup (attrs, "(0028,0030)"), ps, 2);
          for (guint a = 0; a < 3; a++)
            {
              g_assert_cmpfloat_with_epsilon (ipp[a], expected[a], 1e-6);
              g_assert_cmpfloat_with_epsilon (iop[a], volume->axis[0][a], 1e-9);
              g_assert_cmpfloat_with_epsilon (iop[3 + a], volume->axis[1][a], 1e-9);
            }
          g_assert_cmpfloat_with_epsilon (ps[0], volume->spacing[1], 1e-9);
          g_assert_cmpfloat_with_epsilon (ps[1], volume->spacing[0], 1e-9);

          /* Head first: instance 1 is the top slice, then downwards; feet first the
           * other way. */
          if (instance > 1)
            {
              if (cases[c].feet_first)
                g_assert_cmpfloat (ipp[2], >, previous_z);
              else
                g_assert_cmpfloat (ipp[2], <, previous_z);
            }
          previous_z = ipp[2];
        }
      for (gint i = 0; i < n; i++)
        g_hash_table_unref (by_instance[i]);
    }
  fidac_test_rmtree (tmp);
}

static void
test_write_shuffled (void)
{
  g_autoptr(FidacVolume) volume = small_phantom (FALSE, 0, 0);
  g_autofree gchar *tmp = fidac_test_mkdtemp ();
  g_autofree gchar *a = g_build_filename (tmp, "a", NULL);
  g_autofree gchar *b = g_build_filename (tmp, "b", NULL);
  g_autofree gchar *c = g_build_filename (tmp, "c", NULL);
  g_autofree gchar *plain = g_build_filename (tmp, "plain", NULL);
  g_autoptr(GPtrArray) names_a = NULL, names_b = NULL, names_c = NULL, names_plain = NULL;
  g_autofree gchar *dcmdump = g_find_program_in_path ("dcmdump");
  FidacDicomWriteOptions options;

  fidac_dicom_write_options_init (&options);
  write_series (volume, &options, plain);
  names_plain = list_files (plain);
  g_assert_cmpuint (names_plain->len, ==, 20);
  for (guint f = 0; f < names_plain->len; f++)
    {
      g_autofree gchar *expected = g_strdup_printf ("IMG%05u.dcm", f + 1);

      g_assert_cmpstr (g_ptr_array_index (names_plain, f), ==, expected);
    }

  options.shuffle_names = TRUE;
  options.seed = 42;
  write_series (volume, &options, a);
  write_series (volume, &options, b);
  options.seed = 43;
  write_series (volume, &options, c);
  names_a = list_files (a);
  names_b = list_files (b);
  names_c = list_files (c);
  g_assert_cmpuint (names_a->len, ==, 20);
  g_assert_cmpuint (names_c->len, ==, 20);

  /* The same seed gives the same names, another seed others. */
  for (guint f = 0; f < 20; f++)
    g_assert_cmpstr (g_ptr_array_index (names_a, f), ==, g_ptr_array_index (names_b, f));
  g_assert_cmpstr (g_ptr_array_index (names_a, 0), !=, g_ptr_array_index (names_c, 0));

  if (dcmdump == NULL)
    {
      g_test_skip ("dcmdump (Debian package dcmtk) is not installed");
      fidac_test_rmtree (tmp);
      return;
    }

  /* In name order, slices come in no monotonic order: neither up nor down, with many
   * changes of direction. */
  {
    g_autoptr(GPtrArray) by_slice = files_by_slice (volume, a);
    gint order[20];
    guint turns = 0;

    for (guint f = 0; f < 20; f++)
      {
        g_autofree gchar *path = g_build_filename (a, g_ptr_array_index (names_a, f), NULL);

        g_assert_false (g_str_has_prefix (g_ptr_array_index (names_a, f), "IMG"));
        g_assert_null (strchr (g_ptr_array_index (names_a, f), '.'));
        order[f] = -1;
        for (guint k = 0; k < 20; k++)
          if (g_strcmp0 (g_ptr_array_index (by_slice, k), path) == 0)
            order[f] = k;
        g_assert_cmpint (order[f], >=, 0);
      }
    for (guint f = 2; f < 20; f++)
      turns += (order[f] - order[f - 1] > 0) != (order[f - 1] - order[f - 2] > 0);
    g_test_message ("shuffled order: %u changes of direction", turns);
    g_assert_cmpuint (turns, >=, 5);
  }
  fidac_test_rmtree (tmp);
}

static FidacVolume *
read_back (const gchar *folder,
           guint        n_files)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacScan) scan = fidac_dicom_scan (folder, NULL, NULL, NULL, &error);
  const FidacSeriesInfo *info;
  FidacVolume *loaded;

  g_assert_no_error (error);
  g_assert_nonnull (scan);
  g_assert_cmpuint (scan->series->len, ==, 1);
  info = fidac_scan_pick (scan, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info->files->len, ==, n_files);
  loaded = fidac_dicom_load_series (info, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  return loaded;
}

static void
assert_same_geometry (const FidacVolume *a,
                      const FidacVolume *b)
{
  for (guint c = 0; c < 3; c++)
    {
      g_assert_cmpint (a->dims[c], ==, b->dims[c]);
      g_assert_cmpfloat_with_epsilon (a->origin[c], b->origin[c], 1e-3);
      g_assert_cmpfloat_with_epsilon (a->spacing[c], b->spacing[c], 1e-3);
      for (guint d = 0; d < 3; d++)
        g_assert_cmpfloat_with_epsilon (a->axis[c][d], b->axis[c][d], 1e-3);
    }
}

static void
test_write_round_trip (void)
{
  g_autoptr(FidacVolume) volume = small_phantom (FALSE, 0, 0);
  g_autofree gchar *tmp = fidac_test_mkdtemp ();
  gsize n = fidac_volume_n_voxels (volume);

  for (guint s = 0; s < G_N_ELEMENTS (all_syntaxes); s++)
    {
      FidacDicomWriteOptions options;
      g_autofree gchar *folder = g_strdup_printf ("%s/ts%u", tmp, s);
      g_autoptr(FidacVolume) loaded = NULL;

      fidac_dicom_write_options_init (&options);
      options.transfer_syntax = all_syntaxes[s].syntax;
      options.shuffle_names = s % 2 == 1;
      options.seed = s;
      write_series (volume, &options, folder);
      loaded = read_back (folder, 20);

      g_test_message ("transfer syntax %s", all_syntaxes[s].uid);
      assert_same_geometry (volume, loaded);
      g_assert_cmpstr (loaded->series_uid, ==, volume->series_uid);
      g_assert_cmpstr (loaded->modality, ==, "CT");

      if (all_syntaxes[s].lossless)
        {
          g_assert_cmpmem (loaded->voxels, n * sizeof (gint16), volume->voxels, n * sizeof (gint16));
          for (gint k = 0; k < volume->dims[2]; k++)
            g_assert_cmpstr (loaded->slice_uids[k], ==, volume->slice_uids[k]);
        }
      else
        {
          /* Lossy 12-bit JPEG: close, not equal; each slice gets a new UID. */
          gdouble sum = 0;
          gint max = 0;

          for (gsize v = 0; v < n; v++)
            {
              gint d = ABS (loaded->voxels[v] - volume->voxels[v]);

              sum += d;
              max = MAX (max, d);
            }
          g_test_message ("JPEG extended: mean |error| %.2f HU, max %d HU", sum / n, max);
          g_assert_cmpfloat (sum / n, <, 3);
          g_assert_cmpint (max, <, 50);
          for (gint k = 0; k < volume->dims[2]; k++)
            g_assert_cmpstr (loaded->slice_uids[k], !=, volume->slice_uids[k]);
        }
    }
  fidac_test_rmtree (tmp);
}

/* pydicom, an independent reader: it stacks the slices by position along the normal
 * and writes the HU as raw int16, which must equal the volume bit for bit. */
static const gchar pydicom_script[] =
  "import sys, os\n"
  "import numpy as np, pydicom\n"
  "ds = [pydicom.dcmread(os.path.join(sys.argv[1], f)) for f in os.listdir(sys.argv[1])]\n"
  "n = np.cross(np.array(ds[0].ImageOrientationPatient[:3], float),\n"
  "             np.array(ds[0].ImageOrientationPatient[3:], float))\n"
  "ds.sort(key=lambda d: float(np.dot(n, np.array(d.ImagePositionPatient, float))))\n"
  "hu = [d.pixel_array.astype(np.int32) * int(d.RescaleSlope) + int(d.RescaleIntercept) for d in ds]\n"
  "np.stack(hu).astype('<i2').tofile(sys.argv[2])\n";

static void
test_write_pydicom (void)
{
  const gchar *python = "/usr/bin/python3";
  g_autofree gchar *tmp = fidac_test_mkdtemp ();
  g_autofree gchar *script = g_build_filename (tmp, "stack.py", NULL);
  g_autoptr(FidacVolume) volume = small_phantom (FALSE, 0, 0);
  static const struct {
    FidacTransferSyntax syntax;
    gboolean            is_unsigned;
  } cases[] = {
    { FIDAC_TRANSFER_EXPLICIT_LITTLE, FALSE },
    { FIDAC_TRANSFER_IMPLICIT_LITTLE, TRUE },
    { FIDAC_TRANSFER_DEFLATED, FALSE },
    { FIDAC_TRANSFER_RLE, TRUE },
  };

  {
    const gchar *argv[] = { python, "-c", "import pydicom, numpy", NULL };
    gint status = -1;

    if (!g_file_test (python, G_FILE_TEST_IS_EXECUTABLE) ||
        !g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, NULL, NULL, &status, NULL) ||
        !g_spawn_check_wait_status (status, NULL))
      {
        g_test_skip ("/usr/bin/python3 with pydicom and numpy (Debian packages python3-pydicom, "
                     "python3-numpy) is not available");
        fidac_test_rmtree (tmp);
        return;
      }
  }
  g_assert_true (g_file_set_contents (script, pydicom_script, -1, NULL));

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autofree gchar *folder = g_strdup_printf ("%s/case%u", tmp, c);
      g_autofree gchar *raw = g_strdup_printf ("%s/case%u.raw", tmp, c);
      const gchar *argv[] = { python, script, folder, raw, NULL };
      g_autofree gchar *err = NULL;
      g_autofree gchar *contents = NULL;
      g_autoptr(GError) error = NULL;
      FidacDicomWriteOptions options;
      gsize length = 0;
      gint status = -1;

      fidac_dicom_write_options_init (&options);
      options.transfer_syntax = cases[c].syntax;
      options.unsigned_pixels = cases[c].is_unsigned;
      options.shuffle_names = TRUE;
      write_series (volume, &options, folder);

      g_assert_true (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                                   NULL, NULL, NULL, &err, &status, &error));
      g_assert_no_error (error);
      if (!g_spawn_check_wait_status (status, NULL))
        g_error ("pydicom failed on case %u: %s", c, err);
      g_assert_true (g_file_get_contents (raw, &contents, &length, NULL));
      g_assert_cmpmem (contents, length, volume->voxels,
                       fidac_volume_n_voxels (volume) * sizeof (gint16));
    }
  fidac_test_rmtree (tmp);
}

static void
test_write_geometries (void)
{
  struct {
    gboolean feet_first;
    gdouble  tilt, rotation;
    gboolean is_unsigned;
    FidacTransferSyntax syntax;
  } cases[] = {
    { TRUE, 0, 0, FALSE, FIDAC_TRANSFER_EXPLICIT_LITTLE },
    { FALSE, 15, 0, FALSE, FIDAC_TRANSFER_EXPLICIT_LITTLE },
    { FALSE, 0, 30, TRUE, FIDAC_TRANSFER_JPEG_LOSSLESS_SV1 },
    { TRUE, -12, -20, TRUE, FIDAC_TRANSFER_JPEG_LS_LOSSLESS },
  };
  g_autofree gchar *tmp = fidac_test_mkdtemp ();

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(FidacVolume) volume = small_phantom (cases[c].feet_first, cases[c].tilt,
                                                     cases[c].rotation);
      g_autofree gchar *folder = g_strdup_printf ("%s/case%u", tmp, c);
      g_autoptr(FidacVolume) loaded = NULL;
      FidacDicomWriteOptions options;
      gsize n = fidac_volume_n_voxels (volume);

      fidac_dicom_write_options_init (&options);
      options.transfer_syntax = cases[c].syntax;
      options.unsigned_pixels = cases[c].is_unsigned;
      options.shuffle_names = TRUE;
      options.seed = 7 + c;
      write_series (volume, &options, folder);
      loaded = read_back (folder, 20);

      g_test_message ("case %u: feet first %d, tilt %g, rotation %g", c,
                      cases[c].feet_first, cases[c].tilt, cases[c].rotation);
      assert_same_geometry (volume, loaded);
      g_assert_cmpfloat_with_epsilon (fidac_volume_tilt_degrees (loaded), fabs (cases[c].tilt), 1e-3);
      g_assert_cmpstr (loaded->patient_position, ==, cases[c].feet_first ? "FFS" : "HFS");
      g_assert_cmpmem (loaded->voxels, n * sizeof (gint16), volume->voxels, n * sizeof (gint16));
    }
  fidac_test_rmtree (tmp);
}

/* A volume without UIDs gets generated ones: one series, one study, a UID per slice. */
static void
test_write_generated_uids (void)
{
  g_autoptr(FidacVolume) volume = small_phantom (FALSE, 0, 0);
  g_autofree gchar *tmp = fidac_test_mkdtemp ();
  g_autoptr(FidacVolume) loaded = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree gchar *dciodvfy = g_find_program_in_path ("dciodvfy");

  g_clear_pointer (&volume->series_uid, g_free);
  g_clear_pointer (&volume->study_uid, g_free);
  g_clear_pointer (&volume->frame_of_reference_uid, g_free);
  for (gint k = 0; k < volume->dims[2]; k++)
    if (k % 3 != 0)
      g_clear_pointer (&volume->slice_uids[k], g_free);
  /* Nor a patient position; and a description longer than DICOM allows (64). */
  g_clear_pointer (&volume->patient_position, g_free);
  g_free (volume->series_description);
  volume->series_description = g_strnfill (100, 'x');

  write_series (volume, NULL, tmp);
  loaded = read_back (tmp, 20);
  g_assert_null (loaded->patient_position);
  g_assert_cmpuint (strlen (loaded->series_description), ==, 64);
  if (dciodvfy != NULL)
    {
      g_autofree gchar *file = g_build_filename (tmp, "IMG00002.dcm", NULL);

      g_assert_cmpuint (dciodvfy_errors (file), ==, 0);
    }
  g_assert_nonnull (loaded->series_uid);
  g_assert_cmpuint (strlen (loaded->series_uid), <=, 64);
  for (gint k = 0; k < volume->dims[2]; k++)
    {
      g_assert_nonnull (loaded->slice_uids[k]);
      g_assert_cmpuint (strlen (loaded->slice_uids[k]), <=, 64);
      g_assert_true (g_hash_table_add (seen, loaded->slice_uids[k]));
      /* Slices that had a UID keep it. */
      if (volume->slice_uids[k] != NULL)
        g_assert_cmpstr (loaded->slice_uids[k], ==, volume->slice_uids[k]);
    }
  fidac_test_rmtree (tmp);
}

static void
test_write_errors (void)
{
  g_autoptr(FidacVolume) volume = small_phantom (FALSE, 0, 0);
  g_autofree gchar *tmp = fidac_test_mkdtemp ();
  g_autofree gchar *file = g_build_filename (tmp, "not-a-folder", NULL);
  g_autofree gchar *below_file = g_build_filename (file, "series", NULL);
  g_autofree gchar *blocked = g_build_filename (tmp, "blocked", NULL);
  g_autofree gchar *blocker = g_build_filename (blocked, "IMG00005.dcm", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  FidacDicomWriteOptions options;

  fidac_dicom_write_options_init (&options);

  /* A folder that cannot be created. */
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  g_assert_false (fidac_dicom_write_series (volume, &options, below_file, NULL, &error));
  g_assert_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, below_file));
  g_clear_error (&error);

  /* A slice that cannot be written (a folder holds its name): the error names the
   * file, and the slices already written are removed. */
  g_assert_cmpint (g_mkdir_with_parents (blocker, 0755), ==, 0);
  g_assert_false (fidac_dicom_write_series (volume, &options, blocked, NULL, &error));
  g_assert_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, blocker));
  g_clear_error (&error);
  names = list_files (blocked);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "IMG00005.dcm");

  /* Unsigned pixels cannot hold less than -1024 HU. */
  {
    g_autofree gchar *folder = g_build_filename (tmp, "unsigned", NULL);

    volume->voxels[100] = -2000;
    options.unsigned_pixels = TRUE;
    g_assert_false (fidac_dicom_write_series (volume, &options, folder, NULL, &error));
    g_assert_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_WRITE);
    g_clear_error (&error);
    g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
    options.unsigned_pixels = FALSE;

    /* Nor 12-bit JPEG more than 3071. */
    volume->voxels[100] = 3500;
    options.transfer_syntax = FIDAC_TRANSFER_JPEG_EXTENDED;
    g_assert_false (fidac_dicom_write_series (volume, &options, folder, NULL, &error));
    g_assert_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_WRITE);
    g_clear_error (&error);
    volume->voxels[100] = -1000;
    options.transfer_syntax = FIDAC_TRANSFER_EXPLICIT_LITTLE;
  }

  /* A malformed UID is refused rather than written. */
  {
    g_autofree gchar *folder = g_build_filename (tmp, "baduid", NULL);

    g_free (volume->slice_uids[3]);
    volume->slice_uids[3] = g_strdup ("1.2.03.abc");
    g_assert_false (fidac_dicom_write_series (volume, &options, folder, NULL, &error));
    g_assert_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_WRITE);
    g_assert_nonnull (strstr (error->message, "1.2.03.abc"));
    g_clear_error (&error);
  }

  /* An unknown transfer syntax. */
  {
    g_autofree gchar *folder = g_build_filename (tmp, "unknown", NULL);

    options.transfer_syntax = (FidacTransferSyntax) 99;
    g_assert_false (fidac_dicom_write_series (volume, &options, folder, NULL, &error));
    g_assert_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_UNSUPPORTED);
    g_clear_error (&error);
  }

  fidac_test_rmtree (tmp);
}

static void
test_write_cancel (void)
{
  g_autoptr(FidacVolume) volume = small_phantom (FALSE, 0, 0);
  g_autofree gchar *tmp = fidac_test_mkdtemp ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (fidac_dicom_write_series (volume, NULL, tmp, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  names = list_files (tmp);
  g_assert_cmpuint (names->len, ==, 0);
  fidac_test_rmtree (tmp);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fidac/dicom-write/dciodvfy", test_write_dciodvfy);
  g_test_add_func ("/fidac/dicom-write/attributes", test_write_attributes);
  g_test_add_func ("/fidac/dicom-write/shuffled", test_write_shuffled);
  g_test_add_func ("/fidac/dicom-write/round-trip", test_write_round_trip);
  g_test_add_func ("/fidac/dicom-write/pydicom", test_write_pydicom);
  g_test_add_func ("/fidac/dicom-write/geometries", test_write_geometries);
  g_test_add_func ("/fidac/dicom-write/generated-uids", test_write_generated_uids);
  g_test_add_func ("/fidac/dicom-write/errors", test_write_errors);
  g_test_add_func ("/fidac/dicom-write/cancel", test_write_cancel);

  return g_test_run ();
}
