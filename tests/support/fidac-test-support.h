/* fidac-test-support.h: small helpers shared by the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fidac-label-map.h"

G_BEGIN_DECLS

/* Path of a real series under ../shared/data/ct/, or NULL (after g_test_skip() with a
 * message naming the missing folder) when the shared data is not there. */
gchar *fidac_test_shared_ct (const gchar *name);

/* A fresh temporary folder, removed with its content by fidac_test_rmtree(). */
gchar *fidac_test_mkdtemp (void);
void   fidac_test_rmtree  (const gchar *path);

/* How many entries the folder `dir` holds (asserts that it can be read). */
guint  fidac_test_count_entries (const gchar *dir);

/* Whether one of `warnings` (gchar*) contains `a` and, unless NULL, `b`. */
gboolean fidac_test_warnings_contain (GPtrArray   *warnings,
                                      const gchar *a,
                                      const gchar *b);

/* Aborts, with `text` in the message, unless the report's text holds `wanted`. */
void fidac_test_assert_in_report (const gchar *text,
                                  const gchar *wanted);

/* An empty label map on the grid of `volume`; asserts that it could be made. */
FidacLabelMap *fidac_test_label_map_new (const FidacVolume *volume);

/* Asserts that every per-slice, per-class count of `map` equals an independent recount of
 * its labels. */
void fidac_test_assert_label_counts (const FidacLabelMap *map);

G_END_DECLS
