/* fidac-fill.h: filling and editing the label map (region growing, polygon, islands, clear).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every operation writes through fidac_label_map_set(), so the label map's per-slice counts
 * and dirty flags stay exact, and records each voxel it changes in `undo` when not NULL
 * (a history of this map): in its open step, or in a step of its own when none is open, so
 * one fill is one undo step and a leak into the whole lung is undone at once. The voxels
 * are written in increasing index order where the operation allows it (region growing,
 * islands, slices k), so the undo runs stay few. An `undo` of another map is an error.
 *
 * Slices of the volume: `axis` names the voxel axis a slice is perpendicular to, so axis 2
 * is the slice k (axial for an axial acquisition), axis 1 the slice j, axis 0 the slice i.
 * In-slice coordinates (u, v) are the two other voxel indices in increasing order:
 * axis 2 → (i, j), axis 1 → (i, k), axis 0 → (j, k).
 */
#pragma once

#include <glib.h>

#include "fidac-label-map.h"
#include "fidac-paint.h"
#include "fidac-undo.h"
#include "fidac-volume.h"

G_BEGIN_DECLS

/* How a fill writes: the class, the paint-over rule (the brush's, fidac-paint.h), the locks
 * and an optional HU limit. A voxel whose class is locked is never changed, whatever the
 * rule; writing a locked class is refused with an error. */
typedef struct {
  guint8         label;         /* class written, 1 .. FIDAC_LABEL_MAX_CLASSES - 1 */
  FidacPaintOver over;
  guint8         over_label;    /* with FIDAC_PAINT_OVER_CLASS */
  guint32        locked;        /* bit c set: class c is locked */
  gboolean       hu_limit;      /* only voxels whose HU lies in [hu_min, hu_max] */
  gint           hu_min;
  gint           hu_max;
} FidacFillRule;

/* label, FIDAC_PAINT_OVER_EMPTY, nothing locked, no HU limit. */
void     fidac_fill_rule_init          (FidacFillRule       *rule,
                                        guint8               label);
/* The class, paint-over rule, locks and HU limit of the tool panel's brush. */
void     fidac_fill_rule_from_brush    (FidacFillRule       *rule,
                                        const FidacBrush    *brush);

/* Whether `rule` lets a voxel holding `current` (and of HU `hu`) become rule->label. */
gboolean fidac_fill_rule_allows        (const FidacFillRule *rule,
                                        guint8               current,
                                        gint                 hu);

/* The voxel axis (0, 1 or 2) whose slices lie closest to the plane of a view of normal
 * `normal` (patient coordinates, any length): a 2D fill in that view works on that slice. */
gint     fidac_fill_axis_for_normal    (const FidacVolume   *volume,
                                        const gdouble        normal[3]);

/* The volume of one voxel in mm³ (sheared grids included): fidac_volume_voxel_mm3(). */
gdouble  fidac_fill_voxel_mm3          (const FidacVolume   *volume);

/* The voxel nearest to patient point `patient` (mm); FALSE when it lies outside the grid. */
gboolean fidac_fill_seed_from_patient  (const FidacVolume   *volume,
                                        const gdouble        patient[3],
                                        gint                 seed[3]);

/* The number of whole voxels in `ml` millilitres (at least 1): a fill bound given as a
 * volume, for fidac_fill_region(). */
guint64  fidac_fill_voxels_for_ml      (const FidacVolume   *volume,
                                        gdouble              ml);

typedef struct {
  guint64  n_region;            /* voxels the operation reached (region, polygon, islands) */
  guint64  n_changed;           /* voxels whose label changed */
  gboolean bounded;             /* region growing stopped at max_voxels */
} FidacFillResult;

/* Region growing from `seed` (voxel indices). The region holds the voxels connected to the
 * seed whose HU lies in [hu_min, hu_max] (and in the rule's HU limit, if any) and that the
 * rule lets change or that already hold rule->label: other classes the rule protects are
 * walls. axis -1 grows in 3D, 6-connected (faces); axis 0, 1 or 2 grows only in the slice
 * through the seed perpendicular to that axis, 4-connected (edges). The growth is
 * breadth-first, so with max_voxels > 0 it stops at exactly max_voxels voxels nearest to
 * the seed (in steps) and sets result->bounded: a leak into the whole lung is written
 * bounded, reported, and undone as one step. A seed outside the HU range changes nothing.
 * FALSE with an error for a seed outside the grid, a bad axis or range, a locked class.
 * A click in a view: seed = the nearest voxel (fidac_fill_seed_from_patient()), axis =
 * fidac_fill_axis_for_normal() for a 2D fill, range = seed HU ± tolerance or a class's
 * HU hint. */
gboolean fidac_fill_region             (FidacLabelMap       *map,
                                        const FidacVolume   *volume,
                                        const gint           seed[3],
                                        gint                 axis,
                                        gint                 hu_min,
                                        gint                 hu_max,
                                        guint64              max_voxels,
                                        const FidacFillRule *rule,
                                        FidacUndo           *undo,
                                        FidacFillResult     *result,
                                        GError             **error);

typedef enum {
  FIDAC_POLYGON_EVEN_ODD,       /* crossings counted: self-overlaps leave holes */
  FIDAC_POLYGON_NONZERO,        /* winding number: a lasso looping over itself stays full */
} FidacPolygonRule;

/* Fills the voxels of slice `slice` (perpendicular to `axis`) whose centre (u, v) lies inside
 * the closed polygon of `n_points` points `uv` (u0, v0, u1, v1, …, in voxel coordinates of
 * the slice; the last point joins the first). Edges follow the usual half-open convention
 * so that polygons sharing an edge never both take a voxel: a centre exactly on an edge
 * belongs to the polygon when the inside lies to its right (+u) or below it (+v), so the
 * square with corners (0, 0) and (4, 4) holds the 16 centres u, v ∈ 0 .. 3. Points outside
 * the slice are fine (clipped). FALSE with an error for fewer than 3 points, a bad axis or
 * slice, a locked class. */
gboolean fidac_fill_polygon            (FidacLabelMap       *map,
                                        const FidacVolume   *volume,
                                        gint                 axis,
                                        gint                 slice,
                                        const gdouble       *uv,
                                        guint                n_points,
                                        FidacPolygonRule     polygon_rule,
                                        const FidacFillRule *rule,
                                        FidacUndo           *undo,
                                        FidacFillResult     *result,
                                        GError             **error);

/* Removes (sets to none) the connected components of `label` whose volume is under
 * `min_mm3`; connectivity 6 (faces) or 26 (faces, edges and corners). With `keep_largest`,
 * every component but the largest goes, whatever min_mm3 (the first found in index order
 * wins a tie). result->n_region counts the components kept, n_changed the voxels removed.
 * FALSE with an error for a bad label or connectivity, a locked class, or memory. */
gboolean fidac_fill_remove_islands     (FidacLabelMap       *map,
                                        const FidacVolume   *volume,
                                        guint8               label,
                                        gdouble              min_mm3,
                                        gint                 connectivity,
                                        gboolean             keep_largest,
                                        guint32              locked,
                                        FidacUndo           *undo,
                                        FidacFillResult     *result,
                                        GError             **error);

/* Clears slice `slice` (perpendicular to `axis`): voxels of `label`, or of every class when
 * label is FIDAC_LABEL_NONE; locked classes stay. Returns the number of voxels cleared,
 * -1 with an error for a bad axis, slice or label. */
gint64   fidac_fill_clear_slice        (FidacLabelMap       *map,
                                        gint                 axis,
                                        gint                 slice,
                                        guint8               label,
                                        guint32              locked,
                                        FidacUndo           *undo,
                                        GError             **error);

/* Clears `label` in the whole map (slices without it are skipped by their counts).
 * Returns the number of voxels cleared, -1 with an error for a bad or locked label. */
gint64   fidac_fill_clear_class        (FidacLabelMap       *map,
                                        guint8               label,
                                        guint32              locked,
                                        FidacUndo           *undo,
                                        GError             **error);

G_END_DECLS
