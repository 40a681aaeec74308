/* fidac-dicom-private.hh: shared by the C++ files of the DICOM layer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DCMTK's osconfig.h comes first and config.h never: DCMTK defines PACKAGE_NAME and
 * PACKAGE_VERSION itself.
 */
#pragma once

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmdata/dctk.h"

#include <glib.h>
#include <glib/gi18n-lib.h>

#include "fidac-dicom.h"
#include "fidac-dicom-config.h"

/* Registers DCMTK's decoders and encoders once and checks that the data dictionary is
 * there. Thread-safe. */
gboolean fidac_dicom_init (GError **error);

/* The value of a string attribute, trimmed, or NULL when absent or empty. */
gchar *fidac_dicom_get_string (DcmItem *item, const DcmTagKey &tag);

/* Numeric value `index` of a DS/IS/US/SS... attribute; FALSE when absent or unparsable. */
gboolean fidac_dicom_get_double (DcmItem *item, const DcmTagKey &tag, unsigned long index,
                                 double *value);

/* A readable name for a transfer syntax UID: "JPEG 2000 (1.2.840.10008.1.2.4.90)". */
gchar *fidac_dicom_transfer_syntax_name (const char *uid);

/* Runs `body` and turns any C++ exception into a GError: every entry point uses it. */
template <typename F>
static inline auto
fidac_dicom_guard (GError **error, F body) -> decltype (body ())
{
  try
    {
      return body ();
    }
  catch (const std::bad_alloc &)
    {
      g_set_error_literal (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                           _("Out of memory while reading DICOM data"));
    }
  catch (const std::exception &e)
    {
      g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                   _("Internal error in the DICOM reader: %s"), e.what ());
    }
  catch (...)
    {
      g_set_error_literal (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                           _("Internal error in the DICOM reader"));
    }
  return decltype (body ()) ();
}
