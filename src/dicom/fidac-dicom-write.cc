/* placeholder: replaced by the write implementation */
#define G_LOG_DOMAIN "fidac-dicom"
#include "fidac-dicom-private.hh"
void fidac_dicom_write_options_init (FidacDicomWriteOptions *o) { memset (o, 0, sizeof *o); }
gboolean fidac_dicom_write_series (const FidacVolume *, const FidacDicomWriteOptions *, const gchar *, GCancellable *, GError **error)
{ g_set_error_literal (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_WRITE, "wip"); return FALSE; }
