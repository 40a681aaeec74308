/* fidac-dicom-common.cc: initialisation, errors and small helpers of the DICOM layer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-dicom"

#include "fidac-dicom-private.hh"

#include "dcmtk/dcmdata/dcrledrg.h"
#include "dcmtk/dcmdata/dcrleerg.h"
#include "dcmtk/dcmjpeg/djdecode.h"
#include "dcmtk/dcmjpeg/djencode.h"
#include "dcmtk/dcmjpls/djdecode.h"
#include "dcmtk/dcmjpls/djencode.h"
#include "dcmtk/oflog/oflog.h"

#include <cmath>
#include <cstdlib>

G_DEFINE_QUARK (fidac-dicom-error-quark, fidac_dicom_error)

gboolean
fidac_dicom_init (GError **error)
{
  static gsize once = 0;
  static gboolean dictionary_ok = FALSE;

  if (g_once_init_enter (&once))
    {
      /* DCMTK logs errors about every odd file to stderr; we report problems ourselves, as
       * warnings naming the file. */
      OFLog::configure (OFLogger::FATAL_LOG_LEVEL);
      DJDecoderRegistration::registerCodecs ();
      DJEncoderRegistration::registerCodecs ();
      DJLSDecoderRegistration::registerCodecs ();
      DJLSEncoderRegistration::registerCodecs ();
      DcmRLEDecoderRegistration::registerCodecs ();
      DcmRLEEncoderRegistration::registerCodecs ();
      dictionary_ok = dcmDataDict.isDictionaryLoaded ();
      g_once_init_leave (&once, 1);
    }

  if (!dictionary_ok)
    {
      const char *env = g_getenv ("DCMDICTPATH");

      g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_UNSUPPORTED,
                   _("The DICOM data dictionary could not be loaded (DCMDICTPATH=%s); "
                     "the installation is incomplete"),
                   env != NULL ? env : DCM_DICT_DEFAULT_PATH);
      return FALSE;
    }
  return TRUE;
}

gchar *
fidac_dicom_get_string (DcmItem *item, const DcmTagKey &tag)
{
  OFString value;

  if (item->findAndGetOFStringArray (tag, value).bad ())
    return NULL;
  g_autofree gchar *copy = g_strstrip (g_strdup (value.c_str ()));
  if (copy[0] == '\0')
    return NULL;
  return g_steal_pointer (&copy);
}

gboolean
fidac_dicom_get_double (DcmItem *item, const DcmTagKey &tag, unsigned long index,
                        double *value)
{
  DcmElement *element = NULL;

  if (item->findAndGetElement (tag, element).bad () || element == NULL)
    return FALSE;

  switch (element->ident ())
    {
    case EVR_DS:
    case EVR_IS:
      {
        OFString text;
        char *end = NULL;

        if (element->getOFString (text, index).bad ())
          return FALSE;
        g_autofree gchar *copy = g_strstrip (g_strdup (text.c_str ()));
        double v = g_ascii_strtod (copy, &end);
        if (copy[0] == '\0' || end == NULL || *end != '\0' || !std::isfinite (v))
          return FALSE;
        *value = v;
        return TRUE;
      }
    case EVR_US:
      {
        Uint16 v;
        if (element->getUint16 (v, index).bad ())
          return FALSE;
        *value = v;
        return TRUE;
      }
    case EVR_SS:
      {
        Sint16 v;
        if (element->getSint16 (v, index).bad ())
          return FALSE;
        *value = v;
        return TRUE;
      }
    case EVR_UL:
      {
        Uint32 v;
        if (element->getUint32 (v, index).bad ())
          return FALSE;
        *value = v;
        return TRUE;
      }
    case EVR_SL:
      {
        Sint32 v;
        if (element->getSint32 (v, index).bad ())
          return FALSE;
        *value = v;
        return TRUE;
      }
    case EVR_FD:
      {
        Float64 v;
        if (element->getFloat64 (v, index).bad ())
          return FALSE;
        *value = v;
        return TRUE;
      }
    case EVR_FL:
      {
        Float32 v;
        if (element->getFloat32 (v, index).bad ())
          return FALSE;
        *value = v;
        return TRUE;
      }
    default:
      return FALSE;
    }
}

gchar *
fidac_dicom_transfer_syntax_name (const char *uid)
{
  if (uid == NULL || uid[0] == '\0')
    return g_strdup (_("unknown transfer syntax"));

  DcmXfer xfer (uid);
  if (xfer.getXfer () == EXS_Unknown)
    return g_strdup_printf (_("unknown transfer syntax (%s)"), uid);
  return g_strdup_printf ("%s (%s)", xfer.getXferName (), uid);
}

void
fidac_series_info_free (FidacSeriesInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->series_uid);
  g_free (info->study_uid);
  g_free (info->modality);
  g_free (info->series_description);
  g_free (info->study_date);
  g_free (info->study_description);
  g_free (info->sop_class_uid);
  g_free (info->transfer_syntax_uid);
  g_clear_pointer (&info->files, g_ptr_array_unref);
  g_free (info);
}

void
fidac_scan_free (FidacScan *scan)
{
  if (scan == NULL)
    return;
  g_clear_pointer (&scan->series, g_ptr_array_unref);
  g_clear_pointer (&scan->warnings, g_ptr_array_unref);
  g_free (scan);
}

const FidacSeriesInfo *
fidac_scan_pick (const FidacScan *scan,
                 const gchar     *series_uid,
                 GError         **error)
{
  if (series_uid != NULL)
    {
      for (guint s = 0; s < scan->series->len; s++)
        {
          const FidacSeriesInfo *info = (const FidacSeriesInfo *) g_ptr_array_index (scan->series, s);

          if (g_strcmp0 (info->series_uid, series_uid) == 0)
            return info;
        }
      g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_UNKNOWN_SERIES,
                   _("No series with UID %s was found"), series_uid);
      return NULL;
    }

  if (scan->series->len == 0)
    {
      g_set_error_literal (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_NO_SERIES,
                           _("No DICOM series was found"));
      return NULL;
    }
  if (scan->series->len == 1)
    return (const FidacSeriesInfo *) g_ptr_array_index (scan->series, 0);

  g_autoptr(GString) list = g_string_new (NULL);
  for (guint s = 0; s < scan->series->len; s++)
    {
      const FidacSeriesInfo *info = (const FidacSeriesInfo *) g_ptr_array_index (scan->series, s);

      g_string_append_printf (list, "\n  %s  %s  %s  (%u)", info->series_uid,
                              info->modality ? info->modality : "?",
                              info->series_description ? info->series_description : "",
                              info->n_frames);
    }
  g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_SEVERAL_SERIES,
               _("%u series were found; choose one:%s"), scan->series->len, list->str);
  return NULL;
}
