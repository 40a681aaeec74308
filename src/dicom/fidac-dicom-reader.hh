/* fidac-dicom-reader.hh: internals shared by the reading side of the DICOM layer
 * (scan, load, pixel decoding, JPEG 2000).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fidac-dicom-private.hh"

/* Element values longer than this stay on disk while headers are parsed: the pixel data
 * is skipped (but its length is still checked against the file size). */
#define FIDAC_DICOM_HEADER_MAX_READ 1024

/* Reads a file's header (everything but the large values). Returns NULL with `reason`
 * set to a translated sentence when the file is not readable DICOM. */
DcmFileFormat *fidac_dicom_read_header (const char *path, gchar **reason);

/* TRUE for SOP classes that never hold a displayable image (SR, SEG, RT, presentation
 * states, ...). */
gboolean fidac_dicom_sop_class_is_non_image (const char *sop_class_uid);

/* TRUE for the multi-frame SOP classes with functional groups (Enhanced CT, MR, PET...). */
gboolean fidac_dicom_sop_class_is_enhanced (const char *sop_class_uid);

/* TRUE for the JPEG 2000 (and High-Throughput JPEG 2000) transfer syntaxes. */
gboolean fidac_dicom_xfer_is_j2k (const char *uid);

/* Decodes frame `frame` of encapsulated JPEG 2000 pixel data into `out` (one stored value
 * per pixel, as the raw bit pattern). Needs OpenJPEG; without it fails with a message
 * naming the transfer syntax. */
gboolean fidac_dicom_j2k_decode_frame (DcmDataset *dataset,
                                       guint       frame,
                                       guint       n_frames,
                                       guint       rows,
                                       guint       columns,
                                       guint16    *out,
                                       GError    **error);
