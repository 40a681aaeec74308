/* fidac-report.h: the case report, a PDF an expert can print or attach.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The report layer sits beside store: it uses core, cairo and Pango (cairo's PDF surface,
 * Pango for text in any language), and knows no widgets, so the window's menu entry and
 * `fidac-cli report` write the same document. The identifiers printed are the anonymised
 * ones the volume carries (UIDs, series description, study date): never a patient's name.
 */
#pragma once

#include <gio/gio.h>

#include "fidac-label-map.h"
#include "fidac-quantify.h"
#include "fidac-scores.h"
#include "fidac-volume.h"

G_BEGIN_DECLS

#define FIDAC_REPORT_ERROR (fidac_report_error_quark ())

typedef enum {
  FIDAC_REPORT_ERROR_INVALID,   /* nothing to report (no volume) */
  FIDAC_REPORT_ERROR_WRITE,     /* the PDF could not be written */
} FidacReportError;

GQuark fidac_report_error_quark (void);

/* The key images: axial planes through the slices of greatest involvement
 * (fidac_quantify_key_slices(), at least FIDAC_REPORT_KEY_IMAGE_GAP_MM apart), made
 * FIDAC_REPORT_KEY_IMAGE_SIZE pixels on their longer side, in the lung window, the lesions
 * filled in their catalog colours at FIDAC_REPORT_OVERLAY_OPACITY (fidac-label-reslice.h's
 * blending) and the lungs outlined in FIDAC_REPORT_LUNG_OUTLINE_RGB. */
#define FIDAC_REPORT_DEFAULT_KEY_IMAGES 4
#define FIDAC_REPORT_KEY_IMAGE_GAP_MM   20.0
#define FIDAC_REPORT_KEY_IMAGE_SIZE     512
#define FIDAC_REPORT_OVERLAY_OPACITY    0.5
#define FIDAC_REPORT_LUNG_OUTLINE_RGB   { 0, 158, 115 }

typedef struct {
  const FidacVolume      *volume;          /* required */
  const FidacLabelMap    *labels;          /* lesion classes; NULL: nothing painted */
  const FidacLabelMap    *lungs;           /* FidacLung values; NULL: not segmented */
  const FidacScores      *scores;          /* NULL: none entered */
  const FidacQuantResult *quantification;  /* NULL: computed here from labels and lungs */
  const gchar            *reader_name;     /* may be NULL */
  const gchar            *reader_id;       /* RPPS or other identifier; may be NULL */
  const gchar            *reader_role;     /* "expert" or "reviewer"; may be NULL */
  const gchar            *status;          /* annotation status (translated); may be NULL */
  GDateTime              *date;            /* NULL: now */
  guint                   n_key_images;    /* 0: the default, 4 */
} FidacReportInput;

/* Writes the report of `input` to `path` (a PDF, A4 portrait), atomically: a failure
 * leaves no half-written file. FALSE with an error otherwise. */
gboolean fidac_report_write_pdf (const FidacReportInput *input,
                                 const gchar            *path,
                                 GError                **error);

G_END_DECLS
