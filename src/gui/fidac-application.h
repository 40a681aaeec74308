/* fidac-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FIDAC_TYPE_APPLICATION (fidac_application_get_type ())

G_DECLARE_FINAL_TYPE (FidacApplication, fidac_application, FIDAC, APPLICATION, AdwApplication)

FidacApplication *fidac_application_new          (void);

/* The application's settings, or NULL when the schema is not installed (a build tree run
 * without GSETTINGS_SCHEMA_DIR): the program then works without remembering anything. */
GSettings        *fidac_application_get_settings (FidacApplication *self);

G_END_DECLS
