/* placeholder: replaced by the scan implementation */
#define G_LOG_DOMAIN "fidac-dicom"
#include "fidac-dicom-private.hh"
FidacScan *fidac_dicom_scan (const gchar *, GCancellable *, FidacProgressFunc, gpointer, GError **error)
{ g_set_error_literal (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_UNSUPPORTED, "wip"); return NULL; }
