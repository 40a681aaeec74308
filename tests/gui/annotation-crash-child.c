/* annotation-crash-child.c: paints through FidacAnnotation, the GUI's annotation session,
 * committing every step on release to a store, until it is killed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: annotation-crash-child DATABASE FIRST-STEP
 * Opens the store as the window does (fidac_annotation_set_store(), then
 * fidac_annotation_load_stored() for the reader), prints "ready", then for each step s from
 * FIRST-STEP on makes step s (annotation-crash-steps.h) and, once the release has returned,
 * prints "released s". Every line is flushed before the next step starts. A commit that
 * fails ends the child with status 1: the test must not read it as a kill.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "annotation-crash-steps.h"

static int
fail (const GError *error)
{
  fprintf (stderr, "annotation-crash-child: %s\n", error->message);
  return 1;
}

static void
save_failed_cb (FidacAnnotation *annotation,
                const gchar     *message,
                gpointer         data)
{
  fprintf (stderr, "annotation-crash-child: commit failed: %s\n", message);
  fflush (stderr);
  _exit (1);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacVolume) volume = NULL;
  g_autoptr(FidacAnnotation) annotation = NULL;
  FidacStore *store;
  guint first;

  if (argc != 3)
    {
      fprintf (stderr, "usage: annotation-crash-child DATABASE FIRST-STEP\n");
      return 2;
    }
  first = (guint) g_ascii_strtoull (argv[2], NULL, 10);

  volume = crash_volume (&error);
  if (volume == NULL)
    return fail (error);
  annotation = fidac_annotation_new ();
  g_signal_connect (annotation, "save-failed", G_CALLBACK (save_failed_cb), NULL);
  if (!fidac_annotation_set_volume (annotation, volume, &error))
    return fail (error);
  store = fidac_store_open (argv[1], &error);
  if (store == NULL)
    return fail (error);
  fidac_annotation_set_store (annotation, store);
  if (!fidac_annotation_load_stored (annotation, &crash_reader, &error))
    return fail (error);

  printf ("ready\n");
  fflush (stdout);
  for (guint s = first; s < first + 1000000; s++)
    {
      CrashStepKind kind;

      if (!crash_step (annotation, s, &kind, &error))
        return fail (error);
      printf ("released %u\n", s);
      fflush (stdout);
    }
  return 0;
}
