/* fidac-reslice.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "fidac-reslice.h"
#include "fidac-window-level.h"

#define MAX_PLANE_SIZE 16384
/* Below this many samples a thread costs more than it saves. */
#define MIN_SAMPLES_PER_THREAD 65536
/* A linear weight this close to 0 or 1 is taken as exact, so that a plane through voxel
 * centres gives the stored values despite the rounding of the matrices. */
#define SNAP 1e-6

static const gdouble view_axes[FIDAC_N_VIEWS][2][3] = {
  [FIDAC_VIEW_AXIAL] = { { 1, 0, 0 }, { 0, 1, 0 } },
  [FIDAC_VIEW_CORONAL] = { { 1, 0, 0 }, { 0, 0, -1 } },
  [FIDAC_VIEW_SAGITTAL] = { { 0, 1, 0 }, { 0, 0, -1 } },
};

void
fidac_view_get_axes (FidacView view,
                     gdouble   right[3],
                     gdouble   down[3])
{
  g_return_if_fail (view >= 0 && view < FIDAC_N_VIEWS);

  memcpy (right, view_axes[view][0], sizeof (gdouble) * 3);
  memcpy (down, view_axes[view][1], sizeof (gdouble) * 3);
}

/* The spacing of the volume axis most nearly parallel to `dir`. */
static gdouble
spacing_along (const FidacVolume *volume,
               const gdouble      dir[3])
{
  gint best = 0;
  gdouble best_cos = -1.0;

  for (gint a = 0; a < 3; a++)
    {
      gdouble c = fabs (fidac_vec3_dot (volume->axis[a], dir));

      /* Ties (45 degrees) go to the finer axis so that nothing is lost. */
      if (c > best_cos + 1e-9 || (fabs (c - best_cos) <= 1e-9 &&
                                  volume->spacing[a] < volume->spacing[best]))
        {
          best = a;
          best_cos = c;
        }
    }
  return volume->spacing[best];
}

/* Range of the voxel centres of `volume` projected on `dir`. */
static void
extent_along (const FidacVolume *volume,
              const gdouble      dir[3],
              gdouble           *lo,
              gdouble           *hi)
{
  *lo = G_MAXDOUBLE;
  *hi = -G_MAXDOUBLE;
  for (gint c = 0; c < 8; c++)
    {
      gdouble voxel[3] = {
        (c & 1) ? volume->dims[0] - 1 : 0,
        (c & 2) ? volume->dims[1] - 1 : 0,
        (c & 4) ? volume->dims[2] - 1 : 0,
      };
      gdouble p[3];
      gdouble d;

      fidac_volume_voxel_to_patient (volume, voxel, p);
      d = fidac_vec3_dot (p, dir);
      *lo = MIN (*lo, d);
      *hi = MAX (*hi, d);
    }
}

void
fidac_view_get_slices (const FidacVolume *volume,
                       FidacView          view,
                       gint              *count,
                       gdouble           *first_mm,
                       gdouble           *step_mm)
{
  gdouble normal[3];
  gdouble lo, hi, step;

  g_return_if_fail (volume != NULL);
  g_return_if_fail (view >= 0 && view < FIDAC_N_VIEWS);

  fidac_vec3_cross (view_axes[view][0], view_axes[view][1], normal);
  extent_along (volume, normal, &lo, &hi);
  step = spacing_along (volume, normal);
  if (count)
    *count = (gint) floor ((hi - lo) / step + 0.5) + 1;
  if (first_mm)
    *first_mm = lo;
  if (step_mm)
    *step_mm = step;
}

gboolean
fidac_plane_init_view (FidacPlane        *plane,
                       const FidacVolume *volume,
                       FidacView          view,
                       gint               index,
                       gint               size,
                       GError           **error)
{
  gdouble normal[3];
  gdouble r_lo, r_hi, d_lo, d_hi, first, step, ps, mid_r, mid_d, position;
  gint count, native_w, native_h;

  g_return_val_if_fail (plane != NULL, FALSE);
  g_return_val_if_fail (volume != NULL, FALSE);
  g_return_val_if_fail (view >= 0 && view < FIDAC_N_VIEWS, FALSE);

  fidac_view_get_slices (volume, view, &count, &first, &step);
  if (index < 0 || index >= count)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   /* TRANSLATORS: a slice number, then the last valid one */
                   _("Slice %d is outside the volume (0 to %d in this view)"), index, count - 1);
      return FALSE;
    }
  if (size < 0 || size > MAX_PLANE_SIZE)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Image size %d is outside 1 to %d"), size, MAX_PLANE_SIZE);
      return FALSE;
    }

  fidac_view_get_axes (view, plane->right, plane->down);
  fidac_vec3_cross (plane->right, plane->down, normal);
  extent_along (volume, plane->right, &r_lo, &r_hi);
  extent_along (volume, plane->down, &d_lo, &d_hi);
  ps = spacing_along (volume, plane->right);
  native_w = (gint) floor ((r_hi - r_lo) / ps + 0.5) + 1;
  native_h = (gint) floor ((d_hi - d_lo) / ps + 0.5) + 1;

  /* The image centre is halfway between the first and last pixel centres; right, down and
   * normal are orthonormal, so the centre is the sum of its three projections. */
  mid_r = r_lo + (native_w - 1) * ps / 2.0;
  mid_d = d_lo + (native_h - 1) * ps / 2.0;
  position = first + index * step;
  for (gint c = 0; c < 3; c++)
    plane->center[c] = mid_r * plane->right[c] + mid_d * plane->down[c] + position * normal[c];

  if (size == 0)
    {
      plane->pixel_size = ps;
      plane->width = native_w;
      plane->height = native_h;
    }
  else
    {
      gdouble field_w = native_w * ps;
      gdouble field_h = native_h * ps;

      plane->pixel_size = MAX (field_w, field_h) / size;
      plane->width = MAX (1, (gint) floor (field_w / plane->pixel_size + 0.5));
      plane->height = MAX (1, (gint) floor (field_h / plane->pixel_size + 0.5));
    }
  return TRUE;
}

gboolean
fidac_plane_validate (const FidacPlane *plane,
                      GError          **error)
{
  gdouble nr = fidac_vec3_norm (plane->right);
  gdouble nd = fidac_vec3_norm (plane->down);

  if (plane->width < 1 || plane->height < 1 ||
      plane->width > MAX_PLANE_SIZE || plane->height > MAX_PLANE_SIZE)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Invalid image size %d × %d"), plane->width, plane->height);
      return FALSE;
    }
  if (!(plane->pixel_size > 0.0) || !isfinite (plane->pixel_size))
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Invalid pixel size %g mm"), plane->pixel_size);
      return FALSE;
    }
  if (fabs (nr - 1.0) > 1e-6 || fabs (nd - 1.0) > 1e-6 ||
      fabs (fidac_vec3_dot (plane->right, plane->down)) > 1e-6 ||
      !isfinite (plane->center[0] + plane->center[1] + plane->center[2]))
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("The plane’s directions are not orthogonal unit vectors"));
      return FALSE;
    }
  return TRUE;
}

void
fidac_plane_get_normal (const FidacPlane *plane,
                        gdouble           normal[3])
{
  fidac_vec3_cross (plane->right, plane->down, normal);
}

void
fidac_plane_screen_to_patient (const FidacPlane *plane,
                               gdouble           x,
                               gdouble           y,
                               gdouble           patient[3])
{
  gdouble dx = (x - plane->width / 2.0) * plane->pixel_size;
  gdouble dy = (y - plane->height / 2.0) * plane->pixel_size;

  for (gint c = 0; c < 3; c++)
    patient[c] = plane->center[c] + dx * plane->right[c] + dy * plane->down[c];
}

void
fidac_plane_get_screen_to_voxel (const FidacPlane  *plane,
                                 const FidacVolume *volume,
                                 gdouble            m[16])
{
  gdouble normal[3], origin[3], columns[3][3];

  fidac_plane_get_normal (plane, normal);
  fidac_plane_screen_to_patient (plane, 0.0, 0.0, origin);
  for (gint c = 0; c < 3; c++)
    {
      columns[0][c] = plane->right[c] * plane->pixel_size;
      columns[1][c] = plane->down[c] * plane->pixel_size;
      columns[2][c] = normal[c];
    }
  /* to_voxel x (screen -> patient), the second matrix built column by column. */
  for (gint r = 0; r < 3; r++)
    {
      const gdouble *t = volume->to_voxel + r * 4;

      for (gint col = 0; col < 3; col++)
        m[r * 4 + col] = t[0] * columns[col][0] + t[1] * columns[col][1] + t[2] * columns[col][2];
      m[r * 4 + 3] = t[0] * origin[0] + t[1] * origin[1] + t[2] * origin[2] + t[3];
    }
  m[12] = m[13] = m[14] = 0.0;
  m[15] = 1.0;
}

void
fidac_plane_move_to (FidacPlane    *plane,
                     const gdouble  patient[3])
{
  gdouble normal[3], d[3], t;

  fidac_plane_get_normal (plane, normal);
  for (gint c = 0; c < 3; c++)
    d[c] = patient[c] - plane->center[c];
  t = fidac_vec3_dot (d, normal);
  for (gint c = 0; c < 3; c++)
    plane->center[c] += t * normal[c];
}

void
fidac_reslice_options_init (FidacResliceOptions *options)
{
  memset (options, 0, sizeof *options);
  options->interpolation = FIDAC_INTERPOLATION_LINEAR;
  options->slab_mode = FIDAC_SLAB_AVERAGE;
}

static gdouble
smallest_spacing (const FidacVolume *volume)
{
  return MIN (volume->spacing[0], MIN (volume->spacing[1], volume->spacing[2]));
}

gint
fidac_reslice_slab_samples (const FidacVolume         *volume,
                            const FidacResliceOptions *options)
{
  gint n;

  if (!(options->slab_mm > 0.0))
    return 1;
  n = (gint) floor (options->slab_mm / smallest_spacing (volume) + 0.5);
  n = MAX (n, 1);
  if (n % 2 == 0)
    n++;
  return MIN (n, 4 * MAX_PLANE_SIZE + 1);
}

typedef struct {
  const FidacVolume *volume;
  const FidacPlane  *plane;
  FidacInterpolation interpolation;
  FidacSlabMode      mode;
  gint               n_samples;
  gdouble            screen_to_voxel[16];
  gdouble            origin[3];         /* voxel position of screen point (0, 0) */
  gdouble            pixel_step[3];     /* voxel step for one screen unit along x */
  gdouble            row_step[3];       /* ... along y */
  gdouble            slab_step[3];      /* voxel step from one slab sample to the next */
  gfloat            *out;
  gint               row_begin;
  gint               row_end;
} Job;

/* Where the samples of a row are. Each position is computed on its own, as
 * ((origin + x * pixel_step) + y * row_step) + s * slab_step, products and sums rounded in
 * that order: the GL shader does exactly this, so a sample exactly halfway between two
 * voxels (common: odd view widths, round spacings) goes to the same voxel on both paths.
 * Stepping from pixel to pixel would drift by a rounding from the shader's result. */
typedef struct {
  const gdouble *origin;
  const gdouble *pixel_step;
  gdouble        row[3];          /* y * row_step */
  gdouble        slab[3];         /* s * slab_step */
  gboolean       in_slab;         /* add `slab` (a slab sample, s = 0 included) */
} RowSamples;

static inline void
row_position (const RowSamples *r,
              gint              u,
              gdouble           p[3])
{
  const gdouble x = u + 0.5;

  for (gint c = 0; c < 3; c++)
    {
      gdouble a = r->pixel_step[c] * x;
      gdouble q = (r->origin[c] + a) + r->row[c];

      p[c] = r->in_slab ? q + r->slab[c] : q;
    }
}

/* One row of samples; NAN where outside. */
static void
sample_row_nearest (const FidacVolume *volume,
                    const RowSamples  *r,
                    gint               n,
                    gfloat            *dst)
{
  const gint nx = volume->dims[0], ny = volume->dims[1], nz = volume->dims[2];
  const gdouble hx = nx - 0.5, hy = ny - 0.5, hz = nz - 0.5;
  const gsize slice = (gsize) nx * ny;

  for (gint u = 0; u < n; u++)
    {
      gdouble p[3];
      gint i, j, k;

      row_position (r, u, p);
      if (p[0] < -0.5 || p[1] < -0.5 || p[2] < -0.5 || p[0] >= hx || p[1] >= hy || p[2] >= hz)
        {
          dst[u] = NAN;
          continue;
        }
      /* Non-negative, so truncation is floor. */
      i = (gint) (p[0] + 0.5);
      j = (gint) (p[1] + 0.5);
      k = (gint) (p[2] + 0.5);
      dst[u] = volume->voxels[k * slice + (gsize) j * nx + i];
    }
}

static inline void
linear_axis (gdouble  x,
             gint     n,
             gint    *i0,
             gint    *step,
             gdouble *f)
{
  gint i;

  x = CLAMP (x, 0.0, (gdouble) (n - 1));
  i = (gint) x;
  *f = x - i;
  if (*f < SNAP)
    *f = 0.0;
  else if (*f > 1.0 - SNAP)
    {
      i++;
      *f = 0.0;
    }
  if (i >= n - 1)
    {
      i = n - 1;
      *f = 0.0;
    }
  *i0 = i;
  *step = *f > 0.0 ? 1 : 0;
}

static void
sample_row_linear (const FidacVolume *volume,
                   const RowSamples  *r,
                   gint               n,
                   gfloat            *dst)
{
  const gint nx = volume->dims[0], ny = volume->dims[1], nz = volume->dims[2];
  const gdouble hx = nx - 0.5, hy = ny - 0.5, hz = nz - 0.5;
  const gsize slice = (gsize) nx * ny;

  for (gint u = 0; u < n; u++)
    {
      gdouble p[3];
      gdouble x, y, z;
      gint i, j, k, si, sj, sk;
      gdouble fx, fy, fz;
      const gint16 *v;
      gsize oj, ok;
      gdouble c00, c01, c10, c11, c0, c1;

      row_position (r, u, p);
      x = p[0];
      y = p[1];
      z = p[2];
      if (x < -0.5 || y < -0.5 || z < -0.5 || x >= hx || y >= hy || z >= hz)
        {
          dst[u] = NAN;
          continue;
        }
      linear_axis (x, nx, &i, &si, &fx);
      linear_axis (y, ny, &j, &sj, &fy);
      linear_axis (z, nz, &k, &sk, &fz);
      v = volume->voxels + k * slice + (gsize) j * nx + i;
      oj = (gsize) sj * nx;
      ok = sk * slice;
      c00 = v[0] + fx * (v[si] - v[0]);
      c10 = v[oj] + fx * (v[oj + si] - v[oj]);
      c01 = v[ok] + fx * (v[ok + si] - v[ok]);
      c11 = v[ok + oj] + fx * (v[ok + oj + si] - v[ok + oj]);
      c0 = c00 + fy * (c10 - c00);
      c1 = c01 + fy * (c11 - c01);
      dst[u] = (gfloat) (c0 + fz * (c1 - c0));
    }
}

static void
run_rows (Job *job)
{
  const FidacPlane *plane = job->plane;
  const gint w = plane->width;
  const gint half = job->n_samples / 2;
  g_autofree gfloat *tmp = job->n_samples > 1 ? g_new (gfloat, w) : NULL;
  g_autofree gint *counts = job->n_samples > 1 ? g_new (gint, w) : NULL;

  for (gint v = job->row_begin; v < job->row_end; v++)
    {
      gfloat *row = job->out + (gsize) v * w;
      const gdouble y = v + 0.5;
      RowSamples r = { job->origin, job->pixel_step };

      for (gint c = 0; c < 3; c++)
        r.row[c] = job->row_step[c] * y;

      if (job->n_samples == 1)
        {
          if (job->interpolation == FIDAC_INTERPOLATION_NEAREST)
            sample_row_nearest (job->volume, &r, w, row);
          else
            sample_row_linear (job->volume, &r, w, row);
          for (gint u = 0; u < w; u++)
            if (isnan (row[u]))
              row[u] = FIDAC_RESLICE_BACKGROUND_HU;
          continue;
        }

      memset (counts, 0, sizeof (gint) * w);
      r.in_slab = TRUE;
      for (gint s = -half; s <= half; s++)
        {
          for (gint c = 0; c < 3; c++)
            r.slab[c] = job->slab_step[c] * s;
          if (job->interpolation == FIDAC_INTERPOLATION_NEAREST)
            sample_row_nearest (job->volume, &r, w, tmp);
          else
            sample_row_linear (job->volume, &r, w, tmp);
          for (gint u = 0; u < w; u++)
            {
              if (isnan (tmp[u]))
                continue;
              if (counts[u]++ == 0)
                row[u] = tmp[u];
              else if (job->mode == FIDAC_SLAB_MIP)
                row[u] = MAX (row[u], tmp[u]);
              else if (job->mode == FIDAC_SLAB_MINIP)
                row[u] = MIN (row[u], tmp[u]);
              else
                row[u] += tmp[u];
            }
        }
      for (gint u = 0; u < w; u++)
        {
          if (counts[u] == 0)
            row[u] = FIDAC_RESLICE_BACKGROUND_HU;
          else if (job->mode == FIDAC_SLAB_AVERAGE)
            row[u] /= counts[u];
        }
    }
}

static gpointer
run_rows_thread (gpointer data)
{
  run_rows (data);
  return NULL;
}

gboolean
fidac_reslice (const FidacVolume         *volume,
               const FidacPlane          *plane,
               const FidacResliceOptions *options,
               gfloat                    *out,
               GError                   **error)
{
  FidacResliceOptions defaults;
  Job base = { 0 };
  guint n_threads;
  gsize work;

  g_return_val_if_fail (volume != NULL, FALSE);
  g_return_val_if_fail (plane != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    {
      fidac_reslice_options_init (&defaults);
      options = &defaults;
    }
  if (!fidac_plane_validate (plane, error))
    return FALSE;

  base.volume = volume;
  base.plane = plane;
  base.interpolation = options->interpolation;
  base.mode = options->slab_mode;
  base.n_samples = fidac_reslice_slab_samples (volume, options);
  base.out = out;
  /* One matrix, the one the shader gets. */
  fidac_plane_get_screen_to_voxel (plane, volume, base.screen_to_voxel);
  for (gint c = 0; c < 3; c++)
    {
      base.origin[c] = base.screen_to_voxel[c * 4 + 3];
      base.pixel_step[c] = base.screen_to_voxel[c * 4 + 0];
      base.row_step[c] = base.screen_to_voxel[c * 4 + 1];
      base.slab_step[c] = base.screen_to_voxel[c * 4 + 2] * smallest_spacing (volume);
    }

  n_threads = options->n_threads ? options->n_threads : g_get_num_processors ();
  work = (gsize) plane->width * plane->height * base.n_samples;
  n_threads = MIN (n_threads, MAX (1, work / MIN_SAMPLES_PER_THREAD));
  n_threads = MIN (n_threads, (guint) plane->height);

  if (n_threads <= 1)
    {
      base.row_begin = 0;
      base.row_end = plane->height;
      run_rows (&base);
      return TRUE;
    }

  {
    g_autofree Job *jobs = g_new (Job, n_threads);
    g_autofree GThread **threads = g_new0 (GThread *, n_threads);

    for (guint t = 0; t < n_threads; t++)
      {
        jobs[t] = base;
        jobs[t].row_begin = (gint) ((gint64) plane->height * t / n_threads);
        jobs[t].row_end = (gint) ((gint64) plane->height * (t + 1) / n_threads);
      }
    /* The calling thread takes the first band; a thread that cannot start leaves its band
     * to the caller, so the result never depends on how many threads ran. */
    for (guint t = 1; t < n_threads; t++)
      {
        threads[t] = g_thread_try_new ("fidac-reslice", run_rows_thread, &jobs[t], NULL);
        if (threads[t] == NULL)
          run_rows (&jobs[t]);
      }
    run_rows (&jobs[0]);
    for (guint t = 1; t < n_threads; t++)
      if (threads[t])
        g_thread_join (threads[t]);
  }
  return TRUE;
}

void
fidac_reslice_window (const gfloat *hu,
                      gsize         n,
                      gdouble       width,
                      gdouble       level,
                      gboolean      invert,
                      guint8       *out)
{
  g_autofree guint8 *lut = NULL;

  /* Nearest sampling gives whole HU values: a table of the 64 K of them is cheaper than
   * the formula once the image is that big, and gives the same grey by construction. */
  if (n >= 65536)
    {
      lut = g_malloc (65536);
      for (gint v = 0; v < 65536; v++)
        lut[v] = fidac_window_level_map ((gdouble) (v - 32768), width, level);
    }
  for (gsize p = 0; p < n; p++)
    {
      gfloat h = hu[p];
      guint8 g;

      if (lut && h >= -32768.0f && h <= 32767.0f && h == (gfloat) (gint) h)
        g = lut[(gint) h + 32768];
      else
        g = fidac_window_level_map (h, width, level);
      out[p] = invert ? 255 - g : g;
    }
}
