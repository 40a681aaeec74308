/* bench-overlay.c: from a brush dab to the updated label texture, and a frame of the three
 * views with the label overlay.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-overlay [--dabs N] [--frames N] [--size N] [--series NAME]
 *
 * On a shared series ($FIDAC_SHARED_DATA/ct/NAME, default covid-ricord-000082, 512 × 512 ×
 * 255; skipped with a message when absent):
 *
 * - a dab: fidac_paint_dab() of a 10 mm brush (axial disc, then sphere) at scattered
 *   places in both lungs, then the dirty range of the label map uploaded with
 *   fidac_gl_labels_update() and glFinish(): median and maximum of each part and of the
 *   whole (the target: under 2 ms for the disc);
 * - a frame: the axial, coronal and sagittal views through the middle at size² pixels each
 *   (each into its own framebuffer, then glFinish), grey only, grey + filled overlay and
 *   grey + outlined overlay, alternating frame by frame, with the dabs painted before and
 *   three 60 mm spheres through the middle of the views; median processor time of the
 *   whole process (llvmpipe's threads included), which the load of other programs does
 *   not inflate as it does wall time.
 *
 * A report: nothing is asserted. Needs an X display (meson runs it under xvfb-run).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <epoxy/gl.h>
#include <gtk/gtk.h>

#include "bench-common.h"
#include "fidac-dicom.h"
#include "fidac-lesion.h"
#include "fidac-paint.h"
#include "fidac-render.h"
#include "render-test-common.h"

static gint n_dabs = 100;
static gint n_frames = 15;
static gint frame_size = 1024;
static gchar *series_name = NULL;

static void
bench_dabs (FidacVolume     *volume,
            FidacLabelMap   *map,
            FidacGLLabels   *labels,
            FidacBrushShape  shape,
            guint32          seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree gdouble *paint = g_new (gdouble, n_dabs);
  g_autofree gdouble *upload = g_new (gdouble, n_dabs);
  g_autofree gdouble *total = g_new (gdouble, n_dabs);
  FidacBrush brush;
  gsize voxels = 0, slices = 0;

  fidac_brush_init (&brush);
  brush.shape = shape;
  brush.label = 1 + seed % FIDAC_LESION_N_CLASSES;
  brush.over = FIDAC_PAINT_OVER_ALL;
  for (gint d = 0; d < n_dabs; d++)
    {
      g_autoptr(GError) error = NULL;
      gdouble p[3], t0, t1, t2;
      gint k0 = 0, k1 = -1;
      gssize changed;

      bench_grid_point (volume, g_rand_boolean (rand) ? g_rand_double_range (rand, 0.2, 0.4) :
                  g_rand_double_range (rand, 0.6, 0.8), g_rand_double_range (rand, 0.3, 0.6),
                  g_rand_double_range (rand, 0.2, 0.8), p);
      fidac_label_map_clear_dirty (map);
      t0 = bench_now ();
      changed = fidac_paint_dab (map, volume, &brush, p, NULL, &error);
      t1 = bench_now ();
      if (fidac_label_map_get_dirty (map, &k0, &k1) &&
          !fidac_gl_labels_update (labels, map, k0, k1, &error))
        g_error ("%s", error->message);
      glFinish ();
      t2 = bench_now ();
      if (changed < 0)
        g_error ("%s", error->message);
      paint[d] = t1 - t0;
      upload[d] = t2 - t1;
      total[d] = t2 - t0;
      voxels += changed;
      slices += fidac_gl_labels_get_last_update_slices (labels);
    }
  g_print ("  10 mm %s dab to texture: median %.3f ms, max %.3f ms "
           "(paint median %.3f ms, max %.3f; upload, box scan and glFinish median %.3f ms, "
           "max %.3f); "
           "%.0f voxels, %.1f slices sent per dab on average\n",
           shape == FIDAC_BRUSH_DISC ? "disc" : "sphere",
           bench_median (total, n_dabs) * 1e3, bench_maximum (total, n_dabs) * 1e3,
           bench_median (paint, n_dabs) * 1e3, bench_maximum (paint, n_dabs) * 1e3,
           bench_median (upload, n_dabs) * 1e3, bench_maximum (upload, n_dabs) * 1e3,
           (gdouble) voxels / n_dabs, (gdouble) slices / n_dabs);
}

/* Processor time (llvmpipe's threads included: unlike wall time it does not grow when
 * other programs share the processors) of one frame of the three views, each into its
 * framebuffer with its own overlay, as each view has, then glFinish; no overlay when
 * `style` is NULL. */
static gdouble
draw_frame (FidacMprRenderer        *renderer,
            FidacLabelOverlay       *overlays[FIDAC_N_VIEWS],
            FidacGLVolume           *gl_volume,
            FidacGLLabels           *labels,
            const FidacMprParams     params[FIDAC_N_VIEWS],
            const GLuint             framebuffers[FIDAC_N_VIEWS],
            const FidacOverlayStyle *style)
{
  gdouble start = bench_cpu_seconds ();

  for (gint v = 0; v < FIDAC_N_VIEWS; v++)
    {
      g_autoptr(GError) error = NULL;

      glBindFramebuffer (GL_FRAMEBUFFER, framebuffers[v]);
      if (!fidac_mpr_renderer_draw (renderer, gl_volume, &params[v], &error) ||
          (style != NULL &&
           !fidac_label_overlay_draw (overlays[v], labels, &params[v], style, &error)))
        g_error ("%s", error->message);
    }
  glFinish ();
  glBindFramebuffer (GL_FRAMEBUFFER, 0);
  return bench_cpu_seconds () - start;
}

static void
bench_series (GdkGLContext *context,
              const gchar  *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *folder = NULL;
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacLabelMap) map = NULL;
  g_autoptr(FidacGLVolume) gl_volume = NULL;
  g_autoptr(FidacGLLabels) labels = NULL;
  g_autoptr(FidacMprRenderer) renderer = NULL;
  FidacLabelOverlay *overlays[FIDAC_N_VIEWS], *general[FIDAC_N_VIEWS];
  FidacMprParams params[FIDAC_N_VIEWS];
  GLuint framebuffers[FIDAC_N_VIEWS], renderbuffers[FIDAC_N_VIEWS];
  FidacOverlayStyle filled_style, outline_style;
  g_autofree gdouble *grey_times = g_new (gdouble, n_frames);
  g_autofree gdouble *filled_times = g_new (gdouble, n_frames);
  g_autofree gdouble *outline_times = g_new (gdouble, n_frames);
  g_autofree gdouble *general_filled_times = g_new (gdouble, n_frames);
  g_autofree gdouble *general_outline_times = g_new (gdouble, n_frames);
  const gchar *root = g_getenv ("FIDAC_SHARED_DATA");
  gdouble start, grey, filled, outline;

  if (root == NULL)
    {
      g_print ("%s: skipped, FIDAC_SHARED_DATA is not set\n", name);
      return;
    }
  folder = g_build_filename (root, "ct", name, NULL);
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_print ("%s: skipped, %s is absent\n", name, folder);
      return;
    }
  volume = bench_load_series (folder, &error);
  if (volume == NULL)
    g_error ("%s: %s", name, error->message);
  g_print ("%s: %d × %d × %d voxels\n", name, volume->dims[0], volume->dims[1],
           volume->dims[2]);

  gdk_gl_context_make_current (context);
  map = fidac_label_map_new (volume, &error);
  if (map == NULL)
    g_error ("%s", error->message);
  gl_volume = fidac_gl_volume_new (volume, &error);
  if (gl_volume == NULL)
    g_error ("%s", error->message);
  start = bench_now ();
  labels = fidac_gl_labels_new (volume, map, &error);
  if (labels == NULL)
    g_error ("%s", error->message);
  glFinish ();
  g_print ("  label texture: %.1f ms to create (%.1f MB)\n", (bench_now () - start) * 1e3,
           fidac_volume_n_voxels (volume) / 1e6);
  renderer = fidac_mpr_renderer_new (&error);
  if (renderer == NULL)
    g_error ("%s", error->message);
  /* One per view, as the views have; the same forced onto the general path, which oblique
   * planes take. */
  for (gint v = 0; v < FIDAC_N_VIEWS; v++)
    {
      overlays[v] = fidac_label_overlay_new (&error);
      if (overlays[v] == NULL)
        g_error ("%s", error->message);
      general[v] = fidac_label_overlay_new (&error);
      if (general[v] == NULL)
        g_error ("%s", error->message);
      fidac_label_overlay_set_axis_path (general[v], FALSE);
    }

  bench_dabs (volume, map, labels, FIDAC_BRUSH_DISC, 82);
  bench_dabs (volume, map, labels, FIDAC_BRUSH_SPHERE, 83);

  /* Large lesions through the middle of every view, so that the frames show some. */
  {
    const gdouble places[3][3] = { { 0.3, 0.5, 0.5 }, { 0.7, 0.5, 0.5 }, { 0.5, 0.45, 0.5 } };
    FidacBrush brush;
    gint k0, k1;

    fidac_brush_init (&brush);
    brush.shape = FIDAC_BRUSH_SPHERE;
    brush.diameter = 60.0;
    for (guint i = 0; i < G_N_ELEMENTS (places); i++)
      {
        gdouble p[3];

        brush.label = 1 + i;
        bench_grid_point (volume, places[i][0], places[i][1], places[i][2], p);
        if (fidac_paint_dab (map, volume, &brush, p, NULL, &error) < 0)
          g_error ("%s", error->message);
      }
    if (fidac_label_map_get_dirty (map, &k0, &k1) &&
        !fidac_gl_labels_update (labels, map, k0, k1, &error))
      g_error ("%s", error->message);
  }

  glGenFramebuffers (FIDAC_N_VIEWS, framebuffers);
  glGenRenderbuffers (FIDAC_N_VIEWS, renderbuffers);
  for (gint v = 0; v < FIDAC_N_VIEWS; v++)
    {
      gint count;
      gdouble first, step;

      glBindRenderbuffer (GL_RENDERBUFFER, renderbuffers[v]);
      glRenderbufferStorage (GL_RENDERBUFFER, GL_RGBA8, frame_size, frame_size);
      glBindFramebuffer (GL_FRAMEBUFFER, framebuffers[v]);
      glFramebufferRenderbuffer (GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER,
                                 renderbuffers[v]);
      fidac_mpr_params_init (&params[v]);
      fidac_view_get_slices (volume, v, &count, &first, &step);
      if (!fidac_plane_init_view (&params[v].plane, volume, v, count / 2, frame_size, &error))
        g_error ("%s", error->message);
    }
  glBindFramebuffer (GL_FRAMEBUFFER, 0);

  /* The three cases alternate frame by frame, so that they see the same load; the first
   * round compiles and warms up and is not counted. */
  fidac_overlay_style_init (&filled_style);
  outline_style = filled_style;
  outline_style.mode = FIDAC_OVERLAY_OUTLINE;
  for (gint f = -1; f < n_frames; f++)
    {
      gdouble a = draw_frame (renderer, overlays, gl_volume, labels, params, framebuffers, NULL);
      gdouble b = draw_frame (renderer, overlays, gl_volume, labels, params, framebuffers,
                              &filled_style);
      gdouble c = draw_frame (renderer, overlays, gl_volume, labels, params, framebuffers,
                              &outline_style);
      gdouble d = draw_frame (renderer, general, gl_volume, labels, params, framebuffers,
                              &filled_style);
      gdouble e = draw_frame (renderer, general, gl_volume, labels, params, framebuffers,
                              &outline_style);

      if (f < 0)
        continue;
      grey_times[f] = a;
      filled_times[f] = b;
      outline_times[f] = c;
      general_filled_times[f] = d;
      general_outline_times[f] = e;
    }
  {
    gsize shaded = 0;

    for (gint v = 0; v < FIDAC_N_VIEWS; v++)
      shaded += fidac_label_overlay_get_last_pixels (overlays[v]);
    g_print ("  the overlay runs on %.0f %% of the frame's pixels (where labels can be)\n",
             100.0 * shaded / (3.0 * frame_size * frame_size));
  }
  grey = bench_median (grey_times, n_frames);
  filled = bench_median (filled_times, n_frames);
  outline = bench_median (outline_times, n_frames);
  g_print ("  frame of 3 views at %d², linear, thin (median processor time of %d): grey only %.1f ms; "
           "with the overlay filled %.1f ms, outlined %.1f ms\n", frame_size, n_frames,
           grey * 1e3, filled * 1e3, outline * 1e3);
  g_print ("  the same with the overlay on its general path (positions per pixel, as oblique "
           "planes): filled %.1f ms, outlined %.1f ms\n",
           bench_median (general_filled_times, n_frames) * 1e3,
           bench_median (general_outline_times, n_frames) * 1e3);

  glDeleteFramebuffers (FIDAC_N_VIEWS, framebuffers);
  glDeleteRenderbuffers (FIDAC_N_VIEWS, renderbuffers);
  for (gint v = 0; v < FIDAC_N_VIEWS; v++)
    {
      fidac_label_overlay_free (overlays[v]);
      fidac_label_overlay_free (general[v]);
    }
  g_clear_pointer (&renderer, fidac_mpr_renderer_free);
  g_clear_pointer (&labels, fidac_gl_labels_unref);
  g_clear_pointer (&gl_volume, fidac_gl_volume_unref);
}

static GdkGLContext *
make_context (void)
{
  g_autoptr(GError) error = NULL;
  GdkGLContext *ctx = render_test_context_new (&error);

  if (ctx == NULL)
    g_printerr ("%s\n", error->message);
  return ctx;
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(GdkGLContext) context = NULL;
  const GOptionEntry entries[] = {
    { "dabs", 0, 0, G_OPTION_ARG_INT, &n_dabs, "Dabs per brush shape", "N" },
    { "frames", 0, 0, G_OPTION_ARG_INT, &n_frames, "Frames timed per case", "N" },
    { "size", 0, 0, G_OPTION_ARG_INT, &frame_size, "Side of each view, pixels", "N" },
    { "series", 0, 0, G_OPTION_ARG_STRING, &series_name, "Shared series name", "NAME" },
    { NULL }
  };

  options = g_option_context_new ("- label overlay benchmark");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  n_dabs = MAX (n_dabs, 1);
  n_frames = MAX (n_frames, 1);
  frame_size = CLAMP (frame_size, 16, 4096);

  if (!gtk_init_check () || (context = make_context ()) == NULL)
    {
      g_print ("skipped: no display or no OpenGL context\n");
      return 0;
    }
  g_print ("OpenGL %s, %s\n", glGetString (GL_VERSION), glGetString (GL_RENDERER));
  bench_series (context, series_name != NULL ? series_name : "covid-ricord-000082");
  gdk_gl_context_clear_current ();
  g_free (series_name);
  return 0;
}
