/* store-fill.c: puts a DICOM series in a store with an annotation painted by HU value, for
 * the end-to-end test of `fidac-cli annotations` (tests/cli/test-annotations.py).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: store-fill DATABASE SERIES-PATH READER-NAME READER-ID ROLE STATUS CLASS=HU…
 * Loads the series, labels every voxel whose HU is exactly one of the given values with
 * that class (the phantom gives each tissue one value), commits it through
 * fidac_store_save_slices() and sets the status. The case's path is SERIES-PATH as given.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "fidac-dicom.h"
#include "fidac-store.h"

static int
fail (const GError *error)
{
  fprintf (stderr, "store-fill: %s\n", error->message);
  return 1;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacScan) scan = NULL;
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacLabelMap) map = NULL;
  g_autoptr(FidacStore) store = NULL;
  g_autoptr(FidacStoreCase) store_case = NULL;
  g_autoptr(FidacStoreAnnotation) annotation = NULL;
  const FidacSeriesInfo *info;
  FidacReader reader;
  FidacAnnotationStatus status;
  gint16 hu[FIDAC_LABEL_MAX_CLASSES];
  gboolean used[FIDAC_LABEL_MAX_CLASSES] = { FALSE };

  if (argc < 8 || !fidac_reader_role_from_string (argv[5], &reader.role) ||
      !fidac_annotation_status_from_string (argv[6], &status))
    {
      fprintf (stderr, "usage: store-fill DATABASE SERIES-PATH READER-NAME READER-ID "
                       "expert|reviewer draft|complete|submitted CLASS=HU…\n");
      return 2;
    }
  reader.name = argv[3];
  reader.id = argv[4];
  for (gint a = 7; a < argc; a++)
    {
      guint id = 0;
      gint value = 0;

      if (sscanf (argv[a], "%u=%d", &id, &value) != 2 || id == 0 ||
          id >= FIDAC_LABEL_MAX_CLASSES)
        {
          fprintf (stderr, "store-fill: bad CLASS=HU: %s\n", argv[a]);
          return 2;
        }
      hu[id] = value;
      used[id] = TRUE;
    }

  scan = fidac_dicom_scan (argv[2], NULL, NULL, NULL, &error);
  if (scan == NULL)
    return fail (error);
  info = fidac_scan_pick (scan, NULL, &error);
  if (info == NULL)
    return fail (error);
  volume = fidac_dicom_load_series (info, NULL, NULL, NULL, &error);
  if (volume == NULL)
    return fail (error);
  map = fidac_label_map_new (volume, &error);
  if (map == NULL)
    return fail (error);
  for (gint k = 0; k < volume->dims[2]; k++)
    for (gint j = 0; j < volume->dims[1]; j++)
      for (gint i = 0; i < volume->dims[0]; i++)
        for (guint c = 1; c < FIDAC_LABEL_MAX_CLASSES; c++)
          if (used[c] && fidac_volume_get (volume, i, j, k) == hu[c])
            fidac_label_map_set (map, i, j, k, c);

  store = fidac_store_open (argv[1], &error);
  if (store == NULL)
    return fail (error);
  store_case = fidac_store_case_new_from_volume (volume, argv[2]);
  if (!fidac_store_put_case (store, store_case, &error))
    return fail (error);
  annotation = fidac_store_get_annotation (store, volume->series_uid, &reader, TRUE, &error);
  if (annotation == NULL ||
      !fidac_store_save_slices (store, annotation->id, map, NULL, &error) ||
      !fidac_store_set_status (store, annotation->id, status, &error))
    return fail (error);
  return 0;
}
