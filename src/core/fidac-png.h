/* fidac-png.h: writing 8-bit grey images as PNG (GLib and GIO only).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A complete PNG file in memory: 8-bit greyscale, no interlace, filter 0 on every row. */
GBytes  *fidac_png_encode_gray (const guint8 *pixels,
                                gint          width,
                                gint          height,
                                gsize         stride,
                                GError      **error);

/* Encodes and writes `path` atomically; I/O errors are FIDAC_CORE_ERROR_IO. */
gboolean fidac_png_write_gray  (const gchar  *path,
                                const guint8 *pixels,
                                gint          width,
                                gint          height,
                                gsize         stride,
                                GError      **error);

/* CRC-32 (ISO 3309, as PNG uses it) of `data`, continuing from `crc` (0 to start). */
guint32  fidac_png_crc32       (guint32       crc,
                                const guint8 *data,
                                gsize         length);

G_END_DECLS
