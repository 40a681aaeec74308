/* fidac-scores-serialize.c: the scores as the text the store keeps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stored text (fidac_scores_serialize()) is a GVariant a{sv} printed by
 * g_variant_print(). A field that is not set is absent, so the text stays short and an
 * older reader never meets a sentinel value it does not know. "version" is a pair
 * (major, minor): a reader refuses a major above FORMAT_MAJOR (the meaning of a field it
 * knows changed) and accepts any minor (a minor step only adds keys, which are ignored).
 * Adding a lesion class changes the length of the quantification's arrays: that is a
 * major step.
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "fidac-scores-private.h"
#include "fidac-volume.h"

#define FORMAT_MAJOR 1
#define FORMAT_MINOR 0

#define N_LUNG_AXIS (FIDAC_LUNG_N + 1)
#define N_CLASS_AXIS (FIDAC_LESION_N_CLASSES + 1)

static GVariant *
uint64_array (const guint64 *values,
              gsize          n)
{
  return g_variant_new_fixed_array (G_VARIANT_TYPE_UINT64, values, n, sizeof (guint64));
}

static GVariant *
double_array (const gdouble *values,
              gsize          n)
{
  return g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, values, n, sizeof (gdouble));
}

static GVariant *
quantification_to_variant (const FidacQuantResult *q)
{
  GVariantBuilder dict, voxels, ml, involvement;

  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&dict, "{sv}", "has-lungs", g_variant_new_boolean (q->has_lungs));
  g_variant_builder_add (&dict, "{sv}", "voxel-ml", g_variant_new_double (q->voxel_ml));
  g_variant_builder_add (&dict, "{sv}", "lung-voxels", uint64_array (q->lung_voxels, N_LUNG_AXIS));
  g_variant_builder_add (&dict, "{sv}", "lung-ml", double_array (q->lung_ml, N_LUNG_AXIS));
  g_variant_builder_add (&dict, "{sv}", "lesion-voxels",
                         uint64_array (q->lesion_voxels, N_CLASS_AXIS));
  g_variant_builder_add (&dict, "{sv}", "lesion-ml", double_array (q->lesion_ml, N_CLASS_AXIS));

  g_variant_builder_init (&voxels, G_VARIANT_TYPE ("aat"));
  g_variant_builder_init (&ml, G_VARIANT_TYPE ("aad"));
  g_variant_builder_init (&involvement, G_VARIANT_TYPE ("aad"));
  for (guint l = 0; l < N_LUNG_AXIS; l++)
    {
      g_variant_builder_add_value (&voxels, uint64_array (q->in_lung_voxels[l], N_CLASS_AXIS));
      g_variant_builder_add_value (&ml, double_array (q->in_lung_ml[l], N_CLASS_AXIS));
      g_variant_builder_add_value (&involvement, double_array (q->involvement[l], N_CLASS_AXIS));
    }
  g_variant_builder_add (&dict, "{sv}", "in-lung-voxels", g_variant_builder_end (&voxels));
  g_variant_builder_add (&dict, "{sv}", "in-lung-ml", g_variant_builder_end (&ml));
  g_variant_builder_add (&dict, "{sv}", "involvement", g_variant_builder_end (&involvement));

  return g_variant_builder_end (&dict);
}

gchar *
fidac_scores_serialize (const FidacScores *scores)
{
  g_autoptr(GVariant) variant = NULL;
  GVariantBuilder dict;

  g_return_val_if_fail (scores != NULL, NULL);

  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&dict, "{sv}", "version",
                         g_variant_new ("(uu)", FORMAT_MAJOR, FORMAT_MINOR));

  /* Unset fields (and values outside their range, which no valid scores hold) are left
   * out: absent means unset. */
  {
    GVariantBuilder lobe_dict;
    gboolean any = FALSE;

    g_variant_builder_init (&lobe_dict, G_VARIANT_TYPE ("a{si}"));
    for (guint n = 0; n < FIDAC_N_LOBES; n++)
      if (scores->lobes[n] >= 0 && scores->lobes[n] <= FIDAC_LOBE_SCORE_MAX)
        {
          g_variant_builder_add (&lobe_dict, "{si}", fidac_scores_lobes[n].key, scores->lobes[n]);
          any = TRUE;
        }
    if (any)
      g_variant_builder_add (&dict, "{sv}", "lobes", g_variant_builder_end (&lobe_dict));
    else
      g_variant_builder_clear (&lobe_dict);
  }

#define ADD_KEY(name, table, value) \
  if ((gint) (value) >= 0 && (gint) (value) < (gint) G_N_ELEMENTS (table)) \
    g_variant_builder_add (&dict, "{sv}", name, g_variant_new_string (table[value].key))

  ADD_KEY ("extent", fidac_scores_extents, scores->extent);
  if (scores->corads >= FIDAC_CORADS_MIN && scores->corads <= FIDAC_CORADS_MAX)
    g_variant_builder_add (&dict, "{sv}", "corads", g_variant_new_int32 (scores->corads));
  ADD_KEY ("rsna", fidac_scores_rsna_names, scores->rsna);
  ADD_KEY ("pattern", fidac_scores_patterns, scores->pattern);
  ADD_KEY ("axial", fidac_scores_axials, scores->axial);
  ADD_KEY ("side", fidac_scores_sides, scores->side);
#undef ADD_KEY

  if ((scores->findings & FIDAC_FINDINGS_ALL) != 0)
    {
      GVariantBuilder list;

      g_variant_builder_init (&list, G_VARIANT_TYPE_STRING_ARRAY);
      for (guint n = 0; n < FIDAC_SCORES_N_FINDINGS; n++)
        if (scores->findings & (1u << n))
          g_variant_builder_add (&list, "s", fidac_scores_findings[n].key);
      g_variant_builder_add (&dict, "{sv}", "findings", g_variant_builder_end (&list));
    }

  /* Texts that are not UTF-8 cannot go into a GVariant string; they never come from the
   * panel (GTK entries are UTF-8), so they are made valid rather than dropped. */
  if (scores->other_findings != NULL)
    {
      g_autofree gchar *valid = g_utf8_make_valid (scores->other_findings, -1);
      g_variant_builder_add (&dict, "{sv}", "other-findings", g_variant_new_string (valid));
    }
  if (scores->comment != NULL)
    {
      g_autofree gchar *valid = g_utf8_make_valid (scores->comment, -1);
      g_variant_builder_add (&dict, "{sv}", "comment", g_variant_new_string (valid));
    }

  if (scores->has_quantification)
    g_variant_builder_add (&dict, "{sv}", "quantification",
                           quantification_to_variant (&scores->quantification));

  variant = g_variant_ref_sink (g_variant_builder_end (&dict));
  return g_variant_print (variant, TRUE);
}

/* ---------------------------------------------------------------------------------------- */

static gboolean
invalid (GError      **error,
         const gchar  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError      **error,
         const gchar  *format,
         ...)
{
  g_autofree gchar *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* Translators: %s says what is wrong with the stored scores. */
  g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
               _("The stored scores are damaged: %s"), message);
  return FALSE;
}

/* The value of `key` when present (NULL otherwise); FALSE when it has another type. */
static gboolean
lookup (GVariant            *dict,
        const gchar         *key,
        const GVariantType  *type,
        GVariant           **value,
        GError             **error)
{
  g_autoptr(GVariant) found = g_variant_lookup_value (dict, key, NULL);

  *value = NULL;
  if (found == NULL)
    return TRUE;
  if (!g_variant_is_of_type (found, type))
    return invalid (error, _("“%s” is of type “%s” instead of “%s”"),
                    key, g_variant_get_type_string (found), g_variant_type_peek_string (type));
  *value = g_steal_pointer (&found);
  return TRUE;
}

static gboolean
lookup_key (GVariant     *dict,
            const gchar  *name,
            const FidacScoresNamed  *table,
            guint         n,
            gint         *result,
            GError      **error)
{
  g_autoptr(GVariant) value = NULL;
  const gchar *key;
  gint index;

  if (!lookup (dict, name, G_VARIANT_TYPE_STRING, &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;
  key = g_variant_get_string (value, NULL);
  index = fidac_scores_key_index (table, n, key);
  if (index < 0)
    return invalid (error, _("unknown value “%s” for “%s”"), key, name);
  *result = index;
  return TRUE;
}

static gboolean
get_uint64_array (GVariant     *array,
                  const gchar  *name,
                  guint64      *out,
                  gsize         n,
                  GError      **error)
{
  gsize length = 0;
  const guint64 *values = g_variant_get_fixed_array (array, &length, sizeof (guint64));

  if (length != n)
    return invalid (error, _("“%s” holds %lu values instead of %lu"),
                    name, (unsigned long) length, (unsigned long) n);
  memcpy (out, values, n * sizeof (guint64));
  return TRUE;
}

static gboolean
get_double_array (GVariant     *array,
                  const gchar  *name,
                  gdouble      *out,
                  gsize         n,
                  gdouble       max,
                  GError      **error)
{
  gsize length = 0;
  const gdouble *values = g_variant_get_fixed_array (array, &length, sizeof (gdouble));

  if (length != n)
    return invalid (error, _("“%s” holds %lu values instead of %lu"),
                    name, (unsigned long) length, (unsigned long) n);
  for (gsize i = 0; i < n; i++)
    if (!isfinite (values[i]) || values[i] < 0 || values[i] > max)
      return invalid (error, _("“%s” holds %g, out of range"), name, values[i]);
  memcpy (out, values, n * sizeof (gdouble));
  return TRUE;
}

/* Every key of the quantification is required: a partial one cannot be shown. */
static GVariant *
require (GVariant            *dict,
         const gchar         *key,
         const GVariantType  *type,
         GError             **error)
{
  GVariant *value = NULL;

  if (!lookup (dict, key, type, &value, error))
    return NULL;
  if (value == NULL)
    invalid (error, _("the quantification has no “%s”"), key);
  return value;
}

static gboolean
quantification_from_variant (GVariant          *dict,
                             FidacQuantResult  *q,
                             GError           **error)
{
  g_autoptr(GVariant) has_lungs = NULL, voxel_ml = NULL, lung_voxels = NULL, lung_ml = NULL;
  g_autoptr(GVariant) lesion_voxels = NULL, lesion_ml = NULL, in_voxels = NULL, in_ml = NULL;
  g_autoptr(GVariant) involvement = NULL;

  memset (q, 0, sizeof *q);
  if ((has_lungs = require (dict, "has-lungs", G_VARIANT_TYPE_BOOLEAN, error)) == NULL ||
      (voxel_ml = require (dict, "voxel-ml", G_VARIANT_TYPE_DOUBLE, error)) == NULL ||
      (lung_voxels = require (dict, "lung-voxels", G_VARIANT_TYPE ("at"), error)) == NULL ||
      (lung_ml = require (dict, "lung-ml", G_VARIANT_TYPE ("ad"), error)) == NULL ||
      (lesion_voxels = require (dict, "lesion-voxels", G_VARIANT_TYPE ("at"), error)) == NULL ||
      (lesion_ml = require (dict, "lesion-ml", G_VARIANT_TYPE ("ad"), error)) == NULL ||
      (in_voxels = require (dict, "in-lung-voxels", G_VARIANT_TYPE ("aat"), error)) == NULL ||
      (in_ml = require (dict, "in-lung-ml", G_VARIANT_TYPE ("aad"), error)) == NULL ||
      (involvement = require (dict, "involvement", G_VARIANT_TYPE ("aad"), error)) == NULL)
    return FALSE;

  q->has_lungs = g_variant_get_boolean (has_lungs);
  q->voxel_ml = g_variant_get_double (voxel_ml);
  if (!isfinite (q->voxel_ml) || q->voxel_ml < 0)
    return invalid (error, _("“%s” holds %g, out of range"), "voxel-ml", q->voxel_ml);

  if (!get_uint64_array (lung_voxels, "lung-voxels", q->lung_voxels, N_LUNG_AXIS, error) ||
      !get_double_array (lung_ml, "lung-ml", q->lung_ml, N_LUNG_AXIS, G_MAXDOUBLE, error) ||
      !get_uint64_array (lesion_voxels, "lesion-voxels", q->lesion_voxels, N_CLASS_AXIS, error) ||
      !get_double_array (lesion_ml, "lesion-ml", q->lesion_ml, N_CLASS_AXIS, G_MAXDOUBLE, error))
    return FALSE;

  {
    GVariant *tables[3] = { in_voxels, in_ml, involvement };
    const gchar *names[3] = { "in-lung-voxels", "in-lung-ml", "involvement" };

    for (guint t = 0; t < 3; t++)
      if (g_variant_n_children (tables[t]) != N_LUNG_AXIS)
        return invalid (error, _("“%s” holds %lu rows instead of %d"),
                        names[t], (unsigned long) g_variant_n_children (tables[t]), N_LUNG_AXIS);
    for (guint l = 0; l < N_LUNG_AXIS; l++)
      {
        g_autoptr(GVariant) row_voxels = g_variant_get_child_value (in_voxels, l);
        g_autoptr(GVariant) row_ml = g_variant_get_child_value (in_ml, l);
        g_autoptr(GVariant) row_involvement = g_variant_get_child_value (involvement, l);

        if (!get_uint64_array (row_voxels, names[0], q->in_lung_voxels[l], N_CLASS_AXIS, error) ||
            !get_double_array (row_ml, names[1], q->in_lung_ml[l], N_CLASS_AXIS, G_MAXDOUBLE,
                               error) ||
            !get_double_array (row_involvement, names[2], q->involvement[l], N_CLASS_AXIS, 100,
                               error))
          return FALSE;
      }
  }
  return TRUE;
}

static gboolean
scores_from_variant (GVariant     *dict,
                     FidacScores  *scores,
                     GError      **error)
{
  g_autoptr(GVariant) version = NULL, lobe_dict = NULL, corads = NULL, list = NULL;
  g_autoptr(GVariant) other = NULL, comment = NULL, quantification = NULL;
  guint32 major, minor;
  gint value;

  if (!lookup (dict, "version", G_VARIANT_TYPE ("(uu)"), &version, error))
    return FALSE;
  if (version == NULL)
    return invalid (error, _("no format version"));
  g_variant_get (version, "(uu)", &major, &minor);
  if (major == 0)
    return invalid (error, _("format version %u.%u does not exist"), major, minor);
  if (major > FORMAT_MAJOR)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("The scores were saved by a newer version of FIDAC (format %u.%u; this "
                     "version reads format %d): update FIDAC to read them"),
                   major, minor, FORMAT_MAJOR);
      return FALSE;
    }

  if (!lookup (dict, "lobes", G_VARIANT_TYPE ("a{si}"), &lobe_dict, error))
    return FALSE;
  if (lobe_dict != NULL)
    {
      GVariantIter iter;
      const gchar *key;
      gint32 score;

      g_variant_iter_init (&iter, lobe_dict);
      while (g_variant_iter_next (&iter, "{&si}", &key, &score))
        {
          gint lobe = fidac_scores_key_index (fidac_scores_lobes, FIDAC_N_LOBES, key);

          if (lobe < 0)
            return invalid (error, _("unknown lobe “%s”"), key);
          if (scores->lobes[lobe] != FIDAC_SCORE_UNSET)
            return invalid (error, _("lobe “%s” is given twice"), key);
          if (score < 0 || score > FIDAC_LOBE_SCORE_MAX)
            return invalid (error, _("lobe score %d of “%s” is outside 0–%d"),
                            score, key, FIDAC_LOBE_SCORE_MAX);
          scores->lobes[lobe] = score;
        }
    }

  value = FIDAC_EXTENT_UNSET;
  if (!lookup_key (dict, "extent", fidac_scores_extents, G_N_ELEMENTS (fidac_scores_extents), &value, error))
    return FALSE;
  scores->extent = value;

  if (!lookup (dict, "corads", G_VARIANT_TYPE_INT32, &corads, error))
    return FALSE;
  if (corads != NULL)
    {
      gint32 c = g_variant_get_int32 (corads);

      if (c < FIDAC_CORADS_MIN || c > FIDAC_CORADS_MAX)
        return invalid (error, _("CO-RADS %d is outside %d–%d"), c, FIDAC_CORADS_MIN,
                        FIDAC_CORADS_MAX);
      scores->corads = c;
    }

  value = FIDAC_RSNA_UNSET;
  if (!lookup_key (dict, "rsna", fidac_scores_rsna_names, G_N_ELEMENTS (fidac_scores_rsna_names), &value, error))
    return FALSE;
  scores->rsna = value;
  value = FIDAC_PATTERN_UNSET;
  if (!lookup_key (dict, "pattern", fidac_scores_patterns, G_N_ELEMENTS (fidac_scores_patterns), &value, error))
    return FALSE;
  scores->pattern = value;
  value = FIDAC_AXIAL_UNSET;
  if (!lookup_key (dict, "axial", fidac_scores_axials, G_N_ELEMENTS (fidac_scores_axials), &value, error))
    return FALSE;
  scores->axial = value;
  value = FIDAC_SIDE_UNSET;
  if (!lookup_key (dict, "side", fidac_scores_sides, G_N_ELEMENTS (fidac_scores_sides), &value, error))
    return FALSE;
  scores->side = value;

  if (!lookup (dict, "findings", G_VARIANT_TYPE_STRING_ARRAY, &list, error))
    return FALSE;
  if (list != NULL)
    {
      GVariantIter iter;
      const gchar *key;

      g_variant_iter_init (&iter, list);
      while (g_variant_iter_next (&iter, "&s", &key))
        {
          gint n = fidac_scores_key_index (fidac_scores_findings, FIDAC_SCORES_N_FINDINGS, key);

          if (n < 0)
            return invalid (error, _("unknown finding “%s”"), key);
          scores->findings |= 1u << n;
        }
    }

  if (!lookup (dict, "other-findings", G_VARIANT_TYPE_STRING, &other, error) ||
      !lookup (dict, "comment", G_VARIANT_TYPE_STRING, &comment, error))
    return FALSE;
  if (other != NULL)
    scores->other_findings = g_variant_dup_string (other, NULL);
  if (comment != NULL)
    scores->comment = g_variant_dup_string (comment, NULL);

  if (!lookup (dict, "quantification", G_VARIANT_TYPE_VARDICT, &quantification, error))
    return FALSE;
  if (quantification != NULL)
    {
      if (!quantification_from_variant (quantification, &scores->quantification, error))
        return FALSE;
      scores->has_quantification = TRUE;
    }

  return TRUE;
}

gboolean
fidac_scores_deserialize (const gchar  *text,
                          FidacScores  *scores,
                          GError      **error)
{
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GVariant) dict = NULL;
  const gchar *end = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (scores != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  fidac_scores_init (scores);

  if (!g_utf8_validate (text, -1, &end))
    return invalid (error, _("the text is not UTF-8 (byte %lu)"),
                    (unsigned long) (end - text));

  dict = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &parse_error);
  /* GLib's message (with the position) is enough: the panel and the command line show it
   * on one line. */
  if (dict == NULL)
    return invalid (error, _("the text cannot be parsed (%s)"), parse_error->message);

  if (!scores_from_variant (dict, scores, error))
    {
      fidac_scores_clear (scores);
      return FALSE;
    }
  return TRUE;
}
