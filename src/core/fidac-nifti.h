/* fidac-nifti.h: NIfTI-1 export, the format research teams train on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fidac-volume.h"

G_BEGIN_DECLS

/* The 4x4 RAS affine (row-major) of the volume: the sform written to the file. */
void     fidac_nifti_affine (const FidacVolume *volume,
                             gdouble            affine[16]);

/* Writes int16 NIfTI-1 (single file); gzip-compressed when the name ends in .gz. */
gboolean fidac_nifti_write  (const FidacVolume *volume,
                             const gchar       *path,
                             GCancellable      *cancellable,
                             GError           **error);

G_END_DECLS
