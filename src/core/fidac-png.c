/* fidac-png.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "fidac-png.h"
#include "fidac-volume.h"

/* PNG's own limit is 2^31 - 1; this keeps the row buffer size well within gsize on every
 * platform and is far above any image the program makes. */
#define MAX_PNG_SIDE 65535

static guint32 crc_table[256];

static gpointer
init_crc_table (gpointer data)
{
  for (guint32 n = 0; n < 256; n++)
    {
      guint32 c = n;

      for (gint k = 0; k < 8; k++)
        c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      crc_table[n] = c;
    }
  return NULL;
}

guint32
fidac_png_crc32 (guint32       crc,
                 const guint8 *data,
                 gsize         length)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_crc_table, NULL);
  crc ^= 0xffffffffu;
  for (gsize i = 0; i < length; i++)
    crc = crc_table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}

static void
put_u32 (guint8 *p,
         guint32 v)
{
  p[0] = v >> 24;
  p[1] = v >> 16;
  p[2] = v >> 8;
  p[3] = v;
}

static void
append_chunk (GByteArray   *png,
              const gchar  *type,
              const guint8 *data,
              gsize         length)
{
  guint8 word[4];
  guint32 crc;

  put_u32 (word, (guint32) length);
  g_byte_array_append (png, word, 4);
  g_byte_array_append (png, (const guint8 *) type, 4);
  if (length)
    g_byte_array_append (png, data, (guint) length);
  crc = fidac_png_crc32 (0, (const guint8 *) type, 4);
  crc = fidac_png_crc32 (crc, data, length);
  put_u32 (word, crc);
  g_byte_array_append (png, word, 4);
}

GBytes *
fidac_png_encode_gray (const guint8 *pixels,
                       gint          width,
                       gint          height,
                       gsize         stride,
                       GError      **error)
{
  static const guint8 signature[8] = { 137, 'P', 'N', 'G', '\r', '\n', 26, '\n' };
  g_autoptr(GByteArray) png = NULL;
  g_autoptr(GZlibCompressor) zlib = NULL;
  g_autoptr(GOutputStream) memory = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autofree guint8 *line = NULL;
  guint8 header[13];

  g_return_val_if_fail (pixels != NULL, NULL);

  if (width < 1 || height < 1 || width > MAX_PNG_SIDE || height > MAX_PNG_SIDE ||
      stride < (gsize) width)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Invalid image size %d × %d"), width, height);
      return NULL;
    }

  /* IDAT is one zlib stream of the rows, each preceded by its filter type (0, none). */
  zlib = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 6);
  memory = g_memory_output_stream_new_resizable ();
  stream = g_converter_output_stream_new (memory, G_CONVERTER (zlib));
  line = g_malloc ((gsize) width + 1);
  line[0] = 0;
  for (gint y = 0; y < height; y++)
    {
      memcpy (line + 1, pixels + (gsize) y * stride, width);
      if (!g_output_stream_write_all (stream, line, (gsize) width + 1, NULL, NULL, error))
        return NULL;
    }
  if (!g_output_stream_close (stream, NULL, error))
    return NULL;

  png = g_byte_array_new ();
  g_byte_array_append (png, signature, sizeof signature);
  put_u32 (header, width);
  put_u32 (header + 4, height);
  header[8] = 8;        /* bit depth */
  header[9] = 0;        /* greyscale */
  header[10] = 0;       /* deflate */
  header[11] = 0;       /* adaptive filtering, filter 0 used */
  header[12] = 0;       /* no interlace */
  append_chunk (png, "IHDR", header, sizeof header);
  append_chunk (png, "IDAT",
                g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory)),
                g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)));
  append_chunk (png, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

gboolean
fidac_png_write_gray (const gchar  *path,
                      const guint8 *pixels,
                      gint          width,
                      gint          height,
                      gsize         stride,
                      GError      **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local = NULL;
  gsize size;
  const gchar *data;

  bytes = fidac_png_encode_gray (pixels, width, height, stride, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &size);
  if (!g_file_set_contents (path, data, (gssize) size, &local))
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_IO,
                   /* TRANSLATORS: %s is the system's reason */
                   _("Cannot write the image: %s"), local->message);
      return FALSE;
    }
  return TRUE;
}
