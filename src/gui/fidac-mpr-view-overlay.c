/* fidac-mpr-view-overlay.c: what the view draws over the image, in GL and CPU mode alike:
 * crosshair lines, orientation letters, scale bar and read-outs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here is in widget logical pixels; the plane is in device pixels, so screen
 * positions from the core are divided by the scale factor.
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "fidac-mpr-view-private.h"

#define MARGIN 6.0
#define CROSSHAIR_GAP 12.0      /* logical pixels left empty around the crosshair's centre */
#define SCALE_BAR_FRACTION 0.25 /* at most this part of the width */

/* The colours 3D Slicer gives its slice views, so the lines read as in Slicer: a green line
 * in the axial view is the coronal plane. */
static const GdkRGBA view_colours[FIDAC_N_VIEWS] = {
  { 0.953f, 0.290f, 0.200f, 1.0f },   /* axial: red */
  { 0.431f, 0.690f, 0.294f, 1.0f },   /* coronal: green */
  { 0.929f, 0.835f, 0.298f, 1.0f },   /* sagittal: yellow */
};

static const GdkRGBA text_colour = { 1.0f, 1.0f, 1.0f, 1.0f };
static const GdkRGBA letter_colour = { 0.98f, 0.86f, 0.36f, 1.0f };
static const GdkRGBA outline_colour = { 0.0f, 0.0f, 0.0f, 0.9f };

static void
set_text (FidacMprView     *self,
          FidacMprViewText  which,
          gchar            *text)
{
  g_free (self->texts[which]);
  self->texts[which] = text != NULL ? text : g_strdup ("");
}

static const gchar *
view_name (FidacView view)
{
  switch (view)
    {
    case FIDAC_VIEW_AXIAL:
      return C_("MPR view", "Axial");
    case FIDAC_VIEW_CORONAL:
      return C_("MPR view", "Coronal");
    case FIDAC_VIEW_SAGITTAL:
    default:
      return C_("MPR view", "Sagittal");
    }
}

static gchar *
position_text (FidacView view,
               gdouble   mm)
{
  /* The patient coordinate the view's normal follows (LPS). */
  switch (view)
    {
    case FIDAC_VIEW_AXIAL:
      return g_strdup_printf (_("z = %.1f mm"), mm);
    case FIDAC_VIEW_CORONAL:
      return g_strdup_printf (_("y = %.1f mm"), mm);
    case FIDAC_VIEW_SAGITTAL:
    default:
      return g_strdup_printf (_("x = %.1f mm"), mm);
    }
}

static gchar *
reslice_text (const FidacMpr *mpr)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (mpr->reslice.slab_mm > 0.0)
    {
      const gchar *mode;

      switch (mpr->reslice.slab_mode)
        {
        case FIDAC_SLAB_MIP:
          mode = C_("slab mode", "MIP");
          break;
        case FIDAC_SLAB_MINIP:
          mode = C_("slab mode", "MinIP");
          break;
        case FIDAC_SLAB_AVERAGE:
        default:
          mode = C_("slab mode", "Average");
          break;
        }
      /* TRANSLATORS: slab mode and thickness, "MIP 10.0 mm" */
      g_ptr_array_add (parts, g_strdup_printf (_("%s %.1f mm"), mode, mpr->reslice.slab_mm));
    }
  if (mpr->invert)
    g_ptr_array_add (parts, g_strdup (C_("window", "Inverted")));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (gchar **) parts->pdata);
}

void
fidac_mpr_view_update_texts (FidacMprView *self)
{
  const FidacMpr *mpr = fidac_viewer_get_mpr (self->viewer);
  gchar letters[4][4];
  FidacPlane plane;
  gint width, height, index, count;
  gdouble position, mm, pixels;

  for (guint i = 0; i < FIDAC_MPR_VIEW_N_TEXTS; i++)
    set_text (self, i, NULL);
  fidac_mpr_view_device_size (self, &width, &height);
  if (mpr == NULL || width <= 0 || height <= 0)
    return;

  set_text (self, FIDAC_MPR_VIEW_TEXT_NAME, g_strdup (view_name (self->view)));
  fidac_mpr_get_slice (mpr, self->view, &index, &count, &position);
  /* Numbered from 1 as the scanners and the other viewers show them. */
  set_text (self, FIDAC_MPR_VIEW_TEXT_SLICE, g_strdup_printf (_("Slice %d / %d"), index + 1, count));
  set_text (self, FIDAC_MPR_VIEW_TEXT_POSITION, position_text (self->view, position));
  /* TRANSLATORS: window width and level, "W 1500 L -600" */
  set_text (self, FIDAC_MPR_VIEW_TEXT_WINDOW,
            g_strdup_printf (_("W %.0f L %.0f"), mpr->window_width, mpr->window_level));
  set_text (self, FIDAC_MPR_VIEW_TEXT_RESLICE, reslice_text (mpr));

  fidac_mpr_get_plane (mpr, self->view, width, height, &plane);
  fidac_mpr_plane_letters (&plane, letters[0], letters[1], letters[2], letters[3]);
  set_text (self, FIDAC_MPR_VIEW_TEXT_LEFT, g_strdup (letters[0]));
  set_text (self, FIDAC_MPR_VIEW_TEXT_RIGHT, g_strdup (letters[1]));
  set_text (self, FIDAC_MPR_VIEW_TEXT_TOP, g_strdup (letters[2]));
  set_text (self, FIDAC_MPR_VIEW_TEXT_BOTTOM, g_strdup (letters[3]));

  if (fidac_mpr_scale_bar (plane.pixel_size, width * SCALE_BAR_FRACTION, &mm, &pixels))
    /* TRANSLATORS: length of the scale bar, "50 mm" */
    set_text (self, FIDAC_MPR_VIEW_TEXT_SCALE, g_strdup_printf (_("%g mm"), mm));

  if (self->has_pointer)
    {
      gint scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
      gdouble patient[3];
      gint ijk[3];
      gint16 hu;

      fidac_mpr_screen_to_patient (mpr, self->view, width, height,
                                   self->pointer_x * scale, self->pointer_y * scale, patient);
      if (fidac_mpr_probe (mpr, patient, ijk, &hu))
        {
          set_text (self, FIDAC_MPR_VIEW_TEXT_HU, g_strdup_printf (_("%d HU"), hu));
          set_text (self, FIDAC_MPR_VIEW_TEXT_VOXEL,
                    g_strdup_printf (_("voxel (%d, %d, %d)"), ijk[0], ijk[1], ijk[2]));
          /* TRANSLATORS: patient coordinates x, y, z in millimetres */
          set_text (self, FIDAC_MPR_VIEW_TEXT_PATIENT,
                    g_strdup_printf (_("(%.1f, %.1f, %.1f) mm"), patient[0], patient[1], patient[2]));
        }
      else
        set_text (self, FIDAC_MPR_VIEW_TEXT_HU, g_strdup (_("outside the volume")));
    }
}

const gchar *
fidac_mpr_view_get_text (FidacMprView     *self,
                         FidacMprViewText  which)
{
  g_return_val_if_fail (FIDAC_IS_MPR_VIEW (self), NULL);
  g_return_val_if_fail (which < FIDAC_MPR_VIEW_N_TEXTS, NULL);

  fidac_mpr_view_update_texts (self);
  return self->texts[which];
}

/* Readable on any image: an outline of dark copies around the text. */
static void
append_outlined (GtkSnapshot   *snapshot,
                 PangoLayout   *layout,
                 gdouble        x,
                 gdouble        y,
                 const GdkRGBA *colour)
{
  static const gfloat offsets[][2] = { { -1, 0 }, { 1, 0 }, { 0, -1 }, { 0, 1 }, { 1, 1 } };

  for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((gfloat) x + offsets[i][0],
                                                              (gfloat) y + offsets[i][1]));
      gtk_snapshot_append_layout (snapshot, layout, &outline_colour);
      gtk_snapshot_restore (snapshot);
    }
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((gfloat) x, (gfloat) y));
  gtk_snapshot_append_layout (snapshot, layout, colour);
  gtk_snapshot_restore (snapshot);
}

typedef enum { ANCHOR_START, ANCHOR_MIDDLE, ANCHOR_END } Anchor;

/* Draws `text` with its logical box anchored at (x, y) horizontally and vertically; `box`
 * (may be NULL) receives that box, empty for no text. With `snapshot` NULL it only
 * measures. */
static void
draw_text (FidacMprView    *self,
           GtkSnapshot     *snapshot,
           const gchar     *text,
           gdouble          x,
           gdouble          y,
           Anchor           h_anchor,
           Anchor           v_anchor,
           const GdkRGBA   *colour,
           graphene_rect_t *box)
{
  g_autoptr(PangoLayout) layout = NULL;
  PangoRectangle logical;

  if (box != NULL)
    graphene_rect_init (box, (gfloat) x, (gfloat) y, 0.0f, 0.0f);
  if (text == NULL || *text == '\0')
    return;
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  if (h_anchor == ANCHOR_END)
    pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  x -= h_anchor == ANCHOR_START ? 0.0 : h_anchor == ANCHOR_MIDDLE ? logical.width / 2.0 : logical.width;
  y -= v_anchor == ANCHOR_START ? 0.0 : v_anchor == ANCHOR_MIDDLE ? logical.height / 2.0 : logical.height;
  if (box != NULL)
    graphene_rect_init (box, (gfloat) x, (gfloat) y, (gfloat) logical.width, (gfloat) logical.height);
  if (snapshot != NULL)
    append_outlined (snapshot, layout, x - logical.x, y - logical.y, colour);
}

static gboolean
boxes_overlap (const graphene_rect_t *a,
               const graphene_rect_t *b)
{
  return a->size.width > 0 && a->size.height > 0 && b->size.width > 0 && b->size.height > 0 &&
         a->origin.x < b->origin.x + b->size.width && b->origin.x < a->origin.x + a->size.width &&
         a->origin.y < b->origin.y + b->size.height && b->origin.y < a->origin.y + a->size.height;
}

/* An orientation letter at the middle of an edge, moved along that edge's normal (or, on
 * the left and right edges, up or down) out of the corner read-outs it would cover in a
 * small view. */
static void
draw_letter (FidacMprView          *self,
             GtkSnapshot           *snapshot,
             const gchar           *text,
             gdouble                x,
             gdouble                y,
             Anchor                 h_anchor,
             Anchor                 v_anchor,
             const graphene_rect_t *blocks,
             guint                  n_blocks)
{
  graphene_rect_t box;

  draw_text (self, NULL, text, x, y, h_anchor, v_anchor, &letter_colour, &box);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n_blocks; i++)
      {
        const graphene_rect_t *b = &blocks[i];
        gboolean block_below;

        if (!boxes_overlap (&box, b))
          continue;
        if (v_anchor == ANCHOR_END)         /* bottom edge: up */
          block_below = TRUE;
        else if (v_anchor == ANCHOR_START)  /* top edge: down */
          block_below = FALSE;
        else
          block_below = b->origin.y + b->size.height / 2 > box.origin.y + box.size.height / 2;
        box.origin.y = block_below ? b->origin.y - 2.0f - box.size.height
                                   : b->origin.y + b->size.height + 2.0f;
      }
  draw_text (self, snapshot, text, box.origin.x, box.origin.y, ANCHOR_START, ANCHOR_START,
             &letter_colour, NULL);
}

static gchar *
join_lines (FidacMprView *self,
            guint         first,
            guint         last)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();

  for (guint i = first; i <= last; i++)
    if (*self->texts[i] != '\0')
      g_ptr_array_add (lines, self->texts[i]);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (gchar **) lines->pdata);
}

static void
cross (const gdouble a[3],
       const gdouble b[3],
       gdouble       out[3])
{
  out[0] = a[1] * b[2] - a[2] * b[1];
  out[1] = a[2] * b[0] - a[0] * b[2];
  out[2] = a[0] * b[1] - a[1] * b[0];
}

static gdouble
dot (const gdouble a[3],
     const gdouble b[3])
{
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/* The other two views' planes through the crosshair, each in its view's colour, with a gap
 * around the centre so that the point itself stays visible. */
static void
draw_crosshair (FidacMprView     *self,
                cairo_t          *cr,
                const FidacMpr   *mpr,
                const FidacPlane *plane,
                gdouble           scale)
{
  gdouble normal[3], cx, cy, reach;

  fidac_plane_get_normal (plane, normal);
  fidac_mpr_patient_to_screen (mpr, self->view, plane->width, plane->height,
                               mpr->crosshair, &cx, &cy);
  cx /= scale;
  cy /= scale;
  reach = (plane->width + plane->height) / scale;

  cairo_set_line_width (cr, 1.0);
  for (gint other = 0; other < FIDAC_N_VIEWS; other++)
    {
      gdouble right[3], down[3], other_normal[3], dir[3], sx, sy, len;

      if (other == (gint) self->view)
        continue;
      fidac_view_get_axes (other, right, down);
      cross (right, down, other_normal);
      /* The intersection of the two planes, on this view's screen. */
      cross (normal, other_normal, dir);
      sx = dot (dir, plane->right);
      sy = dot (dir, plane->down);
      len = hypot (sx, sy);
      if (len < 1e-6)
        continue;   /* parallel planes: no line */
      sx /= len;
      sy /= len;

      gdk_cairo_set_source_rgba (cr, &view_colours[other]);
      for (gint side = -1; side <= 1; side += 2)
        {
          cairo_move_to (cr, cx + side * CROSSHAIR_GAP * sx, cy + side * CROSSHAIR_GAP * sy);
          cairo_line_to (cr, cx + side * reach * sx, cy + side * reach * sy);
        }
      cairo_stroke (cr);
    }
}

static void
draw_scale_bar (FidacMprView     *self,
                GtkSnapshot      *snapshot,
                cairo_t          *cr,
                const FidacPlane *plane,
                gdouble           scale,
                gdouble          *top)
{
  gdouble width = gtk_widget_get_width (GTK_WIDGET (self));
  gdouble height = gtk_widget_get_height (GTK_WIDGET (self));
  gdouble mm, pixels, x1, x0, y;
  graphene_rect_t label;

  *top = height - MARGIN;
  if (!fidac_mpr_scale_bar (plane->pixel_size, plane->width * SCALE_BAR_FRACTION, &mm, &pixels))
    return;

  x1 = width - MARGIN;
  x0 = x1 - pixels / scale;
  y = height - MARGIN - 3.0;
  /* A dark bar under a light one, ticks at both ends. */
  for (guint pass = 0; pass < 2; pass++)
    {
      cairo_set_line_width (cr, pass == 0 ? 3.0 : 1.0);
      gdk_cairo_set_source_rgba (cr, pass == 0 ? &outline_colour : &text_colour);
      cairo_move_to (cr, x0 + 0.5, y - 4.0);
      cairo_line_to (cr, x0 + 0.5, y + 0.5);
      cairo_line_to (cr, x1 - 0.5, y + 0.5);
      cairo_line_to (cr, x1 - 0.5, y - 4.0);
      cairo_stroke (cr);
    }
  /* Right-aligned with the bar: a label wider than a short bar stays inside the view. */
  draw_text (self, snapshot, self->texts[FIDAC_MPR_VIEW_TEXT_SCALE], x1, y - 6.0,
             ANCHOR_END, ANCHOR_END, &text_colour, &label);
  *top = MIN (label.origin.y, y - 4.0);
}

/* Labels ----------------------------------------------------------------------------------- */

/* Nearest sampling of the label map on the plane itself (a slab shows the labels of its
 * central plane): the sample positions of the reslicer's nearest path, so a label sits on
 * the voxel the image shows under it. */
static void
sample_labels (FidacMprView     *self,
               FidacLabelMap    *map,
               const FidacVolume *volume,
               const FidacPlane *plane)
{
  gdouble m[16];
  gint w = plane->width, h = plane->height;

  g_free (self->label_ids);
  self->label_ids = g_malloc0 ((gsize) w * h);
  self->label_plane = *plane;
  fidac_plane_get_screen_to_voxel (plane, volume, m);
  for (gint v = 0; v < h; v++)
    for (gint u = 0; u < w; u++)
      {
        gdouble x = u + 0.5, y = v + 0.5;
        gint index[3];
        gboolean inside = TRUE;

        for (gint a = 0; a < 3 && inside; a++)
          {
            gdouble p = (m[4 * a + 3] + x * m[4 * a]) + y * m[4 * a + 1];

            if (!(p >= -0.5 && p < map->dims[a] - 0.5))
              inside = FALSE;
            else
              index[a] = (gint) (p + 0.5);
          }
        if (inside)
          self->label_ids[(gsize) v * w + u] = fidac_label_map_get (map, index[0], index[1], index[2]);
      }
}

static void
build_label_texture (FidacMprView *self)
{
  const FidacPlane *plane = &self->label_plane;
  gsize n = (gsize) plane->width * plane->height;
  guint8 colours[FIDAC_LABEL_MAX_CLASSES][4] = { { 0 } };
  g_autoptr(GBytes) bytes = NULL;
  guint8 *rgba;

  for (guint id = 1; id < FIDAC_LABEL_MAX_CLASSES; id++)
    {
      const FidacLesionClass *lesion = fidac_lesion_get (id);
      gdouble alpha;

      if (lesion == NULL || !fidac_annotation_get_visible (self->annotation, id))
        continue;
      alpha = fidac_annotation_get_opacity (self->annotation, id);
      /* Premultiplied. */
      for (gint c = 0; c < 3; c++)
        colours[id][c] = (guint8) floor (lesion->rgb[c] * alpha + 0.5);
      colours[id][3] = (guint8) floor (255.0 * alpha + 0.5);
    }
  rgba = g_malloc (n * 4);
  for (gsize i = 0; i < n; i++)
    memcpy (rgba + 4 * i, colours[self->label_ids[i] < FIDAC_LABEL_MAX_CLASSES ? self->label_ids[i] : 0], 4);
  if (fidac_annotation_get_overlay_mode (self->annotation) == FIDAC_OVERLAY_OUTLINE)
    /* Outlines as fidac_overlay_composite() draws them, with the neighbours sampled here: a
     * label cut by the edge of the view gets no outline along the edge. */
    for (gint v = 0; v < plane->height; v++)
      for (gint u = 0; u < plane->width; u++)
        {
          gsize i = (gsize) v * plane->width + u;
          guint8 l = self->label_ids[i];

          if (l == 0 ||
              (u > 0 && self->label_ids[i - 1] != l) ||
              (u + 1 < plane->width && self->label_ids[i + 1] != l) ||
              (v > 0 && self->label_ids[i - plane->width] != l) ||
              (v + 1 < plane->height && self->label_ids[i + plane->width] != l))
            continue;
          memset (rgba + 4 * i, 0, 4);
        }
  bytes = g_bytes_new_take (rgba, n * 4);
  g_clear_object (&self->label_texture);
  self->label_texture = gdk_memory_texture_new (plane->width, plane->height,
                                                GDK_MEMORY_R8G8B8A8_PREMULTIPLIED, bytes,
                                                (gsize) plane->width * 4);
}

void
fidac_mpr_view_snapshot_labels (FidacMprView *self,
                                GtkSnapshot  *snapshot)
{
  const FidacMpr *mpr = fidac_viewer_get_mpr (self->viewer);
  FidacLabelMap *map = fidac_annotation_get_map (self->annotation);
  gboolean draw = !fidac_mpr_view_is_gl (self) || !self->labels_in_gl;
  FidacPlane plane;
  gint width, height;

  fidac_mpr_view_device_size (self, &width, &height);
  if (mpr == NULL || map == NULL || width <= 0 || height <= 0 ||
      !fidac_annotation_has_labels (self->annotation) || (!draw && !self->labels_requested))
    {
      /* Sampled again when next needed. */
      g_clear_pointer (&self->label_ids, g_free);
      g_clear_object (&self->label_texture);
      self->labels_requested = FALSE;
      return;
    }
  fidac_mpr_get_plane (mpr, self->view, width, height, &plane);
  if (self->labels_dirty || self->label_ids == NULL || self->labels_requested ||
      memcmp (&plane, &self->label_plane, sizeof plane) != 0)
    {
      sample_labels (self, map, fidac_annotation_get_volume (self->annotation), &plane);
      g_clear_object (&self->label_texture);
      self->labels_dirty = FALSE;
    }
  self->labels_requested = FALSE;
  if (!draw)
    return;
  if (self->label_texture == NULL)
    build_label_texture (self);
  gtk_snapshot_append_texture (snapshot, self->label_texture,
                               &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (GTK_WIDGET (self)),
                                                    gtk_widget_get_height (GTK_WIDGET (self))));
}

void
fidac_mpr_view_request_labels (FidacMprView *self)
{
  g_return_if_fail (FIDAC_IS_MPR_VIEW (self));
  self->labels_requested = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const guint8 *
fidac_mpr_view_get_labels (FidacMprView *self,
                           FidacPlane   *plane)
{
  g_return_val_if_fail (FIDAC_IS_MPR_VIEW (self), NULL);
  if (self->label_ids != NULL && plane != NULL)
    *plane = self->label_plane;
  return self->label_ids;
}

/* Lungs ------------------------------------------------------------------------------------ */

/* Light colours, opaque and one device pixel wide, that neither the catalog's yellow, orange
 * and sky blue nor the crosshair's red, green and yellow can be taken for: light magenta for
 * the right lung, a light cyan for the left. */
static const guint8 lung_colours[FIDAC_LUNG_N + 1][3] = {
  [FIDAC_LUNG_RIGHT] = { 255, 140, 255 },
  [FIDAC_LUNG_LEFT] = { 150, 255, 255 },
};

/* The lungs' boundary pixels: a lung pixel with a 4-neighbour of another value, neighbours
 * beyond the view's edge included (as the label outlines: a lung cut by the edge gets no
 * line along it). */
static void
build_lung_texture (FidacMprView *self)
{
  gint w = self->lung_plane.width, h = self->lung_plane.height, stride = w + 2;
  gsize n = (gsize) w * h;
  g_autoptr(GBytes) bytes = NULL;
  guint8 *rgba = g_malloc0 (n * 4);

  for (gint v = 0; v < h; v++)
    for (gint u = 0; u < w; u++)
      {
        const guint8 *p = self->lung_ids + (gsize) (v + 1) * stride + u + 1;
        guint8 *out = rgba + ((gsize) v * w + u) * 4;

        if (*p == FIDAC_LUNG_NONE || *p > FIDAC_LUNG_N || !fidac_label_is_boundary (p, stride))
          continue;
        memcpy (out, lung_colours[*p], 3);
        out[3] = 255;
      }
  bytes = g_bytes_new_take (rgba, n * 4);
  g_clear_object (&self->lung_texture);
  self->lung_texture = gdk_memory_texture_new (w, h, GDK_MEMORY_R8G8B8A8_PREMULTIPLIED, bytes,
                                               (gsize) w * 4);
}

static void
drop_lungs (FidacMprView *self)
{
  g_clear_pointer (&self->lung_ids, g_free);
  g_clear_pointer (&self->lung_map, fidac_label_map_unref);
  g_clear_object (&self->lung_texture);
}

/* The same in GL and CPU mode: the mask changes once per case and the plane at each slice,
 * so sampling it with the CPU costs what the label overlay's fallback does, and the
 * outline is exactly fidac_label_reslice()'s. */
void
fidac_mpr_view_snapshot_lungs (FidacMprView *self,
                               GtkSnapshot  *snapshot)
{
  const FidacMpr *mpr = fidac_viewer_get_mpr (self->viewer);
  FidacLabelMap *lungs = NULL;
  FidacPlane plane;
  gint width, height;

  if (fidac_quantification_get_show_lungs (self->quantification))
    lungs = fidac_quantification_get_lungs (self->quantification);
  fidac_mpr_view_device_size (self, &width, &height);
  if (mpr == NULL || lungs == NULL || width <= 0 || height <= 0)
    {
      drop_lungs (self);
      return;
    }
  fidac_mpr_get_plane (mpr, self->view, width, height, &plane);
  if (self->lung_ids == NULL || self->lung_map != lungs ||
      memcmp (&plane, &self->lung_plane, sizeof plane) != 0)
    {
      g_autofree guint8 *ids = g_malloc ((gsize) (width + 2) * (height + 2));
      g_autoptr(GError) error = NULL;

      drop_lungs (self);
      if (!fidac_label_reslice (lungs, mpr->volume, &plane, 1, ids, &error))
        {
          g_warning (_("The lung outline cannot be drawn: %s"), error->message);
          return;
        }
      self->lung_ids = g_steal_pointer (&ids);
      self->lung_plane = plane;
      self->lung_map = fidac_label_map_ref (lungs);
    }
  if (self->lung_texture == NULL)
    build_lung_texture (self);
  gtk_snapshot_append_texture (snapshot, self->lung_texture,
                               &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (GTK_WIDGET (self)),
                                                    gtk_widget_get_height (GTK_WIDGET (self))));
}

const guint8 *
fidac_mpr_view_get_lungs (FidacMprView *self,
                          FidacPlane   *plane)
{
  g_return_val_if_fail (FIDAC_IS_MPR_VIEW (self), NULL);
  if (self->lung_ids != NULL && plane != NULL)
    *plane = self->lung_plane;
  return self->lung_ids;
}

/* The brush's footprint under the pointer: a disc, or the sphere's section by this plane
 * (the pointer is on the plane: the same circle). */
static void
draw_footprint (FidacMprView     *self,
                cairo_t          *cr,
                const FidacPlane *plane,
                gdouble           scale)
{
  FidacTool tool = fidac_annotation_get_tool (self->annotation);
  const FidacLesionClass *lesion;
  gdouble radius;

  if (tool == FIDAC_TOOL_NAVIGATE || tool == FIDAC_TOOL_FILL || !self->has_pointer || fidac_annotation_get_map (self->annotation) == NULL)
    return;
  radius = fidac_annotation_get_diameter (self->annotation) / 2.0 / plane->pixel_size / scale;
  lesion = fidac_lesion_get (fidac_annotation_get_class (self->annotation));
  for (guint pass = 0; pass < 2; pass++)
    {
      cairo_new_path (cr);
      cairo_arc (cr, self->pointer_x, self->pointer_y, radius, 0.0, 2.0 * G_PI);
      if (pass == 0)
        {
          cairo_set_line_width (cr, 3.0);
          gdk_cairo_set_source_rgba (cr, &outline_colour);
        }
      else if (tool == FIDAC_TOOL_ERASER || lesion == NULL)
        {
          cairo_set_line_width (cr, 1.0);
          gdk_cairo_set_source_rgba (cr, &text_colour);
        }
      else
        {
          cairo_set_line_width (cr, 1.0);
          cairo_set_source_rgb (cr, lesion->rgb[0] / 255.0, lesion->rgb[1] / 255.0,
                                lesion->rgb[2] / 255.0);
        }
      if (tool == FIDAC_TOOL_ERASER && pass == 1)
        cairo_set_dash (cr, (const gdouble[]) { 4.0, 3.0 }, 2, 0.0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0.0);
    }
}

/* The lasso being drawn, closed back to its start. */
static void
draw_lasso (FidacMprView *self,
            cairo_t      *cr)
{
  const FidacLesionClass *lesion = fidac_lesion_get (fidac_annotation_get_class (self->annotation));
  guint n = self->lasso != NULL ? self->lasso->len / 2 : 0;

  if (n < 2 || lesion == NULL)
    return;
  for (guint pass = 0; pass < 2; pass++)
    {
      cairo_new_path (cr);
      for (guint p = 0; p < n; p++)
        cairo_line_to (cr, g_array_index (self->lasso, gdouble, 2 * p),
                       g_array_index (self->lasso, gdouble, 2 * p + 1));
      cairo_close_path (cr);
      cairo_set_line_width (cr, pass == 0 ? 3.0 : 1.0);
      if (pass == 0)
        gdk_cairo_set_source_rgba (cr, &outline_colour);
      else
        cairo_set_source_rgb (cr, lesion->rgb[0] / 255.0, lesion->rgb[1] / 255.0,
                              lesion->rgb[2] / 255.0);
      cairo_stroke (cr);
    }
}

void
fidac_mpr_view_snapshot_overlays (FidacMprView *self,
                                  GtkSnapshot  *snapshot)
{
  const FidacMpr *mpr = fidac_viewer_get_mpr (self->viewer);
  gdouble width = gtk_widget_get_width (GTK_WIDGET (self));
  gdouble height = gtk_widget_get_height (GTK_WIDGET (self));
  gdouble scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  g_autofree gchar *top_left = NULL, *bottom_left = NULL, *bottom_right = NULL;
  /* The letters keep out of the lasting blocks only: the pointer read-out comes and goes,
   * and moving a letter far from its edge's middle to avoid it would mislead. */
  enum { BLOCK_NAME, BLOCK_TOP_LEFT, BLOCK_BOTTOM_LEFT, BLOCK_SCALE, N_LASTING, BLOCK_BOTTOM_RIGHT = N_LASTING, N_BLOCKS };
  graphene_rect_t blocks[N_BLOCKS];
  cairo_t *cr;
  FidacPlane plane;
  gint device_width, device_height;
  gdouble bar_top;

  fidac_mpr_view_update_texts (self);
  fidac_mpr_view_device_size (self, &device_width, &device_height);
  if (mpr == NULL || device_width <= 0 || device_height <= 0)
    return;
  fidac_mpr_get_plane (mpr, self->view, device_width, device_height, &plane);
  fidac_mpr_view_snapshot_labels (self, snapshot);
  fidac_mpr_view_snapshot_lungs (self, snapshot);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, (gfloat) width, (gfloat) height));
  draw_crosshair (self, cr, mpr, &plane, scale);
  draw_scale_bar (self, snapshot, cr, &plane, scale, &bar_top);
  draw_footprint (self, cr, &plane, scale);
  draw_lasso (self, cr);
  if (gtk_widget_has_focus (GTK_WIDGET (self)))
    {
      cairo_set_line_width (cr, 2.0);
      gdk_cairo_set_source_rgba (cr, &view_colours[self->view]);
      cairo_rectangle (cr, 1.0, 1.0, width - 2.0, height - 2.0);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
  graphene_rect_init (&blocks[BLOCK_SCALE], (gfloat) (width * (1.0 - SCALE_BAR_FRACTION) - MARGIN),
                      (gfloat) bar_top, (gfloat) (width * SCALE_BAR_FRACTION), (gfloat) (height - bar_top));

  draw_text (self, snapshot, self->texts[FIDAC_MPR_VIEW_TEXT_NAME], MARGIN, MARGIN,
             ANCHOR_START, ANCHOR_START, &view_colours[self->view], &blocks[BLOCK_NAME]);
  top_left = join_lines (self, FIDAC_MPR_VIEW_TEXT_SLICE, FIDAC_MPR_VIEW_TEXT_POSITION);
  draw_text (self, snapshot, top_left, MARGIN,
             blocks[BLOCK_NAME].origin.y + blocks[BLOCK_NAME].size.height,
             ANCHOR_START, ANCHOR_START, &text_colour, &blocks[BLOCK_TOP_LEFT]);
  bottom_left = join_lines (self, FIDAC_MPR_VIEW_TEXT_WINDOW, FIDAC_MPR_VIEW_TEXT_RESLICE);
  draw_text (self, snapshot, bottom_left, MARGIN, height - MARGIN,
             ANCHOR_START, ANCHOR_END, &text_colour, &blocks[BLOCK_BOTTOM_LEFT]);
  bottom_right = join_lines (self, FIDAC_MPR_VIEW_TEXT_HU, FIDAC_MPR_VIEW_TEXT_PATIENT);
  draw_text (self, snapshot, bottom_right, width - MARGIN, bar_top - 2.0,
             ANCHOR_END, ANCHOR_END, &text_colour, &blocks[BLOCK_BOTTOM_RIGHT]);

  draw_letter (self, snapshot, self->texts[FIDAC_MPR_VIEW_TEXT_LEFT], MARGIN, height / 2.0,
               ANCHOR_START, ANCHOR_MIDDLE, blocks, N_LASTING);
  draw_letter (self, snapshot, self->texts[FIDAC_MPR_VIEW_TEXT_RIGHT], width - MARGIN, height / 2.0,
               ANCHOR_END, ANCHOR_MIDDLE, blocks, N_LASTING);
  draw_letter (self, snapshot, self->texts[FIDAC_MPR_VIEW_TEXT_TOP], width / 2.0, MARGIN,
               ANCHOR_MIDDLE, ANCHOR_START, blocks, N_LASTING);
  draw_letter (self, snapshot, self->texts[FIDAC_MPR_VIEW_TEXT_BOTTOM], width / 2.0, height - MARGIN,
               ANCHOR_MIDDLE, ANCHOR_END, blocks, N_LASTING);
}
