/* annotation-crash-steps.h: the steps of the annotation crash test, the same in the child
 * that paints them through FidacAnnotation (and commits them on release, as the GUI does)
 * and in the test that replays them to know what must be stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <math.h>

#include "fidac-annotation.h"
#include "fidac-phantom.h"

static const FidacReader crash_reader = { "Dr Crash Annotation", "10008888888",
                                          FIDAC_READER_ROLE_EXPERT };

/* The phantom on a small grid, quick to build in every child; slices close enough that a
 * sphere spans several. */
static inline FidacVolume *
crash_volume (GError **error)
{
  FidacPhantomOptions options;

  fidac_phantom_options_init (&options);
  options.columns = 160;
  options.rows = 144;
  options.slices = 48;
  options.pixel_spacing = 2.0;
  options.slice_spacing = 3.0;
  return fidac_phantom_new (&options, error);
}

/* Voxel coordinates (continuous) to patient, clamped inside the grid first. */
static inline void
crash_point (const FidacVolume *volume,
             const gdouble      voxel[3],
             gdouble            patient[3])
{
  gdouble v[3];

  for (gint r = 0; r < 3; r++)
    v[r] = CLAMP (voxel[r], 0.0, volume->dims[r] - 1.0);
  fidac_volume_voxel_to_patient (volume, v, patient);
}

/* The unit normal of the view plane across voxel axis `axis`, as the view gives it. */
static inline void
crash_normal (const FidacVolume *volume,
              gint               axis,
              gdouble            normal[3])
{
  gdouble o[3] = { 0, 0, 0 }, e[3] = { 0, 0, 0 }, po[3], pe[3], norm = 0;

  e[axis] = 1.0;
  fidac_volume_voxel_to_patient (volume, o, po);
  fidac_volume_voxel_to_patient (volume, e, pe);
  for (gint r = 0; r < 3; r++)
    {
      normal[r] = pe[r] - po[r];
      norm += normal[r] * normal[r];
    }
  for (gint r = 0; r < 3; r++)
    normal[r] /= sqrt (norm);
}

typedef enum {
  CRASH_STEP_STROKE,
  CRASH_STEP_LASSO,
  CRASH_STEP_UNDO,
  CRASH_STEP_REDO,
} CrashStepKind;

/* Step `s`, a function of `s` and of the history since the session was loaded: an undo, a
 * redo (the window's actions), a lasso (its release), or a stroke of the brush or the
 * eraser, disc or sphere, one of the classes, in one of the three view planes: press
 * (stroke_begin), motion (stroke_move_to) and release (stroke_end), the calls the view's
 * drag handlers make. Each commits the slices it changed when it returns. */
static inline gboolean
crash_step (FidacAnnotation *annotation,
            guint            s,
            CrashStepKind   *kind,
            GError         **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (0xa11c0000u + s * 2654435761u);
  FidacVolume *volume = fidac_annotation_get_volume (annotation);
  gint roll = g_rand_int_range (rand, 0, 100);
  gint paint_roll = g_rand_int_range (rand, 0, 100);
  gint axis = g_rand_int_range (rand, 0, 3);
  gint n_points = g_rand_int_range (rand, 3, 9);
  gdouble normal[3], voxel[3], patient[3];

  if (roll < 12)
    {
      *kind = CRASH_STEP_UNDO;
      fidac_annotation_undo (annotation);
      return TRUE;
    }
  /* A redo mostly follows undos (as a reader's does): more often when there is one. */
  if (roll < 18 || (roll < 40 && fidac_annotation_get_n_redo (annotation) > 0))
    {
      *kind = CRASH_STEP_REDO;
      fidac_annotation_redo (annotation);
      return TRUE;
    }

  fidac_annotation_set_class (annotation, g_rand_int_range (rand, 1, FIDAC_LESION_N_CLASSES + 1));
  if (g_rand_int_range (rand, 0, 5) == 0)
    fidac_annotation_set_paint_over (annotation, FIDAC_PAINT_OVER_ALL, 0);
  else
    fidac_annotation_set_paint_over (annotation, FIDAC_PAINT_OVER_EMPTY, 0);
  crash_normal (volume, axis, normal);
  for (gint r = 0; r < 3; r++)
    voxel[r] = g_rand_double_range (rand, 0.0, volume->dims[r] - 1.0);

  if (paint_roll < 10)
    {
      g_autofree gdouble *points = g_new (gdouble, 3 * n_points);
      gdouble radius = g_rand_double_range (rand, 3.0, 20.0);

      /* An outline around the point, in its slice: what the view maps the pointer to. */
      *kind = CRASH_STEP_LASSO;
      fidac_annotation_set_tool (annotation, FIDAC_TOOL_LASSO);
      for (gint p = 0; p < n_points; p++)
        {
          gdouble angle = 2 * G_PI * p / n_points + g_rand_double_range (rand, -0.3, 0.3);
          gdouble rho = radius * g_rand_double_range (rand, 0.6, 1.2);
          gdouble v[3] = { voxel[0], voxel[1], voxel[2] };

          v[(axis + 1) % 3] += rho * cos (angle);
          v[(axis + 2) % 3] += rho * sin (angle);
          crash_point (volume, v, points + 3 * p);
        }
      return fidac_annotation_fill_lasso (annotation, normal, points, n_points, NULL, error);
    }

  *kind = CRASH_STEP_STROKE;
  fidac_annotation_set_tool (annotation, paint_roll < 85 ? FIDAC_TOOL_BRUSH : FIDAC_TOOL_ERASER);
  fidac_annotation_set_shape (annotation, g_rand_boolean (rand) ? FIDAC_BRUSH_SPHERE
                                                                : FIDAC_BRUSH_DISC);
  fidac_annotation_set_diameter (annotation, g_rand_double_range (rand, 2.0, 30.0));
  crash_point (volume, voxel, patient);
  if (!fidac_annotation_stroke_begin (annotation, normal, patient, error))
    return FALSE;
  for (gint p = 1; p < n_points; p++)
    {
      /* The pointer moves in the view's plane. */
      voxel[(axis + 1) % 3] += g_rand_double_range (rand, -12.0, 12.0);
      voxel[(axis + 2) % 3] += g_rand_double_range (rand, -12.0, 12.0);
      crash_point (volume, voxel, patient);
      if (!fidac_annotation_stroke_move_to (annotation, patient, error))
        {
          fidac_annotation_stroke_end (annotation);
          return FALSE;
        }
    }
  fidac_annotation_stroke_end (annotation);
  return TRUE;
}
