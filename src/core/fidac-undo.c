/* fidac-undo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fidac-undo.h"

/* `length` voxels from `start` went from `before` to `after`. 16 bytes. */
typedef struct {
  guint64 start;
  guint32 length;
  guint8  before;
  guint8  after;
} Run;

typedef struct {
  Run     *runs;
  gsize    n_runs;
  gint     k0, k1;
  /* Disjoint runs can be applied in any order; otherwise (a voxel changed twice in the
   * step) undo walks the runs backwards and redo forwards. */
  gboolean disjoint;
} Step;

struct _FidacUndo {
  FidacLabelMap *map;
  guint          max_steps;
  gsize          max_bytes;
  GQueue         undo;          /* Step*, head the oldest */
  GPtrArray     *redo;          /* Step*, last the next to redo */
  GArray        *open;          /* Run, NULL when no step is open */
  gsize          bytes;
};

static gsize
step_bytes (const Step *step)
{
  return sizeof (Step) + step->n_runs * sizeof (Run);
}

static void
step_free (gpointer data)
{
  Step *step = data;

  g_free (step->runs);
  g_free (step);
}

FidacUndo *
fidac_undo_new (FidacLabelMap *map,
                guint          max_steps,
                gsize          max_bytes)
{
  FidacUndo *undo;

  g_return_val_if_fail (map != NULL, NULL);
  g_return_val_if_fail (max_steps >= 1, NULL);

  undo = g_new0 (FidacUndo, 1);
  undo->map = fidac_label_map_ref (map);
  undo->max_steps = max_steps;
  undo->max_bytes = max_bytes;
  g_queue_init (&undo->undo);
  undo->redo = g_ptr_array_new ();
  return undo;
}

static void
clear_redo (FidacUndo *undo)
{
  for (guint n = 0; n < undo->redo->len; n++)
    {
      Step *step = g_ptr_array_index (undo->redo, n);

      undo->bytes -= step_bytes (step);
      step_free (step);
    }
  g_ptr_array_set_size (undo->redo, 0);
}

void
fidac_undo_clear (FidacUndo *undo)
{
  Step *step;

  g_return_if_fail (undo != NULL);

  clear_redo (undo);
  while ((step = g_queue_pop_head (&undo->undo)) != NULL)
    {
      undo->bytes -= step_bytes (step);
      step_free (step);
    }
  g_clear_pointer (&undo->open, g_array_unref);
}

void
fidac_undo_free (FidacUndo *undo)
{
  if (undo == NULL)
    return;

  fidac_undo_clear (undo);
  g_ptr_array_unref (undo->redo);
  fidac_label_map_unref (undo->map);
  g_free (undo);
}

FidacLabelMap *
fidac_undo_get_map (FidacUndo *undo)
{
  g_return_val_if_fail (undo != NULL, NULL);

  return undo->map;
}

gboolean
fidac_undo_begin (FidacUndo *undo)
{
  g_return_val_if_fail (undo != NULL, FALSE);

  if (undo->open != NULL)
    return FALSE;
  undo->open = g_array_sized_new (FALSE, FALSE, sizeof (Run), 256);
  return TRUE;
}

gboolean
fidac_undo_is_open (FidacUndo *undo)
{
  g_return_val_if_fail (undo != NULL, FALSE);

  return undo->open != NULL;
}

void
fidac_undo_record (FidacUndo *undo,
                   gsize      index,
                   gsize      length,
                   guint8     before,
                   guint8     after)
{
  gsize n_voxels;

  g_return_if_fail (undo != NULL);
  g_return_if_fail (undo->open != NULL);

  n_voxels = (gsize) undo->map->dims[0] * undo->map->dims[1] * undo->map->dims[2];
  g_return_if_fail (index < n_voxels && length <= n_voxels - index);
  g_return_if_fail (before < FIDAC_LABEL_MAX_CLASSES && after < FIDAC_LABEL_MAX_CLASSES);

  if (before == after)
    return;

  while (length > 0)
    {
      Run *last = undo->open->len > 0 ?
        &g_array_index (undo->open, Run, undo->open->len - 1) : NULL;
      gsize take;

      /* Strokes visit voxels row by row: most records extend the run before them. */
      if (last != NULL && last->start + last->length == index &&
          last->before == before && last->after == after && last->length < G_MAXUINT32)
        {
          take = MIN (length, (gsize) (G_MAXUINT32 - last->length));
          last->length += take;
        }
      else
        {
          Run run = { index, 0, before, after };

          take = MIN (length, (gsize) G_MAXUINT32);
          run.length = take;
          g_array_append_val (undo->open, run);
        }
      index += take;
      length -= take;
    }
}

guint8
fidac_undo_set (FidacUndo *undo,
                gsize      index,
                guint8     value)
{
  FidacLabelMap *map;
  gsize slice;
  guint8 old;

  g_return_val_if_fail (undo != NULL, FIDAC_LABEL_NONE);

  map = undo->map;
  slice = (gsize) map->dims[0] * map->dims[1];
  g_return_val_if_fail (index < slice * map->dims[2], FIDAC_LABEL_NONE);

  old = fidac_label_map_set (map, (gint) (index % map->dims[0]),
                             (gint) ((index / map->dims[0]) % map->dims[1]),
                             (gint) (index / slice), value);
  if (old != value && undo->open != NULL && map->labels[index] == value)
    fidac_undo_record (undo, index, 1, old, value);
  return old;
}

static gint
run_compare (gconstpointer a,
             gconstpointer b)
{
  const Run *ra = a, *rb = b;

  return ra->start < rb->start ? -1 : ra->start > rb->start ? 1 : 0;
}

/* Sorts and merges the open runs when they are disjoint: a stroke records each row it
 * crosses once per segment, and the fragments of one row merge back into one run. */
static Step *
step_from_runs (GArray *open,
                gsize   slice)
{
  g_autofree Run *sorted = g_memdup2 (open->data, open->len * sizeof (Run));
  Step *step = g_new0 (Step, 1);
  gsize n = open->len;

  qsort (sorted, n, sizeof (Run), run_compare);
  step->disjoint = TRUE;
  for (gsize r = 1; r < n; r++)
    if (sorted[r].start < sorted[r - 1].start + sorted[r - 1].length)
      {
        step->disjoint = FALSE;
        break;
      }

  if (step->disjoint)
    {
      gsize out = 0;

      for (gsize r = 0; r < n; r++)
        {
          Run *prev = out > 0 ? &sorted[out - 1] : NULL;

          if (prev != NULL && prev->start + prev->length == sorted[r].start &&
              prev->before == sorted[r].before && prev->after == sorted[r].after &&
              (guint64) prev->length + sorted[r].length <= G_MAXUINT32)
            prev->length += sorted[r].length;
          else
            sorted[out++] = sorted[r];
        }
      step->n_runs = out;
      step->runs = g_memdup2 (sorted, out * sizeof (Run));
    }
  else
    {
      step->n_runs = n;
      step->runs = g_memdup2 (open->data, n * sizeof (Run));
    }

  step->k0 = G_MAXINT;
  step->k1 = -1;
  for (gsize r = 0; r < step->n_runs; r++)
    {
      gint first = (gint) (step->runs[r].start / slice);
      gint last = (gint) ((step->runs[r].start + step->runs[r].length - 1) / slice);

      step->k0 = MIN (step->k0, first);
      step->k1 = MAX (step->k1, last);
    }
  return step;
}

static void
drop_oldest (FidacUndo *undo)
{
  Step *step = g_queue_pop_head (&undo->undo);

  undo->bytes -= step_bytes (step);
  step_free (step);
}

gboolean
fidac_undo_end (FidacUndo *undo,
                gint      *k0,
                gint      *k1)
{
  g_autoptr(GArray) open = NULL;
  Step *step;

  if (k0 != NULL)
    *k0 = -1;
  if (k1 != NULL)
    *k1 = -1;
  g_return_val_if_fail (undo != NULL, FALSE);
  g_return_val_if_fail (undo->open != NULL, FALSE);

  open = g_steal_pointer (&undo->open);
  if (open->len == 0)
    return FALSE;

  step = step_from_runs (open, (gsize) undo->map->dims[0] * undo->map->dims[1]);
  clear_redo (undo);
  g_queue_push_tail (&undo->undo, step);
  undo->bytes += step_bytes (step);

  while (undo->undo.length > undo->max_steps)
    drop_oldest (undo);
  while (undo->max_bytes > 0 && undo->bytes > undo->max_bytes && undo->undo.length > 1)
    drop_oldest (undo);

  if (k0 != NULL)
    *k0 = step->k0;
  if (k1 != NULL)
    *k1 = step->k1;
  return TRUE;
}

/* Writes `value` over `length` voxels from `start` that should hold `expected`, slice by
 * slice so the counts move in bulk. Returns how many voxels held something else. */
static gsize
apply_run (FidacLabelMap *map,
           guint64        start,
           gsize          length,
           guint8         expected,
           guint8         value)
{
  gsize slice = (gsize) map->dims[0] * map->dims[1];
  gsize unexpected = 0;

  while (length > 0)
    {
      gsize k = start / slice;
      gsize n = MIN (length, slice - start % slice);
      guint8 *labels = map->labels + start;
      guint32 *counts = map->counts + k * FIDAC_LABEL_MAX_CLASSES;
      gsize same = 0;

      while (same < n && labels[same] == expected)
        same++;
      if (same == n)
        {
          memset (labels, value, n);
          counts[expected] -= (guint32) n;
          counts[value] += (guint32) n;
        }
      else
        for (gsize v = 0; v < n; v++)
          {
            if (labels[v] != expected)
              unexpected++;
            counts[labels[v]]--;
            counts[value]++;
            labels[v] = value;
          }
      map->dirty[k] = 1;
      start += n;
      length -= n;
    }
  return unexpected;
}

static void
apply_step (FidacUndo *undo,
            Step      *step,
            gboolean   forward)
{
  gsize unexpected = 0;

  for (gsize n = 0; n < step->n_runs; n++)
    {
      const Run *run = &step->runs[forward || step->disjoint ? n : step->n_runs - 1 - n];

      unexpected += apply_run (undo->map, run->start, run->length,
                               forward ? run->before : run->after,
                               forward ? run->after : run->before);
    }
  /* The map was changed behind the history's back: a caller's bug, not the user's. */
  if (unexpected > 0)
    g_warning ("undo: %" G_GSIZE_FORMAT " voxels did not hold the recorded value", unexpected);
}

gboolean
fidac_undo_undo (FidacUndo *undo,
                 gint      *k0,
                 gint      *k1)
{
  Step *step;

  if (k0 != NULL)
    *k0 = -1;
  if (k1 != NULL)
    *k1 = -1;
  g_return_val_if_fail (undo != NULL, FALSE);

  if (undo->open != NULL || undo->undo.length == 0)
    return FALSE;

  step = g_queue_pop_tail (&undo->undo);
  apply_step (undo, step, FALSE);
  g_ptr_array_add (undo->redo, step);
  if (k0 != NULL)
    *k0 = step->k0;
  if (k1 != NULL)
    *k1 = step->k1;
  return TRUE;
}

gboolean
fidac_undo_redo (FidacUndo *undo,
                 gint      *k0,
                 gint      *k1)
{
  Step *step;

  if (k0 != NULL)
    *k0 = -1;
  if (k1 != NULL)
    *k1 = -1;
  g_return_val_if_fail (undo != NULL, FALSE);

  if (undo->open != NULL || undo->redo->len == 0)
    return FALSE;

  step = g_ptr_array_steal_index (undo->redo, undo->redo->len - 1);
  apply_step (undo, step, TRUE);
  g_queue_push_tail (&undo->undo, step);
  if (k0 != NULL)
    *k0 = step->k0;
  if (k1 != NULL)
    *k1 = step->k1;
  return TRUE;
}

guint
fidac_undo_n_undo (FidacUndo *undo)
{
  g_return_val_if_fail (undo != NULL, 0);

  return undo->undo.length;
}

guint
fidac_undo_n_redo (FidacUndo *undo)
{
  g_return_val_if_fail (undo != NULL, 0);

  return undo->redo->len;
}

gsize
fidac_undo_get_bytes (FidacUndo *undo)
{
  g_return_val_if_fail (undo != NULL, 0);

  return undo->bytes;
}
