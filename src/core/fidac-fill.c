/* fidac-fill.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "fidac-fill.h"

void
fidac_fill_rule_init (FidacFillRule *rule,
                      guint8         label)
{
  g_return_if_fail (rule != NULL);

  memset (rule, 0, sizeof *rule);
  rule->label = label;
  rule->over = FIDAC_PAINT_OVER_EMPTY;
}

void
fidac_fill_rule_from_brush (FidacFillRule    *rule,
                            const FidacBrush *brush)
{
  g_return_if_fail (rule != NULL);
  g_return_if_fail (brush != NULL);

  fidac_fill_rule_init (rule, brush->label);
  rule->over = brush->over;
  rule->over_label = brush->over_label;
  rule->locked = brush->locked;
  rule->hu_limit = brush->hu_limit;
  rule->hu_min = brush->hu_min;
  rule->hu_max = brush->hu_max;
}

static inline gboolean
is_locked (guint32 locked,
           guint8  label)
{
  return label != FIDAC_LABEL_NONE && (locked & (1u << label)) != 0;
}

gboolean
fidac_fill_rule_allows (const FidacFillRule *rule,
                        guint8               current,
                        gint                 hu)
{
  g_return_val_if_fail (rule != NULL, FALSE);

  if (current == rule->label || is_locked (rule->locked, current))
    return FALSE;
  if (rule->hu_limit && (hu < rule->hu_min || hu > rule->hu_max))
    return FALSE;
  switch (rule->over)
    {
    case FIDAC_PAINT_OVER_EMPTY:
      return current == FIDAC_LABEL_NONE;
    case FIDAC_PAINT_OVER_ALL:
      return TRUE;
    case FIDAC_PAINT_OVER_CLASS:
      return current == FIDAC_LABEL_NONE || current == rule->over_label;
    default:
      return FALSE;
    }
}

gint
fidac_fill_axis_for_normal (const FidacVolume *volume,
                            const gdouble      normal[3])
{
  gdouble best = -1.0;
  gint axis = 2;

  g_return_val_if_fail (volume != NULL, 2);
  g_return_val_if_fail (normal != NULL, 2);

  /* The slice perpendicular to voxel axis a is spanned by the two other axes; on a tilted
   * grid their cross product, not axis a itself, is that slice's normal. */
  for (gint a = 0; a < 3; a++)
    {
      gdouble n[3], len, d;

      fidac_vec3_cross (volume->axis[(a + 1) % 3], volume->axis[(a + 2) % 3], n);
      len = fidac_vec3_norm (n) * fidac_vec3_norm (normal);
      if (len <= 0.0)
        continue;
      d = fabs (fidac_vec3_dot (n, normal)) / len;
      if (d > best + 1e-9)
        {
          best = d;
          axis = a;
        }
    }
  return axis;
}

gdouble
fidac_fill_voxel_mm3 (const FidacVolume *volume)
{
  g_return_val_if_fail (volume != NULL, 0.0);

  return fidac_volume_voxel_mm3 (volume);
}

gboolean
fidac_fill_seed_from_patient (const FidacVolume *volume,
                              const gdouble      patient[3],
                              gint               seed[3])
{
  gdouble v[3];

  g_return_val_if_fail (volume != NULL, FALSE);
  g_return_val_if_fail (patient != NULL && seed != NULL, FALSE);

  fidac_volume_patient_to_voxel (volume, patient, v);
  for (gint a = 0; a < 3; a++)
    {
      /* Voxel centres are at integers: the cell of voxel n is [n - 0.5, n + 0.5). */
      gdouble n = floor (v[a] + 0.5);

      if (!(n >= 0.0 && n < volume->dims[a]))
        return FALSE;
      seed[a] = (gint) n;
    }
  return TRUE;
}

guint64
fidac_fill_voxels_for_ml (const FidacVolume *volume,
                          gdouble            ml)
{
  gdouble voxel, n;

  g_return_val_if_fail (volume != NULL, 1);

  voxel = fidac_fill_voxel_mm3 (volume);
  if (!(ml > 0.0) || !(voxel > 0.0))
    return 1;
  /* A hair above the exact quotient: 10 mL of 0.1 mL voxels is 100 voxels, not 99. */
  n = floor (ml * 1000.0 / voxel * (1.0 + 1e-12));
  return n >= (gdouble) G_MAXUINT64 ? G_MAXUINT64 : MAX ((guint64) n, 1);
}

static gboolean
check_grid (const FidacLabelMap *map,
            const FidacVolume   *volume,
            GError             **error)
{
  if (volume != NULL && memcmp (map->dims, volume->dims, sizeof map->dims) != 0)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("The label map (%d × %d × %d) is not on the volume's grid (%d × %d × %d)"),
                   map->dims[0], map->dims[1], map->dims[2],
                   volume->dims[0], volume->dims[1], volume->dims[2]);
      return FALSE;
    }
  /* Queues hold 32-bit indices: half the memory on the largest fills. */
  if ((guint64) map->dims[0] * map->dims[1] * map->dims[2] > G_MAXUINT32)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("The label map is too large to edit (%d × %d × %d voxels)"),
                   map->dims[0], map->dims[1], map->dims[2]);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_label (guint8   label,
             guint32  locked,
             gboolean none_allowed,
             GError **error)
{
  if (label >= FIDAC_LABEL_MAX_CLASSES || (!none_allowed && label == FIDAC_LABEL_NONE))
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("%u is not a lesion class"), label);
      return FALSE;
    }
  if (is_locked (locked, label))
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("The class is locked: unlock it to edit it"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_slice (const FidacLabelMap *map,
             gint                 axis,
             gint                 slice,
             GError             **error)
{
  if (axis < 0 || axis > 2)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("%d is not a slice axis (0, 1 or 2)"), axis);
      return FALSE;
    }
  if (slice < 0 || slice >= map->dims[axis])
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Slice %d is outside the volume (0 to %d)"), slice, map->dims[axis] - 1);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_undo (const FidacLabelMap *map,
            FidacUndo           *undo,
            GError             **error)
{
  if (undo != NULL && fidac_undo_get_map (undo) != map)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("The undo history belongs to another label map"));
      return FALSE;
    }
  return TRUE;
}

/* Without an open step the operation is a step of its own: the history never misses a
 * change, and a whole fill is undone at once. */
static gboolean
undo_begin (FidacUndo *undo)
{
  return undo != NULL && !fidac_undo_is_open (undo) && fidac_undo_begin (undo);
}

static void
undo_end (FidacUndo *undo,
          gboolean   own)
{
  if (own)
    fidac_undo_end (undo, NULL, NULL);
}

/* Writes one voxel given by its coordinates and index, recording the change. */
static inline gboolean
write_voxel (FidacLabelMap *map,
             gint           i,
             gint           j,
             gint           k,
             gsize          index,
             guint8         value,
             FidacUndo     *undo)
{
  guint8 before = map->labels[index];

  if (before == value)
    return FALSE;
  fidac_label_map_set (map, i, j, k, value);
  if (undo != NULL)
    fidac_undo_record (undo, index, 1, before, value);
  return TRUE;
}

/* A FIFO of 32-bit voxel indices that only grows: the region's voxels are its history. */
typedef struct {
  guint32 *items;
  gsize    len;
  gsize    alloc;
  gsize    head;
} Queue;

static gboolean
queue_push (Queue   *q,
            guint32  index)
{
  if (q->len == q->alloc)
    {
      gsize alloc = MAX (q->alloc * 2, 4096);
      guint32 *items = g_try_renew (guint32, q->items, alloc);

      if (items == NULL)
        return FALSE;
      q->items = items;
      q->alloc = alloc;
    }
  q->items[q->len++] = index;
  return TRUE;
}

static void
queue_clear (Queue *q)
{
  g_clear_pointer (&q->items, g_free);
  q->len = q->alloc = q->head = 0;
}

static void
set_oom (GError **error)
{
  g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
               _("Not enough memory to fill this region"));
}

#define BIT_GET(bits, n) (((bits)[(n) >> 3] >> ((n) & 7)) & 1)
#define BIT_SET(bits, n) ((bits)[(n) >> 3] |= (guint8) (1u << ((n) & 7)))

typedef struct {
  FidacLabelMap       *map;
  const FidacVolume   *volume;
  const FidacFillRule *rule;
  gint                 hu_min;
  gint                 hu_max;
} RegionTest;

/* Whether voxel `index` belongs to the region: in the HU range, and either writable or
 * already of the class (painted voxels are walked through, not walls). */
static inline gboolean
region_accepts (const RegionTest *t,
                gsize             index)
{
  gint hu = t->volume->voxels[index];
  guint8 current = t->map->labels[index];

  if (hu < t->hu_min || hu > t->hu_max)
    return FALSE;
  if (t->rule->hu_limit && (hu < t->rule->hu_min || hu > t->rule->hu_max))
    return FALSE;
  return current == t->rule->label || fidac_fill_rule_allows (t->rule, current, hu);
}

gboolean
fidac_fill_region (FidacLabelMap         *map,
                   const FidacVolume     *volume,
                   const gint             seed[3],
                   gint                   axis,
                   gint                   hu_min,
                   gint                   hu_max,
                   guint64                max_voxels,
                   const FidacFillRule   *rule,
                   FidacUndo             *undo,
                   FidacFillResult       *result,
                   GError               **error)
{
  const gint *dims;
  RegionTest test;
  Queue queue = { 0 };
  g_autofree guint8 *visited = NULL;
  gint lo[3], hi[3], rlo[3], rhi[3];
  gsize sx, sy, nx, ny, nz, n_bits, seed_index;
  FidacFillResult r = { 0 };
  gboolean ok = TRUE, own_step;

  g_return_val_if_fail (map != NULL, FALSE);
  g_return_val_if_fail (volume != NULL, FALSE);
  g_return_val_if_fail (seed != NULL, FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (result != NULL)
    *result = r;
  if (!check_grid (map, volume, error) || !check_undo (map, undo, error) ||
      !check_label (rule->label, rule->locked, FALSE, error))
    return FALSE;
  dims = map->dims;
  if (axis < -1 || axis > 2)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("%d is not a slice axis (0, 1 or 2)"), axis);
      return FALSE;
    }
  if (seed[0] < 0 || seed[1] < 0 || seed[2] < 0 ||
      seed[0] >= dims[0] || seed[1] >= dims[1] || seed[2] >= dims[2])
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("The fill starts outside the volume (%d, %d, %d)"),
                   seed[0], seed[1], seed[2]);
      return FALSE;
    }
  if (hu_min > hu_max)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Empty HU range %d to %d"), hu_min, hu_max);
      return FALSE;
    }

  test = (RegionTest) { map, volume, rule, hu_min, hu_max };
  seed_index = fidac_label_map_index (map, seed[0], seed[1], seed[2]);
  if (!region_accepts (&test, seed_index))
    return TRUE;

  /* The box the growth may visit: the whole grid, or the seed's slice. The visited bits
   * cover only that box, so a 2D fill on a big volume costs a slice, not the volume. */
  for (gint a = 0; a < 3; a++)
    {
      lo[a] = a == axis ? seed[a] : 0;
      hi[a] = a == axis ? seed[a] : dims[a] - 1;
    }
  nx = hi[0] - lo[0] + 1;
  ny = hi[1] - lo[1] + 1;
  nz = hi[2] - lo[2] + 1;
  sx = (gsize) dims[0];
  sy = (gsize) dims[0] * dims[1];
  n_bits = nx * ny * nz;
  visited = g_try_malloc0 ((n_bits + 7) / 8);
  if (visited == NULL)
    {
      set_oom (error);
      return FALSE;
    }

#define BOX_BIT(i, j, k) \
  ((((gsize) ((k) - lo[2]) * ny) + (gsize) ((j) - lo[1])) * nx + (gsize) ((i) - lo[0]))

  BIT_SET (visited, BOX_BIT (seed[0], seed[1], seed[2]));
  if (!queue_push (&queue, (guint32) seed_index))
    {
      set_oom (error);
      return FALSE;
    }
  r.n_region = 1;
  if (max_voxels > 0 && r.n_region >= max_voxels)
    r.bounded = TRUE;
  for (gint a = 0; a < 3; a++)
    rlo[a] = rhi[a] = seed[a];

  /* Grow first, write after: the visited bits are then exactly the region, and writing
   * them in index order gives the undo history long runs instead of one per voxel. */
  while (queue.head < queue.len && !r.bounded)
    {
      gsize index = queue.items[queue.head++];
      gint k = (gint) (index / sy);
      gint j = (gint) ((index % sy) / sx);
      gint i = (gint) (index % sx);
      static const gint steps[6][3] = {
        { -1, 0, 0 }, { 1, 0, 0 }, { 0, -1, 0 }, { 0, 1, 0 }, { 0, 0, -1 }, { 0, 0, 1 },
      };

      for (guint s = 0; s < G_N_ELEMENTS (steps) && !r.bounded; s++)
        {
          gint ni = i + steps[s][0], nj = j + steps[s][1], nk = k + steps[s][2];
          gsize bit, nindex;

          if (ni < lo[0] || ni > hi[0] || nj < lo[1] || nj > hi[1] || nk < lo[2] || nk > hi[2])
            continue;
          bit = BOX_BIT (ni, nj, nk);
          if (BIT_GET (visited, bit))
            continue;
          nindex = (gsize) nk * sy + (gsize) nj * sx + (gsize) ni;
          if (!region_accepts (&test, nindex))
            continue;
          /* Only accepted voxels are marked: a refused one may be refused again cheaply,
           * and marking it would cost as much as testing it. */
          BIT_SET (visited, bit);
          if (!queue_push (&queue, (guint32) nindex))
            {
              visited[bit >> 3] &= (guint8) ~(1u << (bit & 7));
              ok = FALSE;
              r.bounded = TRUE;   /* write what was accepted, then report */
              break;
            }
          r.n_region++;
          rlo[0] = MIN (rlo[0], ni), rhi[0] = MAX (rhi[0], ni);
          rlo[1] = MIN (rlo[1], nj), rhi[1] = MAX (rhi[1], nj);
          rlo[2] = MIN (rlo[2], nk), rhi[2] = MAX (rhi[2], nk);
          if (max_voxels > 0 && r.n_region >= max_voxels)
            r.bounded = TRUE;
        }
    }
  queue_clear (&queue);

  own_step = undo_begin (undo);
  for (gint k = rlo[2]; k <= rhi[2]; k++)
    for (gint j = rlo[1]; j <= rhi[1]; j++)
      {
        gsize bit = BOX_BIT (rlo[0], j, k);
        gsize index = fidac_label_map_index (map, rlo[0], j, k);

        for (gint i = rlo[0]; i <= rhi[0]; i++, bit++, index++)
          {
            /* Whole bytes of unvisited voxels are skipped: much of the box, mostly. */
            if ((bit & 7) == 0 && visited[bit >> 3] == 0 && i + 7 <= rhi[0])
              {
                i += 7, bit += 7, index += 7;
                continue;
              }
            if (BIT_GET (visited, bit) &&
                write_voxel (map, i, j, k, index, rule->label, undo))
              r.n_changed++;
          }
      }
  undo_end (undo, own_step);
#undef BOX_BIT

  if (result != NULL)
    *result = r;
  if (!ok)
    {
      set_oom (error);
      return FALSE;
    }
  return TRUE;
}

/* Slice (axis, slice) in-slice coordinates (u, v) to voxel coordinates. */
static inline void
slice_to_voxel (gint axis,
                gint slice,
                gint u,
                gint v,
                gint ijk[3])
{
  switch (axis)
    {
    case 0:
      ijk[0] = slice, ijk[1] = u, ijk[2] = v;
      break;
    case 1:
      ijk[0] = u, ijk[1] = slice, ijk[2] = v;
      break;
    default:
      ijk[0] = u, ijk[1] = v, ijk[2] = slice;
      break;
    }
}

static void
slice_dims (const FidacLabelMap *map,
            gint                 axis,
            gint                *nu,
            gint                *nv)
{
  *nu = axis == 0 ? map->dims[1] : map->dims[0];
  *nv = axis == 2 ? map->dims[1] : map->dims[2];
}

typedef struct {
  gdouble x;
  gint    dir;
} Crossing;

static int
crossing_compare (const void *a,
                  const void *b)
{
  gdouble xa = ((const Crossing *) a)->x, xb = ((const Crossing *) b)->x;

  return xa < xb ? -1 : xa > xb ? 1 : 0;
}

gboolean
fidac_fill_polygon (FidacLabelMap         *map,
                    const FidacVolume     *volume,
                    gint                   axis,
                    gint                   slice,
                    const gdouble         *uv,
                    guint                  n_points,
                    FidacPolygonRule       polygon_rule,
                    const FidacFillRule   *rule,
                    FidacUndo             *undo,
                    FidacFillResult       *result,
                    GError               **error)
{
  g_autofree Crossing *crossings = NULL;
  FidacFillResult r = { 0 };
  gdouble vmin = G_MAXDOUBLE, vmax = -G_MAXDOUBLE;
  gint nu, nv, v0, v1;
  gboolean own_step;

  g_return_val_if_fail (map != NULL, FALSE);
  g_return_val_if_fail (volume != NULL, FALSE);
  g_return_val_if_fail (uv != NULL || n_points == 0, FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (result != NULL)
    *result = r;
  if (!check_grid (map, volume, error) || !check_undo (map, undo, error) ||
      !check_slice (map, axis, slice, error) ||
      !check_label (rule->label, rule->locked, FALSE, error))
    return FALSE;
  if (n_points < 3)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("A polygon needs at least 3 points, not %u"), n_points);
      return FALSE;
    }
  for (guint p = 0; p < n_points; p++)
    {
      if (!isfinite (uv[2 * p]) || !isfinite (uv[2 * p + 1]))
        {
          g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                       _("Polygon point %u is not a number"), p + 1);
          return FALSE;
        }
      vmin = MIN (vmin, uv[2 * p + 1]);
      vmax = MAX (vmax, uv[2 * p + 1]);
    }

  slice_dims (map, axis, &nu, &nv);
  /* Clamped before the conversion: a point far outside must not overflow an int. */
  v0 = (gint) CLAMP (ceil (vmin), 0.0, (gdouble) nv);
  v1 = (gint) CLAMP (floor (vmax), -1.0, (gdouble) (nv - 1));
  crossings = g_new (Crossing, n_points);

  own_step = undo_begin (undo);
  for (gint v = v0; v <= v1; v++)
    {
      guint n = 0;
      gint suffix = 0, count = 0;

      /* Each edge covers the rows in [ymin, ymax): a vertex shared by two edges counts
       * once, and the bottom edge of a shape takes no row. */
      for (guint p = 0; p < n_points; p++)
        {
          const gdouble *a = uv + 2 * p, *b = uv + 2 * ((p + 1) % n_points);

          if ((a[1] <= v && v < b[1]) || (b[1] <= v && v < a[1]))
            {
              crossings[n].x = a[0] + (v - a[1]) * (b[0] - a[0]) / (b[1] - a[1]);
              crossings[n].dir = b[1] > a[1] ? 1 : -1;
              n++;
            }
        }
      if (n == 0)
        continue;
      qsort (crossings, n, sizeof (Crossing), crossing_compare);

      /* A centre u is inside by the crossings to its right (x > u): walk them from the
       * right, keeping their count and winding. Between crossings m - 1 and m the centres
       * u in [x[m-1], x[m]) see crossings m .. n - 1. */
      for (gint m = (gint) n - 1; m >= 1; m--)
        {
          gboolean inside;
          gdouble ua, ub;
          gint u_lo, u_hi;

          suffix += crossings[m].dir;
          count++;
          inside = polygon_rule == FIDAC_POLYGON_NONZERO ? suffix != 0 : (count & 1) != 0;
          if (!inside)
            continue;
          ua = ceil (crossings[m - 1].x);
          ub = ceil (crossings[m].x) - 1.0;
          u_lo = (gint) CLAMP (ua, 0.0, (gdouble) nu);
          u_hi = (gint) CLAMP (ub, -1.0, (gdouble) (nu - 1));
          for (gint u = u_lo; u <= u_hi; u++)
            {
              gint ijk[3];
              gsize index;

              slice_to_voxel (axis, slice, u, v, ijk);
              index = fidac_label_map_index (map, ijk[0], ijk[1], ijk[2]);
              r.n_region++;
              if (!fidac_fill_rule_allows (rule, map->labels[index], volume->voxels[index]))
                continue;
              if (write_voxel (map, ijk[0], ijk[1], ijk[2], index, rule->label,
                               undo))
                r.n_changed++;
            }
        }
    }
  undo_end (undo, own_step);

  if (result != NULL)
    *result = r;
  return TRUE;
}

/* Offsets of the 26 neighbours; the first 6 are the faces. */
static const gint neighbours[26][3] = {
  { -1, 0, 0 }, { 1, 0, 0 }, { 0, -1, 0 }, { 0, 1, 0 }, { 0, 0, -1 }, { 0, 0, 1 },
  { -1, -1, 0 }, { 1, -1, 0 }, { -1, 1, 0 }, { 1, 1, 0 },
  { -1, 0, -1 }, { 1, 0, -1 }, { 0, -1, -1 }, { 0, 1, -1 },
  { -1, 0, 1 }, { 1, 0, 1 }, { 0, -1, 1 }, { 0, 1, 1 },
  { -1, -1, -1 }, { 1, -1, -1 }, { -1, 1, -1 }, { 1, 1, -1 },
  { -1, -1, 1 }, { 1, -1, 1 }, { -1, 1, 1 }, { 1, 1, 1 },
};

/* Collects the component of `label` holding `start` into `queue` (from its start),
 * marking it visited. FALSE when memory runs out. */
static gboolean
collect_component (const FidacLabelMap *map,
                   guint8               label,
                   gsize                start,
                   guint                n_neighbours,
                   guint8              *visited,
                   Queue               *queue)
{
  gsize sx = (gsize) map->dims[0], sy = sx * map->dims[1];

  queue->len = queue->head = 0;
  BIT_SET (visited, start);
  if (!queue_push (queue, (guint32) start))
    return FALSE;
  while (queue->head < queue->len)
    {
      gsize index = queue->items[queue->head++];
      gint k = (gint) (index / sy);
      gint j = (gint) ((index % sy) / sx);
      gint i = (gint) (index % sx);

      for (guint s = 0; s < n_neighbours; s++)
        {
          gint ni = i + neighbours[s][0], nj = j + neighbours[s][1], nk = k + neighbours[s][2];
          gsize nindex;

          if (ni < 0 || nj < 0 || nk < 0 ||
              ni >= map->dims[0] || nj >= map->dims[1] || nk >= map->dims[2])
            continue;
          nindex = (gsize) nk * sy + (gsize) nj * sx + (gsize) ni;
          if (map->labels[nindex] != label || BIT_GET (visited, nindex))
            continue;
          BIT_SET (visited, nindex);
          if (!queue_push (queue, (guint32) nindex))
            return FALSE;
        }
    }
  return TRUE;
}

static int
index_compare (const void *a,
               const void *b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

/* Clears a component in index order: long undo runs. */
static void
clear_queued (FidacLabelMap   *map,
              Queue           *queue,
              FidacUndo       *undo,
              FidacFillResult *r)
{
  gsize sx = (gsize) map->dims[0], sy = sx * map->dims[1];

  qsort (queue->items, queue->len, sizeof (guint32), index_compare);
  for (gsize q = 0; q < queue->len; q++)
    {
      gsize index = queue->items[q];

      if (write_voxel (map, (gint) (index % sx), (gint) ((index % sy) / sx), (gint) (index / sy),
                       index, FIDAC_LABEL_NONE, undo))
        r->n_changed++;
    }
}

gboolean
fidac_fill_remove_islands (FidacLabelMap         *map,
                           const FidacVolume     *volume,
                           guint8                 label,
                           gdouble                min_mm3,
                           gint                   connectivity,
                           gboolean               keep_largest,
                           guint32                locked,
                           FidacUndo             *undo,
                           FidacFillResult       *result,
                           GError               **error)
{
  g_autofree guint8 *visited = NULL;
  Queue queue = { 0 };
  FidacFillResult r = { 0 };
  gsize slice_voxels, n_voxels, largest_start = 0, largest_size = 0;
  gdouble voxel_mm3;
  guint n_neighbours;
  gboolean own_step;

  g_return_val_if_fail (map != NULL, FALSE);
  g_return_val_if_fail (volume != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (result != NULL)
    *result = r;
  if (!check_grid (map, volume, error) || !check_undo (map, undo, error) ||
      !check_label (label, locked, FALSE, error))
    return FALSE;
  if (connectivity != 6 && connectivity != 26)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Connectivity %d is neither 6 nor 26"), connectivity);
      return FALSE;
    }
  if (!(min_mm3 >= 0.0))
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Invalid minimum island volume"));
      return FALSE;
    }

  n_neighbours = (guint) connectivity;
  slice_voxels = (gsize) map->dims[0] * map->dims[1];
  n_voxels = slice_voxels * map->dims[2];
  voxel_mm3 = fidac_fill_voxel_mm3 (volume);
  visited = g_try_malloc0 ((n_voxels + 7) / 8);
  if (visited == NULL)
    {
      set_oom (error);
      return FALSE;
    }

  own_step = undo_begin (undo);
  /* With keep_largest, a first pass finds the largest component (by its first voxel);
   * the second pass removes all others. Otherwise one pass removes the small ones as it
   * finds them. Slices without the class are skipped by their counts. */
  for (gint pass = keep_largest ? 0 : 1; pass < 2; pass++)
    {
      if (pass == 1 && keep_largest)
        memset (visited, 0, (n_voxels + 7) / 8);
      for (gint k = 0; k < map->dims[2]; k++)
        {
          if (fidac_label_map_slice_count (map, k, label) == 0)
            continue;
          for (gsize index = slice_voxels * k; index < slice_voxels * (k + 1); index++)
            {
              gboolean keep;

              if (map->labels[index] != label || BIT_GET (visited, index))
                continue;
              if (!collect_component (map, label, index, n_neighbours, visited, &queue))
                {
                  queue_clear (&queue);
                  undo_end (undo, own_step);
                  set_oom (error);
                  if (result != NULL)
                    *result = r;
                  return FALSE;
                }
              if (pass == 0)
                {
                  if (queue.len > largest_size)
                    {
                      largest_size = queue.len;
                      largest_start = index;
                    }
                  continue;
                }
              keep = keep_largest ? index == largest_start : queue.len * voxel_mm3 >= min_mm3;
              if (keep)
                r.n_region++;
              else
                clear_queued (map, &queue, undo, &r);
            }
        }
    }

  queue_clear (&queue);
  undo_end (undo, own_step);
  if (result != NULL)
    *result = r;
  return TRUE;
}

gint64
fidac_fill_clear_slice (FidacLabelMap         *map,
                        gint                   axis,
                        gint                   slice,
                        guint8                 label,
                        guint32                locked,
                        FidacUndo             *undo,
                        GError               **error)
{
  gint64 cleared = 0;
  gint nu, nv;
  gboolean own_step;

  g_return_val_if_fail (map != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (!check_undo (map, undo, error) || !check_slice (map, axis, slice, error) ||
      !check_label (label, locked, TRUE, error))
    return -1;
  if (axis == 2 && fidac_label_map_slice_count (map, slice, FIDAC_LABEL_NONE) ==
                   (guint32) ((gsize) map->dims[0] * map->dims[1]))
    return 0;

  slice_dims (map, axis, &nu, &nv);
  own_step = undo_begin (undo);
  for (gint v = 0; v < nv; v++)
    {
      gint ijk[3];

      slice_to_voxel (axis, slice, 0, v, ijk);
      /* A slice i or j cuts every slice k: those without any class are skipped. */
      if (axis != 2 && fidac_label_map_slice_count (map, ijk[2], FIDAC_LABEL_NONE) ==
                       (guint32) ((gsize) map->dims[0] * map->dims[1]))
        continue;
      for (gint u = 0; u < nu; u++)
        {
          gsize index;
          guint8 current;

          slice_to_voxel (axis, slice, u, v, ijk);
          index = fidac_label_map_index (map, ijk[0], ijk[1], ijk[2]);
          current = map->labels[index];
          if (current == FIDAC_LABEL_NONE || is_locked (locked, current) ||
              (label != FIDAC_LABEL_NONE && current != label))
            continue;
          if (write_voxel (map, ijk[0], ijk[1], ijk[2], index, FIDAC_LABEL_NONE,
                           undo))
            cleared++;
        }
    }
  undo_end (undo, own_step);
  return cleared;
}

gint64
fidac_fill_clear_class (FidacLabelMap         *map,
                        guint8                 label,
                        guint32                locked,
                        FidacUndo             *undo,
                        GError               **error)
{
  gint64 cleared = 0;
  gsize slice_voxels;
  gboolean own_step;

  g_return_val_if_fail (map != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (!check_undo (map, undo, error) || !check_label (label, locked, FALSE, error))
    return -1;

  slice_voxels = (gsize) map->dims[0] * map->dims[1];
  own_step = undo_begin (undo);
  for (gint k = 0; k < map->dims[2]; k++)
    {
      guint32 left = fidac_label_map_slice_count (map, k, label);

      for (gsize index = slice_voxels * k; left > 0 && index < slice_voxels * (k + 1); index++)
        {
          if (map->labels[index] != label)
            continue;
          write_voxel (map, (gint) (index % map->dims[0]),
                       (gint) ((index % slice_voxels) / map->dims[0]), k,
                       index, FIDAC_LABEL_NONE, undo);
          cleared++;
          left--;
        }
    }
  undo_end (undo, own_step);
  return cleared;
}
