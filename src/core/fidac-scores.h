/* fidac-scores.h: the severity scores an expert reports for COVID-19 pneumonia on CT.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One FidacScores per annotation (DESIGN.md, data model): per-lobe scores (Pan et al.,
 * Radiology 2020), the French extent class (SFR), CO-RADS (Prokop et al., Radiology 2020),
 * the RSNA category (Simpson et al., Radiology: Cardiothoracic Imaging 2020), the
 * predominant pattern, the distribution, other findings and a comment, plus the computed
 * quantification saved beside them. Every field may be unset (FIDAC_SCORE_UNSET, or the
 * *_UNSET value of its enum) until the expert fills it; "complete" requires the fields
 * fidac_scores_get_missing() lists.
 *
 * The rules (totals, classes from a percentage, what is required) live here and nowhere
 * else, so the panel, the report and the command line agree.
 */
#pragma once

#include <glib.h>

#include "fidac-quantify.h"

G_BEGIN_DECLS

#define FIDAC_SCORE_UNSET (-1)

typedef enum {
  FIDAC_LOBE_RUL,               /* right upper lobe */
  FIDAC_LOBE_RML,               /* right middle lobe */
  FIDAC_LOBE_RLL,               /* right lower lobe */
  FIDAC_LOBE_LUL,               /* left upper lobe (lingula included) */
  FIDAC_LOBE_LLL,               /* left lower lobe */
  FIDAC_N_LOBES
} FidacLobe;

#define FIDAC_LOBE_SCORE_MAX 5
#define FIDAC_TOTAL_SCORE_MAX (FIDAC_N_LOBES * FIDAC_LOBE_SCORE_MAX)

/* French extent class (SFR): share of the lung parenchyma involved. */
typedef enum {
  FIDAC_EXTENT_UNSET = -1,
  FIDAC_EXTENT_ABSENT,          /* absente, 0 % */
  FIDAC_EXTENT_MINIMAL,         /* minime, < 10 % */
  FIDAC_EXTENT_MODERATE,        /* modérée, 10–25 % */
  FIDAC_EXTENT_EXTENSIVE,       /* étendue, 25–50 % */
  FIDAC_EXTENT_SEVERE,          /* sévère, 50–75 % */
  FIDAC_EXTENT_CRITICAL,        /* critique, > 75 % */
  FIDAC_N_EXTENTS
} FidacExtent;

#define FIDAC_CORADS_MIN 0
#define FIDAC_CORADS_MAX 6

typedef enum {
  FIDAC_RSNA_UNSET = -1,
  FIDAC_RSNA_TYPICAL,
  FIDAC_RSNA_INDETERMINATE,
  FIDAC_RSNA_ATYPICAL,
  FIDAC_RSNA_NEGATIVE,
  FIDAC_N_RSNA
} FidacRsna;

typedef enum {
  FIDAC_PATTERN_UNSET = -1,
  FIDAC_PATTERN_GROUND_GLASS,
  FIDAC_PATTERN_CONSOLIDATION,
  FIDAC_PATTERN_CRAZY_PAVING,
  FIDAC_PATTERN_MIXED,          /* ground glass and consolidation alike */
  FIDAC_N_PATTERNS
} FidacPattern;

/* Distribution in the axial plane. */
typedef enum {
  FIDAC_AXIAL_UNSET = -1,
  FIDAC_AXIAL_PERIPHERAL,
  FIDAC_AXIAL_CENTRAL,
  FIDAC_AXIAL_DIFFUSE,
  FIDAC_N_AXIAL
} FidacAxialDistribution;

typedef enum {
  FIDAC_SIDE_UNSET = -1,
  FIDAC_SIDE_UNILATERAL,
  FIDAC_SIDE_BILATERAL,
  FIDAC_N_SIDES
} FidacSide;

typedef enum {
  FIDAC_FINDING_PLEURAL_EFFUSION = 1 << 0,
  FIDAC_FINDING_PE_SUSPECTED     = 1 << 1,   /* pulmonary embolism suspected */
  FIDAC_FINDING_NODULES          = 1 << 2,
  FIDAC_FINDING_OTHER            = 1 << 3,   /* described in other_findings */
} FidacFinding;

#define FIDAC_FINDINGS_ALL 0xf

/* What fidac_scores_get_missing() may report. */
typedef enum {
  FIDAC_SCORES_FIELD_LOBE_RUL     = 1 << 0,
  FIDAC_SCORES_FIELD_LOBE_RML     = 1 << 1,
  FIDAC_SCORES_FIELD_LOBE_RLL     = 1 << 2,
  FIDAC_SCORES_FIELD_LOBE_LUL     = 1 << 3,
  FIDAC_SCORES_FIELD_LOBE_LLL     = 1 << 4,
  FIDAC_SCORES_FIELD_EXTENT       = 1 << 5,
  FIDAC_SCORES_FIELD_CORADS       = 1 << 6,
  FIDAC_SCORES_FIELD_RSNA         = 1 << 7,
  FIDAC_SCORES_FIELD_PATTERN      = 1 << 8,   /* required when something is involved */
  FIDAC_SCORES_FIELD_AXIAL        = 1 << 9,   /* idem */
  FIDAC_SCORES_FIELD_SIDE         = 1 << 10,  /* idem */
  FIDAC_SCORES_FIELD_OTHER_TEXT   = 1 << 11,  /* "other" checked with nothing written */
} FidacScoresField;

typedef struct {
  gint                   lobes[FIDAC_N_LOBES];  /* 0..5 or FIDAC_SCORE_UNSET */
  FidacExtent            extent;
  gint                   corads;                /* 0..6 or FIDAC_SCORE_UNSET */
  FidacRsna              rsna;
  FidacPattern           pattern;
  FidacAxialDistribution axial;
  FidacSide              side;
  guint                  findings;              /* FidacFinding flags */
  gchar                 *other_findings;        /* may be NULL */
  gchar                 *comment;               /* may be NULL */
  /* The quantification when the scores were last saved (the SR carries it). */
  gboolean               has_quantification;
  FidacQuantResult       quantification;
} FidacScores;

/* Every field unset, no findings, no text, no quantification. */
void         fidac_scores_init            (FidacScores       *scores);
/* Frees the texts and unsets everything. */
void         fidac_scores_clear           (FidacScores       *scores);
/* A deep copy. `dest` is an output, as in fidac_scores_deserialize(): it may be
 * uninitialised and its previous texts are NOT freed (fidac_scores_clear() it first when
 * it holds some). */
void         fidac_scores_copy            (const FidacScores *src,
                                           FidacScores       *dest);
/* Every field equal (quantification included, exactly); a NULL text equals "". */
gboolean     fidac_scores_equal           (const FidacScores *a,
                                           const FidacScores *b);

/* Sum of the lobe scores set (0..25); `n_set` (may be NULL) receives how many are set.
 * The total is only final when all five are. */
gint         fidac_scores_total           (const FidacScores *scores,
                                           guint             *n_set);

/* The fields a complete annotation needs that are not filled (0: complete): the five lobes,
 * the extent class, CO-RADS and the RSNA category always; the pattern and both distributions
 * when something is involved (a lobe score above 0 or an extent above absente); the text of
 * "other" when that finding is checked. */
guint        fidac_scores_get_missing     (const FidacScores *scores);
/* The name of one FidacScoresField, translated ("Right upper lobe", "CO-RADS", …). */
const gchar *fidac_scores_field_get_name  (FidacScoresField   field);
/* "Missing: right upper lobe, CO-RADS." for a mask of fields; NULL for 0. */
gchar       *fidac_scores_describe_missing (guint             missing);

/* Pan's lobe score for a share of the lobe involved (percent, 0..100): 0 none, 1 < 5 %,
 * 2 5–25 %, 3 26–49 % (above 25, below 50), 4 50–75 %, 5 > 75 %. -1 for a negative or NaN
 * share; shares above 100 are 5. */
gint         fidac_lobe_score_for_percent (gdouble            percent);
/* The extent class for a share of both lungs involved (percent): absente exactly 0,
 * minime above 0 and below 10, modérée 10 to 25 (25 included), étendue above 25 and below
 * 50, sévère 50 to 75 (both included), critique above 75. FIDAC_EXTENT_UNSET for a negative
 * or NaN share. */
FidacExtent  fidac_extent_for_percent     (gdouble            percent);

/* Names and definitions, translated, for the panel and the report. For an *_UNSET value
 * (FIDAC_SCORE_UNSET for scores) the names give "Not set" and the definitions NULL; any
 * other value out of range is a programming error (g_return_val_if_fail, NULL). */
const gchar *fidac_lobe_get_name          (FidacLobe          lobe);   /* "Right upper lobe" */
const gchar *fidac_lobe_get_abbreviation  (FidacLobe          lobe);   /* "RUL" / "LSD" */
const gchar *fidac_lobe_score_get_definition (gint            score);  /* "2: 5–25 %" */
const gchar *fidac_extent_get_name        (FidacExtent        extent); /* "Moderate" / "Modérée" */
const gchar *fidac_extent_get_definition  (FidacExtent        extent); /* "10–25 % of the lungs" */
const gchar *fidac_corads_get_definition  (gint               corads);
const gchar *fidac_rsna_get_name          (FidacRsna          rsna);
const gchar *fidac_rsna_get_definition    (FidacRsna          rsna);
const gchar *fidac_pattern_get_name       (FidacPattern       pattern);
const gchar *fidac_axial_get_name         (FidacAxialDistribution axial);
const gchar *fidac_side_get_name          (FidacSide          side);
const gchar *fidac_finding_get_name       (FidacFinding       finding);

/* Stable ASCII keys for files and the command line ("moderate", "typical", …), and back.
 * to_key gives NULL for *_UNSET; from_key gives -1 (the *_UNSET value) for an unknown key
 * or NULL. */
const gchar *fidac_extent_to_key          (FidacExtent        extent);
const gchar *fidac_rsna_to_key            (FidacRsna          rsna);
const gchar *fidac_pattern_to_key         (FidacPattern       pattern);
const gchar *fidac_axial_to_key           (FidacAxialDistribution axial);
const gchar *fidac_side_to_key            (FidacSide          side);
const gchar *fidac_finding_to_key         (FidacFinding       finding); /* "pleural-effusion" */
const gchar *fidac_lobe_to_key            (FidacLobe          lobe);    /* "rul" */
gint         fidac_extent_from_key        (const gchar       *key);
gint         fidac_rsna_from_key          (const gchar       *key);
gint         fidac_pattern_from_key       (const gchar       *key);
gint         fidac_axial_from_key         (const gchar       *key);
gint         fidac_side_from_key          (const gchar       *key);

/* The text kept in the store (fidac_store_set_scores()): a GVariant a{sv} in GLib's text
 * format, with a "version" key, so that core needs no JSON library. Unset fields are absent;
 * enums are written as their keys; every field of the quantification is kept, and reading
 * gives back exactly what was written (fidac_scores_equal()).
 * "version" is (major, minor): a newer minor only adds keys, and unknown keys are ignored;
 * a newer major is refused (FIDAC_CORE_ERROR_INVALID saying FIDAC must be updated).
 * Out-of-range values, unknown enum keys, wrong types, a missing version or unparsable
 * text give FIDAC_CORE_ERROR_INVALID with a message that names the problem, and leave
 * `scores` unset (fidac_scores_init()). `scores` is an output: it may be uninitialised and
 * its previous texts are not freed. */
gchar       *fidac_scores_serialize       (const FidacScores *scores);
gboolean     fidac_scores_deserialize     (const gchar       *text,
                                           FidacScores       *scores,
                                           GError           **error);

G_END_DECLS
