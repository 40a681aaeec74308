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
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "fidac-scores-private.h"
#include "fidac-volume.h"

#define N_LUNG_AXIS (FIDAC_LUNG_N + 1)
#define N_CLASS_AXIS (FIDAC_LESION_N_CLASSES + 1)

static const gchar *
named (const FidacScoresNamed *entry)
{
  if (entry->context != NULL)
    return g_dpgettext2 (GETTEXT_PACKAGE, entry->context, entry->name);
  return _(entry->name);
}

const FidacScoresNamed fidac_scores_lobes[FIDAC_N_LOBES] = {
  { "rul", NULL, N_("Right upper lobe") },
  { "rml", NULL, N_("Right middle lobe") },
  { "rll", NULL, N_("Right lower lobe") },
  { "lul", NULL, N_("Left upper lobe") },
  { "lll", NULL, N_("Left lower lobe") },
};

static const FidacScoresNamed lobe_abbreviations[FIDAC_N_LOBES] = {
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

const FidacScoresNamed fidac_scores_extents[FIDAC_N_EXTENTS] = {
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

const FidacScoresNamed fidac_scores_rsna_names[FIDAC_N_RSNA] = {
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

const FidacScoresNamed fidac_scores_patterns[FIDAC_N_PATTERNS] = {
  { "ground-glass", NULL, N_("Ground-glass opacity") },
  { "consolidation", NULL, N_("Consolidation") },
  { "crazy-paving", NULL, N_("Crazy-paving") },
  { "mixed", NULL, N_("Mixed (ground glass and consolidation)") },
};

const FidacScoresNamed fidac_scores_axials[FIDAC_N_AXIAL] = {
  /* Translators: distribution of the lesions in the axial plane. */
  { "peripheral", "distribution", NC_("distribution", "Peripheral") },
  { "central", "distribution", NC_("distribution", "Central") },
  { "diffuse", "distribution", NC_("distribution", "Diffuse") },
};

const FidacScoresNamed fidac_scores_sides[FIDAC_N_SIDES] = {
  { "unilateral", "distribution", NC_("distribution", "Unilateral") },
  { "bilateral", "distribution", NC_("distribution", "Bilateral") },
};


const FidacScoresNamed fidac_scores_findings[FIDAC_SCORES_N_FINDINGS] = {
  { "pleural-effusion", NULL, N_("Pleural effusion") },
  { "pe-suspected", NULL, N_("Pulmonary embolism suspected") },
  { "nodules", NULL, N_("Nodules") },
  /* Translators: other fidac_scores_findings, described in a text field beside the check box. */
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
G_STATIC_ASSERT (FIDAC_FINDINGS_ALL == (1 << FIDAC_SCORES_N_FINDINGS) - 1);

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
  return named (&fidac_scores_lobes[lobe]);
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
  return named (&fidac_scores_extents[extent]);
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
  return named (&fidac_scores_rsna_names[rsna]);
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
  return named (&fidac_scores_patterns[pattern]);
}

const gchar *
fidac_axial_get_name (FidacAxialDistribution axial)
{
  if (axial == FIDAC_AXIAL_UNSET)
    return not_set ();
  g_return_val_if_fail (axial >= 0 && axial < FIDAC_N_AXIAL, NULL);
  return named (&fidac_scores_axials[axial]);
}

const gchar *
fidac_side_get_name (FidacSide side)
{
  if (side == FIDAC_SIDE_UNSET)
    return not_set ();
  g_return_val_if_fail (side >= 0 && side < FIDAC_N_SIDES, NULL);
  return named (&fidac_scores_sides[side]);
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
  return named (&fidac_scores_findings[index]);
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
  TO_KEY (fidac_scores_extents, extent, FIDAC_EXTENT_UNSET);
}

const gchar *
fidac_rsna_to_key (FidacRsna rsna)
{
  TO_KEY (fidac_scores_rsna_names, rsna, FIDAC_RSNA_UNSET);
}

const gchar *
fidac_pattern_to_key (FidacPattern pattern)
{
  TO_KEY (fidac_scores_patterns, pattern, FIDAC_PATTERN_UNSET);
}

const gchar *
fidac_axial_to_key (FidacAxialDistribution axial)
{
  TO_KEY (fidac_scores_axials, axial, FIDAC_AXIAL_UNSET);
}

const gchar *
fidac_side_to_key (FidacSide side)
{
  TO_KEY (fidac_scores_sides, side, FIDAC_SIDE_UNSET);
}

const gchar *
fidac_finding_to_key (FidacFinding finding)
{
  gint index = finding_index (finding);

  g_return_val_if_fail (index >= 0, NULL);
  return fidac_scores_findings[index].key;
}

const gchar *
fidac_lobe_to_key (FidacLobe lobe)
{
  g_return_val_if_fail (lobe >= 0 && lobe < FIDAC_N_LOBES, NULL);
  return fidac_scores_lobes[lobe].key;
}

gint
fidac_scores_key_index (const FidacScoresNamed *table,
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
  return fidac_scores_key_index (fidac_scores_extents, G_N_ELEMENTS (fidac_scores_extents), key);
}

gint
fidac_rsna_from_key (const gchar *key)
{
  return fidac_scores_key_index (fidac_scores_rsna_names, G_N_ELEMENTS (fidac_scores_rsna_names), key);
}

gint
fidac_pattern_from_key (const gchar *key)
{
  return fidac_scores_key_index (fidac_scores_patterns, G_N_ELEMENTS (fidac_scores_patterns), key);
}

gint
fidac_axial_from_key (const gchar *key)
{
  return fidac_scores_key_index (fidac_scores_axials, G_N_ELEMENTS (fidac_scores_axials), key);
}

gint
fidac_side_from_key (const gchar *key)
{
  return fidac_scores_key_index (fidac_scores_sides, G_N_ELEMENTS (fidac_scores_sides), key);
}
