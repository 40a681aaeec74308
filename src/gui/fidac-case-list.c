/* fidac-case-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include <adwaita.h>

#include "fidac-case-format.h"
#include "fidac-case-list.h"

/* Enough of the UID's end to tell series apart at a glance; the tooltip has it all. */
#define UID_SHORT_CHARS 12

struct _FidacCaseList
{
  GtkWidget       parent_instance;

  GtkSearchEntry *search;
  GtkLabel       *message;
  GtkWidget      *scroll;
  GtkListBox     *list;

  /* Kept open: opening runs a check that reads the whole file, too slow for each stroke. */
  FidacStore     *store;
  gchar          *reader_id;        /* NULL: all readers */
  gchar          *message_text;
  gboolean        message_is_store; /* an unreadable store, cleared by the next good read */
  gchar          *filter_folded;    /* the search, case folded; NULL when empty */
  guint           refresh_source;
};

enum {
  SIGNAL_OPEN_CASE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FidacCaseList, fidac_case_list, GTK_TYPE_WIDGET)

const gchar *
fidac_case_list_progress_label (FidacCaseProgress progress)
{
  switch (progress)
    {
    case FIDAC_CASE_IN_PROGRESS:
      return _("In progress");
    case FIDAC_CASE_COMPLETE:
      return _("Complete");
    case FIDAC_CASE_NOT_STARTED:
    default:
      return _("Not started");
    }
}

static void
set_message (FidacCaseList *self,
             const gchar   *text,
             gboolean       store)
{
  g_free (self->message_text);
  self->message_text = g_strdup (text);
  self->message_is_store = store && text != NULL;
  gtk_label_set_text (self->message, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), text != NULL);
}

/* Rows ------------------------------------------------------------------------------------ */

static const gchar *
case_title (const FidacStoreCase *c)
{
  return c->description != NULL && *c->description ? c->description : _("Unnamed series");
}

static gchar *
short_uid (const gchar *uid)
{
  glong n = g_utf8_strlen (uid, -1);
  const gchar *tail;

  if (n <= UID_SHORT_CHARS + 1)
    return g_strdup (uid);
  tail = g_utf8_offset_to_pointer (uid, n - UID_SHORT_CHARS);
  /* "…10.999" rather than "….10.999". */
  if (*tail == '.')
    tail++;
  return g_strconcat ("…", tail, NULL);
}

static GtkWidget *
case_row_new (FidacStoreCase *c)
{
  static const gchar *classes[] = { "not-started", "in-progress", "complete" };
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *tag;
  g_autofree gchar *uid = short_uid (c->series_uid);
  g_autofree gchar *date = fidac_format_date (c->study_date);
  g_autofree gchar *slices = NULL;
  g_autofree gchar *subtitle = NULL;
  g_autofree gchar *tooltip = NULL;

  slices = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d slice", "%d slices", c->dims[2]),
                            c->dims[2]);
  /* TRANSLATORS: series UID (shortened), study date, number of slices */
  subtitle = g_strdup_printf (_("%s · %s · %s"), uid, date, slices);
  /* TRANSLATORS: the full series UID, then the folder the case was opened from */
  tooltip = g_strdup_printf (_("Series %s\n%s"), c->series_uid,
                             c->path != NULL ? c->path : _("Location not recorded"));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), case_title (c));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  gtk_widget_set_tooltip_text (row, tooltip);

  tag = gtk_label_new (fidac_case_list_progress_label (c->progress));
  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (tag, "case-status");
  gtk_widget_add_css_class (tag, classes[CLAMP ((gint) c->progress, 0, 2)]);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  g_object_set_data_full (G_OBJECT (row), "fidac-series-uid", g_strdup (c->series_uid), g_free);
  g_object_set_data (G_OBJECT (row), "fidac-status-label", tag);
  g_object_set_data_full (G_OBJECT (row), "fidac-case", c,
                          (GDestroyNotify) fidac_store_case_free);
  return row;
}

static gboolean
row_matches (FidacCaseList *self,
             GtkListBoxRow *row)
{
  const FidacStoreCase *c = g_object_get_data (G_OBJECT (row), "fidac-case");
  g_autofree gchar *description = NULL;
  g_autofree gchar *uid = NULL;

  if (self->filter_folded == NULL)
    return TRUE;
  if (c == NULL)
    return FALSE;
  description = g_utf8_casefold (case_title (c), -1);
  uid = g_utf8_casefold (c->series_uid, -1);
  return strstr (description, self->filter_folded) != NULL ||
         strstr (uid, self->filter_folded) != NULL;
}

static void search_changed_cb (GtkSearchEntry *entry,
                               FidacCaseList  *self);

static gboolean
filter_func (GtkListBoxRow *row,
             gpointer       user_data)
{
  return row_matches (FIDAC_CASE_LIST (user_data), row);
}

static GtkListBoxRow *first_shown_row (FidacCaseList *self);
static gboolean open_row (FidacCaseList *self,
                          GtkListBoxRow *row);

/* Enter in the search opens the first case it leaves. */
static void
search_activate_cb (GtkSearchEntry *entry,
                    FidacCaseList  *self)
{
  GtkListBoxRow *row;

  /* The search may not have caught up with the text yet. */
  search_changed_cb (entry, self);
  row = first_shown_row (self);
  if (row != NULL)
    open_row (self, row);
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   FidacCaseList  *self)
{
  const gchar *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree gchar *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->filter_folded, g_free);
  if (*stripped != '\0')
    self->filter_folded = g_utf8_casefold (stripped, -1);
  gtk_list_box_invalidate_filter (self->list);
}

/* Reading the store ----------------------------------------------------------------------- */

static void
clear_rows (FidacCaseList *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
}

/* The store at the default path (it follows FIDAC_DATA_DIR); NULL without error when there
 * is none yet and `create` is FALSE: looking at the list must not create one. */
static FidacStore *
ensure_store (FidacCaseList  *self,
              gboolean        create,
              GError        **error)
{
  g_autofree gchar *path = fidac_store_default_path ();

  if (self->store != NULL && g_strcmp0 (fidac_store_get_path (self->store), path) == 0 &&
      g_file_test (path, G_FILE_TEST_EXISTS))
    return self->store;
  g_clear_pointer (&self->store, fidac_store_close);
  if (!create && !g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  self->store = fidac_store_open (path, error);
  return self->store;
}

gboolean
fidac_case_list_refresh (FidacCaseList  *self,
                         GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  FidacStore *store;

  g_return_val_if_fail (FIDAC_IS_CASE_LIST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  store = ensure_store (self, FALSE, &local_error);
  if (store != NULL)
    cases = fidac_store_list_cases (store, self->reader_id, &local_error);
  if (local_error != NULL)
    {
      g_autofree gchar *text = g_strdup_printf (_("The local cases cannot be read: %s"),
                                                local_error->message);

      set_message (self, text, TRUE);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (self->message_is_store)
    set_message (self, NULL, FALSE);

  clear_rows (self);
  if (cases != NULL)
    {
      /* The rows own their case. */
      g_ptr_array_set_free_func (cases, NULL);
      for (guint i = 0; i < cases->len; i++)
        gtk_list_box_append (self->list, case_row_new (g_ptr_array_index (cases, i)));
    }
  return TRUE;
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  FidacCaseList *self = FIDAC_CASE_LIST (user_data);

  self->refresh_source = 0;
  fidac_case_list_refresh (self, NULL);
  return G_SOURCE_REMOVE;
}

void
fidac_case_list_queue_refresh (FidacCaseList *self)
{
  g_return_if_fail (FIDAC_IS_CASE_LIST (self));

  if (self->refresh_source == 0)
    self->refresh_source = g_idle_add (refresh_idle_cb, self);
}

gboolean
fidac_case_list_record (FidacCaseList     *self,
                        const FidacVolume *volume,
                        const gchar       *path,
                        GError           **error)
{
  g_autoptr(FidacStoreCase) store_case = NULL;
  FidacStore *store;

  g_return_val_if_fail (FIDAC_IS_CASE_LIST (self), FALSE);
  g_return_val_if_fail (volume != NULL, FALSE);

  /* A volume without a series UID (a NIfTI, say) cannot be found again by UID. */
  if (volume->series_uid == NULL || *volume->series_uid == '\0')
    return TRUE;
  store = ensure_store (self, TRUE, error);
  if (store == NULL)
    return FALSE;
  store_case = fidac_store_case_new_from_volume (volume, path);
  if (!fidac_store_put_case (store, store_case, error))
    return FALSE;
  return fidac_case_list_refresh (self, error);
}

/* Opening --------------------------------------------------------------------------------- */

static GtkListBoxRow *
find_row (FidacCaseList *self,
          const gchar   *series_uid)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) &&
        g_strcmp0 (g_object_get_data (G_OBJECT (child), "fidac-series-uid"), series_uid) == 0)
      return GTK_LIST_BOX_ROW (child);
  return NULL;
}

static GtkListBoxRow *
first_shown_row (FidacCaseList *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && g_object_get_data (G_OBJECT (child), "fidac-case") != NULL &&
        row_matches (self, GTK_LIST_BOX_ROW (child)))
      return GTK_LIST_BOX_ROW (child);
  return NULL;
}

static gboolean
open_row (FidacCaseList *self,
          GtkListBoxRow *row)
{
  const FidacStoreCase *c = g_object_get_data (G_OBJECT (row), "fidac-case");
  g_autofree gchar *text = NULL;
  g_autofree gchar *uid = NULL;
  g_autofree gchar *path = NULL;

  if (c == NULL)
    return FALSE;
  if (c->path == NULL)
    text = g_strdup_printf (_("Where “%s” was opened from was not recorded. Open its folder "
                              "with Open Folder."), case_title (c));
  else if (!g_file_test (c->path, G_FILE_TEST_EXISTS))
    text = g_strdup_printf (_("“%s” cannot be opened: %s is no longer there. If the case was "
                              "moved, open it from its new place with Open Folder."),
                            case_title (c), c->path);
  if (text != NULL)
    {
      set_message (self, text, FALSE);
      return FALSE;
    }
  set_message (self, NULL, FALSE);
  /* Copies: the handler may refresh the list, which frees the row's case. */
  path = g_strdup (c->path);
  uid = g_strdup (c->series_uid);
  g_signal_emit (self, signals[SIGNAL_OPEN_CASE], 0, path, uid);
  return TRUE;
}

static void
row_activated_cb (GtkListBox    *list,
                  GtkListBoxRow *row,
                  FidacCaseList *self)
{
  open_row (self, row);
}

gboolean
fidac_case_list_open_case (FidacCaseList *self,
                           const gchar   *series_uid)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (FIDAC_IS_CASE_LIST (self), FALSE);
  g_return_val_if_fail (series_uid != NULL, FALSE);

  row = find_row (self, series_uid);
  return row != NULL && open_row (self, row);
}

/* Accessors ------------------------------------------------------------------------------- */

void
fidac_case_list_set_reader_id (FidacCaseList *self,
                               const gchar   *reader_id)
{
  g_return_if_fail (FIDAC_IS_CASE_LIST (self));

  if (reader_id != NULL && *reader_id == '\0')
    reader_id = NULL;
  if (g_strcmp0 (reader_id, self->reader_id) == 0)
    return;
  g_free (self->reader_id);
  self->reader_id = g_strdup (reader_id);
  fidac_case_list_refresh (self, NULL);
}

const gchar *
fidac_case_list_get_reader_id (FidacCaseList *self)
{
  g_return_val_if_fail (FIDAC_IS_CASE_LIST (self), NULL);
  return self->reader_id;
}

GtkSearchEntry *
fidac_case_list_get_search_entry (FidacCaseList *self)
{
  g_return_val_if_fail (FIDAC_IS_CASE_LIST (self), NULL);
  return self->search;
}

GtkListBox *
fidac_case_list_get_list_box (FidacCaseList *self)
{
  g_return_val_if_fail (FIDAC_IS_CASE_LIST (self), NULL);
  return self->list;
}

GPtrArray *
fidac_case_list_get_shown_uids (FidacCaseList *self)
{
  GPtrArray *uids;

  g_return_val_if_fail (FIDAC_IS_CASE_LIST (self), NULL);

  uids = g_ptr_array_new_with_free_func (g_free);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && row_matches (self, GTK_LIST_BOX_ROW (child)) &&
        g_object_get_data (G_OBJECT (child), "fidac-series-uid") != NULL)
      g_ptr_array_add (uids, g_strdup (g_object_get_data (G_OBJECT (child), "fidac-series-uid")));
  return uids;
}

const gchar *
fidac_case_list_get_message (FidacCaseList *self)
{
  g_return_val_if_fail (FIDAC_IS_CASE_LIST (self), NULL);
  return self->message_text;
}

/* Object ---------------------------------------------------------------------------------- */

static void
fidac_case_list_dispose (GObject *object)
{
  FidacCaseList *self = FIDAC_CASE_LIST (object);
  GtkWidget *child;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_pointer (&self->store, fidac_store_close);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->search = NULL;
  self->message = NULL;
  self->scroll = NULL;
  self->list = NULL;

  G_OBJECT_CLASS (fidac_case_list_parent_class)->dispose (object);
}

static void
fidac_case_list_finalize (GObject *object)
{
  FidacCaseList *self = FIDAC_CASE_LIST (object);

  g_free (self->reader_id);
  g_free (self->message_text);
  g_free (self->filter_folded);

  G_OBJECT_CLASS (fidac_case_list_parent_class)->finalize (object);
}

static void
fidac_case_list_class_init (FidacCaseListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fidac_case_list_dispose;
  object_class->finalize = fidac_case_list_finalize;

  signals[SIGNAL_OPEN_CASE] =
    g_signal_new ("open-case", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fidac-case-list");
}

static void
fidac_case_list_init (FidacCaseList *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkWidget *placeholder;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 12);

  self->search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  /* The property: its setter is GTK 4.10. */
  g_object_set (self->search, "placeholder-text", _("Search by description or series UID"), NULL);
  g_signal_connect (self->search, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect (self->search, "activate", G_CALLBACK (search_activate_cb), self);
  gtk_widget_set_parent (GTK_WIDGET (self->search), GTK_WIDGET (self));

  self->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->message, TRUE);
  gtk_label_set_xalign (self->message, 0.0f);
  gtk_widget_add_css_class (GTK_WIDGET (self->message), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->message), FALSE);
  gtk_widget_set_parent (GTK_WIDGET (self->message), GTK_WIDGET (self));

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_widget_set_valign (GTK_WIDGET (self->list), GTK_ALIGN_START);
  gtk_list_box_set_filter_func (self->list, filter_func, self, NULL);
  placeholder = gtk_label_new (_("No local cases"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->list, placeholder);
  g_signal_connect (self->list, "row-activated", G_CALLBACK (row_activated_cb), self);

  self->scroll = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroll), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (self->scroll), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (self->scroll), 360);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroll), GTK_WIDGET (self->list));
  gtk_widget_set_vexpand (self->scroll, TRUE);
  gtk_widget_set_parent (self->scroll, GTK_WIDGET (self));
}

GtkWidget *
fidac_case_list_new (void)
{
  return g_object_new (FIDAC_TYPE_CASE_LIST, NULL);
}
