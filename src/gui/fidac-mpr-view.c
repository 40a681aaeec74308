/* fidac-mpr-view.c: one MPR view, drawn with GL or, when GL is not available, with the CPU
 * reslicer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <epoxy/gl.h>

#include "fidac-mpr-view-private.h"

enum {
  PROP_0,
  PROP_VIEWER,
  PROP_VIEW,
  N_PROPS
};

enum {
  SIGNAL_TOGGLE_MAXIMIZED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FidacMprView, fidac_mpr_view, GTK_TYPE_GL_AREA)

void
fidac_mpr_view_device_size (FidacMprView *self,
                            gint         *width,
                            gint         *height)
{
  gint scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  *width = gtk_widget_get_width (GTK_WIDGET (self)) * scale;
  *height = gtk_widget_get_height (GTK_WIDGET (self)) * scale;
}

void
fidac_mpr_view_emit_toggle_maximized (FidacMprView *self)
{
  g_signal_emit (self, signals[SIGNAL_TOGGLE_MAXIMIZED], 0);
}

/* Once per reason and process: three views falling back for the same reason say it once. */
static void
log_fallback (const gchar *reason)
{
  static GHashTable *logged = NULL;

  if (logged == NULL)
    logged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (g_hash_table_contains (logged, reason))
    return;
  g_hash_table_add (logged, g_strdup (reason));
  g_message (_("Drawing the views without OpenGL, more slowly: %s"), reason);
}

/* For good: no context, or no program. */
static void
fall_back (FidacMprView *self,
           const gchar  *reason)
{
  if (self->fallback)
    return;
  self->fallback = TRUE;
  g_free (self->fallback_reason);
  self->fallback_reason = g_strdup (reason);
  self->cpu_dirty = TRUE;
  log_fallback (reason);
}

/* For this volume only (the driver cannot hold it): the next case tries GL again. */
static void
fall_back_for_volume (FidacMprView *self,
                      const gchar  *reason)
{
  if (self->fallback || self->volume_fallback)
    return;
  self->volume_fallback = TRUE;
  g_free (self->fallback_reason);
  self->fallback_reason = g_strdup (reason);
  self->cpu_dirty = TRUE;
  log_fallback (reason);
}

static gboolean
drawing_with_cpu (FidacMprView *self)
{
  return self->fallback || self->volume_fallback;
}

static gboolean
cairo_requested (void)
{
  return g_strcmp0 (g_getenv ("FIDAC_RENDERER"), "cairo") == 0;
}

/* Asked for, the CPU path is taken without creating a context at all: a broken driver
 * cannot then take the program down, and the path is the one a display without GL takes. */
static GdkGLContext *
fidac_mpr_view_create_context (GtkGLArea *area)
{
  if (cairo_requested ())
    {
      g_autoptr(GError) error = g_error_new_literal (GDK_GL_ERROR, GDK_GL_ERROR_NOT_AVAILABLE,
                                                     _("FIDAC_RENDERER=cairo asks for the CPU renderer"));

      gtk_gl_area_set_error (area, error);
      return NULL;
    }
  return GTK_GL_AREA_CLASS (fidac_mpr_view_parent_class)->create_context (area);
}

static void
fidac_mpr_view_realize (GtkWidget *widget)
{
  FidacMprView *self = FIDAC_MPR_VIEW (widget);
  GtkGLArea *area = GTK_GL_AREA (widget);
  g_autoptr(GError) error = NULL;

  GTK_WIDGET_CLASS (fidac_mpr_view_parent_class)->realize (widget);

  if (self->fallback)
    return;

  if (gtk_gl_area_get_error (area) != NULL)
    {
      fall_back (self, gtk_gl_area_get_error (area)->message);
      return;
    }
  gtk_gl_area_make_current (area);
  if (gtk_gl_area_get_error (area) != NULL)
    {
      fall_back (self, gtk_gl_area_get_error (area)->message);
      return;
    }

  self->renderer = fidac_mpr_renderer_new (&error);
  if (self->renderer == NULL)
    fall_back (self, error->message);
}

static void
fidac_mpr_view_unrealize (GtkWidget *widget)
{
  FidacMprView *self = FIDAC_MPR_VIEW (widget);
  GtkGLArea *area = GTK_GL_AREA (widget);

  if (self->renderer != NULL)
    {
      gtk_gl_area_make_current (area);
      if (gtk_gl_area_get_error (area) == NULL)
        g_clear_pointer (&self->renderer, fidac_mpr_renderer_free);
      else
        self->renderer = NULL;   /* the context is gone, and its objects with it */
    }
  if (self->overlay != NULL)
    {
      gtk_gl_area_make_current (area);
      if (gtk_gl_area_get_error (area) == NULL)
        g_clear_pointer (&self->overlay, fidac_label_overlay_free);
      else
        self->overlay = NULL;
    }
  g_clear_object (&self->cpu_texture);
  self->cpu_dirty = TRUE;

  GTK_WIDGET_CLASS (fidac_mpr_view_parent_class)->unrealize (widget);
}

static void
fill_params (FidacMprView   *self,
             const FidacMpr *mpr,
             gint            width,
             gint            height,
             FidacMprParams *params)
{
  fidac_mpr_params_init (params);
  fidac_mpr_get_plane (mpr, self->view, width, height, &params->plane);
  params->window_width = mpr->window_width;
  params->window_level = mpr->window_level;
  params->invert = mpr->invert;
  params->reslice = mpr->reslice;
}

static void
capture_framebuffer (FidacMprView         *self,
                     const FidacMprParams *params)
{
  gint w = params->plane.width, h = params->plane.height;
  g_autofree guint8 *rgba = g_malloc ((gsize) w * h * 4);

  g_free (self->capture);
  self->capture = g_malloc ((gsize) w * h);
  glPixelStorei (GL_PACK_ALIGNMENT, 1);
  glReadPixels (0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  /* Framebuffer row 0 is the bottom of the screen. */
  for (gint v = 0; v < h; v++)
    for (gint u = 0; u < w; u++)
      self->capture[(gsize) v * w + u] = rgba[((gsize) (h - 1 - v) * w + u) * 4];
  self->capture_plane = params->plane;
  self->capture_requested = FALSE;
}

/* The labels over the image just drawn, one pass per opacity in use (the classes cover
 * distinct pixels, so the passes add up to one with per-class opacities). FALSE when the
 * CPU must draw them instead. */
static gboolean
draw_gl_labels (FidacMprView         *self,
                const FidacMprParams *params)
{
  g_autoptr(GError) error = NULL;
  FidacGLLabels *labels;
  guint32 done = 0;

  if (self->labels_gl_failed)
    return FALSE;
  if (!fidac_annotation_has_labels (self->annotation))
    return TRUE;
  if (self->overlay == NULL)
    self->overlay = fidac_label_overlay_new (&error);
  labels = self->overlay != NULL ? fidac_annotation_ensure_gl_labels (self->annotation, &error) : NULL;
  for (guint id = 1; labels != NULL && id < FIDAC_LABEL_MAX_CLASSES; id++)
    {
      const FidacLesionClass *lesion = fidac_lesion_get (id);
      FidacOverlayStyle style;
      gdouble opacity;

      if (lesion == NULL || (done & (1u << id)) || !fidac_annotation_get_visible (self->annotation, id))
        continue;
      opacity = fidac_annotation_get_opacity (self->annotation, id);
      fidac_overlay_style_init (&style);
      style.mode = fidac_annotation_get_overlay_mode (self->annotation);
      style.opacity = opacity;
      style.visible = 0;
      for (guint other = id; other < FIDAC_LABEL_MAX_CLASSES; other++)
        {
          const FidacLesionClass *o = fidac_lesion_get (other);

          if (o == NULL || !fidac_annotation_get_visible (self->annotation, other) ||
              fidac_annotation_get_opacity (self->annotation, other) != opacity)
            continue;
          style.visible |= 1u << other;
          memcpy (style.colors[other], o->rgb, 3);
        }
      done |= style.visible;
      if (opacity > 0.0 && !fidac_label_overlay_draw (self->overlay, labels, params, &style, &error))
        labels = NULL;
    }
  if (error != NULL)
    {
      /* The image stays in GL; only the labels go to the CPU. */
      g_warning (_("Drawing the labels without OpenGL: %s"), error->message);
      self->labels_gl_failed = TRUE;
      return FALSE;
    }
  return TRUE;
}

static gboolean
fidac_mpr_view_render (GtkGLArea    *area,
                       GdkGLContext *context)
{
  FidacMprView *self = FIDAC_MPR_VIEW (area);
  const FidacMpr *mpr = fidac_viewer_get_mpr (self->viewer);
  g_autoptr(GError) error = NULL;
  FidacGLVolume *gl_volume;
  FidacMprParams params;
  gint width, height;

  glClearColor (0.0f, 0.0f, 0.0f, 1.0f);
  glClear (GL_COLOR_BUFFER_BIT);
  fidac_mpr_view_device_size (self, &width, &height);
  if (drawing_with_cpu (self) || self->renderer == NULL || mpr == NULL || width <= 0 || height <= 0)
    return TRUE;

  gl_volume = fidac_viewer_ensure_gl_volume (self->viewer, &error);
  if (gl_volume == NULL)
    {
      fall_back_for_volume (self, error->message);
      return TRUE;
    }

  fill_params (self, mpr, width, height, &params);
  if (!fidac_mpr_renderer_draw (self->renderer, gl_volume, &params, &error))
    {
      fall_back (self, error->message);
      return TRUE;
    }
  if (self->capture_requested)
    capture_framebuffer (self, &params);
  self->labels_in_gl = draw_gl_labels (self, &params);
  self->n_frames++;
  return TRUE;
}

/* The CPU image of the current plane, recomputed only when the viewer changed or the size
 * did. */
static GdkTexture *
cpu_texture (FidacMprView *self,
             gint          width,
             gint          height)
{
  const FidacMpr *mpr = fidac_viewer_get_mpr (self->viewer);
  g_autoptr(GError) error = NULL;
  g_autofree gfloat *hu = NULL;
  g_autofree guint8 *gray = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint8 *rgb;
  gsize n = (gsize) width * height;
  FidacPlane plane;

  if (mpr == NULL)
    {
      g_clear_object (&self->cpu_texture);
      return NULL;
    }
  if (!self->cpu_dirty && self->cpu_texture != NULL &&
      self->cpu_width == width && self->cpu_height == height && !self->capture_requested)
    return self->cpu_texture;

  g_clear_object (&self->cpu_texture);
  fidac_mpr_get_plane (mpr, self->view, width, height, &plane);
  hu = g_new (gfloat, n);
  if (!fidac_reslice (mpr->volume, &plane, &mpr->reslice, hu, &error))
    {
      g_warning ("%s", error->message);
      return NULL;
    }
  gray = g_malloc (n);
  fidac_reslice_window (hu, n, mpr->window_width, mpr->window_level, mpr->invert, gray);

  rgb = g_malloc (n * 3);
  for (gsize i = 0; i < n; i++)
    rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = gray[i];
  bytes = g_bytes_new_take (rgb, n * 3);
  self->cpu_texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes,
                                              (gsize) width * 3);
  self->cpu_width = width;
  self->cpu_height = height;
  self->cpu_dirty = FALSE;
  self->n_frames++;

  if (self->capture_requested)
    {
      g_free (self->capture);
      self->capture = g_steal_pointer (&gray);
      self->capture_plane = plane;
      self->capture_requested = FALSE;
    }
  return self->cpu_texture;
}

static void
snapshot_cpu (FidacMprView *self,
              GtkSnapshot  *snapshot)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gint width, height;
  GdkTexture *texture;

  fidac_mpr_view_device_size (self, &width, &height);
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.0f, 0.0f, 0.0f, 1.0f },
                             &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                  gtk_widget_get_height (widget)));
  if (width <= 0 || height <= 0)
    return;
  texture = cpu_texture (self, width, height);
  if (texture != NULL)
    gtk_snapshot_append_texture (snapshot, texture,
                                 &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                      gtk_widget_get_height (widget)));
}

static void
fidac_mpr_view_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  FidacMprView *self = FIDAC_MPR_VIEW (widget);

  if (drawing_with_cpu (self))
    snapshot_cpu (self, snapshot);
  else
    {
      GTK_WIDGET_CLASS (fidac_mpr_view_parent_class)->snapshot (widget, snapshot);
      /* The render just failed and fell back: the CPU image covers whatever GL left. */
      if (drawing_with_cpu (self))
        snapshot_cpu (self, snapshot);
    }
  fidac_mpr_view_snapshot_overlays (self, snapshot);
}

static void
viewer_changed_cb (FidacViewer  *viewer,
                   guint         changes,
                   gint          view,
                   FidacMprView *self)
{
  /* Another view's zoom or pan changes nothing here. */
  if (changes == FIDAC_VIEWER_CHANGED_VIEW && view != (gint) self->view)
    return;
  self->cpu_dirty = TRUE;
  if ((changes & FIDAC_VIEWER_CHANGED_VOLUME) && self->volume_fallback)
    {
      self->volume_fallback = FALSE;
      g_clear_pointer (&self->fallback_reason, g_free);
    }
  /* auto-render is on: a redraw renders again. */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
annotation_changed_cb (FidacAnnotation *annotation,
                       guint            changes,
                       gint             k0,
                       gint             k1,
                       FidacMprView    *self)
{
  if (changes & (FIDAC_ANNOTATION_CHANGED_LABELS | FIDAC_ANNOTATION_CHANGED_MAP |
                 FIDAC_ANNOTATION_CHANGED_DISPLAY))
    self->labels_dirty = TRUE;
  /* Settings: the footprint under the pointer. */
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Redrawn only when the outline to draw is not the one drawn (the mask came or went, or
 * the outline was switched): the figures change at every stroke and the progress many
 * times a second, which the views do not show. */
static void
quantification_changed_cb (FidacMprView *self)
{
  FidacLabelMap *lungs = NULL;

  if (fidac_quantification_get_show_lungs (self->quantification))
    lungs = fidac_quantification_get_lungs (self->quantification);
  if (lungs != self->lung_map)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
fidac_mpr_view_constructed (GObject *object)
{
  FidacMprView *self = FIDAC_MPR_VIEW (object);

  G_OBJECT_CLASS (fidac_mpr_view_parent_class)->constructed (object);

  g_return_if_fail (self->viewer != NULL);
  /* Every view draws whatever changed anywhere: the crosshair lines and the other views'
   * slices move together. */
  self->changed_id = g_signal_connect (self->viewer, "changed",
                                       G_CALLBACK (viewer_changed_cb), self);
  self->annotation = g_object_ref (fidac_viewer_get_annotation (self->viewer));
  self->annotation_changed_id = g_signal_connect (self->annotation, "changed",
                                                  G_CALLBACK (annotation_changed_cb), self);
  self->quantification = g_object_ref (fidac_viewer_get_quantification (self->viewer));
  self->quantification_changed_id = g_signal_connect_swapped (self->quantification, "changed",
                                                              G_CALLBACK (quantification_changed_cb), self);
  self->show_lungs_id = g_signal_connect_swapped (self->quantification, "notify::show-lungs",
                                                  G_CALLBACK (quantification_changed_cb), self);
}

static void
fidac_mpr_view_dispose (GObject *object)
{
  FidacMprView *self = FIDAC_MPR_VIEW (object);

  if (self->viewer != NULL)
    g_clear_signal_handler (&self->changed_id, self->viewer);
  g_clear_object (&self->viewer);
  g_clear_object (&self->cpu_texture);
  if (self->annotation != NULL)
    {
      if (self->painting)
        fidac_annotation_stroke_end (self->annotation);
      self->painting = FALSE;
      g_clear_signal_handler (&self->annotation_changed_id, self->annotation);
    }
  g_clear_object (&self->annotation);
  g_clear_object (&self->label_texture);
  if (self->quantification != NULL)
    {
      g_clear_signal_handler (&self->quantification_changed_id, self->quantification);
      g_clear_signal_handler (&self->show_lungs_id, self->quantification);
    }
  g_clear_object (&self->quantification);
  g_clear_pointer (&self->lung_map, fidac_label_map_unref);
  g_clear_object (&self->lung_texture);

  G_OBJECT_CLASS (fidac_mpr_view_parent_class)->dispose (object);
}

static void
fidac_mpr_view_finalize (GObject *object)
{
  FidacMprView *self = FIDAC_MPR_VIEW (object);

  g_free (self->fallback_reason);
  g_free (self->capture);
  g_free (self->label_ids);
  g_free (self->lung_ids);
  g_clear_pointer (&self->lasso, g_array_unref);
  for (guint i = 0; i < FIDAC_MPR_VIEW_N_TEXTS; i++)
    g_free (self->texts[i]);

  G_OBJECT_CLASS (fidac_mpr_view_parent_class)->finalize (object);
}

static void
fidac_mpr_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FidacMprView *self = FIDAC_MPR_VIEW (object);

  switch (prop_id)
    {
    case PROP_VIEWER:
      g_value_set_object (value, self->viewer);
      break;
    case PROP_VIEW:
      g_value_set_int (value, self->view);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fidac_mpr_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FidacMprView *self = FIDAC_MPR_VIEW (object);

  switch (prop_id)
    {
    case PROP_VIEWER:
      self->viewer = g_value_dup_object (value);
      break;
    case PROP_VIEW:
      self->view = (FidacView) g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fidac_mpr_view_class_init (FidacMprViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkGLAreaClass *area_class = GTK_GL_AREA_CLASS (klass);

  object_class->constructed = fidac_mpr_view_constructed;
  object_class->dispose = fidac_mpr_view_dispose;
  object_class->finalize = fidac_mpr_view_finalize;
  object_class->get_property = fidac_mpr_view_get_property;
  object_class->set_property = fidac_mpr_view_set_property;

  widget_class->realize = fidac_mpr_view_realize;
  widget_class->unrealize = fidac_mpr_view_unrealize;
  widget_class->snapshot = fidac_mpr_view_snapshot;

  area_class->render = fidac_mpr_view_render;
  area_class->create_context = fidac_mpr_view_create_context;

  properties[PROP_VIEWER] =
    g_param_spec_object ("viewer", NULL, NULL, FIDAC_TYPE_VIEWER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEW] =
    g_param_spec_int ("view", NULL, NULL, FIDAC_VIEW_AXIAL, FIDAC_N_VIEWS - 1, FIDAC_VIEW_AXIAL,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_TOGGLE_MAXIMIZED] =
    g_signal_new ("toggle-maximized", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "fidac-mpr-view");
}

static void
fidac_mpr_view_init (FidacMprView *self)
{
  GtkGLArea *area = GTK_GL_AREA (self);

  self->cpu_dirty = TRUE;
  self->labels_dirty = TRUE;
  /* The shaders are GLSL 3.30 core: never GLES. */
#if GTK_CHECK_VERSION (4, 12, 0)
  gtk_gl_area_set_allowed_apis (area, GDK_GL_API_GL);
#else
  gtk_gl_area_set_use_es (area, FALSE);
#endif
  gtk_gl_area_set_required_version (area, 3, 3);
  gtk_gl_area_set_has_depth_buffer (area, FALSE);
  gtk_gl_area_set_has_stencil_buffer (area, FALSE);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  fidac_mpr_view_setup_input (self);
}

GtkWidget *
fidac_mpr_view_new (FidacViewer *viewer,
                    FidacView    view)
{
  g_return_val_if_fail (FIDAC_IS_VIEWER (viewer), NULL);
  g_return_val_if_fail (view >= FIDAC_VIEW_AXIAL && view < FIDAC_N_VIEWS, NULL);

  return g_object_new (FIDAC_TYPE_MPR_VIEW, "viewer", viewer, "view", (gint) view, NULL);
}

FidacView
fidac_mpr_view_get_view (FidacMprView *self)
{
  g_return_val_if_fail (FIDAC_IS_MPR_VIEW (self), FIDAC_VIEW_AXIAL);
  return self->view;
}

FidacViewer *
fidac_mpr_view_get_viewer (FidacMprView *self)
{
  g_return_val_if_fail (FIDAC_IS_MPR_VIEW (self), NULL);
  return self->viewer;
}

gboolean
fidac_mpr_view_is_gl (FidacMprView *self)
{
  g_return_val_if_fail (FIDAC_IS_MPR_VIEW (self), FALSE);
  return !drawing_with_cpu (self);
}

/* ---- for tests ---- */

void
fidac_mpr_view_request_capture (FidacMprView *self)
{
  g_return_if_fail (FIDAC_IS_MPR_VIEW (self));
  g_clear_pointer (&self->capture, g_free);
  self->capture_requested = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const guint8 *
fidac_mpr_view_get_capture (FidacMprView *self,
                            FidacPlane   *plane)
{
  g_return_val_if_fail (FIDAC_IS_MPR_VIEW (self), NULL);
  if (self->capture != NULL && plane != NULL)
    *plane = self->capture_plane;
  return self->capture;
}

guint
fidac_mpr_view_get_n_frames (FidacMprView *self)
{
  g_return_val_if_fail (FIDAC_IS_MPR_VIEW (self), 0);
  return self->n_frames;
}

const gchar *
fidac_mpr_view_get_fallback_reason (FidacMprView *self)
{
  g_return_val_if_fail (FIDAC_IS_MPR_VIEW (self), NULL);
  return self->fallback_reason;
}
