/* fidac-mpr.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The views' normals are patient axes (fidac_view_get_axes()), so moving the crosshair
 * along a normal changes one of its coordinates only; the code below writes that
 * coordinate directly instead of adding a difference, so that a crosshair put on a slice
 * is exactly on it and reads back the same index.
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include "fidac-mpr.h"
#include "fidac-window-level.h"

/* The shortest scale bar length in mm; the series goes up to 5 x 10^SCALE_MAX_EXP. */
#define SCALE_MIN_EXP (-1)
#define SCALE_MAX_EXP 4

/* The patient axis a view's normal follows and its sign along it (sagittal: -x). */
static void
normal_axis (FidacView  view,
             gdouble    normal[3],
             gint      *axis,
             gdouble   *sign)
{
  gdouble right[3], down[3];
  gint best = 0;

  fidac_view_get_axes (view, right, down);
  fidac_vec3_cross (right, down, normal);
  for (gint c = 1; c < 3; c++)
    if (fabs (normal[c]) > fabs (normal[best]))
      best = c;
  *axis = best;
  *sign = normal[best] > 0 ? 1.0 : -1.0;
}

/* Puts the crosshair at `t` mm along the view's normal, in-plane components kept. */
static void
crosshair_set_along (FidacMpr  *self,
                     FidacView  view,
                     gdouble    t)
{
  gdouble normal[3], sign;
  gint axis;

  normal_axis (view, normal, &axis, &sign);
  self->crosshair[axis] = sign * t;
}

/* The native plane of fidac_plane_init_view() at slice 0: its in-plane centre and field
 * are those of `fidac-cli render`, so a view at zoom 1 shows the same image. */
static void
native_plane (const FidacVolume *volume,
              FidacView          view,
              FidacPlane        *plane)
{
  g_autoptr(GError) error = NULL;

  /* Slice 0 always exists and size 0 is always valid. */
  if (!fidac_plane_init_view (plane, volume, view, 0, 0, &error))
    g_error ("%s", error->message);
}

FidacMpr *
fidac_mpr_new (FidacVolume *volume)
{
  FidacMpr *self;

  g_return_val_if_fail (volume != NULL, NULL);

  self = g_new0 (FidacMpr, 1);
  self->volume = fidac_volume_ref (volume);
  self->window_width = FIDAC_WINDOW_LUNG_WIDTH;
  self->window_level = FIDAC_WINDOW_LUNG_LEVEL;
  self->invert = FALSE;
  fidac_reslice_options_init (&self->reslice);
  for (gint v = 0; v < FIDAC_N_VIEWS; v++)
    {
      gint count;

      self->views[v].zoom = 1.0;
      self->views[v].pan[0] = self->views[v].pan[1] = 0.0;
      fidac_view_get_slices (volume, v, &count, NULL, NULL);
      fidac_mpr_set_slice (self, v, count / 2);
    }
  return self;
}

void
fidac_mpr_free (FidacMpr *self)
{
  if (self == NULL)
    return;
  fidac_volume_free (self->volume);
  g_free (self);
}

void
fidac_mpr_get_plane (const FidacMpr *self,
                     FidacView       view,
                     gint            width,
                     gint            height,
                     FidacPlane     *plane)
{
  FidacPlane native;
  const FidacMprViewState *state;
  gdouble fitted;

  g_return_if_fail (self != NULL);
  g_return_if_fail (view >= 0 && view < FIDAC_N_VIEWS);
  g_return_if_fail (width > 0 && height > 0);
  g_return_if_fail (plane != NULL);

  state = &self->views[view];
  native_plane (self->volume, view, &native);
  fitted = MAX (native.width * native.pixel_size / width,
                native.height * native.pixel_size / height);

  *plane = native;
  plane->width = width;
  plane->height = height;
  plane->pixel_size = fitted / state->zoom;
  for (gint c = 0; c < 3; c++)
    plane->center[c] += state->pan[0] * plane->right[c] + state->pan[1] * plane->down[c];
  fidac_plane_move_to (plane, self->crosshair);
}

gboolean
fidac_mpr_slice_at_position (const FidacVolume *volume,
                             FidacView          view,
                             gdouble            position_mm,
                             gint              *index)
{
  gdouble normal[3], sign, first, step, f;
  gint axis, count, k;

  g_return_val_if_fail (volume != NULL, FALSE);
  g_return_val_if_fail (view >= 0 && view < FIDAC_N_VIEWS, FALSE);

  normal_axis (view, normal, &axis, &sign);
  fidac_view_get_slices (volume, view, &count, &first, &step);
  f = floor ((sign * position_mm - first) / step + 0.5);
  if (!(f >= 0.0 && f <= count - 1))
    return FALSE;
  k = (gint) f;
  if (index)
    *index = k;
  return TRUE;
}

void
fidac_mpr_slice_position (const FidacVolume *volume,
                          FidacView          view,
                          gint               index,
                          gdouble           *position_mm)
{
  gdouble normal[3], sign, first, step;
  gint axis;

  g_return_if_fail (volume != NULL);
  g_return_if_fail (view >= 0 && view < FIDAC_N_VIEWS);
  g_return_if_fail (position_mm != NULL);

  normal_axis (view, normal, &axis, &sign);
  fidac_view_get_slices (volume, view, NULL, &first, &step);
  *position_mm = sign * (first + index * step);
}

void
fidac_mpr_get_slice (const FidacMpr *self,
                     FidacView       view,
                     gint           *index,
                     gint           *count,
                     gdouble        *position_mm)
{
  gdouble normal[3], sign, first, step, f;
  gint axis, n;

  g_return_if_fail (self != NULL);
  g_return_if_fail (view >= 0 && view < FIDAC_N_VIEWS);

  normal_axis (view, normal, &axis, &sign);
  fidac_view_get_slices (self->volume, view, &n, &first, &step);
  f = floor ((sign * self->crosshair[axis] - first) / step + 0.5);
  if (index)
    *index = (gint) CLAMP (f, 0.0, (gdouble) (n - 1));
  if (count)
    *count = n;
  if (position_mm)
    *position_mm = self->crosshair[axis];
}

void
fidac_mpr_set_slice (FidacMpr  *self,
                     FidacView  view,
                     gint       index)
{
  gdouble first, step;
  gint count;

  g_return_if_fail (self != NULL);
  g_return_if_fail (view >= 0 && view < FIDAC_N_VIEWS);

  fidac_view_get_slices (self->volume, view, &count, &first, &step);
  index = CLAMP (index, 0, count - 1);
  crosshair_set_along (self, view, first + index * step);
}

gboolean
fidac_mpr_scroll (FidacMpr  *self,
                  FidacView  view,
                  gint       delta)
{
  gint index, count, target;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (view >= 0 && view < FIDAC_N_VIEWS, FALSE);

  fidac_mpr_get_slice (self, view, &index, &count, NULL);
  /* In 64 bits: a huge delta must clamp, not wrap. */
  target = (gint) CLAMP ((gint64) index + delta, 0, (gint64) count - 1);
  /* Even without a move the crosshair snaps to the slice, which a click in another view
   * may have left between two. */
  fidac_mpr_set_slice (self, view, target);
  return target != index;
}

void
fidac_mpr_screen_to_patient (const FidacMpr *self,
                             FidacView       view,
                             gint            width,
                             gint            height,
                             gdouble         x,
                             gdouble         y,
                             gdouble         patient[3])
{
  FidacPlane plane;

  g_return_if_fail (self != NULL);
  g_return_if_fail (width > 0 && height > 0);

  fidac_mpr_get_plane (self, view, width, height, &plane);
  fidac_plane_screen_to_patient (&plane, x, y, patient);
}

void
fidac_mpr_patient_to_screen (const FidacMpr *self,
                             FidacView       view,
                             gint            width,
                             gint            height,
                             const gdouble   patient[3],
                             gdouble        *x,
                             gdouble        *y)
{
  FidacPlane plane;
  gdouble d[3];

  g_return_if_fail (self != NULL);
  g_return_if_fail (width > 0 && height > 0);

  fidac_mpr_get_plane (self, view, width, height, &plane);
  for (gint c = 0; c < 3; c++)
    d[c] = patient[c] - plane.center[c];
  if (x)
    *x = fidac_vec3_dot (d, plane.right) / plane.pixel_size + width / 2.0;
  if (y)
    *y = fidac_vec3_dot (d, plane.down) / plane.pixel_size + height / 2.0;
}

void
fidac_mpr_set_crosshair_screen (FidacMpr  *self,
                                FidacView  view,
                                gint       width,
                                gint       height,
                                gdouble    x,
                                gdouble    y)
{
  gdouble patient[3], normal[3], sign;
  gint axis;

  g_return_if_fail (self != NULL);
  g_return_if_fail (width > 0 && height > 0);

  /* A NaN crosshair would have no slice in any view. */
  if (!isfinite (x) || !isfinite (y))
    return;
  fidac_mpr_screen_to_patient (self, view, width, height, x, y, patient);
  normal_axis (view, normal, &axis, &sign);
  for (gint c = 0; c < 3; c++)
    if (c != axis)
      self->crosshair[c] = patient[c];
}

void
fidac_mpr_zoom_at (FidacMpr  *self,
                   FidacView  view,
                   gint       width,
                   gint       height,
                   gdouble    x,
                   gdouble    y,
                   gdouble    factor)
{
  FidacMprViewState *state;
  FidacPlane plane;
  gdouble old_size, new_size, zoom;

  g_return_if_fail (self != NULL);
  g_return_if_fail (view >= 0 && view < FIDAC_N_VIEWS);
  g_return_if_fail (width > 0 && height > 0);

  if (!(factor > 0.0) || !isfinite (factor) || !isfinite (x) || !isfinite (y))
    return;
  state = &self->views[view];
  fidac_mpr_get_plane (self, view, width, height, &plane);
  old_size = plane.pixel_size;
  zoom = CLAMP (state->zoom * factor, FIDAC_MPR_ZOOM_MIN, FIDAC_MPR_ZOOM_MAX);
  new_size = old_size * state->zoom / zoom;
  /* The point under (x, y) is centre + (x - width / 2) * pixel_size along right: keeping
   * it fixed while the pixel size changes moves the centre by the difference. */
  state->pan[0] += (x - width / 2.0) * (old_size - new_size);
  state->pan[1] += (y - height / 2.0) * (old_size - new_size);
  state->zoom = zoom;
}

void
fidac_mpr_pan (FidacMpr  *self,
               FidacView  view,
               gint       width,
               gint       height,
               gdouble    dx,
               gdouble    dy)
{
  FidacPlane plane;

  g_return_if_fail (self != NULL);
  g_return_if_fail (view >= 0 && view < FIDAC_N_VIEWS);
  g_return_if_fail (width > 0 && height > 0);

  if (!isfinite (dx) || !isfinite (dy))
    return;
  fidac_mpr_get_plane (self, view, width, height, &plane);
  self->views[view].pan[0] -= dx * plane.pixel_size;
  self->views[view].pan[1] -= dy * plane.pixel_size;
}

void
fidac_mpr_reset_view (FidacMpr  *self,
                      FidacView  view)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (view >= 0 && view < FIDAC_N_VIEWS);

  self->views[view].zoom = 1.0;
  self->views[view].pan[0] = self->views[view].pan[1] = 0.0;
}

void
fidac_mpr_window_drag (gdouble  width0,
                       gdouble  level0,
                       gdouble  dx,
                       gdouble  dy,
                       gdouble *width,
                       gdouble *level)
{
  /* Written so that a NaN drag keeps the window. */
  if (width)
    *width = isfinite (dx) ? MAX (1.0, width0 + dx * FIDAC_MPR_WINDOW_HU_PER_PIXEL) : width0;
  if (level)
    *level = isfinite (dy) ? level0 + dy * FIDAC_MPR_WINDOW_HU_PER_PIXEL : level0;
}

gboolean
fidac_mpr_probe (const FidacMpr *self,
                 const gdouble   patient[3],
                 gint            ijk[3],
                 gint16         *hu)
{
  const FidacVolume *volume;
  gdouble voxel[3];
  gint index[3];

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (patient != NULL, FALSE);

  volume = self->volume;
  fidac_volume_patient_to_voxel (volume, patient, voxel);
  for (gint a = 0; a < 3; a++)
    {
      /* Written so that NaN is outside too. */
      if (!(voxel[a] >= -0.5 && voxel[a] < volume->dims[a] - 0.5))
        return FALSE;
      /* Non-negative, so truncation is floor: the reslicer's nearest sample. */
      index[a] = (gint) (voxel[a] + 0.5);
    }
  if (ijk)
    memcpy (ijk, index, sizeof index);
  if (hu)
    *hu = fidac_volume_get (volume, index[0], index[1], index[2]);
  return TRUE;
}

void
fidac_mpr_direction_letters (const gdouble dir[3],
                             gchar         out[4])
{
  static const gchar positive[3] = { 'L', 'P', 'H' };
  static const gchar negative[3] = { 'R', 'A', 'F' };
  gint order[3] = { 0, 1, 2 };
  gint n = 0;

  /* Largest magnitude first; an insertion sort keeps x, y, z order on ties. */
  for (gint i = 1; i < 3; i++)
    for (gint j = i; j > 0 && fabs (dir[order[j]]) > fabs (dir[order[j - 1]]); j--)
      {
        gint t = order[j];

        order[j] = order[j - 1];
        order[j - 1] = t;
      }
  for (gint i = 0; i < 3; i++)
    {
      gdouble v = dir[order[i]];

      if (fabs (v) >= 0.25)
        out[n++] = v > 0 ? positive[order[i]] : negative[order[i]];
    }
  out[n] = '\0';
}

void
fidac_mpr_plane_letters (const FidacPlane *plane,
                         gchar             left[4],
                         gchar             right[4],
                         gchar             top[4],
                         gchar             bottom[4])
{
  gdouble minus_right[3], minus_down[3];

  g_return_if_fail (plane != NULL);

  for (gint c = 0; c < 3; c++)
    {
      minus_right[c] = -plane->right[c];
      minus_down[c] = -plane->down[c];
    }
  fidac_mpr_direction_letters (minus_right, left);
  fidac_mpr_direction_letters (plane->right, right);
  fidac_mpr_direction_letters (minus_down, top);
  fidac_mpr_direction_letters (plane->down, bottom);
}

gboolean
fidac_mpr_scale_bar (gdouble  pixel_size,
                     gdouble  max_pixels,
                     gdouble *mm,
                     gdouble *pixels)
{
  static const gdouble steps[3] = { 1.0, 2.0, 5.0 };
  gdouble best = 0.0;

  if (mm)
    *mm = 0.0;
  if (pixels)
    *pixels = 0.0;
  if (!(pixel_size > 0.0) || !isfinite (pixel_size) || !(max_pixels > 0.0) ||
      !isfinite (max_pixels))
    return FALSE;

  for (gint e = SCALE_MIN_EXP; e <= SCALE_MAX_EXP; e++)
    for (gint s = 0; s < 3; s++)
      {
        gdouble length = steps[s] * pow (10.0, e);

        /* A hair of tolerance: 50 mm at 0.5 mm per pixel is exactly 100 pixels. */
        if (length / pixel_size <= max_pixels * (1.0 + 1e-12))
          best = length;
      }
  if (best == 0.0)
    return FALSE;
  if (mm)
    *mm = best;
  if (pixels)
    *pixels = best / pixel_size;
  return TRUE;
}
