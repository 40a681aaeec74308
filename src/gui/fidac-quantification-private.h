/* fidac-quantification-private.h: what the tests read of FidacQuantification.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fidac-quantification.h"

G_BEGIN_DECLS

/* Lung segmentations of every quantification that have not delivered their result to the
 * main loop yet (cancelled ones included): the tests wait for 0 before they end. */
guint fidac_quantification_get_n_running (void);

G_END_DECLS
