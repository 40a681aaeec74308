/* test-paint.c: brush and eraser footprints, strokes, HU limits, paint-over rules, locks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Expected voxel sets come from hand formulas (lattice points in a circle or sphere) or
 * from a brute-force loop over every voxel written here from the definition in
 * fidac-paint.h, independently of the brush's bounding-box walk.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "fidac-label-map.h"
#include "fidac-test-support.h"
#include "fidac-lesion.h"
#include "fidac-paint.h"
#include "fidac-phantom.h"
#include "fidac-undo.h"

/* A grid whose voxel `center` lies at patient (0, 0, 0). */
static FidacVolume *
make_grid (const gint    dims[3],
           const gdouble spacing[3],
           const gdouble axis_i[3],
           const gdouble axis_j[3],
           const gdouble axis_k[3],
           const gint    center[3])
{
  g_autoptr(GError) error = NULL;
  FidacVolume *volume = fidac_volume_new (dims[0], dims[1], dims[2], &error);
  gdouble origin[3];

  g_assert_no_error (error);
  for (gint c = 0; c < 3; c++)
    origin[c] = -(center[0] * spacing[0] * axis_i[c] + center[1] * spacing[1] * axis_j[c] +
                  center[2] * spacing[2] * axis_k[c]);
  g_assert_true (fidac_volume_set_geometry (volume, origin, axis_i, axis_j, axis_k, spacing,
                                            &error));
  g_assert_no_error (error);
  memset (volume->voxels, 0, fidac_volume_n_voxels (volume) * sizeof (gint16));
  return volume;
}

static FidacVolume *
make_straight_grid (gint n, gdouble si, gdouble sj, gdouble sk)
{
  const gint dims[3] = { n, n, n }, center[3] = { n / 2, n / 2, n / 2 };
  const gdouble spacing[3] = { si, sj, sk };
  const gdouble x[3] = { 1, 0, 0 }, y[3] = { 0, 1, 0 }, z[3] = { 0, 0, 1 };

  return make_grid (dims, spacing, x, y, z, center);
}

static gsize
n_voxels (const FidacLabelMap *map)
{
  return (gsize) map->dims[0] * map->dims[1] * map->dims[2];
}

/* The dirty flags are set exactly on the slices that differ from `before` (the flags
 * having been cleared when `before` was taken). */
static void
assert_dirty_exact (const FidacLabelMap *map,
                    const guint8        *before)
{
  gsize slice = (gsize) map->dims[0] * map->dims[1];

  for (gint k = 0; k < map->dims[2]; k++)
    {
      gboolean differs = memcmp (map->labels + slice * k, before + slice * k, slice) != 0;

      g_assert_cmpint (map->dirty[k] != 0, ==, differs);
    }
}

/* The definition of fidac-paint.h, voxel by voxel. */
static gboolean
in_footprint (const FidacVolume *volume,
              const FidacBrush  *brush,
              const gdouble      a[3],
              const gdouble      b[3],
              gint               i,
              gint               j,
              gint               k)
{
  gdouble voxel[3] = { i, j, k }, p[3], q[3], s[3], t = 0, dist2 = 0;
  gdouble r = brush->diameter / 2;

  fidac_volume_voxel_to_patient (volume, voxel, p);
  for (gint c = 0; c < 3; c++)
    {
      q[c] = p[c] - a[c];
      s[c] = b[c] - a[c];
    }
  if (brush->shape == FIDAC_BRUSH_DISC)
    {
      gdouble n[3], len = sqrt (fidac_vec3_dot (brush->normal, brush->normal)), h = 0, d, sn;

      for (gint c = 0; c < 3; c++)
        n[c] = brush->normal[c] / len;
      for (gint axis = 0; axis < 3; axis++)
        h += 0.5 * volume->spacing[axis] * fabs (fidac_vec3_dot (n, volume->axis[axis]));
      d = fidac_vec3_dot (q, n);
      if (!(d >= -h - 1e-6 && d < h - 1e-6))
        return FALSE;
      sn = fidac_vec3_dot (s, n);
      for (gint c = 0; c < 3; c++)
        {
          q[c] -= d * n[c];
          s[c] -= sn * n[c];
        }
    }
  if (fidac_vec3_dot (s, s) > 0)
    t = CLAMP (fidac_vec3_dot (q, s) / fidac_vec3_dot (s, s), 0.0, 1.0);
  for (gint c = 0; c < 3; c++)
    dist2 += (q[c] - t * s[c]) * (q[c] - t * s[c]);
  return dist2 <= r * r * (1 + 1e-9);
}

/* Fills `mask` (one byte per voxel) with the footprint; returns its voxel count. */
static gsize
brute_footprint (const FidacVolume *volume,
                 const FidacBrush  *brush,
                 const gdouble      a[3],
                 const gdouble      b[3],
                 guint8            *mask)
{
  gsize count = 0, index = 0;

  for (gint k = 0; k < volume->dims[2]; k++)
    for (gint j = 0; j < volume->dims[1]; j++)
      for (gint i = 0; i < volume->dims[0]; i++, index++)
        if (in_footprint (volume, brush, a, b, i, j, k))
          {
            if (mask != NULL)
              mask[index] = 1;
            count++;
          }
  return count;
}

static gsize
count_label (const FidacLabelMap *map, guint8 label)
{
  gsize count = 0;

  for (gsize n = 0; n < n_voxels (map); n++)
    count += map->labels[n] == label;
  return count;
}

static gssize
paint (FidacLabelMap     *map,
       const FidacVolume *volume,
       const FidacBrush  *brush,
       const gdouble      a[3],
       const gdouble      b[3])
{
  g_autoptr(GError) error = NULL;
  gssize changed = fidac_paint_segment (map, volume, brush, a, b, NULL, &error);

  g_assert_no_error (error);
  fidac_test_assert_label_counts (map);
  return changed;
}

/* Lattice points (a, b, c) with (a sa)² + (b sb)² + (c sc)² <= r², by hand; a zero
 * spacing drops that axis (a disc). */
static gsize
lattice_count (gdouble sa, gdouble sb, gdouble sc, gdouble r)
{
  gsize count = 0;
  gint na = sa > 0 ? (gint) (r / sa) + 1 : 0;
  gint nb = sb > 0 ? (gint) (r / sb) + 1 : 0;
  gint nc = sc > 0 ? (gint) (r / sc) + 1 : 0;

  for (gint a = -na; a <= na; a++)
    for (gint b = -nb; b <= nb; b++)
      for (gint c = -nc; c <= nc; c++)
        {
          gdouble x = a * sa, y = b * sb, z = c * sc;

          if (x * x + y * y + z * z <= r * r * (1 + 1e-9))
            count++;
        }
  return count;
}

static void
test_dab_isotropic (void)
{
  g_autoptr(FidacVolume) volume = make_straight_grid (31, 1, 1, 1);
  const gdouble origin[3] = { 0, 0, 0 };
  const gdouble normals[3][3] = { { 0, 0, 1 }, { 0, 1, 0 }, { 1, 0, 0 } };
  FidacBrush brush;

  fidac_brush_init (&brush);
  g_assert_cmpfloat (brush.diameter, ==, 10.0);

  /* Lattice points of a circle and a ball of radius 5: 81 and 515. */
  for (gint v = 0; v < 3; v++)
    {
      g_autoptr(FidacLabelMap) map = fidac_test_label_map_new (volume);

      memcpy (brush.normal, normals[v], sizeof brush.normal);
      g_assert_cmpint (paint (map, volume, &brush, origin, origin), ==, 81);
      g_assert_cmpuint (count_label (map, 1), ==, 81);
      g_assert_cmpuint (brute_footprint (volume, &brush, origin, origin, NULL), ==, 81);
      /* In one slice, row or column: voxel 15 along the normal. */
      for (gsize n = 0; n < n_voxels (map); n++)
        if (map->labels[n] != 0)
          {
            gint ijk[3] = { n % 31, (n / 31) % 31, n / (31 * 31) };

            g_assert_cmpint (ijk[2 - v], ==, 15);
          }
    }

  {
    g_autoptr(FidacLabelMap) map = fidac_test_label_map_new (volume);

    brush.shape = FIDAC_BRUSH_SPHERE;
    g_assert_cmpint (paint (map, volume, &brush, origin, origin), ==, 515);
    g_assert_cmpuint (lattice_count (1, 1, 1, 5), ==, 515);
    /* Slices 10 .. 20, dirty exactly there. */
    for (gint k = 0; k < 31; k++)
      g_assert_cmpint (map->dirty[k], ==, k >= 10 && k <= 20);
  }

  /* Half-way between two slices the disc takes one of them, not both. */
  {
    g_autoptr(FidacLabelMap) map = fidac_test_label_map_new (volume);
    const gdouble between[3] = { 0, 0, 0.5 };

    brush.shape = FIDAC_BRUSH_DISC;
    memcpy (brush.normal, normals[0], sizeof brush.normal);
    g_assert_cmpint (paint (map, volume, &brush, between, between), ==, 81);
    g_assert_cmpuint (fidac_label_map_slice_count (map, 15, 1), ==, 81);
  }
}

static void
test_dab_anisotropic (void)
{
  g_autoptr(FidacVolume) volume = make_straight_grid (41, 0.7, 0.7, 2.5);
  const gdouble origin[3] = { 0, 0, 0 };
  const gdouble off[3] = { 0.23, -0.31, 0.77 };
  const gdouble normals[3][3] = { { 0, 0, 1 }, { 0, 1, 0 }, { 1, 0, 0 } };
  FidacBrush brush;

  fidac_brush_init (&brush);

  /* Axial: a circle of 0.7 mm pixels; coronal and sagittal: an ellipse of 0.7 × 2.5. */
  {
    const gsize expected[3] = {
      lattice_count (0.7, 0.7, 0, 5), lattice_count (0.7, 0, 2.5, 5),
      lattice_count (0, 0.7, 2.5, 5),
    };

    g_assert_cmpuint (expected[0], ==, 161);
    for (gint v = 0; v < 3; v++)
      {
        g_autoptr(FidacLabelMap) map = fidac_test_label_map_new (volume);

        memcpy (brush.normal, normals[v], sizeof brush.normal);
        g_assert_cmpint (paint (map, volume, &brush, origin, origin), ==, expected[v]);
      }
  }

  /* The ball: 5 slices (the poles at exactly 5 mm are in). */
  {
    g_autoptr(FidacLabelMap) map = fidac_test_label_map_new (volume);
    gsize expected = lattice_count (0.7, 0.7, 2.5, 5);

    brush.shape = FIDAC_BRUSH_SPHERE;
    g_assert_cmpint (paint (map, volume, &brush, origin, origin), ==, expected);
    g_assert_cmpuint (brute_footprint (volume, &brush, origin, origin, NULL), ==, expected);
    g_assert_cmpuint (fidac_label_map_slice_count (map, 20 - 2, 1), ==, 1);
    g_assert_cmpuint (fidac_label_map_slice_count (map, 20 + 2, 1), ==, 1);
    g_assert_cmpuint (fidac_label_map_slice_count (map, 20 - 3, 1), ==, 0);
  }

  /* Off-centre, sizes from 0.5 to 23 mm, against brute force, voxel by voxel. */
  for (gint shape = 0; shape < 2; shape++)
    for (gdouble d = 0.5; d < 24; d += 3.75)
      {
        g_autoptr(FidacLabelMap) map = fidac_test_label_map_new (volume);
        g_autofree guint8 *mask = g_malloc0 (n_voxels (map));
        gsize expected;

        brush.shape = shape ? FIDAC_BRUSH_SPHERE : FIDAC_BRUSH_DISC;
        brush.diameter = d;
        memcpy (brush.normal, normals[1], sizeof brush.normal);
        expected = brute_footprint (volume, &brush, off, off, mask);
        g_assert_cmpint (paint (map, volume, &brush, off, off), ==, expected);
        g_assert_cmpmem (map->labels, n_voxels (map), mask, n_voxels (map));
      }
}

/* Oblique planes on an oblique, sheared grid: voxel for voxel the definition, and the
 * layer the disc paints has no hole (every voxel whose cell the plane cuts near the
 * centre is painted). */
static void
test_dab_oblique (void)
{
  const gint dims[3] = { 33, 29, 25 }, center[3] = { 16, 14, 12 };
  const gdouble spacing[3] = { 0.8, 0.9, 2.0 };
  const gdouble c30 = cos (G_PI / 6), s30 = sin (G_PI / 6);
  /* Rotated 30° about z, then the slices sheared by a 15° gantry tilt. */
  const gdouble ax_i[3] = { c30, s30, 0 }, ax_j[3] = { -s30, c30, 0 };
  const gdouble ax_k[3] = { 0, sin (G_PI / 12), cos (G_PI / 12) };
  g_autoptr(FidacVolume) volume = make_grid (dims, spacing, ax_i, ax_j, ax_k, center);
  const gdouble normals[3][3] = { { 1, 1, 1 }, { 0, 0.3, 1 }, { 1, -2, 0.5 } };
  const gdouble points[2][3] = { { 0.1, 0.2, 0.3 }, { -1.3, 2.2, 0.9 } };
  FidacBrush brush;

  fidac_brush_init (&brush);
  brush.diameter = 9;
  for (gint v = 0; v < 3; v++)
    for (gint p = 0; p < 2; p++)
      for (gint shape = 0; shape < 2; shape++)
        {
          g_autoptr(FidacLabelMap) map = fidac_test_label_map_new (volume);
          g_autofree guint8 *mask = g_malloc0 (n_voxels (map));
          gsize expected;

          brush.shape = shape ? FIDAC_BRUSH_SPHERE : FIDAC_BRUSH_DISC;
          memcpy (brush.normal, normals[v], sizeof brush.normal);
          expected = brute_footprint (volume, &brush, points[p], points[p], mask);
          g_assert_cmpuint (expected, >, 20);
          g_assert_cmpint (paint (map, volume, &brush, points[p], points[p]), ==, expected);
          g_assert_cmpmem (map->labels, n_voxels (map), mask, n_voxels (map));

          if (!shape)
            {
              /* Points of the plane within 2.6 mm of the centre: their voxel is painted (its centre
               * is within half a cell diagonal, 1.85 mm, of the point, so inside the disc). */
              gdouble n[3], u[3], w[3], len = fidac_vec3_norm (normals[v]);

              for (gint c = 0; c < 3; c++)
                n[c] = normals[v][c] / len;
              fidac_vec3_cross (n, fabs (n[0]) < 0.9 ? (gdouble[3]) { 1, 0, 0 } :
                                (gdouble[3]) { 0, 1, 0 }, u);
              len = fidac_vec3_norm (u);
              for (gint c = 0; c < 3; c++)
                u[c] /= len;
              fidac_vec3_cross (n, u, w);
              for (gdouble x = -2.6; x <= 2.6; x += 0.05)
                for (gdouble y = -2.6; y <= 2.6; y += 0.05)
                  {
                    gdouble q[3], vox[3];

                    if (x * x + y * y > 2.6 * 2.6)
                      continue;
                    for (gint c = 0; c < 3; c++)
                      q[c] = points[p][c] + x * u[c] + y * w[c];
                    fidac_volume_patient_to_voxel (volume, q, vox);
                    g_assert_cmpuint (fidac_label_map_get (map, (gint) lround (vox[0]),
                                                           (gint) lround (vox[1]),
                                                           (gint) lround (vox[2])), ==, 1);
                  }
            }
        }
}

/* Two dabs 30 mm apart leave a gap; the segment between them paints the whole capsule. */
static void
test_stroke (void)
{
  g_autoptr(FidacVolume) volume = make_straight_grid (61, 0.7, 0.7, 1.25);
  const gdouble a[3] = { -12.1, -9.3, 0.2 }, b[3] = { 14.9, 11.2, 0.2 };
  const gdouble c[3] = { 15.3, -8.4, 3.1 };
  FidacBrush brush;

  fidac_brush_init (&brush);
  brush.diameter = 6;
  for (gint shape = 0; shape < 2; shape++)
    {
      g_autoptr(FidacLabelMap) dabs = fidac_test_label_map_new (volume);
      g_autoptr(FidacLabelMap) stroke = fidac_test_label_map_new (volume);
      g_autofree guint8 *mask = g_malloc0 (n_voxels (stroke));
      gsize dab_a, dab_b, expected;
      gssize first, second;

      brush.shape = shape ? FIDAC_BRUSH_SPHERE : FIDAC_BRUSH_DISC;
      dab_a = paint (dabs, volume, &brush, a, a);
      dab_b = paint (dabs, volume, &brush, b, b);
      g_assert_cmpuint (count_label (dabs, 1), ==, dab_a + dab_b);

      first = paint (stroke, volume, &brush, a, b);
      expected = brute_footprint (volume, &brush, a, b, mask);
      g_assert_cmpint (first, ==, expected);
      g_assert_cmpmem (stroke->labels, n_voxels (stroke), mask, n_voxels (stroke));
      g_assert_cmpuint (expected, >, 4 * (dab_a + dab_b));
      /* The dabs at both ends are inside the stroke. */
      for (gsize n = 0; n < n_voxels (stroke); n++)
        if (dabs->labels[n])
          g_assert_cmpuint (stroke->labels[n], ==, 1);
      /* No gap: the voxel of every point along the way is painted. */
      for (gdouble t = 0; t <= 1; t += 0.001)
        {
          gdouble p[3], vox[3];

          for (gint x = 0; x < 3; x++)
            p[x] = a[x] + t * (b[x] - a[x]);
          fidac_volume_patient_to_voxel (volume, p, vox);
          g_assert_cmpuint (fidac_label_map_get (stroke, (gint) lround (vox[0]),
                                                 (gint) lround (vox[1]),
                                                 (gint) lround (vox[2])), ==, 1);
        }

      /* A second segment b -> c: the union of both capsules, each voxel counted once. For
       * the disc, the second segment lies in the plane through b (z = 0.2): c is
       * projected onto it. */
      second = paint (stroke, volume, &brush, b, c);
      expected = brute_footprint (volume, &brush, b, c, mask);
      g_assert_cmpmem (stroke->labels, n_voxels (stroke), mask, n_voxels (stroke));
      g_assert_cmpuint (first + second, ==, count_label (stroke, 1));
      g_assert_cmpuint (count_label (stroke, 1), <, first + expected);
    }
}

static const FidacVolume *
phantom (void)
{
  static FidacVolume *volume;

  if (volume == NULL)
    {
      FidacPhantomOptions options;
      g_autoptr(GError) error = NULL;

      fidac_phantom_options_init (&options);
      volume = fidac_phantom_new (&options, &error);
      g_assert_no_error (error);
    }
  return volume;
}

/* A ground-glass stroke limited to the catalog's range over a phantom lesion paints
 * exactly the lesion's voxels: not the lung around it, not the vessels. */
static void
test_hu_limit_phantom (void)
{
  const FidacVolume *volume = phantom ();
  const FidacLesionClass *ggo = fidac_lesion_get (FIDAC_LESION_GROUND_GLASS);
  const FidacPhantomLesion *lesions;
  g_autofree guint8 *truth = g_malloc (fidac_volume_n_voxels (volume));
  g_autoptr(GError) error = NULL;
  FidacBrush brush;
  guint n_lesions;

  lesions = fidac_phantom_lesions (&n_lesions);
  g_assert_true (fidac_phantom_fill_lesion_labels (volume, truth,
                                                   fidac_volume_n_voxels (volume), &error));
  g_assert_no_error (error);

  fidac_brush_init (&brush);
  brush.label = FIDAC_LESION_GROUND_GLASS;
  brush.hu_limit = TRUE;
  brush.hu_min = ggo->hu_min;
  brush.hu_max = ggo->hu_max;

  for (guint l = 0; l < n_lesions; l++)
    {
      const FidacPhantomLesion *lesion = &lesions[l];
      g_autoptr(FidacLabelMap) map = NULL;
      gdouble from[3], to[3];
      gsize expected = 0, index = 0;
      gssize changed;

      if (lesion->lesion_class != FIDAC_PHANTOM_LESION_GROUND_GLASS)
        continue;

      /* 3D: a stroke of a sphere wider than the lesion, across it. */
      map = fidac_test_label_map_new (volume);
      brush.shape = FIDAC_BRUSH_SPHERE;
      brush.diameter = 2 * lesion->radius + 6;
      memcpy (from, lesion->center, sizeof from);
      memcpy (to, lesion->center, sizeof to);
      from[2] -= 2;
      to[2] += 2;
      changed = paint (map, volume, &brush, from, to);
      g_assert_cmpint (changed, ==, fidac_phantom_lesion_voxel_count (volume, l));
      for (gsize n = 0; n < n_voxels (map); n++)
        g_assert_cmpuint (map->labels[n], ==, truth[n] == FIDAC_LESION_GROUND_GLASS &&
                          in_footprint (volume, &brush, from, to, n % 256, (n / 256) % 256,
                                        n / 65536) ? 1 : 0);
      g_test_message ("lesion %u: %" G_GSSIZE_FORMAT " voxels", l, changed);

      /* Without the limit the same stroke paints lung and lesion. */
      brush.hu_limit = FALSE;
      g_assert_cmpint (paint (map, volume, &brush, from, to), >, changed);
      brush.hu_limit = TRUE;

      /* 2D: an axial disc through the centre paints the lesion's voxels of that slice. */
      g_clear_pointer (&map, fidac_label_map_unref);
      map = fidac_test_label_map_new (volume);
      brush.shape = FIDAC_BRUSH_DISC;
      changed = paint (map, volume, &brush, lesion->center, lesion->center);
      for (gint k = 0; k < volume->dims[2]; k++)
        for (gint j = 0; j < volume->dims[1]; j++)
          for (gint i = 0; i < volume->dims[0]; i++, index++)
            {
              gboolean in = truth[index] == FIDAC_LESION_GROUND_GLASS &&
                in_footprint (volume, &brush, lesion->center, lesion->center, i, j, k);

              g_assert_cmpuint (map->labels[index], ==, in ? 1 : 0);
              expected += in;
            }
      g_assert_cmpint (changed, ==, expected);
      g_assert_cmpint (changed, >, 50);
    }
}

/* A 6 × 6 × 6 grid prefilled with classes 0..3 in a pattern. */
static FidacLabelMap *
patterned_map (const FidacVolume *volume)
{
  FidacLabelMap *map = fidac_test_label_map_new (volume);

  for (gsize n = 0; n < n_voxels (map); n++)
    map->labels[n] = (guint8) ((n * 7 + n / 5) % 4);
  fidac_label_map_touch (map, 0, map->dims[2] - 1);
  fidac_label_map_clear_dirty (map);
  return map;
}

static guint8
expected_value (const FidacBrush *brush,
                guint8            current)
{
  gboolean locked_current = current != 0 && (brush->locked & (1u << current));
  gboolean locked_label = (brush->locked & (1u << brush->label)) != 0;

  switch (brush->mode)
    {
    case FIDAC_PAINT_DRAW:
      if (locked_label || locked_current)
        return current;
      if (current == 0 || brush->over == FIDAC_PAINT_OVER_ALL ||
          (brush->over == FIDAC_PAINT_OVER_CLASS && current == brush->over_label))
        return brush->label;
      return current;
    case FIDAC_PAINT_ERASE_CLASS:
      return current == brush->label && !locked_label ? 0 : current;
    case FIDAC_PAINT_ERASE_ALL:
      return locked_current ? current : 0;
    default:
      g_assert_not_reached ();
    }
}

static void
test_rules (void)
{
  g_autoptr(FidacVolume) volume = make_straight_grid (16, 1, 1, 1);
  const gdouble a[3] = { -2.5, 0.3, -1 }, b[3] = { 3.1, -0.7, 2 };
  const struct { FidacPaintMode mode; FidacPaintOver over; guint8 over_label; guint32 locked; }
  cases[] = {
    { FIDAC_PAINT_DRAW, FIDAC_PAINT_OVER_EMPTY, 0, 0 },
    { FIDAC_PAINT_DRAW, FIDAC_PAINT_OVER_ALL, 0, 0 },
    { FIDAC_PAINT_DRAW, FIDAC_PAINT_OVER_CLASS, 2, 0 },
    { FIDAC_PAINT_DRAW, FIDAC_PAINT_OVER_CLASS, 3, 0 },
    { FIDAC_PAINT_DRAW, FIDAC_PAINT_OVER_ALL, 0, 1u << 3 },
    { FIDAC_PAINT_DRAW, FIDAC_PAINT_OVER_CLASS, 3, 1u << 3 },
    { FIDAC_PAINT_DRAW, FIDAC_PAINT_OVER_ALL, 0, 1u << 1 },         /* the active class */
    { FIDAC_PAINT_ERASE_CLASS, FIDAC_PAINT_OVER_EMPTY, 0, 0 },
    { FIDAC_PAINT_ERASE_CLASS, FIDAC_PAINT_OVER_EMPTY, 0, 1u << 1 },
    { FIDAC_PAINT_ERASE_ALL, FIDAC_PAINT_OVER_EMPTY, 0, 0 },
    { FIDAC_PAINT_ERASE_ALL, FIDAC_PAINT_OVER_EMPTY, 0, (1u << 2) | (1u << 3) },
  };

  for (guint t = 0; t < G_N_ELEMENTS (cases); t++)
    for (gint shape = 0; shape < 2; shape++)
      {
        g_autoptr(FidacLabelMap) map = patterned_map (volume);
        g_autofree guint8 *before = g_memdup2 (map->labels, n_voxels (map));
        g_autofree guint8 *mask = g_malloc0 (n_voxels (map));
        FidacBrush brush;
        gsize expected_changes = 0;
        gssize changed;

        fidac_brush_init (&brush);
        brush.label = 1;
        brush.mode = cases[t].mode;
        brush.over = cases[t].over;
        brush.over_label = cases[t].over_label;
        brush.locked = cases[t].locked;
        brush.shape = shape ? FIDAC_BRUSH_SPHERE : FIDAC_BRUSH_DISC;
        brush.diameter = 7;
        brute_footprint (volume, &brush, a, b, mask);

        changed = paint (map, volume, &brush, a, b);
        for (gsize n = 0; n < n_voxels (map); n++)
          {
            guint8 want = mask[n] ? expected_value (&brush, before[n]) : before[n];

            g_assert_cmpuint (map->labels[n], ==, want);
            if (mask[n])
              g_assert_cmpint (fidac_brush_can_write (&brush, before[n]), ==,
                               want != before[n]);
            expected_changes += want != before[n];
          }
        g_assert_cmpint (changed, ==, expected_changes);
        if (brush.locked & (1u << 1) && brush.mode != FIDAC_PAINT_ERASE_ALL)
          g_assert_cmpint (changed, ==, 0);
        else
          g_assert_cmpint (changed, >, 0);
        assert_dirty_exact (map, before);
      }
}

/* The HU limit applies to the eraser too: erasing within -600..-500 leaves the rest. */
static void
test_erase_hu_limit (void)
{
  g_autoptr(FidacVolume) volume = make_straight_grid (16, 1, 1, 1);
  g_autoptr(FidacLabelMap) map = fidac_test_label_map_new (volume);
  const gdouble center[3] = { 0, 0, 0 };
  FidacBrush brush;
  gsize painted, odd = 0;

  for (gsize n = 0; n < fidac_volume_n_voxels (volume); n++)
    volume->voxels[n] = n % 2 ? -550 : -850;
  fidac_brush_init (&brush);
  brush.shape = FIDAC_BRUSH_SPHERE;
  painted = paint (map, volume, &brush, center, center);
  g_assert_cmpuint (painted, ==, 515);
  brush.mode = FIDAC_PAINT_ERASE_CLASS;
  brush.hu_limit = TRUE;
  brush.hu_min = -600;
  brush.hu_max = -500;
  /* Index parity is the parity of i (16 columns): the ball's points with an odd offset
   * along i (the centre voxel is i = 8) are the -550 ones. */
  for (gint a = -5; a <= 5; a++)
    for (gint b = -5; b <= 5; b++)
      for (gint c = -5; c <= 5; c++)
        if (a * a + b * b + c * c <= 25 && (a % 2 != 0))
          odd++;
  g_assert_cmpuint (odd, ==, 238);
  g_assert_cmpint (paint (map, volume, &brush, center, center), ==, odd);
  for (gsize n = 0; n < n_voxels (map); n++)
    if (map->labels[n])
      g_assert_cmpint (volume->voxels[n], ==, -850);
  g_assert_cmpuint (count_label (map, 1), ==, 515 - odd);
}

static void
test_invalid (void)
{
  g_autoptr(FidacVolume) volume = make_straight_grid (8, 1, 1, 1);
  g_autoptr(FidacVolume) other = make_straight_grid (9, 1, 1, 1);
  g_autoptr(FidacLabelMap) map = fidac_test_label_map_new (volume);
  const gdouble p[3] = { 0, 0, 0 }, nan_point[3] = { NAN, 0, 0 };
  FidacBrush good, bad;
  fidac_brush_init (&good);
  g_assert_true (fidac_brush_validate (&good, NULL));

  for (gint c = 0; c < 9; c++)
    {
      g_autoptr(GError) error = NULL;

      bad = good;
      switch (c)
        {
        case 0: bad.diameter = 0; break;
        case 1: bad.diameter = NAN; break;
        case 2: bad.diameter = 600; break;
        case 3: bad.label = 0; break;
        case 4: bad.label = FIDAC_LABEL_MAX_CLASSES; break;
        case 5: bad.normal[0] = bad.normal[1] = bad.normal[2] = 0; break;
        case 6: bad.hu_limit = TRUE; bad.hu_min = 10; bad.hu_max = -10; break;
        case 7: bad.over = FIDAC_PAINT_OVER_CLASS; bad.over_label = 200; break;
        case 8: bad.mode = 17; break;
        }
      g_assert_cmpint (fidac_paint_dab (map, volume, &bad, p, NULL, &error), ==, -1);
      g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (fidac_paint_dab (map, other, &good, p, NULL, &error), ==, -1);
    g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpint (fidac_paint_dab (map, volume, &good, nan_point, NULL, &error), ==, -1);
    g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  }
  g_assert_cmpuint (count_label (map, 0), ==, n_voxels (map));
  g_assert_false (fidac_label_map_get_dirty (map, NULL, NULL));

  /* Erasing everything needs no class; a brush far outside the grid changes nothing. */
  {
    const gdouble far[3] = { 1e12, -1e12, 3e11 };

    bad = good;
    bad.mode = FIDAC_PAINT_ERASE_ALL;
    bad.label = 0;
    g_assert_true (fidac_brush_validate (&bad, NULL));
    g_assert_cmpint (fidac_paint_segment (map, volume, &good, far, p, NULL, NULL), >=, 0);
    g_assert_cmpint (fidac_paint_dab (map, volume, &good, far, NULL, NULL), ==, 0);
  }
}

/* A stroke through the history: undone it leaves the map as before, redone as after. */
static void
test_stroke_undo (void)
{
  g_autoptr(FidacVolume) volume = make_straight_grid (40, 0.7, 0.7, 2.5);
  g_autoptr(FidacLabelMap) map = patterned_map (volume);
  g_autoptr(FidacUndo) undo = fidac_undo_new (map, 100, 0);
  g_autofree guint8 *before = g_memdup2 (map->labels, n_voxels (map));
  g_autofree guint8 *after = NULL;
  const gdouble points[4][3] = { { -9, -9, -20 }, { 8, -3, 0 }, { 2, 11, 10 }, { 10, 10, 30 } };
  FidacBrush brush;
  gssize total = 0;
  gint k0, k1;

  fidac_brush_init (&brush);
  brush.shape = FIDAC_BRUSH_SPHERE;
  brush.over = FIDAC_PAINT_OVER_ALL;
  brush.label = 5;
  g_assert_true (fidac_undo_begin (undo));
  for (gint p = 0; p < 3; p++)
    total += fidac_paint_segment (map, volume, &brush, points[p], points[p + 1], undo, NULL);
  g_assert_true (fidac_undo_end (undo, &k0, &k1));
  g_assert_cmpint (total, >, 0);
  fidac_test_assert_label_counts (map);
  after = g_memdup2 (map->labels, n_voxels (map));
  g_assert_cmpuint (fidac_undo_n_undo (undo), ==, 1);
  /* The step's slices are those that differ; the stroke spans z -25 .. 35 mm, slices
   * 10 .. 34 at most, and the sphere's poles miss the voxel centres. */
  {
    gsize slice = 40 * 40;
    gint first = -1, last = -1;

    for (gint k = 0; k < 40; k++)
      if (memcmp (before + slice * k, after + slice * k, slice) != 0)
        {
          if (first < 0)
            first = k;
          last = k;
        }
    g_assert_cmpint (first, ==, 11);
    g_assert_cmpint (last, ==, 33);
  }
  g_assert_cmpint (k0, ==, 11);
  g_assert_cmpint (k1, ==, 33);

  g_assert_true (fidac_undo_undo (undo, &k0, &k1));
  g_assert_cmpmem (map->labels, n_voxels (map), before, n_voxels (map));
  fidac_test_assert_label_counts (map);
  g_assert_cmpint (k0, ==, 11);
  g_assert_cmpint (k1, ==, 33);
  g_assert_true (fidac_undo_redo (undo, NULL, NULL));
  g_assert_cmpmem (map->labels, n_voxels (map), after, n_voxels (map));
  fidac_test_assert_label_counts (map);

  /* Without an open step a segment is a step of its own. */
  brush.label = 6;
  g_assert_cmpint (fidac_paint_dab (map, volume, &brush, points[0], undo, NULL), >, 0);
  g_assert_cmpuint (fidac_undo_n_undo (undo), ==, 2);
  g_assert_false (fidac_undo_is_open (undo));
  g_assert_true (fidac_undo_undo (undo, NULL, NULL));
  g_assert_cmpmem (map->labels, n_voxels (map), after, n_voxels (map));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fidac/paint/dab-isotropic", test_dab_isotropic);
  g_test_add_func ("/fidac/paint/dab-anisotropic", test_dab_anisotropic);
  g_test_add_func ("/fidac/paint/dab-oblique", test_dab_oblique);
  g_test_add_func ("/fidac/paint/stroke", test_stroke);
  g_test_add_func ("/fidac/paint/hu-limit-phantom", test_hu_limit_phantom);
  g_test_add_func ("/fidac/paint/rules", test_rules);
  g_test_add_func ("/fidac/paint/erase-hu-limit", test_erase_hu_limit);
  g_test_add_func ("/fidac/paint/invalid", test_invalid);
  g_test_add_func ("/fidac/paint/stroke-undo", test_stroke_undo);

  return g_test_run ();
}
