/* fidac-file-chooser.c
 *
 * GtkFileChooserNative is what GTK 4.8 (Debian 12) offers; GtkFileDialog replaces it from
 * GTK 4.10 (the Flatpak runtime), where the old one is deprecated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fidac-file-chooser.h"

typedef struct {
  GtkWindow            *parent;
  FidacFilesChosenFunc  callback;
} Request;

static Request *
request_new (GtkWindow            *parent,
             FidacFilesChosenFunc  callback)
{
  Request *request = g_new0 (Request, 1);

  request->parent = g_object_ref (parent);
  request->callback = callback;
  return request;
}

static void
request_free (Request *request)
{
  g_object_unref (request->parent);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static const gchar *
title (gboolean folder)
{
  return folder ? _("Open a Folder of DICOM Files") : _("Open DICOM Files");
}

#if GTK_CHECK_VERSION (4, 10, 0)

static void
folder_chosen_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GFile) folder = gtk_file_dialog_select_folder_finish (GTK_FILE_DIALOG (source), result, NULL);
  g_autoptr(GListStore) files = NULL;

  if (folder == NULL)
    return;
  files = g_list_store_new (G_TYPE_FILE);
  g_list_store_append (files, folder);
  request->callback (request->parent, G_LIST_MODEL (files));
}

static void
files_chosen_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GListModel) files = gtk_file_dialog_open_multiple_finish (GTK_FILE_DIALOG (source), result, NULL);

  if (files != NULL)
    request->callback (request->parent, files);
}

void
fidac_file_chooser_run (GtkWindow            *parent,
                        gboolean              folder,
                        GFile                *start,
                        FidacFilesChosenFunc  callback)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

  gtk_file_dialog_set_title (dialog, title (folder));
  gtk_file_dialog_set_modal (dialog, TRUE);
  if (start != NULL)
    gtk_file_dialog_set_initial_folder (dialog, start);
  if (folder)
    gtk_file_dialog_select_folder (dialog, parent, NULL, folder_chosen_cb,
                                   request_new (parent, callback));
  else
    gtk_file_dialog_open_multiple (dialog, parent, NULL, files_chosen_cb,
                                   request_new (parent, callback));
}

#else

static void
native_response_cb (GtkNativeDialog *native,
                    gint             response,
                    gpointer         user_data)
{
  g_autoptr(Request) request = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (native));

      request->callback (request->parent, files);
    }
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

void
fidac_file_chooser_run (GtkWindow            *parent,
                        gboolean              folder,
                        GFile                *start,
                        FidacFilesChosenFunc  callback)
{
  GtkFileChooserNative *native;

  native = gtk_file_chooser_native_new (title (folder), parent,
                                        folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                               : GTK_FILE_CHOOSER_ACTION_OPEN,
                                        _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), !folder);
  if (start != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (native), start, NULL);
  g_signal_connect (native, "response", G_CALLBACK (native_response_cb),
                    request_new (parent, callback));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

#endif
