/* fidac-mpr-view-input.c: the view's pointer and keys.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pointer positions arrive in widget logical pixels; the planes are in device pixels
 * (fidac_mpr_get_plane() gets the device size), so every position handed to the viewer is
 * multiplied by the scale factor. The window drag counts logical pixels: its speed should
 * not depend on the screen's density.
 *
 * Slice direction, as in 3D Slicer: the wheel turned away from the user, Page Up and the Up
 * arrow go to the next slice index (fidac_view_get_slices() order, +1: towards the head in
 * the axial view, posteriorly in the coronal one, towards the patient's right in the
 * sagittal one); the wheel towards the user, Page Down and Down go back. Shift: 10 slices.
 *
 * Painting is a mode: while the annotation holds a paint tool, a left drag paints (one
 * stroke, one undo step, press to release) instead of moving the crosshair, and Shift+wheel,
 * [ and ] change the brush size instead of stepping 10 slices.
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <math.h>

#include "fidac-mpr-view-private.h"

#define SHIFT_SLICES 10
#define ZOOM_PER_NOTCH 1.2

static gdouble
scale_of (FidacMprView *self)
{
  return gtk_widget_get_scale_factor (GTK_WIDGET (self));
}

/* A tool with a footprint whose size the wheel and the brackets change. */
static gboolean
has_brush (FidacMprView *self)
{
  FidacTool tool = fidac_annotation_get_tool (self->annotation);

  return tool == FIDAC_TOOL_BRUSH || tool == FIDAC_TOOL_ERASER;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           gdouble                   dx,
           gdouble                   dy,
           FidacMprView             *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  gint width, height;

  if (fidac_viewer_get_mpr (self->viewer) == NULL || dy == 0.0)
    return FALSE;
  fidac_mpr_view_device_size (self, &width, &height);

  if ((state & GDK_SHIFT_MASK) && !(state & GDK_CONTROL_MASK) && has_brush (self))
    {
      /* The wheel away from the user: larger. */
      fidac_annotation_set_diameter (self->annotation,
                                     fidac_annotation_get_diameter (self->annotation) -
                                     dy * FIDAC_ANNOTATION_DIAMETER_STEP);
      return TRUE;
    }
  if (state & GDK_CONTROL_MASK)
    {
      /* The scroll event's own position is in surface coordinates: the last motion is the
       * pointer in the widget's. */
      gdouble x = self->has_pointer ? self->pointer_x : gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      gdouble y = self->has_pointer ? self->pointer_y : gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

      fidac_viewer_zoom_at (self->viewer, self->view, width, height,
                            x * scale_of (self), y * scale_of (self), pow (ZOOM_PER_NOTCH, -dy));
    }
  else
    {
      gint delta = (gint) lround (-dy) * ((state & GDK_SHIFT_MASK) ? SHIFT_SLICES : 1);

      fidac_viewer_scroll (self->viewer, self->view, delta);
    }
  return TRUE;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                FidacMprView          *self)
{
  gint step = (state & GDK_SHIFT_MASK) ? SHIFT_SLICES : 1;

  if (fidac_viewer_get_mpr (self->viewer) == NULL)
    return FALSE;
  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK))
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      fidac_viewer_scroll (self->viewer, self->view, step);
      return TRUE;
    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      fidac_viewer_scroll (self->viewer, self->view, -step);
      return TRUE;
    case GDK_KEY_r:
    case GDK_KEY_R:
      fidac_viewer_reset_view (self->viewer, self->view);
      return TRUE;
    case GDK_KEY_bracketleft:
    case GDK_KEY_bracketright:
      if (!has_brush (self))
        return FALSE;
      fidac_annotation_set_diameter (self->annotation,
                                     fidac_annotation_get_diameter (self->annotation) +
                                     (keyval == GDK_KEY_bracketright ? 1 : -1) *
                                     FIDAC_ANNOTATION_DIAMETER_STEP);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
set_crosshair (FidacMprView *self,
               gdouble       x,
               gdouble       y)
{
  gint width, height;

  fidac_mpr_view_device_size (self, &width, &height);
  fidac_viewer_set_crosshair_screen (self->viewer, self->view, width, height,
                                     x * scale_of (self), y * scale_of (self));
}

/* The patient point under (x, y), logical pixels, as the crosshair would go there. */
static void
screen_to_patient (FidacMprView *self,
                   gdouble       x,
                   gdouble       y,
                   gdouble       patient[3])
{
  gint width, height;

  fidac_mpr_view_device_size (self, &width, &height);
  fidac_mpr_screen_to_patient (fidac_viewer_get_mpr (self->viewer), self->view, width, height,
                               x * scale_of (self), y * scale_of (self), patient);
}

/* The unit normal of this view's plane: what a brush, fill or lasso paints across. */
static void
view_normal (FidacMprView *self,
             gdouble       normal[3])
{
  FidacPlane plane;
  gint width, height;

  fidac_mpr_view_device_size (self, &width, &height);
  fidac_mpr_get_plane (fidac_viewer_get_mpr (self->viewer), self->view, width, height, &plane);
  fidac_plane_get_normal (&plane, normal);
}

static void
paint_begin (FidacMprView *self,
             gdouble       x,
             gdouble       y)
{
  g_autoptr(GError) error = NULL;
  gdouble normal[3], patient[3];

  view_normal (self, normal);
  screen_to_patient (self, x, y, patient);
  self->painting = fidac_annotation_stroke_begin (self->annotation, normal, patient, &error);
  if (!self->painting)
    g_warning ("%s", error->message);
}

static void
fill_at (FidacMprView *self,
         gdouble       x,
         gdouble       y)
{
  g_autoptr(GError) error = NULL;
  gdouble normal[3], patient[3];

  view_normal (self, normal);
  screen_to_patient (self, x, y, patient);
  /* A click beside the image is no mistake worth a warning. */
  if (!fidac_annotation_fill (self->annotation, normal, patient, NULL, &error))
    g_message ("%s", error->message);
}

/* The lasso's points, logical pixels; a point equal to the last one adds nothing. */
static void
lasso_add (FidacMprView *self,
           gdouble       x,
           gdouble       y,
           gboolean      first)
{
  guint n;

  if (self->lasso == NULL)
    self->lasso = g_array_new (FALSE, FALSE, sizeof (gdouble));
  if (first)
    g_array_set_size (self->lasso, 0);
  n = self->lasso->len;
  if (n >= 2 && g_array_index (self->lasso, gdouble, n - 2) == x &&
      g_array_index (self->lasso, gdouble, n - 1) == y)
    return;
  g_array_append_val (self->lasso, x);
  g_array_append_val (self->lasso, y);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Released: the outline, in patient space, filled. */
static void
lasso_end (FidacMprView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree gdouble *points = NULL;
  guint n = self->lasso->len / 2;
  gdouble normal[3];

  view_normal (self, normal);
  points = g_new (gdouble, 3 * (gsize) n);
  for (guint p = 0; p < n; p++)
    screen_to_patient (self, g_array_index (self->lasso, gdouble, 2 * p),
                       g_array_index (self->lasso, gdouble, 2 * p + 1), points + 3 * p);
  g_array_set_size (self->lasso, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  /* A click, or an outline beside the image, is no mistake worth a warning. */
  if (!fidac_annotation_fill_lasso (self->annotation, normal, points, n, NULL, &error))
    g_message ("%s", error->message);
}

static void
paint_to (FidacMprView *self,
          gdouble       x,
          gdouble       y)
{
  g_autoptr(GError) error = NULL;
  gdouble patient[3];

  screen_to_patient (self, x, y, patient);
  if (!fidac_annotation_stroke_move_to (self->annotation, patient, &error))
    {
      g_warning ("%s", error->message);
      fidac_annotation_stroke_end (self->annotation);
      self->painting = FALSE;
    }
}

/* GtkGestureClick's press count was reset between the two presses of a double click
 * under GTK 4.8 on X11 (seen with xdotool on Xvfb), so the view counts them itself, with
 * the desktop's double-click time and distance and the events' own times. */
static gboolean
is_double_click (FidacMprView   *self,
                 GtkGestureDrag *gesture,
                 gdouble         x,
                 gdouble         y)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (gesture));
  GtkSettings *settings = gtk_widget_get_settings (GTK_WIDGET (self));
  gint time_ms = 400, distance = 5;
  guint32 time;
  gboolean is_double;

  if (event == NULL)
    return FALSE;
  g_object_get (settings, "gtk-double-click-time", &time_ms, "gtk-double-click-distance",
                &distance, NULL);
  time = gdk_event_get_time (event);
  is_double = self->last_press_time != 0 && time - self->last_press_time <= (guint32) time_ms &&
              fabs (x - self->last_press_x) <= distance && fabs (y - self->last_press_y) <= distance;
  /* A third press starts over rather than counting as a second double click. */
  self->last_press_time = is_double ? 0 : MAX (time, 1);
  self->last_press_x = x;
  self->last_press_y = y;
  return is_double;
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               gdouble         x,
               gdouble         y,
               FidacMprView   *self)
{
  const FidacMpr *mpr = fidac_viewer_get_mpr (self->viewer);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  self->drag_x0 = x;
  self->drag_y0 = y;
  self->drag_last_dx = 0.0;
  self->drag_last_dy = 0.0;
  if (mpr == NULL)
    {
      self->drag_button = 0;
      return;
    }

  switch (self->drag_button)
    {
    case GDK_BUTTON_PRIMARY:
      if (fidac_annotation_get_tool (self->annotation) == FIDAC_TOOL_LASSO &&
          fidac_annotation_get_map (self->annotation) != NULL)
        {
          lasso_add (self, x, y, TRUE);
          break;
        }
      if (fidac_annotation_get_tool (self->annotation) == FIDAC_TOOL_FILL &&
          fidac_annotation_get_map (self->annotation) != NULL)
        {
          fill_at (self, x, y);
          break;
        }
      if (fidac_annotation_get_tool (self->annotation) != FIDAC_TOOL_NAVIGATE &&
          fidac_annotation_get_map (self->annotation) != NULL)
        {
          paint_begin (self, x, y);
          break;
        }
      set_crosshair (self, x, y);
      if (is_double_click (self, gesture, x, y))
        fidac_mpr_view_emit_toggle_maximized (self);
      break;
    case GDK_BUTTON_SECONDARY:
      self->drag_width0 = mpr->window_width;
      self->drag_level0 = mpr->window_level;
      break;
    case GDK_BUTTON_MIDDLE:
      break;
    default:
      self->drag_button = 0;
    }
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                gdouble         dx,
                gdouble         dy,
                FidacMprView   *self)
{
  gint width, height;

  if (fidac_viewer_get_mpr (self->viewer) == NULL)
    return;

  switch (self->drag_button)
    {
    case GDK_BUTTON_PRIMARY:
      if (self->lasso != NULL && self->lasso->len > 0)
        lasso_add (self, self->drag_x0 + dx, self->drag_y0 + dy, FALSE);
      else if (self->painting)
        paint_to (self, self->drag_x0 + dx, self->drag_y0 + dy);
      else if (fidac_annotation_get_tool (self->annotation) == FIDAC_TOOL_NAVIGATE)
        set_crosshair (self, self->drag_x0 + dx, self->drag_y0 + dy);
      break;
    case GDK_BUTTON_SECONDARY:
      {
        gdouble window_width, window_level;

        fidac_mpr_window_drag (self->drag_width0, self->drag_level0, dx, dy,
                               &window_width, &window_level);
        fidac_viewer_set_window (self->viewer, window_width, window_level);
      }
      break;
    case GDK_BUTTON_MIDDLE:
      fidac_mpr_view_device_size (self, &width, &height);
      fidac_viewer_pan (self->viewer, self->view, width, height,
                        (dx - self->drag_last_dx) * scale_of (self),
                        (dy - self->drag_last_dy) * scale_of (self));
      break;
    default:
      break;
    }
  self->drag_last_dx = dx;
  self->drag_last_dy = dy;
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             gdouble         dx,
             gdouble         dy,
             FidacMprView   *self)
{
  drag_update_cb (gesture, dx, dy, self);
  if (self->lasso != NULL && self->lasso->len > 0)
    lasso_end (self);
  if (self->painting)
    {
      /* Released: the stroke is one undo step, committed now. */
      self->painting = FALSE;
      fidac_annotation_stroke_end (self->annotation);
    }
  self->drag_button = 0;
}

static void
motion_cb (GtkEventControllerMotion *controller,
           gdouble                   x,
           gdouble                   y,
           FidacMprView             *self)
{
  self->has_pointer = TRUE;
  self->pointer_x = x;
  self->pointer_y = y;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
leave_cb (GtkEventControllerMotion *controller,
          FidacMprView             *self)
{
  self->has_pointer = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
focus_changed_cb (FidacMprView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fidac_mpr_view_setup_input (FidacMprView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;
  GtkGesture *gesture;

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL |
                                                GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (widget, controller);

  gesture = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), 0);
  g_signal_connect (gesture, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (gesture, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (gesture, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (gesture));

  /* The focused view is outlined: the keys go to it. */
  controller = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (controller, "enter", G_CALLBACK (focus_changed_cb), self);
  g_signal_connect_swapped (controller, "leave", G_CALLBACK (focus_changed_cb), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (widget, controller);
}
