/* fidac-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fidac-application.h"
#include "fidac-window.h"

struct _FidacApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (FidacApplication, fidac_application, ADW_TYPE_APPLICATION)

static void
fidac_application_quit_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (app)));

  /* Destroying the windows first lets each cancel its loading. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
  g_application_quit (app);
}

static void
fidac_application_about_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (app);
  static const gchar *developers[] = { "FIDAC contributors", NULL };
  GObject *about;

  /* Same properties on both: the dialog replaced the window in libadwaita 1.5. */
#if ADW_CHECK_VERSION (1, 5, 0)
  about = g_object_new (ADW_TYPE_ABOUT_DIALOG,
#else
  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
#endif
                        "application-name", "FIDAC",
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("French Society of Radiology (SFR)"),
                        "comments", _("Annotation workstation for thoracic CT of the French Imaging Database Against Coronavirus"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_present (ADW_DIALOG (about), parent != NULL ? GTK_WIDGET (parent) : NULL);
#else
  gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  gtk_window_set_modal (GTK_WINDOW (about), TRUE);
  gtk_window_present (GTK_WINDOW (about));
#endif
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = fidac_application_quit_action },
  { .name = "about", .activate = fidac_application_about_action },
};

static void
fidac_application_startup (GApplication *application)
{
  FidacApplication *self = FIDAC_APPLICATION (application);
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;
  static const struct {
    const gchar *action;
    const gchar *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "win.open", { "<Control>o", NULL } },
    { "win.open-files", { "<Control><Shift>o", NULL } },
    { "win.local-cases", { "<Control>l", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.cancel-load", { "Escape", NULL } },
    { "win.show-help-overlay", { "<Control>question", "<Control>F1", NULL } },
    { "win.toggle-details", { "F9", NULL } },
    { "win.toggle-annotation", { "F8", NULL } },
    { "win.toggle-scores", { "F7", NULL } },
    { "win.undo", { "<Control>z", NULL } },
    { "win.redo", { "<Control><Shift>z", NULL } },
    /* With Control, so that they never take a digit typed into a field; the plain number
     * keys (window presets) are the window's, in the bubble phase. */
    { "win.layout('one-plus-two')", { "<Control>1", NULL } },
    { "win.layout('side-by-side')", { "<Control>2", NULL } },
    { "win.layout('single')", { "<Control>3", NULL } },
  };

  G_APPLICATION_CLASS (fidac_application_parent_class)->startup (application);

  /* CT is read on a dark surround; a light theme would dazzle next to a lung window. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_PREFER_DARK);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new_full (schema, NULL, NULL);
  else
    g_message ("settings schema %s is not installed: window size and last folder will not be remembered",
               APP_ID);
}

static FidacWindow *
get_window (FidacApplication *self,
            gboolean         *created)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  *created = window == NULL;
  if (window == NULL)
    window = GTK_WINDOW (fidac_window_new (self));
  return FIDAC_WINDOW (window);
}

static void
fidac_application_activate (GApplication *application)
{
  gboolean created;
  FidacWindow *window = get_window (FIDAC_APPLICATION (application), &created);

  /* Started with nothing to open: show the demo case rather than an empty window. Opened
   * before the window shows, so that its first frame is already the loading page. */
  if (created)
    fidac_window_open_demo (window);
  gtk_window_present (GTK_WINDOW (window));
}

static void
fidac_application_open (GApplication  *application,
                        GFile        **files,
                        gint           n_files,
                        const gchar   *hint)
{
  gboolean created;
  FidacWindow *window = get_window (FIDAC_APPLICATION (application), &created);

  fidac_window_open_files (window, files, (guint) n_files);
  gtk_window_present (GTK_WINDOW (window));
}

static void
fidac_application_dispose (GObject *object)
{
  FidacApplication *self = FIDAC_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fidac_application_parent_class)->dispose (object);
}

static void
fidac_application_class_init (FidacApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = fidac_application_dispose;
  app_class->startup = fidac_application_startup;
  app_class->activate = fidac_application_activate;
  app_class->open = fidac_application_open;
}

static void
fidac_application_init (FidacApplication *self)
{
}

FidacApplication *
fidac_application_new (void)
{
  return g_object_new (FIDAC_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/fr/radiologie/Fidac",
                       NULL);
}

GSettings *
fidac_application_get_settings (FidacApplication *self)
{
  g_return_val_if_fail (FIDAC_IS_APPLICATION (self), NULL);

  return self->settings;
}
