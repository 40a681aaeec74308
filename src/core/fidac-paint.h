/* fidac-paint.h: brush and eraser on the label map, in patient space.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Footprints are defined in patient millimetres, so they are round on anisotropic voxels
 * and the same in every view (axial, coronal, sagittal, oblique) and on any grid (tilted,
 * feet first, oblique acquisition). With c the brush centre, r = diameter / 2 and p a
 * voxel centre (fidac_volume_voxel_to_patient()):
 *
 * - sphere: p is painted when |p - c| <= r;
 * - disc, in the plane through c with unit normal n (the view's plane): p is painted when
 *   its voxel cell is cut by the plane and its centre projects into the disc, that is
 *   -h <= (p - c)·n < h and |(p - c) - ((p - c)·n) n| <= r, where
 *   h = (|n·e_i| + |n·e_j| + |n·e_k|) / 2 is the half-thickness of the cell (edges
 *   e_i = spacing[0] axis_i, ...) along n. On an axial, coronal or sagittal view of a
 *   straight grid this is exactly one slice (row, column) of voxels; on an oblique plane
 *   the layer of cells the plane cuts, which has no holes. The half-open test picks one
 *   layer when the plane passes exactly between two.
 *
 * "<= r" includes voxels at exactly r (up to 1e-9 relative, so that rounding never
 * decides a tie), and the half-open thickness test is shifted by 1e-6 mm likewise.
 *
 * A segment from a to b paints everything a footprint moving from a to b covers (a
 * capsule for the sphere; for the disc, the plane is the one through a and b is projected
 * onto it): a fast pointer leaves no gap between events. A dab is the segment a = a.
 */
#pragma once

#include <glib.h>

#include "fidac-label-map.h"
#include "fidac-undo.h"
#include "fidac-volume.h"

G_BEGIN_DECLS

typedef enum {
  FIDAC_BRUSH_DISC,
  FIDAC_BRUSH_SPHERE,
} FidacBrushShape;

typedef enum {
  FIDAC_PAINT_DRAW,             /* write `label` */
  FIDAC_PAINT_ERASE_CLASS,      /* clear the voxels of `label` only */
  FIDAC_PAINT_ERASE_ALL,        /* clear the voxels of every unlocked class */
} FidacPaintMode;

/* Which voxels a draw may write, besides those already of `label`: */
typedef enum {
  FIDAC_PAINT_OVER_EMPTY,       /* empty voxels only (the default, never loses work) */
  FIDAC_PAINT_OVER_ALL,         /* empty voxels and every unlocked class */
  FIDAC_PAINT_OVER_CLASS,       /* empty voxels and those of `over_label` (unless locked) */
} FidacPaintOver;

typedef struct {
  FidacPaintMode  mode;
  guint8          label;        /* the active class, 1 .. FIDAC_LABEL_MAX_CLASSES - 1 */
  FidacBrushShape shape;
  gdouble         diameter;     /* mm, > 0 */
  gdouble         normal[3];    /* disc: normal of the view's plane (patient LPS, any length) */
  gboolean        hu_limit;     /* only voxels with hu_min <= HU <= hu_max (draw and erase) */
  gint            hu_min;
  gint            hu_max;
  FidacPaintOver  over;
  guint8          over_label;   /* FIDAC_PAINT_OVER_CLASS */
  guint32         locked;       /* bit c set: class c is locked, never written nor erased;
                                 * drawing with a locked class writes nothing */
} FidacBrush;

/* Draw class 1, 10 mm axial disc, no HU limit, over empty voxels, nothing locked. */
void     fidac_brush_init        (FidacBrush          *brush);

/* Checks a brush (label, diameter, normal, HU range) against the catalog's limits. */
gboolean fidac_brush_validate    (const FidacBrush    *brush,
                                  GError             **error);

/* Paints (erases) the footprint swept from `a` to `b` (patient mm) into `map`, which must
 * be on `volume`'s grid. When `undo` is not NULL each change is recorded in its open step
 * (open one per stroke: press to release), or in a step of its own when none is open.
 * Counts and dirty flags of the map are kept. Returns the number of voxels changed, or -1 with an error (invalid
 * brush, map and volume of different sizes), having changed nothing. */
gssize   fidac_paint_segment     (FidacLabelMap       *map,
                                  const FidacVolume   *volume,
                                  const FidacBrush    *brush,
                                  const gdouble        a[3],
                                  const gdouble        b[3],
                                  FidacUndo           *undo,
                                  GError             **error);
gssize   fidac_paint_dab         (FidacLabelMap       *map,
                                  const FidacVolume   *volume,
                                  const FidacBrush    *brush,
                                  const gdouble        center[3],
                                  FidacUndo           *undo,
                                  GError             **error);

/* Whether `brush` may write over a voxel that holds `current` (paint-over rule, locks and
 * mode; not the footprint nor the HU limit). */
gboolean fidac_brush_can_write   (const FidacBrush    *brush,
                                  guint8               current);

G_END_DECLS
