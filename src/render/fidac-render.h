/* fidac-render.h: the OpenGL MPR pass. Knows no widgets: every call assumes a current GL
 * context (3.2 core or later) that shares its objects with the contexts of every view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CT volume is uploaded once as a 16-bit integer texture (FidacGLVolume: a 2D array
 * texture, one layer per slice, texelFetch() and textureGather() give the stored values
 * exactly) shared by all views;
 * each view owns a FidacMprRenderer (program, vertex array: vertex arrays are not shared
 * between contexts) and draws a FidacPlane of that volume with the same sampling, slab and
 * window as the CPU reslicer (fidac-reslice.h), which is its reference: the same plane
 * rendered both ways is at most one grey level apart on every pixel.
 */
#pragma once

#include <glib.h>

#include "fidac-label-map.h"
#include "fidac-label-reslice.h"
#include "fidac-reslice.h"
#include "fidac-volume.h"

G_BEGIN_DECLS

#define FIDAC_RENDER_ERROR (fidac_render_error_quark ())

typedef enum {
  FIDAC_RENDER_ERROR_UNSUPPORTED,   /* context too old, missing format or extension */
  FIDAC_RENDER_ERROR_TOO_LARGE,     /* volume larger than GL_MAX_TEXTURE_SIZE (columns,
                                     * rows), GL_MAX_ARRAY_TEXTURE_LAYERS (slices) or memory */
  FIDAC_RENDER_ERROR_SHADER,        /* compile or link failure, with the driver's log */
  FIDAC_RENDER_ERROR_FAILED,        /* any other GL error, named */
} FidacRenderError;

GQuark fidac_render_error_quark (void);

/* ---- the volume texture, shared by every view ---- */

typedef struct _FidacGLVolume FidacGLVolume;

/* Uploads `volume` (kept by reference: one CPU copy) as one texture. Current context
 * needed. */
FidacGLVolume     *fidac_gl_volume_new            (FidacVolume   *volume,
                                                   GError       **error);
FidacGLVolume     *fidac_gl_volume_ref            (FidacGLVolume *self);
/* The last unref deletes the texture when it was not released: a context sharing with the
 * one that created it must then be current. */
void               fidac_gl_volume_unref          (FidacGLVolume *self);
/* Deletes the GL objects now (current context needed); later unrefs touch no GL. */
void               fidac_gl_volume_release        (FidacGLVolume *self);
FidacVolume       *fidac_gl_volume_get_volume     (FidacGLVolume *self);
/* A GL_TEXTURE_2D_ARRAY of GL_R16I; 0 once released. */
guint              fidac_gl_volume_get_texture    (FidacGLVolume *self);
/* Wall time of the upload (glTexImage3D then glFinish), seconds. */
gdouble            fidac_gl_volume_get_upload_seconds (FidacGLVolume *self);
/* Bytes of texture memory the volume takes. */
gsize              fidac_gl_volume_get_texture_bytes  (FidacGLVolume *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FidacGLVolume, fidac_gl_volume_unref)

/* ---- the MPR pass ---- */

typedef struct {
  FidacPlane          plane;            /* width, height: the viewport in device pixels */
  gdouble             window_width;
  gdouble             window_level;
  gboolean            invert;
  FidacResliceOptions reslice;          /* interpolation, slab; n_threads is ignored */
} FidacMprParams;

typedef struct _FidacMprRenderer FidacMprRenderer;

/* Compiles the program (shaders from the render GResource) and builds the vertex array in
 * the current context. */
FidacMprRenderer  *fidac_mpr_renderer_new         (GError          **error);
/* Current context (the one it was made in) needed. */
void               fidac_mpr_renderer_free        (FidacMprRenderer *self);
/* Whether sample positions are computed in double precision, as on the CPU (OpenGL 4.0 or
 * GL_ARB_gpu_shader_fp64; the environment variable FIDAC_RENDER_NO_FP64 turns it off).
 * Without it, nearest sampling picks the neighbouring voxel now and then where a sample
 * falls within float rounding of a voxel boundary. */
gboolean           fidac_mpr_renderer_get_double_precision (FidacMprRenderer *self);

/* Draws the plane into the bound framebuffer over the viewport (0, 0, width, height):
 * screen pixel (u, v) of the plane, v going down, lands on framebuffer row height - 1 - v.
 * Grey levels are those of fidac_reslice() + fidac_reslice_window(). */
gboolean           fidac_mpr_renderer_draw        (FidacMprRenderer      *self,
                                                   FidacGLVolume         *volume,
                                                   const FidacMprParams  *params,
                                                   GError               **error);

/* For tests and benchmarks: draws into an offscreen framebuffer of the plane's size and
 * reads the grey levels back into `out` (width * height bytes, top row first), the layout
 * of fidac_reslice_window()'s output. */
gboolean           fidac_mpr_renderer_read_gray   (FidacMprRenderer      *self,
                                                   FidacGLVolume         *volume,
                                                   const FidacMprParams  *params,
                                                   guint8                *out,
                                                   GError               **error);

void               fidac_mpr_params_init          (FidacMprParams        *params);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FidacMprRenderer, fidac_mpr_renderer_free)

/* ---- the label overlay (issue 4) ----
 *
 * The label map goes to the GPU once as FidacGLLabels (a GL_R8UI 2D array texture, one
 * layer per slice, like the volume: shared by every view) and is kept up to date slice by
 * slice: after a stroke, upload only the slices it changed (fidac_label_map_get_dirty(), or
 * the range the tool knows) with fidac_gl_labels_update(). Each view owns a
 * FidacLabelOverlay and draws it right after fidac_mpr_renderer_draw(), into the same
 * framebuffer: it blends the class colours over the grey image already there
 * (src_alpha, one_minus_src_alpha), exactly the arithmetic of fidac_overlay_composite()
 * (fidac-label-reslice.h), the CPU reference and the views' fallback, within one level per
 * channel. Labels are sampled nearest on the plane itself (a slab shows the labels of its
 * central plane), at the positions fidac_reslice() uses.
 *
 * A view's ::render, in short:
 *
 *   fidac_mpr_renderer_draw (renderer, gl_volume, &params, &error);
 *   if (labels != NULL)
 *     fidac_label_overlay_draw (overlay, labels, &params, &style, &error);
 *
 * and after a stroke (any context sharing with the views' current):
 *
 *   if (fidac_label_map_get_dirty (map, &k0, &k1))
 *     fidac_gl_labels_update (labels, map, k0, k1, &error);
 *
 * then queue a redraw of every view (the texture is shared: one upload serves them all).
 * Who clears the map's dirty flags is the application's choice (the store consumes them
 * too): the texture needs only the range of each change.
 *
 * Without OpenGL (the views' CPU fallback), the same image comes from
 *
 *   fidac_label_reslice (map, volume, &params.plane, 1, labels_with_border, &error);
 *   fidac_overlay_composite (grey, labels_with_border, width, height, &style, rgba, 4);
 *
 * on the grey image of fidac_reslice() + fidac_reslice_window().
 */

typedef struct _FidacGLLabels FidacGLLabels;

/* Uploads `map` (on the grid of `volume`; a reference to `volume` is kept for the
 * geometry, none to the map) as one texture. Current context needed. */
FidacGLLabels     *fidac_gl_labels_new            (FidacVolume         *volume,
                                                   const FidacLabelMap *map,
                                                   GError             **error);
FidacGLLabels     *fidac_gl_labels_ref            (FidacGLLabels       *self);
/* As fidac_gl_volume_unref(): a sharing context must be current unless released. */
void               fidac_gl_labels_unref          (FidacGLLabels       *self);
void               fidac_gl_labels_release        (FidacGLLabels       *self);
/* Uploads slices k0 .. k1 (inclusive, clamped to the grid; k0 > k1: nothing) of `map`,
 * which must be the size of the texture, with one glTexSubImage3D(); nothing else is sent.
 * Also rescans those slices for their boxes (fidac_gl_labels_get_box()). Current context
 * needed. Does not wait for the GPU. About 0.05 ms for the one slice of a 10 mm disc on
 * a 512 × 512 series (llvmpipe, glFinish included). */
gboolean           fidac_gl_labels_update         (FidacGLLabels       *self,
                                                   const FidacLabelMap *map,
                                                   gint                 k0,
                                                   gint                 k1,
                                                   GError             **error);
FidacVolume       *fidac_gl_labels_get_volume     (FidacGLLabels       *self);
/* A GL_TEXTURE_2D_ARRAY of GL_R8UI; 0 once released. */
guint              fidac_gl_labels_get_texture    (FidacGLLabels       *self);
/* Slices sent by the last fidac_gl_labels_update() (for tests and benchmarks). */
gint               fidac_gl_labels_get_last_update_slices (FidacGLLabels *self);
/* The box (i0, i1, j0, j1, k0, k1, inclusive) of the labelled voxels of slices k0 .. k1
 * as last uploaded; FALSE when there are none. Kept per slice by each upload (a scan of
 * the slices sent), it lets the overlay draw only where labels can be. */
gboolean           fidac_gl_labels_get_box        (FidacGLLabels       *self,
                                                   gint                 k0,
                                                   gint                 k1,
                                                   gint                 box[6]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FidacGLLabels, fidac_gl_labels_unref)

typedef struct _FidacLabelOverlay FidacLabelOverlay;

/* Compiles the overlay program and builds its vertex array in the current context (one
 * per view, like the renderer). */
FidacLabelOverlay *fidac_label_overlay_new        (GError            **error);
/* Current context (the one it was made in) needed. */
void               fidac_label_overlay_free       (FidacLabelOverlay  *self);
/* Whether positions are computed in double (as fidac_mpr_renderer_get_double_precision()). */
gboolean           fidac_label_overlay_get_double_precision (FidacLabelOverlay *self);
/* For tests and benchmarks: whether the last successful draw took the table path of
 * axis-aligned planes (per-column and per-row voxel indices computed on the CPU with
 * fidac_label_reslice()'s arithmetic) rather than positions per pixel. The environment
 * variable FIDAC_RENDER_NO_AXIS, read when the overlay is made, keeps the general path. */
gboolean           fidac_label_overlay_get_last_draw_axis (FidacLabelOverlay *self);
/* For tests and benchmarks: lets axis-aligned planes take the table path (the default) or
 * keeps every plane on the general one. */
void               fidac_label_overlay_set_axis_path (FidacLabelOverlay *self,
                                                      gboolean           enabled);
/* For tests and benchmarks: the pixels the last draw ran its shader on (the part of the
 * view where labels can be, see fidac_gl_labels_get_box(); 0 when there was none). */
gsize              fidac_label_overlay_get_last_pixels (FidacLabelOverlay *self);

/* Blends the labels of `params->plane` (only the plane is used) over whatever the bound
 * framebuffer holds, viewport (0, 0, width, height) like fidac_mpr_renderer_draw(), only
 * over the part of the view where labelled voxels can show (scissor). The blending and
 * scissor state, program, vertex array and texture bindings (units 0 and 1) are put back;
 * the viewport stays. Draws nothing (and succeeds) when no class is visible, the opacity
 * gives alpha 0 or no labelled voxel is near the plane. Fails on an invalid plane or style,
 * or released labels. */
gboolean           fidac_label_overlay_draw       (FidacLabelOverlay       *self,
                                                   FidacGLLabels           *labels,
                                                   const FidacMprParams    *params,
                                                   const FidacOverlayStyle *style,
                                                   GError                 **error);

/* For tests and benchmarks: draws the grey image (fidac_mpr_renderer_draw()) then the
 * overlay into an offscreen RGBA8 framebuffer of the plane's size and reads it back into
 * `out` (width * height * 4 bytes, top row first, alpha 255). `labels` may be NULL (grey
 * only). */
gboolean           fidac_label_overlay_read_rgba  (FidacLabelOverlay       *self,
                                                   FidacMprRenderer        *renderer,
                                                   FidacGLVolume           *volume,
                                                   FidacGLLabels           *labels,
                                                   const FidacMprParams    *params,
                                                   const FidacOverlayStyle *style,
                                                   guint8                  *out,
                                                   GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FidacLabelOverlay, fidac_label_overlay_free)

G_END_DECLS
