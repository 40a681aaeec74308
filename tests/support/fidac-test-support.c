/* fidac-test-support.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

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

static void
rmtree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFileInfo *info;

      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

          rmtree (child);
          g_object_unref (info);
        }
    }
  g_file_delete (file, NULL, NULL);
}

void
fidac_test_rmtree (const gchar *path)
{
  g_autoptr(GFile) file = NULL;

  if (path == NULL)
    return;
  file = g_file_new_for_path (path);
  rmtree (file);
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
