/* fidac-dicom-load.cc: a series of cross-sectional images into a volume of Hounsfield
 * units, with its geometry checked slice by slice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two passes. The first reads every header (not the pixels), works out and checks the
 * geometry, and allocates the volume. The second decodes the pixel data on all cores, each
 * frame straight into its slice of the volume.
 */
#define G_LOG_DOMAIN "fidac-dicom"

#include "fidac-dicom-reader.hh"

#include "dcmtk/dcmdata/dccodec.h"
#include "dcmtk/dcmdata/dcfcache.h"
#include "dcmtk/dcmdata/dcistrmf.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

/* Geometry tolerances. Positions written by scanners carry rounding noise of a few
 * micrometres; anything beyond these is a real irregularity. */
#define ORIENTATION_TOLERANCE 2e-3     /* direction cosine components */
#define SPACING_TOLERANCE     1e-3     /* relative, pixel spacing */
#define TILT_MIN_DEGREES      0.05

/* ---- per-file and per-frame header facts ---- */

typedef struct {
  gchar   *path;
  gchar   *sop_uid;
  gchar   *sop_class_uid;
  gchar   *transfer_syntax_uid;
  gint     rows;
  gint     columns;
  guint    bits_allocated;
  guint    bits_stored;
  guint    high_bit;
  gboolean is_signed;
  guint    samples_per_pixel;
  gchar   *photometric;
  gboolean has_padding;
  guint16  padding_value;        /* raw stored bit pattern */
  gboolean has_padding_limit;
  guint16  padding_limit;
  guint    n_frames;
  gboolean is_localizer;
  gboolean has_tilt;
  double   tilt;                 /* Gantry/Detector Tilt, degrees */
  goffset  native_offset;        /* file offset of native little-endian pixels, or 0 */
} FileInfo;

typedef struct {
  guint    file;
  guint    frame;
  gboolean has_position;
  double   position[3];
  gboolean has_orientation;
  double   orientation[6];
  gboolean has_spacing;
  double   spacing[2];           /* DICOM order: between rows, between columns */
  double   thickness;            /* 0 when absent */
  gboolean has_slope;
  gboolean has_intercept;
  double   slope;
  double   intercept;
  double   along;                /* position along the normal */
  gint     k;                    /* destination slice */
} FrameInfo;

static void
file_info_clear (FileInfo *f)
{
  g_free (f->path);
  g_free (f->sop_uid);
  g_free (f->sop_class_uid);
  g_free (f->transfer_syntax_uid);
  g_free (f->photometric);
}

/* A raw 16-bit pattern of a US/SS (or implicit "xs") attribute. */
static gboolean
get_raw16 (DcmItem *item, const DcmTagKey &tag, guint16 *value)
{
  DcmElement *element = NULL;

  if (item->findAndGetElement (tag, element).bad () || element == NULL || element->getLength () < 2)
    return FALSE;
  if (element->ident () == EVR_SS)
    {
      Sint16 v;
      if (element->getSint16 (v).bad ())
        return FALSE;
      *value = (guint16) v;
      return TRUE;
    }
  if (element->ident () == EVR_US)
    {
      Uint16 v;
      if (element->getUint16 (v).bad ())
        return FALSE;
      *value = v;
      return TRUE;
    }
  double d;
  if (!fidac_dicom_get_double (item, tag, 0, &d))
    return FALSE;
  *value = (guint16) (gint32) d;
  return TRUE;
}

/* The item of a functional group for `frame`: per-frame first, then shared. */
static DcmItem *
functional_group (DcmItem *ds, guint frame, const DcmTagKey &group)
{
  DcmItem *frame_item = NULL;
  DcmItem *found = NULL;

  if (ds->findAndGetSequenceItem (DCM_PerFrameFunctionalGroupsSequence, frame_item, frame).good () &&
      frame_item != NULL &&
      frame_item->findAndGetSequenceItem (group, found, 0).good () && found != NULL)
    return found;

  DcmItem *shared = NULL;
  if (ds->findAndGetSequenceItem (DCM_SharedFunctionalGroupsSequence, shared, 0).good () &&
      shared != NULL &&
      shared->findAndGetSequenceItem (group, found, 0).good () && found != NULL)
    return found;
  return NULL;
}

static void
read_frame_geometry (DcmItem *position_item, DcmItem *orientation_item, DcmItem *measures_item,
                     DcmItem *rescale_item, FrameInfo *fr)
{
  if (position_item != NULL)
    fr->has_position = fidac_dicom_get_double (position_item, DCM_ImagePositionPatient, 0, &fr->position[0]) &&
                       fidac_dicom_get_double (position_item, DCM_ImagePositionPatient, 1, &fr->position[1]) &&
                       fidac_dicom_get_double (position_item, DCM_ImagePositionPatient, 2, &fr->position[2]);
  if (orientation_item != NULL)
    {
      fr->has_orientation = TRUE;
      for (guint c = 0; c < 6; c++)
        fr->has_orientation = fr->has_orientation &&
          fidac_dicom_get_double (orientation_item, DCM_ImageOrientationPatient, c, &fr->orientation[c]);
    }
  if (measures_item != NULL)
    {
      fr->has_spacing = fidac_dicom_get_double (measures_item, DCM_PixelSpacing, 0, &fr->spacing[0]) &&
                        fidac_dicom_get_double (measures_item, DCM_PixelSpacing, 1, &fr->spacing[1]) &&
                        fr->spacing[0] > 0 && fr->spacing[1] > 0;
      if (!fidac_dicom_get_double (measures_item, DCM_SliceThickness, 0, &fr->thickness))
        fr->thickness = 0;
    }
  fr->slope = 1.0;
  fr->intercept = 0.0;
  if (rescale_item != NULL)
    {
      fr->has_slope = fidac_dicom_get_double (rescale_item, DCM_RescaleSlope, 0, &fr->slope);
      fr->has_intercept = fidac_dicom_get_double (rescale_item, DCM_RescaleIntercept, 0, &fr->intercept);
      if (!fr->has_slope)
        fr->slope = 1.0;
      if (!fr->has_intercept)
        fr->intercept = 0.0;
    }
}

/* Uncompressed little-endian pixels are read straight from the file into the volume,
 * without parsing the file a second time. The stream stopped just after the Pixel Data
 * tag and length; that position is trusted only when the bytes before it are that tag with
 * the length one would expect, else the general DCMTK path is used. */
static goffset
find_native_pixels (const char *path, DcmDataset *ds, const FileInfo *f, offile_off_t position)
{
  E_TransferSyntax xfer = ds->getOriginalXfer ();
  gboolean explicit_vr = xfer == EXS_LittleEndianExplicit;
  guint8 head[12];
  gsize header = explicit_vr ? 12 : 8;

  if (G_BYTE_ORDER != G_LITTLE_ENDIAN ||
      (xfer != EXS_LittleEndianExplicit && xfer != EXS_LittleEndianImplicit) ||
      position < (offile_off_t) header || f->rows <= 0 || f->columns <= 0 ||
      (f->bits_allocated != 8 && f->bits_allocated != 16))
    return 0;

  guint64 expected = (guint64) f->rows * f->columns * (f->bits_allocated / 8) * f->n_frames;
  FILE *file = g_fopen (path, "rb");
  if (file == NULL)
    return 0;
  gboolean ok = fseeko (file, position - header, SEEK_SET) == 0 &&
                fread (head, 1, header, file) == header;
  fclose (file);
  if (!ok || head[0] != 0xe0 || head[1] != 0x7f || head[2] != 0x10 || head[3] != 0x00)
    return 0;

  const guint8 *len = head + header - 4;
  guint32 length = len[0] | (len[1] << 8) | (len[2] << 16) | ((guint32) len[3] << 24);
  if (explicit_vr && !((head[4] == 'O' && (head[5] == 'W' || head[5] == 'B')) && head[6] == 0 && head[7] == 0))
    return 0;
  if (length != expected && length != expected + 1)
    return 0;
  return (goffset) position;
}

typedef struct {
  FileInfo               info;
  std::vector<FrameInfo> frames;
  gchar                 *error;   /* translated, names the file */
  FidacDicomError        code;
} FileHeader;

static void
read_file_header (const char *path, FileHeader *h)
{
  std::unique_ptr<DcmFileFormat> ff (new DcmFileFormat ());
  FileInfo *f = &h->info;

  f->path = g_strdup (path);
  /* The scan has vetted the files; stopping before the pixel data halves the parsing. A
   * file missing its pixel data is caught when decoding. */
  DcmInputFileStream stream (path);
  OFCondition cond = stream.status ();
  if (cond.good ())
    {
      ff->transferInit ();
      cond = ff->readUntilTag (stream, EXS_Unknown, EGL_noChange, FIDAC_DICOM_HEADER_MAX_READ,
                               DCM_PixelData);
      ff->transferEnd ();
    }
  if (cond.bad ())
    {
      h->code = FIDAC_DICOM_ERROR_DECODE;
      h->error = g_strdup_printf (_("%s: the file cannot be read (%s)"), path, cond.text ());
      return;
    }

  DcmDataset *ds = ff->getDataset ();
  DcmMetaInfo *meta = ff->getMetaInfo ();
  double v;

  f->sop_uid = fidac_dicom_get_string (ds, DCM_SOPInstanceUID);
  f->sop_class_uid = fidac_dicom_get_string (ds, DCM_SOPClassUID);
  f->transfer_syntax_uid = meta ? fidac_dicom_get_string (meta, DCM_TransferSyntaxUID) : NULL;
  if (f->transfer_syntax_uid == NULL)
    f->transfer_syntax_uid = g_strdup (DcmXfer (ds->getOriginalXfer ()).getXferID ());

  if (fidac_dicom_sop_class_is_non_image (f->sop_class_uid) ||
      (!ds->tagExists (DCM_Rows) && !ds->tagExists (DCM_Columns)))
    {
      const char *name = f->sop_class_uid ? dcmFindNameOfUID (f->sop_class_uid, NULL) : NULL;
      h->code = FIDAC_DICOM_ERROR_NOT_IMAGE;
      h->error = g_strdup_printf (_("%s: not an image (SOP class %s): there are no pixels to load"),
                                  path, name ? name : (f->sop_class_uid ? f->sop_class_uid : "?"));
      return;
    }

  f->rows = fidac_dicom_get_double (ds, DCM_Rows, 0, &v) ? (gint) v : 0;
  f->columns = fidac_dicom_get_double (ds, DCM_Columns, 0, &v) ? (gint) v : 0;
  f->bits_allocated = fidac_dicom_get_double (ds, DCM_BitsAllocated, 0, &v) ? (guint) v : 0;
  f->bits_stored = fidac_dicom_get_double (ds, DCM_BitsStored, 0, &v) ? (guint) v : f->bits_allocated;
  f->high_bit = fidac_dicom_get_double (ds, DCM_HighBit, 0, &v) ? (guint) v : f->bits_stored - 1;
  f->is_signed = fidac_dicom_get_double (ds, DCM_PixelRepresentation, 0, &v) && v == 1;
  f->samples_per_pixel = fidac_dicom_get_double (ds, DCM_SamplesPerPixel, 0, &v) ? (guint) v : 1;
  f->photometric = fidac_dicom_get_string (ds, DCM_PhotometricInterpretation);
  f->has_padding = get_raw16 (ds, DCM_PixelPaddingValue, &f->padding_value);
  f->has_padding_limit = f->has_padding && get_raw16 (ds, DCM_PixelPaddingRangeLimit, &f->padding_limit);
  f->n_frames = fidac_dicom_get_double (ds, DCM_NumberOfFrames, 0, &v) && v >= 1 ? (guint) v : 1;
  f->has_tilt = fidac_dicom_get_double (ds, DCM_GantryDetectorTilt, 0, &f->tilt);
  {
    OFString type;
    f->is_localizer = ds->findAndGetOFString (DCM_ImageType, type, 2).good () &&
                      type == "LOCALIZER";
  }

  if (f->rows <= 0 || f->columns <= 0)
    {
      h->code = FIDAC_DICOM_ERROR_DECODE;
      h->error = g_strdup_printf (_("%s: the image size (Rows, Columns) is missing"), path);
      return;
    }
  if (f->samples_per_pixel != 1 ||
      (f->photometric != NULL && !g_str_has_prefix (f->photometric, "MONOCHROME")))
    {
      h->code = FIDAC_DICOM_ERROR_UNSUPPORTED;
      h->error = g_strdup_printf (_("%s: colour images (%s, %u samples per pixel) are not supported; "
                                    "a greyscale CT series is needed"),
                                  path, f->photometric ? f->photometric : "?", f->samples_per_pixel);
      return;
    }
  if ((f->bits_allocated != 8 && f->bits_allocated != 16) || f->bits_stored == 0 ||
      f->bits_stored > f->bits_allocated || f->high_bit + 1 < f->bits_stored ||
      f->high_bit >= f->bits_allocated)
    {
      h->code = FIDAC_DICOM_ERROR_UNSUPPORTED;
      h->error = g_strdup_printf (_("%s: %u bits allocated, %u bits stored, high bit %u are not supported "
                                    "(8 or 16 bits allocated are)"),
                                  path, f->bits_allocated, f->bits_stored, f->high_bit);
      return;
    }

  f->native_offset = find_native_pixels (path, ds, f, stream.tell ());

  gboolean enhanced = fidac_dicom_sop_class_is_enhanced (f->sop_class_uid) ||
                      ds->tagExists (DCM_PerFrameFunctionalGroupsSequence) ||
                      ds->tagExists (DCM_SharedFunctionalGroupsSequence);

  if (enhanced)
    {
      for (guint fr = 0; fr < f->n_frames; fr++)
        {
          FrameInfo info = {};
          info.file = 0;
          info.frame = fr;
          read_frame_geometry (functional_group (ds, fr, DCM_PlanePositionSequence),
                               functional_group (ds, fr, DCM_PlaneOrientationSequence),
                               functional_group (ds, fr, DCM_PixelMeasuresSequence),
                               functional_group (ds, fr, DCM_PixelValueTransformationSequence),
                               &info);
          h->frames.push_back (info);
        }
    }
  else
    {
      if (f->n_frames > 1)
        {
          h->code = FIDAC_DICOM_ERROR_UNSUPPORTED;
          h->error = g_strdup_printf (_("%s: a multi-frame image of %u frames without per-frame "
                                        "position (functional groups) cannot be placed in space"),
                                      path, f->n_frames);
          return;
        }
      FrameInfo info = {};
      read_frame_geometry (ds, ds, ds, ds, &info);
      h->frames.push_back (info);
    }
}

typedef struct {
  const FidacSeriesInfo *series;
  FileHeader            *headers;
  gint                   next;
  gint                   done;
  GCancellable          *cancellable;
  FidacProgressFunc      progress;
  gpointer               user_data;
  gint                   last_percent;
} HeaderJob;

static gpointer
header_worker (gpointer data)
{
  HeaderJob *job = (HeaderJob *) data;
  gint n = (gint) job->series->files->len;

  for (;;)
    {
      gint i = g_atomic_int_add (&job->next, 1);
      if (i >= n || g_cancellable_is_cancelled (job->cancellable))
        break;

      const char *path = (const char *) g_ptr_array_index (job->series->files, i);
      FileHeader *h = &job->headers[i];
      g_autoptr(GError) error = NULL;

      fidac_dicom_guard (&error, [&] () -> gboolean { read_file_header (path, h); return TRUE; });
      if (error != NULL && h->error == NULL)
        {
          h->code = FIDAC_DICOM_ERROR_DECODE;
          h->error = g_strdup_printf ("%s: %s", path, error->message);
        }

      /* Headers are the first tenth of the work. */
      gint done = g_atomic_int_add (&job->done, 1) + 1;
      if (job->progress != NULL)
        {
          gint percent = (gint) ((gint64) done * 10 / n);
          gint last = g_atomic_int_get (&job->last_percent);
          if (percent > last && g_atomic_int_compare_and_exchange (&job->last_percent, last, percent))
            job->progress (0.1 * done / n, job->user_data);
        }
    }
  return NULL;
}

static void
run_threads (guint n_items, GThreadFunc func, gpointer data, const char *name)
{
  guint n_threads = MIN ((guint) g_get_num_processors (), n_items);

  if (n_threads <= 1)
    {
      func (data);
      return;
    }
  std::vector<GThread *> threads (n_threads);
  for (guint t = 0; t < n_threads; t++)
    threads[t] = g_thread_new (name, func, data);
  for (guint t = 0; t < n_threads; t++)
    g_thread_join (threads[t]);
}

/* ---- pixel decoding ---- */

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

typedef struct {
  FidacVolume       *volume;
  FileHeader        *headers;
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
  gboolean           j2k_threads_warned;
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
decode_file (DecodeJob *job, FileHeader *h, Lut *lut, std::vector<guint8> &scratch, GError **error)
{
  const FileInfo *f = &h->info;
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

  for (const FrameInfo &fr : h->frames)
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
      FileHeader *h = &job->headers[i];
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

/* ---- geometry ---- */

typedef struct {
  FrameInfo *frame;
  FileHeader *header;
} FrameRef;

static const char *
frame_label (const FrameRef &r, gchar **tmp)
{
  if (r.header->info.n_frames > 1)
    {
      *tmp = g_strdup_printf (_("%s (frame %u)"), r.header->info.path, r.frame->frame + 1);
      return *tmp;
    }
  return r.header->info.path;
}

#define LABEL(ref, var) g_autofree gchar *var##_tmp = NULL; const char *var = frame_label ((ref), &var##_tmp)

static gboolean
check_consistency (std::vector<FrameRef> &frames, GError **error)
{
  const FrameRef &first = frames[0];
  const FileInfo *fi = &first.header->info;

  for (const FrameRef &r : frames)
    {
      const FileInfo *f = &r.header->info;
      if (f->rows != fi->rows || f->columns != fi->columns)
        {
          LABEL (first, a);
          LABEL (r, b);
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_INCONSISTENT,
                       _("The series mixes image sizes: %s is %d × %d but %s is %d × %d"),
                       a, fi->columns, fi->rows, b, f->columns, f->rows);
          return FALSE;
        }
      if (r.frame->has_spacing != first.frame->has_spacing ||
          (r.frame->has_spacing &&
           (std::fabs (r.frame->spacing[0] - first.frame->spacing[0]) > SPACING_TOLERANCE * first.frame->spacing[0] ||
            std::fabs (r.frame->spacing[1] - first.frame->spacing[1]) > SPACING_TOLERANCE * first.frame->spacing[1])))
        {
          LABEL (first, a);
          LABEL (r, b);
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_INCONSISTENT,
                       _("The series mixes pixel spacings: %s has %g × %g mm but %s has %g × %g mm"),
                       a, first.frame->spacing[1], first.frame->spacing[0],
                       b, r.frame->spacing[1], r.frame->spacing[0]);
          return FALSE;
        }
      if (r.frame->has_orientation && first.frame->has_orientation)
        {
          for (guint c = 0; c < 6; c++)
            if (std::fabs (r.frame->orientation[c] - first.frame->orientation[c]) > ORIENTATION_TOLERANCE)
              {
                LABEL (first, a);
                LABEL (r, b);
                g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_INCONSISTENT,
                             _("The series mixes image orientations: %s and %s are not parallel"), a, b);
                return FALSE;
              }
        }
    }
  return TRUE;
}

static gboolean
normalise3 (double v[3])
{
  double n = std::sqrt (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  if (!(n > 1e-6))
    return FALSE;
  for (guint c = 0; c < 3; c++)
    v[c] /= n;
  return TRUE;
}

typedef struct {
  double  origin[3];
  double  axis_i[3], axis_j[3], axis_k[3];
  double  spacing[3];
  gint    n_slices;
} Grid;

/* Orders the frames along the normal, assigns each its slice index (leaving gaps for
 * missing slices) and derives the grid. */
static gboolean
compute_geometry (std::vector<FrameRef> &frames, Grid *grid, GPtrArray *warnings, GError **error)
{
  const FrameRef &first = frames[0];
  guint n = frames.size ();

  if (first.frame->has_spacing)
    {
      grid->spacing[0] = first.frame->spacing[1];
      grid->spacing[1] = first.frame->spacing[0];
    }
  else
    {
      grid->spacing[0] = grid->spacing[1] = 1.0;
      g_ptr_array_add (warnings, g_strdup (_("Pixel Spacing is missing: 1 mm is assumed; "
                                             "distances and volumes are not reliable")));
    }

  gboolean all_positioned = TRUE;
  for (const FrameRef &r : frames)
    all_positioned = all_positioned && r.frame->has_position && r.frame->has_orientation;

  if (!all_positioned)
    {
      if (n > 1)
        {
          for (const FrameRef &r : frames)
            if (!r.frame->has_position || !r.frame->has_orientation)
              {
                LABEL (r, a);
                g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_GEOMETRY,
                             _("%s has no Image Position or Image Orientation (Patient): "
                               "the slices cannot be placed in space"), a);
                return FALSE;
              }
        }
      /* One image without geometry: show it, but say that it floats. */
      static const double iop[6] = { 1, 0, 0, 0, 1, 0 };
      if (!first.frame->has_orientation)
        memcpy (first.frame->orientation, iop, sizeof iop);
      if (!first.frame->has_position)
        memset (first.frame->position, 0, sizeof first.frame->position);
      g_ptr_array_add (warnings, g_strdup (_("The image has no position or orientation in the patient; "
                                             "an axial orientation at the origin is assumed")));
    }

  memcpy (grid->axis_i, first.frame->orientation, 3 * sizeof (double));
  memcpy (grid->axis_j, first.frame->orientation + 3, 3 * sizeof (double));
  if (!normalise3 (grid->axis_i) || !normalise3 (grid->axis_j) ||
      std::fabs (grid->axis_i[0] * grid->axis_j[0] + grid->axis_i[1] * grid->axis_j[1] +
                 grid->axis_i[2] * grid->axis_j[2]) > 1e-2)
    {
      LABEL (first, a);
      g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_GEOMETRY,
                   _("%s: the Image Orientation (Patient) is not a pair of perpendicular directions"), a);
      return FALSE;
    }
  double normal[3];
  fidac_vec3_cross (grid->axis_i, grid->axis_j, normal);
  normalise3 (normal);

  for (const FrameRef &r : frames)
    r.frame->along = fidac_vec3_dot (r.frame->position, normal);
  std::stable_sort (frames.begin (), frames.end (), [] (const FrameRef &a, const FrameRef &b) {
    return a.frame->along < b.frame->along;
  });

  if (n == 1)
    {
      double thickness = frames[0].frame->thickness;
      memcpy (grid->origin, frames[0].frame->position, sizeof grid->origin);
      memcpy (grid->axis_k, normal, sizeof normal);
      grid->n_slices = 1;
      frames[0].frame->k = 0;
      if (thickness > 0)
        {
          grid->spacing[2] = thickness;
          g_ptr_array_add (warnings, g_strdup_printf (_("A single image: its depth is taken from the "
                                                        "Slice Thickness (%g mm)"), thickness));
        }
      else
        {
          grid->spacing[2] = 1.0;
          g_ptr_array_add (warnings, g_strdup (_("A single image without Slice Thickness: 1 mm is assumed "
                                                 "for its depth")));
        }
      return TRUE;
    }

  /* Steps between neighbours along the normal. */
  std::vector<double> steps;
  for (guint s = 1; s < n; s++)
    steps.push_back (frames[s].frame->along - frames[s - 1].frame->along);

  double max_extent = frames[n - 1].frame->along - frames[0].frame->along;
  double duplicate_tolerance = MAX (1e-3, 1e-3 * max_extent / n);
  for (guint s = 1; s < n; s++)
    if (steps[s - 1] < duplicate_tolerance)
      {
        LABEL (frames[s - 1], a);
        LABEL (frames[s], b);
        g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_GEOMETRY,
                     _("Two images are at the same position (%.2f mm along the slice normal): %s and %s"),
                     frames[s].frame->along, a, b);
        return FALSE;
      }

  std::vector<double> sorted = steps;
  std::sort (sorted.begin (), sorted.end ());
  double median = sorted[sorted.size () / 2];
  double tolerance = 0.02 + 0.05 * median;

  /* Each step is a whole number of regular steps: 1, or more where slices are missing. */
  gint k = 0;
  frames[0].frame->k = 0;
  for (guint s = 1; s < n; s++)
    {
      double step = steps[s - 1];
      double m = std::nearbyint (step / median);
      if (m < 1 || std::fabs (step - m * median) > tolerance * m)
        {
          LABEL (frames[s - 1], a);
          LABEL (frames[s], b);
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_GEOMETRY,
                       _("Uneven slice spacing: %.3f mm between %s and %s where the series' "
                         "usual step is %.3f mm; the slices cannot be put on a regular grid"),
                       step, a, b, median);
          return FALSE;
        }
      if (m > 1000)
        {
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_GEOMETRY,
                       _("A gap of %.1f mm in a series with %.3f mm slices is not plausible"),
                       step, median);
          return FALSE;
        }
      k += (gint) m;
      frames[s].frame->k = k;
    }
  grid->n_slices = k + 1;

  /* Step vector from the end slices: exact at both ends, and it carries any tilt. */
  double step_vec[3];
  for (guint c = 0; c < 3; c++)
    step_vec[c] = (frames[n - 1].frame->position[c] - frames[0].frame->position[c]) / k;
  double step_len = fidac_vec3_norm (step_vec);
  double regular = fidac_vec3_dot (step_vec, normal);

  /* Every slice must lie where the grid puts it, in all three directions. */
  for (guint s = 0; s < n; s++)
    {
      double d2 = 0;
      for (guint c = 0; c < 3; c++)
        {
          double expected = frames[0].frame->position[c] + frames[s].frame->k * step_vec[c];
          double diff = frames[s].frame->position[c] - expected;
          d2 += diff * diff;
        }
      if (std::sqrt (d2) > tolerance)
        {
          LABEL (frames[s], a);
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_GEOMETRY,
                       _("%s lies %.2f mm away from the regular slice grid of the series: "
                         "uneven spacing or a shifted slice"),
                       a, std::sqrt (d2));
          return FALSE;
        }
    }

  double cos_tilt = CLAMP (regular / step_len, -1.0, 1.0);
  double tilt = std::acos (cos_tilt) * 180.0 / G_PI;
  memcpy (grid->origin, frames[0].frame->position, sizeof grid->origin);
  if (tilt > TILT_MIN_DEGREES)
    {
      memcpy (grid->axis_k, step_vec, sizeof step_vec);
      normalise3 (grid->axis_k);
      grid->spacing[2] = step_len;
      g_ptr_array_add (warnings,
                       g_strdup_printf (_("Gantry tilt: the slices are stacked at %.2f° from the "
                                          "perpendicular; the volume follows the real slice positions "
                                          "(sheared grid)"), tilt));
    }
  else
    {
      memcpy (grid->axis_k, normal, sizeof normal);
      grid->spacing[2] = regular;
      const FileInfo *fi = &frames[0].header->info;
      if (fi->has_tilt && std::fabs (fi->tilt) > TILT_MIN_DEGREES)
        g_ptr_array_add (warnings,
                         g_strdup_printf (_("The header states a gantry tilt of %.2f°, but the slice "
                                            "positions show none: the positions are used"), fi->tilt));
    }

  /* Gaps: where and how many. */
  for (guint s = 1; s < n; s++)
    {
      gint missing = frames[s].frame->k - frames[s - 1].frame->k - 1;
      if (missing > 0)
        g_ptr_array_add (warnings,
                         g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                       "%d slice is missing between %.2f mm and %.2f mm along the "
                                                       "slice normal (slices %d to %d are filled with air)",
                                                       "%d slices are missing between %.2f mm and %.2f mm along the "
                                                       "slice normal (slices %d to %d are filled with air)",
                                                       missing),
                                          missing, frames[s - 1].frame->along, frames[s].frame->along,
                                          frames[s - 1].frame->k + 1, frames[s].frame->k - 1));
    }
  return TRUE;
}

/* ---- series metadata ---- */

static void
copy_metadata (FidacVolume *volume, const char *path, const FidacSeriesInfo *info)
{
  DcmFileFormat ff;

  volume->series_uid = g_strdup (info->series_uid);
  volume->study_uid = g_strdup (info->study_uid);
  volume->modality = g_strdup (info->modality);
  volume->series_description = g_strdup (info->series_description);
  volume->study_date = g_strdup (info->study_date);

  if (ff.loadFileUntilTag (path, EXS_Unknown, EGL_noChange, FIDAC_DICOM_HEADER_MAX_READ,
                           ERM_autoDetect, DCM_PixelData).bad ())
    return;
  DcmDataset *ds = ff.getDataset ();

  volume->frame_of_reference_uid = fidac_dicom_get_string (ds, DCM_FrameOfReferenceUID);
  volume->patient_position = fidac_dicom_get_string (ds, DCM_PatientPosition);
  if (volume->study_uid == NULL)
    volume->study_uid = fidac_dicom_get_string (ds, DCM_StudyInstanceUID);

  DcmItem *voi = ds;
  if (!ds->tagExists (DCM_WindowCenter))
    voi = functional_group (ds, 0, DCM_FrameVOILUTSequence);
  if (voi == NULL)
    return;

  DcmElement *centers = NULL, *widths = NULL, *explanations = NULL;
  if (voi->findAndGetElement (DCM_WindowCenter, centers).bad () ||
      voi->findAndGetElement (DCM_WindowWidth, widths).bad ())
    return;
  voi->findAndGetElement (DCM_WindowCenterWidthExplanation, explanations);
  unsigned long count = MIN (centers->getVM (), widths->getVM ());
  for (unsigned long w = 0; w < count; w++)
    {
      double c, wd;
      if (!fidac_dicom_get_double (voi, DCM_WindowCenter, w, &c) ||
          !fidac_dicom_get_double (voi, DCM_WindowWidth, w, &wd) || !(wd > 0))
        continue;
      OFString text;
      g_autofree gchar *explanation = NULL;
      if (explanations != NULL && explanations->getOFString (text, w).good ())
        {
          explanation = g_strstrip (g_strdup (text.c_str ()));
          if (explanation[0] == '\0')
            g_clear_pointer (&explanation, g_free);
        }
      fidac_volume_add_window (volume, c, wd, explanation);
    }
}

/* ---- the entry point ---- */

static void
free_headers (FileHeader *headers, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      file_info_clear (&headers[i].info);
      g_free (headers[i].error);
    }
  delete[] headers;
}

static FidacVolume *
load_impl (const FidacSeriesInfo *series,
           GCancellable          *cancellable,
           FidacProgressFunc      progress,
           gpointer               user_data,
           GError               **error)
{
  if (!fidac_dicom_init (error))
    return NULL;
  if (series == NULL || series->files == NULL || series->files->len == 0)
    {
      g_set_error_literal (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_NO_SERIES,
                           _("The series has no files"));
      return NULL;
    }
  if (progress != NULL)
    progress (0.0, user_data);

  guint n_files = series->files->len;
  std::unique_ptr<FileHeader[], std::function<void (FileHeader *)>> headers (
    new FileHeader[n_files](), [n_files] (FileHeader *h) { free_headers (h, n_files); });

  HeaderJob hjob = { series, headers.get (), 0, 0, cancellable, progress, user_data, -1 };
  run_threads (n_files, header_worker, &hjob, "fidac-header");
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  std::vector<FrameRef> frames;
  guint n_localizers = 0, n_images = 0;

  for (guint i = 0; i < n_files; i++)
    if (headers[i].error == NULL && !headers[i].info.is_localizer)
      n_images++;

  for (guint i = 0; i < n_files; i++)
    {
      FileHeader *h = &headers[i];
      if (h->error != NULL)
        {
          g_set_error_literal (error, FIDAC_DICOM_ERROR, h->code, h->error);
          return NULL;
        }
      /* Scouts sometimes share the series UID of the axial stack they planned. */
      if (h->info.is_localizer && n_images > 0)
        {
          n_localizers++;
          continue;
        }
      for (FrameInfo &fr : h->frames)
        {
          fr.file = i;
          frames.push_back (FrameRef { &fr, h });
        }
    }
  if (n_localizers > 0)
    g_ptr_array_add (warnings,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%u localizer image in the series was left out",
                                                   "%u localizer images in the series were left out",
                                                   n_localizers), n_localizers));

  /* The same instance reached twice (a copy in another folder) is one slice. */
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
    std::vector<FrameRef> unique;
    for (const FrameRef &r : frames)
      {
        const char *uid = r.header->info.sop_uid;
        if (uid != NULL && r.header->info.n_frames == 1)
          {
            const char *other = (const char *) g_hash_table_lookup (seen, uid);
            if (other != NULL)
              {
                g_ptr_array_add (warnings,
                                 g_strdup_printf (_("%s is a copy of %s (same SOP Instance UID) and was ignored"),
                                                  r.header->info.path, other));
                continue;
              }
            g_hash_table_insert (seen, (gpointer) uid, r.header->info.path);
          }
        unique.push_back (r);
      }
    frames.swap (unique);
  }

  if (!check_consistency (frames, error))
    return NULL;

  Grid grid = {};
  if (!compute_geometry (frames, &grid, warnings, error))
    return NULL;

  /* Rescale: CT must state it; other modalities often store the values themselves. */
  {
    guint missing = 0, odd_slope = 0;
    for (FrameRef &r : frames)
      {
        if (!r.frame->has_slope || !r.frame->has_intercept)
          missing++;
        if (!(r.frame->slope != 0) || !std::isfinite (r.frame->slope) || !std::isfinite (r.frame->intercept))
          {
            LABEL (r, a);
            g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                         _("%s: unusable Rescale Slope %g / Intercept %g"), a, r.frame->slope, r.frame->intercept);
            return NULL;
          }
        if (r.frame->slope != 1.0)
          odd_slope++;
      }
    if (missing > 0 && g_strcmp0 (series->modality, "CT") == 0)
      g_ptr_array_add (warnings,
                       g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "%u CT image has no Rescale Slope/Intercept: its stored "
                                                     "values are taken as Hounsfield units",
                                                     "%u CT images have no Rescale Slope/Intercept: their stored "
                                                     "values are taken as Hounsfield units", missing), missing));
    (void) odd_slope;
  }

  g_autoptr(GError) local_error = NULL;
  g_autoptr(FidacVolume) volume = fidac_volume_new (frames[0].header->info.columns,
                                                    frames[0].header->info.rows,
                                                    grid.n_slices, &local_error);
  if (volume == NULL)
    {
      g_set_error_literal (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE, local_error->message);
      return NULL;
    }
  if (!fidac_volume_set_geometry (volume, grid.origin, grid.axis_i, grid.axis_j, grid.axis_k,
                                  grid.spacing, &local_error))
    {
      g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_GEOMETRY, "%s", local_error->message);
      return NULL;
    }

  /* Slices no file fills (gaps) are air. */
  std::vector<gboolean> filled (grid.n_slices, FALSE);
  for (const FrameRef &r : frames)
    {
      filled[r.frame->k] = TRUE;
      volume->slice_uids[r.frame->k] = g_strdup (r.header->info.sop_uid);
    }
  for (gint k = 0; k < grid.n_slices; k++)
    if (!filled[k])
      {
        gint16 *slice = fidac_volume_slice (volume, k);
        std::fill (slice, slice + fidac_volume_slice_voxels (volume), (gint16) FIDAC_HU_AIR);
      }

  /* Decode only the files that hold a slice of the volume, each once, and only the frames
   * on the grid (not skipped duplicates or localizers). */
  std::vector<gint> slot (n_files, -1);
  std::vector<FileHeader> work;
  work.reserve (n_files);
  for (const FrameRef &r : frames)
    {
      guint file = r.frame->file;
      if (slot[file] < 0)
        {
          slot[file] = work.size ();
          work.emplace_back ();
          work.back ().info = headers[file].info;
        }
      work[slot[file]].frames.push_back (*r.frame);
    }
  /* Frames in stored order: compressed fragments are then found without a search. */
  for (FileHeader &w : work)
    std::sort (w.frames.begin (), w.frames.end (),
               [] (const FrameInfo &a, const FrameInfo &b) { return a.frame < b.frame; });

  /* A multi-frame file is shared out in runs of frames, so that one Enhanced CT object is
   * decoded on all cores too. */
  {
    guint n_threads = MAX (1u, (guint) g_get_num_processors ());
    std::vector<FileHeader> split;
    for (FileHeader &w : work)
      {
        gsize run = MAX ((gsize) 8, (w.frames.size () + n_threads - 1) / n_threads);
        if (w.frames.size () <= run)
          {
            split.push_back (std::move (w));
            continue;
          }
        for (gsize start = 0; start < w.frames.size (); start += run)
          {
            FileHeader part;
            part.info = w.info;
            part.frames.assign (w.frames.begin () + start,
                                w.frames.begin () + MIN (start + run, w.frames.size ()));
            split.push_back (std::move (part));
          }
      }
    work.swap (split);
  }

  DecodeJob job = {};
  job.volume = volume;
  job.headers = work.data ();
  job.n_files = work.size ();
  job.n_frames = frames.size ();
  job.last_percent = -1;
  job.cancellable = cancellable;
  job.progress = progress;
  job.user_data = user_data;
  g_mutex_init (&job.mutex);
  run_threads (job.n_files, decode_worker, &job, "fidac-decode");
  g_mutex_clear (&job.mutex);
  /* `work` borrowed the strings of `headers`: drop them without freeing. */
  for (FileHeader &w : work)
    memset (&w.info, 0, sizeof w.info);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_clear_error (&job.error);
      return NULL;
    }
  if (job.error != NULL)
    {
      g_propagate_error (error, job.error);
      return NULL;
    }
  if (job.clamped > 0)
    g_ptr_array_add (warnings,
                     g_strdup_printf (_("%" G_GINT64_FORMAT " voxels in %u images fell outside the "
                                        "range of 16-bit Hounsfield units and were clamped"),
                                      job.clamped, job.clamped_files));

  copy_metadata (volume, frames[0].header->info.path, series);
  for (guint w = 0; w < warnings->len; w++)
    g_ptr_array_add (volume->warnings, g_strdup ((const char *) warnings->pdata[w]));

  if (progress != NULL)
    progress (1.0, user_data);
  return (FidacVolume *) g_steal_pointer (&volume);
}

FidacVolume *
fidac_dicom_load_series (const FidacSeriesInfo *info,
                         GCancellable          *cancellable,
                         FidacProgressFunc      progress,
                         gpointer               user_data,
                         GError               **error)
{
  return fidac_dicom_guard (error, [&] () {
    return load_impl (info, cancellable, progress, user_data, error);
  });
}
