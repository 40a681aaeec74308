/* fidac-label-reslice.h: the label overlay of a view on the CPU, the GL overlay's reference.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two steps, both exact:
 *
 * 1. fidac_label_reslice() samples the label map on a FidacPlane with nearest sampling,
 *    exactly as fidac_reslice()'s nearest path (and the GL overlay, labels.frag.glsl) place
 *    their samples: pixel (u, v) is at ((origin + x du) + y dv) with x = u + 0.5, y = v + 0.5,
 *    origin, du, dv from fidac_plane_get_screen_to_voxel(), in double, no fused arithmetic;
 *    the voxel is (int) (p + 0.5) on each axis; a sample outside [-0.5, dims - 0.5) is 0.
 *    Labels are never interpolated, and always sampled on the plane itself (no slab): a
 *    slab shows the labels of its central plane.
 *
 * 2. fidac_overlay_composite() draws those labels over a grey image as the GL pass blends
 *    its colours over the grey it finds in an 8-bit framebuffer (standard alpha blending,
 *    src_alpha / one_minus_src_alpha):
 *
 *      A      = (gint) floor (opacity * 255 + 0.5)          the alpha, 0 .. 255
 *      result = (c * A + g * (255 - A) + 127) / 255         integers, per channel
 *
 *    with c the class colour's channel and g the grey level: round (c a + g (1 - a)) for
 *    a = A / 255 (the sum over 255 never ends in exactly .5, so there is no tie to decide).
 *    The GL pass gets a = A / 255 as well and blends in float: on every pixel it is at most
 *    one level from this.
 *
 *    A pixel is coloured when its label L is not 0, class L is visible and A > 0, and, in
 *    outline mode, when at least one of its 4 neighbours (u ± 1, v), (u, v ± 1) has another
 *    label. The neighbours are samples of the same plane one pixel away, beyond the image's
 *    edge too (the labels are computed with a border of one pixel, see
 *    fidac_label_reslice()): a lesion cut by the edge of the view gets no outline along the
 *    edge, and panning moves outlines with the image. Outlines are drawn with the same
 *    opacity as fills (1.0 gives crisp lines). Neighbours count by label, visible or not: a
 *    lesion touching a hidden class keeps its outline there.
 */
#pragma once

#include <glib.h>

#include "fidac-label-map.h"
#include "fidac-reslice.h"
#include "fidac-volume.h"

G_BEGIN_DECLS

typedef enum {
  FIDAC_OVERLAY_FILLED,         /* every pixel of a visible class */
  FIDAC_OVERLAY_OUTLINE,        /* its boundary pixels only (4-neighbours) */
} FidacOverlayMode;

typedef struct {
  FidacOverlayMode mode;
  gdouble          opacity;                             /* 0 .. 1 */
  guint32          visible;                             /* bit L set: class L is shown */
  guint8           colors[FIDAC_LABEL_MAX_CLASSES][3];  /* sRGB per class id; [0] unused */
} FidacOverlayStyle;

/* Filled, opacity 0.5, every catalog class visible with its catalog colour (other ids:
 * hidden, grey). */
void     fidac_overlay_style_init    (FidacOverlayStyle       *style);

/* Checks the mode and that opacity is a number in [0, 1]. */
gboolean fidac_overlay_style_validate (const FidacOverlayStyle *style,
                                      GError                 **error);

/* The integer alpha A of `opacity` (see above). */
guint8   fidac_overlay_alpha         (gdouble                  opacity);

/* Labels of `map` (on the grid of `volume`) on `plane`, nearest, into `out`, which holds
 * (width + 2 border) * (height + 2 border) bytes, row by row: pixel (u, v) of the plane is
 * out[(v + border) * (width + 2 border) + u + border], and the border pixels are the
 * plane's samples at u = -1, u = width, v = -1, v = height (border is 0 or 1). Fails when the
 * map is not on the volume's grid or the plane is invalid. */
gboolean fidac_label_reslice         (const FidacLabelMap     *map,
                                      const FidacVolume       *volume,
                                      const FidacPlane        *plane,
                                      gint                     border,
                                      guint8                  *out,
                                      GError                 **error);

/* Whether the label at `p`, in labels sampled with border 1 (rows of `stride` = width + 2
 * bytes), lies on its region's boundary: one of its 4 neighbours holds another label. The
 * outline rule of fidac_overlay_composite(), for whoever draws outlines of other maps. */
static inline gboolean
fidac_label_is_boundary (const guint8 *p,
                         gint          stride)
{
  return p[-1] != *p || p[1] != *p || p[-stride] != *p || p[stride] != *p;
}

/* The overlay of `labels` (from fidac_label_reslice() with border 1) over `gray`
 * (width * height grey levels, row by row) into `out`, `channels` bytes per pixel: 3 (RGB)
 * or 4 (RGBA, alpha 255). Uncoloured pixels get the grey. */
void     fidac_overlay_composite     (const guint8            *gray,
                                      const guint8            *labels,
                                      gint                     width,
                                      gint                     height,
                                      const FidacOverlayStyle *style,
                                      guint8                  *out,
                                      gint                     channels);

G_END_DECLS
