/* bench-mpr.c: one frame of the three MPR views, OpenGL against the CPU reslicer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-mpr [--frames N] [--cpu-rounds N] [--size N] [--series NAME]... [--no-phantom]
 *                  [--no-cpu] [--thin-only] [--no-general]
 *
 * For the phantom and each shared series ($FIDAC_SHARED_DATA/ct/NAME, skipped with a message
 * when absent): load time, resident memory (VmRSS) before and after the load and after the
 * texture upload, upload time, then the median time of one frame of the three views at
 * size² pixels each (axial, coronal and sagittal through the middle), with GL (each view
 * drawn into its own size² framebuffer, then glFinish) and with the CPU (fidac_reslice() on
 * every core + fidac_reslice_window() for the same three planes), for nearest and linear
 * sampling, thin and a 10 mm MIP slab. A report: nothing is asserted.
 *
 * The standard views of a series that is not oblique take the renderer's axis-aligned path
 * (its last view's path is printed); a second renderer made with FIDAC_RENDER_NO_AXIS draws
 * the same frames on the general path, frame for frame alternating with the first so that
 * both see the same load on a shared machine (unless --no-general).
 *
 * Needs an X display for the GL context (meson runs it under xvfb-run).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <epoxy/gl.h>
#include <gtk/gtk.h>

#include "bench-common.h"
#include "fidac-dicom.h"
#include "fidac-phantom.h"
#include "fidac-render.h"
#include "fidac-render-private.h"
#include "fidac-window-level.h"

static gint n_frames = 15;
static gint n_cpu_rounds = 5;
static gint frame_size = 1024;
static gboolean no_cpu = FALSE;
static gboolean thin_only = FALSE;
static gboolean no_general = FALSE;

static const gchar *view_names[] = { "axial", "coronal", "sagittal" };

typedef struct {
  gdouble wall;
  gdouble cpu;
} Timing;

static gdouble
median (gdouble *values,
        gint     n)
{
  qsort (values, n, sizeof (gdouble), bench_compare_double);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

/* The three planes through the middle of the volume, each size² pixels with the whole
 * extent of the volume in view (as a view at zoom 1 shows it). */
static void
init_planes (const FidacVolume *volume,
             FidacMprParams     params[FIDAC_N_VIEWS])
{
  for (FidacView view = 0; view < FIDAC_N_VIEWS; view++)
    {
      g_autoptr(GError) error = NULL;
      gint count;

      fidac_view_get_slices (volume, view, &count, NULL, NULL);
      fidac_mpr_params_init (&params[view]);
      if (!fidac_plane_init_view (&params[view].plane, volume, view, count / 2, frame_size,
                                  &error))
        g_error ("%s", error->message);
      params[view].plane.width = frame_size;
      params[view].plane.height = frame_size;
    }
}

static Timing
gl_frame (FidacMprRenderer *renderer,
          FidacGLVolume    *gl,
          FidacMprParams    params[FIDAC_N_VIEWS],
          GLuint            framebuffers[FIDAC_N_VIEWS])
{
  gdouble start = bench_now (), start_cpu = bench_cpu_seconds ();

  for (FidacView view = 0; view < FIDAC_N_VIEWS; view++)
    {
      g_autoptr(GError) error = NULL;

      glBindFramebuffer (GL_FRAMEBUFFER, framebuffers[view]);
      if (!fidac_mpr_renderer_draw (renderer, gl, &params[view], &error))
        g_error ("%s", error->message);
    }
  glFinish ();
  return (Timing) { bench_now () - start, bench_cpu_seconds () - start_cpu };
}

static Timing
cpu_frame (FidacVolume    *volume,
           FidacMprParams  params[FIDAC_N_VIEWS],
           gfloat         *hu,
           guint8         *gray)
{
  gdouble start = bench_now (), start_cpu = bench_cpu_seconds ();

  for (FidacView view = 0; view < FIDAC_N_VIEWS; view++)
    {
      g_autoptr(GError) error = NULL;
      gsize n = (gsize) params[view].plane.width * params[view].plane.height;

      if (!fidac_reslice (volume, &params[view].plane, &params[view].reslice, hu, &error))
        g_error ("%s", error->message);
      fidac_reslice_window (hu, n, params[view].window_width, params[view].window_level,
                            params[view].invert, gray);
    }
  return (Timing) { bench_now () - start, bench_cpu_seconds () - start_cpu };
}

/* The floor of the rasteriser: the cheapest shader that still runs per pixel (a constant
 * colour would take llvmpipe's fast path, which runs no shader at all) over the same three
 * size² framebuffers, with the same single triangle. No MPR shader can be faster. */
static void
bench_floor (void)
{
  static const gchar *vertex =
    "#version 330 core\n"
    "void main () { gl_Position = vec4 (float ((gl_VertexID & 1) * 4 - 1),"
    " float ((gl_VertexID & 2) * 2 - 1), 0.0, 1.0); }\n";
  static const gchar *fragment =
    "#version 330 core\nout vec4 color;\n"
    "void main () { color = vec4 (vec3 (fract (gl_FragCoord.x * 0.01)), 1.0); }\n";
  GLuint shaders[2], program, vertex_array, framebuffers[FIDAC_N_VIEWS];
  GLuint renderbuffers[FIDAC_N_VIEWS];
  g_autofree gdouble *times = g_new (gdouble, n_frames);
  g_autofree gdouble *cpu_times = g_new (gdouble, n_frames);

  shaders[0] = glCreateShader (GL_VERTEX_SHADER);
  glShaderSource (shaders[0], 1, &vertex, NULL);
  glCompileShader (shaders[0]);
  shaders[1] = glCreateShader (GL_FRAGMENT_SHADER);
  glShaderSource (shaders[1], 1, &fragment, NULL);
  glCompileShader (shaders[1]);
  program = glCreateProgram ();
  glAttachShader (program, shaders[0]);
  glAttachShader (program, shaders[1]);
  glLinkProgram (program);
  glGenVertexArrays (1, &vertex_array);
  glGenFramebuffers (FIDAC_N_VIEWS, framebuffers);
  glGenRenderbuffers (FIDAC_N_VIEWS, renderbuffers);
  for (gint v = 0; v < FIDAC_N_VIEWS; v++)
    {
      glBindRenderbuffer (GL_RENDERBUFFER, renderbuffers[v]);
      glRenderbufferStorage (GL_RENDERBUFFER, GL_RGBA8, frame_size, frame_size);
      glBindFramebuffer (GL_FRAMEBUFFER, framebuffers[v]);
      glFramebufferRenderbuffer (GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER,
                                 renderbuffers[v]);
    }
  glUseProgram (program);
  glBindVertexArray (vertex_array);
  glViewport (0, 0, frame_size, frame_size);
  for (gint i = -1; i < n_frames; i++)
    {
      gdouble start = bench_now (), start_cpu = bench_cpu_seconds ();

      for (gint v = 0; v < FIDAC_N_VIEWS; v++)
        {
          glBindFramebuffer (GL_FRAMEBUFFER, framebuffers[v]);
          glDrawArrays (GL_TRIANGLES, 0, 3);
        }
      glFinish ();
      if (i >= 0)
        {
          times[i] = bench_now () - start;
          cpu_times[i] = bench_cpu_seconds () - start_cpu;
        }
    }
  g_print ("\nrasteriser floor (one multiply per pixel, 3 × %d²): %.1f ms wall, %.1f ms busy\n",
           frame_size, median (times, n_frames) * 1e3, median (cpu_times, n_frames) * 1e3);

  glBindFramebuffer (GL_FRAMEBUFFER, 0);
  glBindVertexArray (0);
  glUseProgram (0);
  glDeleteFramebuffers (FIDAC_N_VIEWS, framebuffers);
  glDeleteRenderbuffers (FIDAC_N_VIEWS, renderbuffers);
  glDeleteVertexArrays (1, &vertex_array);
  glDeleteProgram (program);
  glDeleteShader (shaders[0]);
  glDeleteShader (shaders[1]);
}

static void
bench_volume (const gchar      *name,
              FidacVolume      *volume,
              gdouble           load_seconds,
              gdouble           rss_before,
              gdouble           rss_loaded,
              FidacMprRenderer *renderer,
              FidacMprRenderer *general)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacGLVolume) gl = NULL;
  GLuint framebuffers[FIDAC_N_VIEWS], renderbuffers[FIDAC_N_VIEWS];
  FidacMprParams params[FIDAC_N_VIEWS];
  g_autofree gfloat *hu = g_new (gfloat, (gsize) frame_size * frame_size);
  g_autofree guint8 *gray = g_malloc ((gsize) frame_size * frame_size);
  g_autofree gdouble *times = g_new (gdouble, MAX (n_frames, n_cpu_rounds));
  g_autofree gdouble *cpu_times = g_new (gdouble, MAX (n_frames, n_cpu_rounds));
  g_autofree gdouble *general_times = g_new (gdouble, n_frames);
  g_autofree gdouble *general_cpu_times = g_new (gdouble, n_frames);
  const struct {
    const gchar *label;
    FidacInterpolation interpolation;
    gdouble slab_mm;
  } configs[] = {
    { "nearest, thin", FIDAC_INTERPOLATION_NEAREST, 0.0 },
    { "linear, thin", FIDAC_INTERPOLATION_LINEAR, 0.0 },
    { "nearest, MIP 10 mm", FIDAC_INTERPOLATION_NEAREST, 10.0 },
    { "linear, MIP 10 mm", FIDAC_INTERPOLATION_LINEAR, 10.0 },
  };

  gl = fidac_gl_volume_new (volume, &error);
  if (gl == NULL)
    {
      g_print ("%s: no texture: %s\n", name, error->message);
      return;
    }

  g_print ("\n%s: %d × %d × %d voxels, %.1f MB\n", name, volume->dims[0], volume->dims[1],
           volume->dims[2], fidac_volume_n_voxels (volume) * 2.0 / 1e6);
  g_print ("  load %.3f s; texture upload %.3f s (%.1f MB)\n", load_seconds,
           fidac_gl_volume_get_upload_seconds (gl),
           fidac_gl_volume_get_texture_bytes (gl) / 1e6);
  g_print ("  VmRSS: before load %.1f MB, after load %.1f MB, after upload %.1f MB\n",
           rss_before, rss_loaded, bench_rss_mb ());

  glGenFramebuffers (FIDAC_N_VIEWS, framebuffers);
  glGenRenderbuffers (FIDAC_N_VIEWS, renderbuffers);
  for (gint v = 0; v < FIDAC_N_VIEWS; v++)
    {
      glBindRenderbuffer (GL_RENDERBUFFER, renderbuffers[v]);
      glRenderbufferStorage (GL_RENDERBUFFER, GL_RGBA8, frame_size, frame_size);
      glBindFramebuffer (GL_FRAMEBUFFER, framebuffers[v]);
      glFramebufferRenderbuffer (GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER,
                                 renderbuffers[v]);
      if (glCheckFramebufferStatus (GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
        g_error ("framebuffer incomplete");
    }

  init_planes (volume, params);
  g_print ("  one frame = %s %d × %d + %s %d × %d + %s %d × %d pixels; median of %d GL "
           "frames, %d CPU frames\n",
           view_names[0], params[0].plane.width, params[0].plane.height,
           view_names[1], params[1].plane.width, params[1].plane.height,
           view_names[2], params[2].plane.width, params[2].plane.height,
           n_frames, n_cpu_rounds);
  g_print ("  wall: median milliseconds per frame; busy: processor milliseconds per frame, all "
           "threads (what the frame costs when nothing else runs)\n");
  g_print ("  %-20s %9s %9s %9s %9s %8s %8s %9s\n", "", "GL wall", "GL busy", "CPU wall",
           "CPU busy", "wall ×", "busy ×", "GL Mpx/s");
  for (guint c = 0; c < G_N_ELEMENTS (configs); c++)
    {
      gdouble gl_ms, cpu_ms, gl_busy, cpu_busy;
      Timing t;
      gint samples;
      const gchar *path;

      if (thin_only && configs[c].slab_mm > 0.0)
        continue;

      for (gint v = 0; v < FIDAC_N_VIEWS; v++)
        {
          params[v].reslice.interpolation = configs[c].interpolation;
          params[v].reslice.slab_mm = configs[c].slab_mm;
          params[v].reslice.slab_mode = FIDAC_SLAB_MIP;
          params[v].reslice.n_threads = 0;
        }
      samples = fidac_reslice_slab_samples (volume, &params[0].reslice);

      /* The first frame compiles the variant's program: not counted. */
      gl_frame (renderer, gl, params, framebuffers);
      path = fidac_mpr_renderer_get_last_path (renderer) == FIDAC_MPR_PATH_AXIS ?
             "axis" : "general";
      if (general)
        gl_frame (general, gl, params, framebuffers);
      for (gint i = 0; i < n_frames; i++)
        {
          t = gl_frame (renderer, gl, params, framebuffers);
          times[i] = t.wall;
          cpu_times[i] = t.cpu;
          if (general)
            {
              t = gl_frame (general, gl, params, framebuffers);
              general_times[i] = t.wall;
              general_cpu_times[i] = t.cpu;
            }
        }
      gl_ms = median (times, n_frames) * 1e3;
      gl_busy = median (cpu_times, n_frames) * 1e3;

      for (gint i = 0; i < n_cpu_rounds && !no_cpu; i++)
        {
          t = cpu_frame (volume, params, hu, gray);
          times[i] = t.wall;
          cpu_times[i] = t.cpu;
        }
      cpu_ms = no_cpu ? NAN : median (times, n_cpu_rounds) * 1e3;
      cpu_busy = no_cpu ? NAN : median (cpu_times, n_cpu_rounds) * 1e3;

      g_print ("  %-20s %9.1f %9.1f %9.1f %9.1f %7.2f× %7.2f× %9.1f   (%d sample%s, %s "
               "path)\n",
               configs[c].label, gl_ms, gl_busy, cpu_ms, cpu_busy, cpu_ms / gl_ms,
               cpu_busy / gl_busy, 3.0 * frame_size * frame_size / (gl_ms * 1e3), samples,
               samples > 1 ? "s" : "", path);
      if (general)
        {
          gdouble general_ms = median (general_times, n_frames) * 1e3;
          gdouble general_busy = median (general_cpu_times, n_frames) * 1e3;

          g_print ("  %-20s %9.1f %9.1f %9s %9s %7.2f× %7.2f× %9.1f   (general path, same "
                   "frames)\n", "", general_ms, general_busy, "", "", cpu_ms / general_ms,
                   cpu_busy / general_busy,
                   3.0 * frame_size * frame_size / (general_ms * 1e3));
        }
    }

  glBindFramebuffer (GL_FRAMEBUFFER, 0);
  glDeleteFramebuffers (FIDAC_N_VIEWS, framebuffers);
  glDeleteRenderbuffers (FIDAC_N_VIEWS, renderbuffers);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(FidacMprRenderer) renderer = NULL;
  g_autoptr(FidacMprRenderer) general = NULL;
  g_autoptr(GOptionContext) options = NULL;
  g_auto(GStrv) series = NULL;
  gboolean no_phantom = FALSE;
  const gchar *shared;
  const GOptionEntry entries[] = {
    { "frames", 0, 0, G_OPTION_ARG_INT, &n_frames, "GL frames measured (median)", "N" },
    { "cpu-rounds", 0, 0, G_OPTION_ARG_INT, &n_cpu_rounds, "CPU frames measured (median)", "N" },
    { "size", 0, 0, G_OPTION_ARG_INT, &frame_size, "Side of each view in pixels", "N" },
    { "series", 0, 0, G_OPTION_ARG_STRING_ARRAY, &series, "Shared series (folder under ct/)",
      "NAME" },
    { "no-phantom", 0, 0, G_OPTION_ARG_NONE, &no_phantom, "Skip the phantom", NULL },
    { "no-cpu", 0, 0, G_OPTION_ARG_NONE, &no_cpu, "Skip the CPU reslicer", NULL },
    { "thin-only", 0, 0, G_OPTION_ARG_NONE, &thin_only, "Skip the slabs", NULL },
    { "no-general", 0, 0, G_OPTION_ARG_NONE, &no_general,
      "Do not measure the general path alongside", NULL },
    { NULL }
  };

  options = g_option_context_new (NULL);
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  n_frames = CLAMP (n_frames, 1, 1000);
  n_cpu_rounds = CLAMP (n_cpu_rounds, 1, 1000);
  frame_size = CLAMP (frame_size, 16, 4096);
  if (series == NULL)
    series = g_strdupv ((gchar *[]) { "covid-ricord-000082", NULL });

  if (!gtk_init_check ())
    {
      g_printerr ("bench-mpr: no display (run it under xvfb-run -a)\n");
      return 77;
    }
  context = gdk_display_create_gl_context (gdk_display_get_default (), &error);
#if GTK_CHECK_VERSION (4, 6, 0)
  if (context != NULL)
    gdk_gl_context_set_allowed_apis (context, GDK_GL_API_GL);
#endif
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    {
      g_printerr ("bench-mpr: no OpenGL context: %s\n", error->message);
      return 77;
    }
  gdk_gl_context_make_current (context);
  renderer = fidac_mpr_renderer_new (&error);
  if (renderer == NULL)
    {
      g_printerr ("bench-mpr: %s\n", error->message);
      return 77;
    }
  if (!no_general)
    {
      g_setenv ("FIDAC_RENDER_NO_AXIS", "1", TRUE);
      general = fidac_mpr_renderer_new (&error);
      g_unsetenv ("FIDAC_RENDER_NO_AXIS");
      if (general == NULL)
        {
          g_printerr ("bench-mpr: %s\n", error->message);
          return 77;
        }
    }
  g_print ("OpenGL %s, %s; LP_NUM_THREADS %s; %u processors; positions in %s precision\n",
           glGetString (GL_VERSION), glGetString (GL_RENDERER),
           g_getenv ("LP_NUM_THREADS") ? g_getenv ("LP_NUM_THREADS") : "unset",
           g_get_num_processors (),
           fidac_mpr_renderer_get_double_precision (renderer) ? "double" : "float");

  {
    g_autofree gchar *load = NULL;

    if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
      g_print ("load average at start: %s", load);
  }

  bench_floor ();

  if (!no_phantom)
    {
      g_autoptr(FidacVolume) volume = NULL;
      FidacPhantomOptions phantom;
      gdouble before = bench_rss_mb (), start = bench_now (), seconds;

      fidac_phantom_options_init (&phantom);
      volume = fidac_phantom_new (&phantom, &error);
      if (volume == NULL)
        g_error ("%s", error->message);
      seconds = bench_now () - start;
      bench_volume ("phantom (generated)", volume, seconds, before, bench_rss_mb (), renderer,
                    general);
    }

  shared = g_getenv ("FIDAC_SHARED_DATA");
  for (gint s = 0; series[s] != NULL; s++)
    {
      g_autoptr(FidacVolume) volume = NULL;
      g_autofree gchar *folder = NULL;
      gdouble before, start, seconds;

      folder = g_build_filename (shared ? shared : "../shared/data", "ct", series[s], NULL);
      if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
        {
          g_print ("\n%s: skipped, %s is not there\n", series[s], folder);
          continue;
        }
      before = bench_rss_mb ();
      start = bench_now ();
      volume = bench_load_series (folder, &error);
      if (volume == NULL)
        {
          g_print ("\n%s: cannot load: %s\n", series[s], error->message);
          g_clear_error (&error);
          continue;
        }
      seconds = bench_now () - start;
      bench_volume (series[s], volume, seconds, before, bench_rss_mb (), renderer, general);
    }

  gdk_gl_context_make_current (context);
  g_clear_pointer (&renderer, fidac_mpr_renderer_free);
  g_clear_pointer (&general, fidac_mpr_renderer_free);
  gdk_gl_context_clear_current ();
  return 0;
}
