/* fidac-fs.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include "fidac-fs.h"

static gboolean
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  gboolean ok = TRUE;

  if (children != NULL)
    {
      GFileInfo *info;

      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

          ok = remove_tree (child) && ok;
          g_object_unref (info);
        }
    }
  return g_file_delete (file, NULL, NULL) && ok;
}

gboolean
fidac_fs_remove_tree (const gchar *path)
{
  g_autoptr(GFile) file = NULL;

  if (path == NULL)
    return TRUE;
  file = g_file_new_for_path (path);
  return remove_tree (file);
}
