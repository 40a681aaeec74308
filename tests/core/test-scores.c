/* test-scores.c: the score rules (totals, classes from a percentage, required fields), the
 * names and keys, and the stored text (round trips and damaged texts).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Expected values come from formulas written here independently of fidac-scores.c
 * (integer thousandths of a percent for the class boundaries, a plain sum for totals, the
 * rule of the header for required fields), checked over every combination where that is
 * possible.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "fidac-scores.h"
#include "fidac-volume.h"

/* A score with every field filled and something involved. */
static void
fill_complete (FidacScores *s)
{
  fidac_scores_init (s);
  for (guint n = 0; n < FIDAC_N_LOBES; n++)
    s->lobes[n] = 2;
  s->extent = FIDAC_EXTENT_MODERATE;
  s->corads = 5;
  s->rsna = FIDAC_RSNA_TYPICAL;
  s->pattern = FIDAC_PATTERN_GROUND_GLASS;
  s->axial = FIDAC_AXIAL_PERIPHERAL;
  s->side = FIDAC_SIDE_BILATERAL;
}

static void
assert_unset (const FidacScores *s)
{
  FidacScores init;

  fidac_scores_init (&init);
  g_assert_null (s->other_findings);
  g_assert_null (s->comment);
  g_assert_true (fidac_scores_equal (s, &init));
  g_assert_false (s->has_quantification);
}

static void
test_init_copy (void)
{
  FidacScores a, b, c;

  fidac_scores_init (&a);
  for (guint n = 0; n < FIDAC_N_LOBES; n++)
    g_assert_cmpint (a.lobes[n], ==, FIDAC_SCORE_UNSET);
  g_assert_cmpint (a.extent, ==, FIDAC_EXTENT_UNSET);
  g_assert_cmpint (a.corads, ==, FIDAC_SCORE_UNSET);
  g_assert_cmpint (a.rsna, ==, FIDAC_RSNA_UNSET);
  g_assert_cmpint (a.pattern, ==, FIDAC_PATTERN_UNSET);
  g_assert_cmpint (a.axial, ==, FIDAC_AXIAL_UNSET);
  g_assert_cmpint (a.side, ==, FIDAC_SIDE_UNSET);
  g_assert_cmpuint (a.findings, ==, 0);
  g_assert_null (a.other_findings);
  g_assert_null (a.comment);
  g_assert_false (a.has_quantification);
  g_assert_cmpuint (fidac_scores_get_missing (&a), ==,
                    FIDAC_SCORES_FIELD_LOBE_RUL | FIDAC_SCORES_FIELD_LOBE_RML |
                    FIDAC_SCORES_FIELD_LOBE_RLL | FIDAC_SCORES_FIELD_LOBE_LUL |
                    FIDAC_SCORES_FIELD_LOBE_LLL | FIDAC_SCORES_FIELD_EXTENT |
                    FIDAC_SCORES_FIELD_CORADS | FIDAC_SCORES_FIELD_RSNA);

  fill_complete (&a);
  a.other_findings = g_strdup ("small nodule");
  a.comment = g_strdup ("comment");
  a.has_quantification = TRUE;
  a.quantification.lung_voxels[1] = 42;
  fidac_scores_copy (&a, &b);
  g_assert_true (fidac_scores_equal (&a, &b));
  g_assert_true (a.other_findings != b.other_findings);
  g_assert_true (a.comment != b.comment);
  g_assert_cmpstr (b.comment, ==, "comment");
  fidac_scores_copy (&b, &b);                   /* onto itself: nothing changes */
  g_assert_true (fidac_scores_equal (&a, &b));

  /* Each field tells two scores apart. */
  fidac_scores_copy (&a, &c);
  c.lobes[4] = 3;
  g_assert_false (fidac_scores_equal (&a, &c));
  fidac_scores_clear (&c);
  fidac_scores_copy (&a, &c);
  c.quantification.involvement[2][3] = 1e-300;
  g_assert_false (fidac_scores_equal (&a, &c));
  c.has_quantification = FALSE;
  a.has_quantification = FALSE;
  /* Without a quantification its content does not matter. */
  g_assert_true (fidac_scores_equal (&a, &c));
  g_clear_pointer (&c.comment, g_free);
  g_assert_false (fidac_scores_equal (&a, &c));
  a.comment[0] = '\0';
  g_assert_true (fidac_scores_equal (&a, &c));  /* "" and NULL: both no comment */
  c.findings = FIDAC_FINDING_NODULES;
  g_assert_false (fidac_scores_equal (&a, &c));

  fidac_scores_clear (&a);
  assert_unset (&a);
  fidac_scores_clear (&b);
  fidac_scores_clear (&c);
}

/* All 7^5 combinations of (unset, 0..5) for the five lobes. */
static void
test_total_exhaustive (void)
{
  guint n_cases = 0;

  for (guint code = 0; code < 16807; code++)
    {
      FidacScores s;
      guint rest = code, n_set = 99, expect_set = 0;
      gint expect_total = 0;
      guint expect_missing = 0;
      gboolean involved = FALSE;

      fidac_scores_init (&s);
      s.extent = FIDAC_EXTENT_ABSENT;
      s.corads = 1;
      s.rsna = FIDAC_RSNA_NEGATIVE;
      for (guint n = 0; n < FIDAC_N_LOBES; n++)
        {
          gint v = (gint) (rest % 7) - 1;      /* -1 = unset, then 0..5 */

          rest /= 7;
          s.lobes[n] = v;
          if (v >= 0)
            {
              expect_total += v;
              expect_set++;
              involved |= v > 0;
            }
          else
            expect_missing |= 1u << n;
        }
      if (involved)
        expect_missing |= FIDAC_SCORES_FIELD_PATTERN | FIDAC_SCORES_FIELD_AXIAL |
                          FIDAC_SCORES_FIELD_SIDE;

      g_assert_cmpint (fidac_scores_total (&s, &n_set), ==, expect_total);
      g_assert_cmpuint (n_set, ==, expect_set);
      g_assert_cmpint (fidac_scores_total (&s, NULL), ==, expect_total);
      g_assert_cmpint (expect_total, <=, FIDAC_TOTAL_SCORE_MAX);
      g_assert_cmpuint (fidac_scores_get_missing (&s), ==, expect_missing);
      n_cases++;
    }
  g_assert_cmpuint (n_cases, ==, 16807);
}

typedef struct {
  gdouble percent;
  gint    lobe;
  gint    extent;
} Boundary;

static void
test_boundaries (void)
{
  static const Boundary cases[] = {
    { 0, 0, FIDAC_EXTENT_ABSENT },
    { -0.0, 0, FIDAC_EXTENT_ABSENT },
    { 1e-12, 1, FIDAC_EXTENT_MINIMAL },
    { 4.999, 1, FIDAC_EXTENT_MINIMAL },
    { 5, 2, FIDAC_EXTENT_MINIMAL },
    { 9.999, 2, FIDAC_EXTENT_MINIMAL },
    { 10, 2, FIDAC_EXTENT_MODERATE },
    { 25, 2, FIDAC_EXTENT_MODERATE },
    { 25.0001, 3, FIDAC_EXTENT_EXTENSIVE },
    { 26, 3, FIDAC_EXTENT_EXTENSIVE },
    { 49.99, 3, FIDAC_EXTENT_EXTENSIVE },
    { 50, 4, FIDAC_EXTENT_SEVERE },
    { 75, 4, FIDAC_EXTENT_SEVERE },
    { 75.0001, 5, FIDAC_EXTENT_CRITICAL },
    { 100, 5, FIDAC_EXTENT_CRITICAL },
    { 100.5, 5, FIDAC_EXTENT_CRITICAL },
    { 1e300, 5, FIDAC_EXTENT_CRITICAL },
    { -1e-12, -1, FIDAC_EXTENT_UNSET },
    { -5, -1, FIDAC_EXTENT_UNSET },
  };

  for (guint n = 0; n < G_N_ELEMENTS (cases); n++)
    {
      g_test_message ("%g %%", cases[n].percent);
      g_assert_cmpint (fidac_lobe_score_for_percent (cases[n].percent), ==, cases[n].lobe);
      g_assert_cmpint (fidac_extent_for_percent (cases[n].percent), ==, cases[n].extent);
    }
  g_assert_cmpint (fidac_lobe_score_for_percent (NAN), ==, -1);
  g_assert_cmpint (fidac_extent_for_percent (NAN), ==, FIDAC_EXTENT_UNSET);
  g_assert_cmpint (fidac_lobe_score_for_percent (INFINITY), ==, 5);
  g_assert_cmpint (fidac_extent_for_percent (INFINITY), ==, FIDAC_EXTENT_CRITICAL);
  g_assert_cmpint (fidac_lobe_score_for_percent (-INFINITY), ==, -1);
  g_assert_cmpint (fidac_extent_for_percent (-INFINITY), ==, FIDAC_EXTENT_UNSET);
  /* Just beside every boundary, by one unit in the last place. */
  {
    static const gdouble edges[] = { 5, 10, 25, 50, 75 };

    for (guint n = 0; n < G_N_ELEMENTS (edges); n++)
      {
        gdouble below = nextafter (edges[n], 0), above = nextafter (edges[n], 200);

        g_assert_cmpint (fidac_lobe_score_for_percent (below), <=,
                         fidac_lobe_score_for_percent (edges[n]));
        g_assert_cmpint (fidac_lobe_score_for_percent (above), >=,
                         fidac_lobe_score_for_percent (edges[n]));
      }
    g_assert_cmpint (fidac_lobe_score_for_percent (nextafter (5, 0)), ==, 1);
    g_assert_cmpint (fidac_lobe_score_for_percent (nextafter (25, 200)), ==, 3);
    g_assert_cmpint (fidac_lobe_score_for_percent (nextafter (50, 0)), ==, 3);
    g_assert_cmpint (fidac_lobe_score_for_percent (nextafter (75, 200)), ==, 5);
    g_assert_cmpint (fidac_extent_for_percent (nextafter (10, 0)), ==, FIDAC_EXTENT_MINIMAL);
    g_assert_cmpint (fidac_extent_for_percent (nextafter (25, 200)), ==, FIDAC_EXTENT_EXTENSIVE);
    g_assert_cmpint (fidac_extent_for_percent (nextafter (50, 0)), ==, FIDAC_EXTENT_EXTENSIVE);
    g_assert_cmpint (fidac_extent_for_percent (nextafter (75, 200)), ==, FIDAC_EXTENT_CRITICAL);
    g_assert_cmpint (fidac_extent_for_percent (nextafter (0, 1)), ==, FIDAC_EXTENT_MINIMAL);
  }
}

/* Every thousandth of a percent from -1 to 110, against a formula on integers. */
static void
test_sweep (void)
{
  for (gint m = -1000; m <= 110000; m++)
    {
      gdouble percent = m / 1000.0;
      gint lobe, extent;

      if (m < 0)
        lobe = -1;
      else if (m == 0)
        lobe = 0;
      else if (m < 5000)
        lobe = 1;
      else if (m <= 25000)
        lobe = 2;
      else if (m < 50000)
        lobe = 3;
      else if (m <= 75000)
        lobe = 4;
      else
        lobe = 5;

      if (m < 0)
        extent = FIDAC_EXTENT_UNSET;
      else if (m == 0)
        extent = FIDAC_EXTENT_ABSENT;
      else if (m < 10000)
        extent = FIDAC_EXTENT_MINIMAL;
      else if (m <= 25000)
        extent = FIDAC_EXTENT_MODERATE;
      else if (m < 50000)
        extent = FIDAC_EXTENT_EXTENSIVE;
      else if (m <= 75000)
        extent = FIDAC_EXTENT_SEVERE;
      else
        extent = FIDAC_EXTENT_CRITICAL;

      if (fidac_lobe_score_for_percent (percent) != lobe ||
          (gint) fidac_extent_for_percent (percent) != extent)
        g_error ("%.3f %%: lobe %d (expected %d), extent %d (expected %d)", percent,
                 fidac_lobe_score_for_percent (percent), lobe,
                 fidac_extent_for_percent (percent), extent);
    }
}

/* The header's rule, written again. */
static guint
expected_missing (const FidacScores *s,
                  gboolean           blank)
{
  guint missing = 0;
  gboolean involved = FALSE;

  for (guint n = 0; n < FIDAC_N_LOBES; n++)
    {
      if (s->lobes[n] == FIDAC_SCORE_UNSET)
        missing |= 1u << n;
      involved |= s->lobes[n] > 0;
    }
  if (s->extent == FIDAC_EXTENT_UNSET)
    missing |= FIDAC_SCORES_FIELD_EXTENT;
  involved |= s->extent > FIDAC_EXTENT_ABSENT;
  if (s->corads == FIDAC_SCORE_UNSET)
    missing |= FIDAC_SCORES_FIELD_CORADS;
  if (s->rsna == FIDAC_RSNA_UNSET)
    missing |= FIDAC_SCORES_FIELD_RSNA;
  if (involved && s->pattern == FIDAC_PATTERN_UNSET)
    missing |= FIDAC_SCORES_FIELD_PATTERN;
  if (involved && s->axial == FIDAC_AXIAL_UNSET)
    missing |= FIDAC_SCORES_FIELD_AXIAL;
  if (involved && s->side == FIDAC_SIDE_UNSET)
    missing |= FIDAC_SCORES_FIELD_SIDE;
  if ((s->findings & FIDAC_FINDING_OTHER) && blank)
    missing |= FIDAC_SCORES_FIELD_OTHER_TEXT;
  return missing;
}

static void
test_missing (void)
{
  static const gint lobe_sets[][FIDAC_N_LOBES] = {
    { -1, -1, -1, -1, -1 },
    { 0, 0, 0, 0, 0 },
    { 0, 0, 1, 0, 0 },
    { 0, -1, 0, 0, 0 },
    { 5, 5, 5, 5, 5 },
  };
  /* The first four say nothing (a no-break space is a space too). */
  static const gchar *const texts[] = { NULL, "", " \t\n", "\u00a0", "rib fracture" };
  guint n_cases = 0;
  FidacScores s;

  /* Each always-required field alone, from a complete score. */
  {
    static const guint fields[] = {
      FIDAC_SCORES_FIELD_LOBE_RUL, FIDAC_SCORES_FIELD_LOBE_RML, FIDAC_SCORES_FIELD_LOBE_RLL,
      FIDAC_SCORES_FIELD_LOBE_LUL, FIDAC_SCORES_FIELD_LOBE_LLL, FIDAC_SCORES_FIELD_EXTENT,
      FIDAC_SCORES_FIELD_CORADS, FIDAC_SCORES_FIELD_RSNA, FIDAC_SCORES_FIELD_PATTERN,
      FIDAC_SCORES_FIELD_AXIAL, FIDAC_SCORES_FIELD_SIDE,
    };

    fill_complete (&s);
    g_assert_cmpuint (fidac_scores_get_missing (&s), ==, 0);
    for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
      {
        fill_complete (&s);
        if (f < FIDAC_N_LOBES)
          s.lobes[f] = FIDAC_SCORE_UNSET;
        else if (fields[f] == FIDAC_SCORES_FIELD_EXTENT)
          s.extent = FIDAC_EXTENT_UNSET;
        else if (fields[f] == FIDAC_SCORES_FIELD_CORADS)
          s.corads = FIDAC_SCORE_UNSET;
        else if (fields[f] == FIDAC_SCORES_FIELD_RSNA)
          s.rsna = FIDAC_RSNA_UNSET;
        else if (fields[f] == FIDAC_SCORES_FIELD_PATTERN)
          s.pattern = FIDAC_PATTERN_UNSET;
        else if (fields[f] == FIDAC_SCORES_FIELD_AXIAL)
          s.axial = FIDAC_AXIAL_UNSET;
        else
          s.side = FIDAC_SIDE_UNSET;
        g_assert_cmpuint (fidac_scores_get_missing (&s), ==, fields[f]);
      }
    /* Values out of range cannot be reported: missing too. */
    fill_complete (&s);
    s.lobes[2] = 6;
    s.corads = 7;
    s.rsna = FIDAC_N_RSNA;
    g_assert_cmpuint (fidac_scores_get_missing (&s), ==,
                      FIDAC_SCORES_FIELD_LOBE_RLL | FIDAC_SCORES_FIELD_CORADS |
                      FIDAC_SCORES_FIELD_RSNA);
  }

  /* Nothing involved: pattern and distributions are not asked for. */
  fidac_scores_init (&s);
  for (guint n = 0; n < FIDAC_N_LOBES; n++)
    s.lobes[n] = 0;
  s.extent = FIDAC_EXTENT_ABSENT;
  s.corads = 1;
  s.rsna = FIDAC_RSNA_NEGATIVE;
  g_assert_cmpuint (fidac_scores_get_missing (&s), ==, 0);
  s.extent = FIDAC_EXTENT_MINIMAL;              /* the extent alone involves */
  g_assert_cmpuint (fidac_scores_get_missing (&s), ==,
                    FIDAC_SCORES_FIELD_PATTERN | FIDAC_SCORES_FIELD_AXIAL |
                    FIDAC_SCORES_FIELD_SIDE);
  s.extent = FIDAC_EXTENT_ABSENT;
  s.lobes[FIDAC_LOBE_LLL] = 1;                  /* and one lobe alone */
  g_assert_cmpuint (fidac_scores_get_missing (&s), ==,
                    FIDAC_SCORES_FIELD_PATTERN | FIDAC_SCORES_FIELD_AXIAL |
                    FIDAC_SCORES_FIELD_SIDE);

  /* Every combination of the other fields, for a few lobe sets. */
  for (guint l = 0; l < G_N_ELEMENTS (lobe_sets); l++)
    for (gint extent = -1; extent < FIDAC_N_EXTENTS; extent++)
      for (gint corads = -1; corads <= FIDAC_CORADS_MAX; corads++)
        for (gint rsna = -1; rsna < FIDAC_N_RSNA; rsna++)
          for (guint describe = 0; describe < 8; describe++)
            for (guint findings = 0; findings <= FIDAC_FINDINGS_ALL; findings++)
              for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
                {
                  guint got, expected;

                  fidac_scores_init (&s);
                  memcpy (s.lobes, lobe_sets[l], sizeof s.lobes);
                  s.extent = extent;
                  s.corads = corads;
                  s.rsna = rsna;
                  s.pattern = (describe & 1) ? FIDAC_PATTERN_MIXED : FIDAC_PATTERN_UNSET;
                  s.axial = (describe & 2) ? FIDAC_AXIAL_DIFFUSE : FIDAC_AXIAL_UNSET;
                  s.side = (describe & 4) ? FIDAC_SIDE_UNILATERAL : FIDAC_SIDE_UNSET;
                  s.findings = findings;
                  s.other_findings = (gchar *) texts[t];
                  got = fidac_scores_get_missing (&s);
                  expected = expected_missing (&s, t < 4);
                  if (got != expected)
                    g_error ("case %u: missing 0x%x, expected 0x%x", n_cases, got, expected);
                  n_cases++;
                }
  g_test_message ("%u combinations", n_cases);
  g_assert_cmpuint (n_cases, ==, 5 * 7 * 8 * 5 * 8 * 16 * 5);
}

static void
test_describe_missing (void)
{
  static const struct {
    guint        mask;
    const gchar *text;
  } cases[] = {
    { FIDAC_SCORES_FIELD_LOBE_RUL | FIDAC_SCORES_FIELD_CORADS,
      "Missing: right upper lobe, CO-RADS." },
    { FIDAC_SCORES_FIELD_OTHER_TEXT, "Missing: description of other findings." },
    { FIDAC_SCORES_FIELD_LOBE_RUL | FIDAC_SCORES_FIELD_LOBE_RML | FIDAC_SCORES_FIELD_LOBE_RLL |
      FIDAC_SCORES_FIELD_LOBE_LUL | FIDAC_SCORES_FIELD_LOBE_LLL | FIDAC_SCORES_FIELD_RSNA,
      "Missing: the five lobe scores, RSNA category." },
    { FIDAC_SCORES_FIELD_LOBE_LLL | FIDAC_SCORES_FIELD_EXTENT | FIDAC_SCORES_FIELD_PATTERN |
      FIDAC_SCORES_FIELD_AXIAL | FIDAC_SCORES_FIELD_SIDE,
      "Missing: left lower lobe, extent class, predominant pattern, axial distribution, "
      "unilateral or bilateral." },
    { 0xfff, "Missing: the five lobe scores, extent class, CO-RADS, RSNA category, "
      "predominant pattern, axial distribution, unilateral or bilateral, "
      "description of other findings." },
  };
  static const gchar *const names[] = {
    "Right upper lobe", "Right middle lobe", "Right lower lobe", "Left upper lobe",
    "Left lower lobe", "Extent class", "CO-RADS", "RSNA category", "Predominant pattern",
    "Axial distribution", "Unilateral or bilateral", "Description of other findings",
  };

  g_assert_null (fidac_scores_describe_missing (0));
  for (guint n = 0; n < G_N_ELEMENTS (cases); n++)
    {
      g_autofree gchar *text = fidac_scores_describe_missing (cases[n].mask);
      g_assert_cmpstr (text, ==, cases[n].text);
    }
  /* Every field alone names it. */
  for (guint f = 0; f < G_N_ELEMENTS (names); f++)
    {
      g_autofree gchar *text = fidac_scores_describe_missing (1u << f);
      g_autofree gchar *lower = g_strdup (names[f]);

      g_assert_cmpstr (fidac_scores_field_get_name (1u << f), ==, names[f]);
      if (g_ascii_islower (lower[1]))           /* CO-RADS and RSNA keep their capitals */
        lower[0] = g_ascii_tolower (lower[0]);
      g_assert_true (g_str_has_prefix (text, "Missing: "));
      g_assert_nonnull (strstr (text, lower));
    }
  /* From real scores. */
  {
    FidacScores s;
    g_autofree gchar *text = NULL;

    fill_complete (&s);
    s.lobes[FIDAC_LOBE_RML] = FIDAC_SCORE_UNSET;
    s.findings = FIDAC_FINDING_OTHER;
    text = fidac_scores_describe_missing (fidac_scores_get_missing (&s));
    g_assert_cmpstr (text, ==, "Missing: right middle lobe, description of other findings.");
  }
}

static void
test_names (void)
{
  static const gchar *const lobe_names[] = {
    "Right upper lobe", "Right middle lobe", "Right lower lobe", "Left upper lobe",
    "Left lower lobe",
  };
  static const gchar *const abbreviations[] = { "RUL", "RML", "RLL", "LUL", "LLL" };
  static const gchar *const lobe_keys[] = { "rul", "rml", "rll", "lul", "lll" };
  static const gchar *const lobe_definitions[] = {
    "0: none", "1: < 5 %", "2: 5–25 %", "3: 26–49 %", "4: 50–75 %", "5: > 75 %",
  };
  static const gchar *const extent_names[] = {
    "None", "Minimal", "Moderate", "Extensive", "Severe", "Critical",
  };
  static const gchar *const extent_keys[] = {
    "absent", "minimal", "moderate", "extensive", "severe", "critical",
  };
  static const gchar *const rsna_keys[] = { "typical", "indeterminate", "atypical", "negative" };
  static const gchar *const pattern_keys[] = {
    "ground-glass", "consolidation", "crazy-paving", "mixed",
  };
  static const gchar *const axial_keys[] = { "peripheral", "central", "diffuse" };
  static const gchar *const side_keys[] = { "unilateral", "bilateral" };
  static const gchar *const finding_keys[] = {
    "pleural-effusion", "pe-suspected", "nodules", "other",
  };

  for (gint n = 0; n < FIDAC_N_LOBES; n++)
    {
      g_assert_cmpstr (fidac_lobe_get_name (n), ==, lobe_names[n]);
      g_assert_cmpstr (fidac_lobe_get_abbreviation (n), ==, abbreviations[n]);
      g_assert_cmpstr (fidac_lobe_to_key (n), ==, lobe_keys[n]);
    }
  for (gint n = 0; n <= FIDAC_LOBE_SCORE_MAX; n++)
    g_assert_cmpstr (fidac_lobe_score_get_definition (n), ==, lobe_definitions[n]);
  g_assert_null (fidac_lobe_score_get_definition (FIDAC_SCORE_UNSET));

  for (gint n = 0; n < FIDAC_N_EXTENTS; n++)
    {
      g_assert_cmpstr (fidac_extent_get_name (n), ==, extent_names[n]);
      g_assert_cmpstr (fidac_extent_to_key (n), ==, extent_keys[n]);
      g_assert_cmpint (fidac_extent_from_key (extent_keys[n]), ==, n);
      g_assert_nonnull (strstr (fidac_extent_get_definition (n), n == 0 ? "No" : "%"));
    }
  g_assert_cmpstr (fidac_extent_get_definition (FIDAC_EXTENT_MODERATE), ==, "10–25 % of the lungs");
  g_assert_cmpstr (fidac_extent_get_definition (FIDAC_EXTENT_CRITICAL), ==, "> 75 % of the lungs");

  for (gint n = FIDAC_CORADS_MIN; n <= FIDAC_CORADS_MAX; n++)
    g_assert_nonnull (fidac_corads_get_definition (n));
  g_assert_true (g_str_has_prefix (fidac_corads_get_definition (0), "Not interpretable"));
  g_assert_true (g_str_has_prefix (fidac_corads_get_definition (1), "Very low"));
  g_assert_true (g_str_has_prefix (fidac_corads_get_definition (3), "Equivocal"));
  g_assert_true (g_str_has_prefix (fidac_corads_get_definition (5), "Very high"));
  g_assert_nonnull (strstr (fidac_corads_get_definition (6), "RT-PCR"));
  g_assert_null (fidac_corads_get_definition (FIDAC_SCORE_UNSET));

  for (gint n = 0; n < FIDAC_N_RSNA; n++)
    {
      g_assert_nonnull (fidac_rsna_get_name (n));
      g_assert_nonnull (fidac_rsna_get_definition (n));
      g_assert_cmpstr (fidac_rsna_to_key (n), ==, rsna_keys[n]);
      g_assert_cmpint (fidac_rsna_from_key (rsna_keys[n]), ==, n);
    }
  g_assert_cmpstr (fidac_rsna_get_name (FIDAC_RSNA_NEGATIVE), ==, "Negative for pneumonia");
  g_assert_cmpstr (fidac_rsna_get_name (FIDAC_RSNA_TYPICAL), ==, "Typical appearance");
  for (gint n = 0; n < FIDAC_N_PATTERNS; n++)
    {
      g_assert_nonnull (fidac_pattern_get_name (n));
      g_assert_cmpstr (fidac_pattern_to_key (n), ==, pattern_keys[n]);
      g_assert_cmpint (fidac_pattern_from_key (pattern_keys[n]), ==, n);
    }
  for (gint n = 0; n < FIDAC_N_AXIAL; n++)
    {
      g_assert_nonnull (fidac_axial_get_name (n));
      g_assert_cmpstr (fidac_axial_to_key (n), ==, axial_keys[n]);
      g_assert_cmpint (fidac_axial_from_key (axial_keys[n]), ==, n);
    }
  for (gint n = 0; n < FIDAC_N_SIDES; n++)
    {
      g_assert_nonnull (fidac_side_get_name (n));
      g_assert_cmpstr (fidac_side_to_key (n), ==, side_keys[n]);
      g_assert_cmpint (fidac_side_from_key (side_keys[n]), ==, n);
    }
  for (guint n = 0; n < G_N_ELEMENTS (finding_keys); n++)
    {
      g_assert_nonnull (fidac_finding_get_name (1u << n));
      g_assert_cmpstr (fidac_finding_to_key (1u << n), ==, finding_keys[n]);
    }
  g_assert_cmpstr (fidac_finding_get_name (FIDAC_FINDING_PE_SUSPECTED), ==,
                   "Pulmonary embolism suspected");

  /* Unset values: named "Not set", no definition, no key; unknown keys: -1. */
  g_assert_cmpstr (fidac_extent_get_name (FIDAC_EXTENT_UNSET), ==, "Not set");
  g_assert_cmpstr (fidac_rsna_get_name (FIDAC_RSNA_UNSET), ==, "Not set");
  g_assert_cmpstr (fidac_pattern_get_name (FIDAC_PATTERN_UNSET), ==, "Not set");
  g_assert_cmpstr (fidac_axial_get_name (FIDAC_AXIAL_UNSET), ==, "Not set");
  g_assert_cmpstr (fidac_side_get_name (FIDAC_SIDE_UNSET), ==, "Not set");
  g_assert_null (fidac_extent_get_definition (FIDAC_EXTENT_UNSET));
  g_assert_null (fidac_rsna_get_definition (FIDAC_RSNA_UNSET));
  g_assert_null (fidac_extent_to_key (FIDAC_EXTENT_UNSET));
  g_assert_null (fidac_rsna_to_key (FIDAC_RSNA_UNSET));
  g_assert_null (fidac_pattern_to_key (FIDAC_PATTERN_UNSET));
  g_assert_null (fidac_axial_to_key (FIDAC_AXIAL_UNSET));
  g_assert_null (fidac_side_to_key (FIDAC_SIDE_UNSET));
  g_assert_cmpint (fidac_extent_from_key ("Moderate"), ==, -1);
  g_assert_cmpint (fidac_extent_from_key (NULL), ==, -1);
  g_assert_cmpint (fidac_rsna_from_key (""), ==, -1);
  g_assert_cmpint (fidac_pattern_from_key ("ground glass"), ==, -1);
  g_assert_cmpint (fidac_axial_from_key ("both"), ==, -1);
  g_assert_cmpint (fidac_side_from_key ("unilateral "), ==, -1);
}

/* A programming error (a value outside its enum) is reported, not crashed on. */
static void
test_names_invalid (void)
{
  if (g_test_subprocess ())
    {
      g_assert_null (fidac_extent_get_name (FIDAC_N_EXTENTS));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*extent*");
}

/* ---------------------------------------------------------------------------------------- */

static gchar *
random_text (GRand *rand)
{
  static const gchar *const pieces[] = {
    "a", "Z", " ", "\"", "'", "\\", "\n", "\t", "\r", "\x01", "\x7f", "é", "€", "𝄞", "<",
    ">", "{", "}", "%s", "%", "u0041", "\\u0041", "'x'", "<1>", "[", "]", ",", ":", "b'",
  };
  guint n = g_rand_int_range (rand, 0, 40);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
  return g_string_free (text, FALSE);
}

static gdouble
random_double (GRand   *rand,
               gdouble  max)
{
  switch (g_rand_int_range (rand, 0, 6))
    {
    case 0:
      return 0;
    case 1:
      return max;
    case 2:
      return g_rand_double_range (rand, 0, 1e-300);
    case 3:
      return nextafter (max, 0);
    default:
      return g_rand_double_range (rand, 0, max);
    }
}

static guint64
random_uint64 (GRand *rand)
{
  switch (g_rand_int_range (rand, 0, 4))
    {
    case 0:
      return 0;
    case 1:
      return G_MAXUINT64;
    default:
      return ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
    }
}

static void
random_scores (GRand       *rand,
               FidacScores *s)
{
  fidac_scores_init (s);
  for (guint n = 0; n < FIDAC_N_LOBES; n++)
    s->lobes[n] = g_rand_int_range (rand, -1, FIDAC_LOBE_SCORE_MAX + 1);
  s->extent = g_rand_int_range (rand, -1, FIDAC_N_EXTENTS);
  s->corads = g_rand_int_range (rand, -1, FIDAC_CORADS_MAX + 1);
  s->rsna = g_rand_int_range (rand, -1, FIDAC_N_RSNA);
  s->pattern = g_rand_int_range (rand, -1, FIDAC_N_PATTERNS);
  s->axial = g_rand_int_range (rand, -1, FIDAC_N_AXIAL);
  s->side = g_rand_int_range (rand, -1, FIDAC_N_SIDES);
  s->findings = g_rand_int_range (rand, 0, FIDAC_FINDINGS_ALL + 1);
  if (g_rand_boolean (rand))
    s->other_findings = random_text (rand);
  if (g_rand_boolean (rand))
    s->comment = random_text (rand);
  s->has_quantification = g_rand_boolean (rand);
  if (s->has_quantification)
    {
      FidacQuantResult *q = &s->quantification;

      q->has_lungs = g_rand_boolean (rand);
      q->voxel_ml = random_double (rand, 10);
      for (guint l = 0; l <= FIDAC_LUNG_N; l++)
        {
          q->lung_voxels[l] = random_uint64 (rand);
          q->lung_ml[l] = random_double (rand, 1e7);
        }
      for (guint c = 0; c <= FIDAC_LESION_N_CLASSES; c++)
        {
          q->lesion_voxels[c] = random_uint64 (rand);
          q->lesion_ml[c] = random_double (rand, 1e7);
          for (guint l = 0; l <= FIDAC_LUNG_N; l++)
            {
              q->in_lung_voxels[l][c] = random_uint64 (rand);
              q->in_lung_ml[l][c] = random_double (rand, 1e7);
              q->involvement[l][c] = random_double (rand, 100);
            }
        }
    }
}

static void
test_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20200315);
  FidacScores empty;

  /* Nothing set: only the version. */
  {
    g_autofree gchar *text = NULL;
    g_autoptr(GError) error = NULL;
    FidacScores back;

    fidac_scores_init (&empty);
    text = fidac_scores_serialize (&empty);
    g_assert_cmpstr (text, ==, "{'version': <(uint32 1, uint32 0)>}");
    g_assert_true (fidac_scores_deserialize (text, &back, &error));
    g_assert_no_error (error);
    assert_unset (&back);
  }

  for (guint n = 0; n < 1000; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree gchar *text = NULL, *again = NULL;
      FidacScores s, back;

      random_scores (rand, &s);
      text = fidac_scores_serialize (&s);
      if (!fidac_scores_deserialize (text, &back, &error))
        g_error ("case %u: %s\n%s", n, error->message, text);
      if (!fidac_scores_equal (&s, &back))
        g_error ("case %u differs after a round trip:\n%s", n, text);
      /* Texts come back byte for byte, not only "equal" ("" stays ""). */
      g_assert_cmpstr (back.other_findings, ==, s.other_findings);
      g_assert_cmpstr (back.comment, ==, s.comment);
      again = fidac_scores_serialize (&back);
      g_assert_cmpstr (again, ==, text);
      fidac_scores_clear (&s);
      fidac_scores_clear (&back);
    }
}

static const gchar *
complete_text (void)
{
  static gchar *text;

  if (text == NULL)
    {
      FidacScores s;

      fill_complete (&s);
      s.findings = FIDAC_FINDING_OTHER | FIDAC_FINDING_PLEURAL_EFFUSION;
      s.other_findings = g_strdup ("adenopathy");
      s.comment = g_strdup ("ok");
      s.has_quantification = TRUE;
      s.quantification.has_lungs = TRUE;
      s.quantification.voxel_ml = 0.5;
      s.quantification.lung_ml[1] = 0.5;
      s.quantification.lung_voxels[1] = 1000;
      s.quantification.involvement[1][1] = 12.5;
      text = fidac_scores_serialize (&s);
      fidac_scores_clear (&s);
    }
  return text;
}

static void
assert_refused (const gchar *text,
                const gchar *message)
{
  g_autoptr(GError) error = NULL;
  FidacScores s;

  g_test_message ("%s", text);
  /* Garbage in the output first: a failure must still leave it unset. */
  memset (&s, 0x5a, sizeof s);
  g_assert_false (fidac_scores_deserialize (text, &s, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  assert_unset (&s);
  if (message != NULL && strstr (error->message, message) == NULL)
    g_error ("“%s” does not say “%s”", error->message, message);
}

#define V "'version': <(uint32 1, uint32 0)>"

static void
test_damaged (void)
{
  static const struct {
    const gchar *text;
    const gchar *message;
  } cases[] = {
    { "", NULL },
    { "{}", "no format version" },
    { "[1, 2]", NULL },
    { "{'version': <1>}", "“version” is of type “i” instead of “(uu)”" },
    { "{'version': <(uint32 0, uint32 0)>}", "format version 0.0" },
    { "{'version': <(uint32 2, uint32 0)>}", "newer version of FIDAC (format 2.0" },
    { "{'version': <(uint32 7, uint32 3)>, 'corads': <3>}", "format 7.3" },
    { "{" V ", 'corads': <7>}", "CO-RADS 7" },
    { "{" V ", 'corads': <-1>}", "CO-RADS -1" },
    { "{" V ", 'corads': <'3'>}", "“corads” is of type “s”" },
    { "{" V ", 'corads': <byte 3>}", "“corads” is of type “y”" },
    { "{" V ", 'lobes': <{'rul': 6}>}", "lobe score 6 of “rul”" },
    { "{" V ", 'lobes': <{'rul': -1}>}", "lobe score -1" },
    { "{" V ", 'lobes': <{'rul': 1, 'rul': 2}>}", "given twice" },
    { "{" V ", 'lobes': <{'lingula': 1}>}", "unknown lobe “lingula”" },
    { "{" V ", 'lobes': <[1, 2, 3, 4, 5]>}", "“lobes” is of type “ai”" },
    { "{" V ", 'extent': <'huge'>}", "unknown value “huge” for “extent”" },
    { "{" V ", 'extent': <2>}", "“extent” is of type “i”" },
    { "{" V ", 'rsna': <'Typical'>}", "unknown value “Typical” for “rsna”" },
    { "{" V ", 'pattern': <''>}", "for “pattern”" },
    { "{" V ", 'axial': <'both'>}", "for “axial”" },
    { "{" V ", 'side': <true>}", "“side” is of type “b”" },
    { "{" V ", 'findings': <['nodules', 'fracture']>}", "unknown finding “fracture”" },
    { "{" V ", 'findings': <3>}", "“findings” is of type “i”" },
    { "{" V ", 'comment': <3>}", "“comment” is of type “i”" },
    { "{" V ", 'other-findings': <['a']>}", "“other-findings” is of type “as”" },
    { "{" V ", 'quantification': <3>}", "“quantification” is of type “i”" },
    { "{" V ", 'quantification': <@a{sv} {}>}", "the quantification has no “has-lungs”" },
    { "\xff{" V "}", "not UTF-8" },
    { "{" V ", 'comment': <'\xc3('>}", "not UTF-8" },
    { "{" V "} trailing", NULL },
    { "{" V ", 'corads': <4>", NULL },
  };

  for (guint n = 0; n < G_N_ELEMENTS (cases); n++)
    assert_refused (cases[n].text, cases[n].message);

  /* Every strict prefix of a complete text is refused. */
  {
    const gchar *text = complete_text ();
    gsize length = strlen (text);

    for (gsize n = 0; n < length; n++)
      {
        g_autofree gchar *prefix = g_strndup (text, n);
        g_autoptr(GError) error = NULL;
        FidacScores s;

        g_assert_false (fidac_scores_deserialize (prefix, &s, &error));
        g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
        assert_unset (&s);
      }
  }
}

/* The quantification: each value replaced in a valid text. */
static void
test_damaged_quantification (void)
{
  static const struct {
    const gchar *from;
    const gchar *to;
    const gchar *message;
  } cases[] = {
    { "'voxel-ml': <0.5>", "'voxel-ml': <-0.5>", "“voxel-ml” holds -0.5" },
    { "'voxel-ml': <0.5>", "'voxel-ml': <1e400>", NULL },
    { "'voxel-ml': <0.5>", "'voxel-ml': <5>", "“voxel-ml” is of type “i”" },
    { "'has-lungs': <true>", "'has-lungs': <1>", "“has-lungs” is of type “i”" },
    { "'has-lungs': <true>, ", "", "no “has-lungs”" },
    { "[0.0, 12.5, 0.0, 0.0]", "[0.0, 100.5, 0.0, 0.0]", "“involvement” holds 100.5" },
    { "[0.0, 12.5, 0.0, 0.0]", "[0.0, -12.5, 0.0, 0.0]", "“involvement” holds -12.5" },
    { "[0.0, 12.5, 0.0, 0.0]", "[0.0, 12.5, 0.0]", "“involvement” holds 3 values instead of 4" },
    { "[0.0, 12.5, 0.0, 0.0]", "[0.0, 12.5, 0.0, 0.0, 1.0]", "holds 5 values" },
    { "'lung-voxels': <[uint64 0, 1000, 0]>", "'lung-voxels': <[uint64 0, 1000]>",
      "“lung-voxels” holds 2 values instead of 3" },
    { "'lung-voxels': <[uint64 0, 1000, 0]>", "'lung-voxels': <[0, 1000, 0]>",
      "“lung-voxels” is of type “ai”" },
    { "'lung-voxels': <[uint64 0, 1000, 0]>", "'lung-voxels': <[-1.0, 1000.0, 0.0]>",
      "“lung-voxels” is of type “ad”" },
    { "'lung-ml': <[0.0, 0.5, 0.0]>", "'lung-ml': <[0.0, -0.5, 0.0]>", "“lung-ml” holds -0.5" },
    { "'in-lung-ml': <[", "'in-lung-ml': <[[0.0, 0.0, 0.0, 0.0], ", "“in-lung-ml” holds 4 rows" },
  };
  const gchar *text = complete_text ();

  for (guint n = 0; n < G_N_ELEMENTS (cases); n++)
    {
      g_autofree gchar *damaged = NULL;
      const gchar *at = strstr (text, cases[n].from);

      if (at == NULL)
        g_error ("“%s” not in %s", cases[n].from, text);
      damaged = g_strdup_printf ("%.*s%s%s", (gint) (at - text), text, cases[n].to,
                                 at + strlen (cases[n].from));
      assert_refused (damaged, cases[n].message);
    }
}

/* A newer minor version with keys this one does not know is read; the known ones kept. */
static void
test_newer_minor (void)
{
  g_autoptr(GError) error = NULL;
  FidacScores s;

  g_assert_true (fidac_scores_deserialize (
    "{'version': <(uint32 1, uint32 9)>, 'corads': <2>, 'lung-lobes': <{'x': <1.5>}>, "
    "'severity-ai': <'high'>, 'lobes': <{'lll': 4}>}", &s, &error));
  g_assert_no_error (error);
  g_assert_cmpint (s.corads, ==, 2);
  g_assert_cmpint (s.lobes[FIDAC_LOBE_LLL], ==, 4);
  g_assert_cmpint (s.lobes[FIDAC_LOBE_RUL], ==, FIDAC_SCORE_UNSET);
  g_assert_cmpint (s.extent, ==, FIDAC_EXTENT_UNSET);
  fidac_scores_clear (&s);

  /* And a text written by hand in another key order, with spaces. */
  g_assert_true (fidac_scores_deserialize (
    "  { 'comment' : <'vu'>, 'extent': <'critical'>, 'version': <(uint32 1, uint32 0)> }  ",
    &s, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (s.comment, ==, "vu");
  g_assert_cmpint (s.extent, ==, FIDAC_EXTENT_CRITICAL);
  fidac_scores_clear (&s);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fidac/scores/init-copy", test_init_copy);
  g_test_add_func ("/fidac/scores/total-exhaustive", test_total_exhaustive);
  g_test_add_func ("/fidac/scores/boundaries", test_boundaries);
  g_test_add_func ("/fidac/scores/sweep", test_sweep);
  g_test_add_func ("/fidac/scores/missing", test_missing);
  g_test_add_func ("/fidac/scores/describe-missing", test_describe_missing);
  g_test_add_func ("/fidac/scores/names", test_names);
  g_test_add_func ("/fidac/scores/names-invalid", test_names_invalid);
  g_test_add_func ("/fidac/scores/round-trip", test_round_trip);
  g_test_add_func ("/fidac/scores/damaged", test_damaged);
  g_test_add_func ("/fidac/scores/damaged-quantification", test_damaged_quantification);
  g_test_add_func ("/fidac/scores/newer-minor", test_newer_minor);

  return g_test_run ();
}
