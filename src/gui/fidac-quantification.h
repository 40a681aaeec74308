/* fidac-quantification.h: the lung mask and the live lesion figures of one window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Follows a FidacAnnotation: when it gets a new map (a new case) the lungs are segmented
 * off the main thread (GTask, cancelled when another case comes), and after every change
 * of labels only the slices that changed are counted again (FidacQuantifier), so the
 * figures follow each stroke at once. The views draw the lung outline from here when
 * "show-lungs" is on; the scores panel, the report and the window read the figures.
 */
#pragma once

#include <gio/gio.h>

#include "fidac-annotation.h"
#include "fidac-lungs.h"
#include "fidac-quantify.h"

G_BEGIN_DECLS

typedef enum {
  FIDAC_QUANTIFICATION_NONE,        /* no case */
  FIDAC_QUANTIFICATION_SEGMENTING,  /* lungs being found; lesion volumes already live */
  FIDAC_QUANTIFICATION_READY,       /* lungs found: every figure is live */
  FIDAC_QUANTIFICATION_FAILED,      /* no lungs (message says why); lesion volumes live */
} FidacQuantificationState;

/* Signals:
 *   ::changed ()  the state, the lung mask, the figures or the segmentation's progress
 *     changed.
 * Properties:
 *   "show-lungs" (gboolean, default FALSE)  the views outline the lungs.
 *   "state" (FidacQuantificationState, read-only)
 */

#define FIDAC_TYPE_QUANTIFICATION_STATE (fidac_quantification_state_get_type ())
GType fidac_quantification_state_get_type (void);

#define FIDAC_TYPE_QUANTIFICATION (fidac_quantification_get_type ())

G_DECLARE_FINAL_TYPE (FidacQuantification, fidac_quantification, FIDAC, QUANTIFICATION, GObject)

/* Follows `annotation` (referenced) from now on. The lungs of each new map are segmented
 * from the main loop on (state SEGMENTING at once); a task still running when the map
 * changes or the quantification goes is cancelled and its result dropped. */
FidacQuantification     *fidac_quantification_new           (FidacAnnotation     *annotation);

FidacQuantificationState fidac_quantification_get_state     (FidacQuantification *self);
/* Why the lungs were not found (FAILED), else NULL. */
const gchar             *fidac_quantification_get_message   (FidacQuantification *self);
/* Segmentation progress 0..1 while SEGMENTING. */
gdouble                  fidac_quantification_get_progress  (FidacQuantification *self);

/* The lung mask (FidacLung values) when READY, else NULL. Read it, never write it. */
FidacLabelMap           *fidac_quantification_get_lungs     (FidacQuantification *self);
/* The segmentation's figures (time, volumes) when READY; FALSE otherwise. */
gboolean                 fidac_quantification_get_lungs_info (FidacQuantification *self,
                                                              FidacLungsInfo      *info);

/* The figures now (lesion volumes are live in every state with a case; lung figures only
 * when READY). */
void                     fidac_quantification_get_result    (FidacQuantification *self,
                                                             FidacQuantResult    *result);

gboolean                 fidac_quantification_get_show_lungs (FidacQuantification *self);
void                     fidac_quantification_set_show_lungs (FidacQuantification *self,
                                                              gboolean             show);

/* Milliseconds the last incremental update took (for the benchmark and the tests' logs). */
gdouble                  fidac_quantification_get_last_update_ms (FidacQuantification *self);

G_END_DECLS
