/* gui-test-phantom.h: a window of the application showing a small phantom, with its own
 * store, for the tests that paint and edit labels through the real widgets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fidac-application.h"
#include "fidac-mpr-view-private.h"
#include "fidac-phantom.h"
#include "fidac-window-private.h"

G_BEGIN_DECLS

#define GUI_TEST_WINDOW_WIDTH 1200
#define GUI_TEST_WINDOW_HEIGHT 800

typedef struct {
  FidacApplication *app;
  gchar            *tmp;
  FidacVolume      *volume;
  FidacWindow      *window;
  FidacViewer      *viewer;
  FidacAnnotation  *annotation;
  FidacLesionPanel *panel;
  gint              scale;
} GuiTestPhantom;

/* The phantom on a grid of its own: `rotation_degrees` turns it about the z axis. */
FidacVolume  *gui_test_phantom_new      (gint            columns,
                                         gint            rows,
                                         gint            slices,
                                         gdouble         pixel_spacing,
                                         gdouble         slice_spacing,
                                         gdouble         rotation_degrees);
/* `volume` as a DICOM series in `folder`, made if needed. */
void          gui_test_write_series     (const FidacVolume *volume,
                                         const gchar    *folder);
/* Writes the phantom in a fresh folder (also the store's: FIDAC_DATA_DIR) and opens it. */
void          gui_test_phantom_set_up   (GuiTestPhantom *f,
                                         FidacApplication *app);
/* The same with the whole chest (its body 330 x 250 mm, its lungs 230 mm high) on a coarse
 * grid with air around it, as on a real CT: the lung segmentation needs that (the grid of
 * gui_test_phantom_set_up() cuts the body). */
void          gui_test_chest_set_up     (GuiTestPhantom *f,
                                         FidacApplication *app);
void          gui_test_phantom_tear_down (GuiTestPhantom *f);
/* A window showing the phantom written in f->tmp. */
void          gui_test_open_window      (GuiTestPhantom *f);
void          gui_test_close_window     (GuiTestPhantom *f);
FidacMprView *gui_test_view             (GuiTestPhantom *f,
                                         FidacView       view);
/* The three views mapped and drawn (a GuiTestCondition on f). */
gboolean      gui_test_views_drawn      (gpointer        f);
/* The three views drawn and the lesion panel on screen (a GuiTestCondition on f). */
gboolean      gui_test_phantom_ready    (gpointer        f);

/* One toplevel mapped: dialogs gone (a GuiTestCondition, data unused). */
gboolean      gui_test_one_window       (gpointer        data);
gsize         gui_test_map_size         (const FidacLabelMap *map);
/* The first time a paint tool is taken, the reader is asked (the settings are in memory, for
 * the whole test program); answers it then, and checks the panel's status either way. */
void          gui_test_answer_reader    (GuiTestPhantom *f);
/* What the store holds for the annotation shown, read through a connection of its own. */
void          gui_test_assert_stored    (GuiTestPhantom *f,
                                         const guint8   *expected);

/* What a test waits for from the annotation (GuiTestConditions on a GuiTestWant): the tool
 * taken, the class chosen, a stroke released as the n_undo-th undo step. */
typedef struct {
  GuiTestPhantom *f;
  FidacTool       tool;
  guint           id;
  guint           n_undo;
} GuiTestWant;

gboolean      gui_test_tool_is          (gpointer        want);
gboolean      gui_test_class_is         (gpointer        want);
gboolean      gui_test_stroke_done      (gpointer        want);

/* The map's labels are `expected`, byte for byte (a GuiTestCondition on a GuiTestMapIs). */
typedef struct {
  FidacLabelMap *map;
  const guint8  *expected;
} GuiTestMapIs;

gboolean      gui_test_map_is           (gpointer        map_is);

#ifdef GDK_WINDOWING_X11
/* A real click in the middle of `widget` of the window. */
void          gui_test_click            (GuiTestPhantom *f,
                                         GtkWidget      *widget);
#endif

G_END_DECLS
