/* fidac-label-map.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "fidac-label-map.h"

FidacLabelMap *
fidac_label_map_new (const FidacVolume  *volume,
                     GError            **error)
{
  g_autoptr(FidacLabelMap) map = NULL;
  gsize n;

  g_return_val_if_fail (volume != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (volume->dims[0] <= 0 || volume->dims[1] <= 0 || volume->dims[2] <= 0)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Invalid volume size %d × %d × %d"),
                   volume->dims[0], volume->dims[1], volume->dims[2]);
      return NULL;
    }

  n = (gsize) volume->dims[0] * volume->dims[1] * volume->dims[2];
  map = g_new0 (FidacLabelMap, 1);
  map->ref_count = 1;
  memcpy (map->dims, volume->dims, sizeof map->dims);
  /* The label map is as large as a sixth of the volume's voxels again: on a small machine
   * with a big series this can fail, and must say so rather than abort. */
  map->labels = g_try_malloc0 (n);
  map->counts = g_try_new0 (guint32, (gsize) map->dims[2] * FIDAC_LABEL_MAX_CLASSES);
  map->dirty = g_try_malloc0 (map->dims[2]);
  if (map->labels == NULL || map->counts == NULL || map->dirty == NULL)
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Not enough memory for a label map of %d × %d × %d voxels"),
                   map->dims[0], map->dims[1], map->dims[2]);
      return NULL;
    }
  for (gint k = 0; k < map->dims[2]; k++)
    map->counts[(gsize) k * FIDAC_LABEL_MAX_CLASSES + FIDAC_LABEL_NONE] =
      (guint32) ((gsize) map->dims[0] * map->dims[1]);

  return g_steal_pointer (&map);
}

FidacLabelMap *
fidac_label_map_ref (FidacLabelMap *map)
{
  g_return_val_if_fail (map != NULL, NULL);

  g_atomic_int_inc (&map->ref_count);
  return map;
}

void
fidac_label_map_unref (FidacLabelMap *map)
{
  if (map == NULL)
    return;
  if (!g_atomic_int_dec_and_test (&map->ref_count))
    return;

  g_free (map->labels);
  g_free (map->counts);
  g_free (map->dirty);
  g_free (map);
}

guint8
fidac_label_map_set (FidacLabelMap *map,
                     gint           i,
                     gint           j,
                     gint           k,
                     guint8         value)
{
  gsize index;
  guint8 old;

  g_return_val_if_fail (map != NULL, FIDAC_LABEL_NONE);
  g_return_val_if_fail (value < FIDAC_LABEL_MAX_CLASSES, FIDAC_LABEL_NONE);
  g_return_val_if_fail (i >= 0 && j >= 0 && k >= 0 && i < map->dims[0] &&
                        j < map->dims[1] && k < map->dims[2], FIDAC_LABEL_NONE);

  index = fidac_label_map_index (map, i, j, k);
  old = map->labels[index];
  if (old == value)
    return old;

  map->labels[index] = value;
  map->counts[(gsize) k * FIDAC_LABEL_MAX_CLASSES + old]--;
  map->counts[(gsize) k * FIDAC_LABEL_MAX_CLASSES + value]++;
  map->dirty[k] = 1;
  return old;
}

void
fidac_label_map_touch (FidacLabelMap *map,
                       gint           k0,
                       gint           k1)
{
  gsize slice;

  g_return_if_fail (map != NULL);

  k0 = MAX (k0, 0);
  k1 = MIN (k1, map->dims[2] - 1);
  slice = (gsize) map->dims[0] * map->dims[1];

  for (gint k = k0; k <= k1; k++)
    {
      const guint8 *labels = map->labels + slice * k;
      guint32 *counts = map->counts + (gsize) k * FIDAC_LABEL_MAX_CLASSES;

      memset (counts, 0, sizeof (guint32) * FIDAC_LABEL_MAX_CLASSES);
      for (gsize n = 0; n < slice; n++)
        {
          /* A bulk writer that stored an id outside the catalog's range is a bug; clear
           * the voxel rather than index the counts out of bounds. */
          if (G_UNLIKELY (labels[n] >= FIDAC_LABEL_MAX_CLASSES))
            {
              g_critical ("label map: value %u at slice %d is not a class id", labels[n], k);
              map->labels[slice * k + n] = FIDAC_LABEL_NONE;
            }
          counts[labels[n]]++;
        }
      map->dirty[k] = 1;
    }
}

guint32
fidac_label_map_slice_count (const FidacLabelMap *map,
                             gint                 k,
                             guint8               label)
{
  g_return_val_if_fail (map != NULL, 0);
  g_return_val_if_fail (k >= 0 && k < map->dims[2], 0);
  g_return_val_if_fail (label < FIDAC_LABEL_MAX_CLASSES, 0);

  return map->counts[(gsize) k * FIDAC_LABEL_MAX_CLASSES + label];
}

guint64
fidac_label_map_count (const FidacLabelMap *map,
                       guint8               label)
{
  guint64 total = 0;

  g_return_val_if_fail (map != NULL, 0);
  g_return_val_if_fail (label < FIDAC_LABEL_MAX_CLASSES, 0);

  for (gint k = 0; k < map->dims[2]; k++)
    total += map->counts[(gsize) k * FIDAC_LABEL_MAX_CLASSES + label];
  return total;
}

gboolean
fidac_label_map_get_dirty (const FidacLabelMap *map,
                           gint                *k0,
                           gint                *k1)
{
  gint first = -1, last = -1;

  g_return_val_if_fail (map != NULL, FALSE);

  for (gint k = 0; k < map->dims[2]; k++)
    if (map->dirty[k])
      {
        if (first < 0)
          first = k;
        last = k;
      }
  if (k0 != NULL)
    *k0 = first;
  if (k1 != NULL)
    *k1 = last;
  return first >= 0;
}

void
fidac_label_map_clear_dirty (FidacLabelMap *map)
{
  g_return_if_fail (map != NULL);

  memset (map->dirty, 0, map->dims[2]);
}
