/* fidac-viewer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "fidac-viewer.h"
#include "fidac-window-level.h"

struct _FidacViewer
{
  GObject        parent_instance;

  FidacMpr      *mpr;             /* NULL without a volume */
  GArray        *presets;         /* FidacViewerPreset */

  /* The texture lives in the context that was current when it was made (shared with every
   * view's); that context is kept so the texture can be deleted when the case changes. */
  FidacGLVolume *gl_volume;
  GdkGLContext  *gl_context;
  GError        *gl_error;        /* why the volume could not be uploaded, not retried */

  FidacAnnotation *annotation;    /* the labels painted on the volume shown */
  FidacQuantification *quantification;
};

G_DEFINE_FINAL_TYPE (FidacViewer, fidac_viewer, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
emit_changed (FidacViewer *self,
              guint        changes,
              FidacView    view)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, changes, (gint) view);
}

static void
preset_clear (gpointer data)
{
  FidacViewerPreset *preset = data;

  g_clear_pointer (&preset->name, g_free);
}

static void
add_preset (FidacViewer *self,
            gchar       *name,
            gdouble      width,
            gdouble      level)
{
  FidacViewerPreset preset = { name, width, level };

  g_array_append_val (self->presets, preset);
}

static void
fill_presets (FidacViewer *self)
{
  FidacVolume *volume = self->mpr != NULL ? self->mpr->volume : NULL;

  g_array_set_size (self->presets, 0);
  add_preset (self, g_strdup (_("Lung")), FIDAC_WINDOW_LUNG_WIDTH, FIDAC_WINDOW_LUNG_LEVEL);
  add_preset (self, g_strdup (_("Mediastinum")),
              FIDAC_WINDOW_MEDIASTINUM_WIDTH, FIDAC_WINDOW_MEDIASTINUM_LEVEL);
  add_preset (self, g_strdup (_("Bone")), FIDAC_WINDOW_BONE_WIDTH, FIDAC_WINDOW_BONE_LEVEL);
  if (volume == NULL || volume->windows == NULL)
    return;
  for (guint i = 0; i < volume->windows->len; i++)
    {
      const FidacWindowPreset *w = &g_array_index (volume->windows, FidacWindowPreset, i);
      gchar *name;

      if (!(w->width >= 1.0) || !isfinite (w->center))
        continue;
      if (w->explanation != NULL && w->explanation[0] != '\0')
        /* TRANSLATORS: a window stored in the DICOM header: its explanation, width, level */
        name = g_strdup_printf (_("%s (W %g L %g)"), w->explanation, w->width, w->center);
      else
        /* TRANSLATORS: a window stored in the DICOM header without a name */
        name = g_strdup_printf (_("Header window %u (W %g L %g)"), i + 1, w->width, w->center);
      add_preset (self, name, w->width, w->center);
    }
}

/* Deletes the texture in the context it was made in; without one the texture goes with the
 * contexts sharing it. */
static void
drop_gl_volume (FidacViewer *self)
{
  if (self->gl_volume != NULL)
    {
      if (self->gl_context != NULL)
        {
          GdkGLContext *previous = gdk_gl_context_get_current ();

          gdk_gl_context_make_current (self->gl_context);
          fidac_gl_volume_release (self->gl_volume);
          if (previous != NULL && previous != self->gl_context)
            gdk_gl_context_make_current (previous);
        }
      g_clear_pointer (&self->gl_volume, fidac_gl_volume_unref);
    }
  g_clear_object (&self->gl_context);
  g_clear_error (&self->gl_error);
}

static void
fidac_viewer_dispose (GObject *object)
{
  FidacViewer *self = FIDAC_VIEWER (object);

  drop_gl_volume (self);
  g_clear_object (&self->quantification);
  g_clear_object (&self->annotation);
  G_OBJECT_CLASS (fidac_viewer_parent_class)->dispose (object);
}

static void
fidac_viewer_finalize (GObject *object)
{
  FidacViewer *self = FIDAC_VIEWER (object);

  g_clear_pointer (&self->mpr, fidac_mpr_free);
  g_clear_pointer (&self->presets, g_array_unref);
  G_OBJECT_CLASS (fidac_viewer_parent_class)->finalize (object);
}

static void
fidac_viewer_class_init (FidacViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fidac_viewer_dispose;
  object_class->finalize = fidac_viewer_finalize;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_INT);
}

static void
fidac_viewer_init (FidacViewer *self)
{
  self->presets = g_array_new (FALSE, TRUE, sizeof (FidacViewerPreset));
  g_array_set_clear_func (self->presets, preset_clear);
  fill_presets (self);
  self->annotation = fidac_annotation_new ();
  self->quantification = fidac_quantification_new (self->annotation);
}

FidacViewer *
fidac_viewer_new (void)
{
  return g_object_new (FIDAC_TYPE_VIEWER, NULL);
}

void
fidac_viewer_set_volume (FidacViewer *self,
                         FidacVolume *volume)
{
  g_return_if_fail (FIDAC_IS_VIEWER (self));

  if (self->mpr != NULL && self->mpr->volume == volume)
    return;
  /* First, while the previous volume is still alive: the annotation borrows it. */
  if (self->annotation != NULL)
    {
      g_autoptr(GError) error = NULL;

      /* Short of memory for the labels, the case is still shown, without painting. */
      if (!fidac_annotation_set_volume (self->annotation, volume, &error))
        g_warning ("%s", error->message);
    }
  drop_gl_volume (self);
  g_clear_pointer (&self->mpr, fidac_mpr_free);
  if (volume != NULL)
    self->mpr = fidac_mpr_new (volume);
  fill_presets (self);
  emit_changed (self, FIDAC_VIEWER_CHANGED_VOLUME | FIDAC_VIEWER_CHANGED_CROSSHAIR |
                FIDAC_VIEWER_CHANGED_WINDOW | FIDAC_VIEWER_CHANGED_RESLICE, FIDAC_N_VIEWS);
}

FidacVolume *
fidac_viewer_get_volume (FidacViewer *self)
{
  g_return_val_if_fail (FIDAC_IS_VIEWER (self), NULL);

  return self->mpr != NULL ? self->mpr->volume : NULL;
}

FidacAnnotation *
fidac_viewer_get_annotation (FidacViewer *self)
{
  g_return_val_if_fail (FIDAC_IS_VIEWER (self), NULL);

  return self->annotation;
}

FidacQuantification *
fidac_viewer_get_quantification (FidacViewer *self)
{
  g_return_val_if_fail (FIDAC_IS_VIEWER (self), NULL);

  return self->quantification;
}

const FidacMpr *
fidac_viewer_get_mpr (FidacViewer *self)
{
  g_return_val_if_fail (FIDAC_IS_VIEWER (self), NULL);

  return self->mpr;
}

FidacGLVolume *
fidac_viewer_ensure_gl_volume (FidacViewer  *self,
                               GError      **error)
{
  GdkGLContext *current;

  g_return_val_if_fail (FIDAC_IS_VIEWER (self), NULL);

  if (self->gl_volume != NULL)
    return self->gl_volume;
  if (self->gl_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->gl_error));
      return NULL;
    }
  if (self->mpr == NULL)
    {
      g_set_error_literal (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                           _("No volume is loaded"));
      return NULL;
    }
  current = gdk_gl_context_get_current ();
  if (current == NULL)
    {
      g_set_error_literal (error, FIDAC_RENDER_ERROR, FIDAC_RENDER_ERROR_FAILED,
                           _("No OpenGL context is current"));
      return NULL;
    }
  self->gl_volume = fidac_gl_volume_new (self->mpr->volume, &self->gl_error);
  if (self->gl_volume == NULL)
    {
      g_propagate_error (error, g_error_copy (self->gl_error));
      return NULL;
    }
  self->gl_context = g_object_ref (current);
  return self->gl_volume;
}

void
fidac_viewer_set_crosshair (FidacViewer   *self,
                            const gdouble  patient[3])
{
  g_return_if_fail (FIDAC_IS_VIEWER (self));

  if (self->mpr == NULL)
    return;
  if (memcmp (self->mpr->crosshair, patient, sizeof (gdouble) * 3) == 0)
    return;
  memcpy (self->mpr->crosshair, patient, sizeof (gdouble) * 3);
  emit_changed (self, FIDAC_VIEWER_CHANGED_CROSSHAIR, FIDAC_N_VIEWS);
}

void
fidac_viewer_set_crosshair_screen (FidacViewer *self,
                                   FidacView    view,
                                   gint         width,
                                   gint         height,
                                   gdouble      x,
                                   gdouble      y)
{
  gdouble before[3];

  g_return_if_fail (FIDAC_IS_VIEWER (self));

  if (self->mpr == NULL)
    return;
  memcpy (before, self->mpr->crosshair, sizeof before);
  fidac_mpr_set_crosshair_screen (self->mpr, view, width, height, x, y);
  if (memcmp (before, self->mpr->crosshair, sizeof before) != 0)
    emit_changed (self, FIDAC_VIEWER_CHANGED_CROSSHAIR, FIDAC_N_VIEWS);
}

gboolean
fidac_viewer_scroll (FidacViewer *self,
                     FidacView    view,
                     gint         delta)
{
  g_return_val_if_fail (FIDAC_IS_VIEWER (self), FALSE);

  if (self->mpr == NULL || !fidac_mpr_scroll (self->mpr, view, delta))
    return FALSE;
  emit_changed (self, FIDAC_VIEWER_CHANGED_CROSSHAIR, FIDAC_N_VIEWS);
  return TRUE;
}

void
fidac_viewer_set_slice (FidacViewer *self,
                        FidacView    view,
                        gint         index)
{
  gdouble before[3];

  g_return_if_fail (FIDAC_IS_VIEWER (self));

  if (self->mpr == NULL)
    return;
  memcpy (before, self->mpr->crosshair, sizeof before);
  fidac_mpr_set_slice (self->mpr, view, index);
  if (memcmp (before, self->mpr->crosshair, sizeof before) != 0)
    emit_changed (self, FIDAC_VIEWER_CHANGED_CROSSHAIR, FIDAC_N_VIEWS);
}

void
fidac_viewer_zoom_at (FidacViewer *self,
                      FidacView    view,
                      gint         width,
                      gint         height,
                      gdouble      x,
                      gdouble      y,
                      gdouble      factor)
{
  g_return_if_fail (FIDAC_IS_VIEWER (self));

  if (self->mpr == NULL)
    return;
  fidac_mpr_zoom_at (self->mpr, view, width, height, x, y, factor);
  emit_changed (self, FIDAC_VIEWER_CHANGED_VIEW, view);
}

void
fidac_viewer_pan (FidacViewer *self,
                  FidacView    view,
                  gint         width,
                  gint         height,
                  gdouble      dx,
                  gdouble      dy)
{
  g_return_if_fail (FIDAC_IS_VIEWER (self));

  if (self->mpr == NULL)
    return;
  fidac_mpr_pan (self->mpr, view, width, height, dx, dy);
  emit_changed (self, FIDAC_VIEWER_CHANGED_VIEW, view);
}

void
fidac_viewer_reset_view (FidacViewer *self,
                         FidacView    view)
{
  g_return_if_fail (FIDAC_IS_VIEWER (self));

  if (self->mpr == NULL)
    return;
  fidac_mpr_reset_view (self->mpr, view);
  emit_changed (self, FIDAC_VIEWER_CHANGED_VIEW, view);
}

void
fidac_viewer_set_window (FidacViewer *self,
                         gdouble      width,
                         gdouble      level)
{
  g_return_if_fail (FIDAC_IS_VIEWER (self));
  g_return_if_fail (isfinite (width) && isfinite (level));

  if (self->mpr == NULL)
    return;
  width = MAX (width, 1.0);
  if (self->mpr->window_width == width && self->mpr->window_level == level)
    return;
  self->mpr->window_width = width;
  self->mpr->window_level = level;
  emit_changed (self, FIDAC_VIEWER_CHANGED_WINDOW, FIDAC_N_VIEWS);
}

void
fidac_viewer_set_invert (FidacViewer *self,
                         gboolean     invert)
{
  g_return_if_fail (FIDAC_IS_VIEWER (self));

  if (self->mpr == NULL || self->mpr->invert == !!invert)
    return;
  self->mpr->invert = !!invert;
  emit_changed (self, FIDAC_VIEWER_CHANGED_WINDOW, FIDAC_N_VIEWS);
}

void
fidac_viewer_set_interpolation (FidacViewer        *self,
                                FidacInterpolation  interpolation)
{
  g_return_if_fail (FIDAC_IS_VIEWER (self));
  g_return_if_fail (interpolation == FIDAC_INTERPOLATION_NEAREST ||
                    interpolation == FIDAC_INTERPOLATION_LINEAR);

  if (self->mpr == NULL || self->mpr->reslice.interpolation == interpolation)
    return;
  self->mpr->reslice.interpolation = interpolation;
  emit_changed (self, FIDAC_VIEWER_CHANGED_RESLICE, FIDAC_N_VIEWS);
}

void
fidac_viewer_set_slab (FidacViewer   *self,
                       FidacSlabMode  mode,
                       gdouble        slab_mm)
{
  g_return_if_fail (FIDAC_IS_VIEWER (self));
  g_return_if_fail (mode == FIDAC_SLAB_AVERAGE || mode == FIDAC_SLAB_MIP ||
                    mode == FIDAC_SLAB_MINIP);

  if (self->mpr == NULL)
    return;
  if (!(slab_mm > 0.0))
    slab_mm = 0.0;
  if (self->mpr->reslice.slab_mode == mode && self->mpr->reslice.slab_mm == slab_mm)
    return;
  self->mpr->reslice.slab_mode = mode;
  self->mpr->reslice.slab_mm = slab_mm;
  emit_changed (self, FIDAC_VIEWER_CHANGED_RESLICE, FIDAC_N_VIEWS);
}

GArray *
fidac_viewer_get_presets (FidacViewer *self)
{
  g_return_val_if_fail (FIDAC_IS_VIEWER (self), NULL);

  return self->presets;
}

gboolean
fidac_viewer_apply_preset (FidacViewer *self,
                           guint        index)
{
  const FidacViewerPreset *preset;

  g_return_val_if_fail (FIDAC_IS_VIEWER (self), FALSE);

  if (index >= self->presets->len)
    return FALSE;
  preset = &g_array_index (self->presets, FidacViewerPreset, index);
  fidac_viewer_set_window (self, preset->width, preset->level);
  return TRUE;
}
