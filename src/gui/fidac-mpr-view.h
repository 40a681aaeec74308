/* fidac-mpr-view.h: one MPR view (axial, coronal or sagittal) of a FidacViewer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkGLArea subclass drawing its plane with the render layer. When GL is not available
 * (the area's realize fails, or FIDAC_RENDERER=cairo), it draws the same plane with the CPU
 * reslicer instead, so the program keeps working over a remote desktop without GL.
 * Read-outs, crosshair lines, scale bar and orientation letters are drawn over the image
 * in both cases. It handles its own pointer and keys (wheel and Page Up/Down, arrows:
 * slices, Shift faster; left drag or click: crosshair; right drag: window/level; middle
 * drag: pan; Ctrl+wheel: zoom about the pointer; R: reset).
 */
#pragma once

#include <gtk/gtk.h>

#include "fidac-viewer.h"

G_BEGIN_DECLS

#define FIDAC_TYPE_MPR_VIEW (fidac_mpr_view_get_type ())

G_DECLARE_FINAL_TYPE (FidacMprView, fidac_mpr_view, FIDAC, MPR_VIEW, GtkGLArea)

GtkWidget   *fidac_mpr_view_new        (FidacViewer  *viewer,
                                        FidacView     view);
FidacView    fidac_mpr_view_get_view   (FidacMprView *self);
FidacViewer *fidac_mpr_view_get_viewer (FidacMprView *self);

/* TRUE while the view draws with GL, FALSE once it has fallen back to the CPU reslicer. */
gboolean     fidac_mpr_view_is_gl      (FidacMprView *self);

/* Signals:
 *   ::toggle-maximized ()  a double click: the layout maximises or restores this view.
 */

G_END_DECLS
