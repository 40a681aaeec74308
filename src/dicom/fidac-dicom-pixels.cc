/* fidac-dicom-pixels.cc: pixel data decoded on all cores straight into the volume and
 * turned into Hounsfield units.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-dicom"

#include "fidac-dicom-reader.hh"

#include "dcmtk/dcmdata/dccodec.h"
#include "dcmtk/dcmdata/dcfcache.h"
#include "dcmtk/dcmdata/dcpixseq.h"
#include "dcmtk/dcmdata/dcpxitem.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <vector>

/* Stored value -> HU for every possible 16-bit pattern, so the per-voxel work is one load. */
typedef struct {
  guint    bits_stored;
  guint    high_bit;
  gboolean is_signed;
  gboolean has_padding;
  gint32   padding_lo;
  gint32   padding_hi;
  double   slope;
  double   intercept;
  guint    table_bits;           /* 8 or 16 */
  gint16  *table;
  guint8  *clamped;              /* per pattern, 1 when the HU value was clamped */
  gboolean may_clamp;
} Lut;

static gint32
stored_value (guint32 raw, guint bits_stored, guint high_bit, gboolean is_signed)
{
  guint shift = high_bit + 1 - bits_stored;
  guint32 mask = bits_stored >= 32 ? 0xffffffffu : ((1u << bits_stored) - 1);
  guint32 v = (raw >> shift) & mask;

  if (is_signed && (v & (1u << (bits_stored - 1))))
    return (gint32) v - (gint32) (1u << bits_stored);
  return (gint32) v;
}

static void
lut_build (Lut *lut)
{
  guint n = 1u << lut->table_bits;
  gboolean integral = lut->slope == 1.0 && lut->intercept == std::floor (lut->intercept);

  lut->table = g_new (gint16, n);
  lut->clamped = g_new0 (guint8, n);
  lut->may_clamp = FALSE;
  for (guint raw = 0; raw < n; raw++)
    {
      gint32 v = stored_value (raw, lut->bits_stored, lut->high_bit, lut->is_signed);

      if (lut->has_padding && v >= lut->padding_lo && v <= lut->padding_hi)
        {
          lut->table[raw] = FIDAC_HU_AIR;
          continue;
        }
      double hu = integral ? v + lut->intercept : std::nearbyint (v * lut->slope + lut->intercept);
      if (hu < G_MININT16 || hu > G_MAXINT16)
        {
          lut->clamped[raw] = 1;
          lut->may_clamp = TRUE;
          hu = hu < 0 ? G_MININT16 : G_MAXINT16;
        }
      lut->table[raw] = (gint16) hu;
    }
}

static void
lut_clear (Lut *lut)
{
  g_clear_pointer (&lut->table, g_free);
  g_clear_pointer (&lut->clamped, g_free);
}

static gboolean
lut_matches (const Lut *a, const Lut *b)
{
  return a->table != NULL && a->bits_stored == b->bits_stored && a->high_bit == b->high_bit &&
         a->is_signed == b->is_signed && a->has_padding == b->has_padding &&
         a->padding_lo == b->padding_lo && a->padding_hi == b->padding_hi &&
         a->slope == b->slope && a->intercept == b->intercept && a->table_bits == b->table_bits;
}

/* The common case (slope 1, whole intercept) without a table: simple enough for the
 * compiler to vectorise, and done in place, raw patterns in, HU out. */
__attribute__ ((optimize ("O3")))
static gint64
convert_integer_in_place (gint16 *data, gsize n, guint high_bit, guint bits_stored,
                          gboolean is_signed, gboolean has_padding, gint32 padding_lo,
                          gint32 padding_hi, gint32 intercept)
{
  const guint up = 31 - high_bit;
  const guint down = 32 - bits_stored;
  gint64 clamped = 0;

  if (!has_padding)
    {
      padding_lo = 1;
      padding_hi = 0;
    }
  for (gsize p = 0; p < n; p++)
    {
      guint32 raw = (guint16) data[p];
      gint32 v = is_signed ? (gint32) (raw << up) >> down : (gint32) ((raw << up) >> down);
      gint32 hu = v + intercept;
      gint32 c = hu < G_MININT16 ? G_MININT16 : (hu > G_MAXINT16 ? G_MAXINT16 : hu);
      clamped += c != hu;
      data[p] = (v >= padding_lo && v <= padding_hi) ? (gint16) FIDAC_HU_AIR : (gint16) c;
    }
  return clamped;
}

/* The size a JPEG or JPEG-LS codestream declares in its frame header (SOFn), read from
 * the first fragment; FALSE when it cannot be found. */
static gboolean
jpeg_declared_size (DcmPixelData *pixels, E_TransferSyntax xfer, guint *rows, guint *columns)
{
  DcmPixelSequence *sequence = NULL;
  DcmPixelItem *item = NULL;
  Uint8 *data = NULL;

  if (pixels->getEncapsulatedRepresentation (xfer, NULL, sequence).bad () || sequence == NULL ||
      sequence->getItem (item, 1).bad () || item == NULL ||
      item->getUint8Array (data).bad () || data == NULL)
    return FALSE;
  gsize length = item->getLength ();
  if (length < 4 || data[0] != 0xff || data[1] != 0xd8)
    return FALSE;
  for (gsize i = 2; i + 9 <= length;)
    {
      if (data[i] != 0xff)
        return FALSE;
      guint8 marker = data[i + 1];
      if (marker == 0xff)
        {
          i++;
          continue;
        }
      gsize segment = ((gsize) data[i + 2] << 8) | data[i + 3];
      gboolean sof = (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 &&
                      marker != 0xcc) || marker == 0xf7;
      if (sof)
        {
          *rows = (data[i + 5] << 8) | data[i + 6];
          *columns = (data[i + 7] << 8) | data[i + 8];
          return TRUE;
        }
      if (marker == 0xda || segment < 2)
        return FALSE;
      i += 2 + segment;
    }
  return FALSE;
}

/* The number of bytes the first RLE segment of the first frame decodes to (one byte plane
 * of the image, Rows × Columns when the header is right); -1 when it cannot be read. */
static gint64
rle_first_segment_size (DcmPixelData *pixels)
{
  DcmPixelSequence *sequence = NULL;
  DcmPixelItem *item = NULL;
  Uint8 *data = NULL;

  if (pixels->getEncapsulatedRepresentation (EXS_RLELossless, NULL, sequence).bad () || sequence == NULL ||
      sequence->getItem (item, 1).bad () || item == NULL ||
      item->getUint8Array (data).bad () || data == NULL)
    return -1;
  gsize length = item->getLength ();
  if (length < 64)
    return -1;
  auto u32 = [&] (gsize at) -> gsize {
    return data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | ((gsize) data[at + 3] << 24);
  };
  gsize n_segments = u32 (0);
  gsize start = u32 (4);
  gsize end = n_segments > 1 ? u32 (8) : length;
  if (n_segments < 1 || n_segments > 15 || start < 64 || end > length || start > end)
    return -1;
  gint64 out = 0;
  for (gsize i = start; i < end;)
    {
      gint8 n = (gint8) data[i++];
      if (n >= 0)
        {
          out += n + 1;
          i += n + 1;
        }
      else if (n != -128)
        {
          out += 1 - n;
          i++;
        }
    }
  return out;
}

typedef struct {
  FidacVolume       *volume;
  FidacFileHeader        *headers;
  guint              n_files;
  guint              n_frames;
  gint               next;
  gint               done;
  gint               last_percent;
  gint               failed;       /* atomic flag */
  GMutex             mutex;
  GError            *error;        /* first failure */
  gint64             clamped;      /* under mutex */
  guint              clamped_files;
  GCancellable      *cancellable;
  FidacProgressFunc  progress;
  gpointer           user_data;
} DecodeJob;

static void
decode_fail (DecodeJob *job, GError *error)
{
  g_mutex_lock (&job->mutex);
  if (job->error == NULL)
    job->error = error;
  else
    g_error_free (error);
  g_mutex_unlock (&job->mutex);
  g_atomic_int_set (&job->failed, 1);
}

static gboolean
decode_file (DecodeJob *job, FidacFileHeader *h, Lut *lut, std::vector<guint8> &scratch, GError **error)
{
  const FidacFileInfo *f = &h->info;
  gboolean native = f->native_offset > 0;
  gboolean j2k = fidac_dicom_xfer_is_j2k (f->transfer_syntax_uid);
  gsize n_pixels = (gsize) f->rows * f->columns;
  gsize slice_bytes = n_pixels * sizeof (gint16);
  Uint32 frame_bytes = 0;
  DcmFileFormat ff;
  DcmDataset *ds = NULL;
  DcmPixelData *pixels = NULL;
  DcmXfer xfer (f->transfer_syntax_uid);
  OFCondition cond;
  struct Fd {
    int fd = -1;
    ~Fd () { if (fd >= 0) close (fd); }
  } file;

  if (native)
    {
      frame_bytes = (Uint32) (n_pixels * (f->bits_allocated / 8));
      file.fd = g_open (f->path, O_RDONLY, 0);
      if (file.fd < 0)
        {
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                       _("%s: the file could not be read again (%s)"), f->path, g_strerror (errno));
          return FALSE;
        }
    }
  else
    {
      /* Large values stay on disk until a frame is asked for. */
      cond = ff.loadFile (f->path, EXS_Unknown, EGL_noChange, FIDAC_DICOM_HEADER_MAX_READ,
                          ERM_autoDetect);
      if (cond.bad ())
        {
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                       _("%s: the file could not be read again (%s)"), f->path, cond.text ());
          return FALSE;
        }

      ds = ff.getDataset ();
      DcmElement *element = NULL;
      if (ds->findAndGetElement (DCM_PixelData, element).bad () || element == NULL)
        {
          gboolean floats = ds->tagExists (DCM_FloatPixelData) || ds->tagExists (DCM_DoubleFloatPixelData);
          g_set_error (error, FIDAC_DICOM_ERROR,
                       floats ? FIDAC_DICOM_ERROR_UNSUPPORTED : FIDAC_DICOM_ERROR_NOT_IMAGE,
                       floats ? _("%s: floating-point pixel data is not supported")
                              : _("%s: the image has no Pixel Data"), f->path);
          return FALSE;
        }
      pixels = OFstatic_cast (DcmPixelData *, element);
    }

  if (!native && !j2k)
    {
      if (xfer.getXfer () == EXS_Unknown)
        {
          g_autofree gchar *name = fidac_dicom_transfer_syntax_name (f->transfer_syntax_uid);
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_UNSUPPORTED,
                       _("%s: pixel data in %s cannot be decoded: this transfer syntax is not supported"),
                       f->path, name);
          return FALSE;
        }
      if (pixels->getUncompressedFrameSize (ds, frame_bytes).bad () || frame_bytes < n_pixels * (f->bits_allocated / 8))
        {
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                       _("%s: the pixel data size cannot be determined"), f->path);
          return FALSE;
        }
    }

  /* The header check of the length covers plain little-endian files only; deflated and
   * big-endian ones are checked here, where their pixel data is known. */
  if (!native && !j2k && !xfer.isEncapsulated ())
    {
      guint64 length = pixels->getLength ();
      guint64 expected = (guint64) n_pixels * (f->bits_allocated / 8) * f->n_frames;
      if (length < expected || length >= expected + (guint64) f->columns * (f->bits_allocated / 8))
        {
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                       _("%s: the Pixel Data holds %lld bytes but Rows, Columns, "
                         "Bits Allocated and Number of Frames call for %llu"),
                       f->path, (long long) length, (unsigned long long) expected);
          return FALSE;
        }
    }

  /* Some decoders fill a buffer of the header's size with a picture of another without
   * complaint: a sheared or partial image. */
  if (!native && !j2k && xfer.isEncapsulated () &&
      xfer.getXfer () != EXS_RLELossless)
    {
      guint jpeg_rows = 0, jpeg_columns = 0;
      if (jpeg_declared_size (pixels, xfer.getXfer (), &jpeg_rows, &jpeg_columns) &&
          (jpeg_rows != (guint) f->rows || jpeg_columns != (guint) f->columns))
        {
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                       _("%s: the compressed image is %u × %u pixels but Rows and Columns say %d × %d"),
                       f->path, jpeg_columns, jpeg_rows, f->columns, f->rows);
          return FALSE;
        }
    }

  /* The RLE decoder stops quietly when the buffer of the header's size is full. */
  if (!native && xfer.getXfer () == EXS_RLELossless)
    {
      gint64 plane = rle_first_segment_size (pixels);
      if (plane >= 0 && ((guint64) plane < n_pixels || (guint64) plane >= n_pixels + (guint) f->columns))
        {
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                       _("%s: the RLE data holds %lld pixels per frame but Rows and Columns say %d × %d"),
                       f->path, (long long) plane, f->columns, f->rows);
          return FALSE;
        }
    }

  Uint32 start_fragment = 0;
  guint last_frame = G_MAXUINT - 1;
  DcmFileCache cache;
  Lut wanted = {};
  wanted.bits_stored = f->bits_stored;
  wanted.high_bit = f->high_bit;
  wanted.is_signed = f->is_signed;
  wanted.table_bits = (j2k || f->bits_allocated == 16) ? 16 : 8;
  if (f->has_padding)
    {
      gint32 a = stored_value (f->padding_value, f->bits_stored, f->high_bit, f->is_signed);
      gint32 b = f->has_padding_limit
                   ? stored_value (f->padding_limit, f->bits_stored, f->high_bit, f->is_signed) : a;
      wanted.has_padding = TRUE;
      wanted.padding_lo = MIN (a, b);
      wanted.padding_hi = MAX (a, b);
    }

  for (const FidacFrameInfo &fr : h->frames)
    {
      if (g_cancellable_is_cancelled (job->cancellable) || g_atomic_int_get (&job->failed))
        return TRUE;

      gint16 *slice = fidac_volume_slice (job->volume, fr.k);
      gboolean in_place = !j2k && f->bits_allocated == 16 && frame_bytes == slice_bytes;
      void *target;

      if (in_place)
        target = slice;
      else
        {
          gsize need = MAX ((gsize) frame_bytes, slice_bytes) + 2;
          if (scratch.size () < need)
            scratch.resize (need);
          target = scratch.data ();
        }

      if (native)
        {
          gsize got = 0;
          goffset at = f->native_offset + (goffset) fr.frame * frame_bytes;
          while (got < frame_bytes)
            {
              ssize_t r = pread (file.fd, (guint8 *) target + got, frame_bytes - got, at + got);
              if (r < 0 && errno == EINTR)
                continue;
              if (r <= 0)
                {
                  g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                               _("%s: the pixel data is truncated"), f->path);
                  return FALSE;
                }
              got += r;
            }
        }
      else if (j2k)
        {
          if (!fidac_dicom_j2k_decode_frame (ds, fr.frame, f->n_frames, f->rows, f->columns,
                                             (guint16 *) target, error))
            {
              g_prefix_error (error, "%s: ", f->path);
              return FALSE;
            }
        }
      else
        {
          OFString colour_model;
          /* The fragment hint only holds when decoding the next frame in order. */
          if (fr.frame != last_frame + 1)
            start_fragment = 0;
          last_frame = fr.frame;
          Uint32 size = in_place ? (Uint32) slice_bytes : (Uint32) ((frame_bytes + 1) & ~1u);
          cond = pixels->getUncompressedFrame (ds, fr.frame, start_fragment, target, size,
                                               colour_model, &cache);
          if (cond.bad ())
            {
              g_autofree gchar *name = fidac_dicom_transfer_syntax_name (f->transfer_syntax_uid);
              gboolean no_codec = xfer.isEncapsulated () &&
                                  !DcmCodecList::canChangeCoding (xfer.getXfer (), EXS_LittleEndianExplicit);
              if (no_codec)
                g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_UNSUPPORTED,
                             _("%s: pixel data in %s cannot be decoded: this transfer syntax is not supported"),
                       f->path, name);
              else
                g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                             _("%s: frame %u cannot be decoded from %s (%s)"),
                             f->path, fr.frame + 1, name, cond.text ());
              return FALSE;
            }
        }

      wanted.slope = fr.slope;
      wanted.intercept = fr.intercept;
      gboolean fast = wanted.table_bits == 16 && fr.slope == 1.0 &&
                      fr.intercept == std::floor (fr.intercept) && std::fabs (fr.intercept) < 65536;
      if (!fast && !lut_matches (lut, &wanted))
        {
          lut_clear (lut);
          *lut = wanted;
          lut_build (lut);
        }

      /* Clamps are counted on the raw values, before an in-place conversion replaces them. */
      gint64 clamped = 0;
      if (fast)
        {
          if (target != slice)
            memcpy (slice, target, slice_bytes);
          clamped = convert_integer_in_place (slice, n_pixels, wanted.high_bit, wanted.bits_stored,
                                              wanted.is_signed, wanted.has_padding, wanted.padding_lo,
                                              wanted.padding_hi, (gint32) fr.intercept);
        }
      else if (lut->table_bits == 16)
        {
          const guint16 *raw = (const guint16 *) target;
          const gint16 *table = lut->table;
          if (lut->may_clamp)
            for (gsize p = 0; p < n_pixels; p++)
              clamped += lut->clamped[raw[p]];
          for (gsize p = 0; p < n_pixels; p++)
            slice[p] = table[raw[p]];
        }
      else
        {
          const guint8 *raw = (const guint8 *) target;
          if (lut->may_clamp)
            for (gsize p = 0; p < n_pixels; p++)
              clamped += lut->clamped[raw[p]];
          for (gsize p = 0; p < n_pixels; p++)
            slice[p] = lut->table[raw[p]];
        }
      if (clamped > 0)
        {
          g_mutex_lock (&job->mutex);
          job->clamped += clamped;
          job->clamped_files++;
          g_mutex_unlock (&job->mutex);
        }

      gint done = g_atomic_int_add (&job->done, 1) + 1;
      if (job->progress != NULL)
        {
          gint percent = (gint) ((gint64) done * 100 / job->n_frames);
          gint last = g_atomic_int_get (&job->last_percent);
          if (percent > last && g_atomic_int_compare_and_exchange (&job->last_percent, last, percent))
            job->progress (0.1 + 0.9 * done / job->n_frames, job->user_data);
        }
    }
  return TRUE;
}

static gpointer
decode_worker (gpointer data)
{
  DecodeJob *job = (DecodeJob *) data;
  Lut lut = {};
  std::vector<guint8> scratch;

  for (;;)
    {
      gint i = g_atomic_int_add (&job->next, 1);
      if (i >= (gint) job->n_files || g_cancellable_is_cancelled (job->cancellable) ||
          g_atomic_int_get (&job->failed))
        break;

      GError *error = NULL;
      FidacFileHeader *h = &job->headers[i];
      gboolean ok = fidac_dicom_guard (&error, [&] () {
        return decode_file (job, h, &lut, scratch, &error);
      });
      if (!ok)
        {
          if (error == NULL)
            error = g_error_new (FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                                 _("%s: the pixel data cannot be decoded"), h->info.path);
          decode_fail (job, error);
          break;
        }
    }
  lut_clear (&lut);
  return NULL;
}

gboolean
fidac_dicom_decode_pixels (FidacVolume                  *volume,
                           std::vector<FidacFileHeader> &work,
                           guint                         n_frames,
                           GCancellable                 *cancellable,
                           FidacProgressFunc             progress,
                           gpointer                      user_data,
                           gint64                       *clamped,
                           guint                        *clamped_images,
                           GError                      **error)
{
  DecodeJob job = {};

  job.volume = volume;
  job.headers = work.data ();
  job.n_files = work.size ();
  job.n_frames = n_frames;
  job.last_percent = -1;
  job.cancellable = cancellable;
  job.progress = progress;
  job.user_data = user_data;
  g_mutex_init (&job.mutex);
  fidac_dicom_run_threads (job.n_files, decode_worker, &job, "fidac-decode");
  g_mutex_clear (&job.mutex);

  *clamped = job.clamped;
  *clamped_images = job.clamped_files;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_clear_error (&job.error);
      return FALSE;
    }
  if (job.error != NULL)
    {
      g_propagate_error (error, job.error);
      return FALSE;
    }
  return TRUE;
}
