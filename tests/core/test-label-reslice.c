/* test-label-reslice.c: labels on a plane and their overlay over the grey image.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "fidac-label-reslice.h"
#include "fidac-lesion.h"
#include "fidac-phantom.h"
#include "fidac-reslice.h"

static FidacVolume *phantom;
static FidacLabelMap *truth;    /* the phantom's lesion labels */

static void
setup_phantom (void)
{
  g_autoptr(GError) error = NULL;
  FidacPhantomOptions options;

  fidac_phantom_options_init (&options);
  options.columns = 160;
  options.rows = 128;
  options.slices = 96;
  options.pixel_spacing = 2.2;
  options.slice_spacing = 2.5;
  phantom = fidac_phantom_new (&options, &error);
  g_assert_no_error (error);
  truth = fidac_label_map_new (phantom, &error);
  g_assert_no_error (error);
  g_assert_true (fidac_phantom_fill_lesion_labels (phantom, truth->labels,
                                                   fidac_volume_n_voxels (phantom), &error));
  g_assert_no_error (error);
  fidac_label_map_touch (truth, 0, phantom->dims[2] - 1);
}

/* The slice holding the centre of lesion `index`. */
static gint
lesion_slice (guint index)
{
  guint n = 0;
  const FidacPhantomLesion *lesions = fidac_phantom_lesions (&n);
  gdouble voxel[3];

  g_assert_cmpuint (index, <, n);
  fidac_volume_patient_to_voxel (phantom, lesions[index].center, voxel);
  return (gint) floor (voxel[2] + 0.5);
}

/* The axial plane of a straight axial series at native size is the stored slice pixel for
 * pixel, so the label image is the map's slice, and holds exactly the slice's lesion
 * voxels of each class. */
static void
test_axial_native (void)
{
  g_autoptr(GError) error = NULL;
  guint n_lesions = 0;
  const FidacPhantomLesion *lesions = fidac_phantom_lesions (&n_lesions);

  g_assert_cmpuint (n_lesions, >, 0);
  for (guint l = 0; l < n_lesions; l++)
    {
      gint k = lesion_slice (l);
      FidacPlane plane;
      g_autofree guint8 *image = NULL;
      guint32 counts[FIDAC_LABEL_MAX_CLASSES] = { 0 };

      g_assert_true (fidac_plane_init_view (&plane, phantom, FIDAC_VIEW_AXIAL, k, 0, &error));
      g_assert_no_error (error);
      g_assert_cmpint (plane.width, ==, phantom->dims[0]);
      g_assert_cmpint (plane.height, ==, phantom->dims[1]);
      image = g_malloc ((gsize) plane.width * plane.height);
      g_assert_true (fidac_label_reslice (truth, phantom, &plane, 0, image, &error));
      g_assert_no_error (error);

      for (gint v = 0; v < plane.height; v++)
        for (gint u = 0; u < plane.width; u++)
          {
            guint8 got = image[(gsize) v * plane.width + u];

            g_assert_cmpuint (got, ==, fidac_label_map_get (truth, u, v, k));
            counts[got]++;
          }
      /* The lesion's own class is there, with every voxel of the slice. */
      g_assert_cmpuint (counts[lesions[l].lesion_class], >, 0);
      for (guint c = 1; c < FIDAC_LABEL_MAX_CLASSES; c++)
        g_assert_cmpuint (counts[c], ==, fidac_label_map_slice_count (truth, k, c));
    }
}

/* A copy of the volume whose voxels are the labels: fidac_reslice()'s nearest path on it
 * must give the label image exactly (outside: the background instead of 0). */
static FidacVolume *
labels_as_volume (const FidacLabelMap *map)
{
  g_autoptr(GError) error = NULL;
  FidacVolume *copy = fidac_volume_new (phantom->dims[0], phantom->dims[1],
                                        phantom->dims[2], &error);

  g_assert_no_error (error);
  g_assert_true (fidac_volume_set_geometry (copy, phantom->origin, phantom->axis[0],
                                            phantom->axis[1], phantom->axis[2],
                                            phantom->spacing, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (copy->to_voxel, sizeof copy->to_voxel, phantom->to_voxel,
                   sizeof phantom->to_voxel);
  for (gsize v = 0; v < fidac_volume_n_voxels (phantom); v++)
    copy->voxels[v] = map->labels[v];
  return copy;
}

static void
compare_with_reslice (const FidacVolume *as_volume,
                      const FidacPlane  *plane,
                      const gchar       *what)
{
  g_autoptr(GError) error = NULL;
  FidacResliceOptions options;
  gsize n = (gsize) plane->width * plane->height;
  g_autofree gfloat *hu = g_new (gfloat, n);
  g_autofree guint8 *image = g_malloc (n);
  g_autofree guint8 *padded = g_malloc ((gsize) (plane->width + 2) * (plane->height + 2));
  gsize labelled = 0;

  fidac_reslice_options_init (&options);
  options.interpolation = FIDAC_INTERPOLATION_NEAREST;
  options.n_threads = 1;
  g_assert_true (fidac_reslice (as_volume, plane, &options, hu, &error));
  g_assert_no_error (error);
  g_assert_true (fidac_label_reslice (truth, phantom, plane, 0, image, &error));
  g_assert_no_error (error);
  g_assert_true (fidac_label_reslice (truth, phantom, plane, 1, padded, &error));
  g_assert_no_error (error);

  for (gsize p = 0; p < n; p++)
    {
      gint expected = hu[p] == FIDAC_RESLICE_BACKGROUND_HU ? 0 : (gint) hu[p];

      if (image[p] != expected)
        g_error ("%s: pixel (%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT "): label %d, "
                 "reslice %g", what, p % plane->width, p / plane->width, image[p], hu[p]);
      /* The border changes nothing inside. */
      g_assert_cmpuint (padded[(p / plane->width + 1) * (plane->width + 2) +
                               p % plane->width + 1], ==, image[p]);
      labelled += image[p] != 0;
    }
  g_test_message ("%s: %d × %d, %" G_GSIZE_FORMAT " labelled pixels", what, plane->width,
                  plane->height, labelled);
}

/* Every view, zoomed, panned and oblique: the same voxel as fidac_reslice()'s nearest. */
static void
test_views_match_reslice (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) as_volume = labels_as_volume (truth);
  gint k = lesion_slice (0);
  gdouble centre[3];
  guint n = 0;
  const FidacPhantomLesion *lesions = fidac_phantom_lesions (&n);

  memcpy (centre, lesions[0].center, sizeof centre);
  for (gint view = 0; view < FIDAC_N_VIEWS; view++)
    {
      gint count;
      gdouble first, step;
      FidacPlane plane;
      g_autofree gchar *what = NULL;

      fidac_view_get_slices (phantom, view, &count, &first, &step);
      g_assert_true (fidac_plane_init_view (&plane, phantom, view, count / 2, 301, &error));
      g_assert_no_error (error);
      fidac_plane_move_to (&plane, centre);
      what = g_strdup_printf ("view %d at the lesion, 301 px", view);
      compare_with_reslice (as_volume, &plane, what);

      /* Zoomed in 3.7 times around the lesion, odd size. */
      plane.pixel_size /= 3.7;
      memcpy (plane.center, centre, sizeof centre);
      plane.width = 193;
      plane.height = 141;
      g_free (what);
      what = g_strdup_printf ("view %d zoomed", view);
      compare_with_reslice (as_volume, &plane, what);
    }

  /* Oblique: turned about two axes through the lesion. */
  {
    FidacPlane plane;
    const gdouble a = 0.41, b = 0.23;

    g_assert_true (fidac_plane_init_view (&plane, phantom, FIDAC_VIEW_AXIAL, k, 257, &error));
    g_assert_no_error (error);
    plane.right[0] = cos (a);
    plane.right[1] = 0.0;
    plane.right[2] = sin (a);
    plane.down[0] = -sin (a) * sin (b);
    plane.down[1] = cos (b);
    plane.down[2] = cos (a) * sin (b);
    memcpy (plane.center, centre, sizeof centre);
    compare_with_reslice (as_volume, &plane, "oblique");
  }
}

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) other = fidac_volume_new (8, 8, 8, NULL);
  g_autoptr(FidacLabelMap) small = fidac_label_map_new (other, NULL);
  FidacPlane plane;
  FidacOverlayStyle style;
  guint8 out[64];

  g_assert_true (fidac_plane_init_view (&plane, phantom, FIDAC_VIEW_AXIAL, 0, 6, &error));
  g_assert_no_error (error);
  g_assert_false (fidac_label_reslice (small, phantom, &plane, 0, out, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);

  plane.pixel_size = 0.0;
  g_assert_false (fidac_label_reslice (truth, phantom, &plane, 0, out, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  fidac_overlay_style_init (&style);
  g_assert_true (fidac_overlay_style_validate (&style, &error));
  style.opacity = NAN;
  g_assert_false (fidac_overlay_style_validate (&style, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  style.opacity = 1.5;
  g_assert_false (fidac_overlay_style_validate (&style, &error));
  g_clear_error (&error);
  style.opacity = 1.0;
  style.mode = 7;
  g_assert_false (fidac_overlay_style_validate (&style, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
}

static void
test_style_init (void)
{
  FidacOverlayStyle style;

  fidac_overlay_style_init (&style);
  g_assert_cmpint (style.mode, ==, FIDAC_OVERLAY_FILLED);
  g_assert_cmpfloat (style.opacity, ==, 0.5);
  /* The catalog's classes, and only them. */
  g_assert_cmphex (style.visible, ==, ((1u << (FIDAC_LESION_N_CLASSES + 1)) - 1) & ~1u);
  for (guint id = 1; id <= FIDAC_LESION_N_CLASSES; id++)
    g_assert_cmpmem (style.colors[id], 3, fidac_lesion_get (id)->rgb, 3);

  g_assert_cmpuint (fidac_overlay_alpha (0.0), ==, 0);
  g_assert_cmpuint (fidac_overlay_alpha (-1.0), ==, 0);
  g_assert_cmpuint (fidac_overlay_alpha (NAN), ==, 0);
  g_assert_cmpuint (fidac_overlay_alpha (0.5), ==, 128);   /* 127.5 rounds up */
  g_assert_cmpuint (fidac_overlay_alpha (0.4), ==, 102);
  g_assert_cmpuint (fidac_overlay_alpha (1.0), ==, 255);
  g_assert_cmpuint (fidac_overlay_alpha (2.0), ==, 255);
}

/* Hand-computed pixels: (c A + g (255 - A) + 127) / 255. */
static void
test_composite_arithmetic (void)
{
  /* A 3 × 1 image with a border of one pixel: labels 1, 2, 0. */
  const guint8 labels[5 * 3] = {
    0, 0, 0, 0, 0,
    0, 1, 2, 0, 0,
    0, 0, 0, 0, 0,
  };
  const guint8 gray[3] = { 0, 200, 77 };
  FidacOverlayStyle style;
  guint8 rgba[12], rgb[9];

  memset (&style, 0, sizeof style);
  style.mode = FIDAC_OVERLAY_FILLED;
  style.visible = (1u << 1) | (1u << 2);
  style.colors[1][0] = 255; style.colors[1][1] = 0; style.colors[1][2] = 10;
  style.colors[2][0] = 0; style.colors[2][1] = 100; style.colors[2][2] = 255;

  /* opacity 0.5: A = 128.
   * (255, 0, 10) over 0:   (32640 + 127) / 255 = 128, 127 / 255 = 0, (1280 + 127) / 255 = 5
   * (0, 100, 255) over 200: (25400 + 127) / 255 = 100, (12800 + 25400 + 127) / 255 = 150,
   *                         (32640 + 25400 + 127) / 255 = 228 */
  style.opacity = 0.5;
  fidac_overlay_composite (gray, labels, 3, 1, &style, rgba, 4);
  {
    const guint8 expected[12] = { 128, 0, 5, 255, 100, 150, 228, 255, 77, 77, 77, 255 };

    g_assert_cmpmem (rgba, 12, expected, 12);
  }

  /* opacity 0.3: A = 77 (76.5 rounds up).
   * (255, 0, 10) over 0:   (19635 + 127) / 255 = 77, 0, (770 + 127) / 255 = 3
   * (0, 100, 255) over 200: (35600 + 127) / 255 = 140, (7700 + 35600 + 127) / 255 = 170,
   *                         (19635 + 35600 + 127) / 255 = 217 */
  style.opacity = 0.3;
  fidac_overlay_composite (gray, labels, 3, 1, &style, rgb, 3);
  {
    const guint8 expected[9] = { 77, 0, 3, 140, 170, 217, 77, 77, 77 };

    g_assert_cmpmem (rgb, 9, expected, 9);
  }

  /* Opaque: the colour itself; transparent or hidden: the grey. */
  style.opacity = 1.0;
  fidac_overlay_composite (gray, labels, 3, 1, &style, rgb, 3);
  {
    const guint8 expected[9] = { 255, 0, 10, 0, 100, 255, 77, 77, 77 };

    g_assert_cmpmem (rgb, 9, expected, 9);
  }
  style.visible = 1u << 2;
  fidac_overlay_composite (gray, labels, 3, 1, &style, rgb, 3);
  {
    const guint8 expected[9] = { 0, 0, 0, 0, 100, 255, 77, 77, 77 };

    g_assert_cmpmem (rgb, 9, expected, 9);
  }
  style.visible = 0xfffe;
  style.opacity = 0.0;
  fidac_overlay_composite (gray, labels, 3, 1, &style, rgb, 3);
  {
    const guint8 expected[9] = { 0, 0, 0, 200, 200, 200, 77, 77, 77 };

    g_assert_cmpmem (rgb, 9, expected, 9);
  }
}

/* A 6 × 5 square of class 3 painted on an axial slice: in outline mode its 18 boundary
 * pixels are coloured, its 12 interior ones and everything else keep the grey; a hidden
 * class touching it does not remove its outline there. */
static void
test_outline_square (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (phantom, &error);
  FidacPlane plane;
  FidacOverlayStyle style;
  const gint k = 40, u0 = 50, v0 = 60, w = 6, h = 5;
  g_autofree guint8 *labels = NULL;
  g_autofree guint8 *gray = NULL;
  g_autofree guint8 *rgb = NULL;
  gsize coloured = 0, interior_grey = 0;

  g_assert_no_error (error);
  for (gint v = v0; v < v0 + h; v++)
    for (gint u = u0; u < u0 + w; u++)
      fidac_label_map_set (map, u, v, k, FIDAC_LESION_CRAZY_PAVING);
  /* A 3 × 2 block of class 1 touching the square's right side from outside. */
  for (gint v = v0 + 1; v < v0 + 3; v++)
    for (gint u = u0 + w; u < u0 + w + 3; u++)
      fidac_label_map_set (map, u, v, k, FIDAC_LESION_GROUND_GLASS);

  g_assert_true (fidac_plane_init_view (&plane, phantom, FIDAC_VIEW_AXIAL, k, 0, &error));
  g_assert_no_error (error);
  labels = g_malloc ((gsize) (plane.width + 2) * (plane.height + 2));
  gray = g_malloc ((gsize) plane.width * plane.height);
  rgb = g_malloc ((gsize) plane.width * plane.height * 3);
  memset (gray, 10, (gsize) plane.width * plane.height);
  g_assert_true (fidac_label_reslice (map, phantom, &plane, 1, labels, &error));
  g_assert_no_error (error);

  fidac_overlay_style_init (&style);
  style.mode = FIDAC_OVERLAY_OUTLINE;
  style.opacity = 1.0;
  style.visible = 1u << FIDAC_LESION_CRAZY_PAVING;     /* class 1 hidden */
  fidac_overlay_composite (gray, labels, plane.width, plane.height, &style, rgb, 3);

  for (gint v = 0; v < plane.height; v++)
    for (gint u = 0; u < plane.width; u++)
      {
        const guint8 *px = rgb + ((gsize) v * plane.width + u) * 3;
        gboolean in = u >= u0 && u < u0 + w && v >= v0 && v < v0 + h;
        gboolean edge = in && (u == u0 || u == u0 + w - 1 || v == v0 || v == v0 + h - 1);

        if (edge)
          {
            g_assert_cmpmem (px, 3, style.colors[FIDAC_LESION_CRAZY_PAVING], 3);
            coloured++;
          }
        else
          {
            g_assert_cmpuint (px[0], ==, 10);
            g_assert_cmpuint (px[1], ==, 10);
            g_assert_cmpuint (px[2], ==, 10);
            interior_grey += in;
          }
      }
  g_assert_cmpuint (coloured, ==, 2 * w + 2 * h - 4);
  g_assert_cmpuint (interior_grey, ==, (w - 2) * (h - 2));

  /* Class 1 shown too: its 6 pixels are all boundary (2 rows), in its own colour. */
  style.visible |= 1u << FIDAC_LESION_GROUND_GLASS;
  fidac_overlay_composite (gray, labels, plane.width, plane.height, &style, rgb, 3);
  for (gint v = v0 + 1; v < v0 + 3; v++)
    for (gint u = u0 + w; u < u0 + w + 3; u++)
      g_assert_cmpmem (rgb + ((gsize) v * plane.width + u) * 3, 3,
                       style.colors[FIDAC_LESION_GROUND_GLASS], 3);

  /* Filled: all 30 pixels of the square. */
  style.mode = FIDAC_OVERLAY_FILLED;
  coloured = 0;
  fidac_overlay_composite (gray, labels, plane.width, plane.height, &style, rgb, 3);
  for (gsize p = 0; p < (gsize) plane.width * plane.height; p++)
    coloured += memcmp (rgb + p * 3, style.colors[FIDAC_LESION_CRAZY_PAVING], 3) == 0;
  g_assert_cmpuint (coloured, ==, w * h);
}

/* The border pixels: a zoomed view whose edge cuts a filled region shows no outline
 * along the edge, since the samples beyond it carry the same label. */
static void
test_outline_at_edge (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (phantom, &error);
  FidacPlane plane;
  FidacOverlayStyle style;
  const gint k = 30;
  g_autofree guint8 *labels = NULL;
  g_autofree guint8 *gray = NULL;
  g_autofree guint8 *rgb = NULL;
  gsize coloured = 0;

  g_assert_no_error (error);
  /* The whole slice but a one-voxel frame is class 2. */
  for (gint v = 1; v < phantom->dims[1] - 1; v++)
    for (gint u = 1; u < phantom->dims[0] - 1; u++)
      fidac_label_map_set (map, u, v, k, FIDAC_LESION_CONSOLIDATION);
  g_assert_true (fidac_plane_init_view (&plane, phantom, FIDAC_VIEW_AXIAL, k, 0, &error));
  g_assert_no_error (error);
  /* The middle 40 × 30 voxels, 1:1. */
  plane.width = 40;
  plane.height = 30;
  labels = g_malloc ((gsize) (plane.width + 2) * (plane.height + 2));
  gray = g_malloc0 ((gsize) plane.width * plane.height);
  rgb = g_malloc ((gsize) plane.width * plane.height * 3);
  g_assert_true (fidac_label_reslice (map, phantom, &plane, 1, labels, &error));
  g_assert_no_error (error);
  for (gsize p = 0; p < (gsize) (plane.width + 2) * (plane.height + 2); p++)
    g_assert_cmpuint (labels[p], ==, FIDAC_LESION_CONSOLIDATION);

  fidac_overlay_style_init (&style);
  style.mode = FIDAC_OVERLAY_OUTLINE;
  fidac_overlay_composite (gray, labels, plane.width, plane.height, &style, rgb, 3);
  for (gsize p = 0; p < (gsize) plane.width * plane.height * 3; p++)
    coloured += rgb[p] != 0;
  g_assert_cmpuint (coloured, ==, 0);
}

int
main (int argc, char *argv[])
{
  gint status;

  g_test_init (&argc, &argv, NULL);
  setup_phantom ();

  g_test_add_func ("/fidac/label-reslice/axial-native", test_axial_native);
  g_test_add_func ("/fidac/label-reslice/views-match-reslice", test_views_match_reslice);
  g_test_add_func ("/fidac/label-reslice/errors", test_errors);
  g_test_add_func ("/fidac/label-reslice/style-init", test_style_init);
  g_test_add_func ("/fidac/label-reslice/composite-arithmetic", test_composite_arithmetic);
  g_test_add_func ("/fidac/label-reslice/outline-square", test_outline_square);
  g_test_add_func ("/fidac/label-reslice/outline-at-edge", test_outline_at_edge);

  status = g_test_run ();
  fidac_label_map_unref (truth);
  fidac_volume_unref (phantom);
  return status;
}
