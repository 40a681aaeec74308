/* fidac-interpolate.h: "fill between slices" — contours painted every few slices are
 * interpolated through the slices left empty between them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shape-based interpolation, shape by shape: in the two key slices bounding a gap, the
 * 8-connected shapes of the class are matched by overlap (shapes linked through a chain of
 * overlaps form one group), and each group is interpolated on its own, so unrelated shapes
 * never bridge. Each group's shapes become a signed distance map (mm, negative inside, from
 * an exact Euclidean distance transform with the slice's own spacing); a slice of the gap
 * takes the voxels where the two maps, weighted by its position between the key slices,
 * sum to <= 0. A shape copied on two slices comes out identical in between; a disc growing
 * from r1 to r2 grows monotonically; a shape with no counterpart in the other key slice
 * shrinks and is gone by the middle of the gap (where the lesion most likely ends). A shape
 * that moved so far that it no longer overlaps its counterpart is taken as one ending and
 * one starting (the limit of the method: paint the slices closer together there).
 */
#pragma once

#include <glib.h>

#include "fidac-fill.h"
#include "fidac-label-map.h"
#include "fidac-volume.h"

G_BEGIN_DECLS

typedef struct {
  guint    n_painted;           /* slices that held the class (the key slices) */
  guint    n_gaps;              /* runs of empty slices between two key slices */
  guint    n_slices;            /* slices in those gaps */
  guint64  n_changed;           /* voxels written */
} FidacInterpolateResult;

/* Fills, for class rule->label along voxel axis `axis` (0, 1 or 2; slices perpendicular to
 * it, as in fidac-fill.h), every slice that lies strictly between two slices holding the
 * class and holds none of it itself. Slices before the first and after the last key slice
 * are never touched; the paint-over rule, the locks and the HU limit of `rule` apply to each
 * voxel written; `undo` records the changes as fidac-fill.h says. Fewer than two key slices is not an
 * error: nothing to do. FALSE with an error for a bad axis or class, a locked class, a grid
 * other than the volume's, or memory. */
gboolean fidac_interpolate_slices (FidacLabelMap          *map,
                                   const FidacVolume      *volume,
                                   gint                    axis,
                                   const FidacFillRule    *rule,
                                   FidacUndo              *undo,
                                   FidacInterpolateResult *result,
                                   GError                **error);

/* Squared Euclidean distance transform of a 2D mask (nu × nv, u fastest), in mm² with
 * spacing su, sv: out[p] = squared distance from p to the nearest pixel where
 * mask == `feature` (G_MAXFLOAT when there is none). Exposed for the tests. */
void     fidac_interpolate_edt_2d (const guint8 *mask,
                                   gint          nu,
                                   gint          nv,
                                   gdouble       su,
                                   gdouble       sv,
                                   guint8        feature,
                                   gfloat       *out);

G_END_DECLS
