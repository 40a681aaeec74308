/* gui-test-support.h: what the GUI tests share: waiting on the main loop, the window's
 * loading conditions, and driving the X server with xdotool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "fidac-application.h"
#include "fidac-mpr-view.h"

G_BEGIN_DECLS

/* Generous: a slow CI machine under sanitizers. Exceeding it fails the test, it measures
 * nothing. */
#define GUI_TEST_WAIT_SECONDS 120

typedef gboolean (*GuiTestCondition) (gpointer data);

gboolean gui_test_try_until_for  (guint             seconds,
                                  GuiTestCondition  condition,
                                  gpointer          data);
void     gui_test_wait_until_for (guint             seconds,
                                  GuiTestCondition  condition,
                                  gpointer          data,
                                  const gchar      *what);
void     gui_test_wait_until     (GuiTestCondition  condition,
                                  gpointer          data,
                                  const gchar      *what);
void     gui_test_settle         (void);

/* Conditions on a FidacWindow. */
gboolean gui_test_window_settled (gpointer          window);
gboolean gui_test_window_idle    (gpointer          window);

gboolean gui_test_can_drive_x    (void);
/* For the windows opened next (read when the views make their contexts): with `cpu`, the
 * CPU path, as over a remote desktop; otherwise GL. */
void     gui_test_use_cpu_renderer (gboolean        cpu);
void     gui_test_screenshot     (const gchar      *name);
#ifdef GDK_WINDOWING_X11
void     gui_test_xdotool        (GtkWidget        *window,
                                  const gchar      *args);
/* Moves the pointer to (x, y) of `widget` (its logical coordinates); `scale` is the window's
 * scale factor, X counting device pixels. */
void     gui_test_move_to        (GtkWidget        *window,
                                  gint              scale,
                                  GtkWidget        *widget,
                                  gdouble           x,
                                  gdouble           y);
/* Moves the pointer there and waits until the view has seen it. */
void     gui_test_point          (GtkWidget        *window,
                                  gint              scale,
                                  FidacMprView     *view,
                                  gdouble           x,
                                  gdouble           y);
#endif

/* A private cache folder (the demo's), set as XDG_CACHE_HOME; call before g_test_init(), as
 * GLib's isolated dirs would also hide the icon theme. Remove it with fidac_test_rmtree(). */
gchar            *gui_test_private_cache    (void);
/* The application, registered and held, after g_test_init(). */
FidacApplication *gui_test_application_new  (void);
void              gui_test_application_free (FidacApplication *app);
/* The start of a test program that drives the window with xdotool: X11 (the tests run on
 * Xvfb) unless GDK_BACKEND says otherwise, g_test_init(), then the application, with GTK's
 * animations off. Free it with gui_test_application_free(). */
FidacApplication *gui_test_init_x11         (int               *argc,
                                             char            ***argv);

G_END_DECLS
