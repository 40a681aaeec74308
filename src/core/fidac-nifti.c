/* placeholder: replaced by the NIfTI implementation */
#include "config.h"
#include "fidac-nifti.h"
void fidac_nifti_affine (const FidacVolume *v, gdouble a[16]) { }
gboolean fidac_nifti_write (const FidacVolume *v, const gchar *p, GCancellable *c, GError **e) { return FALSE; }
