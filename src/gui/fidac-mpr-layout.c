/* fidac-mpr-layout.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The widget places its three views itself (measure and size_allocate): the layouts are
 * fixed arithmetic on the allocation, which a grid would only obscure, and the views that a
 * layout leaves out are made child-invisible so that they neither draw nor take events.
 * The separators are the widget's own background showing through a one-pixel gap.
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include "fidac-mpr-layout.h"

/* The gap between two views, in which the background (style.css) draws a line. */
#define SEPARATOR 1

struct _FidacMprLayout
{
  GtkWidget     parent_instance;

  FidacViewer  *viewer;
  GtkWidget    *views[FIDAC_N_VIEWS];
  FidacLayout   layout;
  FidacView     main_view;
  FidacView     maximized;             /* FIDAC_N_VIEWS: none */
};

enum {
  PROP_0,
  PROP_VIEWER,
  PROP_LAYOUT,
  PROP_MAIN_VIEW,
  PROP_MAXIMIZED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (FidacMprLayout, fidac_mpr_layout, GTK_TYPE_WIDGET)

/* The views other than the main one, in axial, coronal, sagittal order. */
static void
other_views (FidacView  main_view,
             FidacView  others[2])
{
  guint n = 0;

  for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
    if (v != main_view)
      others[n++] = v;
}

/* Which views the current state shows: the maximised one, the main one, or all three. */
static gboolean
view_shown (FidacMprLayout *self,
            FidacView       view)
{
  if (self->maximized != FIDAC_N_VIEWS)
    return view == self->maximized;
  if (self->layout == FIDAC_LAYOUT_SINGLE)
    return view == self->main_view;
  return TRUE;
}

/* The view shown alone (maximised or SINGLE), and the one to focus when the focused one
 * is hidden. */
static FidacView
front_view (FidacMprLayout *self)
{
  return self->maximized != FIDAC_N_VIEWS ? self->maximized : self->main_view;
}

static void
measure_view (FidacMprLayout *self,
              FidacView       view,
              GtkOrientation  orientation,
              gint           *minimum,
              gint           *natural)
{
  gtk_widget_measure (self->views[view], orientation, -1, minimum, natural, NULL, NULL);
}

static void
fidac_mpr_layout_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          gint            for_size,
                          gint           *minimum,
                          gint           *natural,
                          gint           *minimum_baseline,
                          gint           *natural_baseline)
{
  FidacMprLayout *self = FIDAC_MPR_LAYOUT (widget);
  gint min[FIDAC_N_VIEWS] = { 0 }, nat[FIDAC_N_VIEWS] = { 0 };
  FidacView others[2];
  gboolean horizontal = orientation == GTK_ORIENTATION_HORIZONTAL;

  for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
    measure_view (self, v, orientation, &min[v], &nat[v]);

  if (self->maximized != FIDAC_N_VIEWS || self->layout == FIDAC_LAYOUT_SINGLE)
    {
      *minimum = min[front_view (self)];
      *natural = nat[front_view (self)];
    }
  else if (self->layout == FIDAC_LAYOUT_SIDE_BY_SIDE)
    {
      /* Equal columns: each as wide as the widest minimum. */
      gint m = MAX (MAX (min[0], min[1]), min[2]);
      gint n = MAX (MAX (nat[0], nat[1]), nat[2]);

      *minimum = horizontal ? 3 * m + 2 * SEPARATOR : m;
      *natural = horizontal ? 3 * n + 2 * SEPARATOR : n;
    }
  else
    {
      other_views (self->main_view, others);
      if (horizontal)
        {
          /* The main column takes two thirds: it must hold its minimum, and so must the
           * third left to the stacked views. */
          gint side = MAX (min[others[0]], min[others[1]]);

          *minimum = MAX ((3 * min[self->main_view] + 1) / 2, 3 * side) + SEPARATOR + 1;
          *natural = nat[self->main_view] + SEPARATOR + MAX (nat[others[0]], nat[others[1]]);
        }
      else
        {
          gint half = MAX (min[others[0]], min[others[1]]);

          *minimum = MAX (min[self->main_view], 2 * half + SEPARATOR);
          *natural = MAX (nat[self->main_view], nat[others[0]] + SEPARATOR + nat[others[1]]);
        }
    }
  *natural = MAX (*natural, *minimum);
  *minimum_baseline = -1;
  *natural_baseline = -1;
}

static void
place (GtkWidget *child,
       gint       x,
       gint       y,
       gint       width,
       gint       height)
{
  GtkAllocation allocation = { x, y, MAX (width, 0), MAX (height, 0) };

  gtk_widget_size_allocate (child, &allocation, -1);
}

static void
fidac_mpr_layout_size_allocate (GtkWidget *widget,
                                gint       width,
                                gint       height,
                                gint       baseline)
{
  FidacMprLayout *self = FIDAC_MPR_LAYOUT (widget);
  FidacView others[2];

  if (self->maximized != FIDAC_N_VIEWS || self->layout == FIDAC_LAYOUT_SINGLE)
    {
      place (self->views[front_view (self)], 0, 0, width, height);
    }
  else if (self->layout == FIDAC_LAYOUT_SIDE_BY_SIDE)
    {
      /* The pixels the separators leave are shared out so that no column is more than one
       * pixel wider than another. */
      gint inner = width - 2 * SEPARATOR;
      gint x = 0;

      for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
        {
          gint w = inner / 3 + ((gint) v < inner % 3 ? 1 : 0);

          place (self->views[v], x, 0, w, height);
          x += w + SEPARATOR;
        }
    }
  else
    {
      gint main_width = (2 * (width - SEPARATOR) + 1) / 3;
      gint side_x = main_width + SEPARATOR;
      gint side_width = width - side_x;
      gint top_height = (height - SEPARATOR + 1) / 2;

      other_views (self->main_view, others);
      place (self->views[self->main_view], 0, 0, main_width, height);
      place (self->views[others[0]], side_x, 0, side_width, top_height);
      place (self->views[others[1]], side_x, top_height + SEPARATOR, side_width,
             height - top_height - SEPARATOR);
    }
}

static void
fidac_mpr_layout_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  FidacMprLayout *self = FIDAC_MPR_LAYOUT (widget);

  for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
    gtk_widget_snapshot_child (widget, self->views[v], snapshot);
}

/* Relayout ----------------------------------------------------------------------------- */

static void
relayout (FidacMprLayout *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  gboolean refocus = FALSE;

  for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
    {
      gboolean shown = view_shown (self, v);

      if (self->views[v] == NULL || gtk_widget_get_child_visible (self->views[v]) == shown)
        continue;
      /* A hidden view keeps the focus otherwise, and the arrows would scroll it unseen. */
      if (!shown && focus != NULL &&
          (focus == self->views[v] || gtk_widget_is_ancestor (focus, self->views[v])))
        refocus = TRUE;
      gtk_widget_set_child_visible (self->views[v], shown);
    }
  if (refocus)
    gtk_widget_grab_focus (self->views[front_view (self)]);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
toggle_maximized_cb (FidacMprView   *view,
                     FidacMprLayout *self)
{
  FidacView v = fidac_mpr_view_get_view (view);

  fidac_mpr_layout_set_maximized (self, self->maximized == v ? FIDAC_N_VIEWS : v);
}

static void
set_maximized (FidacMprLayout *self,
               FidacView       view)
{
  if (self->maximized == view)
    return;
  self->maximized = view;
  relayout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAXIMIZED]);
}

void
fidac_mpr_layout_set_layout (FidacMprLayout *self,
                             FidacLayout     layout)
{
  g_return_if_fail (FIDAC_IS_MPR_LAYOUT (self));
  g_return_if_fail (layout <= FIDAC_LAYOUT_SINGLE);

  /* Choosing a layout is asking to see it: a maximised view gives way. */
  set_maximized (self, FIDAC_N_VIEWS);
  if (self->layout == layout)
    return;
  self->layout = layout;
  relayout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYOUT]);
}

FidacLayout
fidac_mpr_layout_get_layout (FidacMprLayout *self)
{
  g_return_val_if_fail (FIDAC_IS_MPR_LAYOUT (self), FIDAC_LAYOUT_ONE_PLUS_TWO);

  return self->layout;
}

void
fidac_mpr_layout_set_main_view (FidacMprLayout *self,
                                FidacView       view)
{
  g_return_if_fail (FIDAC_IS_MPR_LAYOUT (self));
  g_return_if_fail (view < FIDAC_N_VIEWS);

  set_maximized (self, FIDAC_N_VIEWS);
  if (self->main_view == view)
    return;
  self->main_view = view;
  relayout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAIN_VIEW]);
}

FidacView
fidac_mpr_layout_get_main_view (FidacMprLayout *self)
{
  g_return_val_if_fail (FIDAC_IS_MPR_LAYOUT (self), FIDAC_VIEW_AXIAL);

  return self->main_view;
}

void
fidac_mpr_layout_set_maximized (FidacMprLayout *self,
                                FidacView       view)
{
  g_return_if_fail (FIDAC_IS_MPR_LAYOUT (self));
  g_return_if_fail (view <= FIDAC_N_VIEWS);

  set_maximized (self, view);
}

FidacView
fidac_mpr_layout_get_maximized (FidacMprLayout *self)
{
  g_return_val_if_fail (FIDAC_IS_MPR_LAYOUT (self), FIDAC_N_VIEWS);

  return self->maximized;
}

FidacViewer *
fidac_mpr_layout_get_viewer (FidacMprLayout *self)
{
  g_return_val_if_fail (FIDAC_IS_MPR_LAYOUT (self), NULL);

  return self->viewer;
}

FidacMprView *
fidac_mpr_layout_get_view (FidacMprLayout *self,
                           FidacView       view)
{
  g_return_val_if_fail (FIDAC_IS_MPR_LAYOUT (self), NULL);
  g_return_val_if_fail (view < FIDAC_N_VIEWS, NULL);

  return FIDAC_MPR_VIEW (self->views[view]);
}

/* Object ------------------------------------------------------------------------------- */

static void
fidac_mpr_layout_constructed (GObject *object)
{
  FidacMprLayout *self = FIDAC_MPR_LAYOUT (object);

  G_OBJECT_CLASS (fidac_mpr_layout_parent_class)->constructed (object);

  if (self->viewer == NULL)
    self->viewer = fidac_viewer_new ();
  for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
    {
      self->views[v] = fidac_mpr_view_new (self->viewer, v);
      gtk_widget_set_parent (self->views[v], GTK_WIDGET (self));
      g_signal_connect_object (self->views[v], "toggle-maximized",
                               G_CALLBACK (toggle_maximized_cb), self, 0);
    }
  relayout (self);
}

static void
fidac_mpr_layout_dispose (GObject *object)
{
  FidacMprLayout *self = FIDAC_MPR_LAYOUT (object);

  for (FidacView v = 0; v < FIDAC_N_VIEWS; v++)
    g_clear_pointer (&self->views[v], gtk_widget_unparent);
  g_clear_object (&self->viewer);

  G_OBJECT_CLASS (fidac_mpr_layout_parent_class)->dispose (object);
}

static void
fidac_mpr_layout_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FidacMprLayout *self = FIDAC_MPR_LAYOUT (object);

  switch (prop_id)
    {
    case PROP_VIEWER:
      g_value_set_object (value, self->viewer);
      break;
    case PROP_LAYOUT:
      g_value_set_int (value, self->layout);
      break;
    case PROP_MAIN_VIEW:
      g_value_set_int (value, self->main_view);
      break;
    case PROP_MAXIMIZED:
      g_value_set_int (value, self->maximized);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fidac_mpr_layout_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  FidacMprLayout *self = FIDAC_MPR_LAYOUT (object);

  switch (prop_id)
    {
    case PROP_VIEWER:
      self->viewer = g_value_dup_object (value);
      break;
    case PROP_LAYOUT:
      fidac_mpr_layout_set_layout (self, (FidacLayout) g_value_get_int (value));
      break;
    case PROP_MAIN_VIEW:
      fidac_mpr_layout_set_main_view (self, (FidacView) g_value_get_int (value));
      break;
    case PROP_MAXIMIZED:
      fidac_mpr_layout_set_maximized (self, (FidacView) g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fidac_mpr_layout_class_init (FidacMprLayoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = fidac_mpr_layout_constructed;
  object_class->dispose = fidac_mpr_layout_dispose;
  object_class->get_property = fidac_mpr_layout_get_property;
  object_class->set_property = fidac_mpr_layout_set_property;

  widget_class->measure = fidac_mpr_layout_measure;
  widget_class->size_allocate = fidac_mpr_layout_size_allocate;
  widget_class->snapshot = fidac_mpr_layout_snapshot;

  properties[PROP_VIEWER] =
    g_param_spec_object ("viewer", NULL, NULL, FIDAC_TYPE_VIEWER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAYOUT] =
    g_param_spec_int ("layout", NULL, NULL,
                      FIDAC_LAYOUT_ONE_PLUS_TWO, FIDAC_LAYOUT_SINGLE, FIDAC_LAYOUT_ONE_PLUS_TWO,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAIN_VIEW] =
    g_param_spec_int ("main-view", NULL, NULL,
                      FIDAC_VIEW_AXIAL, FIDAC_VIEW_SAGITTAL, FIDAC_VIEW_AXIAL,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAXIMIZED] =
    g_param_spec_int ("maximized", NULL, NULL,
                      FIDAC_VIEW_AXIAL, FIDAC_N_VIEWS, FIDAC_N_VIEWS,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "fidac-mpr-layout");
}

static void
fidac_mpr_layout_init (FidacMprLayout *self)
{
  self->layout = FIDAC_LAYOUT_ONE_PLUS_TWO;
  self->main_view = FIDAC_VIEW_AXIAL;
  self->maximized = FIDAC_N_VIEWS;
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

GtkWidget *
fidac_mpr_layout_new (FidacViewer *viewer)
{
  g_return_val_if_fail (FIDAC_IS_VIEWER (viewer), NULL);

  return g_object_new (FIDAC_TYPE_MPR_LAYOUT, "viewer", viewer, NULL);
}
