/* fidac-scores-panel.h: the side panel of the severity scores and the quantification.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The expert's scores (fidac-scores.h: per-lobe scores with their total, French extent
 * class, CO-RADS, RSNA category, pattern, distribution, other findings, comment), each with
 * its definition at hand, beside the measured figures of the case (lung volumes, lesion
 * volumes and the share of each lung involved, from FidacQuantification) and the extent
 * class they suggest. The scores belong to the stored annotation of the reader
 * (fidac_annotation_get_stored_id()): they are loaded when it changes and saved at every
 * edit; "Mark as Complete" sets its status when nothing required is missing.
 */
#pragma once

#include <gtk/gtk.h>

#include "fidac-annotation.h"
#include "fidac-quantification.h"

G_BEGIN_DECLS

#define FIDAC_TYPE_SCORES_PANEL (fidac_scores_panel_get_type ())

G_DECLARE_FINAL_TYPE (FidacScoresPanel, fidac_scores_panel, FIDAC, SCORES_PANEL, GtkBox)

/* `quantification` (may be NULL: no figures) follows the same annotation. Both are
 * referenced. */
GtkWidget       *fidac_scores_panel_new            (FidacAnnotation     *annotation,
                                                    FidacQuantification *quantification);
FidacAnnotation *fidac_scores_panel_get_annotation (FidacScoresPanel    *self);

G_END_DECLS
