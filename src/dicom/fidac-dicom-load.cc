/* placeholder: replaced by the load implementation */
#define G_LOG_DOMAIN "fidac-dicom"
#include "fidac-dicom-private.hh"
FidacVolume *fidac_dicom_load_series (const FidacSeriesInfo *, GCancellable *, FidacProgressFunc, gpointer, GError **error)
{ g_set_error_literal (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_UNSUPPORTED, "wip"); return NULL; }
