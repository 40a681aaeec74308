/* test-store.c: the local database: exact round trips, per-stroke writes, case statuses,
 * damaged and newer files, two connections.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "fidac-phantom.h"
#include "fidac-store-private.h"
#include "fidac-test-support.h"

static const FidacReader expert = { "Dr Alice Martin", "10001234567", FIDAC_READER_ROLE_EXPERT };
static const FidacReader reviewer = { "Dr Bob Durand", "10007654321", FIDAC_READER_ROLE_REVIEWER };

typedef struct {
  gchar *dir;
  gchar *path;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = fidac_test_mkdtemp ();
  f->path = g_build_filename (f->dir, "sub", "fidac.db", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  fidac_test_rmtree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static FidacStore *
open_store (const gchar *path)
{
  g_autoptr(GError) error = NULL;
  FidacStore *store = fidac_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static FidacVolume *
make_volume (gint columns, gint rows, gint slices, const gchar *uid)
{
  g_autoptr(GError) error = NULL;
  FidacVolume *volume = fidac_volume_new (columns, rows, slices, &error);

  g_assert_no_error (error);
  memset (volume->voxels, 0, fidac_volume_n_voxels (volume) * sizeof (gint16));
  volume->series_uid = g_strdup (uid);
  volume->study_uid = g_strdup ("1.2.3.4");
  volume->series_description = g_strdup ("Thorax");
  return volume;
}

static void
put_case (FidacStore *store, const FidacVolume *volume, const gchar *path)
{
  g_autoptr(FidacStoreCase) c = fidac_store_case_new_from_volume (volume, path);
  g_autoptr(GError) error = NULL;

  g_assert_true (fidac_store_put_case (store, c, &error));
  g_assert_no_error (error);
}

static gint64
annotation_id (FidacStore *store, const gchar *series_uid, const FidacReader *reader)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacStoreAnnotation) a =
    fidac_store_get_annotation (store, series_uid, reader, TRUE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (a);
  return a->id;
}

static void
save (FidacStore *store, gint64 id, FidacLabelMap *map)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fidac_store_save_slices (store, id, map, NULL, &error));
  g_assert_no_error (error);
  fidac_label_map_clear_dirty (map);
}

static gint64
query_int (FidacStore *store, const gchar *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (store->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  return value;
}

static void
paint_disc (FidacLabelMap *map, gint ci, gint cj, gint k, gint radius, guint8 value)
{
  for (gint j = MAX (cj - radius, 0); j <= MIN (cj + radius, map->dims[1] - 1); j++)
    for (gint i = MAX (ci - radius, 0); i <= MIN (ci + radius, map->dims[0] - 1); i++)
      if ((i - ci) * (i - ci) + (j - cj) * (j - cj) <= radius * radius)
        fidac_label_map_set (map, i, j, k, value);
}

static GBytes *
read_bytes (const gchar *path)
{
  g_autoptr(GError) error = NULL;
  gchar *contents = NULL;
  gsize size = 0;

  g_assert_true (g_file_get_contents (path, &contents, &size, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, size);
}

/* Codec */

static void
assert_decodes_to (GByteArray *blob, const guint8 *labels, gsize n)
{
  g_autofree guint8 *back = g_malloc (n);
  g_autoptr(GError) error = NULL;

  memset (back, 0xee, n);
  g_assert_true (fidac_store_decode_slice (blob->data, blob->len, back, n, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (back, n, labels, n);
}

static void
assert_damaged (const guint8 *data, gsize size, gsize n)
{
  g_autofree guint8 *back = g_malloc (n);
  g_autoptr(GError) error = NULL;

  g_assert_false (fidac_store_decode_slice (data, size, back, n, &error));
  g_assert_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_CORRUPT);
}

static void
test_codec (void)
{
  const gsize n = 512 * 512;
  g_autofree guint8 *labels = g_malloc0 (n);
  g_autoptr(GByteArray) blob = g_byte_array_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  /* All zero: format, LEB128 of 262144 (3 bytes), value. */
  fidac_store_encode_slice (labels, n, blob);
  g_assert_cmpuint (blob->len, ==, 5);
  g_assert_cmpuint (blob->data[0], ==, FIDAC_SLICE_RUNS);
  g_assert_cmpuint (blob->data[1], ==, 0x80);
  g_assert_cmpuint (blob->data[2], ==, 0x80);
  g_assert_cmpuint (blob->data[3], ==, 0x10);
  g_assert_cmpuint (blob->data[4], ==, 0);
  assert_decodes_to (blob, labels, n);

  /* One voxel of class 3 at the end of the first row. */
  labels[511] = 3;
  g_byte_array_set_size (blob, 0);
  fidac_store_encode_slice (labels, n, blob);
  {
    const guint8 expected[] = { 1, 0xff, 0x03, 0, 1, 3, 0x80, 0xfc, 0x0f, 0 };

    g_assert_cmpmem (blob->data, blob->len, expected, sizeof expected);
  }
  assert_decodes_to (blob, labels, n);

  /* Many runs: deflated, and still exact. */
  for (gsize i = 0; i < n; i++)
    labels[i] = ((i / 7) % 5 == 0) ? 2 : (i % 512 < 100 ? 1 : 0);
  g_byte_array_set_size (blob, 0);
  fidac_store_encode_slice (labels, n, blob);
  g_assert_cmpuint (blob->data[0], ==, FIDAC_SLICE_DEFLATE);
  assert_decodes_to (blob, labels, n);

  /* Noise does not deflate below its runs: kept as runs, exact. */
  for (gsize i = 0; i < n; i++)
    labels[i] = g_rand_int_range (rand, 0, FIDAC_LABEL_MAX_CLASSES);
  g_byte_array_set_size (blob, 0);
  fidac_store_encode_slice (labels, n, blob);
  assert_decodes_to (blob, labels, n);

  /* Damaged rows. */
  {
    const guint8 empty[] = { 0 };
    const guint8 bad_format[] = { 9, 4, 0 };
    const guint8 short_runs[] = { 1, 3, 0 };
    const guint8 long_runs[] = { 1, 5, 0 };
    const guint8 zero_run[] = { 1, 0, 1, 4, 0 };
    const guint8 bad_value[] = { 1, 4, 16 };
    const guint8 no_value[] = { 1, 4 };
    const guint8 open_leb[] = { 1, 0x84 };
    const guint8 bad_deflate[] = { 2, 4, 0xde, 0xad, 0xbe, 0xef };
    const guint8 huge_deflate[] = { 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 0 };

    assert_damaged (empty, 0, 4);
    assert_damaged (empty, 1, 4);
    assert_damaged (bad_format, sizeof bad_format, 4);
    assert_damaged (short_runs, sizeof short_runs, 4);
    assert_damaged (long_runs, sizeof long_runs, 4);
    assert_damaged (zero_run, sizeof zero_run, 4);
    assert_damaged (bad_value, sizeof bad_value, 4);
    assert_damaged (no_value, sizeof no_value, 4);
    assert_damaged (open_leb, sizeof open_leb, 4);
    assert_damaged (bad_deflate, sizeof bad_deflate, 4);
    assert_damaged (huge_deflate, sizeof huge_deflate, 4);
  }
  /* Every truncation of a deflated slice is detected. */
  for (gsize i = 0; i < n; i++)
    labels[i] = ((i / 7) % 5 == 0) ? 2 : 0;
  g_byte_array_set_size (blob, 0);
  fidac_store_encode_slice (labels, n, blob);
  g_assert_cmpuint (blob->data[0], ==, FIDAC_SLICE_DEFLATE);
  for (guint cut = 0; cut < blob->len; cut++)
    assert_damaged (blob->data, cut, n);
}

/* Opening */

static void
test_open (Fixture *f, gconstpointer data)
{
  g_autoptr(FidacStore) store = NULL;
  g_autofree gchar *dir = g_path_get_dirname (f->path);
  g_autofree gchar *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree gchar *default_path = NULL;
  GStatBuf st;

  store = open_store (f->path);
  g_assert_cmpstr (fidac_store_get_path (store), ==, f->path);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (query_int (store, "PRAGMA user_version"), ==, FIDAC_STORE_SCHEMA_VERSION);
  g_assert_cmpint (query_int (store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (query_int (store, "PRAGMA synchronous"), ==, 2);
  g_assert_cmpint (query_int (store, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"),
                   ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count (*) FROM sqlite_schema WHERE type = 'table'"
                              " AND name IN ('cases', 'annotations', 'label_slices',"
                              " 'label_counts', 'scores', 'outbox')"), ==, 6);
  /* The log copies the main file's mode. */
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Reopening an existing store migrates nothing and keeps it. */
  g_clear_pointer (&store, fidac_store_close);
  store = open_store (f->path);
  g_assert_cmpint (query_int (store, "PRAGMA user_version"), ==, FIDAC_STORE_SCHEMA_VERSION);

  g_setenv ("FIDAC_DATA_DIR", "/somewhere/else", TRUE);
  default_path = fidac_store_default_path ();
  g_assert_cmpstr (default_path, ==, "/somewhere/else/fidac.db");
  g_unsetenv ("FIDAC_DATA_DIR");
  g_free (default_path);
  default_path = fidac_store_default_path ();
  g_assert_true (g_str_has_suffix (default_path, "/fidac/fidac.db"));
  g_assert_true (g_str_has_prefix (default_path, g_get_user_data_dir ()));
}

/* A round trip of known content: the phantom's lesions, bit for bit. */
static void
test_round_trip (Fixture *f, gconstpointer data)
{
  FidacPhantomOptions options;
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacLabelMap) map = NULL;
  g_autoptr(FidacLabelMap) back = NULL;
  g_autoptr(FidacStore) store = NULL;
  g_autoptr(FidacStoreAnnotation) a = NULL;
  g_autoptr(GError) error = NULL;
  guint64 expected[3] = { 0 };
  const FidacPhantomLesion *lesions;
  guint n_lesions = 0;
  gint painted_slices = 0;
  gsize n;

  fidac_phantom_options_init (&options);
  options.slices = 60;
  options.slice_spacing = 5.0;
  volume = fidac_phantom_new (&options, &error);
  g_assert_no_error (error);
  n = fidac_volume_n_voxels (volume);
  map = fidac_label_map_new (volume, &error);
  g_assert_no_error (error);
  g_assert_true (fidac_phantom_fill_lesion_labels (volume, map->labels, n, &error));
  g_assert_no_error (error);
  fidac_label_map_touch (map, 0, map->dims[2] - 1);
  lesions = fidac_phantom_lesions (&n_lesions);
  for (guint l = 0; l < n_lesions; l++)
    expected[lesions[l].lesion_class] += fidac_phantom_lesion_voxel_count (volume, l);
  g_assert_cmpuint (fidac_label_map_count (map, 1), ==, expected[1]);
  g_assert_cmpuint (fidac_label_map_count (map, 2), ==, expected[2]);
  g_assert_cmpuint (expected[1], >, 0);
  g_assert_cmpuint (expected[2], >, 0);
  for (gint k = 0; k < map->dims[2]; k++)
    if (fidac_label_map_slice_count (map, k, 0) != (guint32) (map->dims[0] * map->dims[1]))
      painted_slices++;
  g_assert_cmpint (painted_slices, >, 0);
  /* Class 3 in a corner of a painted slice (outside the body), so that a slice mixes
   * classes. */
  for (gint k = 0; k < map->dims[2]; k++)
    if (fidac_label_map_slice_count (map, k, 1) > 0)
      {
        paint_disc (map, 5, 5, k, 3, 3);
        break;
      }
  g_assert_cmpuint (fidac_label_map_count (map, 3), ==, 29);

  store = open_store (f->path);
  put_case (store, volume, "/data/phantom");
  save (store, annotation_id (store, volume->series_uid, &expert), map);
  g_assert_cmpint (query_int (store, "SELECT count (*) FROM label_slices"), ==, painted_slices);
  g_clear_pointer (&store, fidac_store_close);

  /* A fresh connection, a fresh map. */
  store = open_store (f->path);
  a = fidac_store_get_annotation (store, volume->series_uid, &expert, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->counts[1], ==, expected[1]);
  g_assert_cmpuint (a->counts[2], ==, expected[2]);
  g_assert_cmpuint (a->counts[3], ==, 29);
  g_assert_cmpuint (a->counts[4], ==, 0);
  g_assert_cmpuint (a->n_slices, ==, painted_slices);
  g_assert_cmpint (a->status, ==, FIDAC_ANNOTATION_DRAFT);
  g_assert_cmpint (a->version, ==, 0);
  g_assert_cmpstr (a->reader_name, ==, expert.name);
  back = fidac_label_map_new (volume, &error);
  g_assert_true (fidac_store_load_labels (store, a->id, back, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (back->labels, n, map->labels, n);
  g_assert_cmpmem (back->counts, sizeof (guint32) * FIDAC_LABEL_MAX_CLASSES * map->dims[2],
                   map->counts, sizeof (guint32) * FIDAC_LABEL_MAX_CLASSES * map->dims[2]);
  for (gint k = 0; k < back->dims[2]; k++)
    g_assert_cmpuint (back->dirty[k], ==, 1);

  /* Loading replaces what the map held. */
  fidac_label_map_clear_dirty (back);
  paint_disc (back, 10, 10, 0, 5, 7);
  g_assert_true (fidac_store_load_labels (store, a->id, back, &error));
  g_assert_cmpmem (back->labels, n, map->labels, n);
  g_assert_cmpuint (fidac_label_map_count (back, 7), ==, 0);

  /* A case's grid cannot change under painted labels; a map on another grid is refused. */
  {
    g_autoptr(FidacStoreCase) c = fidac_store_case_new_from_volume (volume, NULL);
    g_autoptr(FidacVolume) other = make_volume (volume->dims[0], volume->dims[1], 3, "x");
    g_autoptr(FidacLabelMap) small = fidac_label_map_new (other, NULL);

    c->dims[2] = 3;
    g_assert_false (fidac_store_put_case (store, c, &error));
    g_assert_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_MISMATCH);
    g_clear_error (&error);
    g_assert_false (fidac_store_save_slices (store, a->id, small, NULL, &error));
    g_assert_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_MISMATCH);
    g_clear_error (&error);
    g_assert_false (fidac_store_load_labels (store, a->id, small, &error));
    g_assert_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_MISMATCH);
    g_clear_error (&error);
    g_assert_false (fidac_store_save_slices (store, a->id + 100, map, NULL, &error));
    g_assert_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* A damaged row is reported, and the map is left empty rather than half loaded. */
  g_assert_cmpint (sqlite3_exec (store->db, "UPDATE label_slices SET data = X'0104' WHERE slice ="
                                 " (SELECT max (slice) FROM label_slices)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_false (fidac_store_load_labels (store, a->id, back, &error));
  g_assert_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_CORRUPT);
  g_assert_cmpuint (fidac_label_map_count (back, 0), ==, n);
}

typedef struct {
  guint slices_written;
} Hook;

static void
update_hook (void *data, int op, const char *db, const char *table, sqlite3_int64 rowid)
{
  Hook *hook = data;

  if (g_str_equal (table, "label_slices"))
    hook->slices_written++;
}

/* Only the dirty slices are written; a slice emptied deletes its row. */
static void
test_dirty_only (Fixture *f, gconstpointer data)
{
  g_autoptr(FidacVolume) volume = make_volume (64, 48, 30, "1.2.826.0.1.1");
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);
  g_autoptr(FidacStore) store = open_store (f->path);
  g_autoptr(FidacStoreAnnotation) a = NULL;
  g_autoptr(GError) error = NULL;
  Hook hook = { 0 };
  gint64 id;

  put_case (store, volume, NULL);
  id = annotation_id (store, volume->series_uid, &expert);
  for (gint k = 0; k < 30; k += 3)
    paint_disc (map, 20 + k, 20, k, 6, 1 + k % 3);
  save (store, id, map);
  g_assert_cmpint (query_int (store, "SELECT count (*) FROM label_slices"), ==, 10);

  /* A sentinel in a clean slice's row: a commit that rewrote it would erase it. */
  g_assert_cmpint (sqlite3_exec (store->db, "UPDATE label_slices SET data = X'01FF' WHERE"
                                 " slice = 9", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_update_hook (store->db, update_hook, &hook);
  paint_disc (map, 30, 30, 3, 2, 2);
  paint_disc (map, 30, 30, 4, 2, 2);
  g_assert_true (fidac_store_save_slices (store, id, map, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hook.slices_written, ==, 2);
  g_assert_cmpint (query_int (store, "SELECT count (*) FROM label_slices"), ==, 11);
  g_assert_cmpint (query_int (store, "SELECT data = X'01FF' FROM label_slices WHERE slice = 9"),
                   ==, 1);
  fidac_label_map_clear_dirty (map);

  /* Flags of the caller's own (the texture consumed map->dirty meanwhile). */
  {
    g_autofree guint8 *flags = g_malloc0 (30);

    hook.slices_written = 0;
    paint_disc (map, 10, 10, 12, 1, 3);
    fidac_label_map_clear_dirty (map);
    flags[12] = 1;
    g_assert_true (fidac_store_save_slices (store, id, map, flags, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (hook.slices_written, ==, 1);
  }

  /* Erasing slice 3 entirely deletes its row: one delete, no insert. */
  hook.slices_written = 0;
  for (gint j = 0; j < 48; j++)
    for (gint i = 0; i < 64; i++)
      fidac_label_map_set (map, i, j, 3, 0);
  save (store, id, map);
  g_assert_cmpuint (hook.slices_written, ==, 1);
  g_assert_cmpint (query_int (store, "SELECT count (*) FROM label_slices WHERE slice = 3"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count (*) FROM label_slices"), ==, 10);
  sqlite3_update_hook (store->db, NULL, NULL);

  /* Clearing everything: no rows, no counts. */
  memset (map->labels, 0, 64 * 48 * 30);
  fidac_label_map_touch (map, 0, 29);
  save (store, id, map);
  g_assert_cmpint (query_int (store, "SELECT count (*) FROM label_slices"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count (*) FROM label_counts"), ==, 0);
  a = fidac_store_get_annotation_by_id (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->n_slices, ==, 0);
  for (guint c = 0; c < FIDAC_LABEL_MAX_CLASSES; c++)
    g_assert_cmpuint (a->counts[c], ==, 0);
}

static FidacStoreCase *
find_case (GPtrArray *cases, const gchar *uid)
{
  for (guint c = 0; c < cases->len; c++)
    {
      FidacStoreCase *sc = g_ptr_array_index (cases, c);

      if (g_str_equal (sc->series_uid, uid))
        return sc;
    }
  g_assert_not_reached ();
}

static void
check_cases (FidacStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = fidac_store_list_cases (store, NULL, &error);
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) theirs = NULL;
  FidacStoreCase *c;

  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 4);
  c = find_case (all, "1.1");
  g_assert_cmpint (c->progress, ==, FIDAC_CASE_NOT_STARTED);
  g_assert_cmpuint (c->n_annotations, ==, 0);
  g_assert_cmpint (c->dims[0], ==, 32);
  g_assert_cmpint (c->dims[1], ==, 24);
  g_assert_cmpint (c->dims[2], ==, 10);
  g_assert_cmpfloat (c->voxel_volume_mm3, ==, 1.0);
  g_assert_cmpstr (c->path, ==, "/cases/1.1");
  g_assert_cmpstr (c->description, ==, "Thorax");
  c = find_case (all, "1.2");
  g_assert_cmpint (c->progress, ==, FIDAC_CASE_NOT_STARTED);
  g_assert_cmpuint (c->n_annotations, ==, 1);
  c = find_case (all, "1.3");
  g_assert_cmpint (c->progress, ==, FIDAC_CASE_IN_PROGRESS);
  c = find_case (all, "1.4");
  g_assert_cmpint (c->progress, ==, FIDAC_CASE_COMPLETE);
  g_assert_cmpuint (c->n_annotations, ==, 2);

  /* The expert's own view: 1.4 was completed by the reviewer only. */
  mine = fidac_store_list_cases (store, expert.id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (find_case (mine, "1.3")->progress, ==, FIDAC_CASE_IN_PROGRESS);
  g_assert_cmpint (find_case (mine, "1.4")->progress, ==, FIDAC_CASE_IN_PROGRESS);
  g_assert_cmpuint (find_case (mine, "1.4")->n_annotations, ==, 1);
  theirs = fidac_store_list_cases (store, reviewer.id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (find_case (theirs, "1.3")->progress, ==, FIDAC_CASE_NOT_STARTED);
  g_assert_cmpint (find_case (theirs, "1.4")->progress, ==, FIDAC_CASE_COMPLETE);
}

static void
test_cases (Fixture *f, gconstpointer data)
{
  g_autoptr(FidacStore) store = open_store (f->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacStoreAnnotation) a = NULL;
  g_autoptr(FidacStoreAnnotation) b = NULL;
  const gchar *uids[] = { "1.1", "1.2", "1.3", "1.4" };
  gint64 id;

  for (guint u = 0; u < G_N_ELEMENTS (uids); u++)
    {
      g_autoptr(FidacVolume) volume = make_volume (32, 24, 10, uids[u]);
      g_autofree gchar *path = g_strconcat ("/cases/", uids[u], NULL);

      put_case (store, volume, path);
      /* Putting again (reopening the case) keeps one row and the path. */
      put_case (store, volume, NULL);
    }

  /* 1.2: an empty draft. 1.3: painted. 1.4: painted by the expert, completed by the
   * reviewer, then submitted (version 1). */
  annotation_id (store, "1.2", &expert);
  {
    g_autoptr(FidacVolume) volume = make_volume (32, 24, 10, "1.3");
    g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);

    paint_disc (map, 5, 5, 5, 2, 1);
    save (store, annotation_id (store, "1.3", &expert), map);
    fidac_label_map_touch (map, 0, 9);
    save (store, annotation_id (store, "1.4", &expert), map);
  }
  id = annotation_id (store, "1.4", &reviewer);
  g_assert_true (fidac_store_set_status (store, id, FIDAC_ANNOTATION_COMPLETE, &error));
  g_assert_no_error (error);
  check_cases (store);

  g_assert_true (fidac_store_set_status (store, id, FIDAC_ANNOTATION_SUBMITTED, &error));
  g_assert_true (fidac_store_set_status (store, id, FIDAC_ANNOTATION_DRAFT, &error));
  g_assert_true (fidac_store_set_status (store, id, FIDAC_ANNOTATION_SUBMITTED, &error));
  g_assert_no_error (error);
  a = fidac_store_get_annotation_by_id (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->status, ==, FIDAC_ANNOTATION_SUBMITTED);
  g_assert_cmpint (a->version, ==, 2);
  g_assert_cmpint (a->role, ==, FIDAC_READER_ROLE_REVIEWER);
  g_assert_cmpint (a->modified, >=, a->created);
  check_cases (store);

  /* The same state after reopening. */
  g_clear_pointer (&store, fidac_store_close);
  store = open_store (f->path);
  check_cases (store);

  /* Labels changed after completion or submission make the work a draft again; the version
   * stays until the next submission. */
  {
    g_autoptr(FidacVolume) volume = make_volume (32, 24, 10, "1.4");
    g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);
    g_autoptr(FidacStoreAnnotation) edited = NULL;
    gint64 done = annotation_id (store, "1.3", &expert);

    g_assert_true (fidac_store_set_status (store, done, FIDAC_ANNOTATION_COMPLETE, &error));
    g_assert_no_error (error);
    paint_disc (map, 9, 9, 3, 2, 2);
    save (store, done, map);
    edited = fidac_store_get_annotation_by_id (store, done, &error);
    g_assert_no_error (error);
    g_assert_cmpint (edited->status, ==, FIDAC_ANNOTATION_DRAFT);
    g_assert_cmpint (edited->version, ==, 0);
    g_clear_pointer (&edited, fidac_store_annotation_free);

    g_assert_true (fidac_store_set_status (store, id, FIDAC_ANNOTATION_DRAFT, &error));
    g_assert_true (fidac_store_set_status (store, id, FIDAC_ANNOTATION_SUBMITTED, &error));
    g_assert_no_error (error);
    fidac_label_map_touch (map, 0, 9);
    save (store, id, map);
    edited = fidac_store_get_annotation_by_id (store, id, &error);
    g_assert_no_error (error);
    g_assert_cmpint (edited->status, ==, FIDAC_ANNOTATION_DRAFT);
    g_assert_cmpint (edited->version, ==, 3);
  }

  /* One annotation per (series, reader, role): the same id again; a renamed reader is
   * updated, not duplicated. */
  {
    FidacReader renamed = expert;

    renamed.name = "Dr Alice Martin-Leroy";
    b = fidac_store_get_annotation (store, "1.3", &renamed, TRUE, &error);
    g_assert_no_error (error);
    g_assert_cmpint (b->id, ==, annotation_id (store, "1.3", &expert) );
    g_clear_pointer (&b, fidac_store_annotation_free);
    b = fidac_store_get_annotation (store, "1.3", &renamed, FALSE, &error);
    g_assert_cmpstr (b->reader_name, ==, "Dr Alice Martin");
    g_clear_pointer (&b, fidac_store_annotation_free);
    b = fidac_store_get_annotation (store, "1.3", &renamed, TRUE, &error);
    g_assert_cmpstr (b->reader_name, ==, "Dr Alice Martin-Leroy");
    g_clear_pointer (&b, fidac_store_annotation_free);
  }
  {
    g_autoptr(GPtrArray) list = fidac_store_list_annotations (store, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (list->len, ==, 4);
    g_clear_pointer (&list, g_ptr_array_unref);
    list = fidac_store_list_annotations (store, "1.4", &error);
    g_assert_cmpuint (list->len, ==, 2);
    b = g_ptr_array_steal_index (list, 0);
    g_assert_cmpstr (b->reader_id, ==, expert.id);
    g_assert_cmpuint (b->counts[1], ==, 13);   /* disc of radius 2: 13 voxels */
    g_clear_pointer (&b, fidac_store_annotation_free);
  }

  /* Errors. */
  b = fidac_store_get_annotation (store, "9.9", &expert, TRUE, &error);
  g_assert_null (b);
  g_assert_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  b = fidac_store_get_annotation (store, "1.1", &expert, FALSE, &error);
  g_assert_null (b);
  g_assert_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    const FidacReader nameless = { "", "123", FIDAC_READER_ROLE_EXPERT };
    const FidacReader anonymous = { "Dr X", NULL, FIDAC_READER_ROLE_EXPERT };

    b = fidac_store_get_annotation (store, "1.1", &nameless, TRUE, &error);
    g_assert_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_INVALID);
    g_clear_error (&error);
    b = fidac_store_get_annotation (store, "1.1", &anonymous, TRUE, &error);
    g_assert_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }
  g_assert_false (fidac_store_set_status (store, 999, FIDAC_ANNOTATION_COMPLETE, &error));
  g_assert_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autoptr(FidacStoreCase) c = g_new0 (FidacStoreCase, 1);

    c->series_uid = g_strdup ("2.1");
    c->dims[0] = c->dims[1] = c->dims[2] = 4;
    g_assert_false (fidac_store_put_case (store, c, &error));
    g_assert_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }
}

static void
test_scores (Fixture *f, gconstpointer data)
{
  g_autoptr(FidacStore) store = open_store (f->path);
  g_autoptr(FidacVolume) volume = make_volume (8, 8, 4, "3.1");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  gchar *json;
  gint64 id;

  put_case (store, volume, NULL);
  id = annotation_id (store, "3.1", &expert);
  json = fidac_store_get_scores (store, id, &error);
  g_assert_no_error (error);
  g_assert_null (json);
  g_assert_true (fidac_store_set_scores (store, id, "{\"co_rads\": 5}", &error));
  g_assert_no_error (error);
  json = fidac_store_get_scores (store, id, &error);
  g_assert_cmpstr (json, ==, "{\"co_rads\": 5}");
  g_free (json);
  /* Scores alone make a case in progress. */
  cases = fidac_store_list_cases (store, NULL, &error);
  g_assert_cmpint (find_case (cases, "3.1")->progress, ==, FIDAC_CASE_IN_PROGRESS);
  g_assert_true (fidac_store_set_scores (store, id, NULL, &error));
  g_assert_null (fidac_store_get_scores (store, id, &error));
  g_assert_false (fidac_store_set_scores (store, id + 1, "{}", &error));
  g_assert_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND);
}

/* Damaged and foreign files */

/* A store with content, closed, and its bytes. */
static GBytes *
make_store_file (const gchar *path)
{
  g_autoptr(FidacStore) store = open_store (path);
  g_autoptr(FidacVolume) volume = make_volume (128, 128, 40, "4.1");
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  gint64 id;

  put_case (store, volume, NULL);
  id = annotation_id (store, "4.1", &expert);
  for (gint k = 0; k < 40; k++)
    for (gint d = 0; d < 6; d++)
      paint_disc (map, g_rand_int_range (rand, 0, 128), g_rand_int_range (rand, 0, 128), k,
                  g_rand_int_range (rand, 1, 20), g_rand_int_range (rand, 1, 4));
  save (store, id, map);
  g_clear_pointer (&store, fidac_store_close);
  return read_bytes (path);
}

static gchar *
find_aside (const gchar *path)
{
  g_autofree gchar *dir = g_path_get_dirname (path);
  g_autofree gchar *base = g_path_get_basename (path);
  g_autofree gchar *prefix = g_strconcat (base, ".corrupt-", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const gchar *name;
  gchar *found = NULL;

  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix) && !g_str_has_suffix (name, "-wal") &&
        !g_str_has_suffix (name, "-shm"))
      {
        g_assert_null (found);
        found = g_build_filename (dir, name, NULL);
      }
  return found;
}

static void
assert_moved_aside (const gchar *path, GBytes *damaged)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacStore) store = fidac_store_open (path, &error);
  g_autofree gchar *aside = NULL;
  g_autoptr(GBytes) kept = NULL;
  g_autoptr(GPtrArray) cases = NULL;

  g_assert_null (store);
  g_assert_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  aside = find_aside (path);
  g_assert_nonnull (aside);
  /* The message names both files. */
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, aside));
  /* Nothing silently recreated: the damaged file is gone from its place, kept byte for
   * byte at the new one. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  kept = read_bytes (aside);
  g_assert_true (g_bytes_equal (kept, damaged));

  /* The next open starts afresh, knowingly. */
  g_clear_error (&error);
  store = open_store (path);
  cases = fidac_store_list_cases (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, ==, 0);
}

static void
test_corrupt_truncated (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) whole = make_store_file (f->path);
  gsize size = g_bytes_get_size (whole);
  g_autoptr(GBytes) half = g_bytes_new_from_bytes (whole, 0, size / 2);
  g_autoptr(GError) error = NULL;

  g_test_message ("store of %zu bytes truncated to %zu", size, size / 2);
  g_assert_cmpuint (size, >=, 8 * 4096);
  g_assert_true (g_file_set_contents (f->path, g_bytes_get_data (half, NULL), size / 2, &error));
  assert_moved_aside (f->path, half);
}

static void
test_corrupt_header (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) whole = make_store_file (f->path);
  g_autoptr(GBytes) head = g_bytes_new_from_bytes (whole, 0, 50);
  g_autoptr(GError) error = NULL;

  /* Cut inside the 100-byte header. */
  g_assert_true (g_file_set_contents (f->path, g_bytes_get_data (head, NULL), 50, &error));
  assert_moved_aside (f->path, head);
}

static void
test_corrupt_random (Fixture *f, gconstpointer data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1234);
  gsize size = 65536;
  guint8 *bytes = g_malloc (size);
  g_autoptr(GBytes) noise = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *dir = g_path_get_dirname (f->path);

  for (gsize i = 0; i < size; i++)
    bytes[i] = g_rand_int_range (rand, 0, 256);
  noise = g_bytes_new_take (bytes, size);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (f->path, (const gchar *) bytes, size, &error));
  assert_moved_aside (f->path, noise);
}

/* Pages of the store's tables overwritten in the middle: the integrity check finds it. */
static void
test_corrupt_pages (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) whole = make_store_file (f->path);
  gsize size = g_bytes_get_size (whole);
  g_autofree guint8 *bytes = g_memdup2 (g_bytes_get_data (whole, NULL), size);
  g_autoptr(GBytes) damaged = NULL;
  g_autoptr(GError) error = NULL;

  /* Page 2 on: the first table's b-tree page; trash it whole. */
  memset (bytes + 4096, 0x5a, 4096 * 3);
  damaged = g_bytes_new (bytes, size);
  g_assert_true (g_file_set_contents (f->path, (const gchar *) bytes, size, &error));
  assert_moved_aside (f->path, damaged);
}

static void
test_newer_version (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacStore) store = NULL;
  sqlite3 *db = NULL;

  g_bytes_unref (make_store_file (f->path));
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 7", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = read_bytes (f->path);

  store = fidac_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_VERSION);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_nonnull (strstr (error->message, "7"));
  /* Left exactly where and as it was: a newer FIDAC will read it. */
  after = read_bytes (f->path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_null (find_aside (f->path));
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  {
    sqlite3_stmt *stmt = NULL;

    sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 7);
    sqlite3_finalize (stmt);
  }
  sqlite3_close (db);
}

static void
test_foreign (Fixture *f, gconstpointer data)
{
  g_autofree gchar *dir = g_path_get_dirname (f->path);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacStore) store = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE notes (text)", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);
  before = read_bytes (f->path);
  store = fidac_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_INVALID);
  after = read_bytes (f->path);
  g_assert_true (g_bytes_equal (before, after));
}

/* Two connections (two threads or two processes): WAL lets one read a consistent state
 * while the other commits. */
static void
test_concurrent (Fixture *f, gconstpointer data)
{
  g_autoptr(FidacStore) writer = open_store (f->path);
  g_autoptr(FidacStore) reader = open_store (f->path);
  g_autoptr(FidacVolume) volume = make_volume (64, 64, 8, "5.1");
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);
  g_autoptr(FidacLabelMap) seen = fidac_label_map_new (volume, NULL);
  g_autoptr(FidacStoreAnnotation) a = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  put_case (writer, volume, NULL);
  id = annotation_id (writer, "5.1", &expert);
  paint_disc (map, 20, 20, 2, 5, 1);
  save (writer, id, map);

  /* The reader holds a snapshot while the writer commits a stroke: neither waits. */
  g_assert_true (fidac_store_begin_read (reader, &error));
  g_assert_cmpint (query_int (reader, "SELECT count (*) FROM label_slices"), ==, 1);
  paint_disc (map, 40, 40, 5, 5, 2);
  save (writer, id, map);
  g_assert_cmpint (query_int (reader, "SELECT count (*) FROM label_slices"), ==, 1);
  g_assert_true (fidac_store_commit (reader, &error));
  g_assert_cmpint (query_int (reader, "SELECT count (*) FROM label_slices"), ==, 2);

  a = fidac_store_get_annotation (reader, "5.1", &expert, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->id, ==, id);
  g_assert_cmpuint (a->counts[1], ==, 81);
  g_assert_cmpuint (a->counts[2], ==, 81);
  g_assert_true (fidac_store_load_labels (reader, id, seen, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (seen->labels, 64 * 64 * 8, map->labels, 64 * 64 * 8);

  /* Both write in turn. */
  fidac_label_map_clear_dirty (seen);
  paint_disc (seen, 10, 50, 7, 3, 3);
  save (reader, id, seen);
  paint_disc (map, 10, 50, 7, 3, 3);
  g_assert_true (fidac_store_load_labels (writer, id, map, &error));
  g_assert_cmpmem (seen->labels, 64 * 64 * 8, map->labels, 64 * 64 * 8);
}

typedef struct {
  const gchar       *path;
  const FidacReader *reader;
  FidacLabelMap     *map;
} Writer;

/* One thread, one connection: 40 strokes committed while another thread does the same. */
static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;
  g_autoptr(FidacStore) store = open_store (w->path);
  gint64 id = annotation_id (store, "7.1", w->reader);

  for (gint s = 0; s < 40; s++)
    {
      g_autoptr(GError) error = NULL;

      paint_disc (w->map, 8 + s, 30, s % 8, 4, w->reader == &expert ? 1 : 2);
      g_assert_true (fidac_store_save_slices (store, id, w->map, NULL, &error));
      g_assert_no_error (error);
      fidac_label_map_clear_dirty (w->map);
    }
  return NULL;
}

/* Two threads writing at once never fail with "database is locked": the busy timeout and
 * immediate transactions serialise them. */
static void
test_threads (Fixture *f, gconstpointer data)
{
  g_autoptr(FidacVolume) volume = make_volume (64, 64, 8, "7.1");
  g_autoptr(FidacLabelMap) a = fidac_label_map_new (volume, NULL);
  g_autoptr(FidacLabelMap) b = fidac_label_map_new (volume, NULL);
  g_autoptr(FidacLabelMap) back = fidac_label_map_new (volume, NULL);
  g_autoptr(FidacStore) store = open_store (f->path);
  g_autoptr(GError) error = NULL;
  Writer wa = { f->path, &expert, a }, wb = { f->path, &reviewer, b };
  GThread *ta, *tb;

  put_case (store, volume, NULL);
  ta = g_thread_new ("writer-a", writer_thread, &wa);
  tb = g_thread_new ("writer-b", writer_thread, &wb);
  g_thread_join (ta);
  g_thread_join (tb);

  g_assert_true (fidac_store_load_labels (store, annotation_id (store, "7.1", &expert), back,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpmem (back->labels, 64 * 64 * 8, a->labels, 64 * 64 * 8);
  g_assert_true (fidac_store_load_labels (store, annotation_id (store, "7.1", &reviewer), back,
                                          &error));
  g_assert_cmpmem (back->labels, 64 * 64 * 8, b->labels, 64 * 64 * 8);
}

/* Figures for the benchmark: commit time of a stroke over 10 slices of 512 × 512,
 * stored size against painted voxels. Printed, never asserted. */
static void
test_commit_figures (Fixture *f, gconstpointer data)
{
  g_autoptr(FidacStore) store = open_store (f->path);
  g_autoptr(FidacVolume) volume = make_volume (512, 512, 255, "6.1");
  g_autoptr(FidacLabelMap) map = fidac_label_map_new (volume, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  const gint strokes = 40;
  gdouble total = 0.0, worst = 0.0;
  guint64 painted = 0;
  gint64 id;

  put_case (store, volume, NULL);
  id = annotation_id (store, "6.1", &expert);
  for (gint s = 0; s < strokes; s++)
    {
      gint k0 = g_rand_int_range (rand, 0, 245);
      gint ci = g_rand_int_range (rand, 100, 412), cj = g_rand_int_range (rand, 100, 412);
      gint64 start;
      gdouble ms;

      /* A 3D brush stroke of 10 mm radius dragged across 10 slices. */
      for (gint k = k0; k < k0 + 10; k++)
        for (gint step = 0; step < 8; step++)
          paint_disc (map, ci + step * 4, cj + step * 2, k, 10, 1 + s % 3);
      start = g_get_monotonic_time ();
      g_assert_true (fidac_store_save_slices (store, id, map, NULL, &error));
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_no_error (error);
      fidac_label_map_clear_dirty (map);
      total += ms;
      worst = MAX (worst, ms);
    }
  for (guint c = 1; c < FIDAC_LABEL_MAX_CLASSES; c++)
    painted += fidac_label_map_count (map, c);
  g_test_message ("commit of a stroke over 10 slices of 512 x 512 (synchronous=FULL): "
                  "mean %.2f ms, worst %.2f ms over %d strokes", total / strokes, worst, strokes);
  g_test_message ("stored: %" G_GINT64_FORMAT " bytes in %" G_GINT64_FORMAT " slices for %"
                  G_GUINT64_FORMAT " painted voxels (%.3f bytes per voxel); database file %"
                  G_GINT64_FORMAT " bytes",
                  query_int (store, "SELECT sum (length (data)) FROM label_slices"),
                  query_int (store, "SELECT count (*) FROM label_slices"), painted,
                  (gdouble) query_int (store, "SELECT sum (length (data)) FROM label_slices")
                  / (gdouble) painted,
                  query_int (store, "SELECT page_count * page_size FROM pragma_page_count, "
                             "pragma_page_size"));

  /* The CPU part of a commit: encoding 10 painted slices (the rest is SQLite and the sync
   * of its log). */
  {
    g_autoptr(GByteArray) blob = g_byte_array_new ();
    gsize slice = 512 * 512;
    gint64 start = g_get_monotonic_time ();
    gint encoded = 0;

    for (gint k = 0; k < 255 && encoded < 10; k++)
      if (fidac_label_map_slice_count (map, k, 0) != slice)
        {
          g_byte_array_set_size (blob, 0);
          fidac_store_encode_slice (map->labels + slice * k, slice, blob);
          encoded++;
        }
    g_test_message ("encoding %d painted slices of 512 x 512: %.2f ms", encoded,
                    (g_get_monotonic_time () - start) / 1000.0);
  }

  /* Loading the whole annotation back, for the record. */
  {
    g_autoptr(FidacLabelMap) back = fidac_label_map_new (volume, NULL);
    gint64 start = g_get_monotonic_time ();

    g_assert_true (fidac_store_load_labels (store, id, back, &error));
    g_test_message ("load of the annotation: %.1f ms",
                    (g_get_monotonic_time () - start) / 1000.0);
    g_assert_cmpmem (back->labels, fidac_volume_n_voxels (volume), map->labels,
                     fidac_volume_n_voxels (volume));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/fidac/store/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/fidac/store/codec", test_codec);
  ADD ("open", test_open);
  ADD ("round-trip", test_round_trip);
  ADD ("dirty-only", test_dirty_only);
  ADD ("cases", test_cases);
  ADD ("scores", test_scores);
  ADD ("corrupt-truncated", test_corrupt_truncated);
  ADD ("corrupt-header", test_corrupt_header);
  ADD ("corrupt-random", test_corrupt_random);
  ADD ("corrupt-pages", test_corrupt_pages);
  ADD ("newer-version", test_newer_version);
  ADD ("foreign", test_foreign);
  ADD ("concurrent", test_concurrent);
  ADD ("threads", test_threads);
  ADD ("commit-figures", test_commit_figures);
#undef ADD

  return g_test_run ();
}
