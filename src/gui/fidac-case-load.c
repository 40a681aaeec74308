/* fidac-case-load.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "fidac-case-load.h"
#include "fidac-fs.h"
#include "fidac-phantom.h"

FidacCaseLoad *
fidac_case_load_new (void)
{
  FidacCaseLoad *load = g_atomic_rc_box_new0 (FidacCaseLoad);

  load->paths = g_ptr_array_new_with_free_func (g_free);
  load->scan_warnings = g_ptr_array_new_with_free_func (g_free);
  return load;
}

FidacCaseLoad *
fidac_case_load_ref (FidacCaseLoad *load)
{
  return g_atomic_rc_box_acquire (load);
}

static void
case_load_clear (gpointer data)
{
  FidacCaseLoad *load = data;

  g_clear_pointer (&load->paths, g_ptr_array_unref);
  g_clear_pointer (&load->demo_cache_dir, g_free);
  g_clear_pointer (&load->series, fidac_series_info_free);
  g_clear_pointer (&load->scan_warnings, g_ptr_array_unref);
  g_clear_pointer (&load->scan, fidac_scan_free);
  g_clear_pointer (&load->volume, fidac_volume_free);
}

void
fidac_case_load_unref (FidacCaseLoad *load)
{
  g_atomic_rc_box_release_full (load, case_load_clear);
}

FidacCaseLoadPhase
fidac_case_load_get_phase (FidacCaseLoad *load)
{
  return g_atomic_int_get (&load->phase);
}

gdouble
fidac_case_load_get_fraction (FidacCaseLoad *load)
{
  return g_atomic_int_get (&load->progress) / 1e6;
}

static void
set_phase (FidacCaseLoad      *load,
           FidacCaseLoadPhase  phase)
{
  g_atomic_int_set (&load->progress, 0);
  g_atomic_int_set (&load->phase, phase);
}

/* Called from the DICOM layer's threads: only an atomic store, the window polls it. */
static void
progress_cb (gdouble  fraction,
             gpointer user_data)
{
  FidacCaseLoad *load = user_data;

  g_atomic_int_set (&load->progress, (gint) (CLAMP (fraction, 0.0, 1.0) * 1e6));
}

gboolean
fidac_series_is_image (const FidacSeriesInfo *info)
{
  static const gchar * const not_images[] = {
    "SEG", "SR", "KO", "PR", "RTSTRUCT", "RTPLAN", "RTRECORD", "REG", "DOC", "FID", NULL
  };
  const gchar *sop = info->sop_class_uid;

  if (info->modality != NULL && g_strv_contains (not_images, info->modality))
    return FALSE;
  /* Segmentation, structured reports and presentation states, whatever the modality says. */
  if (sop != NULL &&
      (g_str_has_prefix (sop, "1.2.840.10008.5.1.4.1.1.66.") ||
       g_str_has_prefix (sop, "1.2.840.10008.5.1.4.1.1.88.") ||
       g_str_has_prefix (sop, "1.2.840.10008.5.1.4.1.1.11.")))
    return FALSE;
  return info->rows > 0 && info->columns > 0;
}

FidacSeriesInfo *
fidac_series_info_copy (const FidacSeriesInfo *info)
{
  FidacSeriesInfo *copy = g_new0 (FidacSeriesInfo, 1);

  copy->series_uid = g_strdup (info->series_uid);
  copy->study_uid = g_strdup (info->study_uid);
  copy->modality = g_strdup (info->modality);
  copy->series_description = g_strdup (info->series_description);
  copy->study_date = g_strdup (info->study_date);
  copy->study_description = g_strdup (info->study_description);
  copy->sop_class_uid = g_strdup (info->sop_class_uid);
  copy->transfer_syntax_uid = g_strdup (info->transfer_syntax_uid);
  copy->series_number = info->series_number;
  copy->rows = info->rows;
  copy->columns = info->columns;
  copy->n_frames = info->n_frames;
  copy->files = g_ptr_array_new_full (info->files != NULL ? info->files->len : 0, g_free);
  for (guint i = 0; info->files != NULL && i < info->files->len; i++)
    g_ptr_array_add (copy->files, g_strdup (g_ptr_array_index (info->files, i)));
  return copy;
}

/* Several dropped or chosen items: each is scanned, and series met in more than one item
 * (files of one series picked one by one) are merged by Series Instance UID. */
static void
merge_scan (FidacScan *into,
            FidacScan *from)
{
  while (from->series->len > 0)
    {
      FidacSeriesInfo *info = g_ptr_array_steal_index (from->series, 0);
      FidacSeriesInfo *same = NULL;

      for (guint i = 0; i < into->series->len && same == NULL; i++)
        {
          FidacSeriesInfo *other = g_ptr_array_index (into->series, i);

          if (g_strcmp0 (other->series_uid, info->series_uid) == 0)
            same = other;
        }
      if (same == NULL)
        {
          g_ptr_array_add (into->series, info);
          continue;
        }
      for (guint f = 0; f < info->files->len; f++)
        g_ptr_array_add (same->files, g_strdup (g_ptr_array_index (info->files, f)));
      same->n_frames += info->n_frames;
      fidac_series_info_free (info);
    }
  while (from->warnings->len > 0)
    g_ptr_array_add (into->warnings, g_ptr_array_steal_index (from->warnings, 0));
}

static FidacScan *
scan_paths (FidacCaseLoad *load,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(FidacScan) merged = NULL;

  for (guint i = 0; i < load->paths->len; i++)
    {
      g_autoptr(FidacScan) scan = NULL;

      scan = fidac_dicom_scan (g_ptr_array_index (load->paths, i), cancellable,
                               progress_cb, load, error);
      if (scan == NULL)
        return NULL;
      if (merged == NULL)
        merged = g_steal_pointer (&scan);
      else
        merge_scan (merged, scan);
    }
  return g_steal_pointer (&merged);
}


gchar *
fidac_demo_ensure (const gchar   *cache_dir,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autofree gchar *final = g_build_filename (cache_dir, "demo-phantom", NULL);
  g_autofree gchar *tmp = NULL;
  g_autoptr(FidacVolume) phantom = NULL;
  FidacPhantomOptions options;
  FidacDicomWriteOptions write_options;
  int saved_errno;

  if (g_file_test (final, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&final);

  if (g_mkdir_with_parents (cache_dir, 0700) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder “%s” for the demo case: %s"),
                   cache_dir, g_strerror (saved_errno));
      return NULL;
    }

  tmp = g_build_filename (cache_dir, "demo-phantom.partial-XXXXXX", NULL);
  if (g_mkdtemp (tmp) == NULL)
    {
      saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create a temporary folder in “%s” for the demo case: %s"),
                   cache_dir, g_strerror (saved_errno));
      return NULL;
    }

  fidac_phantom_options_init (&options);
  fidac_dicom_write_options_init (&write_options);
  phantom = fidac_phantom_new (&options, error);
  if (phantom == NULL ||
      !fidac_dicom_write_series (phantom, &write_options, tmp, cancellable, error))
    {
      fidac_fs_remove_tree (tmp);
      return NULL;
    }

  if (g_rename (tmp, final) != 0)
    {
      saved_errno = errno;
      fidac_fs_remove_tree (tmp);
      /* Another instance finished its demo first: that one is complete too. */
      if (g_file_test (final, G_FILE_TEST_IS_DIR))
        return g_steal_pointer (&final);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not move the demo case into “%s”: %s"),
                   final, g_strerror (saved_errno));
      return NULL;
    }
  return g_steal_pointer (&final);
}

static gboolean
run (FidacCaseLoad *load,
     GCancellable  *cancellable,
     GError       **error)
{
  const FidacSeriesInfo *info;

  if (load->demo_cache_dir != NULL && load->series == NULL)
    {
      g_autofree gchar *demo = NULL;

      set_phase (load, FIDAC_CASE_LOAD_PHASE_DEMO);
      demo = fidac_demo_ensure (load->demo_cache_dir, cancellable, error);
      if (demo == NULL)
        return FALSE;
      g_ptr_array_add (load->paths, g_steal_pointer (&demo));
    }

  if (load->series == NULL)
    {
      g_autoptr(FidacScan) scan = NULL;

      set_phase (load, FIDAC_CASE_LOAD_PHASE_SCAN);
      scan = scan_paths (load, cancellable, error);
      if (scan == NULL)
        return FALSE;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (scan->series->len == 0)
        {
          if (scan->warnings->len > 0)
            g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_NO_SERIES,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "No DICOM series was found: %u file was skipped (%s).",
                                      "No DICOM series was found: %u files were skipped (first: %s).",
                                      scan->warnings->len),
                         scan->warnings->len, (const gchar *) g_ptr_array_index (scan->warnings, 0));
          else
            g_set_error_literal (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_NO_SERIES,
                                 _("No DICOM files were found here."));
          return FALSE;
        }

      if (scan->series->len > 1)
        {
          load->scan = g_steal_pointer (&scan);
          return TRUE;
        }

      info = g_ptr_array_index (scan->series, 0);
      if (!fidac_series_is_image (info))
        {
          g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_NOT_IMAGE,
                       _("The only series found (modality %s) is not an image series and cannot be displayed."),
                       info->modality != NULL ? info->modality : "?");
          return FALSE;
        }
      load->series = fidac_series_info_copy (info);
      for (guint i = 0; i < scan->warnings->len; i++)
        g_ptr_array_add (load->scan_warnings, g_strdup (g_ptr_array_index (scan->warnings, i)));
    }

  set_phase (load, FIDAC_CASE_LOAD_PHASE_DECODE);
  load->volume = fidac_dicom_load_series (load->series, cancellable, progress_cb, load, error);
  if (load->volume == NULL)
    return FALSE;
  fidac_volume_get_range (load->volume, &load->hu_min, &load->hu_max);
  /* A load that finished just as it was cancelled is still a cancelled load. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  return TRUE;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;

  if (run (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
fidac_case_load_run_async (FidacCaseLoad       *load,
                           gpointer             source_object,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source_object, cancellable, callback, user_data);

  g_task_set_source_tag (task, fidac_case_load_run_async);
  g_task_set_task_data (task, fidac_case_load_ref (load), (GDestroyNotify) fidac_case_load_unref);
  g_task_run_in_thread (task, run_thread);
}

gboolean
fidac_case_load_run_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

FidacCaseLoad *
fidac_case_load_from_result (GAsyncResult *result)
{
  return g_task_get_task_data (G_TASK (result));
}
