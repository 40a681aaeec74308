/* fidac-phantom.h: the synthetic chest phantom, known by construction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The anatomy is analytic and defined in patient LPS millimetres (x towards the
 * patient's left, y posterior, z superior); a volume samples it at its voxel centres,
 * so every grid (head or feet first, tilted, oblique, any matrix and spacing) shows the
 * same body at the same patient position. There is no noise and no partial volume:
 * the HU of a voxel is exactly fidac_phantom_hu_at() of its centre.
 *
 * Landmarks (mm): body an ellipse of half-axes 165 (x) × 125 (y) centred on x = y = 0,
 * skin 2 mm, subcutaneous fat 14 mm; lungs from z ≈ -110 (bases) to z ≈ +120 (apices);
 * carina at (0, 20, 40); vertebral bodies centred on (0, 68); the default grid is
 * centred on (0, 0, 0).
 */
#pragma once

#include <glib.h>

#include "fidac-volume.h"

G_BEGIN_DECLS

typedef enum {
  FIDAC_PHANTOM_LESION_GROUND_GLASS = 1,
  FIDAC_PHANTOM_LESION_CONSOLIDATION = 2,
} FidacPhantomLesionClass;

/* Values of the lung label map (fidac_phantom_fill_lung_labels()). */
typedef enum {
  FIDAC_PHANTOM_LUNG_NONE = 0,
  FIDAC_PHANTOM_LUNG_RIGHT = 1,
  FIDAC_PHANTOM_LUNG_LEFT = 2,
} FidacPhantomLung;

/* What the phantom holds at a point; each tissue has one HU value
 * (fidac_phantom_tissue_hu()). Ground glass (-550) and consolidation (30) are the
 * only tissues with their HU, so counting voxels by value counts lesion voxels. */
typedef enum {
  FIDAC_PHANTOM_TISSUE_AIR,                /* outside the body, -1000 */
  FIDAC_PHANTOM_TISSUE_SKIN,               /* 45 */
  FIDAC_PHANTOM_TISSUE_FAT,                /* subcutaneous fat, -100 */
  FIDAC_PHANTOM_TISSUE_MUSCLE,             /* chest wall, 50 */
  FIDAC_PHANTOM_TISSUE_RIB,                /* ribs, sternum, neural arches, 650 */
  FIDAC_PHANTOM_TISSUE_VERTEBRA,           /* vertebral bodies, 450 */
  FIDAC_PHANTOM_TISSUE_DISC,               /* intervertebral discs, 80 */
  FIDAC_PHANTOM_TISSUE_MEDIASTINAL_FAT,    /* -90 */
  FIDAC_PHANTOM_TISSUE_SOFT_TISSUE,        /* oesophagus, upper abdomen, 40 */
  FIDAC_PHANTOM_TISSUE_LIVER,              /* 60 */
  FIDAC_PHANTOM_TISSUE_HEART,              /* 40 */
  FIDAC_PHANTOM_TISSUE_VESSEL,             /* aorta, pulmonary arteries and veins, 40 */
  FIDAC_PHANTOM_TISSUE_AIRWAY_WALL,        /* 70 */
  FIDAC_PHANTOM_TISSUE_AIRWAY,             /* trachea and bronchi lumen, -1000 */
  FIDAC_PHANTOM_TISSUE_LUNG,               /* parenchyma, -850 */
  FIDAC_PHANTOM_TISSUE_GROUND_GLASS,       /* -550 */
  FIDAC_PHANTOM_TISSUE_CONSOLIDATION,      /* 30 */
  FIDAC_PHANTOM_N_TISSUES
} FidacPhantomTissue;

typedef struct {
  FidacPhantomLesionClass lesion_class;
  gdouble center[3];            /* patient LPS mm */
  gdouble radius;               /* mm, a sphere */
  gint16  hu;
  FidacPhantomLung lung;        /* the lung that holds it */
} FidacPhantomLesion;

typedef struct {
  gint     columns;             /* default 256 */
  gint     rows;                /* default 256 */
  gint     slices;              /* default 120 */
  gdouble  pixel_spacing;       /* mm, default 1.4 */
  gdouble  slice_spacing;       /* mm, default 2.5: table step, along axis_k */
  gboolean feet_first;          /* patient position FFS instead of HFS: row direction
                                 * (-1,0,0), normal (0,0,-1), slice 0 the top one */
  gdouble  center[3];           /* patient position of the grid's centre, default 0,0,0 */
  gdouble  tilt_degrees;        /* gantry tilt: the image plane turns about the x axis
                                 * (column direction (0, cos, sin)) while slices still step
                                 * along z, so the grid is sheared; |tilt| <= 30, default 0 */
  gdouble  rotation_degrees;    /* oblique: the whole grid (rows, columns, slice step) turns
                                 * by this angle about rotation_axis through `center` */
  gdouble  rotation_axis[3];    /* default 0,0,1 */
  gboolean lesions;             /* default TRUE; FALSE gives healthy lungs */
} FidacPhantomOptions;

void          fidac_phantom_options_init (FidacPhantomOptions       *options);

/* The phantom sampled on the grid the options describe. The anatomy is defined in
 * patient millimetres, so every grid shows the same body at the same place.
 * Metadata: modality CT, a series description, study date, patient position, lung and
 * mediastinum windows, and UIDs derived from the options (the same options give the
 * same UIDs; study and frame of reference UIDs are the same for every grid). */
FidacVolume  *fidac_phantom_new          (const FidacPhantomOptions *options,
                                          GError                   **error);

/* The lesions, in patient coordinates; `n_lesions` receives their count. */
const FidacPhantomLesion *fidac_phantom_lesions (guint *n_lesions);

/* Exact volume in mL of the voxels of `volume` that belong to lesion `index`: the
 * voxels whose centre lies inside the lesion, times the voxel volume. */
gdouble       fidac_phantom_lesion_voxel_volume_ml (const FidacVolume *volume,
                                                    guint              index);

/* Number of voxels of `volume` whose centre lies inside lesion `index`. */
gsize         fidac_phantom_lesion_voxel_count (const FidacVolume *volume,
                                                guint              index);

/* Analytic volume of lesion `index` in mL (4/3 π r³). */
gdouble       fidac_phantom_lesion_volume_ml (guint index);

/* The tissue at a patient point; with `with_lesions` FALSE, lesions are lung. */
FidacPhantomTissue fidac_phantom_tissue_at (const gdouble patient[3],
                                            gboolean      with_lesions);
gint16        fidac_phantom_tissue_hu    (FidacPhantomTissue tissue);
/* fidac_phantom_tissue_hu (fidac_phantom_tissue_at (patient, TRUE)). */
gint16        fidac_phantom_hu_at        (const gdouble patient[3]);

/* Ground truth on the grid of `volume`: `labels` holds one value per voxel
 * (n_labels == fidac_volume_n_voxels (volume)), in the same order as the voxels.
 * Lesion labels: the FidacPhantomLesionClass of the lesion holding the voxel centre,
 * 0 elsewhere. Lung labels: FidacPhantomLung of the lung region (parenchyma, lesions
 * and the vessels and bronchi inside the lung; not the heart, hilum or mediastinum). */
gboolean      fidac_phantom_fill_lesion_labels (const FidacVolume *volume,
                                                guint8            *labels,
                                                gsize              n_labels,
                                                GError           **error);
gboolean      fidac_phantom_fill_lung_labels   (const FidacVolume *volume,
                                                guint8            *labels,
                                                gsize              n_labels,
                                                GError           **error);

G_END_DECLS
