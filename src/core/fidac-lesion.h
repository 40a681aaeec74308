/* fidac-lesion.h: the lesion catalog, the one table of the classes readers paint.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A class id is the value stored in the label map (fidac-label-map.h); ids never change
 * once released, since stored annotations and DICOM SEG segment numbers refer to them.
 * The first two equal the phantom's FidacPhantomLesionClass values, so the phantom's
 * ground truth is a label map of this catalog.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  FIDAC_LESION_NONE = 0,
  FIDAC_LESION_GROUND_GLASS = 1,
  FIDAC_LESION_CONSOLIDATION = 2,
  FIDAC_LESION_CRAZY_PAVING = 3,
} FidacLesionId;

#define FIDAC_LESION_N_CLASSES 3        /* ids 1 .. FIDAC_LESION_N_CLASSES */

/* The local coding scheme of the codes DICOM does not have (yet); a SEG or SR that uses it
 * declares it in its Coding Scheme Identification Sequence. */
#define FIDAC_LESION_LOCAL_SCHEME           "99FIDAC"
#define FIDAC_LESION_LOCAL_SCHEME_NAME      "FIDAC local codes"
#define FIDAC_LESION_LOCAL_SCHEME_RESPONSIBLE "FIDAC project"

/* A DICOM code triplet (Code Value, Coding Scheme Designator, Code Meaning). */
typedef struct {
  const gchar *value;
  const gchar *scheme;
  const gchar *meaning;
} FidacCode;

typedef struct {
  FidacLesionId id;
  const gchar  *key;            /* stable ASCII key: files, settings, command line */
  const gchar  *name;           /* English, an N_() msgid: show fidac_lesion_get_name() */
  const gchar  *name_fr;        /* French, as French radiologists write it (UTF-8) */
  guint8        rgb[3];         /* overlay colour, sRGB */
  gint16        hu_min;         /* suggested HU range for painting, inclusive */
  gint16        hu_max;
  FidacCode     category;       /* Segmented Property Category */
  FidacCode     type;           /* Segmented Property Type */
  const gchar  *radlex;         /* RadLex candidate (RID…) for a future standard code, or NULL */
} FidacLesionClass;

/* The class of `id`, or NULL when `id` is not in the catalog (0 included). */
const FidacLesionClass *fidac_lesion_get        (guint                   id);

/* The class of `key`; NULL with FIDAC_CORE_ERROR_INVALID naming the known keys otherwise. */
const FidacLesionClass *fidac_lesion_lookup     (const gchar            *key,
                                                 GError                **error);

/* The name in the user's language (gettext). */
const gchar            *fidac_lesion_get_name   (const FidacLesionClass *lesion);

/* Anatomic region of every class: the lung (SCT 39607008). */
const FidacCode        *fidac_lesion_anatomic_region (void);

G_END_DECLS
