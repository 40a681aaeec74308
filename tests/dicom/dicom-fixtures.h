/* dicom-fixtures.h: small DICOM files built by the tests themselves, with every attribute
 * under control, using DCMTK's command-line tools (Debian package dcmtk): dump2dcm writes
 * a file from a text dump, dcmconv / dcmcjpeg / dcmcjpls / dcmcrle re-encode it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Voxel values are known by construction: fixture_hu (i, j, k) below.
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#define FIXTURE_SERIES_UID "1.2.826.0.1.3680043.8.498.1001"
#define FIXTURE_STUDY_UID  "1.2.826.0.1.3680043.8.498.1000"
#define FIXTURE_FOR_UID    "1.2.826.0.1.3680043.8.498.1002"

typedef struct {
  gint         rows;
  gint         columns;
  gdouble      position[3];
  gdouble      orientation[6];
  gdouble      spacing[2];        /* DICOM order: between rows, between columns */
  gboolean     is_signed;
  guint        bits_allocated;
  guint        bits_stored;
  gdouble      slope;
  gdouble      intercept;
  gboolean     no_rescale;
  gboolean     has_padding;
  guint16      padding;           /* raw pattern */
  gboolean     padding_as_us;     /* write Pixel Padding Value as US even when signed */
  gint         k;                 /* value seed: the slice's true index */
  const gchar *series_uid;
  const gchar *modality;
  const gchar *sop_class;
  const gchar *extra;             /* more dump lines */
  gboolean     no_pixels;
  gdouble      tilt;
  const gchar *transfer_syntax;   /* meta header UID; explicit VR little endian when NULL */
  gint         series_number;
  const gchar *image_type;        /* Image Type; ORIGINAL, PRIMARY, AXIAL when NULL */
} Fixture;

static inline void
fixture_init (Fixture *fx)
{
  static const gdouble axial[6] = { 1, 0, 0, 0, 1, 0 };

  memset (fx, 0, sizeof *fx);
  fx->rows = 12;
  fx->columns = 16;
  memcpy (fx->orientation, axial, sizeof axial);
  fx->spacing[0] = 0.8;
  fx->spacing[1] = 0.7;
  fx->is_signed = TRUE;
  fx->bits_allocated = 16;
  fx->bits_stored = 16;
  fx->slope = 1;
  fx->intercept = -1024;
  fx->series_uid = FIXTURE_SERIES_UID;
  fx->series_number = 3;
  fx->modality = "CT";
  fx->sop_class = "1.2.840.10008.5.1.4.1.1.2";
}

/* The true HU of voxel (i, j) of the slice whose seed is k: varied, negative and positive. */
static inline gint
fixture_hu (gint i, gint j, gint k)
{
  return ((i * 37 + j * 113 + k * 211) % 2400) - 1100;
}

static inline gboolean
fixture_have_tools (void)
{
  g_autofree gchar *tool = g_find_program_in_path ("dump2dcm");

  if (tool == NULL)
    {
      g_test_skip ("dump2dcm (Debian package dcmtk) is not installed: skipped");
      return FALSE;
    }
  return TRUE;
}

static inline void
fixture_run (const gchar *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *err = NULL;
  gint status = 0;

  g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

static inline gchar *
fixture_ds (gdouble v)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.10g", v));
}

/* Writes one slice to `path` (explicit VR little endian); `raw` overrides the values. */
static inline void
fixture_write_raw (const Fixture *fx, const gchar *path, const guint16 *raw)
{
  g_autoptr(GString) dump = g_string_new (NULL);
  g_autofree gchar *dump_path = g_strconcat (path, ".dump", NULL);
  g_autofree gchar *pix_path = g_strconcat (path, ".pix", NULL);
  g_autofree gchar *sop = g_strdup_printf ("1.2.826.0.1.3680043.8.498.2.%u.%u",
                                           g_str_hash (fx->series_uid), g_str_hash (path));
  g_autofree gchar *x = fixture_ds (fx->position[0]);
  g_autofree gchar *y = fixture_ds (fx->position[1]);
  g_autofree gchar *z = fixture_ds (fx->position[2]);
  gsize n = (gsize) fx->rows * fx->columns;
  g_autoptr(GError) error = NULL;

  g_string_append_printf (dump, "(0002,0010) UI [%s]\n",
                          fx->transfer_syntax ? fx->transfer_syntax : "1.2.840.10008.1.2.1");
  g_string_append_printf (dump, "(0008,0016) UI [%s]\n", fx->sop_class);
  g_string_append_printf (dump, "(0008,0018) UI [%s]\n", sop);
  g_string_append (dump, "(0008,0020) DA [20200301]\n");
  g_string_append_printf (dump, "(0008,0008) CS [%s]\n",
                          fx->image_type ? fx->image_type : "ORIGINAL\\PRIMARY\\AXIAL");
  g_string_append_printf (dump, "(0008,0060) CS [%s]\n", fx->modality);
  g_string_append (dump, "(0008,103e) LO [fixture]\n");
  g_string_append (dump, "(0018,5100) CS [HFS]\n");
  g_string_append (dump, "(0018,0050) DS [1]\n");
  if (fx->tilt != 0)
    {
      g_autofree gchar *t = fixture_ds (fx->tilt);
      g_string_append_printf (dump, "(0018,1120) DS [%s]\n", t);
    }
  g_string_append_printf (dump, "(0020,000d) UI [%s]\n", FIXTURE_STUDY_UID);
  g_string_append_printf (dump, "(0020,000e) UI [%s]\n", fx->series_uid);
  g_string_append_printf (dump, "(0020,0011) IS [%d]\n", fx->series_number);
  g_string_append_printf (dump, "(0020,0013) IS [%d]\n", 100 - fx->k);
  g_string_append_printf (dump, "(0020,0032) DS [%s\\%s\\%s]\n", x, y, z);
  g_string_append (dump, "(0020,0037) DS [");
  for (guint c = 0; c < 6; c++)
    {
      g_autofree gchar *v = fixture_ds (fx->orientation[c]);
      g_string_append_printf (dump, "%s%s", c ? "\\" : "", v);
    }
  g_string_append (dump, "]\n");
  g_string_append_printf (dump, "(0020,0052) UI [%s]\n", FIXTURE_FOR_UID);
  g_string_append (dump, "(0028,0002) US 1\n(0028,0004) CS [MONOCHROME2]\n");
  g_string_append_printf (dump, "(0028,0010) US %d\n(0028,0011) US %d\n", fx->rows, fx->columns);
  {
    g_autofree gchar *r = fixture_ds (fx->spacing[0]);
    g_autofree gchar *c = fixture_ds (fx->spacing[1]);
    g_string_append_printf (dump, "(0028,0030) DS [%s\\%s]\n", r, c);
  }
  g_string_append_printf (dump, "(0028,0100) US %u\n(0028,0101) US %u\n(0028,0102) US %u\n",
                          fx->bits_allocated, fx->bits_stored, fx->bits_stored - 1);
  g_string_append_printf (dump, "(0028,0103) US %d\n", fx->is_signed ? 1 : 0);
  if (fx->has_padding)
    {
      if (fx->is_signed && !fx->padding_as_us)
        g_string_append_printf (dump, "(0028,0120) SS %d\n", (gint16) fx->padding);
      else
        g_string_append_printf (dump, "(0028,0120) US %u\n", fx->padding);
    }
  g_string_append (dump, "(0028,1050) DS [-600\\40]\n(0028,1051) DS [1500\\400]\n");
  g_string_append (dump, "(0028,1055) LO [LUNG\\MEDIASTINUM]\n");
  if (!fx->no_rescale)
    {
      g_autofree gchar *b = fixture_ds (fx->intercept);
      g_autofree gchar *m = fixture_ds (fx->slope);
      g_string_append_printf (dump, "(0028,1052) DS [%s]\n(0028,1053) DS [%s]\n", b, m);
    }
  if (fx->extra != NULL)
    g_string_append (dump, fx->extra);

  if (!fx->no_pixels)
    {
      gsize bytes = n * (fx->bits_allocated / 8);
      guint8 *pix = g_malloc0 (bytes + 1);

      for (gsize p = 0; p < n; p++)
        {
          gint i = p % fx->columns, j = p / fx->columns;
          guint16 v;

          if (raw != NULL)
            v = raw[p];
          else
            {
              gdouble stored = (fixture_hu (i, j, fx->k) - fx->intercept) / fx->slope;
              v = (guint16) (gint32) stored;
            }
          if (fx->bits_allocated == 8)
            pix[p] = (guint8) v;
          else
            {
              pix[2 * p] = v & 0xff;
              pix[2 * p + 1] = v >> 8;
            }
        }
      g_file_set_contents (pix_path, (const gchar *) pix, bytes + (bytes & 1), &error);
      g_assert_no_error (error);
      g_free (pix);
      g_string_append_printf (dump, "(7fe0,0010) %s =%s\n", fx->bits_allocated == 8 ? "OB" : "OW", pix_path);
    }

  g_file_set_contents (dump_path, dump->str, -1, &error);
  g_assert_no_error (error);
  {
    const gchar *argv[] = { "dump2dcm", "-q", "+E", dump_path, path, NULL };
    fixture_run (argv);
  }
  g_unlink (dump_path);
  g_unlink (pix_path);
}

static inline void
fixture_write (const Fixture *fx, const gchar *path)
{
  fixture_write_raw (fx, path, NULL);
}

/* A regular axial stack of `n` slices, 1.5 mm apart, named so that name order differs
 * from position order. Returns the folder. */
static inline void
fixture_write_stack (const gchar *folder, gint n, const Fixture *base)
{
  g_mkdir_with_parents (folder, 0755);
  for (gint k = 0; k < n; k++)
    {
      Fixture fx = *base;
      g_autofree gchar *name = g_strdup_printf ("im%02d.dcm", (k * 7) % n);
      g_autofree gchar *path = g_build_filename (folder, name, NULL);

      fx.k = k;
      fx.position[0] = base->position[0] - 20;
      fx.position[1] = base->position[1] - 30;
      fx.position[2] = base->position[2] + 1.5 * k;
      fixture_write (&fx, path);
    }
}

/* Re-encodes a file in place with a DCMTK tool and its options. */
static inline void
fixture_recode (const gchar *path, const gchar *tool, const gchar *option)
{
  g_autofree gchar *tmp = g_strconcat (path, ".tmp", NULL);
  const gchar *argv[] = { tool, "-q", option, path, tmp, NULL };

  fixture_run (argv);
  g_rename (tmp, path);
}
