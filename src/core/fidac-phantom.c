/* fidac-phantom.c: the synthetic chest phantom.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every structure is a closed analytic shape in patient LPS millimetres (ellipses,
 * superellipsoids, capsules, spheres) and a point gets the tissue of the first shape
 * that holds it, in a fixed order. Nothing depends on the grid, which is what lets
 * tests compare grids and know lesion volumes exactly.
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "fidac-phantom.h"

/* Body cross-section: an ellipse, with concentric bands inwards. */
#define BODY_A            165.0
#define BODY_B            125.0
#define SKIN_MM             2.0
#define FAT_INNER_MM       16.0  /* skin + 14 mm of subcutaneous fat */
#define RIB_OUTER_MM       19.0
#define RIB_INNER_MM       27.0
#define CAVITY_MM          30.0  /* the thoracic cavity starts 30 mm under the skin */

/* Ribs descend anteriorly: a rib's height grows by RIB_SLOPE mm per mm towards the back. */
#define RIB_SLOPE           0.6
#define RIB_PERIOD         26.0
#define RIB_THICK           9.0
#define RIB_Z0           -150.0
#define RIB_COUNT          12
#define COSTAL_GAP_X       22.0  /* costal cartilage: no bone near the anterior midline */
#define STERNUM_HALF_X     14.0
#define STERNUM_Z_MIN     -70.0
#define STERNUM_Z_MAX     120.0

/* Spine: vertebral bodies with discs, a neural arch around the canal. */
#define VERTEBRA_Y         68.0
#define VERTEBRA_R         19.0
#define VERTEBRA_PERIOD    28.0
#define DISC_THICK          6.0
#define CANAL_Y            95.0
#define CANAL_R             8.0
#define ARCH_R             13.0


#define HEART_C { 18.0, -35.0, -45.0 }
#define HEART_R { 62.0, 52.0, 55.0 }

typedef struct {
  gdouble center[3];
  gdouble half[3];              /* x, y: superellipse p = 3; z: ellipse profile */
  FidacPhantomLung side;
  /* The diaphragm under this lung, a dome: its top at (dome_x, dome_y, dome_top),
   * sinking by dome_depth at dome_rx, dome_ry from there. The lung lies above it. */
  gdouble dome_x, dome_y, dome_top, dome_depth, dome_rx, dome_ry;
} Lung;

/* The right lung is the bigger one, its dome higher over the liver; the heart sits
 * mostly on the left. Both are clipped by the thoracic cavity. */
static const Lung lungs[] = {
  { { -75.0, 5.0, -5.0 }, { 62.0, 95.0, 125.0 }, FIDAC_PHANTOM_LUNG_RIGHT,
    -75.0, 0.0, -65.0, 55.0, 70.0, 100.0 },
  { {  78.0, 5.0, -8.0 }, { 57.0, 92.0, 122.0 }, FIDAC_PHANTOM_LUNG_LEFT,
    78.0, 0.0, -75.0, 55.0, 65.0, 100.0 },
};

typedef enum {
  TUBE_AIRWAY,
  TUBE_VESSEL,
  TUBE_OESOPHAGUS,
} TubeKind;

typedef struct {
  gdouble  p0[3];
  gdouble  p1[3];
  gdouble  radius;              /* lumen for airways */
  gdouble  wall;                /* airway wall thickness, 0 otherwise */
  TubeKind kind;
  gboolean mediastinal;         /* excluded from the lung region */
} Tube;

static const Tube tubes[] = {
  /* Trachea down to the carina at (0, 20, 40), main and lobar bronchi. */
  { { 0, 12, 400 }, { 0, 20, 40 }, 8.5, 2.0, TUBE_AIRWAY, TRUE },
  { { 0, 20, 40 }, { -38, 24, 20 }, 6.5, 1.5, TUBE_AIRWAY, TRUE },
  { { 0, 20, 40 }, { 40, 26, 12 }, 5.5, 1.5, TUBE_AIRWAY, TRUE },
  { { -38, 24, 20 }, { -62, 22, 48 }, 3.5, 1.2, TUBE_AIRWAY, FALSE },
  { { -38, 24, 20 }, { -50, 28, -10 }, 5.0, 1.2, TUBE_AIRWAY, FALSE },
  { { -50, 28, -10 }, { -70, 42, -55 }, 4.0, 1.2, TUBE_AIRWAY, FALSE },
  { { -50, 28, -10 }, { -72, -15, -20 }, 3.0, 1.0, TUBE_AIRWAY, FALSE },
  { { 40, 26, 12 }, { 60, 10, 45 }, 4.0, 1.2, TUBE_AIRWAY, FALSE },
  { { 40, 26, 12 }, { 66, 40, -45 }, 4.0, 1.2, TUBE_AIRWAY, FALSE },

  /* Aorta: ascending from the heart, arch, descending. */
  { { 8, -28, -10 }, { 8, -28, 60 }, 14.0, 0, TUBE_VESSEL, TRUE },
  { { 8, -28, 60 }, { 10, -15, 78 }, 13.0, 0, TUBE_VESSEL, TRUE },
  { { 10, -15, 78 }, { 15, 10, 86 }, 12.0, 0, TUBE_VESSEL, TRUE },
  { { 15, 10, 86 }, { 20, 35, 78 }, 12.0, 0, TUBE_VESSEL, TRUE },
  { { 20, 35, 78 }, { 22, 48, 60 }, 12.0, 0, TUBE_VESSEL, TRUE },
  { { 22, 48, 60 }, { 20, 45, -200 }, 11.0, 0, TUBE_VESSEL, TRUE },
  /* Superior vena cava. */
  { { -25, -20, 140 }, { -25, -20, 5 }, 10.0, 0, TUBE_VESSEL, TRUE },
  /* Pulmonary trunk and arteries, then branches into each lung. */
  { { 12, -42, -5 }, { 10, -20, 35 }, 13.0, 0, TUBE_VESSEL, TRUE },
  { { 10, -20, 35 }, { -42, 8, 25 }, 10.0, 0, TUBE_VESSEL, TRUE },
  { { 10, -20, 35 }, { 42, 12, 30 }, 10.0, 0, TUBE_VESSEL, TRUE },
  { { -42, 8, 25 }, { -80, 5, 75 }, 5.5, 0, TUBE_VESSEL, FALSE },
  { { -80, 5, 75 }, { -98, -18, 92 }, 3.0, 0, TUBE_VESSEL, FALSE },
  { { -42, 8, 25 }, { -85, 15, -15 }, 5.0, 0, TUBE_VESSEL, FALSE },
  { { -85, 15, -15 }, { -108, 0, -42 }, 3.0, 0, TUBE_VESSEL, FALSE },
  { { -42, 8, 25 }, { -68, 45, -65 }, 6.0, 0, TUBE_VESSEL, FALSE },
  { { 42, 12, 30 }, { 78, 0, 75 }, 5.0, 0, TUBE_VESSEL, FALSE },
  { { 42, 12, 30 }, { 72, 45, -55 }, 6.0, 0, TUBE_VESSEL, FALSE },
  { { 42, 12, 30 }, { 88, -15, 0 }, 4.5, 0, TUBE_VESSEL, FALSE },
  /* Pulmonary veins into the left atrium. */
  { { -70, 20, -30 }, { 0, 5, -30 }, 6.0, 0, TUBE_VESSEL, FALSE },
  { { -65, 0, 20 }, { 0, 0, -10 }, 6.0, 0, TUBE_VESSEL, FALSE },
  { { 65, 25, -25 }, { 30, 5, -30 }, 6.0, 0, TUBE_VESSEL, FALSE },
  { { 62, 5, 25 }, { 30, 0, -5 }, 6.0, 0, TUBE_VESSEL, FALSE },

  { { 4, 38, 400 }, { 10, 35, -200 }, 7.0, 0, TUBE_OESOPHAGUS, TRUE },
};

/* Peripheral, as in COVID-19 pneumonia, and each more than 4 mm away from anything that
 * is not lung parenchyma (test-phantom checks it), so their voxel volumes are exact. */
static const FidacPhantomLesion lesions[] = {
  { FIDAC_PHANTOM_LESION_GROUND_GLASS,  { -112.0, -20.0,  50.0 }, 12.0, -550, FIDAC_PHANTOM_LUNG_RIGHT },
  { FIDAC_PHANTOM_LESION_GROUND_GLASS,  {  -84.0,  52.0, -37.0 }, 14.0, -550, FIDAC_PHANTOM_LUNG_RIGHT },
  { FIDAC_PHANTOM_LESION_CONSOLIDATION, { -117.0,  20.0, -30.0 },  9.0,   30, FIDAC_PHANTOM_LUNG_RIGHT },
  { FIDAC_PHANTOM_LESION_GROUND_GLASS,  {   89.0,  50.0, -30.0 }, 13.0, -550, FIDAC_PHANTOM_LUNG_LEFT },
  { FIDAC_PHANTOM_LESION_GROUND_GLASS,  {   87.0, -55.0,  50.0 }, 10.0, -550, FIDAC_PHANTOM_LUNG_LEFT },
  { FIDAC_PHANTOM_LESION_CONSOLIDATION, {  119.0,  10.0,  10.0 },  9.0,   30, FIDAC_PHANTOM_LUNG_LEFT },
};

static const gint16 tissue_hu[FIDAC_PHANTOM_N_TISSUES] = {
  [FIDAC_PHANTOM_TISSUE_AIR] = -1000,
  [FIDAC_PHANTOM_TISSUE_SKIN] = 45,
  [FIDAC_PHANTOM_TISSUE_FAT] = -100,
  [FIDAC_PHANTOM_TISSUE_MUSCLE] = 50,
  [FIDAC_PHANTOM_TISSUE_RIB] = 650,
  [FIDAC_PHANTOM_TISSUE_VERTEBRA] = 450,
  [FIDAC_PHANTOM_TISSUE_DISC] = 80,
  [FIDAC_PHANTOM_TISSUE_MEDIASTINAL_FAT] = -90,
  [FIDAC_PHANTOM_TISSUE_SOFT_TISSUE] = 40,
  [FIDAC_PHANTOM_TISSUE_LIVER] = 60,
  [FIDAC_PHANTOM_TISSUE_HEART] = 40,
  [FIDAC_PHANTOM_TISSUE_VESSEL] = 40,
  [FIDAC_PHANTOM_TISSUE_AIRWAY_WALL] = 70,
  [FIDAC_PHANTOM_TISSUE_AIRWAY] = -1000,
  [FIDAC_PHANTOM_TISSUE_LUNG] = -850,
  [FIDAC_PHANTOM_TISSUE_GROUND_GLASS] = -550,
  [FIDAC_PHANTOM_TISSUE_CONSOLIDATION] = 30,
};

/* Derived once: bounding boxes let most points skip most tubes. */
typedef struct {
  gdouble d[3];
  gdouble len2;
  gdouble lo[3], hi[3];
} TubeCache;

static TubeCache tube_cache[G_N_ELEMENTS (tubes)];

static void
tube_cache_init (void)
{
  static gsize once = 0;

  if (!g_once_init_enter (&once))
    return;
  for (guint t = 0; t < G_N_ELEMENTS (tubes); t++)
    {
      const Tube *tube = &tubes[t];
      TubeCache *c = &tube_cache[t];
      gdouble reach = tube->radius + tube->wall;

      for (guint a = 0; a < 3; a++)
        {
          c->d[a] = tube->p1[a] - tube->p0[a];
          c->lo[a] = MIN (tube->p0[a], tube->p1[a]) - reach;
          c->hi[a] = MAX (tube->p0[a], tube->p1[a]) + reach;
        }
      c->len2 = fidac_vec3_dot (c->d, c->d);
    }
  g_once_init_leave (&once, 1);
}

static inline gboolean
in_ellipse (gdouble x, gdouble y, gdouble a, gdouble b)
{
  return (x * x) / (a * a) + (y * y) / (b * b) <= 1.0;
}

static inline gboolean
in_body_band (gdouble x, gdouble y, gdouble inset)
{
  return in_ellipse (x, y, BODY_A - inset, BODY_B - inset);
}

/* Squared distance from p to the axis segment of tube t, or G_MAXDOUBLE when p is
 * outside the tube's bounding box. */
static inline gdouble
tube_distance2 (guint t, const gdouble p[3])
{
  const Tube *tube = &tubes[t];
  const TubeCache *c = &tube_cache[t];
  gdouble v[3], s, d2 = 0;

  for (guint a = 0; a < 3; a++)
    if (p[a] < c->lo[a] || p[a] > c->hi[a])
      return G_MAXDOUBLE;
  for (guint a = 0; a < 3; a++)
    v[a] = p[a] - tube->p0[a];
  s = CLAMP (fidac_vec3_dot (v, c->d) / c->len2, 0.0, 1.0);
  for (guint a = 0; a < 3; a++)
    {
      gdouble e = v[a] - s * c->d[a];
      d2 += e * e;
    }
  return d2;
}

static inline gboolean
in_heart (const gdouble p[3])
{
  static const gdouble c[3] = HEART_C, r[3] = HEART_R;
  gdouble s = 0;

  for (guint a = 0; a < 3; a++)
    {
      gdouble u = (p[a] - c[a]) / r[a];
      s += u * u;
    }
  return s <= 1.0;
}

static inline gboolean
below_dome (const Lung   *lung,
            const gdouble p[3])
{
  gdouble u = (p[0] - lung->dome_x) / lung->dome_rx;
  gdouble v = (p[1] - lung->dome_y) / lung->dome_ry;

  return p[2] < lung->dome_top - lung->dome_depth * (u * u + v * v);
}

static FidacPhantomLung
lung_shape_at (const gdouble p[3])
{
  for (guint l = 0; l < G_N_ELEMENTS (lungs); l++)
    {
      const Lung *lung = &lungs[l];
      gdouble dx = fabs (p[0] - lung->center[0]) / lung->half[0];
      gdouble dy = fabs (p[1] - lung->center[1]) / lung->half[1];
      gdouble dz = (p[2] - lung->center[2]) / lung->half[2];
      gdouble w = 1.0 - dz * dz;

      if (w <= 0 || dx > 1 || dy > 1 || below_dome (lung, p))
        continue;
      /* ((dx^3 + dy^3)^(2/3) + dz^2 <= 1) without a pow() per voxel. */
      if (dx * dx * dx + dy * dy * dy <= w * sqrt (w))
        return lung->side;
    }
  return FIDAC_PHANTOM_LUNG_NONE;
}

/* The body wall, ribs and spine; N_TISSUES for a point inside the thoracic cavity. */
static FidacPhantomTissue
frame_at (const gdouble p[3])
{
  const gdouble x = p[0], y = p[1], z = p[2];

  if (!in_body_band (x, y, 0))
    return FIDAC_PHANTOM_TISSUE_AIR;
  if (!in_body_band (x, y, SKIN_MM))
    return FIDAC_PHANTOM_TISSUE_SKIN;
  if (!in_body_band (x, y, FAT_INNER_MM))
    return FIDAC_PHANTOM_TISSUE_FAT;

  if (fabs (x) <= ARCH_R + VERTEBRA_R)
    {
      gdouble dy = y - VERTEBRA_Y;

      if (x * x + dy * dy <= VERTEBRA_R * VERTEBRA_R)
        {
          gdouble phase = z - VERTEBRA_PERIOD * floor (z / VERTEBRA_PERIOD);

          return phase < DISC_THICK ? FIDAC_PHANTOM_TISSUE_DISC : FIDAC_PHANTOM_TISSUE_VERTEBRA;
        }
      dy = y - CANAL_Y;
      if (x * x + dy * dy <= CANAL_R * CANAL_R)
        return FIDAC_PHANTOM_TISSUE_SOFT_TISSUE;
      if (x * x + dy * dy <= ARCH_R * ARCH_R)
        return FIDAC_PHANTOM_TISSUE_RIB;
    }

  if (in_body_band (x, y, CAVITY_MM))
    return FIDAC_PHANTOM_N_TISSUES;

  if (y < 0 && fabs (x) <= STERNUM_HALF_X && z >= STERNUM_Z_MIN && z <= STERNUM_Z_MAX)
    return FIDAC_PHANTOM_TISSUE_RIB;
  if (!in_body_band (x, y, RIB_INNER_MM) && in_body_band (x, y, RIB_OUTER_MM) &&
      !(y < 0 && fabs (x) < COSTAL_GAP_X))
    {
      gdouble phase = z - RIB_SLOPE * y - RIB_Z0;
      gdouble n = floor (phase / RIB_PERIOD);

      if (n >= 0 && n < RIB_COUNT && phase - n * RIB_PERIOD < RIB_THICK)
        return FIDAC_PHANTOM_TISSUE_RIB;
    }
  return FIDAC_PHANTOM_TISSUE_MUSCLE;
}

static inline gboolean
in_lesion (guint l, const gdouble p[3])
{
  const FidacPhantomLesion *lesion = &lesions[l];
  gdouble d2 = 0;

  for (guint a = 0; a < 3; a++)
    {
      gdouble u = p[a] - lesion->center[a];

      if (fabs (u) > lesion->radius)
        return FALSE;
      d2 += u * u;
    }
  return d2 <= lesion->radius * lesion->radius;
}

FidacPhantomTissue
fidac_phantom_tissue_at (const gdouble patient[3],
                         gboolean      with_lesions)
{
  FidacPhantomTissue tissue = frame_at (patient);
  gboolean wall = FALSE;

  if (tissue != FIDAC_PHANTOM_N_TISSUES)
    return tissue;

  tube_cache_init ();
  for (guint t = 0; t < G_N_ELEMENTS (tubes); t++)
    {
      const Tube *tube = &tubes[t];
      gdouble d2 = tube_distance2 (t, patient);
      gdouble outer = tube->radius + tube->wall;

      if (d2 > outer * outer)
        continue;
      /* An airway lumen wins over every wall and vessel: bronchi stay open where they
       * branch. */
      if (tube->kind == TUBE_AIRWAY)
        {
          if (d2 <= tube->radius * tube->radius)
            return FIDAC_PHANTOM_TISSUE_AIRWAY;
          wall = TRUE;
        }
      else if (tissue == FIDAC_PHANTOM_N_TISSUES)
        {
          tissue = tube->kind == TUBE_VESSEL ? FIDAC_PHANTOM_TISSUE_VESSEL
                                             : FIDAC_PHANTOM_TISSUE_SOFT_TISSUE;
        }
    }
  if (wall)
    return FIDAC_PHANTOM_TISSUE_AIRWAY_WALL;
  if (tissue != FIDAC_PHANTOM_N_TISSUES)
    return tissue;
  if (in_heart (patient))
    return FIDAC_PHANTOM_TISSUE_HEART;

  if (lung_shape_at (patient) != FIDAC_PHANTOM_LUNG_NONE)
    {
      if (with_lesions)
        for (guint l = 0; l < G_N_ELEMENTS (lesions); l++)
          if (in_lesion (l, patient))
            return lesions[l].lesion_class == FIDAC_PHANTOM_LESION_GROUND_GLASS
                   ? FIDAC_PHANTOM_TISSUE_GROUND_GLASS : FIDAC_PHANTOM_TISSUE_CONSOLIDATION;
      return FIDAC_PHANTOM_TISSUE_LUNG;
    }

  /* Under the domes: the liver on the right, stomach and spleen (plain soft tissue)
   * on the left. */
  if (patient[0] < 10.0 ? below_dome (&lungs[0], patient) : below_dome (&lungs[1], patient))
    return patient[0] < 10.0 ? FIDAC_PHANTOM_TISSUE_LIVER : FIDAC_PHANTOM_TISSUE_SOFT_TISSUE;
  return FIDAC_PHANTOM_TISSUE_MEDIASTINAL_FAT;
}

static FidacPhantomLung
lung_region_at (const gdouble p[3])
{
  if (frame_at (p) != FIDAC_PHANTOM_N_TISSUES || in_heart (p))
    return FIDAC_PHANTOM_LUNG_NONE;

  tube_cache_init ();
  for (guint t = 0; t < G_N_ELEMENTS (tubes); t++)
    {
      gdouble outer = tubes[t].radius + tubes[t].wall;

      if (tubes[t].mediastinal && tube_distance2 (t, p) <= outer * outer)
        return FIDAC_PHANTOM_LUNG_NONE;
    }
  return lung_shape_at (p);
}

gint16
fidac_phantom_tissue_hu (FidacPhantomTissue tissue)
{
  g_return_val_if_fail (tissue < FIDAC_PHANTOM_N_TISSUES, FIDAC_HU_AIR);

  return tissue_hu[tissue];
}

gint16
fidac_phantom_hu_at (const gdouble patient[3])
{
  return tissue_hu[fidac_phantom_tissue_at (patient, TRUE)];
}

/* Slices are independent: spread them over the cores. */
typedef void (*SliceFunc) (const FidacVolume *volume,
                           gint               k,
                           gpointer           data);

typedef struct {
  const FidacVolume *volume;
  SliceFunc          func;
  gpointer           data;
  gint               next;
} SliceJob;

static gpointer
slice_worker (gpointer data)
{
  SliceJob *job = data;
  gint k;

  while ((k = g_atomic_int_add (&job->next, 1)) < job->volume->dims[2])
    job->func (job->volume, k, job->data);
  return NULL;
}

static void
for_each_slice (const FidacVolume *volume,
                SliceFunc          func,
                gpointer           data)
{
  SliceJob job = { volume, func, data, 0 };
  guint n_threads = MIN (MIN ((guint) g_get_num_processors (), 16u), (guint) volume->dims[2]);
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();

  /* A thread that cannot start only means fewer helpers: this one does the rest. */
  for (guint t = 1; t < n_threads; t++)
    {
      GThread *thread = g_thread_try_new ("fidac-phantom", slice_worker, &job, NULL);

      if (thread == NULL)
        break;
      g_ptr_array_add (threads, thread);
    }
  slice_worker (&job);
  for (guint t = 0; t < threads->len; t++)
    g_thread_join (g_ptr_array_index (threads, t));
}

static void
sample_slice (const FidacVolume *volume,
              gint               k,
              gpointer           data)
{
  gboolean with_lesions = GPOINTER_TO_INT (data);
  gint16 *out = fidac_volume_slice (volume, k);

  for (gint j = 0; j < volume->dims[1]; j++)
    for (gint i = 0; i < volume->dims[0]; i++)
      {
        const gdouble v[3] = { i, j, k };
        gdouble p[3];

        /* Through the volume's own matrix, so that a voxel's HU is exactly that of
         * fidac_volume_voxel_to_patient()'s point. */
        fidac_volume_voxel_to_patient (volume, v, p);
        *out++ = tissue_hu[fidac_phantom_tissue_at (p, with_lesions)];
      }
}

static void
lung_labels_slice (const FidacVolume *volume,
                   gint               k,
                   gpointer           data)
{
  guint8 *out = (guint8 *) data + (gsize) k * fidac_volume_slice_voxels (volume);

  for (gint j = 0; j < volume->dims[1]; j++)
    for (gint i = 0; i < volume->dims[0]; i++)
      {
        const gdouble v[3] = { i, j, k };
        gdouble p[3];

        fidac_volume_voxel_to_patient (volume, v, p);
        *out++ = (guint8) lung_region_at (p);
      }
}

void
fidac_phantom_options_init (FidacPhantomOptions *options)
{
  *options = (FidacPhantomOptions) {
    .columns = 256,
    .rows = 256,
    .slices = 120,
    .pixel_spacing = 1.4,
    .slice_spacing = 2.5,
    .feet_first = FALSE,
    .center = { 0, 0, 0 },
    .tilt_degrees = 0,
    .rotation_degrees = 0,
    .rotation_axis = { 0, 0, 1 },
    .lesions = TRUE,
  };
}

/* Rodrigues: v turned by `angle` radians about the unit vector u. */
static void
rotate (const gdouble u[3],
        gdouble       angle,
        gdouble       v[3])
{
  gdouble c = cos (angle), s = sin (angle);
  gdouble cross[3], dot = fidac_vec3_dot (u, v);

  fidac_vec3_cross (u, v, cross);
  for (guint a = 0; a < 3; a++)
    v[a] = v[a] * c + cross[a] * s + u[a] * dot * (1 - c);
}

/* A DICOM UID that only depends on `name`: "2.25." and a name-based (version 5 style,
 * SHA-1) UUID as a decimal integer, as PS3.5 B.2 allows. */
static gchar *
uid_from_name (const gchar *name)
{
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize len = sizeof digest;
  guint32 words[4];
  gchar digits[48];
  guint n = 0;

  g_checksum_update (sha, (const guchar *) "fr.radiologie.Fidac.phantom/", -1);
  g_checksum_update (sha, (const guchar *) name, -1);
  g_checksum_get_digest (sha, digest, &len);
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  for (guint w = 0; w < 4; w++)
    words[w] = (guint32) digest[4 * w] << 24 | (guint32) digest[4 * w + 1] << 16 |
               (guint32) digest[4 * w + 2] << 8 | digest[4 * w + 3];

  /* Long division of the 128-bit big-endian number by 10, one digit at a time. */
  while (words[0] | words[1] | words[2] | words[3])
    {
      guint64 rem = 0;

      for (guint w = 0; w < 4; w++)
        {
          guint64 cur = rem << 32 | words[w];

          words[w] = (guint32) (cur / 10);
          rem = cur % 10;
        }
      digits[n++] = (gchar) ('0' + rem);
    }
  if (n == 0)
    digits[n++] = '0';

  GString *uid = g_string_new ("2.25.");
  while (n > 0)
    g_string_append_c (uid, digits[--n]);
  return g_string_free (uid, FALSE);
}

static gboolean
check_options (const FidacPhantomOptions *o,
               GError                   **error)
{
  if (!(o->pixel_spacing > 0 && o->pixel_spacing <= 50) ||
      !(o->slice_spacing > 0 && o->slice_spacing <= 50))
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Invalid phantom spacing %g mm × %g mm: each must be above 0 and at most 50 mm"),
                   o->pixel_spacing, o->slice_spacing);
      return FALSE;
    }
  if (!(fabs (o->tilt_degrees) <= 30))
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("Invalid phantom gantry tilt %g°: it must lie between -30° and 30°"),
                   o->tilt_degrees);
      return FALSE;
    }
  if (!isfinite (o->rotation_degrees) ||
      (o->rotation_degrees != 0 && !(fidac_vec3_norm (o->rotation_axis) > 1e-6)))
    {
      g_set_error_literal (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                           _("Invalid phantom rotation: the angle must be finite and the axis not zero"));
      return FALSE;
    }
  for (guint a = 0; a < 3; a++)
    if (!(fabs (o->center[a]) < 1e5))
      {
        g_set_error_literal (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                             _("Invalid phantom centre"));
        return FALSE;
      }
  return TRUE;
}

FidacVolume *
fidac_phantom_new (const FidacPhantomOptions *options,
                   GError                   **error)
{
  g_autoptr(FidacVolume) volume = NULL;
  const FidacPhantomOptions *o = options;
  gdouble axis[3][3], spacing[3], origin[3];
  gdouble tilt, angle;

  g_return_val_if_fail (options != NULL, NULL);

  if (!check_options (o, error))
    return NULL;
  volume = fidac_volume_new (o->columns, o->rows, o->slices, error);
  if (volume == NULL)
    return NULL;

  tilt = o->tilt_degrees * G_PI / 180.0;
  angle = o->rotation_degrees * G_PI / 180.0;
  memset (axis, 0, sizeof axis);
  axis[0][0] = o->feet_first ? -1 : 1;
  axis[1][1] = cos (tilt);
  axis[1][2] = sin (tilt);
  axis[2][2] = o->feet_first ? -1 : 1;
  if (angle != 0)
    {
      gdouble u[3];
      gdouble n = fidac_vec3_norm (o->rotation_axis);

      for (guint a = 0; a < 3; a++)
        u[a] = o->rotation_axis[a] / n;
      for (guint a = 0; a < 3; a++)
        rotate (u, angle, axis[a]);
    }

  spacing[0] = spacing[1] = o->pixel_spacing;
  spacing[2] = o->slice_spacing;
  /* The grid is centred on `center`, so HFS and FFS grids of the same size hold the
   * same voxel centres. */
  for (guint c = 0; c < 3; c++)
    {
      origin[c] = o->center[c];
      for (guint a = 0; a < 3; a++)
        origin[c] -= (volume->dims[a] - 1) / 2.0 * spacing[a] * axis[a][c];
    }
  if (!fidac_volume_set_geometry (volume, origin, axis[0], axis[1], axis[2], spacing, error))
    return NULL;

  tube_cache_init ();
  for_each_slice (volume, sample_slice, GINT_TO_POINTER (o->lesions ? TRUE : FALSE));

  /* Metadata. These strings are DICOM content, not interface text: not translated. */
  {
    g_autofree gchar *series_name =
      g_strdup_printf ("series %d %d %d %.17g %.17g %d %.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g %d",
                       o->columns, o->rows, o->slices, o->pixel_spacing, o->slice_spacing,
                       o->feet_first ? 1 : 0, o->center[0], o->center[1], o->center[2],
                       o->tilt_degrees, o->rotation_degrees, o->rotation_axis[0],
                       o->rotation_axis[1], o->rotation_axis[2], o->lesions ? 1 : 0);

    volume->study_uid = uid_from_name ("study");
    volume->frame_of_reference_uid = uid_from_name ("frame-of-reference");
    volume->series_uid = uid_from_name (series_name);
    for (gint k = 0; k < volume->dims[2]; k++)
      {
        g_autofree gchar *slice_name = g_strdup_printf ("%s slice %d", series_name, k);

        volume->slice_uids[k] = uid_from_name (slice_name);
      }
  }
  volume->modality = g_strdup ("CT");
  volume->series_description = g_strdup (o->lesions ? "FIDAC synthetic chest phantom"
                                                    : "FIDAC synthetic chest phantom, no lesions");
  volume->study_date = g_strdup ("20200415");
  volume->patient_position = g_strdup (o->feet_first ? "FFS" : "HFS");
  fidac_volume_add_window (volume, -600, 1500, "LUNG");
  fidac_volume_add_window (volume, 40, 350, "MEDIASTINUM");

  return g_steal_pointer (&volume);
}

const FidacPhantomLesion *
fidac_phantom_lesions (guint *n_lesions)
{
  if (n_lesions != NULL)
    *n_lesions = G_N_ELEMENTS (lesions);
  return lesions;
}

/* The voxel index box that can hold centres inside lesion `index`. */
static void
lesion_voxel_box (const FidacVolume *volume,
                  guint              index,
                  gint               lo[3],
                  gint               hi[3])
{
  const FidacPhantomLesion *lesion = &lesions[index];
  gdouble vlo[3] = { G_MAXDOUBLE, G_MAXDOUBLE, G_MAXDOUBLE };
  gdouble vhi[3] = { -G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };

  for (guint corner = 0; corner < 8; corner++)
    {
      gdouble p[3], v[3];

      for (guint a = 0; a < 3; a++)
        p[a] = lesion->center[a] + ((corner >> a) & 1 ? lesion->radius : -lesion->radius);
      fidac_volume_patient_to_voxel (volume, p, v);
      for (guint a = 0; a < 3; a++)
        {
          vlo[a] = MIN (vlo[a], v[a]);
          vhi[a] = MAX (vhi[a], v[a]);
        }
    }
  for (guint a = 0; a < 3; a++)
    {
      lo[a] = (gint) CLAMP (floor (vlo[a]) - 1, 0, volume->dims[a]);
      hi[a] = (gint) CLAMP (ceil (vhi[a]) + 1, -1, volume->dims[a] - 1);
    }
}

gsize
fidac_phantom_lesion_voxel_count (const FidacVolume *volume,
                                  guint              index)
{
  gint lo[3], hi[3];
  gsize count = 0;

  g_return_val_if_fail (volume != NULL, 0);
  g_return_val_if_fail (index < G_N_ELEMENTS (lesions), 0);

  lesion_voxel_box (volume, index, lo, hi);
  for (gint k = lo[2]; k <= hi[2]; k++)
    for (gint j = lo[1]; j <= hi[1]; j++)
      for (gint i = lo[0]; i <= hi[0]; i++)
        {
          const gdouble v[3] = { i, j, k };
          gdouble p[3];

          fidac_volume_voxel_to_patient (volume, v, p);
          if (in_lesion (index, p))
            count++;
        }
  return count;
}

gdouble
fidac_phantom_lesion_voxel_volume_ml (const FidacVolume *volume,
                                      guint              index)
{
  g_return_val_if_fail (volume != NULL, 0);
  g_return_val_if_fail (index < G_N_ELEMENTS (lesions), 0);

  return fidac_phantom_lesion_voxel_count (volume, index) * fidac_volume_voxel_mm3 (volume)
         / 1000.0;
}

gdouble
fidac_phantom_lesion_volume_ml (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (lesions), 0);

  return 4.0 / 3.0 * G_PI * pow (lesions[index].radius, 3) / 1000.0;
}

static gboolean
check_labels (const FidacVolume *volume,
              gsize              n_labels,
              GError           **error)
{
  if (n_labels != fidac_volume_n_voxels (volume))
    {
      g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
                   _("The label map holds %lu values but the volume has %lu voxels"),
                   (gulong) n_labels, (gulong) fidac_volume_n_voxels (volume));
      return FALSE;
    }
  return TRUE;
}

gboolean
fidac_phantom_fill_lesion_labels (const FidacVolume *volume,
                                  guint8            *labels,
                                  gsize              n_labels,
                                  GError           **error)
{
  g_return_val_if_fail (volume != NULL, FALSE);
  g_return_val_if_fail (labels != NULL || n_labels == 0, FALSE);

  if (!check_labels (volume, n_labels, error))
    return FALSE;
  memset (labels, 0, n_labels);
  for (guint l = 0; l < G_N_ELEMENTS (lesions); l++)
    {
      gint lo[3], hi[3];

      lesion_voxel_box (volume, l, lo, hi);
      for (gint k = lo[2]; k <= hi[2]; k++)
        for (gint j = lo[1]; j <= hi[1]; j++)
          for (gint i = lo[0]; i <= hi[0]; i++)
            {
              const gdouble v[3] = { i, j, k };
              gdouble p[3];

              fidac_volume_voxel_to_patient (volume, v, p);
              if (in_lesion (l, p))
                labels[((gsize) k * volume->dims[1] + j) * volume->dims[0] + i] =
                  (guint8) lesions[l].lesion_class;
            }
    }
  return TRUE;
}

gboolean
fidac_phantom_fill_lung_labels (const FidacVolume *volume,
                                guint8            *labels,
                                gsize              n_labels,
                                GError           **error)
{
  g_return_val_if_fail (volume != NULL, FALSE);
  g_return_val_if_fail (labels != NULL || n_labels == 0, FALSE);

  if (!check_labels (volume, n_labels, error))
    return FALSE;
  tube_cache_init ();
  for_each_slice (volume, lung_labels_slice, labels);
  return TRUE;
}
