/* fidac-test-crash.h: running a child process and killing it (SIGKILL) at a chosen moment,
 * for the crash tests of the store and of the annotation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Spawns `argv`, a child that writes "ready\n" on stdout once started and then works until
 * killed; `delay` µs after "ready" (0: at once, before it may even start) kills it with
 * SIGKILL, asserts that SIGKILL is what ended it, and returns all it wrote on stdout. */
GString *fidac_test_kill_child (const gchar * const *argv,
                                gint64               delay);

G_END_DECLS
