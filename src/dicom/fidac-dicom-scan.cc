/* fidac-dicom-scan.cc: finding DICOM series in a file, a folder or a DICOMDIR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-dicom"

#include "fidac-dicom-reader.hh"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <set>
#include <utility>

#define DICOMDIR_SOP_CLASS "1.2.840.10008.1.3.10"

/* ---- helpers shared with the loader ---- */

/* What the first bytes say: a Part 10 file ("DICM" after the preamble), a bare dataset
 * (it starts with a tag of the first groups), or neither. Looking first keeps DCMTK from
 * parsing (and complaining about) every text or image file in a folder. */
typedef enum {
  FILE_KIND_UNREADABLE,
  FILE_KIND_OTHER,
  FILE_KIND_PART10,
  FILE_KIND_DATASET,
} FileKind;

static FileKind
sniff_file (const char *path)
{
  guint8 head[132];
  FILE *f = g_fopen (path, "rb");
  gsize n;

  if (f == NULL)
    return FILE_KIND_UNREADABLE;
  n = fread (head, 1, sizeof head, f);
  fclose (f);
  if (n == sizeof head && memcmp (head + 128, "DICM", 4) == 0)
    return FILE_KIND_PART10;
  if (n >= 8)
    {
      guint group_le = head[0] | (head[1] << 8);
      guint group_be = (head[0] << 8) | head[1];
      for (guint g : { group_le, group_be })
        if (g == 0x0000 || g == 0x0002 || g == 0x0004 || g == 0x0008)
          return FILE_KIND_DATASET;
    }
  return FILE_KIND_OTHER;
}

/* Parses a file's header, up to the pixel data. FALSE with `reason` set to a translated
 * sentence when the file is not readable DICOM. */
static gboolean
read_header (const char *path, DcmFileFormat *ff, offile_off_t *pixels_at, GStatBuf *st,
             gchar **reason)
{
  if (g_stat (path, st) != 0)
    {
      *reason = g_strdup (g_strerror (errno));
      return FALSE;
    }
  if (st->st_size == 0)
    {
      *reason = g_strdup (_("empty file"));
      return FALSE;
    }

  FileKind kind = sniff_file (path);
  if (kind == FILE_KIND_UNREADABLE)
    {
      *reason = g_strdup (g_strerror (errno));
      return FALSE;
    }
  if (kind == FILE_KIND_OTHER)
    {
      *reason = g_strdup (_("not a DICOM file"));
      return FALSE;
    }

  OFCondition cond = fidac_dicom_read_until_pixels (path, ff, pixels_at);
  gboolean dicm = kind == FILE_KIND_PART10;

  if (cond.bad ())
    {
      if (dicm)
        *reason = g_strdup_printf (_("truncated or damaged DICOM file (%s)"), cond.text ());
      else
        *reason = g_strdup (_("not a DICOM file"));
      return FALSE;
    }

  /* Without the "DICM" preamble DCMTK guesses a raw dataset, and almost any bytes parse
   * as one: only trust it when it holds the identifying attributes of an instance. */
  if (!dicm)
    {
      DcmDataset *ds = ff->getDataset ();
      if (!ds->tagExistsWithValue (DCM_SOPClassUID) &&
          !ds->tagExistsWithValue (DCM_SeriesInstanceUID))
        {
          *reason = g_strdup (_("not a DICOM file"));
          return FALSE;
        }
    }
  return TRUE;
}

/* Whether the pixel data is all there. Uncompressed little-endian pixels were checked
 * against the file size already; anything else gets a full parse with a small read limit:
 * large values are skipped, but one running past the end of the file is noticed, so a
 * truncated file is caught here rather than half way through a load. */
static gboolean
check_complete (const char *path, const FidacFileHeader *header, gboolean *has_pixels,
                gchar **reason)
{
  if (header->info.native_offset > 0)
    {
      *has_pixels = TRUE;
      return TRUE;
    }

  DcmFileFormat ff;
  OFCondition cond = ff.loadFile (path, EXS_Unknown, EGL_noChange, FIDAC_DICOM_HEADER_MAX_READ,
                                  ERM_autoDetect);
  if (cond.bad ())
    {
      *reason = g_strdup_printf (_("truncated or damaged DICOM file (%s)"), cond.text ());
      return FALSE;
    }
  *has_pixels = ff.getDataset ()->tagExists (DCM_PixelData);
  return TRUE;
}

gboolean
fidac_dicom_sop_class_is_non_image (const char *uid)
{
  static const char *const prefixes[] = {
    "1.2.840.10008.5.1.4.1.1.88.",      /* structured reports, KOS */
    "1.2.840.10008.5.1.4.1.1.66",       /* raw data, registration, SEG, fiducials */
    "1.2.840.10008.5.1.4.1.1.481.",     /* radiotherapy */
    "1.2.840.10008.5.1.4.1.1.11.",      /* presentation states */
    "1.2.840.10008.5.1.4.1.1.104.",     /* encapsulated documents */
    "1.2.840.10008.5.1.4.1.1.9.",       /* waveforms */
    DICOMDIR_SOP_CLASS,
  };

  if (uid == NULL)
    return FALSE;
  for (const char *p : prefixes)
    if (g_str_has_prefix (uid, p))
      return TRUE;
  return FALSE;
}

gboolean
fidac_dicom_sop_class_is_enhanced (const char *uid)
{
  static const char *const classes[] = {
    "1.2.840.10008.5.1.4.1.1.2.1",      /* Enhanced CT */
    "1.2.840.10008.5.1.4.1.1.2.2",      /* Legacy Converted Enhanced CT */
    "1.2.840.10008.5.1.4.1.1.4.1",      /* Enhanced MR */
    "1.2.840.10008.5.1.4.1.1.4.4",      /* Legacy Converted Enhanced MR */
    "1.2.840.10008.5.1.4.1.1.128.1",    /* Legacy Converted Enhanced PET */
    "1.2.840.10008.5.1.4.1.1.130",      /* Enhanced PET */
  };

  if (uid == NULL)
    return FALSE;
  for (const char *c : classes)
    if (strcmp (uid, c) == 0)
      return TRUE;
  return FALSE;
}

/* ---- finding the files ---- */

typedef struct {
  GPtrArray    *files;           /* gchar*, absolute */
  GPtrArray    *warnings;
  GCancellable *cancellable;
  std::set<std::pair<dev_t, ino_t>> *visited;
} Walk;

static gboolean
walk_folder (Walk *walk, const char *folder, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  GStatBuf st;

  if (g_cancellable_set_error_if_cancelled (walk->cancellable, error))
    return FALSE;
  /* Symbolic links may loop back to a parent folder. */
  if (g_stat (folder, &st) == 0 &&
      !walk->visited->insert (std::make_pair (st.st_dev, st.st_ino)).second)
    return TRUE;

  g_autoptr(GDir) dir = g_dir_open (folder, 0, &local_error);
  if (dir == NULL)
    {
      g_ptr_array_add (walk->warnings,
                       g_strdup_printf (_("%s: folder skipped: %s"), folder, local_error->message));
      return TRUE;
    }

  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  /* Reading order only makes warnings and file lists reproducible; loading never uses it. */
  g_ptr_array_sort (names, [] (gconstpointer a, gconstpointer b) {
    return strcmp (*(const char *const *) a, *(const char *const *) b);
  });

  for (guint n = 0; n < names->len; n++)
    {
      const char *child_name = (const char *) g_ptr_array_index (names, n);
      g_autofree gchar *child = g_build_filename (folder, child_name, NULL);

      if (g_stat (child, &st) != 0)
        {
          g_ptr_array_add (walk->warnings,
                           g_strdup_printf (_("%s: skipped: %s"), child, g_strerror (errno)));
          continue;
        }
      if (S_ISDIR (st.st_mode))
        {
          if (!walk_folder (walk, child, error))
            return FALSE;
        }
      else if (S_ISREG (st.st_mode))
        g_ptr_array_add (walk->files, g_steal_pointer (&child));
    }
  return TRUE;
}

/* Finds `relative` (DICOMDIR components, often upper case) under `base`, matching each
 * component without regard to case when the exact name is not there. */
static gchar *
resolve_case_insensitive (const char *base, gchar **components)
{
  g_autofree gchar *current = g_strdup (base);

  for (guint c = 0; components[c] != NULL; c++)
    {
      g_autofree gchar *exact = g_build_filename (current, components[c], NULL);

      if (g_file_test (exact, G_FILE_TEST_EXISTS))
        {
          g_free (current);
          current = g_steal_pointer (&exact);
          continue;
        }

      g_autoptr(GDir) dir = g_dir_open (current, 0, NULL);
      const char *name;
      gboolean found = FALSE;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          if (g_ascii_strcasecmp (name, components[c]) == 0)
            {
              gchar *next = g_build_filename (current, name, NULL);
              g_free (current);
              current = next;
              found = TRUE;
              break;
            }
        }
      if (!found)
        return NULL;
    }
  return g_steal_pointer (&current);
}

/* Fills `files` from the DICOMDIR; FALSE (with a warning) when it cannot be used. */
static gboolean
read_dicomdir (const char *dicomdir, GPtrArray *files, GPtrArray *warnings)
{
  DcmFileFormat ff;
  OFCondition cond = ff.loadFile (dicomdir);

  if (cond.bad ())
    {
      g_ptr_array_add (warnings,
                       g_strdup_printf (_("%s: unreadable DICOMDIR (%s); the folder is searched instead"),
                                        dicomdir, cond.text ()));
      return FALSE;
    }

  DcmSequenceOfItems *records = NULL;
  if (ff.getDataset ()->findAndGetSequence (DCM_DirectoryRecordSequence, records).bad () ||
      records == NULL)
    {
      g_ptr_array_add (warnings,
                       g_strdup_printf (_("%s: DICOMDIR without directory records; the folder is searched instead"),
                                        dicomdir));
      return FALSE;
    }

  g_autofree gchar *base = g_path_get_dirname (dicomdir);
  guint referenced = 0, missing = 0;

  for (unsigned long r = 0; r < records->card (); r++)
    {
      DcmItem *record = records->getItem (r);
      DcmElement *element = NULL;

      if (record->findAndGetElement (DCM_ReferencedFileID, element).bad () || element == NULL)
        continue;

      unsigned long vm = element->getVM ();
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
      for (unsigned long v = 0; v < vm; v++)
        {
          OFString part;
          if (element->getOFString (part, v).good ())
            g_ptr_array_add (parts, g_strstrip (g_strdup (part.c_str ())));
        }
      if (parts->len == 0)
        continue;
      g_ptr_array_add (parts, NULL);
      referenced++;

      gchar *path = resolve_case_insensitive (base, (gchar **) parts->pdata);
      if (path == NULL)
        {
          g_autofree gchar *rel = g_strjoinv ("/", (gchar **) parts->pdata);
          g_ptr_array_add (warnings,
                           g_strdup_printf (_("%s: file %s listed in the DICOMDIR is missing"),
                                            dicomdir, rel));
          missing++;
          continue;
        }
      g_ptr_array_add (files, path);
    }

  if (referenced == 0 || missing == referenced)
    {
      g_ptr_array_add (warnings,
                       g_strdup_printf (_("%s: the DICOMDIR references no existing file; the folder is searched instead"),
                                        dicomdir));
      g_ptr_array_set_size (files, 0);
      return FALSE;
    }
  return TRUE;
}

static gchar *
find_dicomdir (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      if (g_ascii_strcasecmp (name, "DICOMDIR") == 0)
        {
          gchar *path = g_build_filename (folder, name, NULL);
          if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
            return path;
          g_free (path);
        }
    }
  return NULL;
}

/* ---- reading the headers ---- */

typedef struct {
  gchar   *series_uid;
  gchar   *study_uid;
  gchar   *modality;
  gchar   *series_description;
  gchar   *study_date;
  gchar   *study_description;
  gchar   *sop_class_uid;
  gchar   *transfer_syntax_uid;
  gint     series_number;
  gint     rows;
  gint     columns;
  guint    n_frames;
  gboolean is_dicomdir;
  gchar   *skip_reason;          /* set when the file is skipped */
  GStatBuf st;
  FidacFileHeader *header;       /* for the loader */
} FileSummary;

static void
file_summary_clear (FileSummary *s)
{
  g_free (s->series_uid);
  g_free (s->study_uid);
  g_free (s->modality);
  g_free (s->series_description);
  g_free (s->study_date);
  g_free (s->study_description);
  g_free (s->sop_class_uid);
  g_free (s->transfer_syntax_uid);
  g_free (s->skip_reason);
  if (s->header != NULL)
    {
      fidac_dicom_file_header_clear (s->header);
      delete s->header;
    }
}

static void
summarise_file (const char *path, FileSummary *s)
{
  DcmFileFormat ff;
  offile_off_t pixels_at = 0;

  if (!read_header (path, &ff, &pixels_at, &s->st, &s->skip_reason))
    return;

  DcmDataset *ds = ff.getDataset ();
  DcmMetaInfo *meta = ff.getMetaInfo ();
  g_autofree gchar *media_class = meta ? fidac_dicom_get_string (meta, DCM_MediaStorageSOPClassUID) : NULL;

  s->sop_class_uid = fidac_dicom_get_string (ds, DCM_SOPClassUID);
  if (g_strcmp0 (media_class, DICOMDIR_SOP_CLASS) == 0 ||
      ds->tagExists (DCM_DirectoryRecordSequence))
    {
      s->is_dicomdir = TRUE;
      return;
    }

  s->series_uid = fidac_dicom_get_string (ds, DCM_SeriesInstanceUID);
  if (s->series_uid == NULL)
    {
      s->skip_reason = g_strdup (_("no Series Instance UID"));
      return;
    }

  /* The loader's view of the file, parsed once here and handed over. */
  s->header = new FidacFileHeader ();
  fidac_dicom_header_from_dataset (path, &ff, pixels_at, s->header);
  gboolean has_pixels = FALSE;
  if (!check_complete (path, s->header, &has_pixels, &s->skip_reason))
    {
      g_clear_pointer (&s->series_uid, g_free);
      return;
    }

  s->study_uid = fidac_dicom_get_string (ds, DCM_StudyInstanceUID);
  s->modality = fidac_dicom_get_string (ds, DCM_Modality);
  s->series_description = fidac_dicom_get_string (ds, DCM_SeriesDescription);
  s->study_date = fidac_dicom_get_string (ds, DCM_StudyDate);
  s->study_description = fidac_dicom_get_string (ds, DCM_StudyDescription);
  s->transfer_syntax_uid = meta ? fidac_dicom_get_string (meta, DCM_TransferSyntaxUID) : NULL;
  if (s->transfer_syntax_uid == NULL)
    {
      DcmXfer xfer (ds->getOriginalXfer ());
      s->transfer_syntax_uid = g_strdup (xfer.getXferID ());
    }

  double v;
  s->series_number = fidac_dicom_get_double (ds, DCM_SeriesNumber, 0, &v) ? (gint) v : -1;
  s->rows = fidac_dicom_get_double (ds, DCM_Rows, 0, &v) ? (gint) v : 0;
  s->columns = fidac_dicom_get_double (ds, DCM_Columns, 0, &v) ? (gint) v : 0;
  if (fidac_dicom_get_double (ds, DCM_NumberOfFrames, 0, &v) && v >= 1)
    s->n_frames = (guint) MIN (v, (double) G_MAXUINT);
  else
    s->n_frames = has_pixels ? 1 : 0;
}

typedef struct {
  GPtrArray        *files;
  FileSummary      *summaries;
  gint              next;        /* atomic */
  gint              done;        /* atomic */
  gint              last_percent; /* atomic */
  GCancellable     *cancellable;
  FidacProgressFunc progress;
  gpointer          user_data;
} ScanJob;

static gpointer
scan_worker (gpointer data)
{
  ScanJob *job = (ScanJob *) data;
  gint n = (gint) job->files->len;

  for (;;)
    {
      gint i = g_atomic_int_add (&job->next, 1);

      if (i >= n || g_cancellable_is_cancelled (job->cancellable))
        break;

      const char *path = (const char *) g_ptr_array_index (job->files, i);
      FileSummary *s = &job->summaries[i];
      g_autoptr(GError) error = NULL;

      fidac_dicom_guard (&error, [&] () -> gboolean { summarise_file (path, s); return TRUE; });
      if (error != NULL && s->skip_reason == NULL)
        s->skip_reason = g_strdup (error->message);

      gint done = g_atomic_int_add (&job->done, 1) + 1;
      if (job->progress != NULL)
        {
          gint percent = (gint) ((gint64) done * 100 / n);
          gint last = g_atomic_int_get (&job->last_percent);
          if (percent > last && g_atomic_int_compare_and_exchange (&job->last_percent, last, percent))
            job->progress ((gdouble) done / n, job->user_data);
        }
    }
  return NULL;
}

static gint
compare_series (gconstpointer pa, gconstpointer pb)
{
  const FidacSeriesInfo *a = *(const FidacSeriesInfo *const *) pa;
  const FidacSeriesInfo *b = *(const FidacSeriesInfo *const *) pb;

  /* Series without a date go last. */
  if ((a->study_date == NULL) != (b->study_date == NULL))
    return a->study_date == NULL ? 1 : -1;
  gint c = g_strcmp0 (a->study_date, b->study_date);
  if (c != 0)
    return c;
  if (a->series_number != b->series_number)
    return a->series_number < b->series_number ? -1 : 1;
  return g_strcmp0 (a->series_uid, b->series_uid);
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static FidacScan *
scan_impl (const gchar      *path,
           GCancellable     *cancellable,
           FidacProgressFunc progress,
           gpointer          user_data,
           GError          **error)
{
  if (!fidac_dicom_init (error))
    return NULL;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_NOT_FOUND,
                   _("%s: no such file or folder"), path ? path : "(null)");
      return NULL;
    }

  g_autofree gchar *absolute = g_canonicalize_filename (path, NULL);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  if (progress != NULL)
    progress (0.0, user_data);

  if (g_file_test (absolute, G_FILE_TEST_IS_DIR))
    {
      g_autofree gchar *dicomdir = find_dicomdir (absolute);
      gboolean from_dicomdir = dicomdir != NULL && read_dicomdir (dicomdir, files, warnings);

      if (!from_dicomdir)
        {
          std::set<std::pair<dev_t, ino_t>> visited;
          Walk walk = { files, warnings, cancellable, &visited };

          if (!walk_folder (&walk, absolute, error))
            return NULL;
        }
    }
  else
    {
      g_autofree gchar *base = g_path_get_basename (absolute);

      if (g_ascii_strcasecmp (base, "DICOMDIR") == 0 &&
          read_dicomdir (absolute, files, warnings))
        ;
      else if (g_ascii_strcasecmp (base, "DICOMDIR") == 0)
        {
          g_autofree gchar *folder = g_path_get_dirname (absolute);
          std::set<std::pair<dev_t, ino_t>> visited;
          Walk walk = { files, warnings, cancellable, &visited };

          if (!walk_folder (&walk, folder, error))
            return NULL;
        }
      else
        g_ptr_array_add (files, g_strdup (absolute));
    }

  /* A DICOMDIR may list a file twice, and links may reach one file by two paths. */
  g_ptr_array_sort (files, compare_strings);
  for (guint i = 1; i < files->len;)
    {
      if (strcmp ((const char *) files->pdata[i], (const char *) files->pdata[i - 1]) == 0)
        g_ptr_array_remove_index (files, i);
      else
        i++;
    }

  fidac_dicom_header_cache_reset ();
  guint n = files->len;
  FileSummary *summaries = g_new0 (FileSummary, MAX (n, 1));
  ScanJob job = { files, summaries, 0, 0, -1, cancellable, progress, user_data };
  guint n_threads = CLAMP (g_get_num_processors (), 2, 16);
  n_threads = MIN (n_threads, MAX (n, 1));

  if (n_threads <= 1)
    scan_worker (&job);
  else
    {
      GThread **threads = g_new0 (GThread *, n_threads);
      for (guint t = 0; t < n_threads; t++)
        threads[t] = g_thread_new ("fidac-scan", scan_worker, &job);
      for (guint t = 0; t < n_threads; t++)
        g_thread_join (threads[t]);
      g_free (threads);
    }

  auto free_summaries = [&] () {
    for (guint i = 0; i < n; i++)
      file_summary_clear (&summaries[i]);
    g_free (summaries);
  };

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      free_summaries ();
      return NULL;
    }

  g_autoptr(FidacScan) scan = g_new0 (FidacScan, 1);
  scan->series = g_ptr_array_new_with_free_func ((GDestroyNotify) fidac_series_info_free);
  g_autoptr(GHashTable) by_uid = g_hash_table_new (g_str_hash, g_str_equal);
  guint skipped = 0;

  for (guint i = 0; i < n; i++)
    {
      FileSummary *s = &summaries[i];
      const char *file = (const char *) g_ptr_array_index (files, i);

      if (s->is_dicomdir)
        continue;
      if (s->skip_reason != NULL)
        {
          g_ptr_array_add (warnings, g_strdup_printf (_("%s: skipped: %s"), file, s->skip_reason));
          skipped++;
          continue;
        }

      FidacSeriesInfo *info = (FidacSeriesInfo *) g_hash_table_lookup (by_uid, s->series_uid);
      if (info == NULL)
        {
          info = g_new0 (FidacSeriesInfo, 1);
          info->series_uid = g_steal_pointer (&s->series_uid);
          info->study_uid = g_steal_pointer (&s->study_uid);
          info->modality = g_steal_pointer (&s->modality);
          info->series_description = g_steal_pointer (&s->series_description);
          info->study_date = g_steal_pointer (&s->study_date);
          info->study_description = g_steal_pointer (&s->study_description);
          info->sop_class_uid = g_steal_pointer (&s->sop_class_uid);
          info->transfer_syntax_uid = g_steal_pointer (&s->transfer_syntax_uid);
          info->series_number = s->series_number;
          info->rows = s->rows;
          info->columns = s->columns;
          info->files = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (scan->series, info);
          g_hash_table_insert (by_uid, info->series_uid, info);
        }
      info->n_frames += s->n_frames;
      g_ptr_array_add (info->files, g_strdup (file));
      /* For huge archives the cache would cost more memory than it saves time. */
      if (s->header != NULL && n <= 20000)
        fidac_dicom_header_cache_put (file, &s->st, s->header);
    }
  free_summaries ();

  g_ptr_array_sort (scan->series, compare_series);
  scan->warnings = (GPtrArray *) g_steal_pointer (&warnings);

  if (scan->series->len == 0)
    {
      g_set_error (error, FIDAC_DICOM_ERROR, FIDAC_DICOM_ERROR_NO_SERIES,
                   g_dngettext (GETTEXT_PACKAGE,
                                "No DICOM series was found in %s (%u file skipped)",
                                "No DICOM series was found in %s (%u files skipped)", skipped),
                   absolute, skipped);
      /* The reasons matter most when the user pointed at a single broken file. */
      if (error != NULL && *error != NULL)
        {
          GString *message = g_string_new ((*error)->message);
          for (guint w = 0; w < scan->warnings->len && w < 3; w++)
            g_string_append_printf (message, "\n%s", (const char *) scan->warnings->pdata[w]);
          if (scan->warnings->len > 3)
            g_string_append (message, "\n…");
          g_free ((*error)->message);
          (*error)->message = g_string_free (message, FALSE);
        }
      return NULL;
    }

  if (progress != NULL)
    progress (1.0, user_data);
  return (FidacScan *) g_steal_pointer (&scan);
}

FidacScan *
fidac_dicom_scan (const gchar      *path,
                  GCancellable     *cancellable,
                  FidacProgressFunc progress,
                  gpointer          user_data,
                  GError          **error)
{
  return fidac_dicom_guard (error, [&] () {
    return scan_impl (path, cancellable, progress, user_data, error);
  });
}
