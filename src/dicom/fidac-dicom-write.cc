/* fidac-dicom-write.cc: a volume written as a CT Image Storage series.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Used for the phantom (tests, demo case, `fidac-cli phantom`) and for any volume. The
 * files are meant to pass dciodvfy: every module of the CT Image IOD with its type 1
 * and 2 attributes, geometry straight from the volume's matrix.
 */
#define G_LOG_DOMAIN "fidac-dicom"

#include "fidac-dicom-private.hh"

#include "dcmtk/dcmdata/dcpixseq.h"
#include "dcmtk/dcmdata/dcpxitem.h"
#include "dcmtk/dcmjpeg/djrplol.h"
#include "dcmtk/dcmjpeg/djrploss.h"
#include "dcmtk/dcmjpls/djrparam.h"

#if FIDAC_HAVE_OPENJPEG
#include <openjpeg.h>
#endif

#include <glib/gstdio.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#define DEFAULT_PATIENT_NAME "FIDAC^PHANTOM"
#define DEFAULT_PATIENT_ID   "FIDAC-PHANTOM-0001"

void
fidac_dicom_write_options_init (FidacDicomWriteOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->transfer_syntax = FIDAC_TRANSFER_EXPLICIT_LITTLE;
  options->shuffle_names = FALSE;
  options->unsigned_pixels = FALSE;
  options->seed = 1;
  options->series_number = 1;
  options->patient_name = NULL;
  options->patient_id = NULL;
  options->jpeg_quality = 95;
}

namespace {

struct SyntaxInfo
{
  FidacTransferSyntax syntax;
  E_TransferSyntax    xfer;
  gboolean            lossy;
};

const SyntaxInfo syntaxes[] = {
  { FIDAC_TRANSFER_EXPLICIT_LITTLE, EXS_LittleEndianExplicit, FALSE },
  { FIDAC_TRANSFER_IMPLICIT_LITTLE, EXS_LittleEndianImplicit, FALSE },
  { FIDAC_TRANSFER_DEFLATED, EXS_DeflatedLittleEndianExplicit, FALSE },
  { FIDAC_TRANSFER_JPEG_LOSSLESS_SV1, EXS_JPEGProcess14SV1, FALSE },
  { FIDAC_TRANSFER_JPEG_LOSSLESS, EXS_JPEGProcess14, FALSE },
  { FIDAC_TRANSFER_JPEG_EXTENDED, EXS_JPEGProcess2_4, TRUE },
  { FIDAC_TRANSFER_JPEG_LS_LOSSLESS, EXS_JPEGLSLossless, FALSE },
  { FIDAC_TRANSFER_RLE, EXS_RLELossless, FALSE },
  { FIDAC_TRANSFER_JPEG2000_LOSSLESS, EXS_JPEG2000LosslessOnly, FALSE },
};

const SyntaxInfo *
find_syntax (int syntax)
{
  for (const SyntaxInfo &info : syntaxes)
    if ((int) info.syntax == syntax)
      return &info;
  return NULL;
}

/* A DS value: at most 16 characters (PS3.5 6.2), as precise as fits. */
std::string
format_ds (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (std::fabs (value) < 1e-10)
    value = 0;
  for (int digits = 12; digits > 1; digits--)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (strlen (buf) <= 16)
        return buf;
    }
  g_ascii_formatd (buf, sizeof buf, "%.1e", value);
  return buf;
}

std::string
format_ds_list (const double *values, guint n)
{
  std::string out;

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        out += '\\';
      out += format_ds (values[i]);
    }
  return out;
}

gboolean
is_valid_uid (const char *uid)
{
  gsize len = strlen (uid);

  if (len == 0 || len > 64 || uid[0] == '.' || uid[len - 1] == '.')
    return FALSE;
  for (const char *c = uid; *c; c++)
    {
      if (*c == '.')
        {
          if (c[1] == '.' || (c[1] == '0' && c[2] != '.' && c[2] != '\0'))
            return FALSE;
        }
      else if (!g_ascii_isdigit (*c))
        return FALSE;
    }
  return !(uid[0] == '0' && uid[1] != '.' && uid[1] != '\0');
}

std::string
uid_or_new (const char *uid, const char *root)
{
  char buf[100];

  if (uid != NULL)
    return uid;
  return dcmGenerateUniqueIdentifier (buf, root);
}

/* Acquisition order: a head-first scan runs from the head down, a feet-first one from
 * the feet up; 1 is the first slice acquired. */
std::vector<int>
instance_numbers (const FidacVolume *volume)
{
  int n = volume->dims[2];
  std::vector<int> numbers (n);
  double dz = volume->axis[2][2] * volume->spacing[2];
  gboolean feet_first = volume->patient_position != NULL &&
                        g_str_has_prefix (volume->patient_position, "FF");
  /* When slices do not move along z (coronal, sagittal), keep the slice order. */
  gboolean reverse = std::fabs (dz) > 1e-6 && ((dz > 0) != (feet_first != FALSE));

  for (int k = 0; k < n; k++)
    numbers[k] = reverse ? n - k : k + 1;
  return numbers;
}

std::vector<std::string>
file_names (const FidacVolume *volume, const FidacDicomWriteOptions *options)
{
  int n = volume->dims[2];
  std::vector<std::string> names (n);

  if (!options->shuffle_names)
    {
      for (int k = 0; k < n; k++)
        {
          g_autofree gchar *name = g_strdup_printf ("IMG%05d.dcm", k + 1);
          names[k] = name;
        }
      return names;
    }

  /* Random and extension-less, as archives often deliver them: neither the name nor
   * its order says anything about the slice. */
  g_autoptr(GRand) rand = g_rand_new_with_seed (options->seed);
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (int k = 0; k < n; k++)
    {
      gchar *name;

      do
        name = g_strdup_printf ("%08X", g_rand_int (rand));
      while (!g_hash_table_add (used, name));
      names[k] = name;
    }
  return names;
}

#if FIDAC_HAVE_OPENJPEG

struct MemoryStream
{
  std::vector<Uint8> data;
  size_t             pos = 0;
};

OPJ_SIZE_T
stream_write (void *buffer, OPJ_SIZE_T n, void *user_data)
{
  MemoryStream *s = static_cast<MemoryStream *> (user_data);

  if (s->pos + n > s->data.size ())
    s->data.resize (s->pos + n);
  memcpy (s->data.data () + s->pos, buffer, n);
  s->pos += n;
  return n;
}

OPJ_OFF_T
stream_skip (OPJ_OFF_T n, void *user_data)
{
  MemoryStream *s = static_cast<MemoryStream *> (user_data);

  if (n < 0 && (size_t) -n > s->pos)
    return -1;
  s->pos += n;
  if (s->pos > s->data.size ())
    s->data.resize (s->pos);
  return n;
}

OPJ_BOOL
stream_seek (OPJ_OFF_T n, void *user_data)
{
  MemoryStream *s = static_cast<MemoryStream *> (user_data);

  if (n < 0)
    return OPJ_FALSE;
  s->pos = n;
  if (s->pos > s->data.size ())
    s->data.resize (s->pos);
  return OPJ_TRUE;
}

void
opj_message_cb (const char *msg, void *user_data)
{
  std::string *last = static_cast<std::string *> (user_data);

  *last = msg;
  while (!last->empty () && (last->back () == '\n' || last->back () == ' '))
    last->pop_back ();
}

/* One frame as a lossless (reversible 5/3 wavelet) J2K codestream. */
gboolean
encode_j2k (const Uint16 *pixels, int columns, int rows, int bits, gboolean is_signed,
            std::vector<Uint8> &out, std::string &message)
{
  opj_cparameters_t params;
  opj_image_cmptparm_t component;
  MemoryStream memory;
  gboolean ok;

  opj_set_default_encoder_parameters (&params);
  params.tcp_numlayers = 1;
  params.tcp_rates[0] = 0;
  params.cp_disto_alloc = 1;
  params.irreversible = 0;
  /* Each resolution level halves the image; small frames allow fewer. */
  params.numresolution = 1;
  while (params.numresolution < 6 && (MIN (columns, rows) >> params.numresolution) >= 1)
    params.numresolution++;

  memset (&component, 0, sizeof component);
  component.dx = component.dy = 1;
  component.w = columns;
  component.h = rows;
  component.prec = bits;
  component.sgnd = is_signed ? 1 : 0;

  std::unique_ptr<opj_image_t, void (*) (opj_image_t *)>
    image (opj_image_create (1, &component, OPJ_CLRSPC_GRAY), opj_image_destroy);
  if (!image)
    {
      message = "opj_image_create";
      return FALSE;
    }
  image->x0 = image->y0 = 0;
  image->x1 = columns;
  image->y1 = rows;
  for (size_t v = 0; v < (size_t) columns * rows; v++)
    image->comps[0].data[v] = is_signed ? (OPJ_INT32) (Sint16) pixels[v] : (OPJ_INT32) pixels[v];

  std::unique_ptr<opj_codec_t, void (*) (opj_codec_t *)>
    codec (opj_create_compress (OPJ_CODEC_J2K), opj_destroy_codec);
  opj_set_error_handler (codec.get (), opj_message_cb, &message);
  if (!opj_setup_encoder (codec.get (), &params, image.get ()))
    return FALSE;

  std::unique_ptr<opj_stream_t, void (*) (opj_stream_t *)>
    stream (opj_stream_create (OPJ_J2K_STREAM_CHUNK_SIZE, OPJ_FALSE), opj_stream_destroy);
  opj_stream_set_write_function (stream.get (), stream_write);
  opj_stream_set_skip_function (stream.get (), stream_skip);
  opj_stream_set_seek_function (stream.get (), stream_seek);
  opj_stream_set_user_data (stream.get (), &memory, NULL);

  ok = opj_start_compress (codec.get (), image.get (), stream.get ()) &&
       opj_encode (codec.get (), stream.get ()) &&
       opj_end_compress (codec.get (), stream.get ());
  if (!ok)
    return FALSE;
  out = std::move (memory.data);
  return TRUE;
}

#endif /* FIDAC_HAVE_OPENJPEG */

struct SeriesWriter
{
  const FidacVolume            *volume;
  const FidacDicomWriteOptions *options;
  const SyntaxInfo             *syntax;
  std::string                   study_uid, series_uid, frame_uid;
  std::string                   orientation, pixel_spacing, slice_thickness;
  std::string                   window_centers, window_widths, window_explanations;
  std::string                   reconstruction_diameter, tilt;
  std::vector<int>              numbers;
  gboolean                      is_unsigned;
  int                           bits_stored;
  double                        normal[3];
};

#define PUT(call) \
  G_STMT_START { \
    OFCondition put_cond = (call); \
    if (put_cond.bad ()) \
      { \
        g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_WRITE, \
                     _("Could not write %s: %s"), path, put_cond.text ()); \
        return FALSE; \
      } \
  } G_STMT_END

gboolean
fill_dataset (const SeriesWriter &w, int k, const std::string &sop_uid, DcmDataset *ds,
              const char *path, GError **error)
{
  const FidacVolume *volume = w.volume;
  const FidacDicomWriteOptions *options = w.options;
  const char *date = volume->study_date != NULL ? volume->study_date : "";
  const char *time = volume->study_date != NULL ? "093000" : "";
  const double voxel[3] = { 0, 0, (double) k };
  double position[3];
  char number[32];

  /* SOP Common. Text is UTF-8 throughout. */
  PUT (ds->putAndInsertString (DCM_SpecificCharacterSet, "ISO_IR 192"));
  PUT (ds->putAndInsertString (DCM_SOPClassUID, UID_CTImageStorage));
  PUT (ds->putAndInsertString (DCM_SOPInstanceUID, sop_uid.c_str ()));

  /* Patient: anonymous by construction. */
  PUT (ds->putAndInsertString (DCM_PatientName, options->patient_name != NULL
                                                ? options->patient_name : DEFAULT_PATIENT_NAME));
  PUT (ds->putAndInsertString (DCM_PatientID, options->patient_id != NULL
                                              ? options->patient_id : DEFAULT_PATIENT_ID));
  PUT (ds->putAndInsertString (DCM_PatientBirthDate, ""));
  PUT (ds->putAndInsertString (DCM_PatientSex, "O"));
  PUT (ds->putAndInsertString (DCM_PatientIdentityRemoved, "YES"));
  PUT (ds->putAndInsertString (DCM_DeidentificationMethod, "FIDAC synthetic data, no patient"));

  /* General Study, Patient Study. */
  PUT (ds->putAndInsertString (DCM_StudyInstanceUID, w.study_uid.c_str ()));
  PUT (ds->putAndInsertString (DCM_StudyDate, date));
  PUT (ds->putAndInsertString (DCM_StudyTime, time));
  PUT (ds->putAndInsertString (DCM_ReferringPhysicianName, ""));
  PUT (ds->putAndInsertString (DCM_StudyID, "1"));
  PUT (ds->putAndInsertString (DCM_AccessionNumber, ""));
  PUT (ds->putAndInsertString (DCM_StudyDescription, "CT THORAX"));
  PUT (ds->putAndInsertString (DCM_PatientAge, "050Y"));

  /* General Series. */
  PUT (ds->putAndInsertString (DCM_Modality, "CT"));
  PUT (ds->putAndInsertString (DCM_SeriesInstanceUID, w.series_uid.c_str ()));
  g_snprintf (number, sizeof number, "%d", options->series_number);
  PUT (ds->putAndInsertString (DCM_SeriesNumber, number));
  PUT (ds->putAndInsertString (DCM_SeriesDate, date));
  PUT (ds->putAndInsertString (DCM_SeriesTime, time));
  if (volume->series_description != NULL)
    {
      /* LO holds at most 64 characters. */
      g_autofree gchar *description = g_utf8_substring (volume->series_description, 0,
                                                        MIN (64, g_utf8_strlen (volume->series_description, -1)));
      PUT (ds->putAndInsertString (DCM_SeriesDescription, description));
    }
  PUT (ds->putAndInsertString (DCM_BodyPartExamined, "CHEST"));
  /* Type 2C: left empty rather than guessed when the volume does not know it. */
  PUT (ds->putAndInsertString (DCM_PatientPosition, volume->patient_position != NULL
                                                    ? volume->patient_position : ""));

  /* Frame of Reference. */
  PUT (ds->putAndInsertString (DCM_FrameOfReferenceUID, w.frame_uid.c_str ()));
  PUT (ds->putAndInsertString (DCM_PositionReferenceIndicator, ""));

  /* General Equipment. */
  PUT (ds->putAndInsertString (DCM_Manufacturer, "FIDAC"));
  PUT (ds->putAndInsertString (DCM_ManufacturerModelName, "FIDAC Workstation"));
  PUT (ds->putAndInsertString (DCM_SoftwareVersions, "FIDAC"));

  /* General Acquisition, General Image. */
  PUT (ds->putAndInsertString (DCM_AcquisitionNumber, "1"));
  PUT (ds->putAndInsertString (DCM_AcquisitionDate, date));
  PUT (ds->putAndInsertString (DCM_AcquisitionTime, time));
  g_snprintf (number, sizeof number, "%d", w.numbers[k]);
  PUT (ds->putAndInsertString (DCM_InstanceNumber, number));
  PUT (ds->putAndInsertString (DCM_ContentDate, date));
  PUT (ds->putAndInsertString (DCM_ContentTime, time));
  PUT (ds->putAndInsertString (DCM_BurnedInAnnotation, "NO"));
  if (!w.syntax->lossy)
    PUT (ds->putAndInsertString (DCM_LossyImageCompression, "00"));

  /* Image Plane: the position from the volume's matrix, nothing re-derived. */
  fidac_volume_voxel_to_patient (volume, voxel, position);
  PUT (ds->putAndInsertString (DCM_ImagePositionPatient, format_ds_list (position, 3).c_str ()));
  PUT (ds->putAndInsertString (DCM_ImageOrientationPatient, w.orientation.c_str ()));
  PUT (ds->putAndInsertString (DCM_PixelSpacing, w.pixel_spacing.c_str ()));
  PUT (ds->putAndInsertString (DCM_SliceThickness, w.slice_thickness.c_str ()));
  PUT (ds->putAndInsertString (DCM_SliceLocation,
                               format_ds (fidac_vec3_dot (position, w.normal)).c_str ()));

  /* Image Pixel and CT Image. */
  PUT (ds->putAndInsertString (DCM_ImageType, "ORIGINAL\\PRIMARY\\AXIAL"));
  PUT (ds->putAndInsertUint16 (DCM_SamplesPerPixel, 1));
  PUT (ds->putAndInsertString (DCM_PhotometricInterpretation, "MONOCHROME2"));
  PUT (ds->putAndInsertUint16 (DCM_Rows, (Uint16) volume->dims[1]));
  PUT (ds->putAndInsertUint16 (DCM_Columns, (Uint16) volume->dims[0]));
  PUT (ds->putAndInsertUint16 (DCM_BitsAllocated, 16));
  PUT (ds->putAndInsertUint16 (DCM_BitsStored, (Uint16) w.bits_stored));
  PUT (ds->putAndInsertUint16 (DCM_HighBit, (Uint16) (w.bits_stored - 1)));
  PUT (ds->putAndInsertUint16 (DCM_PixelRepresentation, w.is_unsigned ? 0 : 1));
  PUT (ds->putAndInsertString (DCM_RescaleIntercept, w.is_unsigned ? "-1024" : "0"));
  PUT (ds->putAndInsertString (DCM_RescaleSlope, "1"));
  PUT (ds->putAndInsertString (DCM_RescaleType, "HU"));
  PUT (ds->putAndInsertString (DCM_KVP, "120"));
  PUT (ds->putAndInsertString (DCM_XRayTubeCurrent, "200"));
  PUT (ds->putAndInsertString (DCM_ConvolutionKernel, "STANDARD"));
  PUT (ds->putAndInsertString (DCM_ReconstructionDiameter, w.reconstruction_diameter.c_str ()));
  PUT (ds->putAndInsertString (DCM_GantryDetectorTilt, w.tilt.c_str ()));

  /* VOI LUT. */
  if (!w.window_centers.empty ())
    {
      PUT (ds->putAndInsertString (DCM_WindowCenter, w.window_centers.c_str ()));
      PUT (ds->putAndInsertString (DCM_WindowWidth, w.window_widths.c_str ()));
      PUT (ds->putAndInsertString (DCM_WindowCenterWidthExplanation,
                                   w.window_explanations.c_str ()));
    }
  return TRUE;
}

gboolean
put_pixels (const SeriesWriter &w, int k, DcmDataset *ds, const char *path, GError **error)
{
  const FidacVolume *volume = w.volume;
  const gint16 *hu = fidac_volume_slice (volume, k);
  size_t n = fidac_volume_slice_voxels (volume);
  std::vector<Uint16> pixels (n);

  for (size_t v = 0; v < n; v++)
    pixels[v] = w.is_unsigned ? (Uint16) (hu[v] + 1024) : (Uint16) hu[v];

  if (w.syntax->syntax != FIDAC_TRANSFER_JPEG2000_LOSSLESS)
    {
      PUT (ds->putAndInsertUint16Array (DCM_PixelData, pixels.data (), (unsigned long) n));
      return TRUE;
    }

#if FIDAC_HAVE_OPENJPEG
  std::vector<Uint8> codestream;
  std::string message;

  if (!encode_j2k (pixels.data (), volume->dims[0], volume->dims[1], w.bits_stored,
                   !w.is_unsigned, codestream, message))
    {
      g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_WRITE,
                   _("Could not write %s: JPEG 2000 encoding failed (%s)"), path,
                   message.empty () ? "OpenJPEG" : message.c_str ());
      return FALSE;
    }
  if (codestream.size () % 2 != 0)
    codestream.push_back (0);

  /* Encapsulated: an empty basic offset table, then the frame as one fragment. */
  DcmPixelSequence *sequence = new DcmPixelSequence (DCM_PixelSequenceTag);
  DcmPixelItem *offsets = new DcmPixelItem (DCM_PixelItemTag);
  DcmPixelItem *fragment = new DcmPixelItem (DCM_PixelItemTag);
  sequence->insert (offsets);
  OFCondition cond = fragment->putUint8Array (codestream.data (), (Uint32) codestream.size ());
  sequence->insert (fragment);
  if (cond.bad ())
    {
      delete sequence;
      PUT (cond);
    }
  DcmPixelData *pixel_data = new DcmPixelData (DCM_PixelData);
  pixel_data->putOriginalRepresentation (EXS_JPEG2000LosslessOnly, NULL, sequence);
  PUT (ds->insert (pixel_data, OFTrue));
  return TRUE;
#else
  g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_UNSUPPORTED,
               _("JPEG 2000 cannot be written: this build has no OpenJPEG"));
  return FALSE;
#endif
}

gboolean
write_slice (const SeriesWriter &w, int k, const std::string &sop_uid, const char *path,
             const char *tmp_path, GError **error)
{
  DcmFileFormat file;
  DcmDataset *ds = file.getDataset ();
  E_TransferSyntax xfer = w.syntax->xfer;

  if (!fill_dataset (w, k, sop_uid, ds, path, error) || !put_pixels (w, k, ds, path, error))
    return FALSE;

  switch (w.syntax->syntax)
    {
    case FIDAC_TRANSFER_JPEG_LOSSLESS_SV1:
      {
        DJ_RPLossless params (1, 0);
        PUT (ds->chooseRepresentation (xfer, &params));
      }
      break;
    case FIDAC_TRANSFER_JPEG_LOSSLESS:
      {
        /* Another predictor than SV1's, so that readers meet both. */
        DJ_RPLossless params (6, 0);
        PUT (ds->chooseRepresentation (xfer, &params));
      }
      break;
    case FIDAC_TRANSFER_JPEG_EXTENDED:
      {
        DJ_RPLossy params (w.options->jpeg_quality);
        PUT (ds->chooseRepresentation (xfer, &params));
      }
      break;
    case FIDAC_TRANSFER_JPEG_LS_LOSSLESS:
      {
        DJLSRepresentationParameter params (0, OFTrue);
        PUT (ds->chooseRepresentation (xfer, &params));
      }
      break;
    case FIDAC_TRANSFER_RLE:
      PUT (ds->chooseRepresentation (xfer, NULL));
      break;
    case FIDAC_TRANSFER_EXPLICIT_LITTLE:
    case FIDAC_TRANSFER_IMPLICIT_LITTLE:
    case FIDAC_TRANSFER_DEFLATED:
    case FIDAC_TRANSFER_JPEG2000_LOSSLESS:
    default:
      break;
    }
  if (!ds->canWriteXfer (xfer))
    {
      g_autofree gchar *name = fidac_dicom_transfer_syntax_name (DcmXfer (xfer).getXferID ());

      g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_WRITE,
                   _("Could not write %s: no encoder for %s"), path, name);
      return FALSE;
    }

  /* Written under a temporary name, so that a failure never leaves half a file that
   * looks like a slice. */
  PUT (file.saveFile (tmp_path, xfer, EET_ExplicitLength, EGL_recalcGL, EPD_noChange, 0, 0,
                      EWM_createNewMeta));
  if (g_rename (tmp_path, path) != 0)
    {
      int saved = errno;

      g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_WRITE,
                   _("Could not write %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
prepare (SeriesWriter &w, const char *folder, GError **error)
{
  const FidacVolume *volume = w.volume;
  const FidacDicomWriteOptions *options = w.options;
  gint16 lo, hi;

  /* Read as an int: a C caller may pass any value, and loading an out-of-range enum is
   * undefined in C++. */
  int requested;
  static_assert (sizeof requested == sizeof options->transfer_syntax, "enum is not an int");
  memcpy (&requested, &options->transfer_syntax, sizeof requested);
  w.syntax = find_syntax (requested);
  if (w.syntax == NULL)
    {
      g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_UNSUPPORTED,
                   _("Unknown transfer syntax %d requested"), requested);
      return FALSE;
    }
#if !FIDAC_HAVE_OPENJPEG
  if (w.syntax->syntax == FIDAC_TRANSFER_JPEG2000_LOSSLESS)
    {
      g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_UNSUPPORTED,
                   _("JPEG 2000 cannot be written: this build has no OpenJPEG"));
      return FALSE;
    }
#endif
  if (volume->dims[0] > 65535 || volume->dims[1] > 65535)
    {
      g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_WRITE,
                   _("Cannot write %s: slices of %d × %d pixels exceed DICOM's limit"),
                   folder, volume->dims[0], volume->dims[1]);
      return FALSE;
    }
  if (options->jpeg_quality < 1 || options->jpeg_quality > 100)
    {
      g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_WRITE,
                   _("Cannot write %s: JPEG quality %d is not between 1 and 100"),
                   folder, options->jpeg_quality);
      return FALSE;
    }

  /* Pixels: signed 16 bits by default; unsigned as HU + 1024, in 12 bits when the range
   * fits. 12-bit JPEG can only hold unsigned 12-bit samples, so it always stores them
   * that way, the way scanners do. */
  fidac_volume_get_range (volume, &lo, &hi);
  w.is_unsigned = options->unsigned_pixels || w.syntax->syntax == FIDAC_TRANSFER_JPEG_EXTENDED;
  w.bits_stored = 16;
  if (w.is_unsigned)
    {
      if (lo < -1024)
        {
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_WRITE,
                       _("Cannot write %s as unsigned pixels: the volume holds %d HU, "
                         "below -1024"), folder, lo);
          return FALSE;
        }
      if (hi + 1024 <= 4095)
        w.bits_stored = 12;
      else if (w.syntax->syntax == FIDAC_TRANSFER_JPEG_EXTENDED)
        {
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_WRITE,
                       _("Cannot write %s as 12-bit JPEG: the volume holds %d HU, above 3071"),
                       folder, hi);
          return FALSE;
        }
    }

  /* UIDs: those the volume has are kept; the missing ones are made here. */
  const char *given[] = { volume->study_uid, volume->series_uid, volume->frame_of_reference_uid };
  for (const char *uid : given)
    if (uid != NULL && !is_valid_uid (uid))
      {
        g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_WRITE,
                     _("Cannot write %s: “%s” is not a valid DICOM UID"), folder, uid);
        return FALSE;
      }
  for (int k = 0; k < volume->dims[2]; k++)
    if (volume->slice_uids[k] != NULL && !is_valid_uid (volume->slice_uids[k]))
      {
        g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_WRITE,
                     _("Cannot write %s: “%s” is not a valid DICOM UID"), folder,
                     volume->slice_uids[k]);
        return FALSE;
      }
  w.study_uid = uid_or_new (volume->study_uid, SITE_STUDY_UID_ROOT);
  w.series_uid = uid_or_new (volume->series_uid, SITE_SERIES_UID_ROOT);
  w.frame_uid = uid_or_new (volume->frame_of_reference_uid, SITE_INSTANCE_UID_ROOT);

  {
    const double iop[6] = { volume->axis[0][0], volume->axis[0][1], volume->axis[0][2],
                            volume->axis[1][0], volume->axis[1][1], volume->axis[1][2] };
    const double spacing[2] = { volume->spacing[1], volume->spacing[0] };

    w.orientation = format_ds_list (iop, 6);
    w.pixel_spacing = format_ds_list (spacing, 2);
  }
  fidac_vec3_cross (volume->axis[0], volume->axis[1], w.normal);
  /* The distance between slice planes, along the normal: less than the table step when
   * the gantry is tilted. */
  w.slice_thickness = format_ds (volume->spacing[2] * fidac_vec3_dot (volume->axis[2], w.normal));
  w.reconstruction_diameter = format_ds (MAX (volume->dims[0] * volume->spacing[0],
                                              volume->dims[1] * volume->spacing[1]));
  w.tilt = format_ds (fidac_volume_tilt_degrees (volume));
  w.numbers = instance_numbers (volume);

  for (guint i = 0; i < volume->windows->len; i++)
    {
      const FidacWindowPreset *preset = &g_array_index (volume->windows, FidacWindowPreset, i);

      if (!(preset->width >= 1))
        continue;
      if (!w.window_centers.empty ())
        {
          w.window_centers += '\\';
          w.window_widths += '\\';
          w.window_explanations += '\\';
        }
      w.window_centers += format_ds (preset->center);
      w.window_widths += format_ds (preset->width);
      if (preset->explanation != NULL)
        {
          /* A backslash would split the value. */
          g_autofree gchar *text = g_strdelimit (g_strdup (preset->explanation), "\\", '/');
          w.window_explanations += std::string (text).substr (0, 64);
        }
    }
  return TRUE;
}

void
remove_files (const std::vector<std::string> &paths)
{
  for (const std::string &path : paths)
    g_remove (path.c_str ());
}

} /* namespace */

gboolean
fidac_dicom_write_series (const FidacVolume            *volume,
                          const FidacDicomWriteOptions *options,
                          const gchar                  *folder,
                          GCancellable                 *cancellable,
                          GError                      **error)
{
  g_return_val_if_fail (volume != NULL, FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return fidac_dicom_guard (error, [&] () -> gboolean {
    FidacDicomWriteOptions defaults;
    SeriesWriter w;
    std::vector<std::string> written;

    if (!fidac_dicom_init (error))
      return FALSE;
    if (options == NULL)
      {
        fidac_dicom_write_options_init (&defaults);
        options = &defaults;
      }
    w.volume = volume;
    w.options = options;
    if (!prepare (w, folder, error))
      return FALSE;

    if (g_mkdir_with_parents (folder, 0755) != 0)
      {
        int saved = errno;

        g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_WRITE,
                     _("Could not create the folder %s: %s"), folder, g_strerror (saved));
        return FALSE;
      }

    std::vector<std::string> names = file_names (volume, options);
    for (int k = 0; k < volume->dims[2]; k++)
      {
        g_autofree gchar *path = g_build_filename (folder, names[k].c_str (), NULL);
        g_autofree gchar *tmp_path = g_strconcat (path, ".part", NULL);
        std::string sop_uid = uid_or_new (volume->slice_uids[k], SITE_INSTANCE_UID_ROOT);

        /* A cancelled or failed write takes its files with it: half a series on disk
         * would later load as a series with missing slices. */
        if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
            !write_slice (w, k, sop_uid, path, tmp_path, error))
          {
            g_remove (tmp_path);
            remove_files (written);
            return FALSE;
          }
        written.push_back (path);
      }
    return TRUE;
  });
}
