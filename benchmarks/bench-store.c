/* bench-store.c: committing strokes to the local store, and reopening the annotation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-store [--strokes N] [--dir DIR]
 *
 * On the shared COVID series ($FIDAC_SHARED_DATA/ct/covid-ricord-000082, 512 x 512 x 255;
 * a phantom on the same grid when it is absent): strokes are painted in core as the
 * annotation session paints them (one undo step each) and each is committed as it is on
 * release, the slices it changed in one transaction (fidac_store_save_slices() with their
 * flags, synchronous). Reported: the commit time of a typical stroke (10 mm brush over
 * 60 mm, disc in an axial or a coronal view, sphere) and of a large 3D stroke (30 mm
 * sphere over 60 mm across the slices), median and maximum over N strokes each (the target
 * is 20 ms); what the annotation takes in the database against the voxels painted; the time
 * to reopen it (open the store, find the annotation, load every slice) and that it comes
 * back bit for bit. A report: nothing is asserted.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bench-common.h"
#include "fidac-dicom.h"
#include "fidac-label-map.h"
#include "fidac-lesion.h"
#include "fidac-paint.h"
#include "fidac-phantom.h"
#include "fidac-store.h"
#include "fidac-store-private.h"
#include "fidac-undo.h"

static gint n_strokes = 50;
static gchar *bench_dir = NULL;

static const FidacReader reader = { "Dr Bench Store", "10007777777", FIDAC_READER_ROLE_EXPERT };

static goffset
file_size (const gchar *path)
{
  struct stat st;

  return stat (path, &st) == 0 ? (goffset) st.st_size : 0;
}

typedef enum {
  STROKE_AXIAL_DISC,            /* a 10 mm disc in an axial view: one slice */
  STROKE_CORONAL_DISC,          /* a 10 mm disc in a coronal view, moving across slices */
  STROKE_SPHERE,                /* a 10 mm sphere in an axial view */
  STROKE_LARGE,                 /* a 30 mm sphere moving 60 mm along the slices */
  N_STROKE_KINDS
} StrokeKind;

static const gchar *const kind_names[N_STROKE_KINDS] = {
  "10 mm disc, axial view",
  "10 mm disc, coronal view",
  "10 mm sphere, axial view",
  "30 mm sphere, 60 mm along z",
};

typedef struct {
  FidacVolume   *volume;
  FidacLabelMap *map;
  FidacUndo     *undo;
  FidacStore    *store;
  gint64         annotation_id;
  guint8        *flags;
} Bench;

/* One stroke of `kind`, 20 segments of 3 mm (60 mm) from a random start in a lung, then
 * its commit; returns the commit time (s), `slices` the slices committed. */
static gdouble
stroke (Bench      *b,
        StrokeKind  kind,
        GRand      *rand,
        gint       *slices,
        gdouble    *paint_time)
{
  g_autoptr(GError) error = NULL;
  FidacBrush brush;
  gdouble normal[3] = { 0, 0, 1 }, start[3], end[3], p[3], q[3], t0, t1;
  gdouble side = g_rand_boolean (rand) ? g_rand_double_range (rand, 0.22, 0.38)
                                       : g_rand_double_range (rand, 0.62, 0.78);
  gint k0 = -1, k1 = -1;

  fidac_brush_init (&brush);
  brush.label = g_rand_int_range (rand, 1, FIDAC_LESION_N_CLASSES + 1);
  brush.over = FIDAC_PAINT_OVER_ALL;
  brush.diameter = kind == STROKE_LARGE ? 30.0 : 10.0;
  brush.shape = kind == STROKE_SPHERE || kind == STROKE_LARGE ? FIDAC_BRUSH_SPHERE
                                                               : FIDAC_BRUSH_DISC;
  bench_grid_point (b->volume, side, g_rand_double_range (rand, 0.35, 0.6),
              g_rand_double_range (rand, 0.25, 0.6), start);
  for (gint r = 0; r < 3; r++)
    end[r] = start[r];
  switch (kind)
    {
    case STROKE_AXIAL_DISC:
    case STROKE_SPHERE:
      end[1] += 60.0;           /* down the lung in the axial plane */
      break;
    case STROKE_CORONAL_DISC:
      normal[0] = 0; normal[1] = 1; normal[2] = 0;
      end[0] += 20.0;
      end[2] += 56.0;
      break;
    case STROKE_LARGE:
    case N_STROKE_KINDS:
      end[2] += 60.0;
      break;
    }
  for (gint r = 0; r < 3; r++)
    brush.normal[r] = normal[r];

  t0 = bench_now ();
  fidac_undo_begin (b->undo);
  for (gint s = 0; s < 20; s++)
    {
      for (gint r = 0; r < 3; r++)
        {
          p[r] = start[r] + (end[r] - start[r]) * s / 20.0;
          q[r] = start[r] + (end[r] - start[r]) * (s + 1) / 20.0;
        }
      if (fidac_paint_segment (b->map, b->volume, &brush, p, q, b->undo, &error) < 0)
        g_error ("paint: %s", error->message);
    }
  fidac_undo_end (b->undo, &k0, &k1);
  fidac_label_map_clear_dirty (b->map);
  t1 = bench_now ();
  *paint_time = t1 - t0;

  /* The commit of the annotation session: the step's slices, one transaction. */
  *slices = 0;
  if (k0 < 0)
    return 0.0;
  memset (b->flags, 0, b->map->dims[2]);
  for (gint k = k0; k <= k1; k++)
    b->flags[k] = 1;
  *slices = k1 - k0 + 1;
  t0 = bench_now ();
  if (!fidac_store_save_slices (b->store, b->annotation_id, b->map, b->flags, &error))
    g_error ("commit: %s", error->message);
  return bench_now () - t0;
}

/* What the annotation's slices take in the database: row count and blob bytes. */
static void
stored_bytes (const gchar *db,
              gint64       annotation_id,
              gint64      *rows,
              gint64      *bytes)
{
  sqlite3 *sql = NULL;
  sqlite3_stmt *stmt = NULL;

  *rows = *bytes = -1;
  if (sqlite3_open_v2 (db, &sql, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (sql, "SELECT count(*), total(length(data)) FROM label_slices "
                          "WHERE annotation_id = ?", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_bind_int64 (stmt, 1, annotation_id) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    {
      *rows = sqlite3_column_int64 (stmt, 0);
      *bytes = (gint64) sqlite3_column_double (stmt, 1);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (sql);
}

static void
run (FidacVolume *volume)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (82);
  g_autofree gchar *dir = NULL;
  g_autofree gchar *db = NULL;
  g_autofree gchar *wal = NULL;
  g_autoptr(FidacStoreCase) store_case = NULL;
  g_autoptr(FidacStoreAnnotation) annotation = NULL;
  g_autoptr(FidacLabelMap) reopened = NULL;
  gdouble best_open = G_MAXDOUBLE, best_load = G_MAXDOUBLE;
  gint64 rows, bytes;
  guint64 painted = 0;
  gsize n = fidac_volume_n_voxels (volume);
  Bench b = { volume, NULL, NULL, NULL, 0, NULL };

  dir = bench_dir != NULL ? g_strdup (bench_dir)
                          : g_dir_make_tmp ("fidac-bench-store-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  db = g_build_filename (dir, "bench-store.db", NULL);
  wal = g_strconcat (db, "-wal", NULL);
  g_unlink (db);
  g_unlink (wal);

  b.map = fidac_label_map_new (volume, &error);
  if (b.map == NULL)
    g_error ("%s", error->message);
  b.undo = fidac_undo_new (b.map, FIDAC_UNDO_DEFAULT_STEPS, FIDAC_UNDO_DEFAULT_BYTES);
  b.flags = g_malloc0 (volume->dims[2]);
  b.store = fidac_store_open (db, &error);
  if (b.store == NULL)
    g_error ("%s", error->message);
  store_case = fidac_store_case_new_from_volume (volume, NULL);
  if (!fidac_store_put_case (b.store, store_case, &error))
    g_error ("%s", error->message);
  annotation = fidac_store_get_annotation (b.store, volume->series_uid, &reader, TRUE, &error);
  if (annotation == NULL)
    g_error ("%s", error->message);
  b.annotation_id = annotation->id;

  g_print ("  store: %s (WAL, synchronous = FULL)\n", db);
  g_print ("  %-30s %10s %10s %12s %12s %10s\n", "stroke (20 x 3 mm)", "slices",
           "paint ms", "commit med", "commit max", "target");
  for (StrokeKind kind = 0; kind < N_STROKE_KINDS; kind++)
    {
      g_autofree gdouble *commits = g_new (gdouble, n_strokes);
      gdouble paint_total = 0;
      gint64 slice_total = 0;

      for (gint s = 0; s < n_strokes; s++)
        {
          gdouble paint_time;
          gint slices;

          commits[s] = stroke (&b, kind, rand, &slices, &paint_time);
          paint_total += paint_time;
          slice_total += slices;
        }
      qsort (commits, n_strokes, sizeof (gdouble), bench_compare_double);
      g_print ("  %-30s %10.1f %10.2f %9.2f ms %9.2f ms %10s\n", kind_names[kind],
               (gdouble) slice_total / n_strokes, paint_total * 1e3 / n_strokes,
               commits[n_strokes / 2] * 1e3, commits[n_strokes - 1] * 1e3,
               commits[n_strokes - 1] * 1e3 < 20.0 ? "< 20 ms" : "OVER");
    }

  for (guint c = 1; c < FIDAC_LABEL_MAX_CLASSES; c++)
    painted += fidac_label_map_count (b.map, c);
  g_clear_pointer (&b.store, fidac_store_close);
  stored_bytes (db, b.annotation_id, &rows, &bytes);
  g_print ("\n  after %d strokes: %" G_GUINT64_FORMAT " labelled voxels (%.2f%% of %zu), "
           "on %d of %d slices\n", N_STROKE_KINDS * n_strokes, painted, 100.0 * painted / n,
           n, (gint) rows, volume->dims[2]);
  g_print ("  stored slices: %" G_GINT64_FORMAT " bytes (%.3f bytes per labelled voxel; "
           "%.1f%% of the raw %" G_GINT64_FORMAT " bytes of those slices, %.2f%% of the "
           "whole map)\n", bytes, painted > 0 ? (gdouble) bytes / painted : 0.0,
           rows > 0 ? 100.0 * bytes / (rows * (gdouble) volume->dims[0] * volume->dims[1]) : 0.0,
           rows * (gint64) volume->dims[0] * volume->dims[1], 100.0 * bytes / n);
  g_print ("  database file: %" G_GOFFSET_FORMAT " bytes (+ %" G_GOFFSET_FORMAT " WAL) after "
           "closing\n", file_size (db), file_size (wal));

  /* Where the time goes: the encoding of a slice (runs, deflated) on commit, its decoding
   * and the map's recount on load. */
  {
    g_autoptr(GByteArray) out = g_byte_array_new ();
    g_autofree guint8 *slice = g_malloc (volume->dims[0] * (gsize) volume->dims[1]);
    gsize plane = volume->dims[0] * (gsize) volume->dims[1];
    gdouble encode = 0, decode = 0, t0;
    gint used = 0;

    for (gint k = 0; k < volume->dims[2]; k++)
      {
        if (fidac_label_map_slice_count (b.map, k, 0) == plane)
          continue;
        g_byte_array_set_size (out, 0);
        t0 = bench_now ();
        fidac_store_encode_slice (b.map->labels + k * plane, plane, out);
        encode += bench_now () - t0;
        t0 = bench_now ();
        if (!fidac_store_decode_slice (out->data, out->len, slice, plane, &error))
          g_error ("decode: %s", error->message);
        decode += bench_now () - t0;
        used++;
      }
    t0 = bench_now ();
    fidac_label_map_touch (b.map, 0, volume->dims[2] - 1);
    g_print ("  per labelled slice: encode %.3f ms, decode %.3f ms; recount of the whole map "
             "%.2f ms\n", used > 0 ? encode * 1e3 / used : 0.0,
             used > 0 ? decode * 1e3 / used : 0.0, (bench_now () - t0) * 1e3);
  }

  /* Reopening the case: a fresh connection, the annotation found, every slice loaded. */
  reopened = fidac_label_map_new (volume, &error);
  for (gint r = 0; r < 5; r++)
    {
      g_autoptr(FidacStore) store = NULL;
      g_autoptr(FidacStoreAnnotation) found = NULL;
      gdouble t0 = bench_now (), t1;

      store = fidac_store_open (db, &error);
      if (store != NULL)
        found = fidac_store_get_annotation (store, volume->series_uid, &reader, FALSE, &error);
      if (found == NULL)
        g_error ("reopen: %s", error->message);
      t1 = bench_now ();
      if (!fidac_store_load_labels (store, found->id, reopened, &error))
        g_error ("reopen: %s", error->message);
      best_open = MIN (best_open, t1 - t0);
      best_load = MIN (best_load, bench_now () - t1);
    }
  g_print ("  reopen: open + find %.2f ms, load labels %.2f ms (best of 5); %s\n",
           best_open * 1e3, best_load * 1e3,
           memcmp (reopened->labels, b.map->labels, n) == 0 ? "bit-identical"
                                                             : "DIFFERENT FROM THE MAP");

  g_unlink (db);
  g_unlink (wal);
  if (bench_dir == NULL)
    g_rmdir (dir);
  g_free (b.flags);
  fidac_undo_free (b.undo);
  fidac_label_map_unref (b.map);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(FidacVolume) volume = NULL;
  g_autofree gchar *folder = NULL;
  const gchar *shared = g_getenv ("FIDAC_SHARED_DATA");
  GOptionEntry entries[] = {
    { "strokes", 0, 0, G_OPTION_ARG_INT, &n_strokes, "Strokes of each kind", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &bench_dir, "Folder of the database", "DIR" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_strokes < 1)
    {
      g_printerr ("bench-store: %s\n", error != NULL ? error->message : "--strokes >= 1");
      return 2;
    }

  if (shared != NULL)
    folder = g_build_filename (shared, "ct", "covid-ricord-000082", NULL);
  if (folder != NULL && g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      gdouble t0 = bench_now ();

      volume = bench_load_series (folder, &error);
      if (volume == NULL)
        g_error ("%s: %s", folder, error->message);
      g_print ("bench-store: %s, %d x %d x %d, %.3f x %.3f x %.3f mm (loaded in %.1f s)\n",
               folder, volume->dims[0], volume->dims[1], volume->dims[2], volume->spacing[0],
               volume->spacing[1], volume->spacing[2], bench_now () - t0);
    }
  else
    {
      FidacPhantomOptions options;

      fidac_phantom_options_init (&options);
      options.columns = 512;
      options.rows = 512;
      options.slices = 255;
      options.pixel_spacing = 0.7;
      options.slice_spacing = 1.25;
      volume = fidac_phantom_new (&options, &error);
      if (volume == NULL)
        g_error ("%s", error->message);
      g_print ("bench-store: NOTE: the shared COVID series is absent ($FIDAC_SHARED_DATA); "
               "a phantom on the same 512 x 512 x 255 grid instead\n");
    }
  run (volume);
  g_free (bench_dir);
  return 0;
}
