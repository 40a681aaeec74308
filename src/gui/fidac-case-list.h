/* fidac-case-list.h: the cases of the local store, with the reader's progress on each.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A search entry over a list of the stored cases, most recently modified first: the series
 * description, a short series UID, the study date, the number of slices (the full UID and
 * the folder it was opened from in the tooltip), and a coloured tag "Not started", "In
 * progress" or "Complete" for the reader's annotation. Activating a case whose folder still
 * exists emits ::open-case; one whose folder is gone (or was never recorded) shows a message
 * in the list instead.
 *
 * The list keeps its own connection to the store at fidac_store_default_path(), opened on
 * the first refresh that finds the file (a list never creates it; recording a case does),
 * and opened again when that path changes (FIDAC_DATA_DIR).
 *
 * Signals:
 *   ::open-case (const gchar *path, const gchar *series_uid)
 */
#pragma once

#include <gtk/gtk.h>

#include "fidac-store.h"
#include "fidac-volume.h"

G_BEGIN_DECLS

#define FIDAC_TYPE_CASE_LIST (fidac_case_list_get_type ())

G_DECLARE_FINAL_TYPE (FidacCaseList, fidac_case_list, FIDAC, CASE_LIST, GtkWidget)

GtkWidget    *fidac_case_list_new              (void);

/* Whose progress the tags show: a reader id, or NULL (or "") for the most advanced of all
 * readers. Refreshes. */
void          fidac_case_list_set_reader_id    (FidacCaseList *self,
                                                const gchar   *reader_id);
const gchar  *fidac_case_list_get_reader_id    (FidacCaseList *self);

/* Reads the cases again. FALSE with an error (also shown in the list) when the store cannot
 * be read. */
gboolean      fidac_case_list_refresh          (FidacCaseList *self,
                                                GError       **error);
/* A refresh once the main loop is idle: several requests in a row make one. */
void          fidac_case_list_queue_refresh    (FidacCaseList *self);

/* Records `volume` as a case opened from `path` (NULL: not known), so that the list can
 * open it again, then refreshes. */
gboolean      fidac_case_list_record           (FidacCaseList     *self,
                                                const FidacVolume *volume,
                                                const gchar       *path,
                                                GError           **error);

GtkSearchEntry *fidac_case_list_get_search_entry (FidacCaseList *self);
/* Rows carry the series UID as data "fidac-series-uid" and their tag, a GtkLabel, as data
 * "fidac-status-label". */
GtkListBox   *fidac_case_list_get_list_box     (FidacCaseList *self);
/* The series UIDs of the rows that pass the search, in the order shown (transfer full). */
GPtrArray    *fidac_case_list_get_shown_uids   (FidacCaseList *self);
/* Opens the case of `series_uid` as activating its row does. FALSE (with the message shown)
 * when it cannot be opened. */
gboolean      fidac_case_list_open_case        (FidacCaseList *self,
                                                const gchar   *series_uid);
/* The message shown above the list (a missing folder, an unreadable store), or NULL. */
const gchar  *fidac_case_list_get_message      (FidacCaseList *self);

/* The tag's text of a progress, translated. */
const gchar  *fidac_case_list_progress_label   (FidacCaseProgress progress);

G_END_DECLS
