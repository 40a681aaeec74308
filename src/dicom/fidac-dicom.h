/* fidac-dicom.h: the C face of the DICOM layer (DCMTK inside, plain C outside).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fidac-volume.h"
#include "fidac-phantom.h"

G_BEGIN_DECLS

#define FIDAC_DICOM_ERROR (fidac_dicom_error_quark ())

typedef enum {
  FIDAC_DICOM_ERROR_NOT_FOUND,             /* no such file or folder */
  FIDAC_DICOM_ERROR_NO_SERIES,             /* nothing loadable found */
  FIDAC_DICOM_ERROR_SEVERAL_SERIES,        /* a series must be chosen */
  FIDAC_DICOM_ERROR_UNKNOWN_SERIES,        /* the chosen UID is not there */
  FIDAC_DICOM_ERROR_NOT_IMAGE,             /* SEG, SR, ... where an image is needed */
  FIDAC_DICOM_ERROR_UNSUPPORTED,           /* transfer syntax, bit depth, colour, ... */
  FIDAC_DICOM_ERROR_INCONSISTENT,          /* mixed sizes or orientations in a series */
  FIDAC_DICOM_ERROR_GEOMETRY,              /* missing or unusable position/orientation/spacing */
  FIDAC_DICOM_ERROR_DECODE,                /* pixel data that cannot be decoded */
  FIDAC_DICOM_ERROR_WRITE,                 /* a file could not be written */
} FidacDicomError;

GQuark fidac_dicom_error_quark (void);

/* Progress in [0, 1]. May be called from any thread; keep it cheap and thread-safe. */
typedef void (*FidacProgressFunc) (gdouble  fraction,
                                   gpointer user_data);

/* One series found by a scan. Files are in no particular order: loading sorts slices by
 * position, never by name or Instance Number. */
typedef struct {
  gchar    *series_uid;
  gchar    *study_uid;
  gchar    *modality;
  gchar    *series_description;
  gchar    *study_date;          /* YYYYMMDD or NULL */
  gchar    *study_description;
  gchar    *sop_class_uid;
  gchar    *transfer_syntax_uid;
  gint      series_number;       /* -1 when absent */
  gint      rows;
  gint      columns;
  guint     n_frames;            /* images: slices, or frames of a multi-frame object */
  GPtrArray *files;              /* gchar* absolute paths */
} FidacSeriesInfo;

typedef struct {
  GPtrArray *series;             /* FidacSeriesInfo*, sorted by study date, series number */
  GPtrArray *warnings;           /* gchar*: files skipped and why, each naming the file */
} FidacScan;

void       fidac_series_info_free (FidacSeriesInfo *info);
void       fidac_scan_free        (FidacScan       *scan);

/* Scans a file or a folder (recursively; through a DICOMDIR when there is one). */
FidacScan *fidac_dicom_scan       (const gchar      *path,
                                   GCancellable     *cancellable,
                                   FidacProgressFunc progress,
                                   gpointer          user_data,
                                   GError          **error);

/* Finds the series with `series_uid`, or the only series when `series_uid` is NULL;
 * fails with FIDAC_DICOM_ERROR_SEVERAL_SERIES (listing them) when there is a choice. */
const FidacSeriesInfo *fidac_scan_pick (const FidacScan *scan,
                                        const gchar     *series_uid,
                                        GError         **error);

/* Loads a CT series into a volume of Hounsfield units, decoding on all cores. */
FidacVolume *fidac_dicom_load_series (const FidacSeriesInfo *info,
                                      GCancellable          *cancellable,
                                      FidacProgressFunc      progress,
                                      gpointer               user_data,
                                      GError               **error);

/* Transfer syntaxes the phantom writer can produce. */
typedef enum {
  FIDAC_TRANSFER_EXPLICIT_LITTLE,
  FIDAC_TRANSFER_IMPLICIT_LITTLE,
  FIDAC_TRANSFER_DEFLATED,
  FIDAC_TRANSFER_JPEG_LOSSLESS_SV1,        /* 1.2.840.10008.1.2.4.70 */
  FIDAC_TRANSFER_JPEG_LOSSLESS,            /* process 14, 1.2.840.10008.1.2.4.57 */
  FIDAC_TRANSFER_JPEG_EXTENDED,            /* 12-bit lossy, 1.2.840.10008.1.2.4.51 */
  FIDAC_TRANSFER_JPEG_LS_LOSSLESS,         /* 1.2.840.10008.1.2.4.80 */
  FIDAC_TRANSFER_RLE,                      /* 1.2.840.10008.1.2.5 */
  FIDAC_TRANSFER_JPEG2000_LOSSLESS,        /* 1.2.840.10008.1.2.4.90, needs OpenJPEG */
} FidacTransferSyntax;

typedef struct {
  FidacTransferSyntax transfer_syntax;     /* default explicit VR little endian */
  gboolean            shuffle_names;       /* random file names (no extension) instead of
                                            * IMG00001.dcm, IMG00002.dcm, ... */
  gboolean            unsigned_pixels;     /* store HU + 1024 as unsigned, intercept -1024;
                                            * 12 bits stored when the range fits. JPEG
                                            * extended (12-bit) always stores them so */
  guint32             seed;                /* for shuffled names, default 1 */
  gint                series_number;       /* default 1 */
  const gchar        *patient_name;        /* NULL: FIDAC^PHANTOM */
  const gchar        *patient_id;          /* NULL: FIDAC-PHANTOM-0001 */
  gint                jpeg_quality;        /* JPEG extended only, 1-100, default 95 */
} FidacDicomWriteOptions;

void     fidac_dicom_write_options_init (FidacDicomWriteOptions *options);

/* Writes `volume` (the phantom or any volume) as a CT Image Storage series in `folder`
 * (created if needed), one file per slice. Slice, series, study and frame of reference
 * UIDs the volume has are kept, missing ones generated (JPEG extended, being lossy,
 * gives each slice a new SOP Instance UID that cites the original). Instance Number
 * follows acquisition order: head to feet for head-first positions, feet to head for
 * FF*. On failure or cancellation no file of this call is left behind. */
gboolean fidac_dicom_write_series (const FidacVolume            *volume,
                                   const FidacDicomWriteOptions *options,
                                   const gchar                  *folder,
                                   GCancellable                 *cancellable,
                                   GError                      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FidacSeriesInfo, fidac_series_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FidacScan, fidac_scan_free)

G_END_DECLS
