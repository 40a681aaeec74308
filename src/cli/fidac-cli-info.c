/* fidac-cli-info.c: `fidac-cli info PATH`, one series loaded and described.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-cli"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fidac-cli-common.h"

/* Below this the slice step is the normal up to the rounding of positions in the header:
 * not a gantry tilt worth reporting. */
#define TILT_REPORT_DEGREES 0.01

static gboolean
info_job (gpointer      data,
          GCancellable *cancellable,
          GError      **error)
{
  return fidac_cli_load (data, cancellable, error);
}

static GPtrArray *
all_warnings (const FidacCliLoad *load)
{
  GPtrArray *warnings = g_ptr_array_new ();

  for (guint w = 0; w < load->scan->warnings->len; w++)
    g_ptr_array_add (warnings, g_ptr_array_index (load->scan->warnings, w));
  for (guint w = 0; w < load->volume->warnings->len; w++)
    g_ptr_array_add (warnings, g_ptr_array_index (load->volume->warnings, w));
  return warnings;
}

static json_t *
info_to_json (const FidacCliLoad *load,
              GPtrArray          *warnings)
{
  const FidacVolume *v = load->volume;
  json_t *o = json_object ();
  json_t *windows = json_array ();
  gdouble normal[3];
  gdouble tilt = fidac_volume_tilt_degrees (v);
  gint16 lo, hi;

  fidac_vec3_cross (v->axis[0], v->axis[1], normal);
  fidac_volume_get_range (v, &lo, &hi);

  json_object_set_new (o, "series_uid", fidac_cli_json_string (v->series_uid));
  json_object_set_new (o, "modality", fidac_cli_json_string (v->modality));
  json_object_set_new (o, "slices", json_integer (v->dims[2]));
  json_object_set_new (o, "rows", json_integer (v->dims[1]));
  json_object_set_new (o, "columns", json_integer (v->dims[0]));
  json_object_set_new (o, "spacing", fidac_cli_json_vec3 (v->spacing));
  json_object_set_new (o, "origin", fidac_cli_json_vec3 (v->origin));
  json_object_set_new (o, "direction", json_pack ("[o, o, o]",
                                                  fidac_cli_json_vec3 (v->axis[0]),
                                                  fidac_cli_json_vec3 (v->axis[1]),
                                                  fidac_cli_json_vec3 (normal)));
  if (tilt > TILT_REPORT_DEGREES)
    {
      json_object_set_new (o, "slice_direction", fidac_cli_json_vec3 (v->axis[2]));
      json_object_set_new (o, "tilt_degrees", json_real (tilt));
    }
  json_object_set_new (o, "hu_min", json_integer (lo));
  json_object_set_new (o, "hu_max", json_integer (hi));
  json_object_set_new (o, "warnings", fidac_cli_json_strings (warnings));

  json_object_set_new (o, "series_description", fidac_cli_json_string (v->series_description));
  json_object_set_new (o, "series_number", load->info->series_number >= 0
                                             ? json_integer (load->info->series_number)
                                             : json_null ());
  json_object_set_new (o, "study_uid", fidac_cli_json_string (v->study_uid));
  json_object_set_new (o, "study_date", fidac_cli_json_string (v->study_date));
  json_object_set_new (o, "frame_of_reference_uid",
                       fidac_cli_json_string (v->frame_of_reference_uid));
  json_object_set_new (o, "patient_position", fidac_cli_json_string (v->patient_position));
  json_object_set_new (o, "transfer_syntax",
                       fidac_cli_json_string (fidac_cli_transfer_syntax_name (load->info->transfer_syntax_uid)));
  json_object_set_new (o, "transfer_syntax_uid",
                       fidac_cli_json_string (load->info->transfer_syntax_uid));
  json_object_set_new (o, "files", json_integer (load->info->files->len));
  for (guint w = 0; w < v->windows->len; w++)
    {
      const FidacWindowPreset *p = &g_array_index (v->windows, FidacWindowPreset, w);

      json_array_append_new (windows, json_pack ("{s:f, s:f, s:o}",
                                                 "center", p->center,
                                                 "width", p->width,
                                                 "explanation",
                                                 fidac_cli_json_string (p->explanation)));
    }
  json_object_set_new (o, "windows", windows);
  return o;
}

static gchar *
format_vec3 (const gdouble v[3])
{
  return g_strdup_printf ("[%.10g, %.10g, %.10g]", v[0], v[1], v[2]);
}

static void
print_info (const FidacCliLoad *load,
            GPtrArray          *warnings)
{
  const FidacVolume *v = load->volume;
  const gint w = 23;
  gdouble normal[3];
  gdouble tilt = fidac_volume_tilt_degrees (v);
  gint16 lo, hi;
  g_autofree gchar *spacing = format_vec3 (v->spacing);
  g_autofree gchar *origin = format_vec3 (v->origin);
  g_autofree gchar *row = format_vec3 (v->axis[0]);
  g_autofree gchar *column = format_vec3 (v->axis[1]);
  g_autofree gchar *normal_text = NULL;
  const gchar *none = _("none");

  fidac_vec3_cross (v->axis[0], v->axis[1], normal);
  normal_text = format_vec3 (normal);
  fidac_volume_get_range (v, &lo, &hi);

#define TEXT(s) ((s) != NULL ? (s) : "")
  fidac_cli_print_field (w, "series_uid", "%s", TEXT (v->series_uid));
  fidac_cli_print_field (w, "modality", "%s", TEXT (v->modality));
  fidac_cli_print_field (w, "slices", "%d", v->dims[2]);
  fidac_cli_print_field (w, "rows", "%d", v->dims[1]);
  fidac_cli_print_field (w, "columns", "%d", v->dims[0]);
  fidac_cli_print_field (w, "spacing", "%s mm", spacing);
  fidac_cli_print_field (w, "origin", "%s mm", origin);
  fidac_cli_print_field (w, "direction", "%s %s %s", row, column, normal_text);
  if (tilt > TILT_REPORT_DEGREES)
    {
      g_autofree gchar *step = format_vec3 (v->axis[2]);

      fidac_cli_print_field (w, "slice_direction", "%s", step);
      fidac_cli_print_field (w, "tilt_degrees", "%.4g", tilt);
    }
  fidac_cli_print_field (w, "hu_min", "%d", lo);
  fidac_cli_print_field (w, "hu_max", "%d", hi);
  if (warnings->len == 0)
    fidac_cli_print_field (w, "warnings", "%s", none);
  else
    for (guint i = 0; i < warnings->len; i++)
      fidac_cli_print_field (w, i == 0 ? "warnings" : "", "%s",
                             (const gchar *) g_ptr_array_index (warnings, i));

  fidac_cli_print_field (w, "series_description", "%s", TEXT (v->series_description));
  if (load->info->series_number >= 0)
    fidac_cli_print_field (w, "series_number", "%d", load->info->series_number);
  fidac_cli_print_field (w, "study_uid", "%s", TEXT (v->study_uid));
  fidac_cli_print_field (w, "study_date", "%s", TEXT (v->study_date));
  fidac_cli_print_field (w, "frame_of_reference_uid", "%s", TEXT (v->frame_of_reference_uid));
  fidac_cli_print_field (w, "patient_position", "%s", TEXT (v->patient_position));
  fidac_cli_print_field (w, "transfer_syntax", "%s",
                         fidac_cli_transfer_syntax_name (load->info->transfer_syntax_uid));
  fidac_cli_print_field (w, "files", "%u", load->info->files->len);
  if (v->windows->len == 0)
    fidac_cli_print_field (w, "windows", "%s", none);
  for (guint i = 0; i < v->windows->len; i++)
    {
      const FidacWindowPreset *p = &g_array_index (v->windows, FidacWindowPreset, i);

      /* TRANSLATORS: a window preset: centre and width in HU, then its name */
      fidac_cli_print_field (w, i == 0 ? "windows" : "", _("centre %g, width %g %s"),
                             p->center, p->width, TEXT (p->explanation));
    }
#undef TEXT
}

int
fidac_cli_info (int argc, char **argv)
{
  gboolean json = FALSE;
  g_autofree gchar *series_uid = NULL;
  const GOptionEntry entries[] = {
    { "series", 's', 0, G_OPTION_ARG_STRING, &series_uid,
      N_("The series to load when PATH holds several"), N_("UID") },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON for programs"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PATH"));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  FidacCliLoad load = { NULL };
  int status = FIDAC_CLI_EXIT_OK;

  g_option_context_set_summary (context,
                                _("Loads one series from PATH and prints its size, spacing, "
                                  "position and orientation in patient coordinates (LPS, mm), "
                                  "its range of Hounsfield units and any warning."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!fidac_cli_parse (context, "info", &argc, &argv))
    return FIDAC_CLI_EXIT_USAGE;
  if (argc != 2)
    return fidac_cli_usage_error ("info", argc < 2 ? _("a PATH is needed")
                                                   : _("only one PATH can be given"));

  load.path = argv[1];
  load.series_uid = series_uid;
  if (!fidac_cli_run_job (info_job, &load, &error))
    {
      fidac_cli_load_clear (&load);
      return fidac_cli_fail (error);
    }

  warnings = all_warnings (&load);
  if (json)
    {
      g_autoptr(json_t) root = info_to_json (&load, warnings);

      if (!fidac_cli_print_json (root))
        status = FIDAC_CLI_EXIT_FAILURE;
    }
  else
    {
      print_info (&load, warnings);
    }
  g_clear_pointer (&warnings, g_ptr_array_unref);
  fidac_cli_load_clear (&load);
  return status;
}
