/* fidac-dicom-geometry.cc: slices put in order and on a regular grid, or refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Order comes from Image Position (Patient) projected on the normal of Image Orientation,
 * never from file names or Instance Numbers. Every irregularity ends in a warning (gaps,
 * gantry tilt) or a clear error (uneven steps, duplicates, mixed sizes), never in a
 * misplaced slice.
 */
#define G_LOG_DOMAIN "fidac-dicom"

#include "fidac-dicom-reader.hh"

#include <algorithm>
#include <cmath>
#include <cstring>

/* Geometry tolerances. Positions written by scanners carry rounding noise of a few
 * micrometres; anything beyond these is a real irregularity. */
#define ORIENTATION_TOLERANCE 2e-3     /* direction cosine components */
#define SPACING_TOLERANCE     1e-3     /* relative, pixel spacing */
#define TILT_MIN_DEGREES      0.05

const char *
fidac_dicom_frame_label (const FidacFrameRef &r, gchar **tmp)
{
  if (r.header->info.n_frames > 1)
    {
      *tmp = g_strdup_printf (_("%s (frame %u)"), r.header->info.path, r.frame->frame + 1);
      return *tmp;
    }
  return r.header->info.path;
}

gboolean
fidac_dicom_check_consistency (std::vector<FidacFrameRef> &frames, GError **error)
{
  const FidacFrameRef &first = frames[0];
  const FidacFileInfo *fi = &first.header->info;

  for (const FidacFrameRef &r : frames)
    {
      const FidacFileInfo *f = &r.header->info;
      if (f->rows != fi->rows || f->columns != fi->columns)
        {
          LABEL (first, a);
          LABEL (r, b);
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_INCONSISTENT,
                       _("The series mixes image sizes: %s is %d × %d but %s is %d × %d"),
                       a, fi->columns, fi->rows, b, f->columns, f->rows);
          return FALSE;
        }
      if (r.frame->has_spacing != first.frame->has_spacing ||
          (r.frame->has_spacing &&
           (std::fabs (r.frame->spacing[0] - first.frame->spacing[0]) > SPACING_TOLERANCE * first.frame->spacing[0] ||
            std::fabs (r.frame->spacing[1] - first.frame->spacing[1]) > SPACING_TOLERANCE * first.frame->spacing[1])))
        {
          LABEL (first, a);
          LABEL (r, b);
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_INCONSISTENT,
                       _("The series mixes pixel spacings: %s has %g × %g mm but %s has %g × %g mm"),
                       a, first.frame->spacing[1], first.frame->spacing[0],
                       b, r.frame->spacing[1], r.frame->spacing[0]);
          return FALSE;
        }
      if (r.frame->has_orientation && first.frame->has_orientation)
        {
          for (guint c = 0; c < 6; c++)
            if (std::fabs (r.frame->orientation[c] - first.frame->orientation[c]) > ORIENTATION_TOLERANCE)
              {
                LABEL (first, a);
                LABEL (r, b);
                g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_INCONSISTENT,
                             _("The series mixes image orientations: %s and %s are not parallel"), a, b);
                return FALSE;
              }
        }
    }
  return TRUE;
}

static gboolean
normalise3 (double v[3])
{
  double n = std::sqrt (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  if (!(n > 1e-6))
    return FALSE;
  for (guint c = 0; c < 3; c++)
    v[c] /= n;
  return TRUE;
}

static gboolean
unit_length (const double v[3])
{
  double n = std::sqrt (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  return std::fabs (n - 1) < 0.1;
}

/* Orders the frames along the normal, assigns each its slice index (leaving gaps for
 * missing slices) and derives the grid. */
gboolean
fidac_dicom_compute_geometry (std::vector<FidacFrameRef> &frames, FidacGrid *grid, GPtrArray *warnings, GError **error)
{
  const FidacFrameRef &first = frames[0];
  guint n = frames.size ();

  if (first.frame->has_spacing)
    {
      grid->spacing[0] = first.frame->spacing[1];
      grid->spacing[1] = first.frame->spacing[0];
    }
  else
    {
      grid->spacing[0] = grid->spacing[1] = 1.0;
      g_ptr_array_add (warnings, g_strdup (_("Pixel Spacing is missing: 1 mm is assumed; "
                                             "distances and volumes are not reliable")));
    }

  gboolean all_positioned = TRUE;
  for (const FidacFrameRef &r : frames)
    all_positioned = all_positioned && r.frame->has_position && r.frame->has_orientation;

  if (!all_positioned)
    {
      if (n > 1)
        {
          for (const FidacFrameRef &r : frames)
            if (!r.frame->has_position || !r.frame->has_orientation)
              {
                LABEL (r, a);
                g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_GEOMETRY,
                             _("%s has no Image Position or Image Orientation (Patient): "
                               "the slices cannot be placed in space"), a);
                return FALSE;
              }
        }
      /* One image without geometry: show it, but say that it floats. */
      static const double iop[6] = { 1, 0, 0, 0, 1, 0 };
      if (!first.frame->has_orientation)
        memcpy (first.frame->orientation, iop, sizeof iop);
      if (!first.frame->has_position)
        memset (first.frame->position, 0, sizeof first.frame->position);
      g_ptr_array_add (warnings, g_strdup (_("The image has no position or orientation in the patient; "
                                             "an axial orientation at the origin is assumed")));
    }

  memcpy (grid->axis_i, first.frame->orientation, 3 * sizeof (double));
  memcpy (grid->axis_j, first.frame->orientation + 3, 3 * sizeof (double));
  /* Direction cosines are unit vectors; rounding aside, one that is not is broken (and a
   * huge one would overflow to a zero axis once normalised). */
  if (!unit_length (grid->axis_i) || !unit_length (grid->axis_j) ||
      !normalise3 (grid->axis_i) || !normalise3 (grid->axis_j) ||
      std::fabs (grid->axis_i[0] * grid->axis_j[0] + grid->axis_i[1] * grid->axis_j[1] +
                 grid->axis_i[2] * grid->axis_j[2]) > 1e-2)
    {
      LABEL (first, a);
      g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_GEOMETRY,
                   _("%s: the Image Orientation (Patient) is not a pair of perpendicular directions"), a);
      return FALSE;
    }
  double normal[3];
  fidac_vec3_cross (grid->axis_i, grid->axis_j, normal);
  normalise3 (normal);

  for (const FidacFrameRef &r : frames)
    r.frame->along = fidac_vec3_dot (r.frame->position, normal);
  std::stable_sort (frames.begin (), frames.end (), [] (const FidacFrameRef &a, const FidacFrameRef &b) {
    return a.frame->along < b.frame->along;
  });

  if (n == 1)
    {
      double thickness = frames[0].frame->thickness;
      memcpy (grid->origin, frames[0].frame->position, sizeof grid->origin);
      memcpy (grid->axis_k, normal, sizeof normal);
      grid->n_slices = 1;
      frames[0].frame->k = 0;
      if (thickness > 0)
        {
          grid->spacing[2] = thickness;
          g_ptr_array_add (warnings, g_strdup_printf (_("A single image: its depth is taken from the "
                                                        "Slice Thickness (%g mm)"), thickness));
        }
      else
        {
          grid->spacing[2] = 1.0;
          g_ptr_array_add (warnings, g_strdup (_("A single image without Slice Thickness: 1 mm is assumed "
                                                 "for its depth")));
        }
      return TRUE;
    }

  /* Steps between neighbours along the normal. */
  std::vector<double> steps;
  for (guint s = 1; s < n; s++)
    steps.push_back (frames[s].frame->along - frames[s - 1].frame->along);

  double max_extent = frames[n - 1].frame->along - frames[0].frame->along;
  double duplicate_tolerance = MAX (1e-3, 1e-3 * max_extent / n);
  for (guint s = 1; s < n; s++)
    if (steps[s - 1] < duplicate_tolerance)
      {
        LABEL (frames[s - 1], a);
        LABEL (frames[s], b);
        g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_GEOMETRY,
                     _("Two images are at the same position (%.2f mm along the slice normal): %s and %s"),
                     frames[s].frame->along, a, b);
        return FALSE;
      }

  std::vector<double> sorted = steps;
  std::sort (sorted.begin (), sorted.end ());
  double median = sorted[sorted.size () / 2];
  double tolerance = 0.02 + 0.05 * median;

  /* Each step is a whole number of regular steps: 1, or more where slices are missing. */
  gint k = 0;
  frames[0].frame->k = 0;
  for (guint s = 1; s < n; s++)
    {
      double step = steps[s - 1];
      double m = std::nearbyint (step / median);
      if (m < 1 || std::fabs (step - m * median) > tolerance * m)
        {
          LABEL (frames[s - 1], a);
          LABEL (frames[s], b);
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_GEOMETRY,
                       _("Uneven slice spacing: %.3f mm between %s and %s where the series' "
                         "usual step is %.3f mm; the slices cannot be put on a regular grid"),
                       step, a, b, median);
          return FALSE;
        }
      if (m > 1000)
        {
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_GEOMETRY,
                       _("A gap of %.1f mm in a series with %.3f mm slices is not plausible"),
                       step, median);
          return FALSE;
        }
      k += (gint) m;
      frames[s].frame->k = k;
    }
  grid->n_slices = k + 1;

  /* Step vector from the end slices: exact at both ends, and it carries any tilt. */
  double step_vec[3];
  for (guint c = 0; c < 3; c++)
    step_vec[c] = (frames[n - 1].frame->position[c] - frames[0].frame->position[c]) / k;
  double step_len = fidac_vec3_norm (step_vec);
  double regular = fidac_vec3_dot (step_vec, normal);

  /* Every slice must lie where the grid puts it, in all three directions. */
  for (guint s = 0; s < n; s++)
    {
      double d2 = 0;
      for (guint c = 0; c < 3; c++)
        {
          double expected = frames[0].frame->position[c] + frames[s].frame->k * step_vec[c];
          double diff = frames[s].frame->position[c] - expected;
          d2 += diff * diff;
        }
      if (std::sqrt (d2) > tolerance)
        {
          LABEL (frames[s], a);
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_GEOMETRY,
                       _("%s lies %.2f mm away from the regular slice grid of the series: "
                         "uneven spacing or a shifted slice"),
                       a, std::sqrt (d2));
          return FALSE;
        }
    }

  double cos_tilt = CLAMP (regular / step_len, -1.0, 1.0);
  double tilt = std::acos (cos_tilt) * 180.0 / G_PI;
  memcpy (grid->origin, frames[0].frame->position, sizeof grid->origin);
  if (tilt > TILT_MIN_DEGREES)
    {
      memcpy (grid->axis_k, step_vec, sizeof step_vec);
      normalise3 (grid->axis_k);
      grid->spacing[2] = step_len;
      g_ptr_array_add (warnings,
                       g_strdup_printf (_("Gantry tilt: the slices are stacked at %.2f° from the "
                                          "perpendicular; the volume follows the real slice positions "
                                          "(sheared grid)"), tilt));
    }
  else
    {
      memcpy (grid->axis_k, normal, sizeof normal);
      grid->spacing[2] = regular;
      const FidacFileInfo *fi = &frames[0].header->info;
      if (fi->has_tilt && std::fabs (fi->tilt) > TILT_MIN_DEGREES)
        g_ptr_array_add (warnings,
                         g_strdup_printf (_("The header states a gantry tilt of %.2f°, but the slice "
                                            "positions show none: the positions are used"), fi->tilt));
    }

  /* Gaps: where and how many. */
  for (guint s = 1; s < n; s++)
    {
      gint missing = frames[s].frame->k - frames[s - 1].frame->k - 1;
      if (missing > 0)
        g_ptr_array_add (warnings,
                         g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "%d slice is missing between %.2f mm and %.2f mm along the "
                                                       "slice normal (slices %d to %d are filled with air)",
                                                       "%d slices are missing between %.2f mm and %.2f mm along the "
                                                       "slice normal (slices %d to %d are filled with air)",
                                                       missing),
                                          missing, frames[s - 1].frame->along, frames[s].frame->along,
                                          /* Slice numbers as the viewer shows them, from 1. */
                                          frames[s - 1].frame->k + 2, frames[s].frame->k));
    }
  return TRUE;
}
