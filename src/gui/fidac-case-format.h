/* fidac-case-format.h: how a case's facts read on screen, and its slice as a texture.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "fidac-dicom.h"
#include "fidac-volume.h"

G_BEGIN_DECLS

/* Millimetres with up to three decimals and no trailing zeros: 0.703125 -> "0.703". */
gchar       *fidac_format_mm                  (gdouble            value);
/* DICOM DA (YYYYMMDD) as YYYY-MM-DD; "Unknown" when absent. */
gchar       *fidac_format_date                (const gchar       *da);
/* Patient Position, spelt out: "HFS" -> "Head first, supine (HFS)". */
gchar       *fidac_format_position            (const gchar       *position);
/* Plane name and direction cosines, with the gantry tilt when there is one. */
gchar       *fidac_format_orientation         (const FidacVolume *volume);
/* The patient direction (R, L, A, P, H, F) a vector in LPS points to most. */
const gchar *fidac_direction_letter           (const gdouble      v[3]);
/* One line for the series chooser: modality, images, matrix, date, series number. */
gchar       *fidac_format_series_summary      (const FidacSeriesInfo *info);

gboolean     fidac_radiological_flip_columns  (const FidacVolume *volume);
gboolean     fidac_radiological_flip_rows     (const FidacVolume *volume);
/* Slice k through the window (width, level), flipped to the radiological convention. */
GdkTexture  *fidac_radiological_slice_texture (const FidacVolume *volume,
                                               gint               k,
                                               gdouble            width,
                                               gdouble            level);

G_END_DECLS
