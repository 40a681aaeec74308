/* fidac-volume.h: a CT volume in Hounsfield units on a regular grid in patient space.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Value given to voxels that carry no measurement: pixel padding (outside the
 * reconstruction circle) and slices inserted where the series has a gap. */
#define FIDAC_HU_AIR (-1024)

#define FIDAC_CORE_ERROR (fidac_core_error_quark ())

typedef enum {
  FIDAC_CORE_ERROR_INVALID,     /* arguments or geometry that cannot describe a volume */
  FIDAC_CORE_ERROR_IO,          /* a file could not be written */
} FidacCoreError;

GQuark fidac_core_error_quark (void);

/* A window stored in the DICOM header (Window Center / Width / Explanation). */
typedef struct {
  gdouble center;
  gdouble width;
  gchar  *explanation;          /* may be NULL */
} FidacWindowPreset;

/*
 * Voxel (i, j, k): i = column, j = row, k = slice; i varies fastest in
 * `voxels`. Geometry follows DICOM patient coordinates (LPS, millimetres):
 *
 *   patient = origin + i * spacing[0] * axis_i + j * spacing[1] * axis_j
 *                    + k * spacing[2] * axis_k
 *
 * axis_i is the DICOM row direction cosine (first triplet of Image
 * Orientation), axis_j the column direction cosine, axis_k the unit
 * direction from one slice to the next. For an untilted acquisition axis_k is
 * the normal axis_i x axis_j; with gantry tilt it is the real slice step
 * direction and the grid is sheared, so no slice is ever misplaced. Slice 0
 * is the slice with the smallest position along the normal.
 *
 * The 4x4 matrices (row-major) are computed only by
 * fidac_volume_update_geometry(); everything else uses them.
 */
typedef struct {
  gint     dims[3];             /* columns, rows, slices */
  gdouble  spacing[3];          /* mm between columns, between rows, between slices */
  gdouble  origin[3];           /* patient position of voxel (0,0,0) */
  gdouble  axis[3][3];          /* axis[0] = axis_i, axis[1] = axis_j, axis[2] = axis_k */
  gdouble  to_patient[16];      /* voxel (i,j,k,1) -> patient (x,y,z,1) */
  gdouble  to_voxel[16];        /* inverse of to_patient */

  gint16  *voxels;              /* dims[0]*dims[1]*dims[2] HU values */
  gchar  **slice_uids;          /* dims[2] SOP Instance UIDs; NULL for inserted slices */

  gchar   *series_uid;
  gchar   *study_uid;
  gchar   *frame_of_reference_uid;
  gchar   *modality;
  gchar   *series_description;
  gchar   *study_date;          /* DICOM DA, YYYYMMDD, may be NULL */
  gchar   *patient_position;    /* HFS, FFS, ... may be NULL */
  GArray  *windows;             /* FidacWindowPreset from the header */
  GPtrArray *warnings;          /* gchar*, translated sentences for the user */

  gint     ref_count;           /* atomic; fidac_volume_ref() / fidac_volume_free() */
} FidacVolume;

FidacVolume *fidac_volume_new              (gint          columns,
                                            gint          rows,
                                            gint          slices,
                                            GError      **error);
/* Volumes are reference counted so that the views, the GL texture and the annotation can
 * share the one CPU copy: fidac_volume_free() drops a reference and frees at the last. */
FidacVolume *fidac_volume_ref              (FidacVolume  *volume);
void         fidac_volume_free             (FidacVolume  *volume);
#define      fidac_volume_unref            fidac_volume_free

gboolean     fidac_volume_set_geometry     (FidacVolume  *volume,
                                            const gdouble origin[3],
                                            const gdouble axis_i[3],
                                            const gdouble axis_j[3],
                                            const gdouble axis_k[3],
                                            const gdouble spacing[3],
                                            GError      **error);
void         fidac_volume_update_geometry  (FidacVolume  *volume);

void         fidac_volume_add_warning      (FidacVolume  *volume,
                                            const gchar  *format,
                                            ...) G_GNUC_PRINTF (2, 3);
void         fidac_volume_add_window       (FidacVolume  *volume,
                                            gdouble       center,
                                            gdouble       width,
                                            const gchar  *explanation);

gsize        fidac_volume_n_voxels         (const FidacVolume *volume);
gsize        fidac_volume_slice_voxels     (const FidacVolume *volume);

static inline gint16 *
fidac_volume_slice (const FidacVolume *volume, gint k)
{
  return volume->voxels + (gsize) k * fidac_volume_slice_voxels (volume);
}

static inline gint16
fidac_volume_get (const FidacVolume *volume, gint i, gint j, gint k)
{
  return volume->voxels[((gsize) k * volume->dims[1] + j) * volume->dims[0] + i];
}

static inline void
fidac_volume_set (FidacVolume *volume, gint i, gint j, gint k, gint16 value)
{
  volume->voxels[((gsize) k * volume->dims[1] + j) * volume->dims[0] + i] = value;
}

gboolean     fidac_volume_contains         (const FidacVolume *volume,
                                            gint          i,
                                            gint          j,
                                            gint          k);

void         fidac_volume_voxel_to_patient (const FidacVolume *volume,
                                            const gdouble voxel[3],
                                            gdouble       patient[3]);
void         fidac_volume_patient_to_voxel (const FidacVolume *volume,
                                            const gdouble patient[3],
                                            gdouble       voxel[3]);

void         fidac_volume_get_range        (const FidacVolume *volume,
                                            gint16       *min,
                                            gint16       *max);

/* Angle in degrees between axis_k and the normal axis_i x axis_j: the gantry tilt. */
gdouble      fidac_volume_tilt_degrees     (const FidacVolume *volume);

/* The volume of one voxel in mm³: |det| of the voxel → patient matrix, so a sheared (tilted)
 * grid counts right. */
gdouble      fidac_volume_voxel_mm3        (const FidacVolume *volume);

/* Helpers on row-major 4x4 matrices. */
gboolean     fidac_mat4_invert             (const gdouble m[16],
                                            gdouble       out[16]);
void         fidac_mat4_apply_point        (const gdouble m[16],
                                            const gdouble in[3],
                                            gdouble       out[3]);
void         fidac_vec3_cross              (const gdouble a[3],
                                            const gdouble b[3],
                                            gdouble       out[3]);
gdouble      fidac_vec3_dot                (const gdouble a[3],
                                            const gdouble b[3]);
gdouble      fidac_vec3_norm               (const gdouble a[3]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FidacVolume, fidac_volume_free)

G_END_DECLS
