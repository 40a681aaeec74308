/* fidac-store-labels.c: label slices, compressed, saved per stroke and loaded bit for bit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-store"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "fidac-store-private.h"

/* Below this, deflating the runs saves too little to be worth a row's format byte. */
#define DEFLATE_MIN_BYTES 64

static void
put_leb128 (GByteArray *out,
            guint64     value)
{
  do
    {
      guint8 byte = value & 0x7f;

      value >>= 7;
      if (value != 0)
        byte |= 0x80;
      g_byte_array_append (out, &byte, 1);
    }
  while (value != 0);
}

static gboolean
get_leb128 (const guint8 **p,
            const guint8  *end,
            guint64       *value)
{
  guint64 v = 0;

  for (guint shift = 0; shift < 64; shift += 7)
    {
      guint8 byte;

      if (*p >= end)
        return FALSE;
      byte = *(*p)++;
      v |= (guint64) (byte & 0x7f) << shift;
      if ((byte & 0x80) == 0)
        {
          *value = v;
          return TRUE;
        }
    }
  return FALSE;
}

static void
encode_runs (const guint8 *labels,
             gsize         n,
             GByteArray   *out)
{
  gsize i = 0;

  while (i < n)
    {
      guint8 value = labels[i];
      gsize start = i;

      /* Label slices are long runs (mostly zeros): compare eight bytes at a time. */
      {
        const guint64 pattern = value * G_GUINT64_CONSTANT (0x0101010101010101);

        for (i++; i + 8 <= n; i += 8)
          {
            guint64 word;

            memcpy (&word, labels + i, 8);
            if (word != pattern)
              break;
          }
      }
      while (i < n && labels[i] == value)
        i++;
      put_leb128 (out, i - start);
      g_byte_array_append (out, &value, 1);
    }
}

/* One-shot (de)compression of a buffer with a GConverter; FALSE when `out` is too small
 * or the input is damaged. */
static gboolean
convert_all (GConverter   *converter,
             const guint8 *in,
             gsize         in_size,
             guint8       *out,
             gsize         out_size,
             gsize        *written)
{
  gsize done_in = 0, done_out = 0;

  for (;;)
    {
      gsize read = 0, wrote = 0;
      g_autoptr(GError) error = NULL;
      GConverterResult result;

      result = g_converter_convert (converter, in + done_in, in_size - done_in,
                                    out + done_out, out_size - done_out,
                                    G_CONVERTER_INPUT_AT_END, &read, &wrote, &error);
      if (result == G_CONVERTER_ERROR)
        return FALSE;
      done_in += read;
      done_out += wrote;
      if (result == G_CONVERTER_FINISHED)
        break;
      /* Full: too small for a compressor (not worth it), or more data than announced
       * for a decompressor (its buffer has one spare byte). */
      if ((read == 0 && wrote == 0) || done_out == out_size)
        return FALSE;
    }
  *written = done_out;
  return done_in == in_size;
}

/* One compressor per thread, reset for each slice: setting up zlib's state costs more than
 * compressing a slice's runs, and a stroke commits dozens of slices. */
static GPrivate compressor_key = G_PRIVATE_INIT (g_object_unref);

static GZlibCompressor *
thread_compressor (void)
{
  GZlibCompressor *compressor = g_private_get (&compressor_key);

  if (compressor == NULL)
    {
      /* Level 1: strokes are committed while the reader waits; the gain of higher levels
       * on runs is small. */
      compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 1);
      g_private_set (&compressor_key, compressor);
    }
  else
    g_converter_reset (G_CONVERTER (compressor));
  return compressor;
}

void
fidac_store_encode_slice (const guint8 *labels,
                          gsize         n,
                          GByteArray   *out)
{
  g_autoptr(GByteArray) runs = g_byte_array_sized_new (1024);
  guint8 format = FIDAC_SLICE_RUNS;

  encode_runs (labels, n, runs);
  if (runs->len >= DEFLATE_MIN_BYTES)
    {
      GZlibCompressor *compressor = thread_compressor ();
      g_autoptr(GByteArray) header = g_byte_array_new ();
      gsize capacity = runs->len;    /* worth it only when smaller */
      g_autofree guint8 *packed = g_malloc (capacity);
      gsize size = 0;

      format = FIDAC_SLICE_DEFLATE;
      g_byte_array_append (header, &format, 1);
      put_leb128 (header, runs->len);
      if (convert_all (G_CONVERTER (compressor), runs->data, runs->len, packed, capacity,
                       &size) && header->len + size < 1 + runs->len)
        {
          g_byte_array_append (out, header->data, header->len);
          g_byte_array_append (out, packed, size);
          return;
        }
      format = FIDAC_SLICE_RUNS;
    }
  g_byte_array_append (out, &format, 1);
  g_byte_array_append (out, runs->data, runs->len);
}

static gboolean
decode_runs (const guint8 *p,
             const guint8 *end,
             guint8       *labels,
             gsize         n)
{
  gsize i = 0;

  while (p < end)
    {
      guint64 length;
      guint8 value;

      if (!get_leb128 (&p, end, &length) || p >= end || length == 0 || length > n - i)
        return FALSE;
      value = *p++;
      if (value >= FIDAC_LABEL_MAX_CLASSES)
        return FALSE;
      memset (labels + i, value, length);
      i += length;
    }
  return i == n;
}

gboolean
fidac_store_decode_slice (const guint8 *data,
                          gsize         size,
                          guint8       *labels,
                          gsize         n,
                          GError      **error)
{
  const guint8 *p = data + 1;
  const guint8 *end = data + size;
  gboolean ok = FALSE;

  if (size >= 1 && data[0] == FIDAC_SLICE_RUNS)
    ok = decode_runs (p, end, labels, n);
  else if (size >= 1 && data[0] == FIDAC_SLICE_DEFLATE)
    {
      guint64 runs_size;

      /* Each run is at least one voxel and takes at most 10 + 1 bytes. */
      if (get_leb128 (&p, end, &runs_size) && runs_size <= 11 * (guint64) n)
        {
          g_autoptr(GZlibDecompressor) decompressor =
            g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW);
          g_autofree guint8 *runs = g_malloc (runs_size + 1);
          gsize got = 0;

          ok = convert_all (G_CONVERTER (decompressor), p, end - p, runs, runs_size + 1, &got) &&
               got == runs_size && decode_runs (runs, runs + runs_size, labels, n);
        }
    }
  if (!ok)
    g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_CORRUPT,
                 _("A stored label slice is damaged"));
  return ok;
}

/* Checks that `annotation_id` exists and that its case's grid is `map`'s. */
static gboolean
check_grid (FidacStore           *store,
            gint64                annotation_id,
            const FidacLabelMap  *map,
            GError              **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint rc;

  stmt = fidac_store_prepare (store, "SELECT c.columns, c.rows, c.slices FROM annotations a "
                              "JOIN cases c ON c.series_uid = a.series_uid WHERE a.id = ?1",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, annotation_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_NOT_FOUND,
                   _("No annotation %lld in the local database"), (long long) annotation_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      fidac_store_set_sqlite_error (store, rc, _("Cannot read the local database"), error);
      return FALSE;
    }
  for (gint d = 0; d < 3; d++)
    if (sqlite3_column_int (stmt, d) != map->dims[d])
      {
        g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_MISMATCH,
                     _("The labels (%d × %d × %d) do not fit the case of annotation %lld "
                       "(%d × %d × %d)"),
                     map->dims[0], map->dims[1], map->dims[2], (long long) annotation_id,
                     sqlite3_column_int (stmt, 0), sqlite3_column_int (stmt, 1),
                     sqlite3_column_int (stmt, 2));
        return FALSE;
      }
  return TRUE;
}

static gboolean
step_done (FidacStore    *store,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  gint rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      fidac_store_set_sqlite_error (store, rc, _("Cannot save the labels in the local database"),
                                    error);
      return FALSE;
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return TRUE;
}

gboolean
fidac_store_save_slices (FidacStore           *store,
                         gint64                annotation_id,
                         const FidacLabelMap  *map,
                         const guint8         *flags,
                         GError              **error)
{
  g_autoptr(sqlite3_stmt) put = NULL;
  g_autoptr(sqlite3_stmt) drop = NULL;
  g_autoptr(sqlite3_stmt) clear_counts = NULL;
  g_autoptr(sqlite3_stmt) put_count = NULL;
  g_autoptr(sqlite3_stmt) touch = NULL;
  g_autoptr(GByteArray) blob = g_byte_array_sized_new (4096);
  gsize slice = 0;
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (store != NULL && map != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (flags == NULL)
    flags = map->dirty;
  slice = (gsize) map->dims[0] * map->dims[1];

  if (!fidac_store_begin (store, error))
    return FALSE;
  if (!check_grid (store, annotation_id, map, error))
    goto fail;

  put = fidac_store_prepare (store, "INSERT INTO label_slices (annotation_id, slice, data)"
                             " VALUES (?1, ?2, ?3) ON CONFLICT (annotation_id, slice)"
                             " DO UPDATE SET data = excluded.data", error);
  drop = put != NULL ? fidac_store_prepare (store, "DELETE FROM label_slices"
                                            " WHERE annotation_id = ?1 AND slice = ?2", error)
                     : NULL;
  if (drop == NULL)
    goto fail;
  for (gint k = 0; k < map->dims[2]; k++)
    {
      if (!flags[k])
        continue;
      if (fidac_label_map_slice_count (map, k, FIDAC_LABEL_NONE) == slice)
        {
          sqlite3_bind_int64 (drop, 1, annotation_id);
          sqlite3_bind_int (drop, 2, k);
          if (!step_done (store, drop, error))
            goto fail;
          continue;
        }
      g_byte_array_set_size (blob, 0);
      fidac_store_encode_slice (map->labels + slice * k, slice, blob);
      sqlite3_bind_int64 (put, 1, annotation_id);
      sqlite3_bind_int (put, 2, k);
      sqlite3_bind_blob (put, 3, blob->data, blob->len, SQLITE_STATIC);
      if (!step_done (store, put, error))
        goto fail;
    }

  /* The map's own per-slice counts give the totals without a recount. */
  clear_counts = fidac_store_prepare (store, "DELETE FROM label_counts WHERE annotation_id = ?1",
                                      error);
  if (clear_counts == NULL)
    goto fail;
  sqlite3_bind_int64 (clear_counts, 1, annotation_id);
  if (!step_done (store, clear_counts, error))
    goto fail;
  put_count = fidac_store_prepare (store, "INSERT INTO label_counts (annotation_id, label, voxels)"
                                   " VALUES (?1, ?2, ?3)", error);
  if (put_count == NULL)
    goto fail;
  for (guint label = 1; label < FIDAC_LABEL_MAX_CLASSES; label++)
    {
      guint64 count = fidac_label_map_count (map, label);

      if (count == 0)
        continue;
      sqlite3_bind_int64 (put_count, 1, annotation_id);
      sqlite3_bind_int (put_count, 2, label);
      sqlite3_bind_int64 (put_count, 3, count);
      if (!step_done (store, put_count, error))
        goto fail;
    }

  /* Changed labels are work in progress again: a complete (or submitted) annotation the
   * reader edits must be marked complete again, after the scores are checked anew. */
  touch = fidac_store_prepare (store, "UPDATE annotations SET modified = ?2, status = 'draft'"
                               " WHERE id = ?1;", error);
  if (touch == NULL)
    goto fail;
  sqlite3_bind_int64 (touch, 1, annotation_id);
  sqlite3_bind_int64 (touch, 2, now);
  if (!step_done (store, touch, error))
    goto fail;
  g_clear_pointer (&touch, sqlite3_finalize);
  touch = fidac_store_prepare (store, "UPDATE cases SET modified = ?2 WHERE series_uid ="
                               " (SELECT series_uid FROM annotations WHERE id = ?1)", error);
  if (touch == NULL)
    goto fail;
  sqlite3_bind_int64 (touch, 1, annotation_id);
  sqlite3_bind_int64 (touch, 2, now);
  if (!step_done (store, touch, error))
    goto fail;

  return fidac_store_commit (store, error);

fail:
  fidac_store_rollback (store);
  return FALSE;
}

gboolean
fidac_store_load_labels (FidacStore     *store,
                         gint64          annotation_id,
                         FidacLabelMap  *map,
                         GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree guint8 *stored = NULL;
  gsize slice = 0;
  gint rc;

  g_return_val_if_fail (store != NULL && map != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* One read transaction: the slices come from one committed state even while another
   * connection commits strokes. */
  if (!fidac_store_begin_read (store, error))
    return FALSE;
  if (!check_grid (store, annotation_id, map, error))
    goto fail;

  slice = (gsize) map->dims[0] * map->dims[1];
  stored = g_malloc0 (map->dims[2]);
  stmt = fidac_store_prepare (store, "SELECT slice, data FROM label_slices"
                              " WHERE annotation_id = ?1 ORDER BY slice", error);
  if (stmt == NULL)
    goto fail_loaded;
  sqlite3_bind_int64 (stmt, 1, annotation_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint k = sqlite3_column_int (stmt, 0);
      const guint8 *data = sqlite3_column_blob (stmt, 1);
      gsize size = sqlite3_column_bytes (stmt, 1);
      g_autoptr(GError) local = NULL;

      if (k < 0 || k >= map->dims[2] ||
          !fidac_store_decode_slice (data, size, map->labels + slice * k, slice, &local))
        {
          g_set_error (error, FIDAC_STORE_ERROR, FIDAC_STORE_ERROR_CORRUPT,
                       _("Slice %d of annotation %lld in %s is damaged"),
                       k, (long long) annotation_id, store->path);
          goto fail_loaded;
        }
      stored[k] = 1;
      fidac_label_map_touch (map, k, k);
    }
  if (rc != SQLITE_DONE)
    {
      fidac_store_set_sqlite_error (store, rc, _("Cannot read the local database"), error);
      goto fail_loaded;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  /* Slices without a row are empty: clear only those that held labels (the counts say
   * which), rather than clear and recount the whole volume. */
  for (gint k = 0; k < map->dims[2]; k++)
    if (!stored[k])
      {
        if (fidac_label_map_slice_count (map, k, FIDAC_LABEL_NONE) != slice)
          {
            memset (map->labels + slice * k, 0, slice);
            fidac_label_map_touch (map, k, k);
          }
        map->dirty[k] = 1;
      }
  return fidac_store_commit (store, error);

fail_loaded:
  /* Never leave a half-loaded map with stale counts. */
  memset (map->labels, 0, slice * map->dims[2]);
  fidac_label_map_touch (map, 0, map->dims[2] - 1);
fail:
  fidac_store_rollback (store);
  return FALSE;
}
