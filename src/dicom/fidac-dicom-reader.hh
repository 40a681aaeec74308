/* fidac-dicom-reader.hh: internals shared by the reading side of the DICOM layer
 * (scan, load, pixel decoding, JPEG 2000).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fidac-dicom-private.hh"

#include <glib/gstdio.h>

/* Element values longer than this stay on disk while headers are parsed: the pixel data
 * is skipped (but its length is still checked against the file size). */
#define FIDAC_DICOM_HEADER_MAX_READ 1024

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

#include <vector>

/* ---- what the loader knows of each file and frame ---- */

typedef struct {
  gchar   *path;
  gchar   *sop_uid;
  gchar   *sop_class_uid;
  gchar   *transfer_syntax_uid;
  gint     rows;
  gint     columns;
  guint    bits_allocated;
  guint    bits_stored;
  guint    high_bit;
  gboolean is_signed;
  guint    samples_per_pixel;
  gchar   *photometric;
  gboolean has_padding;
  guint16  padding_value;        /* raw stored bit pattern */
  gboolean has_padding_limit;
  guint16  padding_limit;
  guint    n_frames;
  gboolean is_localizer;
  gboolean has_tilt;
  double   tilt;                 /* Gantry/Detector Tilt, degrees */
  goffset  native_offset;        /* file offset of native little-endian pixels, or 0 */
} FidacFileInfo;

typedef struct {
  guint    file;
  guint    frame;
  gboolean has_position;
  double   position[3];
  gboolean has_orientation;
  double   orientation[6];
  gboolean has_spacing;
  double   spacing[2];           /* DICOM order: between rows, between columns */
  double   thickness;            /* 0 when absent */
  gboolean has_slope;
  gboolean has_intercept;
  double   slope;
  double   intercept;
  double   along;                /* position along the normal */
  gint     k;                    /* destination slice */
} FidacFrameInfo;

typedef struct {
  FidacFileInfo               info = {};
  std::vector<FidacFrameInfo> frames;
  gchar                      *error = nullptr;   /* translated, names the file */
  FidacDicomError             code = FIDAC_DICOM_ERROR_DECODE;
} FidacFileHeader;

/* A frame on its way into the volume. */
typedef struct {
  FidacFrameInfo  *frame;
  FidacFileHeader *header;
} FidacFrameRef;

/* The regular grid the frames are put on. */
typedef struct {
  double  origin[3];
  double  axis_i[3], axis_j[3], axis_k[3];
  double  spacing[3];
  gint    n_slices;
} FidacGrid;

/* A file name for messages, with the frame number for multi-frame files. */
const char *fidac_dicom_frame_label (const FidacFrameRef &r, gchar **tmp);
#define LABEL(ref, var) \
  g_autofree gchar *var##_tmp = NULL; \
  const char *var = fidac_dicom_frame_label ((ref), &var##_tmp)

/* Runs `func` on min(cores, n_items) threads (or inline for one) and waits for them. */
void fidac_dicom_run_threads (guint n_items, GThreadFunc func, gpointer data, const char *name);

/* Rows, columns, pixel spacing and orientation the same on every frame; else an
 * INCONSISTENT error naming two files. */
gboolean fidac_dicom_check_consistency (std::vector<FidacFrameRef> &frames, GError **error);

/* Orders the frames along the normal, gives each its slice index (leaving room for missing
 * slices) and derives the grid, gantry tilt included; warnings go to `warnings`. */
gboolean fidac_dicom_compute_geometry (std::vector<FidacFrameRef> &frames, FidacGrid *grid,
                                       GPtrArray *warnings, GError **error);

/* Decodes every frame of `work` into its slice of `volume` on all cores. Cancellation gives
 * G_IO_ERROR_CANCELLED; clamped voxels are counted for a warning. */
gboolean fidac_dicom_decode_pixels (FidacVolume *volume, std::vector<FidacFileHeader> &work,
                                    guint n_frames, GCancellable *cancellable,
                                    FidacProgressFunc progress, gpointer user_data,
                                    gint64 *clamped, guint *clamped_images, GError **error);

void fidac_dicom_file_header_clear (FidacFileHeader *header);

/* Parses a file up to its pixel data; `pixels_at` receives the stream position there (just
 * after the Pixel Data tag and length when there is one). */
OFCondition fidac_dicom_read_until_pixels (const char *path, DcmFileFormat *ff,
                                           offile_off_t *pixels_at);

/* What the loader needs of a file, from its parsed header. */
void fidac_dicom_header_from_dataset (const char *path, DcmFileFormat *ff, offile_off_t pixels_at,
                                      FidacFileHeader *header);

/* The scan hands the headers it parsed to the loader through this cache (the last scan's
 * files only); put() takes the content of `header`. */
void fidac_dicom_header_cache_reset (void);
void fidac_dicom_header_cache_put   (const char *path, const GStatBuf *st, FidacFileHeader *header);
