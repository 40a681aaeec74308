/* fidac-quantify.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Counting a slice is one pass over its label bytes with the lung bytes beside them. Lesions
 * are sparse: 32 label bytes are tested at once and skipped when all are zero, so a slice
 * with little paint costs about a read of its labels (a 512 × 512 slice in tens of
 * microseconds); a block of one class in one lung is counted at once. Other painted voxels
 * go into 256-entry histograms indexed by (lung << 4) | label, both below 16 by the label
 * map's invariant, with no branch and no call per voxel. Only painted voxels are counted: unpainted lung volume is never needed,
 * since lung volumes come from the lung mask's own per-slice counts.
 *
 * The incremental totals and fidac_quantify() share the slice count and the step from
 * totals to figures, so the two give bit-identical results whenever the quantifier has
 * been told about every change.
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "fidac-quantify.h"

/* Region 0 is outside both lungs, 1..FIDAC_LUNG_N the lungs; class 0 is unused in counts. */
#define N_REGIONS (FIDAC_LUNG_N + 1)
#define N_CLASSES (FIDAC_LESION_N_CLASSES + 1)

G_STATIC_ASSERT (FIDAC_LABEL_MAX_CLASSES <= 16);
G_STATIC_ASSERT (FIDAC_LUNG_N < 16);

typedef struct {
  guint32 n[N_REGIONS][N_CLASSES];
} SliceCounts;

typedef struct {
  guint64 n[N_REGIONS][N_CLASSES];
} Totals;

struct _FidacQuantifier {
  FidacLabelMap *labels;
  FidacLabelMap *lungs;         /* may be NULL */
  gint           dims[3];
  gdouble        voxel_ml;
  SliceCounts   *slices;        /* dims[2] */
  Totals         totals;
};

static gdouble
voxel_ml (const FidacVolume *volume)
{
  return fidac_volume_voxel_mm3 (volume) / 1000.0;
}

static gboolean
check_grid (const FidacVolume    *volume,
            const FidacLabelMap  *map,
            const gchar          *what,
            GError              **error)
{
  if (map->dims[0] == volume->dims[0] && map->dims[1] == volume->dims[1] &&
      map->dims[2] == volume->dims[2])
    return TRUE;
  g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
               /* Translators: the first %s is "label map" or "lung mask". */
               _("The %s (%d × %d × %d) is not on the volume's grid (%d × %d × %d)"),
               what, map->dims[0], map->dims[1], map->dims[2],
               volume->dims[0], volume->dims[1], volume->dims[2]);
  return FALSE;
}

static gboolean
check_lungs (const FidacVolume    *volume,
             const FidacLabelMap  *lungs,
             GError              **error)
{
  if (!check_grid (volume, lungs, _("lung mask"), error))
    return FALSE;
  /* A value that is no lung would be counted nowhere; the map's own counts tell at once. */
  for (gint k = 0; k < lungs->dims[2]; k++)
    for (guint value = FIDAC_LUNG_N + 1; value < FIDAC_LABEL_MAX_CLASSES; value++)
      if (lungs->counts[(gsize) k * FIDAC_LABEL_MAX_CLASSES + value] != 0)
        {
          g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                       _("The lung mask holds the value %u (slice %d), which is not a lung"),
                       value, k);
          return FALSE;
        }
  return TRUE;
}

/* Whether the 32 bytes at `p` all equal p[0]. */
static inline gboolean
uniform32 (const guint8 *p)
{
  guint64 w[4], b = p[0] * G_GUINT64_CONSTANT (0x0101010101010101);

  memcpy (w, p, sizeof w);
  return ((w[0] ^ b) | (w[1] ^ b) | (w[2] ^ b) | (w[3] ^ b)) == 0;
}

static void
count_slice (const FidacLabelMap *labels,
             const FidacLabelMap *lungs,
             gint                 k,
             SliceCounts         *out)
{
  gsize n = (gsize) labels->dims[0] * labels->dims[1];
  const guint8 *lab = labels->labels + n * k;
  const guint8 *lung = lungs != NULL ? lungs->labels + n * k : NULL;
  /* Four histograms taken in turn, so that runs of one value do not wait on the increment
   * before: the loop runs at the speed of the loads, not of one counter. */
  guint32 hist[4][256];
  gsize i = 0;

  memset (hist, 0, sizeof hist);
  for (; i + 32 <= n; i += 32)
    {
      guint64 w[4];

      memcpy (w, lab + i, sizeof w);
      if (G_LIKELY ((w[0] | w[1] | w[2] | w[3]) == 0))
        continue;
      /* Inside painted areas a whole block is often one class in one lung. */
      if (uniform32 (lab + i) && (lung == NULL || uniform32 (lung + i)))
        {
          hist[0][((lung != NULL ? lung[i] & 15u : 0) << 4) | (lab[i] & 15u)] += 32;
          continue;
        }
      if (lung != NULL)
        for (gsize j = i; j < i + 32; j += 4)
          {
            hist[0][((lung[j] & 15u) << 4) | (lab[j] & 15u)]++;
            hist[1][((lung[j + 1] & 15u) << 4) | (lab[j + 1] & 15u)]++;
            hist[2][((lung[j + 2] & 15u) << 4) | (lab[j + 2] & 15u)]++;
            hist[3][((lung[j + 3] & 15u) << 4) | (lab[j + 3] & 15u)]++;
          }
      else
        for (gsize j = i; j < i + 32; j += 4)
          {
            hist[0][lab[j] & 15u]++;
            hist[1][lab[j + 1] & 15u]++;
            hist[2][lab[j + 2] & 15u]++;
            hist[3][lab[j + 3] & 15u]++;
          }
    }
  for (; i < n; i++)
    hist[0][((lung != NULL ? lung[i] & 15u : 0) << 4) | (lab[i] & 15u)]++;

  /* Lung values above FIDAC_LUNG_N were refused when the mask was set; label values above
   * the catalog are no lesion class and are not counted. */
  memset (out, 0, sizeof *out);
  for (guint r = 0; r < N_REGIONS; r++)
    for (guint c = 1; c < N_CLASSES; c++)
      {
        guint index = (r << 4) | c;

        out->n[r][c] = hist[0][index] + hist[1][index] + hist[2][index] + hist[3][index];
      }
}

static void
totals_add (Totals            *totals,
            const SliceCounts *slice,
            gint               sign)
{
  for (guint r = 0; r < N_REGIONS; r++)
    for (guint c = 1; c < N_CLASSES; c++)
      {
        if (sign > 0)
          totals->n[r][c] += slice->n[r][c];
        else
          totals->n[r][c] -= slice->n[r][c];
      }
}

static void
fill_result (const Totals        *totals,
             const FidacLabelMap *lungs,
             gdouble              ml,
             FidacQuantResult    *result)
{
  memset (result, 0, sizeof *result);
  result->has_lungs = lungs != NULL;
  result->voxel_ml = ml;

  if (lungs != NULL)
    for (guint l = 1; l <= FIDAC_LUNG_N; l++)
      {
        result->lung_voxels[l] = fidac_label_map_count (lungs, l);
        result->lung_voxels[0] += result->lung_voxels[l];
      }

  for (guint c = 1; c < N_CLASSES; c++)
    {
      for (guint r = 0; r < N_REGIONS; r++)
        result->lesion_voxels[c] += totals->n[r][c];
      result->lesion_voxels[0] += result->lesion_voxels[c];
      if (lungs != NULL)
        for (guint l = 1; l <= FIDAC_LUNG_N; l++)
          {
            result->in_lung_voxels[l][c] = totals->n[l][c];
            result->in_lung_voxels[l][0] += totals->n[l][c];
            result->in_lung_voxels[0][c] += totals->n[l][c];
            result->in_lung_voxels[0][0] += totals->n[l][c];
          }
    }

  for (guint l = 0; l <= FIDAC_LUNG_N; l++)
    {
      result->lung_ml[l] = result->lung_voxels[l] * ml;
      for (guint c = 0; c < N_CLASSES; c++)
        {
          result->in_lung_ml[l][c] = result->in_lung_voxels[l][c] * ml;
          result->involvement[l][c] = result->lung_voxels[l] > 0
            ? 100.0 * result->in_lung_voxels[l][c] / result->lung_voxels[l]
            : 0;
        }
    }
  for (guint c = 0; c < N_CLASSES; c++)
    result->lesion_ml[c] = result->lesion_voxels[c] * ml;
}

/* ---------------------------------------------------------------------------------------- */

static void
recount (FidacQuantifier *self)
{
  memset (&self->totals, 0, sizeof self->totals);
  for (gint k = 0; k < self->dims[2]; k++)
    {
      count_slice (self->labels, self->lungs, k, &self->slices[k]);
      totals_add (&self->totals, &self->slices[k], +1);
    }
}

FidacQuantifier *
fidac_quantifier_new (const FidacVolume  *volume,
                      FidacLabelMap      *labels,
                      FidacLabelMap      *lungs,
                      GError            **error)
{
  FidacQuantifier *self;

  g_return_val_if_fail (volume != NULL, NULL);
  g_return_val_if_fail (labels != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_grid (volume, labels, _("label map"), error))
    return NULL;
  if (lungs != NULL && !check_lungs (volume, lungs, error))
    return NULL;

  self = g_new0 (FidacQuantifier, 1);
  self->labels = fidac_label_map_ref (labels);
  self->lungs = lungs != NULL ? fidac_label_map_ref (lungs) : NULL;
  memcpy (self->dims, volume->dims, sizeof self->dims);
  self->voxel_ml = voxel_ml (volume);
  self->slices = g_new0 (SliceCounts, self->dims[2]);
  recount (self);
  return self;
}

void
fidac_quantifier_free (FidacQuantifier *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->labels, fidac_label_map_unref);
  g_clear_pointer (&self->lungs, fidac_label_map_unref);
  g_free (self->slices);
  g_free (self);
}

gboolean
fidac_quantifier_set_lungs (FidacQuantifier  *self,
                            FidacLabelMap    *lungs,
                            GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (lungs != NULL)
    {
      /* check_lungs() wants a volume only for its grid. */
      FidacVolume grid = { { self->dims[0], self->dims[1], self->dims[2] } };

      if (!check_lungs (&grid, lungs, error))
        return FALSE;
      fidac_label_map_ref (lungs);
    }
  g_clear_pointer (&self->lungs, fidac_label_map_unref);
  self->lungs = lungs;
  recount (self);
  return TRUE;
}

FidacLabelMap *
fidac_quantifier_get_lungs (FidacQuantifier *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->lungs;
}

void
fidac_quantifier_update (FidacQuantifier *self,
                         gint             k0,
                         gint             k1)
{
  g_return_if_fail (self != NULL);

  k0 = MAX (k0, 0);
  k1 = MIN (k1, self->dims[2] - 1);
  for (gint k = k0; k <= k1; k++)
    {
      SliceCounts fresh;

      count_slice (self->labels, self->lungs, k, &fresh);
      /* Unsigned arithmetic: the old counts are part of the totals, so this never wraps
       * below zero once both steps are done. */
      totals_add (&self->totals, &self->slices[k], -1);
      totals_add (&self->totals, &fresh, +1);
      self->slices[k] = fresh;
    }
}

void
fidac_quantifier_get_result (FidacQuantifier  *self,
                             FidacQuantResult *result)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (result != NULL);

  fill_result (&self->totals, self->lungs, self->voxel_ml, result);
}

gboolean
fidac_quantify (const FidacVolume    *volume,
                const FidacLabelMap  *labels,
                const FidacLabelMap  *lungs,
                FidacQuantResult     *result,
                GError              **error)
{
  Totals totals = { { { 0 } } };

  g_return_val_if_fail (volume != NULL, FALSE);
  g_return_val_if_fail (labels != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_grid (volume, labels, _("label map"), error))
    return FALSE;
  if (lungs != NULL && !check_lungs (volume, lungs, error))
    return FALSE;

  for (gint k = 0; k < volume->dims[2]; k++)
    {
      SliceCounts slice;

      count_slice (labels, lungs, k, &slice);
      totals_add (&totals, &slice, +1);
    }
  fill_result (&totals, lungs, voxel_ml (volume), result);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */

typedef struct {
  guint64 count;
  gint    k;
} SliceScore;

static gint
compare_scores (gconstpointer a,
                gconstpointer b)
{
  const SliceScore *x = a, *y = b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return (x->k > y->k) - (x->k < y->k);
}

guint
fidac_quantify_key_slices (const FidacVolume   *volume,
                           const FidacLabelMap *labels,
                           const FidacLabelMap *lungs,
                           gdouble              min_gap_mm,
                           guint                n,
                           gint                *slices)
{
  g_autofree SliceScore *scores = NULL;
  guint found = 0;
  gint n_slices;

  g_return_val_if_fail (volume != NULL, 0);
  g_return_val_if_fail (labels != NULL, 0);
  g_return_val_if_fail (n == 0 || slices != NULL, 0);
  g_return_val_if_fail (!isnan (min_gap_mm), 0);
  g_return_val_if_fail (check_grid (volume, labels, "label map", NULL), 0);
  g_return_val_if_fail (lungs == NULL || check_lungs (volume, lungs, NULL), 0);

  n_slices = volume->dims[2];
  scores = g_new (SliceScore, n_slices);
  for (gint k = 0; k < n_slices; k++)
    {
      SliceCounts counts;

      /* Without a lung mask everything painted counts: the report still gets the levels
       * the expert drew the most on. */
      count_slice (labels, lungs, k, &counts);
      scores[k].k = k;
      scores[k].count = 0;
      for (guint r = lungs != NULL ? 1 : 0; r < N_REGIONS; r++)
        for (guint c = 1; c < N_CLASSES; c++)
          scores[k].count += counts.n[r][c];
    }
  qsort (scores, n_slices, sizeof *scores, compare_scores);

  for (gint s = 0; s < n_slices && found < n && scores[s].count > 0; s++)
    {
      gboolean apart = TRUE;

      /* 1e-6 mm of slack: a gap of exactly min_gap_mm must not fail by rounding. */
      for (guint f = 0; f < found && apart; f++)
        apart = abs (scores[s].k - slices[f]) * volume->spacing[2] >= min_gap_mm - 1e-6;
      if (apart)
        slices[found++] = scores[s].k;
    }
  return found;
}
