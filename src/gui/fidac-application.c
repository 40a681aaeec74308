/* placeholder: replaced by the application implementation */
#include "config.h"
#include <adwaita.h>
int fidac_gui_placeholder (void) { return 0; }
