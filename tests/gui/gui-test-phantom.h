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

/* Writes the phantom in a fresh folder (also the store's: FIDAC_DATA_DIR) and opens it. */
void          gui_test_phantom_set_up   (GuiTestPhantom *f,
                                         FidacApplication *app);
void          gui_test_phantom_tear_down (GuiTestPhantom *f);
/* A window showing the phantom written in f->tmp. */
void          gui_test_open_window      (GuiTestPhantom *f);
void          gui_test_close_window     (GuiTestPhantom *f);
FidacMprView *gui_test_view             (GuiTestPhantom *f,
                                         FidacView       view);
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

G_END_DECLS
