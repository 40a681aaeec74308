/* fidac-undo.h: undo and redo of label map edits, as deltas.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A step is what one user action changed (a stroke, a fill, a cleared slice), opened by
 * fidac_undo_begin() and closed by fidac_undo_end(). It keeps runs of consecutive voxels
 * (in label map index order) that went from one value to another: a few bytes per row a
 * stroke crossed, never a copy of the map. Steps beyond `max_steps`, or the oldest ones
 * while the history holds more than `max_bytes`, are dropped; the newest step is always
 * kept, so the last action (a fill that leaked into the whole lung) can be undone even
 * when it alone is above the cap. Ending a step that changed something clears the redo
 * list; a step that changed nothing is discarded and leaves history and redo alone.
 *
 * Every change of the map while a history exists must go through it (fidac_undo_set()
 * or fidac_undo_record() within a step), or the history be cleared (loading another
 * annotation): undo restores the recorded values, whatever the map holds then.
 */
#pragma once

#include <glib.h>

#include "fidac-label-map.h"

G_BEGIN_DECLS

#define FIDAC_UNDO_DEFAULT_STEPS 200
#define FIDAC_UNDO_DEFAULT_BYTES (64 * 1024 * 1024)

typedef struct _FidacUndo FidacUndo;

/* A history for `map` (referenced). max_steps >= 1; max_bytes 0 means no memory cap. */
FidacUndo *fidac_undo_new          (FidacLabelMap *map,
                                    guint          max_steps,
                                    gsize          max_bytes);
void       fidac_undo_free         (FidacUndo     *undo);
FidacLabelMap *fidac_undo_get_map  (FidacUndo     *undo);

/* Opens a step; FALSE (and nothing opened) when one is already open. */
gboolean   fidac_undo_begin        (FidacUndo     *undo);
gboolean   fidac_undo_is_open      (FidacUndo     *undo);
/* Closes the open step; TRUE when it changed something and was kept. k0..k1 receive the
 * slices it changed (both -1 when nothing), either may be NULL. */
gboolean   fidac_undo_end          (FidacUndo     *undo,
                                    gint          *k0,
                                    gint          *k1);

/* Sets voxel `index` of the map to `value` (through fidac_label_map_set(), so counts and
 * dirty flags stay exact) and records the change in the open step, if one is open.
 * Returns the previous value. */
guint8     fidac_undo_set          (FidacUndo     *undo,
                                    gsize          index,
                                    guint8         value);
/* Records that `length` voxels from `index` went from `before` to `after` (for callers that
 * wrote the map themselves). Needs an open step. Within a step a voxel may change several
 * times: undo restores the first `before`, redo the last `after`. */
void       fidac_undo_record       (FidacUndo     *undo,
                                    gsize          index,
                                    gsize          length,
                                    guint8         before,
                                    guint8         after);

/* Undoes the newest step (redoes the last undone one): FALSE when there is none or a step
 * is open. k0..k1 receive the slices changed, for texture updates and the store. */
gboolean   fidac_undo_undo         (FidacUndo     *undo,
                                    gint          *k0,
                                    gint          *k1);
gboolean   fidac_undo_redo         (FidacUndo     *undo,
                                    gint          *k0,
                                    gint          *k1);

guint      fidac_undo_n_undo       (FidacUndo     *undo);
guint      fidac_undo_n_redo       (FidacUndo     *undo);
/* Memory held by the closed steps (undo and redo), in bytes. */
gsize      fidac_undo_get_bytes    (FidacUndo     *undo);
/* Forgets every step (the map is left as it is); an open step is discarded. */
void       fidac_undo_clear        (FidacUndo     *undo);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FidacUndo, fidac_undo_free)

G_END_DECLS
