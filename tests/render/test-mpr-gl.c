/* test-mpr-gl.c: the OpenGL MPR pass against the CPU reslicer, pixel by pixel, under Xvfb.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every case renders a plane both ways (fidac_reslice() + fidac_reslice_window(), and
 * fidac_mpr_renderer_read_gray()) and requires every pixel to be at most one grey level
 * apart: float arithmetic on the GPU against double on the CPU moves a value across a
 * rounding boundary now and then, never further.
 */
#include "config.h"

#include <epoxy/gl.h>
#include <gtk/gtk.h>

#include "fidac-dicom.h"
#include "fidac-phantom.h"
#include "fidac-render.h"
#include "fidac-render-private.h"
#include "fidac-test-support.h"
#include "render-test-common.h"
#include "fidac-window-level.h"

static GdkGLContext *context;
static FidacMprRenderer *renderer;

typedef struct {
  const gchar *name;
  gdouble      width;
  gdouble      level;
  gboolean     invert;
} Window;

static const Window windows[] = {
  { "lung", FIDAC_WINDOW_LUNG_WIDTH, FIDAC_WINDOW_LUNG_LEVEL, FALSE },
  { "mediastinum", FIDAC_WINDOW_MEDIASTINUM_WIDTH, FIDAC_WINDOW_MEDIASTINUM_LEVEL, FALSE },
  { "bone", FIDAC_WINDOW_BONE_WIDTH, FIDAC_WINDOW_BONE_LEVEL, FALSE },
  { "threshold", 1.0, -400.0, FALSE },
  { "threshold at a fraction", 0.5, 40.3, FALSE },
  { "lung-inverted", FIDAC_WINDOW_LUNG_WIDTH, FIDAC_WINDOW_LUNG_LEVEL, TRUE },
};

static const gchar *view_names[] = { "axial", "coronal", "sagittal" };

/* The worst case of a family, reported at its end. */
typedef struct {
  gint  max_diff;
  gsize differing;
  gsize pixels;
  guint cases;
} Tally;

static gboolean
have_context (void)
{
  return render_test_have_context (context);
}

static FidacGLVolume *
upload (FidacVolume *volume)
{
  g_autoptr(GError) error = NULL;
  FidacGLVolume *gl = fidac_gl_volume_new (volume, &error);

  g_assert_no_error (error);
  g_assert_nonnull (gl);
  return gl;
}

/* Compares the GL rendering of `params` with the CPU reference whose HU are `hu` (NULL:
 * computed here). */
static void
compare_hu (FidacGLVolume        *gl,
            const FidacMprParams *params,
            const gfloat         *hu,
            const gchar          *label,
            Tally                *tally)
{
  g_autoptr(GError) error = NULL;
  const FidacPlane *plane = &params->plane;
  gsize n = (gsize) plane->width * plane->height;
  g_autofree guint8 *expected = g_malloc (n);
  g_autofree guint8 *got = g_malloc (n);
  gint max_diff = 0;
  gsize differing = 0, worst = 0;

  fidac_reslice_window (hu, n, params->window_width, params->window_level, params->invert,
                        expected);
  memset (got, 0x5a, n);
  g_assert_true (fidac_mpr_renderer_read_gray (renderer, gl, params, got, &error));
  g_assert_no_error (error);

  for (gsize p = 0; p < n; p++)
    {
      gint d = ABS ((gint) got[p] - (gint) expected[p]);

      if (d > 0)
        differing++;
      if (d > max_diff)
        {
          max_diff = d;
          worst = p;
        }
    }
  if (max_diff > 0)
    g_test_message ("%s (%d × %d): max difference %d, %" G_GSIZE_FORMAT " pixels differ; "
                    "worst at (%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT "): GL %d, CPU %d (%.4f HU)",
                    label, plane->width, plane->height, max_diff, differing,
                    worst % plane->width, worst / plane->width, got[worst], expected[worst],
                    hu[worst]);
  if (tally)
    {
      tally->max_diff = MAX (tally->max_diff, max_diff);
      tally->differing += differing;
      tally->pixels += n;
      tally->cases++;
    }
  g_assert_cmpint (max_diff, <=, 1);
}

/* Reslices once on the CPU, then compares every window with it. */
static void
compare_windows (FidacGLVolume        *gl,
                 const FidacMprParams *base,
                 const Window         *wins,
                 guint                 n_wins,
                 const gchar          *label,
                 Tally                *tally)
{
  g_autoptr(GError) error = NULL;
  FidacVolume *volume = fidac_gl_volume_get_volume (gl);
  gsize n = (gsize) base->plane.width * base->plane.height;
  g_autofree gfloat *hu = g_new (gfloat, n);

  g_assert_true (fidac_reslice (volume, &base->plane, &base->reslice, hu, &error));
  g_assert_no_error (error);
  for (guint w = 0; w < n_wins; w++)
    {
      FidacMprParams params = *base;
      g_autofree gchar *full = g_strdup_printf ("%s, %s window", label, wins[w].name);

      params.window_width = wins[w].width;
      params.window_level = wins[w].level;
      params.invert = wins[w].invert;
      compare_hu (gl, &params, hu, full, tally);
    }
}

static void
report (const gchar *family,
        const Tally *tally)
{
  g_test_message ("%s: %u cases, %" G_GSIZE_FORMAT " pixels, max difference %d, "
                  "%" G_GSIZE_FORMAT " pixels differ (%.4f %%)",
                  family, tally->cases, tally->pixels, tally->max_diff, tally->differing,
                  tally->pixels ? 100.0 * tally->differing / tally->pixels : 0.0);
}

static FidacVolume *
phantom (gint     columns,
         gint     rows,
         gint     slices,
         gdouble  pixel_spacing,
         gdouble  slice_spacing,
         gdouble  tilt,
         gdouble  rotation,
         gdouble  axis_x,
         gdouble  axis_y,
         gdouble  axis_z)
{
  g_autoptr(GError) error = NULL;
  FidacPhantomOptions options;
  FidacVolume *volume;

  fidac_phantom_options_init (&options);
  if (columns > 0)
    {
      options.columns = columns;
      options.rows = rows;
      options.slices = slices;
      options.pixel_spacing = pixel_spacing;
      options.slice_spacing = slice_spacing;
    }
  options.tilt_degrees = tilt;
  options.rotation_degrees = rotation;
  options.rotation_axis[0] = axis_x;
  options.rotation_axis[1] = axis_y;
  options.rotation_axis[2] = axis_z;
  volume = fidac_phantom_new (&options, &error);
  g_assert_no_error (error);
  return volume;
}

static void
init_params (FidacMprParams     *params,
             const FidacVolume  *volume,
             FidacView           view,
             gint                index,
             gint                size,
             FidacInterpolation  interpolation)
{
  g_autoptr(GError) error = NULL;

  fidac_mpr_params_init (params);
  g_assert_true (fidac_plane_init_view (&params->plane, volume, view, index, size, &error));
  g_assert_no_error (error);
  params->reslice.interpolation = interpolation;
}

static gint
slice_count (const FidacVolume *volume,
             FidacView          view)
{
  gint count;

  fidac_view_get_slices (volume, view, &count, NULL, NULL);
  return count;
}

static void
test_upload (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacGLVolume) gl = NULL;
  GLint bound = -1;

  if (!have_context ())
    return;

  volume = phantom (61, 47, 23, 3.0, 5.0, 0, 0, 0, 0, 1);
  glBindTexture (GL_TEXTURE_2D_ARRAY, 0);
  gl = upload (volume);
  g_assert_true (fidac_gl_volume_get_volume (gl) == volume);
  g_assert_cmpuint (fidac_gl_volume_get_texture (gl), !=, 0);
  g_assert_cmpuint (fidac_gl_volume_get_texture_bytes (gl), ==, 2 * 61 * 47 * 23);
  g_assert_cmpfloat (fidac_gl_volume_get_upload_seconds (gl), >=, 0.0);
  /* The caller's binding is left as it was. */
  glGetIntegerv (GL_TEXTURE_BINDING_2D_ARRAY, &bound);
  g_assert_cmpint (bound, ==, 0);

  /* A second reference, then an explicit release: later unrefs touch no GL. */
  fidac_gl_volume_ref (gl);
  fidac_gl_volume_release (gl);
  g_assert_cmpuint (fidac_gl_volume_get_texture (gl), ==, 0);
  g_assert_cmpuint (fidac_gl_volume_get_texture_bytes (gl), ==, 0);
  fidac_gl_volume_unref (gl);

  /* Drawing from a released volume is an error, not a crash. */
  {
    FidacMprParams params;
    guint8 out[61 * 47];

    init_params (&params, volume, FIDAC_VIEW_AXIAL, 3, 0, FIDAC_INTERPOLATION_LINEAR);
    g_assert_false (fidac_mpr_renderer_read_gray (renderer, gl, &params, out, &error));
    g_assert_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED);
  }
}

/* The phantom's standard planes: every view, first, middle and last slice and two more,
 * native size, 1024 and an odd 333 × 517; both interpolations; every window. */
static void
test_phantom_views (void)
{
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacGLVolume) gl = NULL;
  Tally tally = { 0 };

  if (!have_context ())
    return;

  volume = phantom (0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
  gl = upload (volume);
  for (FidacView view = 0; view < FIDAC_N_VIEWS; view++)
    {
      gint count = slice_count (volume, view);
      const gint indices[] = { 0, count / 3, count / 2, count - 1 };

      for (guint i = 0; i < G_N_ELEMENTS (indices); i++)
        for (gint interp = 0; interp < 2; interp++)
          for (gint size = 0; size < 3; size++)
            {
              FidacMprParams params;
              g_autofree gchar *label = NULL;

              /* The big sizes on the middle slice only: they cost the most. */
              if (size > 0 && indices[i] != count / 2)
                continue;
              init_params (&params, volume, view, indices[i], size == 1 ? 1024 : 0, interp);
              if (size == 2)
                {
                  /* An odd field of 333 × 517 pixels of an unrounded size: its middle
                   * column samples exactly halfway between two voxels of an even axis. */
                  params.plane.pixel_size *= 0.8731;
                  params.plane.width = 333;
                  params.plane.height = 517;
                }
              label = g_strdup_printf ("phantom %s %d, %s, %s", view_names[view], indices[i],
                                       interp ? "linear" : "nearest",
                                       size == 0 ? "native" : size == 1 ? "1024" : "333×517");
              compare_windows (gl, &params, windows, G_N_ELEMENTS (windows), label, &tally);
            }
    }
  report ("phantom views", &tally);
}

static void
check_small_phantom (const gchar *family,
                     guint        interpolations)
{
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacGLVolume) gl = NULL;
  Tally tally = { 0 };

  /* Odd sizes (rows of an odd byte length test the unpack alignment) and spacings. */
  volume = phantom (97, 75, 31, 3.7, 6.3, 0, 0, 0, 0, 1);
  gl = upload (volume);
  for (FidacView view = 0; view < FIDAC_N_VIEWS; view++)
    {
      gint count = slice_count (volume, view);

      for (gint index = 0; index < count; index += MAX (1, count / 7))
        for (gint interp = 0; interp < 2; interp++)
          for (gint size = 0; size < 2; size++)
            {
              FidacMprParams params;
              g_autofree gchar *label = NULL;

              if (!(interpolations & (1u << interp)))
                continue;
              init_params (&params, volume, view, index, size ? 256 : 0, interp);
              label = g_strdup_printf ("small phantom %s %d, %s, %s", view_names[view], index,
                                       interp ? "linear" : "nearest", size ? "256" : "native");
              compare_windows (gl, &params, windows, G_N_ELEMENTS (windows), label, &tally);
            }
    }
  report (family, &tally);
}

/* Planes where nearest samples fall exactly halfway between two voxels: an odd width at
 * zoom 1 puts the middle column on the volume's centre, which lies between two voxels of an
 * even axis. Which one is picked depends on the last bit of the position, so the GPU agrees
 * with the CPU only when both compute it with the same arithmetic; the shader computes
 * ((origin + x du) + y dv) + s slab_step without fused operations, and so does the CPU
 * reslicer. */
static void
test_exact_ties (void)
{
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacGLVolume) gl = NULL;
  Tally tally = { 0 };

  if (!have_context ())
    return;

  volume = phantom (0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
  gl = upload (volume);
  for (FidacView view = 0; view < FIDAC_N_VIEWS; view++)
    for (gint slab = 0; slab < 2; slab++)
      {
        g_autoptr(GError) error = NULL;
        FidacMprParams params;
        g_autofree gchar *label = NULL;
        gsize n;
        g_autofree gfloat *hu = NULL;
        g_autofree guint8 *expected = NULL;
        g_autofree guint8 *got = NULL;

        init_params (&params, volume, view, slice_count (volume, view) / 2, 0,
                     FIDAC_INTERPOLATION_NEAREST);
        params.plane.pixel_size *= 0.8731;
        params.plane.width = 333;
        params.plane.height = 517;
        if (slab)
          {
            params.reslice.slab_mm = 10.0;
            params.reslice.slab_mode = FIDAC_SLAB_MIP;
          }
        n = (gsize) params.plane.width * params.plane.height;
        hu = g_new (gfloat, n);
        expected = g_malloc (n);
        got = g_malloc (n);
        g_assert_true (fidac_reslice (volume, &params.plane, &params.reslice, hu, &error));
        g_assert_no_error (error);
        fidac_reslice_window (hu, n, params.window_width, params.window_level, FALSE, expected);
        g_assert_true (fidac_mpr_renderer_read_gray (renderer, gl, &params, got, &error));
        g_assert_no_error (error);
        label = g_strdup_printf ("ties: phantom %s, nearest%s", view_names[view],
                                 slab ? ", MIP 10 mm" : "");
        {
          gint max_diff = 0;
          gsize differing = 0;

          for (gsize p = 0; p < n; p++)
            {
              gint d = ABS ((gint) got[p] - (gint) expected[p]);

              max_diff = MAX (max_diff, d);
              differing += d > 0;
            }
          g_test_message ("%s: max difference %d, %" G_GSIZE_FORMAT " pixels differ", label,
                          max_diff, differing);
          tally.max_diff = MAX (tally.max_diff, max_diff);
          tally.differing += differing;
          tally.pixels += n;
          tally.cases++;
        }
      }
  report ("exact ties", &tally);
  g_assert_cmpint (tally.max_diff, <=, 1);
}

static void
test_phantom_small (void)
{
  if (!have_context ())
    return;
  check_small_phantom ("small phantom views", 3);
}

/* Degenerate grids: one slice, two slices, one row; and a feet-first series, whose axes
 * point the other way. */
static void
test_phantom_thin (void)
{
  const struct {
    const gchar *name;
    gint columns, rows, slices;
    gboolean feet_first;
  } grids[] = {
    { "one slice", 64, 48, 1, FALSE },
    { "two slices", 64, 48, 2, FALSE },
    { "one row", 64, 1, 20, FALSE },
    { "feet first", 70, 60, 30, TRUE },
  };
  Tally tally = { 0 };

  if (!have_context ())
    return;

  for (guint g = 0; g < G_N_ELEMENTS (grids); g++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FidacVolume) volume = NULL;
      g_autoptr(FidacGLVolume) gl = NULL;
      FidacPhantomOptions options;

      fidac_phantom_options_init (&options);
      options.columns = grids[g].columns;
      options.rows = grids[g].rows;
      options.slices = grids[g].slices;
      options.pixel_spacing = 5.0;
      options.slice_spacing = 7.0;
      options.feet_first = grids[g].feet_first;
      volume = fidac_phantom_new (&options, &error);
      g_assert_no_error (error);
      gl = upload (volume);
      for (FidacView view = 0; view < FIDAC_N_VIEWS; view++)
        {
          gint count = slice_count (volume, view);
          const gint indices[] = { 0, count / 2, count - 1 };

          for (guint i = 0; i < G_N_ELEMENTS (indices); i++)
            for (gint interp = 0; interp < 2; interp++)
              for (gint variant = 0; variant < 3; variant++)
                {
                  FidacMprParams params;
                  g_autofree gchar *label = NULL;

                  init_params (&params, volume, view, indices[i], variant == 1 ? 300 : 0,
                               interp);
                  if (variant == 2)
                    {
                      params.reslice.slab_mm = 20.0;
                      params.reslice.slab_mode = FIDAC_SLAB_AVERAGE;
                    }
                  label = g_strdup_printf ("%s, %s %d, %s%s", grids[g].name, view_names[view],
                                           indices[i], interp ? "linear" : "nearest",
                                           variant == 1 ? ", 300" :
                                           variant == 2 ? ", average 20 mm" : "");
                  compare_windows (gl, &params, windows, 2, label, &tally);
                }
        }
    }
  report ("thin and feet-first grids", &tally);
}

static void
test_phantom_slab (void)
{
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacGLVolume) gl = NULL;
  const FidacSlabMode modes[] = { FIDAC_SLAB_AVERAGE, FIDAC_SLAB_MIP, FIDAC_SLAB_MINIP };
  const gchar *mode_names[] = { "average", "MIP", "MinIP" };
  const gdouble thickness[] = { 10.0, 3.0 };
  Tally tally = { 0 };

  if (!have_context ())
    return;

  volume = phantom (0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
  gl = upload (volume);
  for (FidacView view = 0; view < FIDAC_N_VIEWS; view++)
    {
      gint count = slice_count (volume, view);
      /* The middle, and the first slice where half the slab lies outside the volume. */
      const gint indices[] = { count / 2, 0 };

      for (guint i = 0; i < G_N_ELEMENTS (indices); i++)
        for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
          for (guint t = 0; t < G_N_ELEMENTS (thickness); t++)
            for (gint interp = 0; interp < 2; interp++)
              {
                FidacMprParams params;
                g_autofree gchar *label = NULL;

                init_params (&params, volume, view, indices[i], 0, interp);
                params.reslice.slab_mm = thickness[t];
                params.reslice.slab_mode = modes[m];
                label = g_strdup_printf ("phantom %s %d, %s, %s %g mm (%d samples)",
                                         view_names[view], indices[i],
                                         interp ? "linear" : "nearest", mode_names[m],
                                         thickness[t],
                                         fidac_reslice_slab_samples (volume, &params.reslice));
                compare_windows (gl, &params, windows, 3, label, &tally);
              }
    }
  report ("phantom slabs", &tally);
}

/* Grids that the standard planes cut obliquely: rotated about z, about a skew axis, and a
 * gantry tilt (a sheared grid). */
static void
check_oblique (const gchar *family,
               guint        interpolations)
{
  const struct {
    const gchar *name;
    gdouble tilt, rotation, axis[3];
  } grids[] = {
    { "rotated 30° about z", 0, 30, { 0, 0, 1 } },
    { "rotated 17° about (1, 2, 3)", 0, 17, { 1, 2, 3 } },
    { "tilted 20°", 20, 0, { 0, 0, 1 } },
  };
  Tally tally = { 0 };

  for (guint g = 0; g < G_N_ELEMENTS (grids); g++)
    {
      g_autoptr(FidacVolume) volume = NULL;
      g_autoptr(FidacGLVolume) gl = NULL;
      gdouble norm = sqrt (grids[g].axis[0] * grids[g].axis[0] +
                           grids[g].axis[1] * grids[g].axis[1] +
                           grids[g].axis[2] * grids[g].axis[2]);

      volume = phantom (160, 150, 70, 2.1, 4.0, grids[g].tilt, grids[g].rotation,
                        grids[g].axis[0] / norm, grids[g].axis[1] / norm,
                        grids[g].axis[2] / norm);
      gl = upload (volume);
      for (FidacView view = 0; view < FIDAC_N_VIEWS; view++)
        {
          gint count = slice_count (volume, view);
          const gint indices[] = { count / 4, count / 2 };

          for (guint i = 0; i < G_N_ELEMENTS (indices); i++)
            for (gint interp = 0; interp < 2; interp++)
              for (gint slab = 0; slab < 2; slab++)
                {
                  FidacMprParams params;
                  g_autofree gchar *label = NULL;

                  if (!(interpolations & (1u << interp)))
                    continue;
                  init_params (&params, volume, view, indices[i], 0, interp);
                  if (slab)
                    {
                      params.reslice.slab_mm = 10.0;
                      params.reslice.slab_mode = FIDAC_SLAB_MIP;
                    }
                  label = g_strdup_printf ("%s, %s %d, %s%s", grids[g].name, view_names[view],
                                           indices[i], interp ? "linear" : "nearest",
                                           slab ? ", MIP 10 mm" : "");
                  compare_windows (gl, &params, windows, 3, label, &tally);
                }
        }
    }
  report (family, &tally);
}

static void
test_phantom_oblique (void)
{
  if (!have_context ())
    return;
  check_oblique ("oblique grids", 3);
}

/* The paths of an OpenGL 3.3 context without the extensions, forced on this driver: eight
 * fetches instead of two gathers (exact all the same), and float positions. In float a
 * sample can land within rounding of a voxel boundary, where nearest sampling picks the
 * other voxel: the axis-aligned grid of the small phantom never does, oblique grids do, so
 * they are checked with linear sampling only, which is continuous there. */
static void
with_renderer (const gchar *variable,
               void       (*check) (const gchar *family,
                                    guint        interpolations),
               const gchar *family,
               guint        interpolations)
{
  g_autoptr(GError) error = NULL;
  FidacMprRenderer *main_renderer = renderer;

  g_setenv (variable, "1", TRUE);
  renderer = fidac_mpr_renderer_new (&error);
  g_unsetenv (variable);
  g_assert_no_error (error);
  if (g_str_equal (variable, "FIDAC_RENDER_NO_FP64"))
    g_assert_false (fidac_mpr_renderer_get_double_precision (renderer));
  check (family, interpolations);
  /* The axis path computes in double only: in float, every plane is general. */
  if (g_str_equal (variable, "FIDAC_RENDER_NO_FP64"))
    g_assert_cmpint (fidac_mpr_renderer_get_last_path (renderer), ==, FIDAC_MPR_PATH_GENERAL);
  fidac_mpr_renderer_free (renderer);
  renderer = main_renderer;
}

static void
test_fallback_fetch (void)
{
  if (!have_context ())
    return;
  with_renderer ("FIDAC_RENDER_NO_GATHER", check_small_phantom, "small phantom, fetches", 3);
  with_renderer ("FIDAC_RENDER_NO_GATHER", check_oblique, "oblique grids, fetches", 3);
}

static void
test_fallback_float (void)
{
  if (!have_context ())
    return;
  with_renderer ("FIDAC_RENDER_NO_FP64", check_small_phantom, "small phantom, float", 3);
  with_renderer ("FIDAC_RENDER_NO_FP64", check_oblique, "oblique grids, float, linear", 2);
}

/* Zoomed in and panned so that the volume's edge crosses the image, zoomed out so that the
 * volume floats in the background. */
static void
test_phantom_zoom_pan (void)
{
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacGLVolume) gl = NULL;
  Tally tally = { 0 };
  const struct {
    gdouble zoom, pan_right, pan_down;
    gint width, height;
  } framings[] = {
    { 2.718, 131.3, -77.9, 401, 299 },
    { 0.377, 0.0, 0.0, 640, 480 },
    { 0.61, -203.7, 91.1, 512, 512 },
    { 9.87, -160.2, 1.3, 300, 200 },
  };

  if (!have_context ())
    return;

  volume = phantom (0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
  gl = upload (volume);
  for (FidacView view = 0; view < FIDAC_N_VIEWS; view++)
    for (guint f = 0; f < G_N_ELEMENTS (framings); f++)
      for (gint interp = 0; interp < 2; interp++)
        for (gint slab = 0; slab < 2; slab++)
          {
            FidacMprParams params;
            g_autofree gchar *label = NULL;
            FidacPlane *plane = &params.plane;

            init_params (&params, volume, view, slice_count (volume, view) / 2, 0, interp);
            plane->pixel_size /= framings[f].zoom;
            plane->width = framings[f].width;
            plane->height = framings[f].height;
            for (gint c = 0; c < 3; c++)
              plane->center[c] += framings[f].pan_right * plane->right[c] +
                                  framings[f].pan_down * plane->down[c];
            if (slab)
              {
                params.reslice.slab_mm = 7.0;
                params.reslice.slab_mode = FIDAC_SLAB_AVERAGE;
              }
            label = g_strdup_printf ("phantom %s, zoom %g pan %g %g, %s%s", view_names[view],
                                     framings[f].zoom, framings[f].pan_right,
                                     framings[f].pan_down, interp ? "linear" : "nearest",
                                     slab ? ", average 7 mm" : "");
            compare_windows (gl, &params, windows, 2, label, &tally);
          }
  report ("zoomed and panned planes", &tally);
}

static FidacVolume *
load_shared (const gchar *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *path = fidac_test_shared_ct (name);
  g_autoptr(FidacScan) scan = NULL;
  const FidacSeriesInfo *info;
  FidacVolume *volume;

  if (path == NULL)
    return NULL;
  scan = fidac_dicom_scan (path, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  info = fidac_scan_pick (scan, NULL, &error);
  g_assert_no_error (error);
  volume = fidac_dicom_load_series (info, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return volume;
}

static void
test_real (gconstpointer data)
{
  const gchar *name = data;
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacGLVolume) gl = NULL;
  Tally tally = { 0 };

  if (!have_context ())
    return;
  volume = load_shared (name);
  if (volume == NULL)
    return;

  gl = upload (volume);
  g_assert_cmpuint (fidac_gl_volume_get_texture_bytes (gl), ==,
                    2 * fidac_volume_n_voxels (volume));
  for (FidacView view = 0; view < FIDAC_N_VIEWS; view++)
    {
      gint count = slice_count (volume, view);
      const gint indices[] = { count / 3, count / 2 };

      for (guint i = 0; i < G_N_ELEMENTS (indices); i++)
        for (gint interp = 0; interp < 2; interp++)
          for (gint slab = 0; slab < 2; slab++)
            {
              FidacMprParams params;
              g_autofree gchar *label = NULL;

              init_params (&params, volume, view, indices[i], 0, interp);
              if (slab)
                {
                  params.reslice.slab_mm = 10.0;
                  params.reslice.slab_mode = FIDAC_SLAB_MIP;
                }
              label = g_strdup_printf ("%s %s %d, %s%s", name, view_names[view], indices[i],
                                       interp ? "linear" : "nearest", slab ? ", MIP 10 mm" : "");
              compare_windows (gl, &params, windows, G_N_ELEMENTS (windows), label, &tally);
            }
    }
  report (name, &tally);
}

static void
test_too_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) volume = NULL;
  FidacGLVolume *gl;
  GLint max_size = 0, max_layers = 0;

  if (!have_context ())
    return;

  glGetIntegerv (GL_MAX_TEXTURE_SIZE, &max_size);
  glGetIntegerv (GL_MAX_ARRAY_TEXTURE_LAYERS, &max_layers);
  g_assert_cmpint (max_size, >, 0);
  g_assert_cmpint (max_layers, >, 0);
  g_test_message ("GL_MAX_TEXTURE_SIZE %d, GL_MAX_ARRAY_TEXTURE_LAYERS %d", max_size,
                  max_layers);

  for (gint axis = 0; axis < 3; axis++)
    {
      gint dims[3] = { 1, 1, 1 };

      dims[axis] = (axis < 2 ? max_size : max_layers) + 1;
      volume = fidac_volume_new (dims[0], dims[1], dims[2], &error);
      g_assert_no_error (error);
      memset (volume->voxels, 0, fidac_volume_n_voxels (volume) * sizeof (gint16));
      gl = fidac_gl_volume_new (volume, &error);
      g_assert_null (gl);
      g_assert_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_TOO_LARGE);
      g_test_message ("%s", error->message);
      g_clear_error (&error);
      g_clear_pointer (&volume, fidac_volume_free);
    }

  /* Exactly the limit is fine. */
  volume = fidac_volume_new (3, 2, max_layers, &error);
  g_assert_no_error (error);
  memset (volume->voxels, 0, fidac_volume_n_voxels (volume) * sizeof (gint16));
  gl = fidac_gl_volume_new (volume, &error);
  g_assert_no_error (error);
  g_assert_nonnull (gl);
  g_assert_cmpuint (fidac_gl_volume_get_texture_bytes (gl), ==, 2 * 3 * 2 * max_layers);
  fidac_gl_volume_unref (gl);

  /* Nothing was left behind in the error state. */
  g_assert_cmpint (glGetError (), ==, GL_NO_ERROR);
}

/* ---- the axis-aligned path ----
 *
 * A plane whose screen axes and normal each follow one volume axis exactly (the standard
 * views of a series that is not oblique) computes its positions along two axes instead of
 * three, leaving out terms that are exact zeros: the grey levels must be those of the
 * general program bit for bit, and so within one level of the CPU like them. */

static FidacMprRenderer *
general_renderer (void)
{
  g_autoptr(GError) error = NULL;
  FidacMprRenderer *general;

  g_setenv ("FIDAC_RENDER_NO_AXIS", "1", TRUE);
  general = fidac_mpr_renderer_new (&error);
  g_unsetenv ("FIDAC_RENDER_NO_AXIS");
  g_assert_no_error (error);
  return general;
}

/* Renders `params` with the main renderer, which must take `expected`, and with `general`,
 * which never takes the axis path: the same bytes. Then against the CPU when `cpu`. */
static void
check_path (FidacMprRenderer     *general,
            FidacGLVolume        *gl,
            const FidacMprParams *params,
            FidacMprPath          expected,
            gboolean              cpu,
            const gchar          *label,
            Tally                *tally)
{
  g_autoptr(GError) error = NULL;
  gsize n = (gsize) params->plane.width * params->plane.height;
  g_autofree guint8 *got = g_malloc (n);
  g_autofree guint8 *reference = g_malloc (n);

  memset (got, 0x5a, n);
  memset (reference, 0xa5, n);
  g_assert_true (fidac_mpr_renderer_read_gray (renderer, gl, params, got, &error));
  g_assert_no_error (error);
  if (fidac_mpr_renderer_get_last_path (renderer) != expected)
    g_test_message ("%s: took the %s path", label,
                    fidac_mpr_renderer_get_last_path (renderer) == FIDAC_MPR_PATH_AXIS ?
                    "axis" : "general");
  g_assert_cmpint (fidac_mpr_renderer_get_last_path (renderer), ==, expected);
  g_assert_true (fidac_mpr_renderer_read_gray (general, gl, params, reference, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fidac_mpr_renderer_get_last_path (general), ==, FIDAC_MPR_PATH_GENERAL);
  for (gsize p = 0; p < n; p++)
    if (got[p] != reference[p])
      {
        g_test_message ("%s: pixel (%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT "): %d, general "
                        "path %d", label, p % params->plane.width, p / params->plane.width,
                        got[p], reference[p]);
        g_assert_cmpint (got[p], ==, reference[p]);
      }
  if (cpu)
    {
      g_autofree gfloat *hu = g_new (gfloat, n);

      g_assert_true (fidac_reslice (fidac_gl_volume_get_volume (gl), &params->plane,
                                    &params->reslice, hu, &error));
      g_assert_no_error (error);
      compare_hu (gl, params, hu, label, tally);
    }
}

/* Every view of the phantom, first, middle and last slice, both interpolations, thin and the
 * three slab modes, at native size, zoomed and panned past the volume's edge, zoomed out,
 * and at an odd size that puts samples on exact ties. */
static void
test_axis_views (void)
{
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacGLVolume) gl = NULL;
  g_autoptr(FidacMprRenderer) general = NULL;
  const struct {
    const gchar *name;
    FidacSlabMode mode;
    gdouble mm;
  } slabs[] = {
    { "thin", FIDAC_SLAB_AVERAGE, 0.0 },
    { "average 7 mm", FIDAC_SLAB_AVERAGE, 7.0 },
    { "MIP 10 mm", FIDAC_SLAB_MIP, 10.0 },
    { "MinIP 3 mm", FIDAC_SLAB_MINIP, 3.0 },
  };
  const struct {
    const gchar *name;
    gdouble zoom, pan_right, pan_down;
    gint width, height;
  } framings[] = {
    { "native", 1.0, 0.0, 0.0, 0, 0 },
    { "zoom 2.718, panned", 2.718, 131.3, -77.9, 401, 299 },
    { "zoom 0.377", 0.377, 0.0, 0.0, 640, 480 },
    { "ties", 1.0 / 0.8731, 0.0, 0.0, 333, 517 },
  };
  Tally tally = { 0 };

  if (!have_context ())
    return;

  volume = phantom (0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
  gl = upload (volume);
  general = general_renderer ();
  for (FidacView view = 0; view < FIDAC_N_VIEWS; view++)
    {
      gint count = slice_count (volume, view);
      const gint indices[] = { 0, count / 2, count - 1 };

      for (guint i = 0; i < G_N_ELEMENTS (indices); i++)
        for (guint f = 0; f < G_N_ELEMENTS (framings); f++)
          for (guint sl = 0; sl < G_N_ELEMENTS (slabs); sl++)
            for (gint interp = 0; interp < 2; interp++)
              {
                FidacMprParams params;
                FidacPlane *plane = &params.plane;
                g_autofree gchar *label = NULL;

                init_params (&params, volume, view, indices[i], 0, interp);
                plane->pixel_size /= framings[f].zoom;
                if (framings[f].width > 0)
                  {
                    plane->width = framings[f].width;
                    plane->height = framings[f].height;
                  }
                for (gint c = 0; c < 3; c++)
                  plane->center[c] += framings[f].pan_right * plane->right[c] +
                                      framings[f].pan_down * plane->down[c];
                params.reslice.slab_mm = slabs[sl].mm;
                params.reslice.slab_mode = slabs[sl].mode;
                label = g_strdup_printf ("axis path: phantom %s %d, %s, %s, %s",
                                         view_names[view], indices[i], framings[f].name,
                                         slabs[sl].name, interp ? "linear" : "nearest");
                /* Against the CPU on the middle slice: the other cases are the same bytes
                 * as the general program, which the other tests hold to the CPU. */
                check_path (general, gl, &params, FIDAC_MPR_PATH_AXIS, i == 1, label, &tally);
              }
    }
  report ("axis path, phantom views", &tally);
}

/* Odd sizes and spacings, degenerate grids and a feet-first series (axes pointing the other
 * way) take the axis path too. */
static void
test_axis_grids (void)
{
  const struct {
    const gchar *name;
    gint columns, rows, slices;
    gdouble pixel_spacing, slice_spacing;
    gboolean feet_first;
  } grids[] = {
    { "odd", 97, 75, 31, 3.7, 6.3, FALSE },
    { "one slice", 64, 48, 1, 5.0, 7.0, FALSE },
    { "one row", 64, 1, 20, 5.0, 7.0, FALSE },
    { "feet first", 70, 60, 30, 5.0, 7.0, TRUE },
  };
  g_autoptr(FidacMprRenderer) general = NULL;
  Tally tally = { 0 };

  if (!have_context ())
    return;

  general = general_renderer ();
  for (guint g = 0; g < G_N_ELEMENTS (grids); g++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FidacVolume) volume = NULL;
      g_autoptr(FidacGLVolume) gl = NULL;
      FidacPhantomOptions options;

      fidac_phantom_options_init (&options);
      options.columns = grids[g].columns;
      options.rows = grids[g].rows;
      options.slices = grids[g].slices;
      options.pixel_spacing = grids[g].pixel_spacing;
      options.slice_spacing = grids[g].slice_spacing;
      options.feet_first = grids[g].feet_first;
      volume = fidac_phantom_new (&options, &error);
      g_assert_no_error (error);
      gl = upload (volume);
      for (FidacView view = 0; view < FIDAC_N_VIEWS; view++)
        {
          gint count = slice_count (volume, view);
          const gint indices[] = { 0, count / 2, count - 1 };

          for (guint i = 0; i < G_N_ELEMENTS (indices); i++)
            for (gint interp = 0; interp < 2; interp++)
              for (gint slab = 0; slab < 2; slab++)
                {
                  FidacMprParams params;
                  g_autofree gchar *label = NULL;

                  init_params (&params, volume, view, indices[i], slab ? 0 : 300, interp);
                  if (slab)
                    {
                      params.reslice.slab_mm = 20.0;
                      params.reslice.slab_mode = FIDAC_SLAB_MIP;
                    }
                  label = g_strdup_printf ("axis path: %s, %s %d, %s%s", grids[g].name,
                                           view_names[view], indices[i],
                                           interp ? "linear" : "nearest",
                                           slab ? ", MIP 20 mm" : ", 300");
                  check_path (general, gl, &params, FIDAC_MPR_PATH_AXIS, TRUE, label,
                              &tally);
                }
        }
    }
  report ("axis path, grids", &tally);
}

/* Oblique grids, and a plane turned within the axial plane of a straight grid, keep the
 * general program: their matrices have no exact zeros to leave out. */
static void
test_axis_oblique (void)
{
  const struct {
    const gchar *name;
    gdouble tilt, rotation, axis[3];
  } grids[] = {
    { "straight", 0, 0, { 0, 0, 1 } },
    { "rotated 30° about z", 0, 30, { 0, 0, 1 } },
    { "rotated 90° about z", 0, 90, { 0, 0, 1 } },
    { "rotated 17° about (1, 2, 3)", 0, 17, { 1, 2, 3 } },
    { "tilted 20°", 20, 0, { 0, 0, 1 } },
  };
  g_autoptr(FidacMprRenderer) general = NULL;
  Tally tally = { 0 };

  if (!have_context ())
    return;

  general = general_renderer ();
  for (guint g = 0; g < G_N_ELEMENTS (grids); g++)
    {
      g_autoptr(FidacVolume) volume = NULL;
      g_autoptr(FidacGLVolume) gl = NULL;
      gdouble norm = sqrt (grids[g].axis[0] * grids[g].axis[0] +
                           grids[g].axis[1] * grids[g].axis[1] +
                           grids[g].axis[2] * grids[g].axis[2]);
      gboolean straight = grids[g].tilt == 0.0 && grids[g].rotation == 0.0;

      volume = phantom (96, 90, 40, 2.1, 4.0, grids[g].tilt, grids[g].rotation,
                        grids[g].axis[0] / norm, grids[g].axis[1] / norm,
                        grids[g].axis[2] / norm);
      gl = upload (volume);
      for (FidacView view = 0; view < FIDAC_N_VIEWS; view++)
        for (gint interp = 0; interp < 2; interp++)
          for (gint turned = 0; turned < 2; turned++)
            {
              FidacMprParams params;
              FidacPlane *plane = &params.plane;
              g_autofree gchar *label = NULL;
              FidacMprPath expected;

              init_params (&params, volume, view, slice_count (volume, view) / 2, 0, interp);
              params.reslice.slab_mm = 6.0;
              params.reslice.slab_mode = FIDAC_SLAB_AVERAGE;
              if (turned)
                {
                  /* 25° about the normal: right and down mix two volume axes. */
                  gdouble normal[3], right[3], down[3];
                  const gdouble c = cos (25.0 * G_PI / 180.0), s = sin (25.0 * G_PI / 180.0);

                  fidac_plane_get_normal (plane, normal);
                  for (gint k = 0; k < 3; k++)
                    {
                      right[k] = c * plane->right[k] + s * plane->down[k];
                      down[k] = -s * plane->right[k] + c * plane->down[k];
                    }
                  memcpy (plane->right, right, sizeof right);
                  memcpy (plane->down, down, sizeof down);
                }
              expected = straight && !turned ? FIDAC_MPR_PATH_AXIS : FIDAC_MPR_PATH_GENERAL;
              label = g_strdup_printf ("axis path: %s, %s%s, %s", grids[g].name,
                                       view_names[view], turned ? " turned 25°" : "",
                                       interp ? "linear" : "nearest");
              check_path (general, gl, &params, expected, TRUE, label, &tally);
            }
    }
  report ("axis path, oblique planes", &tally);
}

/* The shared series: the same bytes as the general program on every view. */
static void
test_axis_real (gconstpointer data)
{
  const gchar *name = data;
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacGLVolume) gl = NULL;
  g_autoptr(FidacMprRenderer) general = NULL;
  Tally tally = { 0 };

  if (!have_context ())
    return;
  volume = load_shared (name);
  if (volume == NULL)
    return;

  gl = upload (volume);
  general = general_renderer ();
  for (FidacView view = 0; view < FIDAC_N_VIEWS; view++)
    for (gint interp = 0; interp < 2; interp++)
      for (gint slab = 0; slab < 2; slab++)
        {
          g_autoptr(GError) error = NULL;
          FidacMprParams params;
          g_autofree gchar *label = NULL;
          g_autofree guint8 *out = NULL;
          FidacMprPath path;

          init_params (&params, volume, view, slice_count (volume, view) / 2, 512, interp);
          if (slab)
            {
              params.reslice.slab_mm = 10.0;
              params.reslice.slab_mode = FIDAC_SLAB_MIP;
            }
          /* Which path the series takes depends on its orientation: asked first. */
          out = g_malloc ((gsize) params.plane.width * params.plane.height);
          g_assert_true (fidac_mpr_renderer_read_gray (renderer, gl, &params, out, &error));
          g_assert_no_error (error);
          path = fidac_mpr_renderer_get_last_path (renderer);
          label = g_strdup_printf ("axis path: %s %s, %s%s (%s path)", name, view_names[view],
                                   interp ? "linear" : "nearest", slab ? ", MIP 10 mm" : "",
                                   path == FIDAC_MPR_PATH_AXIS ? "axis" : "general");
          g_test_message ("%s", label);
          check_path (general, gl, &params, path, FALSE, label, &tally);
        }
}

static void
test_bad_params (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacGLVolume) gl = NULL;
  FidacMprParams params;
  guint8 out[16];

  if (!have_context ())
    return;

  volume = phantom (20, 20, 10, 10.0, 20.0, 0, 0, 0, 0, 1);
  gl = upload (volume);
  init_params (&params, volume, FIDAC_VIEW_AXIAL, 2, 0, FIDAC_INTERPOLATION_NEAREST);
  params.plane.width = 0;
  g_assert_false (fidac_mpr_renderer_read_gray (renderer, gl, &params, out, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  init_params (&params, volume, FIDAC_VIEW_AXIAL, 2, 0, FIDAC_INTERPOLATION_NEAREST);
  params.plane.right[0] = 2.0;
  g_assert_false (fidac_mpr_renderer_draw (renderer, gl, &params, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  init_params (&params, volume, FIDAC_VIEW_AXIAL, 2, 0, FIDAC_INTERPOLATION_NEAREST);
  params.reslice.slab_mode = 7;
  params.reslice.slab_mm = 30.0;
  g_assert_false (fidac_mpr_renderer_draw (renderer, gl, &params, &error));
  g_assert_error (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED);
}

/* read_gray draws offscreen: the caller's framebuffer, viewport and program stay. */
static void
test_state_restored (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacGLVolume) gl = NULL;
  FidacMprParams params;
  GLuint fb, rb;
  GLint viewport[4], bound = -1, read_bound = -1;
  g_autofree guint8 *out = NULL;
  guint8 pixel[4] = { 0 };

  if (!have_context ())
    return;

  volume = phantom (40, 30, 20, 8.0, 12.0, 0, 0, 0, 0, 1);
  gl = upload (volume);

  render_test_target_new (64, 48, &fb, &rb);
  g_assert_cmpint (glCheckFramebufferStatus (GL_FRAMEBUFFER), ==, GL_FRAMEBUFFER_COMPLETE);
  glViewport (3, 5, 17, 19);
  glClearColor (0.0f, 1.0f, 0.0f, 1.0f);
  glClear (GL_COLOR_BUFFER_BIT);

  init_params (&params, volume, FIDAC_VIEW_CORONAL, 5, 0, FIDAC_INTERPOLATION_LINEAR);
  out = g_malloc ((gsize) params.plane.width * params.plane.height);
  g_assert_true (fidac_mpr_renderer_read_gray (renderer, gl, &params, out, &error));
  g_assert_no_error (error);

  glGetIntegerv (GL_DRAW_FRAMEBUFFER_BINDING, &bound);
  glGetIntegerv (GL_READ_FRAMEBUFFER_BINDING, &read_bound);
  glGetIntegerv (GL_VIEWPORT, viewport);
  g_assert_cmpint (bound, ==, (GLint) fb);
  g_assert_cmpint (read_bound, ==, (GLint) fb);
  g_assert_cmpint (viewport[0], ==, 3);
  g_assert_cmpint (viewport[1], ==, 5);
  g_assert_cmpint (viewport[2], ==, 17);
  g_assert_cmpint (viewport[3], ==, 19);
  /* ... and its content untouched. */
  glReadPixels (60, 40, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, pixel);
  g_assert_cmpint (pixel[0], ==, 0);
  g_assert_cmpint (pixel[1], ==, 255);

  /* draw() into the RGBA target: grey in r, g and b, opaque; row 0 at the bottom. */
  params.plane.width = 64;
  params.plane.height = 48;
  g_assert_true (fidac_mpr_renderer_draw (renderer, gl, &params, &error));
  g_assert_no_error (error);
  {
    g_autofree guint8 *rgba = g_malloc (64 * 48 * 4);
    g_autofree guint8 *gray = g_malloc (64 * 48);

    glPixelStorei (GL_PACK_ALIGNMENT, 1);
    glReadPixels (0, 0, 64, 48, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    g_assert_true (fidac_mpr_renderer_read_gray (renderer, gl, &params, gray, &error));
    g_assert_no_error (error);
    for (gint v = 0; v < 48; v++)
      for (gint u = 0; u < 64; u++)
        {
          const guint8 *px = rgba + ((gsize) (47 - v) * 64 + u) * 4;

          g_assert_cmpint (px[0], ==, gray[v * 64 + u]);
          g_assert_cmpint (px[1], ==, px[0]);
          g_assert_cmpint (px[2], ==, px[0]);
          g_assert_cmpint (px[3], ==, 255);
        }
  }

  render_test_target_free (fb, rb);
  g_assert_cmpint (glGetError (), ==, GL_NO_ERROR);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  gint status;

  g_test_init (&argc, &argv, NULL);

  context = render_test_init_context ();
  if (context != NULL)
    {
      renderer = fidac_mpr_renderer_new (&error);
      g_assert_no_error (error);
      g_test_message ("sample positions in %s precision",
                      fidac_mpr_renderer_get_double_precision (renderer) ? "double" : "float");
    }

  g_test_add_func ("/fidac/render/upload", test_upload);
  g_test_add_func ("/fidac/render/too-large", test_too_large);
  g_test_add_func ("/fidac/render/bad-params", test_bad_params);
  g_test_add_func ("/fidac/render/state-restored", test_state_restored);
  g_test_add_func ("/fidac/render/phantom/small", test_phantom_small);
  g_test_add_func ("/fidac/render/phantom/views", test_phantom_views);
  g_test_add_func ("/fidac/render/phantom/slab", test_phantom_slab);
  g_test_add_func ("/fidac/render/phantom/thin", test_phantom_thin);
  g_test_add_func ("/fidac/render/phantom/oblique", test_phantom_oblique);
  g_test_add_func ("/fidac/render/phantom/zoom-pan", test_phantom_zoom_pan);
  g_test_add_func ("/fidac/render/phantom/exact-ties", test_exact_ties);
  g_test_add_func ("/fidac/render/fallback/fetch", test_fallback_fetch);
  g_test_add_func ("/fidac/render/fallback/float", test_fallback_float);
  g_test_add_data_func ("/fidac/render/real/covid", "covid-ricord-000082", test_real);
  g_test_add_data_func ("/fidac/render/real/lidc", "lidc-0001", test_real);
  g_test_add_func ("/fidac/render/axis/views", test_axis_views);
  g_test_add_func ("/fidac/render/axis/grids", test_axis_grids);
  g_test_add_func ("/fidac/render/axis/oblique", test_axis_oblique);
  g_test_add_data_func ("/fidac/render/axis/real/covid", "covid-ricord-000082", test_axis_real);
  g_test_add_data_func ("/fidac/render/axis/real/lidc", "lidc-0001", test_axis_real);

  status = g_test_run ();

  if (context != NULL)
    {
      gdk_gl_context_make_current (context);
      g_clear_pointer (&renderer, fidac_mpr_renderer_free);
      gdk_gl_context_clear_current ();
      g_clear_object (&context);
    }
  return status;
}
