/* fidac-mpr-layout.h: the three MPR views of a FidacViewer in a chosen layout.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "fidac-mpr-view.h"
#include "fidac-viewer.h"

G_BEGIN_DECLS

typedef enum {
  FIDAC_LAYOUT_ONE_PLUS_TWO,   /* the main view large on the left, the other two stacked */
  FIDAC_LAYOUT_SIDE_BY_SIDE,   /* axial, coronal, sagittal in a row */
  FIDAC_LAYOUT_SINGLE,         /* the main view alone */
} FidacLayout;

#define FIDAC_TYPE_MPR_LAYOUT (fidac_mpr_layout_get_type ())

G_DECLARE_FINAL_TYPE (FidacMprLayout, fidac_mpr_layout, FIDAC, MPR_LAYOUT, GtkWidget)

GtkWidget    *fidac_mpr_layout_new            (FidacViewer    *viewer);
FidacViewer  *fidac_mpr_layout_get_viewer     (FidacMprLayout *self);
FidacMprView *fidac_mpr_layout_get_view       (FidacMprLayout *self,
                                               FidacView       view);

void          fidac_mpr_layout_set_layout     (FidacMprLayout *self,
                                               FidacLayout     layout);
FidacLayout   fidac_mpr_layout_get_layout     (FidacMprLayout *self);
/* The view shown large (ONE_PLUS_TWO) or alone (SINGLE); axial at first. */
void          fidac_mpr_layout_set_main_view  (FidacMprLayout *self,
                                               FidacView       view);
FidacView     fidac_mpr_layout_get_main_view  (FidacMprLayout *self);

/* A maximised view fills the layout whatever the layout is; double-clicking a view toggles
 * it. FIDAC_N_VIEWS: none. */
void          fidac_mpr_layout_set_maximized  (FidacMprLayout *self,
                                               FidacView       view);
FidacView     fidac_mpr_layout_get_maximized  (FidacMprLayout *self);

/* Properties: "layout" (FidacLayout as int), "main-view", "maximized" (notify). */

G_END_DECLS
