/* fidac-lungs.h: automatic segmentation of both lungs on a chest CT.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lung mask is what quantification divides by: lesion volume / lung volume. It must
 * therefore hold what a radiologist calls "the lung": the aerated parenchyma AND what
 * disease or anatomy puts inside it (vessels, bronchial walls, ground glass, consolidation
 * touching the pleura), while the trachea and main bronchi, the mediastinum and the air
 * outside the body stay out. Left and right are told apart, since scores and involvement
 * are per lung.
 *
 * The result is a FidacLabelMap on the volume's grid whose values are FidacLung (the same
 * values as the phantom's ground truth, fidac-phantom.h), so the label map's per-slice
 * counts give the lung volumes without a recount and the views can draw it as an outline
 * with the label overlay code.
 */
#pragma once

#include <gio/gio.h>

#include "fidac-label-map.h"
#include "fidac-volume.h"

G_BEGIN_DECLS

typedef enum {
  FIDAC_LUNG_NONE = 0,
  FIDAC_LUNG_RIGHT = 1,
  FIDAC_LUNG_LEFT = 2,
} FidacLung;

#define FIDAC_LUNG_N 2          /* values 1 .. FIDAC_LUNG_N */

/* Progress in [0, 1], from the thread that segments. */
typedef void (*FidacLungsProgress) (gdouble  fraction,
                                    gpointer user_data);

typedef struct {
  guint64  voxels[FIDAC_LUNG_N + 1];   /* index FidacLung; [0] unused (0) */
  gdouble  volume_ml[FIDAC_LUNG_N + 1];/* voxels x voxel volume; [0] = both lungs */
  gdouble  airway_ml;                  /* trachea and main bronchi removed from the mask */
  gboolean split_needed;               /* the lungs touched (anterior or posterior junction)
                                        * and were cut apart */
  gdouble  seconds;                    /* wall time of the segmentation */
} FidacLungsInfo;

/* Segments the lungs of `volume` (a chest CT in HU). Returns a new label map holding
 * FidacLung values, or NULL with an error: FIDAC_CORE_ERROR_INVALID when no lung is found
 * (not a chest CT, or a volume too small to hold one), G_IO_ERROR_CANCELLED when
 * `cancellable` was cancelled. `info` (may be NULL) receives the volumes and figures.
 * Thread-safe: it only reads the volume. May use several threads. */
FidacLabelMap *fidac_lungs_segment (const FidacVolume  *volume,
                                    FidacLungsInfo     *info,
                                    FidacLungsProgress  progress,
                                    gpointer            progress_data,
                                    GCancellable       *cancellable,
                                    GError            **error);

/* The name of a lung in the user's language ("Right lung"). */
const gchar   *fidac_lung_get_name (FidacLung lung);

G_END_DECLS
