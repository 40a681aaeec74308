/* report-helper.c: what tests/cli/test-quantify-report.py cannot do from Python.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage:
 *   report-helper truth SERIES-PATH
 *     loads a phantom series and prints, from the phantom's ground truth on its grid
 *     (fidac_phantom_fill_lung_labels(), fill_lesion_labels()), "lung LUNG VOXELS" for
 *     lungs 1 (right) and 2 (left), "lesion LUNG CLASS VOXELS" for every lung and class
 *     (lung 0: outside both), and "voxel_mm3 VALUE".
 *   report-helper scores DATABASE ANNOTATION-ID
 *     saves known scores for the annotation: lobes 3 1 4 2 3 (total 13), extent moderate,
 *     CO-RADS 5, RSNA typical, ground glass, peripheral, bilateral, pleural effusion.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fidac-dicom.h"
#include "fidac-lesion.h"
#include "fidac-lungs.h"
#include "fidac-phantom.h"
#include "fidac-scores.h"
#include "fidac-store.h"

static int
fail (const GError *error)
{
  fprintf (stderr, "report-helper: %s\n", error->message);
  return 1;
}

static int
truth (const gchar *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacScan) scan = NULL;
  g_autoptr(FidacVolume) volume = NULL;
  g_autofree guint8 *lungs = NULL;
  g_autofree guint8 *lesions = NULL;
  const FidacSeriesInfo *info;
  guint64 lung[FIDAC_LUNG_N + 1] = { 0 };
  guint64 lesion[FIDAC_LUNG_N + 1][FIDAC_LESION_N_CLASSES + 1] = { { 0 } };
  gdouble cross[3];
  gsize n;

  scan = fidac_dicom_scan (path, NULL, NULL, NULL, &error);
  if (scan == NULL)
    return fail (error);
  info = fidac_scan_pick (scan, NULL, &error);
  if (info == NULL)
    return fail (error);
  volume = fidac_dicom_load_series (info, NULL, NULL, NULL, &error);
  if (volume == NULL)
    return fail (error);
  n = fidac_volume_n_voxels (volume);
  lungs = g_malloc (n);
  lesions = g_malloc (n);
  if (!fidac_phantom_fill_lung_labels (volume, lungs, n, &error) ||
      !fidac_phantom_fill_lesion_labels (volume, lesions, n, &error))
    return fail (error);
  for (gsize v = 0; v < n; v++)
    {
      if (lungs[v] > FIDAC_LUNG_N || lesions[v] > FIDAC_LESION_N_CLASSES)
        {
          fprintf (stderr, "report-helper: unexpected label\n");
          return 1;
        }
      lung[lungs[v]]++;
      lesion[lungs[v]][lesions[v]]++;
    }
  for (guint l = 1; l <= FIDAC_LUNG_N; l++)
    printf ("lung %u %" G_GUINT64_FORMAT "\n", l, lung[l]);
  for (guint l = 0; l <= FIDAC_LUNG_N; l++)
    for (guint c = 1; c <= FIDAC_LESION_N_CLASSES; c++)
      printf ("lesion %u %u %" G_GUINT64_FORMAT "\n", l, c, lesion[l][c]);
  /* The voxel of the possibly sheared grid: |det| of its three steps. */
  {
    gdouble a[3], b[3];

    for (gint i = 0; i < 3; i++)
      {
        a[i] = volume->axis[0][i] * volume->spacing[0];
        b[i] = volume->axis[1][i] * volume->spacing[1];
      }
    fidac_vec3_cross (a, b, cross);
    for (gint i = 0; i < 3; i++)
      a[i] = volume->axis[2][i] * volume->spacing[2];
    printf ("voxel_mm3 %.17g\n", fabs (fidac_vec3_dot (cross, a)));
  }
  return 0;
}

static int
scores (const gchar *database,
        const gchar *id_text)
{
  static const gint lobes[FIDAC_N_LOBES] = { 3, 1, 4, 2, 3 };
  g_autoptr(GError) error = NULL;
  g_autoptr(FidacStore) store = NULL;
  g_autofree gchar *text = NULL;
  FidacScores s;
  gint64 id = 0;

  if (!g_ascii_string_to_signed (id_text, 10, 1, G_MAXINT64, &id, &error))
    return fail (error);
  store = fidac_store_open (database, &error);
  if (store == NULL)
    return fail (error);
  fidac_scores_init (&s);
  memcpy (s.lobes, lobes, sizeof lobes);
  s.extent = FIDAC_EXTENT_MODERATE;
  s.corads = 5;
  s.rsna = FIDAC_RSNA_TYPICAL;
  s.pattern = FIDAC_PATTERN_GROUND_GLASS;
  s.axial = FIDAC_AXIAL_PERIPHERAL;
  s.side = FIDAC_SIDE_BILATERAL;
  s.findings = FIDAC_FINDING_PLEURAL_EFFUSION;
  s.comment = g_strdup ("Aspect typique de pneumonie à SARS-CoV-2.");
  text = fidac_scores_serialize (&s);
  fidac_scores_clear (&s);
  if (!fidac_store_set_scores (store, id, text, &error))
    return fail (error);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "truth"))
    return truth (argv[2]);
  if (argc == 4 && g_str_equal (argv[1], "scores"))
    return scores (argv[2], argv[3]);
  fprintf (stderr, "usage: report-helper truth SERIES-PATH | scores DATABASE ANNOTATION-ID\n");
  return 2;
}
