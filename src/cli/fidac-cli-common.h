/* fidac-cli-common.h: what every fidac-cli command shares (output, progress, errors).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <jansson.h>

#include "fidac-dicom.h"

G_BEGIN_DECLS

/* Exit statuses: 0 success, 1 a failure (bad data, I/O), 2 a usage error. */
#define FIDAC_CLI_EXIT_OK      0
#define FIDAC_CLI_EXIT_FAILURE 1
#define FIDAC_CLI_EXIT_USAGE   2

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, json_decref)

typedef int (*FidacCliCommandFunc) (int argc, char **argv);

int  fidac_cli_series  (int argc, char **argv);
int  fidac_cli_info    (int argc, char **argv);
int  fidac_cli_convert (int argc, char **argv);
int  fidac_cli_phantom (int argc, char **argv);
int  fidac_cli_render  (int argc, char **argv);
int  fidac_cli_annotations (int argc, char **argv);
int  fidac_cli_quantify (int argc, char **argv);
int  fidac_cli_report  (int argc, char **argv);

/* Parses a command's options; on failure prints the error and a hint to stderr and returns
 * FALSE (the caller exits with FIDAC_CLI_EXIT_USAGE). `--help` prints and exits 0. */
gboolean fidac_cli_parse          (GOptionContext *context,
                                   const gchar    *command,
                                   int            *argc,
                                   char         ***argv);
/* Reports a usage problem for `command` on stderr; returns FIDAC_CLI_EXIT_USAGE. */
int      fidac_cli_usage_error    (const gchar    *command,
                                   const gchar    *format,
                                   ...) G_GNUC_PRINTF (2, 3);
/* Prints "fidac-cli: message" on stderr; returns FIDAC_CLI_EXIT_FAILURE. */
int      fidac_cli_fail           (const GError   *error);
void     fidac_cli_warn           (const gchar    *message);

/* Runs `job` in a worker thread while the main thread waits for it and turns SIGINT and
 * SIGTERM into a cancellation, so that a half-written file is cleaned up. */
typedef gboolean (*FidacCliJob) (gpointer      data,
                                 GCancellable *cancellable,
                                 GError      **error);
gboolean fidac_cli_run_job        (FidacCliJob     job,
                                   gpointer        data,
                                   GError        **error);

/* Progress on stderr, only when stderr is a terminal; thread-safe. */
void     fidac_cli_progress       (gdouble         fraction,
                                   gpointer        label);
void     fidac_cli_progress_done  (void);

/* Scans `path`, picks the series (`series_uid` or the only one) and loads it. */
typedef struct {
  const gchar           *path;
  const gchar           *series_uid;
  FidacScan             *scan;      /* out */
  const FidacSeriesInfo *info;      /* out, owned by scan */
  FidacVolume           *volume;    /* out */
} FidacCliLoad;

gboolean fidac_cli_load           (FidacCliLoad  *load,
                                   GCancellable  *cancellable,
                                   GError       **error);
void     fidac_cli_load_clear     (FidacCliLoad  *load);
/* Prints the scan's and the volume's warnings on stderr: problems with the data are never
 * hidden, even when the output was written. */
void     fidac_cli_load_warn      (const FidacCliLoad *load);

/* A readable name for a transfer syntax UID ("JPEG Lossless SV1"), or the UID itself. */
const gchar *fidac_cli_transfer_syntax_name (const gchar *uid);

/* Prints `root` on stdout as indented JSON followed by a newline. */
gboolean fidac_cli_print_json     (json_t        *root);
json_t  *fidac_cli_json_string    (const gchar   *text);
json_t  *fidac_cli_json_vec3      (const gdouble  v[3]);
json_t  *fidac_cli_json_strings   (GPtrArray     *strings);

/* "key:" padded to `width` columns, then the value. */
void     fidac_cli_print_field    (gint           width,
                                   const gchar   *key,
                                   const gchar   *format,
                                   ...) G_GNUC_PRINTF (3, 4);

G_END_DECLS
