/* fidac-scores-private.h: what the rules (fidac-scores.c) share with the stored text
 * (fidac-scores-serialize.c): the tables of keys and names.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fidac-scores.h"

G_BEGIN_DECLS

#define FIDAC_SCORES_N_FINDINGS 4

/* A choice: its stable key, and its name (an N_() msgid, or NC_() with `context`). */
typedef struct {
  const gchar *key;
  const gchar *context;         /* NULL: plain N_() */
  const gchar *name;
} FidacScoresNamed;

extern const FidacScoresNamed fidac_scores_lobes[FIDAC_N_LOBES];
extern const FidacScoresNamed fidac_scores_extents[FIDAC_N_EXTENTS];
extern const FidacScoresNamed fidac_scores_rsna_names[FIDAC_N_RSNA];
extern const FidacScoresNamed fidac_scores_patterns[FIDAC_N_PATTERNS];
extern const FidacScoresNamed fidac_scores_axials[FIDAC_N_AXIAL];
extern const FidacScoresNamed fidac_scores_sides[FIDAC_N_SIDES];
extern const FidacScoresNamed fidac_scores_findings[FIDAC_SCORES_N_FINDINGS];

/* The index of `key` in `table` (n entries), -1 when absent or NULL. */
gint fidac_scores_key_index (const FidacScoresNamed *table,
                             guint                   n,
                             const gchar            *key);

G_END_DECLS
