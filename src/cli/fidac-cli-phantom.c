/* fidac-cli-phantom.c: `fidac-cli phantom OUTDIR`, the synthetic chest as DICOM files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-cli"

#include "config.h"

#include <errno.h>
#include <math.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "fidac-cli-common.h"
#include "fidac-phantom.h"

static const struct {
  const gchar        *name;
  FidacTransferSyntax syntax;
} syntax_names[] = {
  { "explicit", FIDAC_TRANSFER_EXPLICIT_LITTLE },
  { "implicit", FIDAC_TRANSFER_IMPLICIT_LITTLE },
  { "deflated", FIDAC_TRANSFER_DEFLATED },
  { "jpeg-lossless-sv1", FIDAC_TRANSFER_JPEG_LOSSLESS_SV1 },
  { "jpeg-lossless", FIDAC_TRANSFER_JPEG_LOSSLESS },
  { "jpeg-extended", FIDAC_TRANSFER_JPEG_EXTENDED },
  { "jpeg-ls", FIDAC_TRANSFER_JPEG_LS_LOSSLESS },
  { "rle", FIDAC_TRANSFER_RLE },
  { "jpeg2000", FIDAC_TRANSFER_JPEG2000_LOSSLESS },
};

typedef struct {
  FidacPhantomOptions    phantom;
  FidacDicomWriteOptions write;
  const gchar           *folder;
  FidacVolume           *volume;   /* out */
} PhantomJob;

static gboolean
phantom_job (gpointer      data,
             GCancellable *cancellable,
             GError      **error)
{
  PhantomJob *job = data;

  job->volume = fidac_phantom_new (&job->phantom, error);
  if (job->volume == NULL)
    return FALSE;
  if (g_mkdir_with_parents (job->folder, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   /* TRANSLATORS: %s is a folder, then the system's reason */
                   _("Cannot create the folder %s: %s"), job->folder, g_strerror (saved_errno));
      return FALSE;
    }
  return fidac_dicom_write_series (job->volume, &job->write, job->folder, cancellable, error);
}

static gboolean
parse_vec3 (const gchar *text,
            gdouble      out[3])
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  if (g_strv_length (parts) != 3)
    return FALSE;
  for (guint c = 0; c < 3; c++)
    {
      gchar *end = NULL;

      g_strstrip (parts[c]);
      out[c] = g_ascii_strtod (parts[c], &end);
      if (end == parts[c] || *end != '\0' || !isfinite (out[c]))
        return FALSE;
    }
  return TRUE;
}

int
fidac_cli_phantom (int argc, char **argv)
{
  PhantomJob job = { { 0 } };
  gint size = -1, columns = -1, rows = -1, slices = -1;
  gdouble pixel_spacing = -1, slice_spacing = -1, tilt = 0, rotation = 0;
  gboolean feet_first = FALSE, shuffle = FALSE, unsigned_pixels = FALSE, no_lesions = FALSE;
  gint64 seed = -1;
  g_autofree gchar *syntax = NULL;
  g_autofree gchar *center = NULL;
  g_autofree gchar *rotation_axis = NULL;
  const GOptionEntry entries[] = {
    { "slices", 0, 0, G_OPTION_ARG_INT, &slices, N_("Number of slices (default 120)"), N_("N") },
    { "size", 0, 0, G_OPTION_ARG_INT, &size, N_("Columns and rows (default 256)"), N_("N") },
    { "columns", 0, 0, G_OPTION_ARG_INT, &columns, N_("Columns"), N_("N") },
    { "rows", 0, 0, G_OPTION_ARG_INT, &rows, N_("Rows"), N_("N") },
    { "pixel-spacing", 0, 0, G_OPTION_ARG_DOUBLE, &pixel_spacing,
      N_("Pixel spacing in mm (default 1.4)"), N_("MM") },
    { "slice-spacing", 0, 0, G_OPTION_ARG_DOUBLE, &slice_spacing,
      N_("Distance between slices in mm (default 2.5)"), N_("MM") },
    { "feet-first", 0, 0, G_OPTION_ARG_NONE, &feet_first,
      N_("Feet first supine (FFS) instead of head first (HFS)"), NULL },
    { "center", 0, 0, G_OPTION_ARG_STRING, &center,
      N_("Patient position of the grid’s centre (default 0,0,0)"), N_("X,Y,Z") },
    { "tilt", 0, 0, G_OPTION_ARG_DOUBLE, &tilt,
      N_("Gantry tilt in degrees, at most 30 (a sheared grid)"), N_("DEGREES") },
    { "rotation", 0, 0, G_OPTION_ARG_DOUBLE, &rotation,
      N_("Oblique acquisition: turn the grid by this angle"), N_("DEGREES") },
    { "rotation-axis", 0, 0, G_OPTION_ARG_STRING, &rotation_axis,
      N_("Axis of the oblique rotation (default 0,0,1)"), N_("X,Y,Z") },
    { "no-lesions", 0, 0, G_OPTION_ARG_NONE, &no_lesions, N_("Healthy lungs"), NULL },
    { "shuffle", 0, 0, G_OPTION_ARG_NONE, &shuffle,
      N_("Random file names in random order"), NULL },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed for --shuffle"), N_("N") },
    { "transfer-syntax", 0, 0, G_OPTION_ARG_STRING, &syntax,
      N_("explicit (default), implicit, deflated, jpeg-lossless-sv1, jpeg-lossless, "
         "jpeg-extended, jpeg-ls, rle or jpeg2000"), N_("NAME") },
    { "unsigned", 0, 0, G_OPTION_ARG_NONE, &unsigned_pixels,
      N_("Store unsigned pixels (HU + 1024, rescale intercept -1024)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("OUTDIR"));
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) volume = NULL;

  g_option_context_set_summary (context,
                                _("Writes the synthetic chest phantom (body, lungs, trachea, "
                                  "vessels, ground-glass and consolidation lesions at known "
                                  "positions) as a CT DICOM series in OUTDIR."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!fidac_cli_parse (context, "phantom", &argc, &argv))
    return FIDAC_CLI_EXIT_USAGE;
  if (argc != 2)
    return fidac_cli_usage_error ("phantom", argc < 2 ? _("an OUTDIR is needed")
                                                      : _("only one OUTDIR can be given"));

  fidac_phantom_options_init (&job.phantom);
  fidac_dicom_write_options_init (&job.write);

  if (size != -1)
    job.phantom.columns = job.phantom.rows = size;
  if (columns != -1)
    job.phantom.columns = columns;
  if (rows != -1)
    job.phantom.rows = rows;
  if (slices != -1)
    job.phantom.slices = slices;
  if (job.phantom.columns < 1 || job.phantom.rows < 1 || job.phantom.slices < 1)
    return fidac_cli_usage_error ("phantom", _("sizes and slice counts must be positive"));
  if (pixel_spacing != -1)
    job.phantom.pixel_spacing = pixel_spacing;
  if (slice_spacing != -1)
    job.phantom.slice_spacing = slice_spacing;
  if (!(job.phantom.pixel_spacing > 0) || !(job.phantom.slice_spacing > 0))
    return fidac_cli_usage_error ("phantom", _("spacings must be positive"));
  job.phantom.feet_first = feet_first;
  if (center != NULL && !parse_vec3 (center, job.phantom.center))
    return fidac_cli_usage_error ("phantom", _("--center needs three numbers: X,Y,Z"));
  job.phantom.tilt_degrees = tilt;
  job.phantom.rotation_degrees = rotation;
  if (rotation_axis != NULL && !parse_vec3 (rotation_axis, job.phantom.rotation_axis))
    return fidac_cli_usage_error ("phantom", _("--rotation-axis needs three numbers: X,Y,Z"));
  if (no_lesions)
    job.phantom.lesions = FALSE;

  if (syntax != NULL)
    {
      gboolean found = FALSE;

      for (guint s = 0; s < G_N_ELEMENTS (syntax_names); s++)
        if (g_str_equal (syntax, syntax_names[s].name))
          {
            job.write.transfer_syntax = syntax_names[s].syntax;
            found = TRUE;
          }
      if (!found)
        /* TRANSLATORS: %s is what the user typed */
        return fidac_cli_usage_error ("phantom", _("unknown transfer syntax “%s”"), syntax);
    }
  job.write.shuffle_names = shuffle;
  job.write.unsigned_pixels = unsigned_pixels;
  if (seed != -1)
    {
      if (seed < 0 || seed > G_MAXUINT32)
        return fidac_cli_usage_error ("phantom", _("the seed must be between 0 and 4294967295"));
      job.write.seed = (guint32) seed;
    }

  job.folder = argv[1];
  if (!fidac_cli_run_job (phantom_job, &job, &error))
    {
      g_clear_pointer (&job.volume, fidac_volume_free);
      return fidac_cli_fail (error);
    }
  volume = g_steal_pointer (&job.volume);

  g_print ("series_uid: %s\n", volume->series_uid != NULL ? volume->series_uid : "");
  g_print ("slices:     %d\n", volume->dims[2]);
  g_print ("folder:     %s\n", job.folder);
  return FIDAC_CLI_EXIT_OK;
}
