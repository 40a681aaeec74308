/* placeholder: replaced by the phantom implementation */
#include "config.h"
#include "fidac-phantom.h"
void fidac_phantom_options_init (FidacPhantomOptions *o) { *o = (FidacPhantomOptions) { 256, 256, 120, 1.4, 2.5, FALSE }; }
FidacVolume *fidac_phantom_new (const FidacPhantomOptions *o, GError **error) { return fidac_volume_new (o->columns, o->rows, o->slices, error); }
const FidacPhantomLesion *fidac_phantom_lesions (guint *n) { *n = 0; return NULL; }
gdouble fidac_phantom_lesion_voxel_volume_ml (const FidacVolume *v, guint i) { return 0; }
