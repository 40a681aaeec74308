/* fidac-dicom-j2k.cc: JPEG 2000 frames decoded with OpenJPEG (DCMTK has no free codec).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-dicom"

#include "fidac-dicom-reader.hh"

#include "dcmtk/dcmdata/dcpxitem.h"

#include <cstring>
#include <vector>

#if FIDAC_HAVE_OPENJPEG
#include <openjpeg.h>
#endif

gboolean
fidac_dicom_xfer_is_j2k (const char *uid)
{
  static const char *const j2k[] = {
    "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91",   /* JPEG 2000 */
    "1.2.840.10008.1.2.4.92", "1.2.840.10008.1.2.4.93",   /* Part 2 multi-component */
    "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", /* High-Throughput JPEG 2000 */
    "1.2.840.10008.1.2.4.203",
  };

  if (uid == NULL)
    return FALSE;
  for (const char *u : j2k)
    if (strcmp (uid, u) == 0)
      return TRUE;
  return FALSE;
}

#if FIDAC_HAVE_OPENJPEG

typedef struct {
  const guint8 *data;
  gsize         size;
  gsize         offset;
} MemoryStream;

static OPJ_SIZE_T
stream_read (void *buffer, OPJ_SIZE_T n, void *user)
{
  MemoryStream *m = (MemoryStream *) user;
  if (m->offset >= m->size)
    return (OPJ_SIZE_T) -1;
  OPJ_SIZE_T count = MIN (n, m->size - m->offset);
  memcpy (buffer, m->data + m->offset, count);
  m->offset += count;
  return count;
}

static OPJ_OFF_T
stream_skip (OPJ_OFF_T n, void *user)
{
  MemoryStream *m = (MemoryStream *) user;
  if (n < 0)
    {
      if ((gsize) -n > m->offset)
        return -1;
    }
  else if (m->offset + n > m->size)
    n = m->size - m->offset;
  m->offset += n;
  return n;
}

static OPJ_BOOL
stream_seek (OPJ_OFF_T n, void *user)
{
  MemoryStream *m = (MemoryStream *) user;
  if (n < 0 || (gsize) n > m->size)
    return OPJ_FALSE;
  m->offset = n;
  return OPJ_TRUE;
}

static void
quiet_handler (const char *msg, void *data)
{
}

/* The compressed bytes of one frame: all fragments for a single frame, one fragment per
 * frame when the counts match, else the Basic Offset Table. */
static gboolean
frame_bytes (DcmDataset *dataset, guint frame, guint n_frames, std::vector<guint8> &out,
             GError **error)
{
  DcmElement *element = NULL;
  DcmPixelSequence *sequence = NULL;

  if (dataset->findAndGetElement (DCM_PixelData, element).bad () || element == NULL)
    goto fail;
  {
    DcmPixelData *pixels = OFstatic_cast (DcmPixelData *, element);
    E_TransferSyntax xfer = dataset->getOriginalXfer ();
    if (pixels->getEncapsulatedRepresentation (xfer, NULL, sequence).bad () || sequence == NULL)
      goto fail;
  }
  {
    unsigned long n_items = sequence->card ();
    if (n_items < 2)
      goto fail;

    unsigned long first = 1, last = n_items - 1;
    if (n_frames > 1)
      {
        if (n_items - 1 == n_frames)
          first = last = frame + 1;
        else
          {
            DcmPixelItem *table = NULL;
            Uint32 *offsets = NULL;
            if (sequence->getItem (table, 0).bad () || table->getLength () < 4 * n_frames ||
                table->getUint32Array (offsets).bad ())
              goto fail;
            /* Walk the fragments, summing item sizes (8-byte item headers included). */
            Uint32 position = 0;
            Uint32 begin = offsets[frame];
            Uint32 end = frame + 1 < n_frames ? offsets[frame + 1] : G_MAXUINT32;
            first = 0;
            last = 0;
            for (unsigned long i = 1; i < n_items; i++)
              {
                DcmPixelItem *item = NULL;
                if (sequence->getItem (item, i).bad ())
                  goto fail;
                if (position >= begin && position < end)
                  {
                    if (first == 0)
                      first = i;
                    last = i;
                  }
                position += 8 + item->getLength ();
              }
            if (first == 0)
              goto fail;
          }
      }

    out.clear ();
    for (unsigned long i = first; i <= last; i++)
      {
        DcmPixelItem *item = NULL;
        Uint8 *bytes = NULL;
        if (sequence->getItem (item, i).bad () || item->getUint8Array (bytes).bad ())
          goto fail;
        out.insert (out.end (), bytes, bytes + item->getLength ());
      }
    return TRUE;
  }

fail:
  g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
               _("the JPEG 2000 fragments of frame %u cannot be found"), frame + 1);
  return FALSE;
}

gboolean
fidac_dicom_j2k_decode_frame (DcmDataset *dataset,
                              guint       frame,
                              guint       n_frames,
                              guint       rows,
                              guint       columns,
                              guint16    *out,
                              GError    **error)
{
  std::vector<guint8> bytes;

  if (!frame_bytes (dataset, frame, n_frames, bytes, error))
    return FALSE;

  /* Encapsulated JPEG 2000 is normally a bare codestream; some writers wrap it in JP2. */
  OPJ_CODEC_FORMAT format = OPJ_CODEC_J2K;
  if (bytes.size () >= 12 && memcmp (bytes.data () + 4, "jP  ", 4) == 0)
    format = OPJ_CODEC_JP2;

  MemoryStream memory = { bytes.data (), bytes.size (), 0 };
  opj_stream_t *stream = opj_stream_create (64 * 1024, OPJ_TRUE);
  opj_stream_set_user_data (stream, &memory, NULL);
  opj_stream_set_user_data_length (stream, bytes.size ());
  opj_stream_set_read_function (stream, stream_read);
  opj_stream_set_skip_function (stream, stream_skip);
  opj_stream_set_seek_function (stream, stream_seek);

  opj_codec_t *codec = opj_create_decompress (format);
  opj_set_error_handler (codec, quiet_handler, NULL);
  opj_set_warning_handler (codec, quiet_handler, NULL);
  opj_set_info_handler (codec, quiet_handler, NULL);

  opj_dparameters_t parameters;
  opj_set_default_decoder_parameters (&parameters);
  opj_image_t *image = NULL;
  gboolean ok = opj_setup_decoder (codec, &parameters) &&
                opj_read_header (stream, codec, &image) &&
                opj_decode (codec, stream, image) &&
                opj_end_decompress (codec, stream);

  if (ok && (image->numcomps != 1 || image->comps[0].w != columns || image->comps[0].h != rows ||
             image->comps[0].data == NULL))
    {
      g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                   _("the JPEG 2000 frame %u holds %u component(s) of %u × %u where %u × %u greyscale "
                     "was expected"),
                   frame + 1, image->numcomps, image->comps[0].w, image->comps[0].h, columns, rows);
      ok = FALSE;
    }
  else if (!ok)
    g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_DECODE,
                 _("the JPEG 2000 frame %u cannot be decoded"), frame + 1);
  else
    {
      /* Signed samples come back as signed integers; keep their 16-bit two's complement
       * pattern so the common conversion masks and sign-extends them like any other. */
      const OPJ_INT32 *data = image->comps[0].data;
      gsize n = (gsize) rows * columns;
      for (gsize p = 0; p < n; p++)
        out[p] = (guint16) data[p];
    }

  if (image != NULL)
    opj_image_destroy (image);
  opj_destroy_codec (codec);
  opj_stream_destroy (stream);
  return ok;
}

#else

gboolean
fidac_dicom_j2k_decode_frame (DcmDataset *dataset,
                              guint       frame,
                              guint       n_frames,
                              guint       rows,
                              guint       columns,
                              guint16    *out,
                              GError    **error)
{
  DcmXfer xfer (dataset->getOriginalXfer ());
  g_autofree gchar *name = fidac_dicom_transfer_syntax_name (xfer.getXferID ());

  g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_UNSUPPORTED,
               _("the transfer syntax %s is not supported: this build has no JPEG 2000 decoder "
                 "(OpenJPEG)"), name);
  return FALSE;
}

#endif
