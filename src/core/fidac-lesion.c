/* fidac-lesion.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Suggested HU ranges. They are painting aids (the reader can change them), not
 * diagnostic thresholds. Reasoning:
 * - Aerated lung parenchyma is about -850 HU on inspiration (the phantom uses -850) and
 *   vessels and bronchial walls are soft tissue, 0..+80 HU, seen lower at their edges by
 *   partial volume. Ground glass (Fleischner glossary: hazy increased opacity that leaves
 *   bronchial and vascular margins visible) lies between: the quantitative CT literature
 *   puts it roughly in -750..-300 HU (the "poorly aerated" band of Gattinoni's
 *   classification is -500..-100, the high-attenuation areas of interstitial lung
 *   disease studies -600..-250). The range -750..-300 keeps clear of normal lung at its
 *   low end and skips vessels at its high end, so a generous stroke paints the opacity
 *   and not the vessels crossing it.
 * - Consolidation replaces the air by fluid or cells: soft-tissue density ("non-aerated",
 *   -100..+100 HU). -200..+100 also takes its blurred border; vessels inside it cannot be
 *   told apart by density and are part of it anyway (they are no longer visible).
 * - Crazy-paving is ground glass with thickened interlobular septa and intralobular
 *   lines: the same low bound, and a high bound raised to -200 so the septa (thin soft
 *   tissue seen at -400..-200 by partial volume) are kept.
 *
 * Colours: the Okabe–Ito palette (yellow, vermillion, sky blue), distinguishable by
 * colour-blind readers and visible over a grey lung window.
 *
 * Codes: category SCT 49755003 "Morphologically Altered Structure" for all; ground glass
 * is DCM 112120 (in DCMTK's dcm.h as well); consolidation and crazy-paving have no DICOM
 * code yet and use the local scheme, with RadLex candidates recorded (DESIGN.md: RID43255
 * and RID43256, in the order consolidation, crazy-paving; to be checked against RadLex
 * before they replace the local codes).
 */
#define G_LOG_DOMAIN "fidac-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fidac-lesion.h"
#include "fidac-volume.h"

#define CATEGORY { "49755003", "SCT", "Morphologically Altered Structure" }

static const FidacLesionClass catalog[FIDAC_LESION_N_CLASSES] = {
  {
    FIDAC_LESION_GROUND_GLASS, "ground-glass", N_("Ground-glass opacity"), "Verre dépoli",
    { 240, 228, 66 }, -750, -300,
    CATEGORY, { "112120", "DCM", "Ground glass opacity" }, NULL,
  },
  {
    FIDAC_LESION_CONSOLIDATION, "consolidation", N_("Consolidation"), "Condensation",
    { 213, 94, 0 }, -200, 100,
    CATEGORY, { "FIDAC001", FIDAC_LESION_LOCAL_SCHEME, "Consolidation" }, "RID43255",
  },
  {
    FIDAC_LESION_CRAZY_PAVING, "crazy-paving", N_("Crazy-paving"), "Crazy paving",
    { 86, 180, 233 }, -750, -200,
    CATEGORY, { "FIDAC002", FIDAC_LESION_LOCAL_SCHEME, "Crazy-paving pattern" }, "RID43256",
  },
};

static const FidacCode lung = { "39607008", "SCT", "Lung" };

const FidacLesionClass *
fidac_lesion_get (guint id)
{
  if (id < 1 || id > FIDAC_LESION_N_CLASSES)
    return NULL;
  return &catalog[id - 1];
}

const FidacLesionClass *
fidac_lesion_lookup (const gchar  *key,
                     GError      **error)
{
  g_autoptr(GString) known = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint n = 0; key != NULL && n < G_N_ELEMENTS (catalog); n++)
    if (g_strcmp0 (catalog[n].key, key) == 0)
      return &catalog[n];

  known = g_string_new (NULL);
  for (guint n = 0; n < G_N_ELEMENTS (catalog); n++)
    g_string_append_printf (known, "%s%s", n > 0 ? ", " : "", catalog[n].key);
  /* Translators: %s are a name typed by the user, then the list of valid names. */
  g_set_error (error, FIDAC_CORE_ERROR, FIDAC_CORE_ERROR_INVALID,
               _("Unknown lesion class “%s” (known: %s)"),
               key != NULL ? key : "", known->str);
  return NULL;
}

const gchar *
fidac_lesion_get_name (const FidacLesionClass *lesion)
{
  g_return_val_if_fail (lesion != NULL, NULL);

  return _(lesion->name);
}

const FidacCode *
fidac_lesion_anatomic_region (void)
{
  return &lung;
}
