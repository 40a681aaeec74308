/* fidac-scores.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sources of the definitions shown beside each score (short forms of the published ones,
 * so that a reader has them at hand without the paper):
 * - Lobe scores: Pan F. et al., "Time course of lung changes on chest CT during recovery
 *   from 2019 novel coronavirus (COVID-19) pneumonia", Radiology 2020; 295: 715–721.
 * - Extent classes: the French Society of Radiology (SFR) reporting template for COVID-19
 *   chest CT (absente, minime, modérée, étendue, sévère, critique).
 * - CO-RADS: Prokop M. et al., "CO-RADS: a categorical CT assessment scheme for patients
 *   suspected of having COVID-19", Radiology 2020; 296: E97–E104.
 * - RSNA categories: Simpson S. et al., "Radiological Society of North America expert
 *   consensus statement on reporting chest CT findings related to COVID-19", Radiology:
 *   Cardiothoracic Imaging 2020; 2: e200152.
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

#include "fidac-scores.h"
#include "fidac-volume.h"

#define FORMAT_MAJOR 1
#define FORMAT_MINOR 0

#define N_LUNG_AXIS (FIDAC_LUNG_N + 1)
#define N_CLASS_AXIS (FIDAC_LESION_N_CLASSES + 1)

typedef struct {
  const gchar *key;
  const gchar *context;         /* NULL: plain N_() */
  const gchar *name;
} Named;

static const gchar *
named (const Named *entry)
{
  if (entry->context != NULL)
    return g_dpgettext2 (GETTEXT_PACKAGE, entry->context, entry->name);
  return _(entry->name);
}

static const Named lobes[FIDAC_N_LOBES] = {
  { "rul", NULL, N_("Right upper lobe") },
  { "rml", NULL, N_("Right middle lobe") },
  { "rll", NULL, N_("Right lower lobe") },
  { "lul", NULL, N_("Left upper lobe") },
  { "lll", NULL, N_("Left lower lobe") },
};

static const Named lobe_abbreviations[FIDAC_N_LOBES] = {
  /* Translators: abbreviation of "right upper lobe", as radiologists write it in reports
   * (French: LSD, lobe supérieur droit). */
  { NULL, "lobe abbreviation", NC_("lobe abbreviation", "RUL") },
  /* Translators: abbreviation of "right middle lobe" (French: LMD, lobe moyen). */
  { NULL, "lobe abbreviation", NC_("lobe abbreviation", "RML") },
  /* Translators: abbreviation of "right lower lobe" (French: LID, lobe inférieur droit). */
  { NULL, "lobe abbreviation", NC_("lobe abbreviation", "RLL") },
  /* Translators: abbreviation of "left upper lobe" (French: LSG, lobe supérieur gauche). */
  { NULL, "lobe abbreviation", NC_("lobe abbreviation", "LUL") },
  /* Translators: abbreviation of "left lower lobe" (French: LIG, lobe inférieur gauche). */
  { NULL, "lobe abbreviation", NC_("lobe abbreviation", "LLL") },
};

/* Pan et al.: share of the lobe involved. */
static const gchar *const lobe_score_definitions[FIDAC_LOBE_SCORE_MAX + 1] = {
  N_("0: none"),
  N_("1: < 5 %"),
  N_("2: 5–25 %"),
  N_("3: 26–49 %"),
  N_("4: 50–75 %"),
  N_("5: > 75 %"),
};

static const Named extents[FIDAC_N_EXTENTS] = {
  /* Translators: extent class of lung involvement (French: Absente). */
  { "absent", "extent class", NC_("extent class", "None") },
  /* Translators: extent class of lung involvement (French: Minime). */
  { "minimal", "extent class", NC_("extent class", "Minimal") },
  /* Translators: extent class of lung involvement (French: Modérée). */
  { "moderate", "extent class", NC_("extent class", "Moderate") },
  /* Translators: extent class of lung involvement (French: Étendue). */
  { "extensive", "extent class", NC_("extent class", "Extensive") },
  /* Translators: extent class of lung involvement (French: Sévère). */
  { "severe", "extent class", NC_("extent class", "Severe") },
  /* Translators: extent class of lung involvement (French: Critique). */
  { "critical", "extent class", NC_("extent class", "Critical") },
};

static const gchar *const extent_definitions[FIDAC_N_EXTENTS] = {
  N_("No involvement"),
  N_("< 10 % of the lungs"),
  N_("10–25 % of the lungs"),
  N_("25–50 % of the lungs"),
  N_("50–75 % of the lungs"),
  N_("> 75 % of the lungs"),
};

/* Prokop et al., table 1: level of suspicion, then what the CT shows. */
static const gchar *const corads_definitions[FIDAC_CORADS_MAX + 1] = {
  N_("Not interpretable: scan technically insufficient for assigning a score"),
  N_("Very low: normal or non-infectious abnormalities"),
  N_("Low: abnormalities consistent with infections other than COVID-19"),
  N_("Equivocal or unsure: features compatible with COVID-19 but also with other diseases"),
  N_("High: abnormalities suspicious for COVID-19"),
  N_("Very high: typical COVID-19 findings"),
  N_("Proven: SARS-CoV-2 infection confirmed by RT-PCR"),
};

static const Named rsna_names[FIDAC_N_RSNA] = {
  { "typical", NULL, N_("Typical appearance") },
  { "indeterminate", NULL, N_("Indeterminate appearance") },
  { "atypical", NULL, N_("Atypical appearance") },
  { "negative", NULL, N_("Negative for pneumonia") },
};

/* Simpson et al., table 1, shortened. */
static const gchar *const rsna_definitions[FIDAC_N_RSNA] = {
  N_("Peripheral, bilateral ground-glass opacities with or without consolidation or "
     "crazy-paving; multifocal rounded ground glass; reverse halo sign or other signs of "
     "organizing pneumonia"),
  N_("No typical feature, and multifocal, diffuse, perihilar or unilateral ground glass "
     "with or without consolidation, without a specific distribution, neither rounded nor "
     "peripheral; or a few very small non-rounded, non-peripheral ground-glass opacities"),
  N_("No typical or indeterminate feature, and isolated lobar or segmental consolidation "
     "without ground glass, discrete small nodules (centrilobular, tree-in-bud), "
     "cavitation, or smooth interlobular septal thickening with pleural effusion"),
  N_("No CT feature suggesting pneumonia"),
};

static const Named patterns[FIDAC_N_PATTERNS] = {
  { "ground-glass", NULL, N_("Ground-glass opacity") },
  { "consolidation", NULL, N_("Consolidation") },
  { "crazy-paving", NULL, N_("Crazy-paving") },
  { "mixed", NULL, N_("Mixed (ground glass and consolidation)") },
};

static const Named axials[FIDAC_N_AXIAL] = {
  /* Translators: distribution of the lesions in the axial plane. */
  { "peripheral", "distribution", NC_("distribution", "Peripheral") },
  { "central", "distribution", NC_("distribution", "Central") },
  { "diffuse", "distribution", NC_("distribution", "Diffuse") },
};

static const Named sides[FIDAC_N_SIDES] = {
  { "unilateral", "distribution", NC_("distribution", "Unilateral") },
  { "bilateral", "distribution", NC_("distribution", "Bilateral") },
};

#define N_FINDINGS 4

static const Named findings[N_FINDINGS] = {
  { "pleural-effusion", NULL, N_("Pleural effusion") },
  { "pe-suspected", NULL, N_("Pulmonary embolism suspected") },
  { "nodules", NULL, N_("Nodules") },
  /* Translators: other findings, described in a text field beside the check box. */
  { "other", "finding", NC_("finding", "Other") },
};

#define N_FIELDS 12

/* Field names on their own (a title, a list) and inside "Missing: …". */
static const gchar *const field_names[N_FIELDS] = {
  N_("Right upper lobe"),
  N_("Right middle lobe"),
  N_("Right lower lobe"),
  N_("Left upper lobe"),
  N_("Left lower lobe"),
  N_("Extent class"),
  N_("CO-RADS"),
  N_("RSNA category"),
  N_("Predominant pattern"),
  N_("Axial distribution"),
  N_("Unilateral or bilateral"),
  N_("Description of other findings"),
};

static const gchar *const field_names_in_sentence[N_FIELDS] = {
  NC_("missing field", "right upper lobe"),
  NC_("missing field", "right middle lobe"),
  NC_("missing field", "right lower lobe"),
  NC_("missing field", "left upper lobe"),
  NC_("missing field", "left lower lobe"),
  NC_("missing field", "extent class"),
  NC_("missing field", "CO-RADS"),
  NC_("missing field", "RSNA category"),
  NC_("missing field", "predominant pattern"),
  NC_("missing field", "axial distribution"),
  NC_("missing field", "unilateral or bilateral"),
  NC_("missing field", "description of other findings"),
};

#define FIELDS_LOBES (FIDAC_SCORES_FIELD_LOBE_RUL | FIDAC_SCORES_FIELD_LOBE_RML | \
                      FIDAC_SCORES_FIELD_LOBE_RLL | FIDAC_SCORES_FIELD_LOBE_LUL | \
                      FIDAC_SCORES_FIELD_LOBE_LLL)
#define FIELDS_ALL ((1u << N_FIELDS) - 1)

G_STATIC_ASSERT (FIDAC_SCORES_FIELD_OTHER_TEXT == 1 << (N_FIELDS - 1));
G_STATIC_ASSERT (FIDAC_FINDINGS_ALL == (1 << N_FINDINGS) - 1);

/* ---------------------------------------------------------------------------------------- */

void
fidac_scores_init (FidacScores *scores)
{
  g_return_if_fail (scores != NULL);

  memset (scores, 0, sizeof *scores);
  for (guint n = 0; n < FIDAC_N_LOBES; n++)
    scores->lobes[n] = FIDAC_SCORE_UNSET;
  scores->extent = FIDAC_EXTENT_UNSET;
  scores->corads = FIDAC_SCORE_UNSET;
  scores->rsna = FIDAC_RSNA_UNSET;
  scores->pattern = FIDAC_PATTERN_UNSET;
  scores->axial = FIDAC_AXIAL_UNSET;
  scores->side = FIDAC_SIDE_UNSET;
}

void
fidac_scores_clear (FidacScores *scores)
{
  g_return_if_fail (scores != NULL);

  g_free (scores->other_findings);
  g_free (scores->comment);
  fidac_scores_init (scores);
}

void
fidac_scores_copy (const FidacScores *src,
                   FidacScores       *dest)
{
  g_return_if_fail (src != NULL);
  g_return_if_fail (dest != NULL);

  if (src == dest)
    return;

  /* Like fidac_scores_deserialize(), dest is an output: it may be uninitialised, so its
   * texts are not freed here (the header says so). */
  *dest = *src;
  dest->other_findings = g_strdup (src->other_findings);
  dest->comment = g_strdup (src->comment);
}

static gboolean
text_equal (const gchar *a,
            const gchar *b)
{
  /* An emptied entry and no text are the same thing to the reader. */
  return g_strcmp0 (a != NULL ? a : "", b != NULL ? b : "") == 0;
}

static gboolean
quantification_equal (const FidacQuantResult *a,
                      const FidacQuantResult *b)
{
  if (a->has_lungs != b->has_lungs || a->voxel_ml != b->voxel_ml)
    return FALSE;
  for (guint l = 0; l < N_LUNG_AXIS; l++)
    if (a->lung_voxels[l] != b->lung_voxels[l] || a->lung_ml[l] != b->lung_ml[l])
      return FALSE;
  for (guint c = 0; c < N_CLASS_AXIS; c++)
    if (a->lesion_voxels[c] != b->lesion_voxels[c] || a->lesion_ml[c] != b->lesion_ml[c])
      return FALSE;
  for (guint l = 0; l < N_LUNG_AXIS; l++)
    for (guint c = 0; c < N_CLASS_AXIS; c++)
      if (a->in_lung_voxels[l][c] != b->in_lung_voxels[l][c] ||
          a->in_lung_ml[l][c] != b->in_lung_ml[l][c] ||
          a->involvement[l][c] != b->involvement[l][c])
        return FALSE;
  return TRUE;
}

gboolean
fidac_scores_equal (const FidacScores *a,
                    const FidacScores *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  for (guint n = 0; n < FIDAC_N_LOBES; n++)
    if (a->lobes[n] != b->lobes[n])
      return FALSE;
  if (a->extent != b->extent || a->corads != b->corads || a->rsna != b->rsna ||
      a->pattern != b->pattern || a->axial != b->axial || a->side != b->side ||
      a->findings != b->findings)
    return FALSE;
  if (!text_equal (a->other_findings, b->other_findings) || !text_equal (a->comment, b->comment))
    return FALSE;
  if (a->has_quantification != b->has_quantification)
    return FALSE;
  return !a->has_quantification || quantification_equal (&a->quantification, &b->quantification);
}

/* ---------------------------------------------------------------------------------------- */

gint
fidac_scores_total (const FidacScores *scores,
                    guint             *n_set)
{
  gint total = 0;
  guint set = 0;

  g_return_val_if_fail (scores != NULL, 0);

  for (guint n = 0; n < FIDAC_N_LOBES; n++)
    if (scores->lobes[n] >= 0 && scores->lobes[n] <= FIDAC_LOBE_SCORE_MAX)
      {
        total += scores->lobes[n];
        set++;
      }
  if (n_set != NULL)
    *n_set = set;
  return total;
}

static gboolean
text_blank (const gchar *text)
{
  for (const gchar *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

guint
fidac_scores_get_missing (const FidacScores *scores)
{
  guint missing = 0;
  gboolean involved = FALSE;

  g_return_val_if_fail (scores != NULL, FIELDS_ALL);

  /* A value out of range counts as unset: it cannot be reported. */
  for (guint n = 0; n < FIDAC_N_LOBES; n++)
    {
      if (scores->lobes[n] < 0 || scores->lobes[n] > FIDAC_LOBE_SCORE_MAX)
        missing |= FIDAC_SCORES_FIELD_LOBE_RUL << n;
      else if (scores->lobes[n] > 0)
        involved = TRUE;
    }
  if (scores->extent < 0 || scores->extent >= FIDAC_N_EXTENTS)
    missing |= FIDAC_SCORES_FIELD_EXTENT;
  else if (scores->extent > FIDAC_EXTENT_ABSENT)
    involved = TRUE;
  if (scores->corads < FIDAC_CORADS_MIN || scores->corads > FIDAC_CORADS_MAX)
    missing |= FIDAC_SCORES_FIELD_CORADS;
  if (scores->rsna < 0 || scores->rsna >= FIDAC_N_RSNA)
    missing |= FIDAC_SCORES_FIELD_RSNA;

  /* Nothing to describe when nothing is involved. */
  if (involved)
    {
      if (scores->pattern < 0 || scores->pattern >= FIDAC_N_PATTERNS)
        missing |= FIDAC_SCORES_FIELD_PATTERN;
      if (scores->axial < 0 || scores->axial >= FIDAC_N_AXIAL)
        missing |= FIDAC_SCORES_FIELD_AXIAL;
      if (scores->side < 0 || scores->side >= FIDAC_N_SIDES)
        missing |= FIDAC_SCORES_FIELD_SIDE;
    }

  if ((scores->findings & FIDAC_FINDING_OTHER) && text_blank (scores->other_findings))
    missing |= FIDAC_SCORES_FIELD_OTHER_TEXT;

  return missing;
}

static gint
field_index (FidacScoresField field)
{
  guint bits = field;

  if (bits == 0 || (bits & (bits - 1)) != 0 || bits > FIDAC_SCORES_FIELD_OTHER_TEXT)
    return -1;
  return g_bit_nth_lsf (bits, -1);
}

const gchar *
fidac_scores_field_get_name (FidacScoresField field)
{
  gint index = field_index (field);

  g_return_val_if_fail (index >= 0, NULL);

  return _(field_names[index]);
}

gchar *
fidac_scores_describe_missing (guint missing)
{
  g_autoptr(GString) list = NULL;

  missing &= FIELDS_ALL;
  if (missing == 0)
    return NULL;

  list = g_string_new (NULL);
  if ((missing & FIELDS_LOBES) == FIELDS_LOBES)
    {
      g_string_append (list, C_("missing field", "the five lobe scores"));
      missing &= ~FIELDS_LOBES;
    }
  for (guint n = 0; n < N_FIELDS; n++)
    if (missing & (1u << n))
      {
        if (list->len > 0)
          /* Translators: separates the fields in "Missing: right upper lobe, CO-RADS." */
          g_string_append (list, C_("list separator", ", "));
        g_string_append (list, g_dpgettext2 (GETTEXT_PACKAGE, "missing field",
                                             field_names_in_sentence[n]));
      }

  /* Translators: %s is a list of fields, as in "Missing: right upper lobe, CO-RADS." */
  return g_strdup_printf (_("Missing: %s."), list->str);
}

/* ---------------------------------------------------------------------------------------- */

gint
fidac_lobe_score_for_percent (gdouble percent)
{
  if (isnan (percent) || percent < 0)
    return -1;
  if (percent == 0)
    return 0;
  if (percent < 5)
    return 1;
  if (percent <= 25)
    return 2;
  if (percent < 50)
    return 3;
  if (percent <= 75)
    return 4;
  return 5;
}

FidacExtent
fidac_extent_for_percent (gdouble percent)
{
  if (isnan (percent) || percent < 0)
    return FIDAC_EXTENT_UNSET;
  if (percent == 0)
    return FIDAC_EXTENT_ABSENT;
  if (percent < 10)
    return FIDAC_EXTENT_MINIMAL;
  if (percent <= 25)
    return FIDAC_EXTENT_MODERATE;
  if (percent < 50)
    return FIDAC_EXTENT_EXTENSIVE;
  if (percent <= 75)
    return FIDAC_EXTENT_SEVERE;
  return FIDAC_EXTENT_CRITICAL;
}

/* ---------------------------------------------------------------------------------------- */

static const gchar *
not_set (void)
{
  /* Translators: a score or field the expert has not filled in yet. */
  return C_("score", "Not set");
}

const gchar *
fidac_lobe_get_name (FidacLobe lobe)
{
  g_return_val_if_fail (lobe >= 0 && lobe < FIDAC_N_LOBES, NULL);
  return named (&lobes[lobe]);
}

const gchar *
fidac_lobe_get_abbreviation (FidacLobe lobe)
{
  g_return_val_if_fail (lobe >= 0 && lobe < FIDAC_N_LOBES, NULL);
  return named (&lobe_abbreviations[lobe]);
}

const gchar *
fidac_lobe_score_get_definition (gint score)
{
  if (score == FIDAC_SCORE_UNSET)
    return NULL;
  g_return_val_if_fail (score >= 0 && score <= FIDAC_LOBE_SCORE_MAX, NULL);
  return _(lobe_score_definitions[score]);
}

const gchar *
fidac_extent_get_name (FidacExtent extent)
{
  if (extent == FIDAC_EXTENT_UNSET)
    return not_set ();
  g_return_val_if_fail (extent >= 0 && extent < FIDAC_N_EXTENTS, NULL);
  return named (&extents[extent]);
}

const gchar *
fidac_extent_get_definition (FidacExtent extent)
{
  if (extent == FIDAC_EXTENT_UNSET)
    return NULL;
  g_return_val_if_fail (extent >= 0 && extent < FIDAC_N_EXTENTS, NULL);
  return _(extent_definitions[extent]);
}

const gchar *
fidac_corads_get_definition (gint corads)
{
  if (corads == FIDAC_SCORE_UNSET)
    return NULL;
  g_return_val_if_fail (corads >= FIDAC_CORADS_MIN && corads <= FIDAC_CORADS_MAX, NULL);
  return _(corads_definitions[corads]);
}

const gchar *
fidac_rsna_get_name (FidacRsna rsna)
{
  if (rsna == FIDAC_RSNA_UNSET)
    return not_set ();
  g_return_val_if_fail (rsna >= 0 && rsna < FIDAC_N_RSNA, NULL);
  return named (&rsna_names[rsna]);
}

const gchar *
fidac_rsna_get_definition (FidacRsna rsna)
{
  if (rsna == FIDAC_RSNA_UNSET)
    return NULL;
  g_return_val_if_fail (rsna >= 0 && rsna < FIDAC_N_RSNA, NULL);
  return _(rsna_definitions[rsna]);
}

const gchar *
fidac_pattern_get_name (FidacPattern pattern)
{
  if (pattern == FIDAC_PATTERN_UNSET)
    return not_set ();
  g_return_val_if_fail (pattern >= 0 && pattern < FIDAC_N_PATTERNS, NULL);
  return named (&patterns[pattern]);
}

const gchar *
fidac_axial_get_name (FidacAxialDistribution axial)
{
  if (axial == FIDAC_AXIAL_UNSET)
    return not_set ();
  g_return_val_if_fail (axial >= 0 && axial < FIDAC_N_AXIAL, NULL);
  return named (&axials[axial]);
}

const gchar *
fidac_side_get_name (FidacSide side)
{
  if (side == FIDAC_SIDE_UNSET)
    return not_set ();
  g_return_val_if_fail (side >= 0 && side < FIDAC_N_SIDES, NULL);
  return named (&sides[side]);
}

static gint
finding_index (FidacFinding finding)
{
  guint bits = finding;

  if (bits == 0 || (bits & (bits - 1)) != 0 || bits > FIDAC_FINDING_OTHER)
    return -1;
  return g_bit_nth_lsf (bits, -1);
}

const gchar *
fidac_finding_get_name (FidacFinding finding)
{
  gint index = finding_index (finding);

  g_return_val_if_fail (index >= 0, NULL);
  return named (&findings[index]);
}

/* ---------------------------------------------------------------------------------------- */

#define TO_KEY(table, value, unset) \
  G_STMT_START { \
    if ((gint) (value) == (unset)) \
      return NULL; \
    g_return_val_if_fail ((gint) (value) >= 0 && (gint) (value) < (gint) G_N_ELEMENTS (table), NULL); \
    return table[value].key; \
  } G_STMT_END

const gchar *
fidac_extent_to_key (FidacExtent extent)
{
  TO_KEY (extents, extent, FIDAC_EXTENT_UNSET);
}

const gchar *
fidac_rsna_to_key (FidacRsna rsna)
{
  TO_KEY (rsna_names, rsna, FIDAC_RSNA_UNSET);
}

const gchar *
fidac_pattern_to_key (FidacPattern pattern)
{
  TO_KEY (patterns, pattern, FIDAC_PATTERN_UNSET);
}

const gchar *
fidac_axial_to_key (FidacAxialDistribution axial)
{
  TO_KEY (axials, axial, FIDAC_AXIAL_UNSET);
}

const gchar *
fidac_side_to_key (FidacSide side)
{
  TO_KEY (sides, side, FIDAC_SIDE_UNSET);
}

const gchar *
fidac_finding_to_key (FidacFinding finding)
{
  gint index = finding_index (finding);

  g_return_val_if_fail (index >= 0, NULL);
  return findings[index].key;
}

const gchar *
fidac_lobe_to_key (FidacLobe lobe)
{
  g_return_val_if_fail (lobe >= 0 && lobe < FIDAC_N_LOBES, NULL);
  return lobes[lobe].key;
}

static gint
key_index (const Named *table,
           guint        n,
           const gchar *key)
{
  for (guint i = 0; key != NULL && i < n; i++)
    if (strcmp (table[i].key, key) == 0)
      return (gint) i;
  return -1;
}

gint
fidac_extent_from_key (const gchar *key)
{
  return key_index (extents, G_N_ELEMENTS (extents), key);
}

gint
fidac_rsna_from_key (const gchar *key)
{
  return key_index (rsna_names, G_N_ELEMENTS (rsna_names), key);
}

gint
fidac_pattern_from_key (const gchar *key)
{
  return key_index (patterns, G_N_ELEMENTS (patterns), key);
}

gint
fidac_axial_from_key (const gchar *key)
{
  return key_index (axials, G_N_ELEMENTS (axials), key);
}

gint
fidac_side_from_key (const gchar *key)
{
  return key_index (sides, G_N_ELEMENTS (sides), key);
}

/* ---------------------------------------------------------------------------------------- */

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
          g_variant_builder_add (&lobe_dict, "{si}", lobes[n].key, scores->lobes[n]);
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

  ADD_KEY ("extent", extents, scores->extent);
  if (scores->corads >= FIDAC_CORADS_MIN && scores->corads <= FIDAC_CORADS_MAX)
    g_variant_builder_add (&dict, "{sv}", "corads", g_variant_new_int32 (scores->corads));
  ADD_KEY ("rsna", rsna_names, scores->rsna);
  ADD_KEY ("pattern", patterns, scores->pattern);
  ADD_KEY ("axial", axials, scores->axial);
  ADD_KEY ("side", sides, scores->side);
#undef ADD_KEY

  if ((scores->findings & FIDAC_FINDINGS_ALL) != 0)
    {
      GVariantBuilder list;

      g_variant_builder_init (&list, G_VARIANT_TYPE_STRING_ARRAY);
      for (guint n = 0; n < N_FINDINGS; n++)
        if (scores->findings & (1u << n))
          g_variant_builder_add (&list, "s", findings[n].key);
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
            const Named  *table,
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
  index = key_index (table, n, key);
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
          gint lobe = key_index (lobes, FIDAC_N_LOBES, key);

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
  if (!lookup_key (dict, "extent", extents, G_N_ELEMENTS (extents), &value, error))
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
  if (!lookup_key (dict, "rsna", rsna_names, G_N_ELEMENTS (rsna_names), &value, error))
    return FALSE;
  scores->rsna = value;
  value = FIDAC_PATTERN_UNSET;
  if (!lookup_key (dict, "pattern", patterns, G_N_ELEMENTS (patterns), &value, error))
    return FALSE;
  scores->pattern = value;
  value = FIDAC_AXIAL_UNSET;
  if (!lookup_key (dict, "axial", axials, G_N_ELEMENTS (axials), &value, error))
    return FALSE;
  scores->axial = value;
  value = FIDAC_SIDE_UNSET;
  if (!lookup_key (dict, "side", sides, G_N_ELEMENTS (sides), &value, error))
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
          gint n = key_index (findings, N_FINDINGS, key);

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
