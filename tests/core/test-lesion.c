/* test-lesion.c: the lesion catalog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fidac-label-map.h"
#include "fidac-lesion.h"
#include "fidac-phantom.h"

static void
test_ids (void)
{
  g_assert_null (fidac_lesion_get (FIDAC_LESION_NONE));
  g_assert_null (fidac_lesion_get (FIDAC_LESION_N_CLASSES + 1));
  g_assert_null (fidac_lesion_get (255));
  /* Every id fits the label map; the phantom's classes are catalog ids. */
  g_assert_cmpint (FIDAC_LESION_N_CLASSES, <, FIDAC_LABEL_MAX_CLASSES);
  g_assert_cmpint (FIDAC_PHANTOM_LESION_GROUND_GLASS, ==, FIDAC_LESION_GROUND_GLASS);
  g_assert_cmpint (FIDAC_PHANTOM_LESION_CONSOLIDATION, ==, FIDAC_LESION_CONSOLIDATION);

  for (guint id = 1; id <= FIDAC_LESION_N_CLASSES; id++)
    {
      const FidacLesionClass *lesion = fidac_lesion_get (id);

      g_assert_nonnull (lesion);
      g_assert_cmpuint (lesion->id, ==, id);
      g_assert_true (lesion == fidac_lesion_lookup (lesion->key, NULL));
      g_assert_cmpint (lesion->hu_min, <, lesion->hu_max);
      /* In the C locale the display name is the English msgid. */
      g_assert_cmpstr (fidac_lesion_get_name (lesion), ==, lesion->name);
      g_assert_true (g_utf8_validate (lesion->name_fr, -1, NULL));
      for (guint other = 1; other < id; other++)
        g_assert_false (memcmp (lesion->rgb, fidac_lesion_get (other)->rgb, 3) == 0);
    }

  g_assert_cmpstr (fidac_lesion_get (1)->key, ==, "ground-glass");
  g_assert_cmpstr (fidac_lesion_get (2)->key, ==, "consolidation");
  g_assert_cmpstr (fidac_lesion_get (3)->key, ==, "crazy-paving");
  g_assert_cmpstr (fidac_lesion_get (1)->name, ==, "Ground-glass opacity");
  g_assert_cmpstr (fidac_lesion_get (1)->name_fr, ==, "Verre dépoli");
  g_assert_cmpstr (fidac_lesion_get (2)->name_fr, ==, "Condensation");
}

static void
test_lookup_unknown (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (fidac_lesion_lookup ("emphysema", &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "emphysema"));
  g_assert_nonnull (strstr (error->message, "ground-glass, consolidation, crazy-paving"));
  g_clear_error (&error);
  g_assert_null (fidac_lesion_lookup ("Ground-glass", &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (fidac_lesion_lookup (NULL, &error));
  g_assert_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID);
}

static gboolean
in_range (const FidacLesionClass *lesion, FidacPhantomTissue tissue)
{
  gint hu = fidac_phantom_tissue_hu (tissue);

  return hu >= lesion->hu_min && hu <= lesion->hu_max;
}

/* The suggested ranges on the phantom: ground glass takes ground glass and nothing else
 * of the lung (parenchyma, vessels, airway walls); consolidation takes consolidation and
 * not aerated lung. */
static void
test_hu_ranges (void)
{
  const FidacLesionClass *ggo = fidac_lesion_get (FIDAC_LESION_GROUND_GLASS);
  const FidacLesionClass *cons = fidac_lesion_get (FIDAC_LESION_CONSOLIDATION);
  const FidacLesionClass *crazy = fidac_lesion_get (FIDAC_LESION_CRAZY_PAVING);

  g_assert_cmpint (ggo->hu_min, ==, -750);
  g_assert_cmpint (ggo->hu_max, ==, -300);
  g_assert_cmpint (cons->hu_min, ==, -200);
  g_assert_cmpint (cons->hu_max, ==, 100);
  g_assert_cmpint (crazy->hu_min, ==, -750);
  g_assert_cmpint (crazy->hu_max, ==, -200);

  for (FidacPhantomTissue t = 0; t < FIDAC_PHANTOM_N_TISSUES; t++)
    g_assert_cmpint (in_range (ggo, t), ==, t == FIDAC_PHANTOM_TISSUE_GROUND_GLASS);
  g_assert_true (in_range (cons, FIDAC_PHANTOM_TISSUE_CONSOLIDATION));
  g_assert_false (in_range (cons, FIDAC_PHANTOM_TISSUE_LUNG));
  g_assert_false (in_range (cons, FIDAC_PHANTOM_TISSUE_GROUND_GLASS));
  g_assert_false (in_range (cons, FIDAC_PHANTOM_TISSUE_AIRWAY));
  g_assert_true (in_range (crazy, FIDAC_PHANTOM_TISSUE_GROUND_GLASS));
  g_assert_false (in_range (crazy, FIDAC_PHANTOM_TISSUE_LUNG));
  g_assert_false (in_range (crazy, FIDAC_PHANTOM_TISSUE_VESSEL));
}

static void
test_codes (void)
{
  const FidacLesionClass *ggo = fidac_lesion_get (FIDAC_LESION_GROUND_GLASS);
  const FidacLesionClass *cons = fidac_lesion_get (FIDAC_LESION_CONSOLIDATION);
  const FidacLesionClass *crazy = fidac_lesion_get (FIDAC_LESION_CRAZY_PAVING);

  for (guint id = 1; id <= FIDAC_LESION_N_CLASSES; id++)
    {
      const FidacLesionClass *lesion = fidac_lesion_get (id);

      g_assert_cmpstr (lesion->category.value, ==, "49755003");
      g_assert_cmpstr (lesion->category.scheme, ==, "SCT");
      g_assert_cmpstr (lesion->category.meaning, ==, "Morphologically Altered Structure");
      /* DICOM SH: code values at most 16 characters; LO meanings at most 64. */
      g_assert_cmpuint (strlen (lesion->type.value), <=, 16);
      g_assert_cmpuint (strlen (lesion->type.meaning), <=, 64);
    }
  g_assert_cmpstr (ggo->type.value, ==, "112120");
  g_assert_cmpstr (ggo->type.scheme, ==, "DCM");
  g_assert_cmpstr (ggo->type.meaning, ==, "Ground glass opacity");
  g_assert_null (ggo->radlex);
  g_assert_cmpstr (cons->type.scheme, ==, "99FIDAC");
  g_assert_cmpstr (crazy->type.scheme, ==, "99FIDAC");
  g_assert_cmpstr (cons->type.value, !=, crazy->type.value);
  g_assert_cmpstr (cons->radlex, ==, "RID43255");
  g_assert_cmpstr (crazy->radlex, ==, "RID43256");
  g_assert_cmpstr (fidac_lesion_anatomic_region ()->value, ==, "39607008");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fidac/lesion/ids", test_ids);
  g_test_add_func ("/fidac/lesion/lookup-unknown", test_lookup_unknown);
  g_test_add_func ("/fidac/lesion/hu-ranges", test_hu_ranges);
  g_test_add_func ("/fidac/lesion/codes", test_codes);

  return g_test_run ();
}
