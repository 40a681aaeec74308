/* fidac-cli-quantify.h: what `fidac-cli quantify` and `fidac-cli report` share: a series
 * loaded with its lungs segmented and the annotations of it found in the local database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fidac-cli-common.h"
#include "fidac-lungs.h"
#include "fidac-quantify.h"
#include "fidac-scores.h"
#include "fidac-store.h"

G_BEGIN_DECLS

typedef struct {
  /* in */
  const gchar    *database;       /* NULL: the default database, which may be absent */
  const gchar    *reader_id;      /* NULL: every reader */
  const gchar    *role;           /* NULL: both roles */
  FidacCliLoad    load;           /* path and series_uid in; the rest out */
  /* out */
  FidacLabelMap  *lungs;
  FidacLungsInfo  lungs_info;
  FidacStore     *store;          /* NULL when the default database does not exist */
  GPtrArray      *annotations;    /* FidacStoreAnnotation*: those of the series that match */
} FidacCliCase;

/* Checks the database (an explicit one must exist), loads the series, segments the lungs
 * and lists the matching annotations; with a reader or a role given, at least one must
 * match. Run it in fidac_cli_run_job(). */
gboolean fidac_cli_case_open            (FidacCliCase               *c,
                                         GCancellable               *cancellable,
                                         GError                    **error);
void     fidac_cli_case_clear           (FidacCliCase               *c);

/* The labels and scores of one stored annotation, and its figures against the lungs.
 * `has_scores` FALSE when none were saved (scores then fidac_scores_init()). */
gboolean fidac_cli_case_read_annotation (FidacCliCase               *c,
                                         const FidacStoreAnnotation *a,
                                         FidacLabelMap             **labels,
                                         FidacScores                *scores,
                                         gboolean                   *has_scores,
                                         FidacQuantResult           *result,
                                         GError                    **error);

G_END_DECLS
