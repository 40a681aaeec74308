/* fidac-cli-render.c: `fidac-cli render PATH`, one plane of a series as an 8-bit grey PNG.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-cli"

#include "config.h"

#include <errno.h>
#include <math.h>

#include <glib/gi18n-lib.h>

#include "fidac-cli-common.h"
#include "fidac-mpr.h"
#include "fidac-png.h"
#include "fidac-reslice.h"
#include "fidac-window-level.h"

typedef struct {
  FidacCliLoad        load;
  FidacView           view;
  gint                index;
  gboolean            by_position;     /* `position` chooses the slice, not `index` */
  gdouble             position;        /* LPS mm along the view's axis: z, y or x */
  gint                size;
  gdouble             width;
  gdouble             level;
  gboolean            invert;
  FidacResliceOptions options;
  const gchar        *output;
} RenderJob;

static gboolean
render_job (gpointer      data,
            GCancellable *cancellable,
            GError      **error)
{
  RenderJob *job = data;
  FidacPlane plane;
  g_autofree gfloat *hu = NULL;
  g_autofree guint8 *grey = NULL;
  gsize n;

  if (!fidac_cli_load (&job->load, cancellable, error))
    return FALSE;
  if (job->by_position &&
      !fidac_mpr_slice_at_position (job->load.volume, job->view, job->position, &job->index))
    {
      static const gchar axes[FIDAC_N_VIEWS] = { 'z', 'y', 'x' };
      gint count, last;
      gdouble a, b;

      fidac_view_get_slices (job->load.volume, job->view, &count, NULL, NULL);
      fidac_mpr_slice_position (job->load.volume, job->view, 0, &a);
      fidac_mpr_slice_position (job->load.volume, job->view, count - 1, &b);
      last = count - 1;
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   /* TRANSLATORS: a position in mm, a patient axis (x, y or z), then the
                    * positions of the first and last slices in mm, and the last slice number */
                   _("Position %g mm is outside the volume along %c (slices 0 to %d from %.2f to "
                     "%.2f mm)"),
                   job->position, axes[job->view], last, a, b);
      return FALSE;
    }
  if (!fidac_plane_init_view (&plane, job->load.volume, job->view, job->index, job->size, error))
    return FALSE;
  n = (gsize) plane.width * plane.height;
  hu = g_new (gfloat, n);
  grey = g_new (guint8, n);
  if (!fidac_reslice (job->load.volume, &plane, &job->options, hu, error))
    return FALSE;
  fidac_reslice_window (hu, n, job->width, job->level, job->invert, grey);
  return fidac_png_write_gray (job->output, grey, plane.width, plane.height, plane.width, error);
}

static gboolean
parse_view (const gchar *text,
            FidacView   *view)
{
  static const gchar *names[FIDAC_N_VIEWS] = { "axial", "coronal", "sagittal" };

  for (gint v = 0; v < FIDAC_N_VIEWS; v++)
    if (g_str_equal (text, names[v]))
      {
        *view = v;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_double (const gchar *text,
              gdouble     *value)
{
  gchar *end = NULL;

  errno = 0;
  *value = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && errno == 0 && isfinite (*value);
}

/* "W,L" or a chest preset name. */
static gboolean
parse_window (const gchar *text,
              gdouble     *width,
              gdouble     *level,
              GError     **error)
{
  g_auto(GStrv) parts = NULL;

  if (g_str_equal (text, "lung"))
    {
      *width = FIDAC_WINDOW_LUNG_WIDTH;
      *level = FIDAC_WINDOW_LUNG_LEVEL;
      return TRUE;
    }
  if (g_str_equal (text, "mediastinum"))
    {
      *width = FIDAC_WINDOW_MEDIASTINUM_WIDTH;
      *level = FIDAC_WINDOW_MEDIASTINUM_LEVEL;
      return TRUE;
    }
  if (g_str_equal (text, "bone"))
    {
      *width = FIDAC_WINDOW_BONE_WIDTH;
      *level = FIDAC_WINDOW_BONE_LEVEL;
      return TRUE;
    }
  parts = g_strsplit (text, ",", -1);
  if (g_strv_length (parts) != 2 || !parse_double (parts[0], width) ||
      !parse_double (parts[1], level) || *width < 1.0)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   /* TRANSLATORS: “lung”, “mediastinum” and “bone” are option values, keep them */
                   _("Invalid window “%s”: expected WIDTH,LEVEL with a width of at least 1, "
                     "or lung, mediastinum or bone"), text);
      return FALSE;
    }
  return TRUE;
}

static int
fail_with (const gchar *format,
           const gchar *value)
{
  g_autoptr(GError) error = g_error_new (FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                                         format, value);

  return fidac_cli_fail (error);
}

int
fidac_cli_render (int argc, char **argv)
{
  g_autofree gchar *series_uid = NULL;
  g_autofree gchar *view = NULL;
  g_autofree gchar *index = NULL;
  g_autofree gchar *position = NULL;
  g_autofree gchar *window = NULL;
  g_autofree gchar *slab = NULL;
  g_autofree gchar *slab_mode = NULL;
  g_autofree gchar *interpolation = NULL;
  g_autofree gchar *output = NULL;
  gint size = 0;
  gint threads = 0;
  gboolean invert = FALSE;
  const GOptionEntry entries[] = {
    { "series", 's', 0, G_OPTION_ARG_STRING, &series_uid,
      N_("The series to render when PATH holds several"), N_("UID") },
    { "view", 'v', 0, G_OPTION_ARG_STRING, &view,
      N_("axial, coronal or sagittal (radiological convention)"), N_("VIEW") },
    { "index", 'k', 0, G_OPTION_ARG_STRING, &index,
      N_("Slice number along the view’s normal, 0 the lowest position"), N_("K") },
    { "position", 0, 0, G_OPTION_ARG_STRING, &position,
      N_("Instead of --index: the slice nearest to this patient coordinate (DICOM LPS) along "
         "the view’s axis, z axial, y coronal, x sagittal"), N_("MM") },
    { "window", 'w', 0, G_OPTION_ARG_STRING, &window,
      N_("Window width and level in HU, or lung, mediastinum or bone"), N_("W,L") },
    { "size", 0, 0, G_OPTION_ARG_INT, &size,
      N_("Pixels on the longer side (default: native resolution)"), N_("N") },
    { "slab", 0, 0, G_OPTION_ARG_STRING, &slab,
      N_("Slab thickness along the normal (default: a thin plane)"), N_("MM") },
    { "slab-mode", 0, 0, G_OPTION_ARG_STRING, &slab_mode,
      N_("avg, mip or minip (default avg)"), N_("MODE") },
    { "interpolation", 0, 0, G_OPTION_ARG_STRING, &interpolation,
      N_("nearest or linear (default linear)"), N_("MODE") },
    { "invert", 0, 0, G_OPTION_ARG_NONE, &invert, N_("Invert the grey levels"), NULL },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads,
      N_("Threads to use (default: one per processor)"), N_("N") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("The PNG file to write"), N_("OUT.png") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PATH"));
  g_autoptr(GError) error = NULL;
  RenderJob job = { { NULL } };
  gint64 k = 0;
  gboolean ok;

  g_option_context_set_summary (context,
                                _("Loads one series from PATH and writes one plane of it as an "
                                  "8-bit grey PNG, mapped through the DICOM linear window. "
                                  "Outside the volume is air (-1024 HU)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!fidac_cli_parse (context, "render", &argc, &argv))
    return FIDAC_CLI_EXIT_USAGE;
  if (argc != 2)
    return fidac_cli_usage_error ("render", argc < 2 ? _("a PATH is needed")
                                                     : _("only one PATH can be given"));
  if (view == NULL || window == NULL || output == NULL || (index == NULL && position == NULL))
    return fidac_cli_usage_error ("render",
                                  _("--view, --index or --position, --window and --output are "
                                    "needed"));
  if (index != NULL && position != NULL)
    return fidac_cli_usage_error ("render", _("--index and --position cannot both be given"));
  if (!parse_view (view, &job.view))
    return fidac_cli_usage_error ("render", _("unknown view “%s”"), view);

  fidac_reslice_options_init (&job.options);
  if (slab_mode == NULL || g_str_equal (slab_mode, "avg"))
    job.options.slab_mode = FIDAC_SLAB_AVERAGE;
  else if (g_str_equal (slab_mode, "mip"))
    job.options.slab_mode = FIDAC_SLAB_MIP;
  else if (g_str_equal (slab_mode, "minip"))
    job.options.slab_mode = FIDAC_SLAB_MINIP;
  else
    return fidac_cli_usage_error ("render", _("unknown slab mode “%s”"), slab_mode);
  if (interpolation == NULL || g_str_equal (interpolation, "linear"))
    job.options.interpolation = FIDAC_INTERPOLATION_LINEAR;
  else if (g_str_equal (interpolation, "nearest"))
    job.options.interpolation = FIDAC_INTERPOLATION_NEAREST;
  else
    return fidac_cli_usage_error ("render", _("unknown interpolation “%s”"), interpolation);

  /* Values of the right form but out of range are failures (exit 1), like a slice beyond the
   * volume, which is only known once the series is loaded. */
  if (index != NULL && !g_ascii_string_to_signed (index, 10, G_MININT, G_MAXINT, &k, NULL))
    return fail_with (_("Invalid slice number “%s”"), index);
  if (position != NULL && !parse_double (position, &job.position))
    return fail_with (_("Invalid position “%s”"), position);
  if (!parse_window (window, &job.width, &job.level, &error))
    return fidac_cli_fail (error);
  if (slab != NULL && (!parse_double (slab, &job.options.slab_mm) || job.options.slab_mm < 0.0))
    return fail_with (_("Invalid slab thickness “%s”"), slab);
  if (size < 0)
    {
      g_autofree gchar *text = g_strdup_printf ("%d", size);

      return fail_with (_("Invalid image size “%s”"), text);
    }
  if (threads < 0)
    {
      g_autofree gchar *text = g_strdup_printf ("%d", threads);

      return fail_with (_("Invalid number of threads “%s”"), text);
    }

  job.load.path = argv[1];
  job.load.series_uid = series_uid;
  job.index = index != NULL ? (gint) k : 0;
  job.by_position = position != NULL;
  job.size = size;
  job.invert = invert;
  job.options.n_threads = threads;
  job.output = output;
  ok = fidac_cli_run_job (render_job, &job, &error);

  fidac_cli_load_warn (&job.load);
  fidac_cli_load_clear (&job.load);

  if (!ok)
    return fidac_cli_fail (error);
  return FIDAC_CLI_EXIT_OK;
}
