/* fidac-window-level.h: mapping Hounsfield units to display grey levels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fidac-volume.h"

G_BEGIN_DECLS

/* Chest presets (window width, level) used across the program. */
#define FIDAC_WINDOW_LUNG_WIDTH          1500.0
#define FIDAC_WINDOW_LUNG_LEVEL          (-600.0)
#define FIDAC_WINDOW_MEDIASTINUM_WIDTH   350.0
#define FIDAC_WINDOW_MEDIASTINUM_LEVEL   40.0
#define FIDAC_WINDOW_BONE_WIDTH          2000.0
#define FIDAC_WINDOW_BONE_LEVEL          500.0

/* DICOM PS3.3 C.11.2.1.2.1 linear window: level - 0.5 - (width - 1)/2 maps to 0 and
 * level - 0.5 + (width - 1)/2 to 255; in between the grey level is truncated (the level
 * below), as DCMTK's dcmj2pnm does, so that our images match that reference renderer. */
guint8 fidac_window_level_map        (gdouble hu,
                                      gdouble width,
                                      gdouble level);

/* Fills `out` (dims[0] * dims[1] bytes, stride dims[0]) with slice k as stored. */
void   fidac_window_level_slice_gray (const FidacVolume *volume,
                                      gint               k,
                                      gdouble            width,
                                      gdouble            level,
                                      guint8            *out);

G_END_DECLS
