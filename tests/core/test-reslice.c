/* test-reslice.c: the CPU reslicer against stored slices, the analytic phantom and
 * synthetic volumes whose every value is known.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "fidac-phantom.h"
#include "fidac-png.h"
#include "fidac-reslice.h"
#include "fidac-window-level.h"

static FidacVolume *
small_phantom (gboolean feet_first)
{
  FidacPhantomOptions options;
  g_autoptr(GError) error = NULL;
  FidacVolume *volume;

  fidac_phantom_options_init (&options);
  options.columns = 128;
  options.rows = 128;
  options.slices = 48;
  options.pixel_spacing = 2.8;
  options.slice_spacing = 5.0;
  options.feet_first = feet_first;
  volume = fidac_phantom_new (&options, &error);
  g_assert_no_error (error);
  return volume;
}

static gfloat *
reslice (const FidacVolume  *volume,
         const FidacPlane   *plane,
         FidacInterpolation  interpolation,
         gdouble             slab_mm,
         FidacSlabMode       mode,
         guint               n_threads)
{
  FidacResliceOptions options;
  g_autoptr(GError) error = NULL;
  gfloat *out = g_new (gfloat, (gsize) plane->width * plane->height);

  fidac_reslice_options_init (&options);
  options.interpolation = interpolation;
  options.slab_mm = slab_mm;
  options.slab_mode = mode;
  options.n_threads = n_threads;
  g_assert_true (fidac_reslice (volume, plane, &options, out, &error));
  g_assert_no_error (error);
  return out;
}

/* The pixel whose square holds `patient` projected on the plane. */
static void
pixel_of (const FidacPlane *plane,
          const gdouble     patient[3],
          gint             *u,
          gint             *v)
{
  gdouble d[3];

  for (gint c = 0; c < 3; c++)
    d[c] = patient[c] - plane->center[c];
  *u = (gint) floor (fidac_vec3_dot (d, plane->right) / plane->pixel_size + plane->width / 2.0);
  *v = (gint) floor (fidac_vec3_dot (d, plane->down) / plane->pixel_size + plane->height / 2.0);
}

static void
test_axial_native_hfs (void)
{
  g_autoptr(FidacVolume) volume = small_phantom (FALSE);
  gint count;
  gdouble first, step;
  const gint ks[] = { 0, 1, 17, 24, 47 };

  fidac_view_get_slices (volume, FIDAC_VIEW_AXIAL, &count, &first, &step);
  g_assert_cmpint (count, ==, 48);
  g_assert_cmpfloat_with_epsilon (step, 5.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (first, volume->origin[2], 1e-9);

  for (guint t = 0; t < G_N_ELEMENTS (ks); t++)
    for (gint interp = 0; interp < 2; interp++)
      {
        gint k = ks[t];
        FidacPlane plane;
        g_autoptr(GError) error = NULL;
        g_autofree gfloat *hu = NULL;
        g_autofree guint8 *grey = NULL;
        g_autofree guint8 *stored = g_new (guint8, 128 * 128);
        const gint16 *slice = fidac_volume_slice (volume, k);

        g_assert_true (fidac_plane_init_view (&plane, volume, FIDAC_VIEW_AXIAL, k, 0, &error));
        g_assert_no_error (error);
        g_assert_cmpint (plane.width, ==, 128);
        g_assert_cmpint (plane.height, ==, 128);
        g_assert_cmpfloat (plane.pixel_size, ==, 2.8);
        hu = reslice (volume, &plane, interp, 0, FIDAC_SLAB_AVERAGE, 0);
        for (gint p = 0; p < 128 * 128; p++)
          g_assert_cmpfloat (hu[p], ==, slice[p]);

        grey = g_new (guint8, 128 * 128);
        fidac_reslice_window (hu, 128 * 128, FIDAC_WINDOW_LUNG_WIDTH, FIDAC_WINDOW_LUNG_LEVEL,
                              FALSE, grey);
        fidac_window_level_slice_gray (volume, k, FIDAC_WINDOW_LUNG_WIDTH,
                                       FIDAC_WINDOW_LUNG_LEVEL, stored);
        g_assert_cmpmem (grey, 128 * 128, stored, 128 * 128);
      }
}

static void
test_ffs_equals_hfs (void)
{
  g_autoptr(FidacVolume) hfs = small_phantom (FALSE);
  g_autoptr(FidacVolume) ffs = small_phantom (TRUE);
  const gint ks[] = { 0, 10, 30, 47 };

  /* Different storage (rows flipped in x, slices from the top) of the same anatomy. */
  g_assert_cmpfloat (ffs->axis[0][0], ==, -1.0);
  for (guint t = 0; t < G_N_ELEMENTS (ks); t++)
    {
      FidacPlane a, b;
      g_autofree gfloat *ha = NULL;
      g_autofree gfloat *hb = NULL;

      g_assert_true (fidac_plane_init_view (&a, hfs, FIDAC_VIEW_AXIAL, ks[t], 0, NULL));
      g_assert_true (fidac_plane_init_view (&b, ffs, FIDAC_VIEW_AXIAL, ks[t], 0, NULL));
      g_assert_cmpint (a.width, ==, b.width);
      g_assert_cmpint (a.height, ==, b.height);
      g_assert_cmpfloat_with_epsilon (a.center[2], b.center[2], 1e-9);
      ha = reslice (hfs, &a, FIDAC_INTERPOLATION_NEAREST, 0, FIDAC_SLAB_AVERAGE, 0);
      hb = reslice (ffs, &b, FIDAC_INTERPOLATION_NEAREST, 0, FIDAC_SLAB_AVERAGE, 0);
      g_assert_cmpmem (ha, sizeof (gfloat) * a.width * a.height,
                       hb, sizeof (gfloat) * b.width * b.height);
      /* FFS stores the top slice first: view slice K is stored slice N-1-K. */
      for (gint p = 0; p < a.width * a.height; p++)
        g_assert_cmpfloat (hb[p], ==, hfs->voxels[(gsize) ks[t] * a.width * a.height + p]);
    }
}

/* HU at the voxel nearest to `p`, when the phantom has the same HU everywhere in the box
 * of one voxel around `p` (so that nearest sampling cannot see anything else). */
static gboolean
interior_hu (const FidacVolume *volume,
             const gdouble      p[3],
             gint16            *hu)
{
  *hu = fidac_phantom_hu_at (p);
  for (gint c = 0; c < 8; c++)
    {
      gdouble q[3];

      for (gint d = 0; d < 3; d++)
        {
          q[d] = p[d];
          for (gint a = 0; a < 3; a++)
            q[d] += ((c >> a) & 1 ? 0.5 : -0.5) * volume->spacing[a] * volume->axis[a][d];
        }
      if (fidac_phantom_hu_at (q) != *hu)
        return FALSE;
    }
  return TRUE;
}

static gint
view_index_at (const FidacVolume *volume,
               FidacView          view,
               gdouble            position)
{
  gdouble first, step;

  fidac_view_get_slices (volume, view, NULL, &first, &step);
  return (gint) floor ((position - first) / step + 0.5);
}

static void
check_point (const FidacVolume *volume,
             const FidacPlane  *plane,
             const gfloat      *hu,
             const gdouble      p[3],
             gint16             expected,
             gboolean           on_left)
{
  gint u, v;
  gdouble centre[3];
  gint16 truth;

  pixel_of (plane, p, &u, &v);
  g_assert_cmpint (u, >=, 0);
  g_assert_cmpint (u, <, plane->width);
  g_assert_cmpint (v, >=, 0);
  g_assert_cmpint (v, <, plane->height);
  fidac_plane_screen_to_patient (plane, u + 0.5, v + 0.5, centre);
  g_assert_true (interior_hu (volume, centre, &truth));
  g_assert_cmpint (truth, ==, expected);
  g_assert_cmpfloat (hu[(gsize) v * plane->width + u], ==, expected);
  if (on_left)
    g_assert_cmpint (u, <, plane->width / 2);
  else
    g_assert_cmpint (u, >=, plane->width / 2);
}

static void
test_coronal_sagittal (void)
{
  g_autoptr(FidacVolume) volume = small_phantom (FALSE);
  FidacPlane plane;
  g_autofree gfloat *hu = NULL;
  gint k;

  /* Coronal through the trachea: seen from the front, the patient's right on the left. */
  k = view_index_at (volume, FIDAC_VIEW_CORONAL, 14.0);
  g_assert_true (fidac_plane_init_view (&plane, volume, FIDAC_VIEW_CORONAL, k, 0, NULL));
  g_assert_cmpfloat (plane.pixel_size, ==, 2.8);
  /* 48 slices of 5 mm in 2.8 mm pixels: not squashed. */
  g_assert_cmpint (plane.width, ==, 128);
  g_assert_cmpint (plane.height, ==, (gint) floor (47 * 5.0 / 2.8 + 0.5) + 1);
  hu = reslice (volume, &plane, FIDAC_INTERPOLATION_NEAREST, 0, FIDAC_SLAB_AVERAGE, 0);
  {
    gdouble y = plane.center[1];
    gdouble trachea[3] = { 0.0, y, 100.0 };
    gdouble right_lung[3] = { -100.0, y, 40.0 };
    gdouble left_lung[3] = { 100.0, y, 40.0 };
    gdouble top[3] = { 0, 0, 0 };
    gint u, v;

    check_point (volume, &plane, hu, right_lung, -850, TRUE);
    check_point (volume, &plane, hu, left_lung, -850, FALSE);
    pixel_of (&plane, trachea, &u, &v);
    g_assert_cmpfloat (hu[(gsize) v * plane.width + u], ==, -1000);
    /* Superior up. */
    fidac_plane_screen_to_patient (&plane, 0.5, 0.5, top);
    g_assert_cmpfloat (top[2], >, plane.center[2]);
  }
  g_clear_pointer (&hu, g_free);

  /* Sagittal at x = 0, seen from the left: anterior on the left, the spine on the right. */
  k = view_index_at (volume, FIDAC_VIEW_SAGITTAL, 0.0);
  g_assert_true (fidac_plane_init_view (&plane, volume, FIDAC_VIEW_SAGITTAL, k, 0, NULL));
  hu = reslice (volume, &plane, FIDAC_INTERPOLATION_NEAREST, 0, FIDAC_SLAB_AVERAGE, 0);
  {
    gdouble x = plane.center[0];
    gdouble trachea[3] = { x, 14.0, 100.0 };
    gdouble outside[3] = { x, -160.0, 0.0 };
    gint u, v;

    g_assert_cmpfloat_with_epsilon (fabs (x), 0.0, 2.8 / 2 + 1e-9);
    pixel_of (&plane, trachea, &u, &v);
    g_assert_cmpfloat (hu[(gsize) v * plane.width + u], ==, -1000);
    check_point (volume, &plane, hu, outside, -1000, TRUE);
    fidac_plane_screen_to_patient (&plane, 0.5, 0.5, trachea);
    g_assert_cmpfloat (trachea[1], <, 0.0);     /* anterior on the left */
  }
}

static void
test_size_aspect (void)
{
  g_autoptr(FidacVolume) volume = small_phantom (FALSE);
  FidacPlane native, big;
  g_autofree gfloat *a = NULL;
  g_autofree gfloat *b = NULL;

  g_assert_true (fidac_plane_init_view (&native, volume, FIDAC_VIEW_CORONAL, 20, 0, NULL));
  g_assert_true (fidac_plane_init_view (&big, volume, FIDAC_VIEW_CORONAL, 20, 512, NULL));
  g_assert_cmpint (big.width, ==, 512);
  g_assert_cmpint (big.height, ==, (gint) floor (512.0 * native.height / native.width + 0.5));
  g_assert_cmpfloat_with_epsilon (big.pixel_size * big.width, native.pixel_size * native.width,
                                  1e-9);
  g_assert_cmpmem (big.center, sizeof big.center, native.center, sizeof native.center);

  /* The same image whatever the number of threads. */
  a = reslice (volume, &big, FIDAC_INTERPOLATION_LINEAR, 12, FIDAC_SLAB_MIP, 1);
  b = reslice (volume, &big, FIDAC_INTERPOLATION_LINEAR, 12, FIDAC_SLAB_MIP, 7);
  g_assert_cmpmem (a, sizeof (gfloat) * big.width * big.height,
                   b, sizeof (gfloat) * big.width * big.height);
}

/* A volume on the identity grid (1 mm voxels, axes x y z, origin 0) with value f(i, j, k). */
static FidacVolume *
synthetic (gint n,
           gint16 (*f) (gint i, gint j, gint k))
{
  const gdouble origin[3] = { 0, 0, 0 }, ax[3] = { 1, 0, 0 }, ay[3] = { 0, 1, 0 },
                az[3] = { 0, 0, 1 }, spacing[3] = { 1, 1, 1 };
  FidacVolume *volume = fidac_volume_new (n, n, n, NULL);

  g_assert_nonnull (volume);
  g_assert_true (fidac_volume_set_geometry (volume, origin, ax, ay, az, spacing, NULL));
  for (gint k = 0; k < n; k++)
    for (gint j = 0; j < n; j++)
      for (gint i = 0; i < n; i++)
        fidac_volume_set (volume, i, j, k, f (i, j, k));
  return volume;
}

static gint16
scrambled (gint i, gint j, gint k)
{
  return (gint16) ((i * 37 + j * 101 + k * 211 + i * j * 7) % 500 - 250);
}

/* A 1 x 1 axial plane whose only pixel centre is at patient p. */
static void
point_plane (FidacPlane    *plane,
             const gdouble  p[3])
{
  fidac_view_get_axes (FIDAC_VIEW_AXIAL, plane->right, plane->down);
  memcpy (plane->center, p, sizeof plane->center);
  plane->pixel_size = 1.0;
  plane->width = 1;
  plane->height = 1;
}

static void
test_linear_half_voxel (void)
{
  g_autoptr(FidacVolume) volume = synthetic (6, scrambled);

  for (gint c = 0; c < 8; c++)
    {
      /* Half-voxel offsets along the axes that c selects, so 2, 4 or 8 neighbours. */
      gdouble p[3] = { 2 + (c & 1) * 0.5, 3 + ((c >> 1) & 1) * 0.5, 1 + ((c >> 2) & 1) * 0.5 };
      gint n[3] = { c & 1, (c >> 1) & 1, (c >> 2) & 1 };
      gdouble sum = 0;
      gint count = 0;
      FidacPlane plane;
      gfloat got;

      for (gint dk = 0; dk <= n[2]; dk++)
        for (gint dj = 0; dj <= n[1]; dj++)
          for (gint di = 0; di <= n[0]; di++)
            {
              sum += fidac_volume_get (volume, 2 + di, 3 + dj, 1 + dk);
              count++;
            }
      point_plane (&plane, p);
      g_assert_true (fidac_reslice (volume, &plane, NULL, &got, NULL));
      g_assert_cmpfloat_with_epsilon (got, sum / count, 1e-4);
    }

  /* A quarter of the way: weights 3/4 and 1/4. */
  {
    gdouble p[3] = { 4.25, 0, 5 };
    FidacPlane plane;
    gfloat got;

    point_plane (&plane, p);
    g_assert_true (fidac_reslice (volume, &plane, NULL, &got, NULL));
    g_assert_cmpfloat_with_epsilon (got, 0.75 * scrambled (4, 0, 5) + 0.25 * scrambled (5, 0, 5),
                                    1e-4);
  }
}

static gint16
by_slice (gint i, gint j, gint k)
{
  /* Along k at (1, 1): 0 10 40 90 160 250 ... ; elsewhere minus that. */
  return (gint16) ((i == 1 && j == 1) ? 10 * k * k : -10 * k * k);
}

static void
test_slab (void)
{
  g_autoptr(FidacVolume) volume = synthetic (8, by_slice);
  FidacResliceOptions options;
  FidacPlane plane;
  g_autofree gfloat *out = NULL;
  const gdouble sum3 = 10 * (16 + 25 + 36);

  fidac_reslice_options_init (&options);
  options.slab_mm = 3.0;
  g_assert_cmpint (fidac_reslice_slab_samples (volume, &options), ==, 3);
  options.slab_mm = 4.0;
  g_assert_cmpint (fidac_reslice_slab_samples (volume, &options), ==, 5);
  options.slab_mm = 0.2;
  g_assert_cmpint (fidac_reslice_slab_samples (volume, &options), ==, 1);

  g_assert_true (fidac_plane_init_view (&plane, volume, FIDAC_VIEW_AXIAL, 5, 0, NULL));
  g_assert_cmpint (plane.width, ==, 8);
  out = g_new (gfloat, 64);
  options.interpolation = FIDAC_INTERPOLATION_NEAREST;
  options.slab_mm = 3.0;
  for (gint mode = FIDAC_SLAB_AVERAGE; mode <= FIDAC_SLAB_MINIP; mode++)
    {
      options.slab_mode = mode;
      g_assert_true (fidac_reslice (volume, &plane, &options, out, NULL));
      switch (mode)
        {
        case FIDAC_SLAB_AVERAGE:
          g_assert_cmpfloat_with_epsilon (out[9], sum3 / 3, 1e-3);
          g_assert_cmpfloat_with_epsilon (out[0], -sum3 / 3, 1e-3);
          break;
        case FIDAC_SLAB_MIP:
          g_assert_cmpfloat (out[9], ==, 360);
          g_assert_cmpfloat (out[0], ==, -160);
          break;
        case FIDAC_SLAB_MINIP:
          g_assert_cmpfloat (out[9], ==, 160);
          g_assert_cmpfloat (out[0], ==, -360);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  /* At the first slice, the sample below is outside and left out. */
  g_assert_true (fidac_plane_init_view (&plane, volume, FIDAC_VIEW_AXIAL, 0, 0, NULL));
  options.slab_mode = FIDAC_SLAB_AVERAGE;
  g_assert_true (fidac_reslice (volume, &plane, &options, out, NULL));
  g_assert_cmpfloat_with_epsilon (out[9], (0 + 10) / 2.0, 1e-4);
  options.slab_mode = FIDAC_SLAB_MINIP;
  g_assert_true (fidac_reslice (volume, &plane, &options, out, NULL));
  g_assert_cmpfloat (out[0], ==, -10);
}

static void
test_oblique (gconstpointer data)
{
  const gboolean tilted = GPOINTER_TO_INT (data);
  FidacPhantomOptions options;
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(GError) error = NULL;
  FidacPlane plane;
  g_autofree gfloat *hu = NULL;
  gint checked = 0, inside = 0;

  fidac_phantom_options_init (&options);
  options.columns = 160;
  options.rows = 160;
  options.slices = 60;
  options.pixel_spacing = 2.2;
  options.slice_spacing = 4.0;
  if (tilted)
    options.tilt_degrees = 20.0;
  else
    {
      options.rotation_degrees = 30.0;
      options.rotation_axis[0] = 1.0;
      options.rotation_axis[1] = 1.0;
      options.rotation_axis[2] = 0.0;
    }
  volume = fidac_phantom_new (&options, &error);
  g_assert_no_error (error);

  /* An axial plane at z = 40 through the carina, 1 mm pixels over 340 x 280 mm. */
  fidac_view_get_axes (FIDAC_VIEW_AXIAL, plane.right, plane.down);
  plane.center[0] = 0;
  plane.center[1] = 0;
  plane.center[2] = 40.0;
  plane.pixel_size = 1.0;
  plane.width = 340;
  plane.height = 280;
  hu = reslice (volume, &plane, FIDAC_INTERPOLATION_NEAREST, 0, FIDAC_SLAB_AVERAGE, 0);
  for (gint v = 0; v < plane.height; v += 3)
    for (gint u = 0; u < plane.width; u += 3)
      {
        gdouble p[3], voxel[3];
        gint16 truth;
        gfloat got = hu[(gsize) v * plane.width + u];

        fidac_plane_screen_to_patient (&plane, u + 0.5, v + 0.5, p);
        fidac_volume_patient_to_voxel (volume, p, voxel);
        if (voxel[0] < -0.5 || voxel[1] < -0.5 || voxel[2] < -0.5 ||
            voxel[0] >= volume->dims[0] - 0.5 || voxel[1] >= volume->dims[1] - 0.5 ||
            voxel[2] >= volume->dims[2] - 0.5)
          {
            g_assert_cmpfloat (got, ==, FIDAC_RESLICE_BACKGROUND_HU);
            continue;
          }
        inside++;
        if (!interior_hu (volume, p, &truth))
          continue;
        checked++;
        g_assert_cmpfloat (got, ==, truth);
      }
  g_assert_cmpint (inside, >, 5000);
  g_assert_cmpint (checked, >, inside * 6 / 10);
}

static void
test_background (void)
{
  g_autoptr(FidacVolume) volume = synthetic (4, scrambled);
  FidacPlane plane;
  gfloat hu[16];
  guint8 grey[16];
  const gdouble far[3] = { 100, 100, 100 };

  point_plane (&plane, far);
  plane.width = plane.height = 4;
  for (gint interp = 0; interp < 2; interp++)
    {
      FidacResliceOptions options;

      fidac_reslice_options_init (&options);
      options.interpolation = interp;
      g_assert_true (fidac_reslice (volume, &plane, &options, hu, NULL));
      for (gint p = 0; p < 16; p++)
        g_assert_cmpfloat (hu[p], ==, -1024);
      options.slab_mm = 5;
      options.slab_mode = FIDAC_SLAB_MIP;
      g_assert_true (fidac_reslice (volume, &plane, &options, hu, NULL));
      g_assert_cmpfloat (hu[5], ==, -1024);
    }
  /* Air, as in the scan itself: grey 55 in the lung window, black in the mediastinal one. */
  fidac_reslice_window (hu, 16, FIDAC_WINDOW_LUNG_WIDTH, FIDAC_WINDOW_LUNG_LEVEL, FALSE, grey);
  g_assert_cmpint (grey[3], ==, 55);
  fidac_reslice_window (hu, 16, FIDAC_WINDOW_LUNG_WIDTH, FIDAC_WINDOW_LUNG_LEVEL, TRUE, grey);
  g_assert_cmpint (grey[3], ==, 200);
  fidac_reslice_window (hu, 16, FIDAC_WINDOW_MEDIASTINUM_WIDTH, FIDAC_WINDOW_MEDIASTINUM_LEVEL,
                        FALSE, grey);
  g_assert_cmpint (grey[3], ==, 0);

  /* Edges: a voxel owns half a voxel on each side of its centre. */
  {
    const gdouble edge_in[3] = { -0.49, 0, 0 }, edge_out[3] = { -0.51, 0, 0 },
                  high_out[3] = { 3.5, 3, 3 };
    gfloat got;

    point_plane (&plane, edge_in);
    g_assert_true (fidac_reslice (volume, &plane, NULL, &got, NULL));
    g_assert_cmpfloat (got, ==, scrambled (0, 0, 0));
    point_plane (&plane, edge_out);
    g_assert_true (fidac_reslice (volume, &plane, NULL, &got, NULL));
    g_assert_cmpfloat (got, ==, -1024);
    point_plane (&plane, high_out);
    g_assert_true (fidac_reslice (volume, &plane, NULL, &got, NULL));
    g_assert_cmpfloat (got, ==, -1024);
  }
}

static void
test_matrix_and_move (void)
{
  FidacPhantomOptions options;
  g_autoptr(FidacVolume) volume = NULL;
  FidacPlane plane;
  gdouble m[16];
  const gdouble points[][3] = { { 0.5, 0.5, 0 }, { 17.25, 3.5, 0 }, { 40, 33, -6.5 } };
  const gdouble target[3] = { 10.0, -20.0, 33.0 };
  gdouble before[3];

  fidac_phantom_options_init (&options);
  options.columns = options.rows = 48;
  options.slices = 20;
  options.rotation_degrees = 25.0;
  options.rotation_axis[0] = 1.0;
  options.rotation_axis[2] = 0.5;
  volume = fidac_phantom_new (&options, NULL);
  g_assert_nonnull (volume);
  g_assert_true (fidac_plane_init_view (&plane, volume, FIDAC_VIEW_SAGITTAL, 30, 64, NULL));
  fidac_plane_get_screen_to_voxel (&plane, volume, m);
  for (guint p = 0; p < G_N_ELEMENTS (points); p++)
    {
      gdouble patient[3], normal[3], expected[3], got[3];

      fidac_plane_screen_to_patient (&plane, points[p][0], points[p][1], patient);
      fidac_plane_get_normal (&plane, normal);
      for (gint c = 0; c < 3; c++)
        patient[c] += points[p][2] * normal[c];
      fidac_volume_patient_to_voxel (volume, patient, expected);
      fidac_mat4_apply_point (m, points[p], got);
      for (gint c = 0; c < 3; c++)
        g_assert_cmpfloat_with_epsilon (got[c], expected[c], 1e-9);
    }
  g_assert_cmpfloat (m[15], ==, 1.0);

  /* Moving through a point: only the position along the normal (-x here) changes. */
  memcpy (before, plane.center, sizeof before);
  fidac_plane_move_to (&plane, target);
  g_assert_cmpfloat_with_epsilon (plane.center[0], 10.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (plane.center[1], before[1], 1e-12);
  g_assert_cmpfloat_with_epsilon (plane.center[2], before[2], 1e-12);
}

static void
test_errors (void)
{
  g_autoptr(FidacVolume) volume = synthetic (4, scrambled);
  FidacPlane plane;
  g_autoptr(GError) error = NULL;
  gfloat hu[16];

  g_assert_false (fidac_plane_init_view (&plane, volume, FIDAC_VIEW_AXIAL, 4, 0, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (fidac_plane_init_view (&plane, volume, FIDAC_VIEW_SAGITTAL, -1, 0, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (fidac_plane_init_view (&plane, volume, FIDAC_VIEW_CORONAL, 0, -3, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (fidac_plane_init_view (&plane, volume, FIDAC_VIEW_AXIAL, 3, 0, &error));
  plane.down[0] = 1.0;
  g_assert_false (fidac_reslice (volume, &plane, NULL, hu, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (fidac_plane_init_view (&plane, volume, FIDAC_VIEW_AXIAL, 3, 0, &error));
  plane.pixel_size = 0;
  g_assert_false (fidac_reslice (volume, &plane, NULL, hu, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
}

static void
test_png (void)
{
  guint8 pixels[3 * 5];
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GZlibDecompressor) zlib = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  const guint8 *d;
  gsize size, read, written;
  guint8 raw[64];
  guint32 idat_len;
  g_autofree gchar *dir = NULL;
  g_autofree gchar *path = NULL;
  g_autoptr(GError) error = NULL;

  /* CRC-32 check value of "123456789". */
  g_assert_cmphex (fidac_png_crc32 (0, (const guint8 *) "123456789", 9), ==, 0xcbf43926);

  for (gint p = 0; p < 15; p++)
    pixels[p] = (guint8) (p * 17);
  png = fidac_png_encode_gray (pixels, 3, 5, 3, &error);
  g_assert_no_error (error);
  d = g_bytes_get_data (png, &size);
  g_assert_cmpmem (d, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_cmpmem (d + 12, 4, "IHDR", 4);
  g_assert_cmpmem (d + 16, 13, "\0\0\0\3\0\0\0\5\x08\0\0\0\0", 13);
  /* IEND with its fixed CRC closes the file. */
  g_assert_cmpmem (d + size - 12, 12, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
  idat_len = (guint32) d[33] << 24 | d[34] << 16 | d[35] << 8 | d[36];
  g_assert_cmpmem (d + 37, 4, "IDAT", 4);
  g_assert_cmpuint (41 + idat_len + 4 + 12, ==, size);
  g_assert_cmpint (g_converter_convert (G_CONVERTER (zlib), d + 41, idat_len, raw, sizeof raw,
                                        G_CONVERTER_INPUT_AT_END, &read, &written, &error),
                   ==, G_CONVERTER_FINISHED);
  g_assert_cmpuint (written, ==, 5 * 4);
  for (gint y = 0; y < 5; y++)
    {
      g_assert_cmpint (raw[y * 4], ==, 0);
      g_assert_cmpmem (raw + y * 4 + 1, 3, pixels + y * 3, 3);
    }

  g_assert_null (fidac_png_encode_gray (pixels, 0, 5, 3, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);

  dir = g_dir_make_tmp ("fidac-png-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "missing", "x.png", NULL);
  g_assert_false (fidac_png_write_gray (path, pixels, 3, 5, 3, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_IO);
  g_clear_pointer (&path, g_free);
  path = g_build_filename (dir, "x.png", NULL);
  g_clear_error (&error);
  g_assert_true (fidac_png_write_gray (path, pixels, 3, 5, 3, &error));
  g_assert_no_error (error);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fidac/reslice/axial-native-hfs", test_axial_native_hfs);
  g_test_add_func ("/fidac/reslice/ffs-equals-hfs", test_ffs_equals_hfs);
  g_test_add_func ("/fidac/reslice/coronal-sagittal", test_coronal_sagittal);
  g_test_add_func ("/fidac/reslice/size-aspect-threads", test_size_aspect);
  g_test_add_func ("/fidac/reslice/linear-half-voxel", test_linear_half_voxel);
  g_test_add_func ("/fidac/reslice/slab", test_slab);
  g_test_add_data_func ("/fidac/reslice/oblique", GINT_TO_POINTER (FALSE), test_oblique);
  g_test_add_data_func ("/fidac/reslice/tilted", GINT_TO_POINTER (TRUE), test_oblique);
  g_test_add_func ("/fidac/reslice/background", test_background);
  g_test_add_func ("/fidac/reslice/matrix-and-move", test_matrix_and_move);
  g_test_add_func ("/fidac/reslice/errors", test_errors);
  g_test_add_func ("/fidac/reslice/png", test_png);

  return g_test_run ();
}
