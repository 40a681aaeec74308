/* fidac-label-map.h: the lesion labels of one volume, voxel by voxel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * uint8 on the volume's grid (i fastest, like FidacVolume's voxels); value = lesion class id
 * from the catalog (0 = none). Every write goes through these functions (or marks what it
 * changed with fidac_label_map_touch()), so that the per-slice dirty flags (texture updates,
 * persistence) and the per-slice, per-class voxel counts (volumes, quantification: never a
 * recount of the volume) stay exact.
 */
#pragma once

#include <glib.h>

#include "fidac-volume.h"

G_BEGIN_DECLS

#define FIDAC_LABEL_NONE     0
#define FIDAC_LABEL_MAX_CLASSES 16      /* ids 1 .. FIDAC_LABEL_MAX_CLASSES - 1 */

typedef struct {
  gint     dims[3];
  guint8  *labels;              /* dims[0] * dims[1] * dims[2] */
  guint32 *counts;              /* dims[2] * FIDAC_LABEL_MAX_CLASSES: voxels per slice, class */
  guint8  *dirty;               /* dims[2] flags */
  gint     ref_count;
} FidacLabelMap;

/* All zero, on `volume`'s grid. NULL with an error when memory is short. */
FidacLabelMap *fidac_label_map_new        (const FidacVolume   *volume,
                                           GError             **error);
FidacLabelMap *fidac_label_map_ref        (FidacLabelMap       *map);
void           fidac_label_map_unref      (FidacLabelMap       *map);

static inline gsize
fidac_label_map_index (const FidacLabelMap *map, gint i, gint j, gint k)
{
  return ((gsize) k * map->dims[1] + j) * map->dims[0] + i;
}

static inline guint8
fidac_label_map_get (const FidacLabelMap *map, gint i, gint j, gint k)
{
  return map->labels[fidac_label_map_index (map, i, j, k)];
}

/* Sets one voxel, keeping counts and dirty flags; returns the previous value. Writing the
 * value already there changes nothing (the slice stays clean). (i, j, k) must be inside the
 * grid and value < FIDAC_LABEL_MAX_CLASSES (g_return_val_if_fail otherwise). */
guint8         fidac_label_map_set        (FidacLabelMap       *map,
                                           gint                 i,
                                           gint                 j,
                                           gint                 k,
                                           guint8               value);

/* After writing `labels` of slices k0..k1 directly (bulk operations, loading), recounts
 * those slices and marks them dirty; the range is clamped to the grid. A value that is not
 * a class id is a bug: it is reported (g_critical) and cleared to FIDAC_LABEL_NONE. */
void           fidac_label_map_touch      (FidacLabelMap       *map,
                                           gint                 k0,
                                           gint                 k1);

/* Voxels of `label` in slice k, or in the whole map (sum of the slices' counts). */
guint32        fidac_label_map_slice_count (const FidacLabelMap *map,
                                            gint                 k,
                                            guint8               label);
guint64        fidac_label_map_count      (const FidacLabelMap *map,
                                           guint8               label);

/* The range of dirty slices (FALSE when none), and clearing them: a consumer (GL texture,
 * store) that needs its own view of "dirty" keeps a copy of the flags it takes. */
gboolean       fidac_label_map_get_dirty  (const FidacLabelMap *map,
                                           gint                *k0,
                                           gint                *k1);
void           fidac_label_map_clear_dirty (FidacLabelMap      *map);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FidacLabelMap, fidac_label_map_unref)

G_END_DECLS
