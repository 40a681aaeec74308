/* fidac-slice-view.h: one CT slice drawn with its physical aspect and orientation letters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FIDAC_TYPE_SLICE_VIEW (fidac_slice_view_get_type ())

G_DECLARE_FINAL_TYPE (FidacSliceView, fidac_slice_view, FIDAC, SLICE_VIEW, GtkWidget)

GtkWidget  *fidac_slice_view_new          (void);

/* Shows `texture` (already in screen orientation) with pixels `spacing_x` by `spacing_y`
 * millimetres wide and high; NULL clears the view. */
void        fidac_slice_view_set_image    (FidacSliceView *self,
                                           GdkTexture     *texture,
                                           gdouble         spacing_x,
                                           gdouble         spacing_y);
GdkTexture *fidac_slice_view_get_texture  (FidacSliceView *self);

/* Letters naming the patient direction at each edge of the image (R, L, A, P, H, F). */
void        fidac_slice_view_set_letters  (FidacSliceView *self,
                                           const gchar    *left,
                                           const gchar    *right,
                                           const gchar    *top,
                                           const gchar    *bottom);

void        fidac_slice_view_get_letters  (FidacSliceView *self,
                                           const gchar   **left,
                                           const gchar   **right,
                                           const gchar   **top,
                                           const gchar   **bottom);

G_END_DECLS
