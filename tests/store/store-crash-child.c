/* store-crash-child.c: paints and commits strokes as the GUI does, until it is killed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: store-crash-child DATABASE FIRST-STROKE
 * Loads the annotation (which must hold strokes 0 .. FIRST-STROKE - 1), prints "ready",
 * then for each stroke s from FIRST-STROKE on: paints it, commits the dirty slices in one
 * transaction (fidac_store_save_slices, as on a button release), clears the dirty flags
 * and prints "committed s". Every line is flushed before the next stroke starts.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "crash-strokes.h"

static int
fail (const GError *error)
{
  fprintf (stderr, "store-crash-child: %s\n", error->message);
  return 1;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacLabelMap) map = NULL;
  g_autoptr(FidacStore) store = NULL;
  g_autoptr(FidacStoreCase) store_case = NULL;
  g_autoptr(FidacStoreAnnotation) annotation = NULL;
  guint first;

  if (argc != 3)
    {
      fprintf (stderr, "usage: store-crash-child DATABASE FIRST-STROKE\n");
      return 2;
    }
  first = (guint) g_ascii_strtoull (argv[2], NULL, 10);

  volume = crash_volume (&error);
  if (volume == NULL)
    return fail (error);
  map = fidac_label_map_new (volume, &error);
  if (map == NULL)
    return fail (error);
  store = fidac_store_open (argv[1], &error);
  if (store == NULL)
    return fail (error);
  store_case = fidac_store_case_new_from_volume (volume, NULL);
  if (!fidac_store_put_case (store, store_case, &error))
    return fail (error);
  annotation = fidac_store_get_annotation (store, volume->series_uid, &crash_reader, TRUE,
                                          &error);
  if (annotation == NULL)
    return fail (error);
  if (!fidac_store_load_labels (store, annotation->id, map, &error))
    return fail (error);
  fidac_label_map_clear_dirty (map);

  printf ("ready\n");
  fflush (stdout);
  for (guint s = first; s < first + 1000000; s++)
    {
      crash_stroke (map, s);
      if (!fidac_store_save_slices (store, annotation->id, map, NULL, &error))
        return fail (error);
      fidac_label_map_clear_dirty (map);
      printf ("committed %u\n", s);
      fflush (stdout);
    }
  return 0;
}
