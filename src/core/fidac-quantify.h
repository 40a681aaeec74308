/* fidac-quantify.h: lesion burden measured from what the expert paints.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A FidacQuantifier keeps, per slice, the number of voxels of each lesion class inside each
 * lung (and outside both), so that after a stroke only the slices it changed are counted
 * again (fidac_quantifier_update()) and the totals follow by difference: the volume is never
 * recounted after the first time. Lung volumes come from the lung mask's own per-slice
 * counts (fidac-label-map.h).
 */
#pragma once

#include <glib.h>

#include "fidac-label-map.h"
#include "fidac-lesion.h"
#include "fidac-lungs.h"
#include "fidac-volume.h"

G_BEGIN_DECLS

/* Index 0 of the lung axis is "both lungs" (in results) and of the class axis "every
 * class"; lungs 1..FIDAC_LUNG_N are FidacLung, classes 1..FIDAC_LESION_N_CLASSES the
 * catalog ids. */
typedef struct {
  gboolean has_lungs;                 /* FALSE: no lung mask (yet); lung figures are 0 */
  gdouble  voxel_ml;                  /* volume of one voxel */
  guint64  lung_voxels[FIDAC_LUNG_N + 1];
  gdouble  lung_ml[FIDAC_LUNG_N + 1];
  /* Everything painted, inside the lungs or not (what the expert drew). */
  guint64  lesion_voxels[FIDAC_LESION_N_CLASSES + 1];
  gdouble  lesion_ml[FIDAC_LESION_N_CLASSES + 1];
  /* Painted voxels inside each lung, and their share of that lung in percent (0..100;
   * 0 when the lung is empty or missing). */
  guint64  in_lung_voxels[FIDAC_LUNG_N + 1][FIDAC_LESION_N_CLASSES + 1];
  gdouble  in_lung_ml[FIDAC_LUNG_N + 1][FIDAC_LESION_N_CLASSES + 1];
  gdouble  involvement[FIDAC_LUNG_N + 1][FIDAC_LESION_N_CLASSES + 1];
} FidacQuantResult;

typedef struct _FidacQuantifier FidacQuantifier;

/* A quantifier of `labels` (lesion classes) against `lungs` (FidacLung values; NULL: none
 * yet), both on `volume`'s grid; it keeps references to both maps and counts every slice
 * once. FALSE-like NULL with FIDAC_CORE_ERROR_INVALID when a map's grid differs or the lung
 * mask holds a value above FIDAC_LUNG_N. Label values that are no catalog class (above
 * FIDAC_LESION_N_CLASSES) are not counted. Not thread-safe: use it from one thread. */
FidacQuantifier *fidac_quantifier_new        (const FidacVolume *volume,
                                              FidacLabelMap     *labels,
                                              FidacLabelMap     *lungs,
                                              GError           **error);
void             fidac_quantifier_free       (FidacQuantifier   *self);

/* A new lung mask (NULL: none): every slice is counted again. FALSE with an error when its
 * grid differs (the quantifier keeps the previous one). */
gboolean         fidac_quantifier_set_lungs  (FidacQuantifier   *self,
                                              FidacLabelMap     *lungs,
                                              GError           **error);
FidacLabelMap   *fidac_quantifier_get_lungs  (FidacQuantifier   *self);

/* The labels of slices k0..k1 changed (clamped to the grid): those slices are counted
 * again, the totals adjusted. Cost: the voxels of those slices only. */
void             fidac_quantifier_update     (FidacQuantifier   *self,
                                              gint               k0,
                                              gint               k1);

/* The figures now. */
void             fidac_quantifier_get_result (FidacQuantifier   *self,
                                              FidacQuantResult  *result);

/* Every slice counted from scratch into `result`, without a quantifier: the reference the
 * tests compare the incremental figures with, and what the command line uses. `lungs` may
 * be NULL. */
gboolean         fidac_quantify              (const FidacVolume   *volume,
                                              const FidacLabelMap *labels,
                                              const FidacLabelMap *lungs,
                                              FidacQuantResult    *result,
                                              GError             **error);

/* The axial slices (k) with the most painted voxels inside the lungs, at least
 * `min_gap_mm` apart along the slice axis (|k - k'| × spacing[2], with 1e-6 mm of slack for
 * rounding), highest first, the lower k first on a tie; at most `n`. Without a lung mask
 * (`lungs` NULL) every painted voxel counts. Returns how many were found (0 when nothing
 * is painted). The report's key images. */
guint            fidac_quantify_key_slices   (const FidacVolume   *volume,
                                              const FidacLabelMap *labels,
                                              const FidacLabelMap *lungs,
                                              gdouble              min_gap_mm,
                                              guint                n,
                                              gint                *slices);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FidacQuantifier, fidac_quantifier_free)

G_END_DECLS
