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

#include "dcmtk/dcmdata/dcistrmf.h"

#include <glib/gstdio.h>
#include <sys/mman.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

/* ---- per-file and per-frame header facts ---- */

void
fidac_dicom_file_header_clear (FidacFileHeader *h)
{
  FidacFileInfo *f = &h->info;

  g_clear_pointer (&f->path, g_free);
  g_clear_pointer (&f->sop_uid, g_free);
  g_clear_pointer (&f->sop_class_uid, g_free);
  g_clear_pointer (&f->transfer_syntax_uid, g_free);
  g_clear_pointer (&f->photometric, g_free);
  g_clear_pointer (&h->error, g_free);
  h->frames.clear ();
}

/* ---- headers parsed by the last scan, so that loading right after need not parse them
 * again; an entry holds only while the file's size, time and inode are unchanged ---- */

typedef struct {
  GStatBuf         st;
  FidacFileHeader  header;
} CacheEntry;

static GMutex cache_mutex;
static GHashTable *cache;       /* path -> CacheEntry* */

static void
cache_entry_free (gpointer data)
{
  CacheEntry *e = (CacheEntry *) data;
  fidac_dicom_file_header_clear (&e->header);
  delete e;
}

static gboolean
same_file (const GStatBuf *a, const GStatBuf *b)
{
  return a->st_size == b->st_size && a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
         a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

void
fidac_dicom_header_cache_reset (void)
{
  g_mutex_lock (&cache_mutex);
  g_clear_pointer (&cache, g_hash_table_unref);
  cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cache_entry_free);
  g_mutex_unlock (&cache_mutex);
}

void
fidac_dicom_header_cache_put (const char *path, const GStatBuf *st, FidacFileHeader *header)
{
  CacheEntry *e = new CacheEntry ();

  e->st = *st;
  e->header = std::move (*header);
  *header = FidacFileHeader ();
  g_mutex_lock (&cache_mutex);
  if (cache != NULL)
    g_hash_table_replace (cache, g_strdup (path), e);
  else
    cache_entry_free (e);
  g_mutex_unlock (&cache_mutex);
}

static gboolean
header_cache_get (const char *path, FidacFileHeader *out)
{
  GStatBuf st;
  gboolean found = FALSE;

  if (g_stat (path, &st) != 0)
    return FALSE;
  g_mutex_lock (&cache_mutex);
  CacheEntry *e = cache != NULL ? (CacheEntry *) g_hash_table_lookup (cache, path) : NULL;
  if (e != NULL && same_file (&e->st, &st))
    {
      const FidacFileInfo *f = &e->header.info;
      out->info = *f;
      out->info.path = g_strdup (f->path);
      out->info.sop_uid = g_strdup (f->sop_uid);
      out->info.sop_class_uid = g_strdup (f->sop_class_uid);
      out->info.transfer_syntax_uid = g_strdup (f->transfer_syntax_uid);
      out->info.photometric = g_strdup (f->photometric);
      out->frames = e->header.frames;
      out->error = g_strdup (e->header.error);
      out->code = e->header.code;
      found = TRUE;
    }
  g_mutex_unlock (&cache_mutex);
  return found;
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
                     DcmItem *rescale_item, FidacFrameInfo *fr)
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
find_native_pixels (const char *path, DcmDataset *ds, const FidacFileInfo *f, offile_off_t position)
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
  GStatBuf st;
  /* A file too short for its pixels is left to the full parse, which calls it truncated. */
  if (fstat (fileno (file), &st) != 0 || (guint64) st.st_size < (guint64) position + expected)
    {
      fclose (file);
      return 0;
    }
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

/* The length of uncompressed little-endian Pixel Data as written before it, or -1 when it
 * cannot be known here (other syntaxes, undefined length, not where expected). */
static gint64
native_pixel_length (const char *path, DcmDataset *ds, offile_off_t position)
{
  E_TransferSyntax xfer = ds->getOriginalXfer ();
  gboolean explicit_vr = xfer == EXS_LittleEndianExplicit;
  gsize header = explicit_vr ? 12 : 8;
  guint8 head[12];

  if ((xfer != EXS_LittleEndianExplicit && xfer != EXS_LittleEndianImplicit) ||
      position < (offile_off_t) header)
    return -1;
  FILE *file = g_fopen (path, "rb");
  if (file == NULL)
    return -1;
  gboolean ok = fseeko (file, position - header, SEEK_SET) == 0 &&
                fread (head, 1, header, file) == header;
  fclose (file);
  if (!ok || head[0] != 0xe0 || head[1] != 0x7f || head[2] != 0x10 || head[3] != 0x00)
    return -1;
  const guint8 *len = head + header - 4;
  guint32 length = len[0] | (len[1] << 8) | (len[2] << 16) | ((guint32) len[3] << 24);
  return length == 0xffffffffu ? -1 : (gint64) length;
}

static void
read_file_header (const char *path, FidacFileHeader *h)
{
  DcmFileFormat ff;
  offile_off_t pixels_at = 0;

  /* The scan has vetted the files; stopping before the pixel data halves the parsing. A
   * file missing its pixel data is caught when decoding. */
  OFCondition cond = fidac_dicom_read_until_pixels (path, &ff, &pixels_at);
  if (cond.bad ())
    {
      h->info.path = g_strdup (path);
      h->code = FIDAC_DICOM_ERROR_DECODE;
      h->error = g_strdup_printf (_("%s: the file cannot be read (%s)"), path, cond.text ());
      return;
    }
  fidac_dicom_header_from_dataset (path, &ff, pixels_at, h);
}

OFCondition
fidac_dicom_read_until_pixels (const char *path, DcmFileFormat *ff, offile_off_t *pixels_at)
{
  DcmInputFileStream stream (path);
  OFCondition cond = stream.status ();

  if (cond.good ())
    {
      ff->transferInit ();
      cond = ff->readUntilTag (stream, EXS_Unknown, EGL_noChange, FIDAC_DICOM_HEADER_MAX_READ,
                               DCM_PixelData);
      ff->transferEnd ();
    }
  *pixels_at = stream.tell ();
  return cond;
}

void
fidac_dicom_header_from_dataset (const char *path, DcmFileFormat *ff, offile_off_t pixels_at,
                                 FidacFileHeader *h)
{
  FidacFileInfo *f = &h->info;
  DcmDataset *ds = ff->getDataset ();
  DcmMetaInfo *meta = ff->getMetaInfo ();
  double v;

  f->path = g_strdup (path);

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
  /* An absurd count is kept (saturated, as a cast of a larger double is undefined) so that
   * the check against the functional groups below rejects it. */
  f->n_frames = fidac_dicom_get_double (ds, DCM_NumberOfFrames, 0, &v) && v >= 1
                  ? (guint) MIN (v, (double) G_MAXUINT) : 1;
  f->has_tilt = fidac_dicom_get_double (ds, DCM_GantryDetectorTilt, 0, &f->tilt);
  {
    OFString type;
    f->is_localizer = ds->findAndGetOFString (DCM_ImageType, type, 2).good () &&
                      type == "LOCALIZER";
  }

  /* Any other value would be read as unsigned, turning negative values into huge ones. */
  if (fidac_dicom_get_double (ds, DCM_PixelRepresentation, 0, &v) && v != 0 && v != 1)
    {
      h->code = FIDAC_DICOM_ERROR_UNSUPPORTED;
      h->error = g_strdup_printf (_("%s: Pixel Representation %g is neither 0 (unsigned) nor 1 (signed)"),
                                  path, v);
      return;
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

  /* Rows, Columns, Bits Allocated or Number of Frames that disagree with the pixel data
   * would give a sheared or half image without a word, or a huge volume to allocate. A
   * little slack after the pixels is tolerated, a missing row is not. */
  gint64 length = native_pixel_length (path, ds, pixels_at);
  guint64 expected = (guint64) f->rows * f->columns * (f->bits_allocated / 8) * f->n_frames;
  if (length >= 0 && ((guint64) length < expected ||
                      (guint64) length >= expected + (guint64) f->columns * (f->bits_allocated / 8)))
    {
      h->code = FIDAC_DICOM_ERROR_DECODE;
      h->error = g_strdup_printf (_("%s: the Pixel Data holds %lld bytes but Rows, Columns, "
                                    "Bits Allocated and Number of Frames call for %llu"),
                                  path, (long long) length, (unsigned long long) expected);
      return;
    }
  f->native_offset = find_native_pixels (path, ds, f, pixels_at);

  gboolean enhanced = fidac_dicom_sop_class_is_enhanced (f->sop_class_uid) ||
                      ds->tagExists (DCM_PerFrameFunctionalGroupsSequence) ||
                      ds->tagExists (DCM_SharedFunctionalGroupsSequence);

  if (enhanced)
    {
      /* Number of Frames decides how many frames are read: one that disagrees with the
       * per-frame groups would drop frames silently, or (huge) never end. */
      DcmSequenceOfItems *per_frame = NULL;
      gulong n_items = ds->findAndGetSequence (DCM_PerFrameFunctionalGroupsSequence, per_frame).good () &&
                       per_frame != NULL ? per_frame->card () : 0;
      if (n_items != f->n_frames && (n_items > 0 || f->n_frames > 1))
        {
          h->code = FIDAC_DICOM_ERROR_DECODE;
          h->error = g_strdup_printf (_("%s: Number of Frames is %u but the Per-Frame Functional Groups "
                                        "describe %lu frames"),
                                      path, f->n_frames, n_items);
          return;
        }
      for (guint fr = 0; fr < f->n_frames; fr++)
        {
          FidacFrameInfo info = {};
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
      FidacFrameInfo info = {};
      read_frame_geometry (ds, ds, ds, ds, &info);
      h->frames.push_back (info);
    }
}

typedef struct {
  const FidacSeriesInfo *series;
  FidacFileHeader       *headers;
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
      FidacFileHeader *h = &job->headers[i];
      g_autoptr(GError) error = NULL;

      fidac_dicom_guard (&error, [&] () -> gboolean {
        if (!header_cache_get (path, h))
          read_file_header (path, h);
        return TRUE;
      });
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

void
fidac_dicom_run_threads (guint n_items, GThreadFunc func, gpointer data, const char *name)
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
free_headers (FidacFileHeader *headers, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      fidac_dicom_file_header_clear (&headers[i]);
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
  std::unique_ptr<FidacFileHeader[], std::function<void (FidacFileHeader *)>> headers (
    new FidacFileHeader[n_files](), [n_files] (FidacFileHeader *h) { free_headers (h, n_files); });

  HeaderJob hjob = { series, headers.get (), 0, 0, cancellable, progress, user_data, -1 };
  gint64 t_start = g_get_monotonic_time ();
  fidac_dicom_run_threads (n_files, header_worker, &hjob, "fidac-header");
  gint64 t_headers = g_get_monotonic_time ();
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  std::vector<FidacFrameRef> frames;
  guint n_localizers = 0, n_images = 0;

  for (guint i = 0; i < n_files; i++)
    if (headers[i].error == NULL && !headers[i].info.is_localizer)
      n_images++;

  for (guint i = 0; i < n_files; i++)
    {
      FidacFileHeader *h = &headers[i];
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
      for (FidacFrameInfo &fr : h->frames)
        {
          fr.file = i;
          frames.push_back (FidacFrameRef { &fr, h });
        }
    }
  if (n_localizers > 0)
    g_ptr_array_add (warnings,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%u localizer image in the series was left out",
                                                   "%u localizer images in the series were left out",
                                                   n_localizers), n_localizers));

  /* The same instance reached twice (a copy in another folder) is one slice. Two images at
   * different places that share a UID (a careless anonymiser) are two slices: dropping one
   * would lose it. Images without a UID are kept, but annotations cannot refer to them. */
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
    std::vector<FidacFrameRef> unique;
    guint no_uid = 0;
    for (const FidacFrameRef &r : frames)
      {
        const char *uid = r.header->info.sop_uid;
        if (uid == NULL)
          no_uid++;
        else if (r.header->info.n_frames == 1)
          {
            gpointer at;
            if (g_hash_table_lookup_extended (seen, uid, NULL, &at))
              {
                const FidacFrameRef &o = unique[GPOINTER_TO_UINT (at)];
                gboolean same_place = r.frame->has_position == o.frame->has_position;
                for (guint c = 0; same_place && r.frame->has_position && c < 3; c++)
                  same_place = std::fabs (r.frame->position[c] - o.frame->position[c]) < 1e-3;
                if (same_place)
                  {
                    g_ptr_array_add (warnings,
                                     g_strdup_printf (_("%s is a copy of %s (same SOP Instance UID) and was ignored"),
                                                      r.header->info.path, o.header->info.path));
                    continue;
                  }
                g_ptr_array_add (warnings,
                                 g_strdup_printf (_("%s and %s are different images with the same SOP Instance "
                                                    "UID: both are kept, but the UID does not identify a slice"),
                                                  r.header->info.path, o.header->info.path));
              }
            else
              g_hash_table_insert (seen, (gpointer) uid, GUINT_TO_POINTER (unique.size ()));
          }
        unique.push_back (r);
      }
    frames.swap (unique);
    if (no_uid > 0)
      g_ptr_array_add (warnings,
                       g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "%u image has no SOP Instance UID: annotations cannot "
                                                     "refer to it",
                                                     "%u images have no SOP Instance UID: annotations cannot "
                                                     "refer to them", no_uid), no_uid));
  }

  if (!fidac_dicom_check_consistency (frames, error))
    return NULL;

  FidacGrid grid = {};
  if (!fidac_dicom_compute_geometry (frames, &grid, warnings, error))
    return NULL;

  /* Rescale: CT must state it; other modalities often store the values themselves. */
  {
    guint missing = 0;
    for (FidacFrameRef &r : frames)
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
      }
    if (missing > 0 && g_strcmp0 (series->modality, "CT") == 0)
      g_ptr_array_add (warnings,
                       g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "%u CT image has no Rescale Slope/Intercept: its stored "
                                                     "values are taken as Hounsfield units",
                                                     "%u CT images have no Rescale Slope/Intercept: their stored "
                                                     "values are taken as Hounsfield units", missing), missing));
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
  for (const FidacFrameRef &r : frames)
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
  std::vector<FidacFileHeader> work;
  work.reserve (n_files);
  for (const FidacFrameRef &r : frames)
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
  for (FidacFileHeader &w : work)
    std::sort (w.frames.begin (), w.frames.end (),
               [] (const FidacFrameInfo &a, const FidacFrameInfo &b) { return a.frame < b.frame; });

  /* A multi-frame file is shared out in runs of frames, so that one Enhanced CT object is
   * decoded on all cores too. */
  {
    guint n_threads = MAX (1u, (guint) g_get_num_processors ());
    std::vector<FidacFileHeader> split;
    for (FidacFileHeader &w : work)
      {
        gsize run = MAX ((gsize) 8, (w.frames.size () + n_threads - 1) / n_threads);
        if (w.frames.size () <= run)
          {
            split.push_back (std::move (w));
            continue;
          }
        for (gsize start = 0; start < w.frames.size (); start += run)
          {
            FidacFileHeader part;
            part.info = w.info;
            part.frames.assign (w.frames.begin () + start,
                                w.frames.begin () + MIN (start + run, w.frames.size ()));
            split.push_back (std::move (part));
          }
      }
    work.swap (split);
  }

  gint64 clamped = 0;
  guint clamped_images = 0;
#ifdef MADV_HUGEPAGE
  /* Fresh volume memory is touched first by the decoders: huge pages spare them most of
   * the page faults (tens of thousands for one CT). Advice only; failure changes nothing. */
  {
    guintptr begin = ((guintptr) volume->voxels + (2u << 20) - 1) & ~(guintptr) ((2u << 20) - 1);
    guintptr end = ((guintptr) (volume->voxels + fidac_volume_n_voxels (volume))) & ~(guintptr) ((2u << 20) - 1);
    if (end > begin)
      madvise ((void *) begin, end - begin, MADV_HUGEPAGE);
  }
#endif
  gint64 t_prepared = g_get_monotonic_time ();
  if (!fidac_dicom_decode_pixels (volume, work, frames.size (), cancellable, progress, user_data,
                                  &clamped, &clamped_images, error))
    return NULL;
  if (clamped > 0)
    {
      /* Formatted apart: a G_GINT64_FORMAT inside the message would hide it from xgettext. */
      g_autofree gchar *count = g_strdup_printf ("%" G_GINT64_FORMAT, clamped);
      g_ptr_array_add (warnings,
                       g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "%s voxels in %u image fell outside the range of "
                                                     "16-bit Hounsfield units and were clamped",
                                                     "%s voxels in %u images fell outside the range of "
                                                     "16-bit Hounsfield units and were clamped",
                                                     clamped_images),
                                        count, clamped_images));
    }

  g_debug ("load: headers %.1f ms, geometry and allocation %.1f ms, pixels %.1f ms (%u files)",
           (t_headers - t_start) / 1e3, (t_prepared - t_headers) / 1e3,
           (g_get_monotonic_time () - t_prepared) / 1e3, n_files);
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
