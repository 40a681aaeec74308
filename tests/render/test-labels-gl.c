/* test-labels-gl.c: the OpenGL label overlay against the CPU compositing, and the label
 * texture's partial updates, under Xvfb.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case draws grey + overlay with GL (fidac_label_overlay_read_rgba()) and composes the
 * same grey (read back from the MPR pass alone, so that only the overlay is compared) with
 * fidac_label_reslice() + fidac_overlay_composite(): every channel of every pixel must be at
 * most one level apart, and the labels themselves must land on the same pixels.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <epoxy/gl.h>
#include <gtk/gtk.h>

#include "fidac-dicom.h"
#include "fidac-lesion.h"
#include "fidac-paint.h"
#include "fidac-phantom.h"
#include "fidac-render.h"
#include "fidac-test-support.h"
#include "render-test-common.h"

static GdkGLContext *context;
static FidacMprRenderer *renderer;
static FidacLabelOverlay *overlay;
static FidacLabelOverlay *overlay_general;     /* never on the table path */
static FidacLabelOverlay *overlay_axis;
static FidacLabelOverlay *overlay_float;       /* made with FIDAC_RENDER_NO_FP64 */
static FidacVolume *phantom;
static FidacLabelMap *map;      /* the phantom's lesions + a painted block of class 3 */

static gboolean
have_context (void)
{
  return render_test_have_context (context);
}

static void
setup_phantom (void)
{
  g_autoptr(GError) error = NULL;
  FidacPhantomOptions options;
  guint n = 0;
  const FidacPhantomLesion *lesions = fidac_phantom_lesions (&n);
  gdouble voxel[3];
  gint ci, cj, ck;

  fidac_phantom_options_init (&options);
  options.columns = 192;
  options.rows = 160;
  options.slices = 100;
  options.pixel_spacing = 1.9;
  options.slice_spacing = 2.5;
  phantom = fidac_phantom_new (&options, &error);
  g_assert_no_error (error);
  map = fidac_label_map_new (phantom, &error);
  g_assert_no_error (error);
  g_assert_true (fidac_phantom_fill_lesion_labels (phantom, map->labels,
                                                   fidac_volume_n_voxels (phantom), &error));
  g_assert_no_error (error);
  fidac_label_map_touch (map, 0, phantom->dims[2] - 1);

  /* A block of crazy paving touching lesion 0, so that classes meet. */
  fidac_volume_patient_to_voxel (phantom, lesions[0].center, voxel);
  ci = (gint) floor (voxel[0] + 0.5);
  cj = (gint) floor (voxel[1] + 0.5);
  ck = (gint) floor (voxel[2] + 0.5);
  for (gint k = ck - 3; k <= ck + 3; k++)
    for (gint j = cj - 4; j <= cj + 6; j++)
      for (gint i = ci; i <= ci + 12; i++)
        if (fidac_label_map_get (map, i, j, k) == FIDAC_LABEL_NONE)
          fidac_label_map_set (map, i, j, k, FIDAC_LESION_CRAZY_PAVING);
}

typedef struct {
  gint  max_diff;
  gsize coloured;
  gsize pixels;
  guint cases;
} Tally;

static void
compare_map (FidacGLVolume           *gl_volume,
             FidacGLLabels           *labels,
             const FidacLabelMap     *cpu_map,
             const FidacMprParams    *params,
         const FidacOverlayStyle *style,
         const gchar             *what,
         Tally                   *tally)
{
  g_autoptr(GError) error = NULL;
  const gint w = params->plane.width, h = params->plane.height;
  const gsize n = (gsize) w * h;
  g_autofree guint8 *gray = g_malloc (n);
  g_autofree guint8 *image = g_malloc ((gsize) (w + 2) * (h + 2));
  g_autofree guint8 *expected = g_malloc (n * 4);
  g_autofree guint8 *got = g_malloc (n * 4);
  gint max_diff = 0;
  gsize worst = 0, coloured = 0;

  g_assert_true (fidac_mpr_renderer_read_gray (renderer, gl_volume, params, gray, &error));
  g_assert_no_error (error);
  g_assert_true (fidac_label_reslice (cpu_map, fidac_gl_volume_get_volume (gl_volume),
                                      &params->plane, 1, image, &error));
  g_assert_no_error (error);
  fidac_overlay_composite (gray, image, w, h, style, expected, 4);
  memset (got, 0x5a, n * 4);
  g_assert_true (fidac_label_overlay_read_rgba (overlay, renderer, gl_volume, labels, params,
                                                style, got, &error));
  g_assert_no_error (error);

  for (gsize p = 0; p < n; p++)
    {
      gboolean is_coloured = FALSE;

      for (gint c = 0; c < 4; c++)
        {
          gint d = ABS ((gint) got[p * 4 + c] - (gint) expected[p * 4 + c]);

          if (d > max_diff)
            {
              max_diff = d;
              worst = p;
            }
          is_coloured |= c < 3 && expected[p * 4 + c] != gray[p];
        }
      coloured += is_coloured;
    }
  if (max_diff > 0)
    g_test_message ("%s (%d × %d): max difference %d at (%" G_GSIZE_FORMAT ", %"
                    G_GSIZE_FORMAT "): GL %d %d %d, CPU %d %d %d (grey %d, label %d)",
                    what, w, h, max_diff, worst % w, worst / w, got[worst * 4],
                    got[worst * 4 + 1], got[worst * 4 + 2], expected[worst * 4],
                    expected[worst * 4 + 1], expected[worst * 4 + 2], gray[worst],
                    image[(worst / w + 1) * (w + 2) + worst % w + 1]);
  g_assert_cmpint (max_diff, <=, 1);
  if (tally != NULL)
    {
      tally->max_diff = MAX (tally->max_diff, max_diff);
      tally->coloured += coloured;
      tally->pixels += n;
      tally->cases++;
    }
}

static void
compare (FidacGLVolume           *gl_volume,
         FidacGLLabels           *labels,
         const FidacMprParams    *params,
         const FidacOverlayStyle *style,
         const gchar             *what,
         Tally                   *tally)
{
  compare_map (gl_volume, labels, map, params, style, what, tally);
}

static FidacGLVolume *
upload_volume (void)
{
  g_autoptr(GError) error = NULL;
  FidacGLVolume *gl = fidac_gl_volume_new (phantom, &error);

  g_assert_no_error (error);
  return gl;
}

static FidacGLLabels *
upload_labels (const FidacLabelMap *source)
{
  g_autoptr(GError) error = NULL;
  FidacGLLabels *gl = fidac_gl_labels_new (phantom, source, &error);

  g_assert_no_error (error);
  g_assert_nonnull (gl);
  g_assert_cmpuint (fidac_gl_labels_get_texture (gl), !=, 0);
  return gl;
}

/* The styles every plane is drawn with. */
static void
compare_styles_map (FidacGLVolume        *gl_volume,
                    FidacGLLabels        *labels,
                    const FidacLabelMap  *cpu_map,
                    const FidacMprParams *params,
                    const gchar          *what,
                    Tally                *tally)
{
  static const struct {
    FidacOverlayMode mode;
    gdouble          opacity;
    guint32          visible;     /* 0: the catalog's */
    const gchar     *name;
  } styles[] = {
    { FIDAC_OVERLAY_FILLED, 0.5, 0, "filled 0.5" },
    { FIDAC_OVERLAY_FILLED, 0.3, 0, "filled 0.3" },
    { FIDAC_OVERLAY_FILLED, 0.77, 0, "filled 0.77" },
    { FIDAC_OVERLAY_FILLED, 1.0, 0, "filled opaque" },
    { FIDAC_OVERLAY_OUTLINE, 1.0, 0, "outline opaque" },
    { FIDAC_OVERLAY_OUTLINE, 0.6, 0, "outline 0.6" },
    { FIDAC_OVERLAY_FILLED, 0.5, 1u << FIDAC_LESION_CONSOLIDATION, "consolidation only" },
    { FIDAC_OVERLAY_OUTLINE, 0.8, 1u << FIDAC_LESION_CRAZY_PAVING, "crazy paving outline" },
  };

  for (guint s = 0; s < G_N_ELEMENTS (styles); s++)
    {
      FidacOverlayStyle style;
      g_autofree gchar *label = g_strdup_printf ("%s, %s", what, styles[s].name);

      fidac_overlay_style_init (&style);
      style.mode = styles[s].mode;
      style.opacity = styles[s].opacity;
      if (styles[s].visible != 0)
        style.visible = styles[s].visible;
      compare_map (gl_volume, labels, cpu_map, params, &style, label, tally);
    }
}

static void
compare_styles (FidacGLVolume        *gl_volume,
                FidacGLLabels        *labels,
                const FidacMprParams *params,
                const gchar          *what,
                Tally                *tally)
{
  compare_styles_map (gl_volume, labels, map, params, what, tally);
}

static void
report (const Tally *tally,
        const gchar *what)
{
  g_test_message ("%s: %u cases, %" G_GSIZE_FORMAT " pixels, %" G_GSIZE_FORMAT
                  " coloured, max difference %d", what, tally->cases, tally->pixels,
                  tally->coloured, tally->max_diff);
  g_assert_cmpuint (tally->coloured, >, 0);
}

static const gchar *view_names[] = { "axial", "coronal", "sagittal" };

/* The three views through lesion 0 at 256 pixels, then zoomed in 3.3 times on an odd-sized
 * view, then panned half out of the volume; nearest and linear grey. On the table path of
 * axis-aligned planes (data "axis"), on the general one ("general"), and on the table path
 * of a context without double precision ("float"): the tables are computed on the CPU, so
 * axis-aligned planes stay exact there too. */
static void
test_views (gconstpointer data)
{
  gboolean axis = !g_str_equal (data, "general");
  g_autoptr(FidacGLVolume) gl_volume = NULL;
  g_autoptr(FidacGLLabels) labels = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;
  const FidacPhantomLesion *lesions = fidac_phantom_lesions (&n);
  Tally tally = { 0 };

  if (!have_context ())
    return;
  overlay = g_str_equal (data, "float") ? overlay_float : axis ? overlay_axis : overlay_general;
  if (overlay == NULL)
    {
      g_test_skip ("no overlay without double precision");
      return;
    }
  gl_volume = upload_volume ();
  labels = upload_labels (map);

  for (gint view = 0; view < FIDAC_N_VIEWS; view++)
    {
      FidacMprParams params;
      g_autofree gchar *what = NULL;

      fidac_mpr_params_init (&params);
      g_assert_true (fidac_plane_init_view (&params.plane, phantom, view, 0, 256, &error));
      g_assert_no_error (error);
      fidac_plane_move_to (&params.plane, lesions[0].center);
      what = g_strdup_printf ("%s", view_names[view]);
      compare_styles (gl_volume, labels, &params, what, &tally);

      params.plane.pixel_size /= 3.3;
      memcpy (params.plane.center, lesions[0].center, sizeof params.plane.center);
      params.plane.width = 211;
      params.plane.height = 157;
      params.reslice.interpolation = FIDAC_INTERPOLATION_NEAREST;
      g_free (what);
      what = g_strdup_printf ("%s zoomed", view_names[view]);
      compare_styles (gl_volume, labels, &params, what, &tally);
      g_assert_true (fidac_label_overlay_get_last_draw_axis (overlay) == axis);

      /* Half the view beyond the volume's edge, at native resolution. */
      g_assert_true (fidac_plane_init_view (&params.plane, phantom, view, 0, 0, &error));
      g_assert_no_error (error);
      fidac_plane_move_to (&params.plane, lesions[0].center);
      for (gint c = 0; c < 3; c++)
        params.plane.center[c] += params.plane.right[c] * params.plane.width * 0.5 *
                                  params.plane.pixel_size +
                                  params.plane.down[c] * 7.3 * params.plane.pixel_size;
      g_free (what);
      what = g_strdup_printf ("%s panned", view_names[view]);
      compare_styles (gl_volume, labels, &params, what, &tally);
    }
  report (&tally, data);
  overlay = overlay_axis;
}

/* An oblique plane through the lesion, and one through a grid that is itself oblique. */
static void
test_oblique (void)
{
  g_autoptr(FidacGLVolume) gl_volume = NULL;
  g_autoptr(FidacGLLabels) labels = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;
  const FidacPhantomLesion *lesions = fidac_phantom_lesions (&n);
  FidacMprParams params;
  const gdouble a = 0.37, b = -0.29;
  Tally tally = { 0 };

  if (!have_context ())
    return;
  gl_volume = upload_volume ();
  labels = upload_labels (map);

  fidac_mpr_params_init (&params);
  g_assert_true (fidac_plane_init_view (&params.plane, phantom, FIDAC_VIEW_AXIAL, 0, 233,
                                        &error));
  g_assert_no_error (error);
  params.plane.right[0] = cos (a);
  params.plane.right[1] = 0.0;
  params.plane.right[2] = sin (a);
  params.plane.down[0] = -sin (a) * sin (b);
  params.plane.down[1] = cos (b);
  params.plane.down[2] = cos (a) * sin (b);
  memcpy (params.plane.center, lesions[0].center, sizeof params.plane.center);
  params.plane.pixel_size *= 0.6;
  compare_styles (gl_volume, labels, &params, "oblique", &tally);
  g_assert_false (fidac_label_overlay_get_last_draw_axis (overlay));
  /* The slab changes the grey only: labels stay those of the central plane. */
  params.reslice.slab_mm = 10.0;
  params.reslice.slab_mode = FIDAC_SLAB_MIP;
  compare_styles (gl_volume, labels, &params, "oblique MIP slab", &tally);
  report (&tally, "oblique");
}

/* The whole texture read back, layer by layer. */
static guint8 *
read_texture (FidacGLLabels *labels)
{
  gsize n = fidac_volume_n_voxels (phantom);
  guint8 *out = g_malloc (n);
  GLint old_texture = 0, old_alignment = 0;

  glGetIntegerv (GL_TEXTURE_BINDING_2D_ARRAY, &old_texture);
  glGetIntegerv (GL_PACK_ALIGNMENT, &old_alignment);
  glPixelStorei (GL_PACK_ALIGNMENT, 1);
  glBindTexture (GL_TEXTURE_2D_ARRAY, fidac_gl_labels_get_texture (labels));
  glGetTexImage (GL_TEXTURE_2D_ARRAY, 0, GL_RED_INTEGER, GL_UNSIGNED_BYTE, out);
  glBindTexture (GL_TEXTURE_2D_ARRAY, old_texture);
  glPixelStorei (GL_PACK_ALIGNMENT, old_alignment);
  g_assert_cmpuint (glGetError (), ==, GL_NO_ERROR);
  return out;
}

static void
assert_slices (const guint8 *texture,
               const guint8 *labels,
               gint          k0,
               gint          k1)
{
  gsize slice = fidac_volume_slice_voxels (phantom);

  g_assert_cmpmem (texture + slice * k0, slice * (k1 - k0 + 1), labels + slice * k0,
                   slice * (k1 - k0 + 1));
}

/* A few voxels change on slices 12 and 13 and on slice 70; updating 12 .. 13 only sends
 * those: the texture then holds the new slices 12 and 13 and still the old slice 70. */
static void
test_partial_update (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacLabelMap) copy = fidac_label_map_new (phantom, &error);
  g_autoptr(FidacGLLabels) labels = NULL;
  g_autoptr(FidacGLVolume) gl_volume = NULL;
  g_autofree guint8 *before = NULL;
  g_autofree guint8 *texture = NULL;
  gint k0 = -1, k1 = -1;
  const gint last = phantom->dims[2] - 1;

  if (!have_context ())
    return;
  g_assert_no_error (error);
  memcpy (copy->labels, map->labels, fidac_volume_n_voxels (phantom));
  fidac_label_map_touch (copy, 0, last);
  fidac_label_map_clear_dirty (copy);
  before = g_memdup2 (copy->labels, fidac_volume_n_voxels (phantom));

  labels = upload_labels (copy);
  texture = read_texture (labels);
  assert_slices (texture, copy->labels, 0, last);
  g_clear_pointer (&texture, g_free);

  for (gint d = 0; d < 9; d++)
    {
      fidac_label_map_set (copy, 40 + d, 50, 12, FIDAC_LESION_GROUND_GLASS);
      fidac_label_map_set (copy, 60, 30 + d, 13, FIDAC_LESION_CRAZY_PAVING);
      fidac_label_map_set (copy, 70 + d, 70, 70, FIDAC_LESION_CONSOLIDATION);
    }
  g_assert_true (fidac_label_map_get_dirty (copy, &k0, &k1));
  g_assert_cmpint (k0, ==, 12);
  g_assert_cmpint (k1, ==, 70);

  g_assert_true (fidac_gl_labels_update (labels, copy, 12, 13, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fidac_gl_labels_get_last_update_slices (labels), ==, 2);
  texture = read_texture (labels);
  assert_slices (texture, copy->labels, 12, 13);
  assert_slices (texture, before, 0, 11);
  assert_slices (texture, before, 14, last);
  g_assert_cmpmem (texture + fidac_volume_slice_voxels (phantom) * 70,
                   fidac_volume_slice_voxels (phantom),
                   before + fidac_volume_slice_voxels (phantom) * 70,
                   fidac_volume_slice_voxels (phantom));
  g_assert_true (memcmp (before + fidac_volume_slice_voxels (phantom) * 70,
                         copy->labels + fidac_volume_slice_voxels (phantom) * 70,
                         fidac_volume_slice_voxels (phantom)) != 0);
  g_clear_pointer (&texture, g_free);

  /* The rest, with the range clamped to the grid. */
  g_assert_true (fidac_gl_labels_update (labels, copy, 70, last + 50, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fidac_gl_labels_get_last_update_slices (labels), ==, last - 70 + 1);
  texture = read_texture (labels);
  assert_slices (texture, copy->labels, 0, last);

  /* The boxes follow: slice 12 had no label before but the 9 voxels of row 50. */
  {
    gint box[6];

    g_assert_true (fidac_gl_labels_get_box (labels, 12, 12, box));
    if (fidac_label_map_slice_count (copy, 12, FIDAC_LESION_GROUND_GLASS) == 9)
      {
        const gint expected[6] = { 40, 48, 50, 50, 12, 12 };

        g_assert_cmpmem (box, sizeof box, expected, sizeof expected);
      }
    for (gint d = 0; d < 9; d++)
      fidac_label_map_set (copy, 40 + d, 50, 12, FIDAC_LABEL_NONE);
    g_assert_true (fidac_gl_labels_update (labels, copy, 12, 12, &error));
    g_assert_true (fidac_gl_labels_get_box (labels, 12, 12, box) ==
                   (fidac_label_map_slice_count (copy, 12, FIDAC_LESION_GROUND_GLASS) +
                    fidac_label_map_slice_count (copy, 12, FIDAC_LESION_CONSOLIDATION) +
                    fidac_label_map_slice_count (copy, 12, FIDAC_LESION_CRAZY_PAVING) > 0));
    for (gint d = 0; d < 9; d++)
      fidac_label_map_set (copy, 40 + d, 50, 12, FIDAC_LESION_GROUND_GLASS);
    g_assert_true (fidac_gl_labels_update (labels, copy, 12, 12, &error));
  }

  /* An empty range sends nothing. */
  g_assert_true (fidac_gl_labels_update (labels, copy, 5, 4, &error));
  g_assert_cmpint (fidac_gl_labels_get_last_update_slices (labels), ==, 0);

  /* And the views draw the new labels: slice 12, axial, native. */
  {
    FidacMprParams params;
    FidacOverlayStyle style;

    gl_volume = upload_volume ();
    fidac_mpr_params_init (&params);
    g_assert_true (fidac_plane_init_view (&params.plane, phantom, FIDAC_VIEW_AXIAL, 12, 0,
                                          &error));
    g_assert_no_error (error);
    fidac_overlay_style_init (&style);
    style.opacity = 1.0;
    compare_map (gl_volume, labels, copy, &params, &style, "updated slice 12", NULL);
  }
}

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) small = fidac_volume_new (8, 8, 8, NULL);
  g_autoptr(FidacLabelMap) small_map = fidac_label_map_new (small, NULL);
  g_autoptr(FidacGLLabels) labels = NULL;
  FidacMprParams params;
  FidacOverlayStyle style;

  if (!have_context ())
    return;
  g_assert_null (fidac_gl_labels_new (phantom, small_map, &error));
  g_assert_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED);
  g_clear_error (&error);

  labels = upload_labels (map);
  g_assert_false (fidac_gl_labels_update (labels, small_map, 0, 3, &error));
  g_assert_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED);
  g_clear_error (&error);

  fidac_mpr_params_init (&params);
  g_assert_true (fidac_plane_init_view (&params.plane, phantom, FIDAC_VIEW_AXIAL, 3, 32,
                                        &error));
  fidac_overlay_style_init (&style);
  style.opacity = -0.1;
  g_assert_false (fidac_label_overlay_draw (overlay, labels, &params, &style, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  style.opacity = 0.5;
  params.plane.width = 0;
  g_assert_false (fidac_label_overlay_draw (overlay, labels, &params, &style, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  params.plane.width = 32;

  fidac_gl_labels_release (labels);
  g_assert_cmpuint (fidac_gl_labels_get_texture (labels), ==, 0);
  g_assert_false (fidac_label_overlay_draw (overlay, labels, &params, &style, &error));
  g_assert_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (fidac_gl_labels_update (labels, map, 0, 3, &error));
  g_assert_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED);
  g_assert_cmpuint (glGetError (), ==, GL_NO_ERROR);
}

/* The overlay runs only where labels can show: nothing on a slice without labels (the
 * image is left as it was), a part of the view around the lesions otherwise, and the same
 * pixels as the CPU there (test_views compares whole images). */
static void
test_only_where_labelled (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacGLLabels) labels = NULL;
  g_autoptr(FidacGLVolume) gl_volume = NULL;
  FidacMprParams params;
  FidacOverlayStyle style;
  gint empty = -1, box[6];
  gsize n;
  g_autofree guint8 *grey = NULL;
  g_autofree guint8 *rgba = NULL;

  if (!have_context ())
    return;
  labels = upload_labels (map);
  gl_volume = upload_volume ();
  for (gint k = 0; k < phantom->dims[2] && empty < 0; k++)
    if (!fidac_gl_labels_get_box (labels, k - 1, k + 1, box))
      empty = k;
  g_assert_cmpint (empty, >=, 0);

  fidac_mpr_params_init (&params);
  fidac_overlay_style_init (&style);
  style.opacity = 1.0;
  g_assert_true (fidac_plane_init_view (&params.plane, phantom, FIDAC_VIEW_AXIAL, empty, 0,
                                        &error));
  n = (gsize) params.plane.width * params.plane.height;
  grey = g_malloc (n);
  rgba = g_malloc (n * 4);
  g_assert_true (fidac_mpr_renderer_read_gray (renderer, gl_volume, &params, grey, &error));
  g_assert_true (fidac_label_overlay_read_rgba (overlay, renderer, gl_volume, labels, &params,
                                                &style, rgba, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fidac_label_overlay_get_last_pixels (overlay), ==, 0);
  for (gsize p = 0; p < n; p++)
    g_assert_cmpuint (rgba[p * 4], ==, grey[p]);

  /* Through lesion 0: some pixels, not all. */
  {
    guint n_lesions = 0;
    const FidacPhantomLesion *lesions = fidac_phantom_lesions (&n_lesions);

    fidac_plane_move_to (&params.plane, lesions[0].center);
    compare (gl_volume, labels, &params, &style, "around lesion 0", NULL);
    g_assert_cmpuint (fidac_label_overlay_get_last_pixels (overlay), >, 0);
    g_assert_cmpuint (fidac_label_overlay_get_last_pixels (overlay), <, n / 4);
  }
}

/* A shared series with 20 mm spheres of each class painted in both lungs: the views
 * through them, GL against CPU. */
static void
test_real (gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *path = NULL;
  g_autoptr(FidacScan) scan = NULL;
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacLabelMap) painted = NULL;
  g_autoptr(FidacGLVolume) gl_volume = NULL;
  g_autoptr(FidacGLLabels) labels = NULL;
  const FidacSeriesInfo *info;
  const gdouble places[][3] = {
    { 0.3, 0.45, 0.5 }, { 0.33, 0.5, 0.52 }, { 0.7, 0.5, 0.45 }, { 0.68, 0.4, 0.6 },
  };
  gdouble centre[3];
  Tally tally = { 0 };
  FidacBrush brush;

  if (!have_context ())
    return;
  path = fidac_test_shared_ct (data);
  if (path == NULL)
    return;
  scan = fidac_dicom_scan (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  info = fidac_scan_pick (scan, NULL, &error);
  g_assert_no_error (error);
  volume = fidac_dicom_load_series (info, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  painted = fidac_label_map_new (volume, &error);
  g_assert_no_error (error);
  fidac_brush_init (&brush);
  brush.shape = FIDAC_BRUSH_SPHERE;
  brush.diameter = 20.0;
  brush.over = FIDAC_PAINT_OVER_ALL;
  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    {
      const gdouble voxel[3] = {
        places[i][0] * (volume->dims[0] - 1), places[i][1] * (volume->dims[1] - 1),
        places[i][2] * (volume->dims[2] - 1),
      };

      fidac_volume_voxel_to_patient (volume, voxel, centre);
      brush.label = 1 + i % FIDAC_LESION_N_CLASSES;
      g_assert_cmpint (fidac_paint_dab (painted, volume, &brush, centre, NULL, &error), >, 0);
      g_assert_no_error (error);
    }

  gl_volume = fidac_gl_volume_new (volume, &error);
  g_assert_no_error (error);
  labels = fidac_gl_labels_new (volume, painted, &error);
  g_assert_no_error (error);

  /* Through the first sphere, native and zoomed; the last one through the oblique. */
  {
    const gdouble voxel[3] = {
      places[0][0] * (volume->dims[0] - 1), places[0][1] * (volume->dims[1] - 1),
      places[0][2] * (volume->dims[2] - 1),
    };

    fidac_volume_voxel_to_patient (volume, voxel, centre);
  }
  for (gint view = 0; view < FIDAC_N_VIEWS; view++)
    {
      FidacMprParams params;
      g_autofree gchar *what = g_strdup_printf ("%s %s", (const gchar *) data,
                                                view_names[view]);

      fidac_mpr_params_init (&params);
      g_assert_true (fidac_plane_init_view (&params.plane, volume, view, 0, 0, &error));
      g_assert_no_error (error);
      fidac_plane_move_to (&params.plane, centre);
      compare_styles_map (gl_volume, labels, painted, &params, what, &tally);
      g_assert_true (fidac_label_overlay_get_last_draw_axis (overlay));

      params.plane.pixel_size /= 2.9;
      memcpy (params.plane.center, centre, sizeof centre);
      params.plane.width = 307;
      params.plane.height = 229;
      compare_styles_map (gl_volume, labels, painted, &params, what, &tally);
    }
  report (&tally, data);
}

/* The caller's blending state, program, vertex array and texture survive a draw. */
static void
test_state_restored (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacGLLabels) labels = NULL;
  FidacMprParams params;
  FidacOverlayStyle style;
  GLint value = 0;
  GLuint fbo = 0, rb = 0;

  if (!have_context ())
    return;
  labels = upload_labels (map);
  fidac_mpr_params_init (&params);
  g_assert_true (fidac_plane_init_view (&params.plane, phantom, FIDAC_VIEW_CORONAL, 50, 48,
                                        &error));
  fidac_overlay_style_init (&style);

  render_test_target_new (48, 48, &fbo, &rb);

  glDisable (GL_BLEND);
  glBlendFunc (GL_ONE, GL_ZERO);
  glScissor (3, 4, 5, 6);
  glActiveTexture (GL_TEXTURE3);
  g_assert_true (fidac_label_overlay_draw (overlay, labels, &params, &style, &error));
  g_assert_no_error (error);
  /* The table path ran, and left units 0 and 1 as they were. */
  g_assert_true (fidac_label_overlay_get_last_draw_axis (overlay));
  g_assert_false (glIsEnabled (GL_SCISSOR_TEST));
  {
    GLint box[4];
    const GLint expected[4] = { 3, 4, 5, 6 };

    glGetIntegerv (GL_SCISSOR_BOX, box);
    g_assert_cmpmem (box, sizeof box, expected, sizeof expected);
  }
  glGetIntegerv (GL_ACTIVE_TEXTURE, &value);
  g_assert_cmpint (value, ==, GL_TEXTURE3);
  glActiveTexture (GL_TEXTURE1);
  glGetIntegerv (GL_TEXTURE_BINDING_2D, &value);
  g_assert_cmpint (value, ==, 0);
  glActiveTexture (GL_TEXTURE0);
  glGetIntegerv (GL_TEXTURE_BINDING_2D_ARRAY, &value);
  g_assert_cmpint (value, ==, 0);
  g_assert_false (glIsEnabled (GL_BLEND));
  glGetIntegerv (GL_BLEND_SRC_RGB, &value);
  g_assert_cmpint (value, ==, GL_ONE);
  glGetIntegerv (GL_BLEND_DST_ALPHA, &value);
  g_assert_cmpint (value, ==, GL_ZERO);
  glGetIntegerv (GL_CURRENT_PROGRAM, &value);
  g_assert_cmpint (value, ==, 0);

  glEnable (GL_BLEND);
  glBlendFuncSeparate (GL_ONE, GL_ONE, GL_SRC_ALPHA, GL_ONE);
  g_assert_true (fidac_label_overlay_draw (overlay, labels, &params, &style, &error));
  g_assert_true (glIsEnabled (GL_BLEND));
  glGetIntegerv (GL_BLEND_DST_RGB, &value);
  g_assert_cmpint (value, ==, GL_ONE);
  glGetIntegerv (GL_BLEND_SRC_ALPHA, &value);
  g_assert_cmpint (value, ==, GL_SRC_ALPHA);
  glDisable (GL_BLEND);
  glBlendFunc (GL_ONE, GL_ZERO);

  render_test_target_free (fbo, rb);
  g_assert_cmpuint (glGetError (), ==, GL_NO_ERROR);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  gint status;

  g_test_init (&argc, &argv, NULL);
  setup_phantom ();

  context = render_test_init_context ();
  if (context != NULL)
    {
      renderer = fidac_mpr_renderer_new (&error);
      g_assert_no_error (error);
      overlay = overlay_axis = fidac_label_overlay_new (&error);
      g_assert_no_error (error);
      overlay_general = fidac_label_overlay_new (&error);
      g_assert_no_error (error);
      fidac_label_overlay_set_axis_path (overlay_general, FALSE);
      /* Read when the overlay is made, before any test thread runs. */
      g_setenv ("FIDAC_RENDER_NO_FP64", "1", TRUE);
      overlay_float = fidac_label_overlay_new (&error);
      g_unsetenv ("FIDAC_RENDER_NO_FP64");
      g_assert_no_error (error);
      g_assert_false (fidac_label_overlay_get_double_precision (overlay_float));
      g_test_message ("label positions in %s precision",
                      fidac_label_overlay_get_double_precision (overlay) ? "double" : "float");
    }

  g_test_add_data_func ("/fidac/render/labels/views/axis", "axis", test_views);
  g_test_add_data_func ("/fidac/render/labels/views/general", "general", test_views);
  g_test_add_data_func ("/fidac/render/labels/views/float", "float", test_views);
  g_test_add_data_func ("/fidac/render/labels/real/covid", "covid-ricord-000082", test_real);
  g_test_add_func ("/fidac/render/labels/oblique", test_oblique);
  g_test_add_func ("/fidac/render/labels/partial-update", test_partial_update);
  g_test_add_func ("/fidac/render/labels/errors", test_errors);
  g_test_add_func ("/fidac/render/labels/only-where-labelled", test_only_where_labelled);
  g_test_add_func ("/fidac/render/labels/state-restored", test_state_restored);

  status = g_test_run ();

  if (context != NULL)
    {
      gdk_gl_context_make_current (context);
      g_clear_pointer (&overlay_axis, fidac_label_overlay_free);
      g_clear_pointer (&overlay_general, fidac_label_overlay_free);
      g_clear_pointer (&overlay_float, fidac_label_overlay_free);
      overlay = NULL;
      g_clear_pointer (&renderer, fidac_mpr_renderer_free);
      gdk_gl_context_clear_current ();
      g_clear_object (&context);
    }
  fidac_label_map_unref (map);
  fidac_volume_unref (phantom);
  return status;
}
