/* fidac-test-support.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "fidac-fs.h"
#include "fidac-test-support.h"

gchar *
fidac_test_shared_ct (const gchar *name)
{
  const gchar *root = g_getenv ("FIDAC_SHARED_DATA");
  g_autofree gchar *path = NULL;

  if (root == NULL)
    root = "../shared/data";
  path = g_build_filename (root, "ct", name, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree gchar *msg = g_strdup_printf ("shared data %s is not present: skipped", path);
      g_test_skip (msg);
      return NULL;
    }
  return g_steal_pointer (&path);
}

gchar *
fidac_test_mkdtemp (void)
{
  g_autoptr(GError) error = NULL;
  gchar *dir = g_dir_make_tmp ("fidac-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
fidac_test_rmtree (const gchar *path)
{
  fidac_fs_remove_tree (path);
}

guint
fidac_test_count_entries (const gchar *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (d);
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

gboolean
fidac_test_warnings_contain (GPtrArray   *warnings,
                             const gchar *a,
                             const gchar *b)
{
  for (guint w = 0; w < warnings->len; w++)
    {
      const gchar *text = g_ptr_array_index (warnings, w);

      if (strstr (text, a) != NULL && (b == NULL || strstr (text, b) != NULL))
        return TRUE;
    }
  return FALSE;
}

void
fidac_test_assert_in_report (const gchar *text,
                             const gchar *wanted)
{
  if (strstr (text, wanted) == NULL)
    g_error ("“%s” is not in the report's text:\n%s", wanted, text);
}

FidacLabelMap *
fidac_test_label_map_new (const FidacVolume *volume)
{
  g_autoptr(GError) error = NULL;
  FidacLabelMap *map = fidac_label_map_new (volume, &error);

  g_assert_no_error (error);
  return map;
}

void
fidac_test_assert_label_counts (const FidacLabelMap *map)
{
  gsize slice = (gsize) map->dims[0] * map->dims[1];

  for (gint k = 0; k < map->dims[2]; k++)
    {
      guint32 expected[FIDAC_LABEL_MAX_CLASSES] = { 0 };

      for (gsize n = 0; n < slice; n++)
        expected[map->labels[slice * k + n]]++;
      for (guint c = 0; c < FIDAC_LABEL_MAX_CLASSES; c++)
        g_assert_cmpuint (fidac_label_map_slice_count (map, k, c), ==, expected[c]);
    }
}
