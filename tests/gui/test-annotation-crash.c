/* test-annotation-crash.c: a process painting through FidacAnnotation, the code path of the
 * views (press, motion, release; undo and redo; the lasso), is killed with SIGKILL at random
 * moments; a fresh store connection finds every step released before the kill, bit for bit,
 * and the step in flight whole or not at all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: test-annotation-crash [--tap] [PATH/TO/annotation-crash-child]
 *
 * What must be stored is replayed here with the same steps through another FidacAnnotation
 * committing to a reference store: reloading it at each round starts the replay, as the
 * child starts, with the stored map and an empty history (undo and redo depend on it).
 */
#include "config.h"

#include <string.h>

#include "annotation-crash-steps.h"
#include "fidac-test-crash.h"
#include "fidac-test-support.h"

#define ROUNDS 10
#define SEED 20261129

static const gchar *child_path;

/* Steps the child reported released (its last complete "released s" gives s + 1), or
 * `first` when none. A line cut by the kill (after the last newline) is not counted. */
static guint
released_steps (const gchar *out,
                guint        first,
                gboolean    *ready)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  guint n_lines = g_strv_length (lines);
  guint count = first;

  *ready = FALSE;
  for (guint l = 0; l + 1 < n_lines; l++)
    {
      if (g_str_equal (lines[l], "ready"))
        *ready = TRUE;
      else if (g_str_has_prefix (lines[l], "released "))
        {
          guint s = (guint) g_ascii_strtoull (lines[l] + 9, NULL, 10);

          g_assert_true (*ready);
          g_assert_cmpuint (s, ==, count);
          count = s + 1;
        }
      else
        g_error ("unexpected line from the child: %s", lines[l]);
    }
  return count;
}

typedef struct {
  guint kinds[4];               /* steps replayed, by CrashStepKind */
  guint undone;                 /* undo steps that changed something */
  guint redone;
} Tally;

static void
replay_step (FidacAnnotation *replay,
             guint            s,
             Tally           *tally)
{
  g_autoptr(GError) error = NULL;
  guint n_undo = fidac_annotation_get_n_undo (replay);
  guint n_redo = fidac_annotation_get_n_redo (replay);
  CrashStepKind kind;

  g_assert_true (crash_step (replay, s, &kind, &error));
  g_assert_no_error (error);
  tally->kinds[kind]++;
  if (kind == CRASH_STEP_UNDO && fidac_annotation_get_n_undo (replay) < n_undo)
    tally->undone++;
  if (kind == CRASH_STEP_REDO && fidac_annotation_get_n_redo (replay) < n_redo)
    tally->redone++;
}

static void
save_failed_cb (FidacAnnotation *annotation,
                const gchar     *message,
                gpointer         data)
{
  g_error ("the replay's commit failed: %s", message);
}

/* The session logs each commit's time at debug level: hundreds of lines here. */
static void
discard_debug (const gchar    *domain,
               GLogLevelFlags  level,
               const gchar    *message,
               gpointer        data)
{
}

static void
test_crash (void)
{
  g_autofree gchar *dir = fidac_test_mkdtemp ();
  g_autofree gchar *db = g_build_filename (dir, "fidac.db", NULL);
  g_autofree gchar *reference_db = g_build_filename (dir, "reference.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) volume = crash_volume (&error);
  g_autoptr(FidacAnnotation) replay = fidac_annotation_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);
  FidacStore *reference;
  FidacLabelMap *expected;
  Tally tally = { { 0 }, 0, 0 };
  guint committed = 0;          /* steps the database holds */
  guint in_flight = 0;          /* rounds where the step in flight had been committed */
  gsize n;

  g_assert_no_error (error);
  n = fidac_volume_n_voxels (volume);
  g_signal_connect (replay, "save-failed", G_CALLBACK (save_failed_cb), NULL);
  g_assert_true (fidac_annotation_set_volume (replay, volume, &error));
  g_assert_no_error (error);
  reference = fidac_store_open (reference_db, &error);
  g_assert_no_error (error);
  fidac_annotation_set_store (replay, reference);
  expected = fidac_annotation_get_map (replay);

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autofree gchar *first = g_strdup_printf ("%u", committed);
      const gchar *argv[] = { child_path, db, first, NULL };
      g_autoptr(GString) out = NULL;
      g_autoptr(FidacStore) store = NULL;
      g_autoptr(FidacStoreAnnotation) annotation = NULL;
      g_autoptr(FidacLabelMap) stored = NULL;
      /* From at once (killed while starting or loading) to some hundred steps. */
      gint64 delay = round == 0 ? 0 : g_rand_int_range (rand, 0, 600000);
      gboolean ready = FALSE;
      guint released;

      /* The replay starts where the child starts: the stored map, no history. */
      g_assert_true (fidac_annotation_load_stored (replay, &crash_reader, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (fidac_annotation_get_n_undo (replay), ==, 0);

      out = fidac_test_kill_child (argv, delay);

      released = released_steps (out->str, committed, &ready);
      g_assert_true (ready || delay == 0);

      /* A fresh connection after the writer died mid-way. */
      store = fidac_store_open (db, &error);
      g_assert_no_error (error);
      annotation = fidac_store_get_annotation (store, volume->series_uid, &crash_reader,
                                               FALSE, &error);
      if (annotation == NULL)
        {
          /* Killed before the session had made its annotation. */
          g_assert_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND);
          g_assert_cmpuint (released, ==, committed);
          g_clear_error (&error);
          g_test_message ("round %u: killed before the annotation existed", round);
          continue;
        }
      stored = fidac_label_map_new (volume, &error);
      g_assert_no_error (error);
      g_assert_true (fidac_store_load_labels (store, annotation->id, stored, &error));
      g_assert_no_error (error);

      /* Every released step is there... */
      while (committed < released)
        replay_step (replay, committed++, &tally);
      if (memcmp (stored->labels, expected->labels, n) != 0)
        {
          /* ...and the one in flight is there whole, or not at all. */
          replay_step (replay, committed++, &tally);
          g_assert_cmpmem (stored->labels, n, expected->labels, n);
          in_flight++;
        }
      /* The per-class counts were committed with the slices. */
      for (guint c = 1; c < FIDAC_LABEL_MAX_CLASSES; c++)
        g_assert_cmpuint (annotation->counts[c], ==, fidac_label_map_count (expected, c));
      g_test_message ("round %u: killed %.1f ms after ready, %u steps released, %u stored",
                      round, delay / 1000.0, released, committed);
    }

  g_test_message ("%u steps over %d kills (%u strokes, %u lassos, %u undo of which %u undid, "
                  "%u redo of which %u redid); the step in flight was already committed "
                  "%u times; %" G_GUINT64_FORMAT " labelled voxels at the end",
                  committed, ROUNDS, tally.kinds[CRASH_STEP_STROKE],
                  tally.kinds[CRASH_STEP_LASSO], tally.kinds[CRASH_STEP_UNDO], tally.undone,
                  tally.kinds[CRASH_STEP_REDO], tally.redone, in_flight,
                  n - fidac_label_map_count (expected, 0));
  g_assert_cmpuint (committed, >, ROUNDS);
  g_assert_cmpuint (tally.kinds[CRASH_STEP_STROKE], >, 0);
  g_clear_object (&replay);
  fidac_test_rmtree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_handler ("fidac-gui", G_LOG_LEVEL_DEBUG, discard_debug, NULL);

  if (argc > 1)
    child_path = argv[1];
  else
    child_path = g_test_get_filename (G_TEST_BUILT, "annotation-crash-child", NULL);

  g_test_add_func ("/fidac/annotation/crash", test_crash);
  return g_test_run ();
}
