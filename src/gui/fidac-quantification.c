/* fidac-quantification.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The segmentation runs in a GTask that holds its own references (the volume, a job
 * record) and only a weak one to the quantification: closing a window or opening another
 * case never waits for it. Each new map bumps a generation number; a result or a progress
 * report of an older generation is dropped.
 */
#define G_LOG_DOMAIN "fidac-gui"

#include "config.h"

#include <string.h>
#include <time.h>

#include "fidac-quantification-private.h"

/* Progress reaches the main thread at most this often (and never more than one report is
 * queued): the segmentation may report per slice from several threads. */
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 20)

struct _FidacQuantification
{
  GObject                  parent_instance;

  FidacAnnotation         *annotation;
  gulong                   changed_id;
  GMainContext            *context;        /* where progress and results are delivered */

  FidacQuantificationState state;
  gchar                   *message;        /* FAILED: why */
  gdouble                  progress;
  FidacQuantifier         *quantifier;     /* NULL without a map */
  FidacLabelMap           *lungs;          /* READY only */
  FidacLungsInfo           lungs_info;
  gboolean                 show_lungs;
  gdouble                  last_update_ms;

  guint                    generation;     /* bumped by every new map and by dispose */
  GCancellable            *cancellable;    /* of the segmentation running for this map */
  guint                    start_id;       /* idle that starts it */
};

G_DEFINE_FINAL_TYPE (FidacQuantification, fidac_quantification, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SHOW_LUNGS,
  PROP_STATE,
  N_PROPS
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Segmentations whose task has not delivered its result yet, for every instance. */
static gint n_running;

GType
fidac_quantification_state_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { FIDAC_QUANTIFICATION_NONE, "FIDAC_QUANTIFICATION_NONE", "none" },
        { FIDAC_QUANTIFICATION_SEGMENTING, "FIDAC_QUANTIFICATION_SEGMENTING", "segmenting" },
        { FIDAC_QUANTIFICATION_READY, "FIDAC_QUANTIFICATION_READY", "ready" },
        { FIDAC_QUANTIFICATION_FAILED, "FIDAC_QUANTIFICATION_FAILED", "failed" },
        { 0, NULL, NULL }
      };

      g_once_init_leave (&type, g_enum_register_static (g_intern_static_string ("FidacQuantificationState"),
                                                        values));
    }
  return type;
}

/* Finer than g_get_monotonic_time()'s microseconds: an update of a few small slices takes
 * a few of them. */
static gdouble
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
emit_changed (FidacQuantification *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
set_state (FidacQuantification      *self,
           FidacQuantificationState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* Job: what one segmentation shares between its thread and the main thread -------------- */

typedef struct {
  gint          ref_count;
  GWeakRef      self;
  guint         generation;
  FidacVolume  *volume;
  GMainContext *context;
  FidacLungsInfo info;           /* written by the thread, read after it returned */
  gint          permille;        /* last progress, atomic */
  gint          pending;         /* a progress report is queued or being decided, atomic */
  gint64        last_report;     /* touched only by the holder of `pending` */
} Job;

static Job *
job_ref (Job *job)
{
  g_atomic_int_inc (&job->ref_count);
  return job;
}

static void
job_unref (gpointer data)
{
  Job *job = data;

  if (!g_atomic_int_dec_and_test (&job->ref_count))
    return;
  g_weak_ref_clear (&job->self);
  fidac_volume_free (job->volume);
  g_main_context_unref (job->context);
  g_free (job);
}

static gboolean
report_progress_cb (gpointer data)
{
  Job *job = data;
  g_autoptr(FidacQuantification) self = g_weak_ref_get (&job->self);

  g_atomic_int_set (&job->pending, 0);
  if (self == NULL || self->generation != job->generation ||
      self->state != FIDAC_QUANTIFICATION_SEGMENTING)
    return G_SOURCE_REMOVE;
  self->progress = g_atomic_int_get (&job->permille) / 1000.0;
  emit_changed (self);
  return G_SOURCE_REMOVE;
}

/* In the segmenting thread(s). */
static void
job_progress_cb (gdouble  fraction,
                 gpointer data)
{
  Job *job = data;
  gint64 now;

  g_atomic_int_set (&job->permille, (gint) (CLAMP (fraction, 0.0, 1.0) * 1000.0));
  if (!g_atomic_int_compare_and_exchange (&job->pending, 0, 1))
    return;
  now = g_get_monotonic_time ();
  if (now - job->last_report < PROGRESS_INTERVAL_US)
    {
      g_atomic_int_set (&job->pending, 0);
      return;
    }
  job->last_report = now;
  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, report_progress_cb,
                              job_ref (job), job_unref);
}

static void
segment_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  FidacLabelMap *lungs;

  lungs = fidac_lungs_segment (job->volume, &job->info, job_progress_cb, job, cancellable, &error);
  if (lungs == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, lungs, (GDestroyNotify) fidac_label_map_unref);
}

static void
segment_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(FidacQuantification) self = g_weak_ref_get (&job->self);
  g_autoptr(FidacLabelMap) lungs = NULL;
  g_autoptr(GError) error = NULL;

  g_atomic_int_add (&n_running, -1);
  lungs = g_task_propagate_pointer (G_TASK (result), &error);
  /* A late result: the window closed, or another case came. */
  if (self == NULL || self->generation != job->generation || self->quantifier == NULL)
    {
      g_debug ("lung segmentation of an older case dropped%s",
               lungs == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? " (cancelled)" : "");
      job_unref (job);
      return;
    }
  g_clear_object (&self->cancellable);
  if (lungs != NULL && fidac_quantifier_set_lungs (self->quantifier, lungs, &error))
    {
      self->lungs = g_steal_pointer (&lungs);
      self->lungs_info = job->info;
      self->progress = 1.0;
      set_state (self, FIDAC_QUANTIFICATION_READY);
    }
  else
    {
      /* Not a dialog: the scores panel says it where the figures would be. */
      self->message = g_strdup (error->message);
      self->progress = 0.0;
      set_state (self, FIDAC_QUANTIFICATION_FAILED);
    }
  job_unref (job);
  emit_changed (self);
}

static gboolean
start_segmentation_cb (gpointer data)
{
  FidacQuantification *self = data;
  FidacVolume *volume = fidac_annotation_get_volume (self->annotation);
  g_autoptr(GTask) task = NULL;
  Job *job;

  self->start_id = 0;
  g_return_val_if_fail (volume != NULL && self->cancellable == NULL, G_SOURCE_REMOVE);

  job = g_new0 (Job, 1);
  job->ref_count = 1;
  g_weak_ref_init (&job->self, self);
  job->generation = self->generation;
  job->volume = fidac_volume_ref (volume);
  job->context = g_main_context_ref (self->context);

  self->cancellable = g_cancellable_new ();
  /* No source object: the task must not keep the quantification (and its window) alive. */
  task = g_task_new (NULL, self->cancellable, segment_done_cb, job_ref (job));
  g_task_set_source_tag (task, start_segmentation_cb);
  g_task_set_name (task, "fidac lung segmentation");
  g_task_set_task_data (task, job, job_unref);
  g_atomic_int_inc (&n_running);
  g_task_run_in_thread (task, segment_thread);
  return G_SOURCE_REMOVE;
}

/* Following the annotation ------------------------------------------------------------------ */

static void
drop_case (FidacQuantification *self)
{
  self->generation++;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->start_id, g_source_remove);
  g_clear_pointer (&self->quantifier, fidac_quantifier_free);
  g_clear_pointer (&self->lungs, fidac_label_map_unref);
  memset (&self->lungs_info, 0, sizeof self->lungs_info);
  g_clear_pointer (&self->message, g_free);
  self->progress = 0.0;
  self->last_update_ms = 0.0;
}

static void
new_map (FidacQuantification *self)
{
  FidacLabelMap *map = fidac_annotation_get_map (self->annotation);
  g_autoptr(GError) error = NULL;

  drop_case (self);
  if (map == NULL)
    {
      set_state (self, FIDAC_QUANTIFICATION_NONE);
      return;
    }
  self->quantifier = fidac_quantifier_new (fidac_annotation_get_volume (self->annotation), map,
                                           NULL, &error);
  if (self->quantifier == NULL)
    {
      /* The map is the annotation's own, on the volume's grid: a bug, said once. */
      g_warning ("%s", error->message);
      set_state (self, FIDAC_QUANTIFICATION_NONE);
      return;
    }
  set_state (self, FIDAC_QUANTIFICATION_SEGMENTING);
  /* From the main loop, not inside the annotation's signal: a caller setting several
   * volumes in a row starts one segmentation, and holds the only references to the volume
   * until then. */
  self->start_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, start_segmentation_cb, self, NULL);
}

static void
annotation_changed_cb (FidacAnnotation     *annotation,
                       guint                changes,
                       gint                 k0,
                       gint                 k1,
                       FidacQuantification *self)
{
  if (changes & FIDAC_ANNOTATION_CHANGED_MAP)
    {
      new_map (self);
      emit_changed (self);
      return;
    }
  if ((changes & FIDAC_ANNOTATION_CHANGED_LABELS) && self->quantifier != NULL && k0 >= 0 && k1 >= k0)
    {
      gdouble start = now_ms ();

      fidac_quantifier_update (self->quantifier, k0, k1);
      self->last_update_ms = now_ms () - start;
      emit_changed (self);
    }
}

/* GObject ------------------------------------------------------------------------------------ */

static void
fidac_quantification_dispose (GObject *object)
{
  FidacQuantification *self = FIDAC_QUANTIFICATION (object);

  drop_case (self);
  self->state = FIDAC_QUANTIFICATION_NONE;
  if (self->annotation != NULL)
    g_clear_signal_handler (&self->changed_id, self->annotation);
  g_clear_object (&self->annotation);
  G_OBJECT_CLASS (fidac_quantification_parent_class)->dispose (object);
}

static void
fidac_quantification_finalize (GObject *object)
{
  FidacQuantification *self = FIDAC_QUANTIFICATION (object);

  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (fidac_quantification_parent_class)->finalize (object);
}

static void
fidac_quantification_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  FidacQuantification *self = FIDAC_QUANTIFICATION (object);

  switch (prop_id)
    {
    case PROP_SHOW_LUNGS:
      g_value_set_boolean (value, self->show_lungs);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fidac_quantification_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  FidacQuantification *self = FIDAC_QUANTIFICATION (object);

  switch (prop_id)
    {
    case PROP_SHOW_LUNGS:
      fidac_quantification_set_show_lungs (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fidac_quantification_class_init (FidacQuantificationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fidac_quantification_dispose;
  object_class->finalize = fidac_quantification_finalize;
  object_class->get_property = fidac_quantification_get_property;
  object_class->set_property = fidac_quantification_set_property;

  properties[PROP_SHOW_LUNGS] =
    g_param_spec_boolean ("show-lungs", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, FIDAC_TYPE_QUANTIFICATION_STATE,
                       FIDAC_QUANTIFICATION_NONE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
fidac_quantification_init (FidacQuantification *self)
{
  self->context = g_main_context_ref_thread_default ();
}

FidacQuantification *
fidac_quantification_new (FidacAnnotation *annotation)
{
  FidacQuantification *self;

  g_return_val_if_fail (FIDAC_IS_ANNOTATION (annotation), NULL);

  self = g_object_new (FIDAC_TYPE_QUANTIFICATION, NULL);
  self->annotation = g_object_ref (annotation);
  self->changed_id = g_signal_connect (annotation, "changed", G_CALLBACK (annotation_changed_cb), self);
  /* An annotation that already holds a case. */
  if (fidac_annotation_get_map (annotation) != NULL)
    new_map (self);
  return self;
}

FidacQuantificationState
fidac_quantification_get_state (FidacQuantification *self)
{
  g_return_val_if_fail (FIDAC_IS_QUANTIFICATION (self), FIDAC_QUANTIFICATION_NONE);
  return self->state;
}

const gchar *
fidac_quantification_get_message (FidacQuantification *self)
{
  g_return_val_if_fail (FIDAC_IS_QUANTIFICATION (self), NULL);
  return self->state == FIDAC_QUANTIFICATION_FAILED ? self->message : NULL;
}

gdouble
fidac_quantification_get_progress (FidacQuantification *self)
{
  g_return_val_if_fail (FIDAC_IS_QUANTIFICATION (self), 0.0);
  return self->progress;
}

FidacLabelMap *
fidac_quantification_get_lungs (FidacQuantification *self)
{
  g_return_val_if_fail (FIDAC_IS_QUANTIFICATION (self), NULL);
  return self->state == FIDAC_QUANTIFICATION_READY ? self->lungs : NULL;
}

gboolean
fidac_quantification_get_lungs_info (FidacQuantification *self,
                                     FidacLungsInfo      *info)
{
  g_return_val_if_fail (FIDAC_IS_QUANTIFICATION (self), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  if (self->state != FIDAC_QUANTIFICATION_READY)
    return FALSE;
  *info = self->lungs_info;
  return TRUE;
}

void
fidac_quantification_get_result (FidacQuantification *self,
                                 FidacQuantResult    *result)
{
  g_return_if_fail (FIDAC_IS_QUANTIFICATION (self));
  g_return_if_fail (result != NULL);

  if (self->quantifier == NULL)
    {
      memset (result, 0, sizeof *result);
      return;
    }
  fidac_quantifier_get_result (self->quantifier, result);
}

gboolean
fidac_quantification_get_show_lungs (FidacQuantification *self)
{
  g_return_val_if_fail (FIDAC_IS_QUANTIFICATION (self), FALSE);
  return self->show_lungs;
}

void
fidac_quantification_set_show_lungs (FidacQuantification *self,
                                     gboolean             show)
{
  g_return_if_fail (FIDAC_IS_QUANTIFICATION (self));

  if (self->show_lungs == !!show)
    return;
  self->show_lungs = !!show;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_LUNGS]);
}

gdouble
fidac_quantification_get_last_update_ms (FidacQuantification *self)
{
  g_return_val_if_fail (FIDAC_IS_QUANTIFICATION (self), 0.0);
  return self->last_update_ms;
}

guint
fidac_quantification_get_n_running (void)
{
  return (guint) g_atomic_int_get (&n_running);
}
