/* fidac-phantom.h: the synthetic chest phantom, known by construction.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fidac-volume.h"

G_BEGIN_DECLS

typedef enum {
  FIDAC_PHANTOM_LESION_GROUND_GLASS = 1,
  FIDAC_PHANTOM_LESION_CONSOLIDATION = 2,
} FidacPhantomLesionClass;

typedef struct {
  FidacPhantomLesionClass lesion_class;
  gdouble center[3];            /* patient LPS mm */
  gdouble radius;               /* mm, a sphere */
  gint16  hu;
} FidacPhantomLesion;

typedef struct {
  gint     columns;             /* default 256 */
  gint     rows;                /* default 256 */
  gint     slices;              /* default 120 */
  gdouble  pixel_spacing;       /* mm, default 1.4 */
  gdouble  slice_spacing;       /* mm, default 2.5 */
  gboolean feet_first;          /* patient position FFS instead of HFS */
} FidacPhantomOptions;

void          fidac_phantom_options_init (FidacPhantomOptions       *options);

/* The phantom sampled on the grid the options describe. The anatomy is defined in
 * patient millimetres, so every grid shows the same body at the same place. */
FidacVolume  *fidac_phantom_new          (const FidacPhantomOptions *options,
                                          GError                   **error);

/* The lesions, in patient coordinates; `n_lesions` receives their count. */
const FidacPhantomLesion *fidac_phantom_lesions (guint *n_lesions);

/* Exact volume in mL of the voxels of `volume` that belong to lesion `index`. */
gdouble       fidac_phantom_lesion_voxel_volume_ml (const FidacVolume *volume,
                                                    guint              index);

G_END_DECLS
