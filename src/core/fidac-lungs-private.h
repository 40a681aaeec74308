/* fidac-lungs-private.h: the grid operations behind fidac-lungs.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Linear-time building blocks on uint8 masks and float distance maps laid out like a
 * FidacVolume (i fastest): a parallel loop, the Euclidean distance transform and
 * 6-connected components. Not API: only the lung segmentation uses them.
 */
#pragma once

#include <glib.h>

#include "fidac-lungs.h"
#include "fidac-volume.h"

G_BEGIN_DECLS

#define INF_DIST 1e20f          /* no feature: distance maps start here */

extern const gint fidac_lungs_nb6[6][3];

static inline gsize
cell_index (const gint n[3], gint i, gint j, gint k)
{
  return ((gsize) k * n[1] + j) * n[0] + i;
}

static inline void
cell_ijk (const gint n[3], gsize c, gint *i, gint *j, gint *k)
{
  *i = c % n[0];
  *j = (c / n[0]) % n[1];
  *k = c / ((gsize) n[0] * n[1]);
}

typedef void (*RangeFunc) (gpointer data, gint start, gint end);

/* Calls func over [0, n) in chunks of `chunk`, on every processor (up to 8 threads). */
void  fidac_lungs_parallel_for (gint      n,
                                gint      chunk,
                                RangeFunc func,
                                gpointer  data);

/* `d` holds 0 on the features and INF_DIST elsewhere; it receives the squared distance in
 * mm² to the nearest feature (INF_DIST when there is none), along the first `n_axes`
 * axes only (2: in each slice). */
void  fidac_lungs_edt_axes     (gfloat        *d,
                                const gint     n[3],
                                const gdouble  mm[3],
                                gint           n_axes);
void  fidac_lungs_edt          (gfloat        *d,
                                const gint     n[3],
                                const gdouble  mm[3]);

/* Labels the nonzero cells of `mask` 1..N, 6-connected; sizes (guint64) receives the size
 * of each component (sizes[0] = 0). Returns N. */
gint  fidac_lungs_components   (const guint8  *mask,
                                const gint     n[3],
                                gint32        *labels,
                                GArray        *sizes);

/* ---- the coarse grid of fidac-lungs.c ---- */

#define AIR_HU        (-400)    /* aerated lung and most ground glass below, tissue above */
#define FAT_MIN_HU    (-190)    /* fat: never taken in by the closing */
#define FAT_MAX_HU    (-30)
#define LUMEN_HU      (-900)    /* airway lumen (-1000) but not the parenchyma (-850) */
#define CELL_MM       2.5       /* target size of a coarse cell */
#define CLOSE_MM      6.0       /* closing everywhere: vessels, bronchial walls */
#define BRIDGE_MM     100.0     /* gaps bridged along the chest wall: lesions on the pleura */
#define WALL_RADIUS_MM 150.0    /* the chest wall's curve, for the depth of a bridge */
#define REACH_MM      100.0     /* "along the chest wall": this far from the skin, in plane
                                 * (arms held down beside the chest count as wall) */
#define BRIDGE_DEPTH_MM 4.0     /* a bridge runs along the wall: no deeper than its ends */
#define WALL_MM       5.0       /* airway wall (and partial cells) removed around the lumen */
#define TRACHEA_X_MM  30.0      /* trachea seed: this close to the body's midline */
#define BRONCHI_X_MM  55.0      /* main bronchi and hilum: this far from the trachea's axis */
#define SIDE_MM       15.0      /* a component spans both sides beyond this off midline */
#define MIN_LUNG_ML   50.0
#define MIN_EXTENT_MM 60.0

enum {
  CELL_AIR = 1 << 0,
  CELL_OUTSIDE = 1 << 1,
  CELL_AIRWAY = 1 << 2,         /* lumen of the trachea and main bronchi */
  CELL_AIRWAY_ZONE = 1 << 3,    /* lumen and wall */
  CELL_BRIDGE = 1 << 4,         /* added by a bridge along the pleura */
};

/* Codes of a coarse cell for the refinement at full resolution. */
enum {
  CODE_NONE = 0,
  CODE_INSIDE = 0,              /* + FidacLung: every voxel of the cell */
  CODE_EDGE = FIDAC_LUNG_N,     /* + FidacLung: the air voxels of the cell */
  CODE_AIRWAY = 2 * FIDAC_LUNG_N + 1,
  CODE_LEAN = CODE_AIRWAY,      /* + FidacLung: the voxels of the cell that are not fat */
  CODE_SHELL = CODE_LEAN + FIDAC_LUNG_N, /* + FidacLung: like CODE_EDGE, and its dense voxels
                                          * may close the lung's outline (beside a bridge) */
};

#define SHELL_MAX_HU  150       /* a lesion's densest (bone is denser) */
#define SHELL_DEPTH_MM 2.5      /* a chord across a lesion on the pleura: no deeper than its
                                 * ends, give or take a cell */

typedef struct {
  const FidacVolume *volume;
  gint     f[3];                /* voxels per cell along each axis */
  gint     n[3];                /* cells along each axis */
  gsize    n_cells;
  gdouble  mm[3];               /* size of a cell */
  gdouble  cell_ml;
  gdouble  px[4];               /* patient x of a cell centre: px[0] + i px[1] + j px[2] + k px[3] */
  gint16  *hu;                  /* mean HU */
  guint8  *flags;
  guint8  *lung;                /* FidacLung per cell */
  guint8  *code;
  gfloat  *skin;                /* squared distance to the air outside, in plane */
  gint    *shell_box;           /* per slice of cells: i0, j0, i1, j1 of its CODE_SHELL cells */
  gdouble  midline_x;
  gint     airway_voxels;       /* atomic */
  gint     shell_voxels;        /* atomic: what closing the outline across lesions added */
} Grid;

static inline gdouble
cell_x (const Grid *g, gint i, gint j, gint k)
{
  return g->px[0] + i * g->px[1] + j * g->px[2] + k * g->px[3];
}

static inline gboolean
inside_air (const Grid *g, gsize c)
{
  return (g->flags[c] & (CELL_AIR | CELL_OUTSIDE)) == CELL_AIR;
}

typedef struct {
  gint lo[3];                   /* grid position of the box's cell (0, 0, 0) */
  gint n[3];
} Box;

static inline gboolean
box_to_grid (const Grid *g, const Box *box, gint i, gint j, gint k, gsize *c)
{
  gint a = box->lo[0] + i, b = box->lo[1] + j, o = box->lo[2] + k;

  if (a < 0 || b < 0 || o < 0 || a >= g->n[0] || b >= g->n[1] || o >= g->n[2])
    return FALSE;
  *c = cell_index (g->n, a, b, o);
  return TRUE;
}

/* The bounding box of the cells of `lung` equal to `value`, widened by `margin` cells. */
void  fidac_lungs_box          (const Grid    *g,
                                const guint8  *lung,
                                guint8         value,
                                const gint     margin[3],
                                Box           *box);

/* Per lung: closing, bridges along the pleura, holes; writes g->lung. */
void  fidac_lungs_close        (Grid          *g);

/* The refinement at full resolution: the grid and the mask it writes. */
typedef struct {
  Grid          *g;
  FidacLabelMap *map;
} Refine;

/* fidac_lungs_parallel_for() body over slices [start, end): chords across the dense
 * voxels of CODE_SHELL cells close the lung's outline down to the chest wall (data: a
 * Refine, after the first refinement). */
void  fidac_lungs_shell_range  (gpointer       data,
                                gint           start,
                                gint           end);

G_END_DECLS
