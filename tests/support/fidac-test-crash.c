/* fidac-test-crash.c: running a child process and killing it (see fidac-test-crash.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fidac-test-crash.h"

typedef struct {
  GString  *out;
  gboolean  eof;
} ChildOutput;

/* Reads what the child wrote, waiting at most until `deadline` (monotonic µs; 0: EOF). */
static void
read_child (gint         fd,
            ChildOutput *output,
            gint64       deadline)
{
  while (!output->eof)
    {
      struct pollfd p = { fd, POLLIN, 0 };
      gint timeout = -1;
      gchar buffer[4096];
      gssize n;

      if (deadline > 0)
        {
          gint64 left = deadline - g_get_monotonic_time ();

          if (left <= 0)
            return;
          timeout = (gint) MAX (left / 1000, 1);
        }
      if (poll (&p, 1, timeout) < 0)
        {
          g_assert_cmpint (errno, ==, EINTR);
          continue;
        }
      if (p.revents == 0)
        continue;
      n = read (fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >=, 0);
      if (n == 0)
        output->eof = TRUE;
      else
        g_string_append_len (output->out, buffer, n);
    }
}

GString *
fidac_test_kill_child (const gchar * const *argv,
                       gint64               delay)
{
  g_autoptr(GString) out = g_string_new (NULL);
  ChildOutput output = { out, FALSE };
  g_autoptr(GError) error = NULL;
  GPid pid;
  gint fd;
  gint status;

  g_spawn_async_with_pipes (NULL, (gchar **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                            NULL, NULL, &pid, NULL, &fd, NULL, &error);
  g_assert_no_error (error);
  if (delay > 0)
    {
      while (!output.eof && strstr (out->str, "ready\n") == NULL)
        read_child (fd, &output, g_get_monotonic_time () + 10000);
      read_child (fd, &output, g_get_monotonic_time () + delay);
    }
  /* EOF here: the child failed (its message is on stderr). */
  g_assert_false (output.eof);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  read_child (fd, &output, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
  g_spawn_close_pid (pid);
  close (fd);
  return g_steal_pointer (&out);
}
