/* fidac-slice-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include "fidac-slice-view.h"

enum { EDGE_LEFT, EDGE_RIGHT, EDGE_TOP, EDGE_BOTTOM, N_EDGES };

struct _FidacSliceView
{
  GtkWidget   parent_instance;

  GdkTexture *texture;
  gdouble     spacing_x;
  gdouble     spacing_y;
  gchar      *letters[N_EDGES];
};

G_DEFINE_FINAL_TYPE (FidacSliceView, fidac_slice_view, GTK_TYPE_WIDGET)

/* The image rectangle inside the widget: as large as fits, centred, with square millimetres
 * (a 0.7 x 0.7 mm pixel is square, a 0.7 x 1.4 mm one is twice as high as wide). */
static gboolean
image_rect (FidacSliceView  *self,
            graphene_rect_t *rect)
{
  gdouble width = gtk_widget_get_width (GTK_WIDGET (self));
  gdouble height = gtk_widget_get_height (GTK_WIDGET (self));
  gdouble mm_w, mm_h, scale;
  const gdouble margin = 28.0;  /* room for the orientation letters */

  if (self->texture == NULL || width <= 2 * margin || height <= 2 * margin)
    return FALSE;

  mm_w = gdk_texture_get_width (self->texture) * self->spacing_x;
  mm_h = gdk_texture_get_height (self->texture) * self->spacing_y;
  scale = MIN ((width - 2 * margin) / mm_w, (height - 2 * margin) / mm_h);
  graphene_rect_init (rect,
                      (gfloat) ((width - mm_w * scale) / 2.0),
                      (gfloat) ((height - mm_h * scale) / 2.0),
                      (gfloat) (mm_w * scale),
                      (gfloat) (mm_h * scale));
  return TRUE;
}

static void
draw_letter (FidacSliceView        *self,
             GtkSnapshot           *snapshot,
             const gchar           *text,
             gdouble                cx,
             gdouble                cy)
{
  g_autoptr(PangoLayout) layout = NULL;
  PangoRectangle ink;
  const GdkRGBA shadow = { 0.0f, 0.0f, 0.0f, 0.85f };
  const GdkRGBA colour = { 0.98f, 0.86f, 0.36f, 1.0f };

  if (text == NULL || *text == '\0')
    return;

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  pango_layout_get_pixel_extents (layout, NULL, &ink);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT ((gfloat) (cx - ink.width / 2.0 - ink.x + 1),
                                                (gfloat) (cy - ink.height / 2.0 - ink.y + 1)));
  gtk_snapshot_append_layout (snapshot, layout, &shadow);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-1, -1));
  gtk_snapshot_append_layout (snapshot, layout, &colour);
  gtk_snapshot_restore (snapshot);
}

static void
fidac_slice_view_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  FidacSliceView *self = FIDAC_SLICE_VIEW (widget);
  gdouble width = gtk_widget_get_width (widget);
  gdouble height = gtk_widget_get_height (widget);
  const GdkRGBA black = { 0.0f, 0.0f, 0.0f, 1.0f };
  graphene_rect_t rect;

  gtk_snapshot_append_color (snapshot, &black,
                             &GRAPHENE_RECT_INIT (0, 0, (gfloat) width, (gfloat) height));

  if (!image_rect (self, &rect))
    return;

  gtk_snapshot_append_texture (snapshot, self->texture, &rect);

  draw_letter (self, snapshot, self->letters[EDGE_LEFT],
               rect.origin.x - 14, rect.origin.y + rect.size.height / 2);
  draw_letter (self, snapshot, self->letters[EDGE_RIGHT],
               rect.origin.x + rect.size.width + 14, rect.origin.y + rect.size.height / 2);
  draw_letter (self, snapshot, self->letters[EDGE_TOP],
               rect.origin.x + rect.size.width / 2, rect.origin.y - 14);
  draw_letter (self, snapshot, self->letters[EDGE_BOTTOM],
               rect.origin.x + rect.size.width / 2, rect.origin.y + rect.size.height + 14);
}

static void
fidac_slice_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  *minimum = 128;
  *natural = 512;
}

static void
fidac_slice_view_finalize (GObject *object)
{
  FidacSliceView *self = FIDAC_SLICE_VIEW (object);

  g_clear_object (&self->texture);
  for (guint e = 0; e < N_EDGES; e++)
    g_free (self->letters[e]);

  G_OBJECT_CLASS (fidac_slice_view_parent_class)->finalize (object);
}

static void
fidac_slice_view_class_init (FidacSliceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fidac_slice_view_finalize;
  widget_class->snapshot = fidac_slice_view_snapshot;
  widget_class->measure = fidac_slice_view_measure;
  gtk_widget_class_set_css_name (widget_class, "fidac-slice-view");
}

static void
fidac_slice_view_init (FidacSliceView *self)
{
  self->spacing_x = 1.0;
  self->spacing_y = 1.0;
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

GtkWidget *
fidac_slice_view_new (void)
{
  return g_object_new (FIDAC_TYPE_SLICE_VIEW, NULL);
}

void
fidac_slice_view_set_image (FidacSliceView *self,
                            GdkTexture     *texture,
                            gdouble         spacing_x,
                            gdouble         spacing_y)
{
  g_return_if_fail (FIDAC_IS_SLICE_VIEW (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  g_set_object (&self->texture, texture);
  /* A header without a usable spacing must not give a zero-sized or inverted image. */
  self->spacing_x = spacing_x > 0.0 ? spacing_x : 1.0;
  self->spacing_y = spacing_y > 0.0 ? spacing_y : 1.0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GdkTexture *
fidac_slice_view_get_texture (FidacSliceView *self)
{
  g_return_val_if_fail (FIDAC_IS_SLICE_VIEW (self), NULL);

  return self->texture;
}

void
fidac_slice_view_set_letters (FidacSliceView *self,
                              const gchar    *left,
                              const gchar    *right,
                              const gchar    *top,
                              const gchar    *bottom)
{
  const gchar *letters[N_EDGES] = { left, right, top, bottom };

  g_return_if_fail (FIDAC_IS_SLICE_VIEW (self));

  for (guint e = 0; e < N_EDGES; e++)
    {
      g_free (self->letters[e]);
      self->letters[e] = g_strdup (letters[e]);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fidac_slice_view_get_letters (FidacSliceView *self,
                              const gchar   **left,
                              const gchar   **right,
                              const gchar   **top,
                              const gchar   **bottom)
{
  g_return_if_fail (FIDAC_IS_SLICE_VIEW (self));

  *left = self->letters[EDGE_LEFT];
  *right = self->letters[EDGE_RIGHT];
  *top = self->letters[EDGE_TOP];
  *bottom = self->letters[EDGE_BOTTOM];
}
