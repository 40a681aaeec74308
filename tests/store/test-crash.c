/* test-crash.c: a process committing strokes is killed (SIGKILL) at random moments; a fresh
 * connection finds every stroke reported committed, bit for bit, and no half stroke.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: test-crash [--tap] PATH/TO/store-crash-child
 */
#include "config.h"

#include <string.h>

#include "crash-strokes.h"
#include "fidac-test-crash.h"
#include "fidac-test-support.h"

#define ROUNDS 12

static const gchar *child_path;

/* Number of strokes the child reported committed (its last complete "committed s" line
 * gives s + 1), or `first` when none. */
static guint
reported_strokes (const gchar *out, guint first, gboolean *ready)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  guint count = first;
  guint n_lines = g_strv_length (lines);

  *ready = FALSE;
  /* The last element follows the last newline: a line cut by the kill, never counted. */
  for (guint l = 0; l + 1 < n_lines; l++)
    {
      if (g_str_equal (lines[l], "ready"))
        *ready = TRUE;
      else if (g_str_has_prefix (lines[l], "committed "))
        {
          guint s = (guint) g_ascii_strtoull (lines[l] + 10, NULL, 10);

          g_assert_cmpuint (s, ==, count);
          count = s + 1;
        }
      else
        g_error ("unexpected line from the child: %s", lines[l]);
    }
  return count;
}

static void
test_crash (void)
{
  g_autofree gchar *dir = fidac_test_mkdtemp ();
  g_autofree gchar *db = g_build_filename (dir, "fidac.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) volume = crash_volume (&error);
  g_autoptr(FidacLabelMap) expected = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260415);
  gsize n;
  guint committed = 0;          /* strokes the database holds */
  guint unreported = 0;         /* rounds where the stroke in flight had been committed */

  g_assert_no_error (error);
  expected = fidac_label_map_new (volume, &error);
  g_assert_no_error (error);
  n = fidac_volume_n_voxels (volume);

  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autofree gchar *first = g_strdup_printf ("%u", committed);
      const gchar *argv[] = { child_path, db, first, NULL };
      g_autoptr(GString) out = NULL;
      g_autoptr(FidacStore) store = NULL;
      g_autoptr(FidacStoreAnnotation) annotation = NULL;
      g_autoptr(FidacLabelMap) stored = NULL;
      /* From at once (killed while opening or loading) to a few hundred strokes. */
      gint64 delay = round == 0 ? 0 : g_rand_int_range (rand, 0, 400000);
      gboolean ready = FALSE;
      guint reported;

      out = fidac_test_kill_child (argv, delay);

      reported = reported_strokes (out->str, committed, &ready);
      g_assert_true (ready || delay == 0);

      /* A fresh connection, in this process, after the writer died mid-way. */
      store = fidac_store_open (db, &error);
      g_assert_no_error (error);
      annotation = fidac_store_get_annotation (store, volume->series_uid, &crash_reader,
                                               FALSE, &error);
      if (annotation == NULL)
        {
          /* Killed before it even created the annotation. */
          g_assert_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND);
          g_assert_cmpuint (reported, ==, 0);
          g_clear_error (&error);
          g_test_message ("round %u: killed before the annotation existed", round);
          continue;
        }
      stored = fidac_label_map_new (volume, &error);
      g_assert_true (fidac_store_load_labels (store, annotation->id, stored, &error));
      g_assert_no_error (error);

      /* Every reported stroke is there... */
      while (committed < reported)
        crash_stroke (expected, committed++);
      if (memcmp (stored->labels, expected->labels, n) != 0)
        {
          /* ...and the one in flight is there whole, or not at all. */
          crash_stroke (expected, committed++);
          g_assert_cmpmem (stored->labels, n, expected->labels, n);
          unreported++;
        }
      /* The per-class counts were committed with the slices. */
      for (guint c = 1; c < FIDAC_LABEL_MAX_CLASSES; c++)
        g_assert_cmpuint (annotation->counts[c], ==, fidac_label_map_count (expected, c));
      g_test_message ("round %u: killed after %.1f ms, %u strokes reported, %u stored",
                      round, delay / 1000.0, reported, committed);
    }
  g_test_message ("%u strokes over %d kills; the stroke in flight was already committed %u "
                  "times", committed, ROUNDS, unreported);
  g_assert_cmpuint (committed, >, ROUNDS);
  fidac_test_rmtree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (argc > 1)
    child_path = argv[1];
  else
    child_path = g_test_get_filename (G_TEST_BUILT, "store", "store-crash-child", NULL);

  g_test_add_func ("/fidac/store/crash", test_crash);
  return g_test_run ();
}
