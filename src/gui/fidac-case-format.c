/* fidac-case-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "fidac-case-format.h"
#include "fidac-case-load.h"
#include "fidac-window-level.h"

gchar *
fidac_format_mm (gdouble value)
{
  g_autofree gchar *text = g_strdup_printf ("%.3f", value);
  gsize len = strlen (text);

  /* 0.703125 reads 0.703, 2.500 reads 2.5: the precision a scanner header carries. */
  while (len > 1 && text[len - 1] == '0')
    text[--len] = '\0';
  if (len > 1 && !g_ascii_isdigit (text[len - 1]))
    text[--len] = '\0';
  return g_steal_pointer (&text);
}

gchar *
fidac_format_date (const gchar *da)
{
  if (da == NULL || *da == '\0')
    return g_strdup (_("Unknown"));
  if (strlen (da) == 8)
    return g_strdup_printf ("%.4s-%.2s-%.2s", da, da + 4, da + 6);
  return g_strdup (da);
}

gchar *
fidac_format_position (const gchar *position)
{
  static const struct {
    const gchar *code;
    const gchar *text;
  } positions[] = {
    { "HFS", N_("Head first, supine") },
    { "HFP", N_("Head first, prone") },
    { "FFS", N_("Feet first, supine") },
    { "FFP", N_("Feet first, prone") },
    { "HFDR", N_("Head first, decubitus right") },
    { "HFDL", N_("Head first, decubitus left") },
    { "FFDR", N_("Feet first, decubitus right") },
    { "FFDL", N_("Feet first, decubitus left") },
  };

  if (position == NULL || *position == '\0')
    return g_strdup (_("Unknown"));
  for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
    if (g_str_equal (position, positions[i].code))
      return g_strdup_printf ("%s (%s)", _(positions[i].text), position);
  return g_strdup (position);
}

/* The patient direction (LPS) a vector points to most. */
const gchar *
fidac_direction_letter (const gdouble v[3])
{
  gdouble ax = fabs (v[0]), ay = fabs (v[1]), az = fabs (v[2]);

  /* Translators: patient directions on the image edges: Right, Left, Anterior, Posterior,
   * Head, Feet. Keep them one letter long. */
  if (ax >= ay && ax >= az)
    return v[0] > 0 ? C_("direction", "L") : C_("direction", "R");
  if (ay >= az)
    return v[1] > 0 ? C_("direction", "P") : C_("direction", "A");
  return v[2] > 0 ? C_("direction", "H") : C_("direction", "F");
}

gchar *
fidac_format_orientation (const FidacVolume *volume)
{
  gdouble normal[3];
  gdouble ax, ay, az, tilt;
  const gchar *plane;
  g_autofree gchar *text = NULL;

  fidac_vec3_cross (volume->axis[0], volume->axis[1], normal);
  ax = fabs (normal[0]);
  ay = fabs (normal[1]);
  az = fabs (normal[2]);
  /* cos 10°: beyond that a plane is called oblique. */
  if (az >= 0.985)
    plane = _("Axial");
  else if (ay >= 0.985)
    plane = _("Coronal");
  else if (ax >= 0.985)
    plane = _("Sagittal");
  else
    plane = _("Oblique");

  text = g_strdup_printf (_("%s, row (%.3g, %.3g, %.3g), column (%.3g, %.3g, %.3g)"), plane,
                          volume->axis[0][0] + 0.0, volume->axis[0][1] + 0.0, volume->axis[0][2] + 0.0,
                          volume->axis[1][0] + 0.0, volume->axis[1][1] + 0.0, volume->axis[1][2] + 0.0);
  tilt = fidac_volume_tilt_degrees (volume);
  if (tilt > 0.01)
    {
      gchar *with_tilt = g_strdup_printf (_("%s; gantry tilt %.1f°"), text, tilt);

      g_free (text);
      text = with_tilt;
    }
  return g_steal_pointer (&text);
}

/* Radiological convention: patient right on the screen's left, anterior up. For an axial
 * series, flipping the columns when they run towards the patient's right and the rows when
 * they run towards anterior is enough; the MPR views handle any plane. */
gboolean
fidac_radiological_flip_columns (const FidacVolume *volume)
{
  return volume->axis[0][0] < 0.0;
}

gboolean
fidac_radiological_flip_rows (const FidacVolume *volume)
{
  return volume->axis[1][1] < 0.0;
}

GdkTexture *
fidac_radiological_slice_texture (const FidacVolume *volume,
                                  gint               k,
                                  gdouble            width,
                                  gdouble            level)
{
  gint w = volume->dims[0], h = volume->dims[1];
  gboolean flip_h = fidac_radiological_flip_columns (volume);
  gboolean flip_v = fidac_radiological_flip_rows (volume);
  g_autofree guint8 *gray = g_malloc ((gsize) w * h);
  guint8 *rgb = g_malloc ((gsize) w * h * 3);
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (k >= 0 && k < volume->dims[2], NULL);

  /* GTK 4.8 has no 8-bit grey memory format: grey is spread on three channels. */
  fidac_window_level_slice_gray (volume, k, width, level, gray);
  for (gint y = 0; y < h; y++)
    {
      const guint8 *src = gray + (gsize) (flip_v ? h - 1 - y : y) * w;
      guint8 *dst = rgb + (gsize) y * w * 3;

      for (gint x = 0; x < w; x++)
        {
          guint8 v = src[flip_h ? w - 1 - x : x];

          dst[3 * x] = dst[3 * x + 1] = dst[3 * x + 2] = v;
        }
    }
  bytes = g_bytes_new_take (rgb, (gsize) w * h * 3);
  return gdk_memory_texture_new (w, h, GDK_MEMORY_R8G8B8, bytes, (gsize) w * 3);
}

gchar *
fidac_format_series_summary (const FidacSeriesInfo *info)
{
  gboolean image = fidac_series_is_image (info);
  g_autofree gchar *date = fidac_format_date (info->study_date);
  GString *text = g_string_new (info->modality != NULL ? info->modality : "?");

  if (image)
    {
      g_string_append (text, "  ·  ");
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE, "%u image", "%u images", info->n_frames),
                              info->n_frames);
      g_string_append_printf (text, "  ·  %d × %d", info->columns, info->rows);
    }
  g_string_append_printf (text, "  ·  %s", date);
  if (info->series_number >= 0)
    {
      g_string_append (text, "  ·  ");
      g_string_append_printf (text, _("series %d"), info->series_number);
    }
  if (!image)
    {
      g_string_append (text, "  ·  ");
      g_string_append (text, _("not an image series, cannot be displayed"));
    }
  return g_string_free (text, FALSE);
}
