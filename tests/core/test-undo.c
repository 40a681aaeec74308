/* test-undo.c: undo and redo of label map edits, bit for bit, and the history's limits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fidac-label-map.h"
#include "fidac-test-support.h"
#include "fidac-paint.h"
#include "fidac-undo.h"

/* Bytes of one closed step with `runs` runs: measured once, the runs being 16 bytes. */
#define RUN_BYTES 16

static FidacVolume *
make_volume (gint n, gdouble spacing)
{
  g_autoptr(GError) error = NULL;
  FidacVolume *volume = fidac_volume_new (n, n, n, &error);
  const gdouble origin[3] = { 0, 0, 0 }, x[3] = { 1, 0, 0 }, y[3] = { 0, 1, 0 };
  const gdouble z[3] = { 0, 0, 1 }, s[3] = { spacing, spacing, spacing };

  g_assert_no_error (error);
  g_assert_true (fidac_volume_set_geometry (volume, origin, x, y, z, s, NULL));
  memset (volume->voxels, 0, fidac_volume_n_voxels (volume) * sizeof (gint16));
  return volume;
}

static gsize
n_voxels (const FidacLabelMap *map)
{
  return (gsize) map->dims[0] * map->dims[1] * map->dims[2];
}

static void
assert_same (const FidacLabelMap *map, const guint8 *reference)
{
  g_assert_cmpmem (map->labels, n_voxels (map), reference, n_voxels (map));
  fidac_test_assert_label_counts (map);
}

static void
test_basic (void)
{
  g_autoptr(FidacVolume) volume = make_volume (8, 1);
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);
  g_autoptr(FidacUndo) undo = fidac_undo_new (map, 100, 0);
  g_autofree guint8 *empty = g_malloc0 (n_voxels (map));
  g_autofree guint8 *one = NULL;
  gint k0, k1;

  g_assert_true (fidac_undo_get_map (undo) == map);
  g_assert_false (fidac_undo_undo (undo, &k0, &k1));
  g_assert_cmpint (k0, ==, -1);
  g_assert_false (fidac_undo_redo (undo, NULL, NULL));
  g_assert_cmpuint (fidac_undo_get_bytes (undo), ==, 0);

  /* Step 1: voxels on slices 2 and 5. */
  g_assert_true (fidac_undo_begin (undo));
  g_assert_false (fidac_undo_begin (undo));
  g_assert_cmpuint (fidac_undo_set (undo, 2 * 64 + 3, 1), ==, 0);
  g_assert_cmpuint (fidac_undo_set (undo, 2 * 64 + 4, 1), ==, 0);
  g_assert_cmpuint (fidac_undo_set (undo, 5 * 64 + 63, 2), ==, 0);
  /* Undo and redo wait for the step to close. */
  g_assert_false (fidac_undo_undo (undo, NULL, NULL));
  g_assert_true (fidac_undo_end (undo, &k0, &k1));
  g_assert_cmpint (k0, ==, 2);
  g_assert_cmpint (k1, ==, 5);
  one = g_memdup2 (map->labels, n_voxels (map));
  g_assert_cmpuint (fidac_label_map_count (map, 1), ==, 2);
  /* Two runs (3..4 and 383), of 16 bytes each. */
  g_assert_cmpuint (fidac_undo_get_bytes (undo), >, 2 * RUN_BYTES);
  g_assert_cmpuint (fidac_undo_get_bytes (undo), <=, 2 * RUN_BYTES + 64);

  fidac_label_map_clear_dirty (map);
  g_assert_true (fidac_undo_undo (undo, &k0, &k1));
  g_assert_cmpint (k0, ==, 2);
  g_assert_cmpint (k1, ==, 5);
  assert_same (map, empty);
  g_assert_true (fidac_label_map_get_dirty (map, &k0, &k1));
  g_assert_cmpint (k0, ==, 2);
  g_assert_cmpint (k1, ==, 5);
  g_assert_false (map->dirty[3] || map->dirty[4]);
  g_assert_cmpuint (fidac_undo_n_undo (undo), ==, 0);
  g_assert_cmpuint (fidac_undo_n_redo (undo), ==, 1);

  g_assert_true (fidac_undo_redo (undo, NULL, NULL));
  assert_same (map, one);
  g_assert_false (fidac_undo_redo (undo, NULL, NULL));

  /* An empty step is discarded and leaves redo alone. */
  g_assert_true (fidac_undo_undo (undo, NULL, NULL));
  g_assert_true (fidac_undo_begin (undo));
  g_assert_cmpuint (fidac_undo_set (undo, 0, 0), ==, 0);
  g_assert_false (fidac_undo_end (undo, &k0, &k1));
  g_assert_cmpint (k0, ==, -1);
  g_assert_cmpuint (fidac_undo_n_redo (undo), ==, 1);

  /* A step that changes something clears redo. */
  g_assert_true (fidac_undo_begin (undo));
  fidac_undo_set (undo, 7, 3);
  g_assert_true (fidac_undo_end (undo, NULL, NULL));
  g_assert_cmpuint (fidac_undo_n_redo (undo), ==, 0);
  g_assert_false (fidac_undo_redo (undo, NULL, NULL));
  g_assert_cmpuint (fidac_undo_n_undo (undo), ==, 1);

  fidac_undo_clear (undo);
  g_assert_cmpuint (fidac_undo_n_undo (undo), ==, 0);
  g_assert_cmpuint (fidac_undo_get_bytes (undo), ==, 0);
  g_assert_cmpuint (fidac_label_map_get (map, 7, 0, 0), ==, 3);
}

/* A voxel changed several times in one step: undo restores the first value, redo the
 * last, including runs recorded by a caller that wrote the map itself. */
static void
test_overlap (void)
{
  g_autoptr(FidacVolume) volume = make_volume (6, 1);
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);
  g_autoptr(FidacUndo) undo = fidac_undo_new (map, 100, 0);
  g_autofree guint8 *before = NULL, *after = NULL;

  for (gsize n = 0; n < n_voxels (map); n++)
    map->labels[n] = n % 3;
  fidac_label_map_touch (map, 0, 5);
  before = g_memdup2 (map->labels, n_voxels (map));

  g_assert_true (fidac_undo_begin (undo));
  for (gsize n = 30; n < 90; n++)
    fidac_undo_set (undo, n, 4);
  for (gsize n = 60; n < 120; n++)
    fidac_undo_set (undo, n, 5);
  fidac_undo_set (undo, 70, 0);
  /* The caller writes 150..159 itself, then records what it did. */
  for (gsize n = 150; n < 160; n++)
    {
      guint8 old = map->labels[n];

      fidac_label_map_set (map, n % 6, (n / 6) % 6, n / 36, 7);
      fidac_undo_record (undo, n, 1, old, 7);
    }
  fidac_undo_record (undo, 150, 10, 7, 7);       /* no change: ignored */
  g_assert_true (fidac_undo_end (undo, NULL, NULL));
  after = g_memdup2 (map->labels, n_voxels (map));
  g_assert_cmpuint (after[70], ==, 0);
  g_assert_cmpuint (after[65], ==, 5);
  g_assert_cmpuint (after[40], ==, 4);

  for (gint round = 0; round < 3; round++)
    {
      g_assert_true (fidac_undo_undo (undo, NULL, NULL));
      assert_same (map, before);
      g_assert_true (fidac_undo_redo (undo, NULL, NULL));
      assert_same (map, after);
    }
}

/* Random strokes, undos and redos against a copy of the map after every step. */
static void
test_random (void)
{
  g_autoptr(FidacVolume) volume = make_volume (24, 1.5);
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);
  g_autoptr(FidacUndo) undo = fidac_undo_new (map, 1000, 0);
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);
  guint position = 0;      /* states[position] is the map now; states beyond it are redo */

  g_ptr_array_add (states, g_malloc0 (n_voxels (map)));
  for (gint op = 0; op < 400; op++)
    {
      gint what = g_rand_int_range (rand, 0, 10);

      if (what < 5)
        {
          FidacBrush brush;
          gdouble a[3], b[3];
          gint segments = g_rand_int_range (rand, 1, 4);
          gboolean kept;

          fidac_brush_init (&brush);
          brush.mode = g_rand_int_range (rand, 0, 4) == 0 ?
            (g_rand_boolean (rand) ? FIDAC_PAINT_ERASE_ALL : FIDAC_PAINT_ERASE_CLASS) :
            FIDAC_PAINT_DRAW;
          brush.label = g_rand_int_range (rand, 1, 4);
          brush.shape = g_rand_boolean (rand) ? FIDAC_BRUSH_SPHERE : FIDAC_BRUSH_DISC;
          brush.diameter = g_rand_double_range (rand, 1, 15);
          brush.normal[0] = g_rand_double_range (rand, -1, 1);
          brush.normal[1] = g_rand_double_range (rand, -1, 1);
          brush.normal[2] = 0.5;
          brush.over = g_rand_int_range (rand, 0, 3);
          brush.over_label = g_rand_int_range (rand, 0, 4);
          for (gint c = 0; c < 3; c++)
            a[c] = g_rand_double_range (rand, -3, 38);

          g_assert_true (fidac_undo_begin (undo));
          for (gint s = 0; s < segments; s++)
            {
              for (gint c = 0; c < 3; c++)
                b[c] = a[c] + g_rand_double_range (rand, -8, 8);
              g_assert_cmpint (fidac_paint_segment (map, volume, &brush, a, b, undo, NULL),
                               >=, 0);
              memcpy (a, b, sizeof a);
            }
          kept = fidac_undo_end (undo, NULL, NULL);
          if (kept)
            {
              g_ptr_array_set_size (states, position + 1);
              g_ptr_array_add (states, g_memdup2 (map->labels, n_voxels (map)));
              position++;
              g_assert_cmpuint (fidac_undo_n_redo (undo), ==, 0);
            }
          else
            g_assert_cmpmem (map->labels, n_voxels (map), states->pdata[position],
                             n_voxels (map));
        }
      else if (what < 8)
        {
          g_assert_cmpint (fidac_undo_undo (undo, NULL, NULL), ==, position > 0);
          if (position > 0)
            position--;
        }
      else
        {
          gboolean can = position + 1 < states->len;

          g_assert_cmpint (fidac_undo_redo (undo, NULL, NULL), ==, can);
          if (can)
            position++;
        }
      assert_same (map, states->pdata[position]);
      g_assert_cmpuint (fidac_undo_n_undo (undo), ==, position);
      g_assert_cmpuint (fidac_undo_n_redo (undo), ==, states->len - 1 - position);
    }
  g_test_message ("%u states, %" G_GSIZE_FORMAT " bytes of history", states->len,
                  fidac_undo_get_bytes (undo));

  /* All the way back and forth. */
  while (fidac_undo_undo (undo, NULL, NULL))
    ;
  assert_same (map, states->pdata[0]);
  while (fidac_undo_redo (undo, NULL, NULL))
    ;
  assert_same (map, states->pdata[states->len - 1]);
}

/* One step that sets `n` separate voxels (n runs), from `start`, every other voxel. */
static void
separate_step (FidacUndo *undo, gsize start, gsize n, guint8 value)
{
  g_assert_true (fidac_undo_begin (undo));
  for (gsize v = 0; v < n; v++)
    fidac_undo_set (undo, start + 2 * v, value);
  g_assert_true (fidac_undo_end (undo, NULL, NULL));
}

static void
test_limits (void)
{
  g_autoptr(FidacVolume) volume = make_volume (32, 1);
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func (g_free);
  gsize overhead, step_bytes;

  /* The size of a step: runs of 16 bytes plus a constant. */
  {
    g_autoptr(FidacUndo) undo = fidac_undo_new (map, 100, 0);

    separate_step (undo, 0, 1, 1);
    overhead = fidac_undo_get_bytes (undo) - RUN_BYTES;
    separate_step (undo, 100, 50, 1);
    g_assert_cmpuint (fidac_undo_get_bytes (undo), ==, 2 * overhead + 51 * RUN_BYTES);
    /* A contiguous row is one run however it was painted. */
    g_assert_true (fidac_undo_begin (undo));
    for (gsize v = 2000; v > 1000; v--)
      fidac_undo_set (undo, v, 2);
    g_assert_true (fidac_undo_end (undo, NULL, NULL));
    g_assert_cmpuint (fidac_undo_get_bytes (undo), ==, 3 * overhead + 52 * RUN_BYTES);
    fidac_undo_clear (undo);
    g_assert_cmpuint (fidac_undo_get_bytes (undo), ==, 0);
    memset (map->labels, 0, n_voxels (map));
    fidac_label_map_touch (map, 0, map->dims[2] - 1);
  }
  step_bytes = overhead + 100 * RUN_BYTES;

  /* At most 3 steps: the oldest go. */
  {
    g_autoptr(FidacUndo) undo = fidac_undo_new (map, 3, 0);

    g_ptr_array_add (states, g_memdup2 (map->labels, n_voxels (map)));
    for (gint s = 0; s < 5; s++)
      {
        separate_step (undo, 1000 * s, 100, s + 1);
        g_ptr_array_add (states, g_memdup2 (map->labels, n_voxels (map)));
      }
    g_assert_cmpuint (fidac_undo_n_undo (undo), ==, 3);
    g_assert_cmpuint (fidac_undo_get_bytes (undo), ==, 3 * step_bytes);
    for (gint s = 4; s >= 2; s--)
      {
        g_assert_true (fidac_undo_undo (undo, NULL, NULL));
        assert_same (map, states->pdata[s]);
      }
    g_assert_false (fidac_undo_undo (undo, NULL, NULL));
    while (fidac_undo_redo (undo, NULL, NULL))
      ;
    assert_same (map, states->pdata[5]);
  }

  /* A memory cap of 2.5 steps keeps 2; a step above the cap alone is still kept. */
  {
    g_autoptr(FidacUndo) undo = fidac_undo_new (map, 100, 2 * step_bytes + step_bytes / 2);
    g_autofree guint8 *before_big = NULL;

    g_ptr_array_set_size (states, 0);
    g_ptr_array_add (states, g_memdup2 (map->labels, n_voxels (map)));
    for (gint s = 0; s < 6; s++)
      {
        separate_step (undo, 1000 * s + 1, 100, 9);
        g_ptr_array_add (states, g_memdup2 (map->labels, n_voxels (map)));
        g_assert_cmpuint (fidac_undo_n_undo (undo), ==, MIN (s + 1, 2));
        g_assert_cmpuint (fidac_undo_get_bytes (undo), <=, 2 * step_bytes + step_bytes / 2);
      }
    g_assert_true (fidac_undo_undo (undo, NULL, NULL));
    g_assert_true (fidac_undo_undo (undo, NULL, NULL));
    assert_same (map, states->pdata[4]);
    g_assert_false (fidac_undo_undo (undo, NULL, NULL));
    /* Redo steps count too, and a new step clears them first. */
    g_assert_cmpuint (fidac_undo_get_bytes (undo), ==, 2 * step_bytes);

    before_big = g_memdup2 (map->labels, n_voxels (map));
    separate_step (undo, 7000, 1000, 10);
    g_assert_cmpuint (fidac_undo_n_undo (undo), ==, 1);
    g_assert_cmpuint (fidac_undo_n_redo (undo), ==, 0);
    g_assert_cmpuint (fidac_undo_get_bytes (undo), ==, overhead + 1000 * RUN_BYTES);
    g_assert_true (fidac_undo_undo (undo, NULL, NULL));
    assert_same (map, before_big);
  }
}

/* A map changed behind the history's back: undo still keeps the counts exact, and says so. */
static void
test_desync (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(FidacVolume) volume = make_volume (4, 1);
      g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);
      g_autoptr(FidacUndo) undo = fidac_undo_new (map, 10, 0);

      fidac_undo_begin (undo);
      fidac_undo_set (undo, 5, 1);
      fidac_undo_end (undo, NULL, NULL);
      fidac_label_map_set (map, 1, 1, 0, 2);
      fidac_undo_undo (undo, NULL, NULL);
      g_assert_cmpuint (map->labels[5], ==, 0);
      fidac_test_assert_label_counts (map);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*1 voxels did not hold the recorded value*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fidac/undo/basic", test_basic);
  g_test_add_func ("/fidac/undo/overlap", test_overlap);
  g_test_add_func ("/fidac/undo/random", test_random);
  g_test_add_func ("/fidac/undo/limits", test_limits);
  g_test_add_func ("/fidac/undo/desync", test_desync);

  return g_test_run ();
}
