/* fidac-report.c: the case report as an A4 PDF (cairo), text set with Pango.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The document flows top to bottom with page breaks where a block does not fit: the case,
 * the reader, the measured volumes, the expert's scores, then the key images on a page of
 * their own. Key images are made with the CPU reslicer and the CPU overlay (the GL views'
 * references), so the report shows what the views show and needs no display.
 */
#define G_LOG_DOMAIN "fidac-report"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "fidac-label-reslice.h"
#include "fidac-report.h"
#include "fidac-reslice.h"
#include "fidac-window-level.h"

G_DEFINE_QUARK (fidac-report-error-quark, fidac_report_error)

/* A4 portrait in PostScript points. */
#define PAGE_WIDTH    595.276
#define PAGE_HEIGHT   841.890
#define MARGIN        48.0
#define CONTENT_WIDTH (PAGE_WIDTH - 2 * MARGIN)
#define FOOTER_SPACE  24.0

#define FONT_TITLE    "Sans Bold 18"
#define FONT_SECTION  "Sans Bold 12.5"
#define FONT_BODY     "Sans 9.5"
#define FONT_BOLD     "Sans Bold 9.5"
#define FONT_SMALL    "Sans 8"

#define MAX_KEY_IMAGES 8
#define KEY_IMAGE_GAP 12.0

typedef struct {
  cairo_t *cr;
  gdouble  y;                   /* top of the next block */
  guint    page;
} Doc;

static const gchar *
text_or_dash (const gchar *text)
{
  return text != NULL && *text != '\0' ? text : "—";
}

/* Text ------------------------------------------------------------------------------------- */

static PangoLayout *
make_layout (Doc         *doc,
             const gchar *font,
             const gchar *text,
             gdouble      width)
{
  PangoLayout *layout = pango_cairo_create_layout (doc->cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static gdouble
layout_height (PangoLayout *layout)
{
  gint w, h;

  pango_layout_get_size (layout, &w, &h);
  return (gdouble) h / PANGO_SCALE;
}

static void
draw_layout (Doc         *doc,
             PangoLayout *layout,
             gdouble      x,
             gdouble      y,
             const gdouble rgb[3])
{
  cairo_save (doc->cr);
  cairo_set_source_rgb (doc->cr, rgb[0], rgb[1], rgb[2]);
  cairo_move_to (doc->cr, x, y);
  pango_cairo_show_layout (doc->cr, layout);
  cairo_restore (doc->cr);
}

static const gdouble black[3] = { 0.0, 0.0, 0.0 };
static const gdouble grey[3] = { 0.35, 0.35, 0.35 };

static void
new_page (Doc *doc)
{
  g_autofree gchar *footer = NULL;
  g_autoptr(PangoLayout) layout = NULL;

  if (doc->page > 0)
    cairo_show_page (doc->cr);
  doc->page++;
  doc->y = MARGIN;
  /* TRANSLATORS: the footer of every page of the case report; %u is the page number */
  footer = g_strdup_printf (_("FIDAC case report · page %u"), doc->page);
  layout = make_layout (doc, FONT_SMALL, footer, CONTENT_WIDTH);
  pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
  draw_layout (doc, layout, MARGIN, PAGE_HEIGHT - MARGIN + 8, grey);
}

static void
ensure_space (Doc     *doc,
              gdouble  height)
{
  if (doc->y + height > PAGE_HEIGHT - MARGIN - FOOTER_SPACE && doc->y > MARGIN)
    new_page (doc);
}

static void
paragraph (Doc         *doc,
           const gchar *font,
           const gchar *text,
           const gdouble rgb[3],
           gdouble      space_after)
{
  g_autoptr(PangoLayout) layout = make_layout (doc, font, text, CONTENT_WIDTH);
  gdouble h = layout_height (layout);

  ensure_space (doc, h);
  draw_layout (doc, layout, MARGIN, doc->y, rgb);
  doc->y += h + space_after;
}

static void
section (Doc         *doc,
         const gchar *title)
{
  /* A title never ends a page alone: room for it and a few lines below. */
  ensure_space (doc, 80);
  doc->y += 8;
  paragraph (doc, FONT_SECTION, title, black, 2);
  cairo_save (doc->cr);
  cairo_set_source_rgb (doc->cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (doc->cr, 0.6);
  cairo_move_to (doc->cr, MARGIN, doc->y + 0.5);
  cairo_line_to (doc->cr, MARGIN + CONTENT_WIDTH, doc->y + 0.5);
  cairo_stroke (doc->cr);
  cairo_restore (doc->cr);
  doc->y += 6;
}

/* One row of a table: `widths` are fractions of the content width. */
static void
table_row (Doc           *doc,
           const gchar   *font,
           const gdouble *widths,
           guint          n,
           const gchar  **cells,
           gboolean       shaded)
{
  PangoLayout *layouts[8];
  gdouble h = 0, x = MARGIN;

  g_assert (n <= G_N_ELEMENTS (layouts));
  for (guint c = 0; c < n; c++)
    {
      layouts[c] = make_layout (doc, c == 0 && !g_str_equal (font, FONT_BOLD) ? FONT_BOLD : font,
                                text_or_dash (cells[c]), widths[c] * CONTENT_WIDTH - 6);
      h = MAX (h, layout_height (layouts[c]));
    }
  ensure_space (doc, h + 4);
  if (shaded)
    {
      cairo_save (doc->cr);
      cairo_set_source_rgb (doc->cr, 0.93, 0.93, 0.93);
      cairo_rectangle (doc->cr, MARGIN - 2, doc->y - 2, CONTENT_WIDTH + 4, h + 4);
      cairo_fill (doc->cr);
      cairo_restore (doc->cr);
    }
  for (guint c = 0; c < n; c++)
    {
      draw_layout (doc, layouts[c], x, doc->y, black);
      x += widths[c] * CONTENT_WIDTH;
      g_object_unref (layouts[c]);
    }
  doc->y += h + 4;
}

static void
field_in (Doc         *doc,
          const gchar *font,
          const gchar *key,
          const gchar *value)
{
  static const gdouble widths[2] = { 0.3, 0.7 };
  const gchar *cells[2] = { key, value };

  table_row (doc, font, widths, 2, cells, FALSE);
}

static void
field (Doc         *doc,
       const gchar *key,
       const gchar *value)
{
  field_in (doc, FONT_BODY, key, value);
}

/* Parts ------------------------------------------------------------------------------------ */

/* "2020-03-15" from DICOM DA "20200315"; anything else as it is. */
static gchar *
format_study_date (const gchar *da)
{
  if (da != NULL && strlen (da) == 8)
    return g_strdup_printf ("%.4s-%.2s-%.2s", da, da + 4, da + 6);
  return g_strdup (da);
}

static void
write_header (Doc                    *doc,
              const FidacReportInput *input,
              GDateTime              *date)
{
  const FidacVolume *v = input->volume;
  g_autofree gchar *when = g_date_time_format (date, "%Y-%m-%d %H:%M");
  g_autofree gchar *generated = g_strdup_printf (_("Written on %s by FIDAC %s"), when,
                                                 PACKAGE_VERSION);
  g_autofree gchar *study_date = format_study_date (v->study_date);
  g_autofree gchar *grid = NULL;
  g_autofree gchar *spacing = NULL;
  const gchar *role = NULL;

  paragraph (doc, FONT_TITLE, _("FIDAC case report"), black, 2);
  paragraph (doc, FONT_BODY, generated, grey, 4);

  section (doc, _("Case"));
  /* TRANSLATORS: the volume's grid: columns, rows and slices */
  grid = g_strdup_printf (_("%d × %d × %d voxels (%d slices)"), v->dims[0], v->dims[1],
                          v->dims[2], v->dims[2]);
  /* TRANSLATORS: the voxel spacing in mm: columns, rows, slices */
  spacing = g_strdup_printf (_("%.3g × %.3g × %.3g mm"), v->spacing[0], v->spacing[1],
                             v->spacing[2]);
  field (doc, _("Series description"), v->series_description);
  field (doc, _("Study date"), study_date);
  /* UIDs run to 64 characters: smaller, so that they stay on one line to copy. */
  field_in (doc, FONT_SMALL, _("Study UID"), v->study_uid);
  field_in (doc, FONT_SMALL, _("Series UID"), v->series_uid);
  field (doc, _("Grid"), grid);
  field (doc, _("Voxel spacing"), spacing);

  section (doc, _("Reader"));
  if (g_strcmp0 (input->reader_role, "expert") == 0)
    role = _("expert");
  else if (g_strcmp0 (input->reader_role, "reviewer") == 0)
    role = _("reviewer");
  else
    role = input->reader_role;
  field (doc, _("Name"), input->reader_name);
  field (doc, _("Identifier"), input->reader_id);
  field (doc, _("Role"), role);
  field (doc, _("Annotation status"), input->status);
  field (doc, _("Report date"), when);
}

static gchar *
format_ml (gdouble ml,
           gboolean lung)
{
  /* Lungs to 0.1 mL, lesions to 0.01 mL: the precisions `fidac-cli quantify` prints. */
  return lung ? g_strdup_printf (_("%.1f mL"), ml) : g_strdup_printf (_("%.2f mL"), ml);
}

static gchar *
format_in_lung (const FidacQuantResult *q,
                guint                   lung,
                guint                   id)
{
  if (!q->has_lungs)
    return NULL;
  /* TRANSLATORS: a lesion volume in one lung, then its share of that lung */
  return g_strdup_printf (_("%.2f mL\n%.2f %%"), q->in_lung_ml[lung][id],
                          q->involvement[lung][id]);
}

static void
write_quantification (Doc                    *doc,
                      const FidacQuantResult *q,
                      const FidacScores      *scores)
{
  static const gdouble widths[5] = { 0.28, 0.18, 0.18, 0.18, 0.18 };
  const gchar *header[5] = { _("Lesion class"), _("Painted"), _("Right lung"), _("Left lung"),
                             _("Both lungs") };
  g_autofree gchar *right = format_ml (q->lung_ml[FIDAC_LUNG_RIGHT], TRUE);
  g_autofree gchar *left = format_ml (q->lung_ml[FIDAC_LUNG_LEFT], TRUE);
  g_autofree gchar *both = format_ml (q->lung_ml[0], TRUE);
  const gchar *lungs[5] = { _("Lung volume"), NULL, right, left, both };
  FidacExtent suggested;

  section (doc, _("Quantification"));
  if (!q->has_lungs)
    paragraph (doc, FONT_BODY,
               _("The lungs were not segmented: only the painted volumes are given."), grey, 4);
  table_row (doc, FONT_BOLD, widths, 5, header, TRUE);
  if (q->has_lungs)
    table_row (doc, FONT_BODY, widths, 5, lungs, FALSE);
  for (guint c = 1; c <= FIDAC_LESION_N_CLASSES + 1; c++)
    {
      /* The classes, then every class together (index 0) last. */
      guint id = c <= FIDAC_LESION_N_CLASSES ? c : 0;
      const FidacLesionClass *lesion = fidac_lesion_get (id);
      g_autofree gchar *painted = format_ml (q->lesion_ml[id], FALSE);
      g_autofree gchar *r = format_in_lung (q, FIDAC_LUNG_RIGHT, id);
      g_autofree gchar *l = format_in_lung (q, FIDAC_LUNG_LEFT, id);
      g_autofree gchar *b = format_in_lung (q, 0, id);
      const gchar *cells[5] = { lesion != NULL ? fidac_lesion_get_name (lesion)
                                               : _("All classes"), painted, r, l, b };

      table_row (doc, FONT_BODY, widths, 5, cells, id == 0);
    }

  doc->y += 4;
  if (q->has_lungs)
    {
      g_autofree gchar *text = NULL;

      suggested = fidac_extent_for_percent (q->involvement[0][0]);
      /* TRANSLATORS: an extent class name, then its definition */
      text = g_strdup_printf (_("%s (%s)"), text_or_dash (fidac_extent_get_name (suggested)),
                              text_or_dash (fidac_extent_get_definition (suggested)));
      field (doc, _("Suggested extent class"), text);
      if (scores != NULL && scores->extent != FIDAC_EXTENT_UNSET && scores->extent != suggested)
        paragraph (doc, FONT_BOLD,
                   _("The expert’s extent class differs from the one the measured involvement "
                     "suggests."), black, 4);
    }
}

static gchar *
format_findings (const FidacScores *s)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint f = FIDAC_FINDING_PLEURAL_EFFUSION; f <= FIDAC_FINDING_OTHER; f <<= 1)
    {
      if (!(s->findings & f))
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, text_or_dash (fidac_finding_get_name (f)));
      if (f == FIDAC_FINDING_OTHER && s->other_findings != NULL && *s->other_findings != '\0')
        g_string_append_printf (text, " (%s)", s->other_findings);
    }
  if (text->len == 0)
    g_string_append (text, _("none"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
write_scores (Doc                    *doc,
              const FidacScores      *s,
              const FidacQuantResult *q)
{
  static const gdouble widths[3] = { 0.4, 0.12, 0.48 };
  const gchar *header[3] = { _("Lobe"), _("Score"), _("Definition") };
  g_autofree gchar *total = NULL;
  g_autofree gchar *extent = NULL;
  g_autofree gchar *corads = NULL;
  g_autofree gchar *rsna = NULL;
  g_autofree gchar *distribution = NULL;
  g_autofree gchar *findings = NULL;
  guint n_set = 0;
  gint sum;

  /* The lobe table and the total stay on one page. */
  ensure_space (doc, 200);
  section (doc, _("Scores"));
  if (s == NULL)
    {
      paragraph (doc, FONT_BODY, _("No scores entered."), grey, 4);
      return;
    }
  table_row (doc, FONT_BOLD, widths, 3, header, TRUE);
  for (gint l = 0; l < FIDAC_N_LOBES; l++)
    {
      g_autofree gchar *name = g_strdup_printf ("%s (%s)", fidac_lobe_get_name (l),
                                                fidac_lobe_get_abbreviation (l));
      g_autofree gchar *score = s->lobes[l] == FIDAC_SCORE_UNSET
                                ? NULL : g_strdup_printf ("%d", s->lobes[l]);
      const gchar *cells[3] = { name, score, s->lobes[l] == FIDAC_SCORE_UNSET ? NULL
                                : fidac_lobe_score_get_definition (s->lobes[l]) };

      table_row (doc, FONT_BODY, widths, 3, cells, FALSE);
    }
  sum = fidac_scores_total (s, &n_set);
  if (n_set == FIDAC_N_LOBES)
    total = g_strdup_printf ("%d / %d", sum, FIDAC_TOTAL_SCORE_MAX);
  else
    /* TRANSLATORS: the total of the lobe scores set, its maximum, and how many lobes are scored */
    total = g_strdup_printf (_("%d / %d (%u of 5 lobes scored)"), sum, FIDAC_TOTAL_SCORE_MAX,
                             n_set);
  doc->y += 4;
  field (doc, _("Total score"), total);

  if (s->extent != FIDAC_EXTENT_UNSET)
    extent = g_strdup_printf (_("%s (%s)"), text_or_dash (fidac_extent_get_name (s->extent)),
                              text_or_dash (fidac_extent_get_definition (s->extent)));
  field (doc, _("Extent class (expert)"), extent);
  if (q->has_lungs)
    {
      FidacExtent measured = fidac_extent_for_percent (q->involvement[0][0]);
      g_autofree gchar *suggested = NULL;

      /* TRANSLATORS: an extent class name, then the share of both lungs involved */
      suggested = g_strdup_printf (_("%s (%.2f %% of the lungs involved)"),
                                   text_or_dash (fidac_extent_get_name (measured)),
                                   q->involvement[0][0]);
      field (doc, _("Extent class (suggested)"), suggested);
    }
  if (s->corads != FIDAC_SCORE_UNSET)
    /* TRANSLATORS: a CO-RADS category number, then its definition */
    corads = g_strdup_printf (_("CO-RADS %d: %s"), s->corads,
                              text_or_dash (fidac_corads_get_definition (s->corads)));
  field (doc, _("CO-RADS"), corads);
  if (s->rsna != FIDAC_RSNA_UNSET)
    rsna = g_strdup_printf ("%s: %s", text_or_dash (fidac_rsna_get_name (s->rsna)),
                            text_or_dash (fidac_rsna_get_definition (s->rsna)));
  field (doc, _("RSNA category"), rsna);
  field (doc, _("Predominant pattern"),
         s->pattern != FIDAC_PATTERN_UNSET ? fidac_pattern_get_name (s->pattern) : NULL);
  if (s->axial != FIDAC_AXIAL_UNSET || s->side != FIDAC_SIDE_UNSET)
    distribution = g_strdup_printf ("%s, %s",
                                    s->axial != FIDAC_AXIAL_UNSET
                                    ? text_or_dash (fidac_axial_get_name (s->axial)) : "—",
                                    s->side != FIDAC_SIDE_UNSET
                                    ? text_or_dash (fidac_side_get_name (s->side)) : "—");
  field (doc, _("Distribution"), distribution);
  findings = format_findings (s);
  field (doc, _("Other findings"), findings);
  field (doc, _("Comment"), s->comment);
}

/* Key images ------------------------------------------------------------------------------- */

static const guint8 lung_outline_rgb[3] = FIDAC_REPORT_LUNG_OUTLINE_RGB;

/* The axial plane through the centre of stored slice k (for an axial series: the slice
 * itself, pixel for pixel at `size`), in the lung window, with the lesions filled in their
 * catalog colours and the lungs outlined. */
static cairo_surface_t *
key_image (const FidacReportInput *input,
           gint                    k,
           gdouble                *z_mm,
           GError                **error)
{
  const FidacVolume *volume = input->volume;
  FidacPlane plane;
  FidacResliceOptions options;
  gdouble voxel[3] = { (volume->dims[0] - 1) / 2.0, (volume->dims[1] - 1) / 2.0, k };
  gdouble centre[3];
  g_autofree gfloat *hu = NULL;
  g_autofree guint8 *gray = NULL;
  g_autofree guint8 *rgb = NULL;
  g_autofree guint8 *labels = NULL;
  cairo_surface_t *surface;
  guint8 *data;
  gint w, h, stride;
  gsize n;

  if (!fidac_plane_init_view (&plane, volume, FIDAC_VIEW_AXIAL, 0, FIDAC_REPORT_KEY_IMAGE_SIZE,
                              error))
    return NULL;
  fidac_volume_voxel_to_patient (volume, voxel, centre);
  fidac_plane_move_to (&plane, centre);
  *z_mm = centre[2];
  w = plane.width;
  h = plane.height;
  n = (gsize) w * h;
  hu = g_new (gfloat, n);
  gray = g_new (guint8, n);
  rgb = g_new (guint8, n * 3);
  labels = g_new (guint8, (gsize) (w + 2) * (h + 2));

  fidac_reslice_options_init (&options);
  options.interpolation = FIDAC_INTERPOLATION_LINEAR;
  if (!fidac_reslice (volume, &plane, &options, hu, error))
    return NULL;
  fidac_reslice_window (hu, n, FIDAC_WINDOW_LUNG_WIDTH, FIDAC_WINDOW_LUNG_LEVEL, FALSE, gray);

  if (input->labels != NULL)
    {
      FidacOverlayStyle style;

      fidac_overlay_style_init (&style);
      style.mode = FIDAC_OVERLAY_FILLED;
      style.opacity = FIDAC_REPORT_OVERLAY_OPACITY;
      if (!fidac_label_reslice (input->labels, volume, &plane, 1, labels, error))
        return NULL;
      fidac_overlay_composite (gray, labels, w, h, &style, rgb, 3);
    }
  else
    for (gsize p = 0; p < n; p++)
      rgb[3 * p] = rgb[3 * p + 1] = rgb[3 * p + 2] = gray[p];

  if (input->lungs != NULL)
    {
      const gint s = w + 2;

      if (!fidac_label_reslice (input->lungs, volume, &plane, 1, labels, error))
        return NULL;
      for (gint v = 0; v < h; v++)
        for (gint u = 0; u < w; u++)
          {
            const guint8 *c = labels + (gsize) (v + 1) * s + u + 1;

            if (*c != 0 && fidac_label_is_boundary (c, s))
              memcpy (rgb + 3 * ((gsize) v * w + u), lung_outline_rgb, 3);
          }
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, FIDAC_REPORT_ERROR, FIDAC_REPORT_ERROR_WRITE,
                   _("Cannot make a key image: %s"),
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return NULL;
    }
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (gint v = 0; v < h; v++)
    {
      guint32 *row = (guint32 *) (gpointer) (data + (gsize) v * stride);

      for (gint u = 0; u < w; u++)
        {
          const guint8 *p = rgb + 3 * ((gsize) v * w + u);

          row[u] = ((guint32) p[0] << 16) | ((guint32) p[1] << 8) | p[2];
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

static void
edge_letter (Doc         *doc,
             const gchar *letter,
             gdouble      x,
             gdouble      y,
             gdouble      ax,
             gdouble      ay)
{
  static const gdouble white[3] = { 1.0, 1.0, 1.0 };
  g_autoptr(PangoLayout) layout = make_layout (doc, FONT_BOLD, letter, -1);
  gint w, h;

  pango_layout_get_size (layout, &w, &h);
  draw_layout (doc, layout, x - ax * w / PANGO_SCALE, y - ay * h / PANGO_SCALE, white);
}

static void
swatch (Doc           *doc,
        gdouble        x,
        gdouble        y,
        const guint8   rgb[3],
        gboolean       outline)
{
  cairo_save (doc->cr);
  cairo_set_source_rgb (doc->cr, rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0);
  if (outline)
    {
      cairo_set_line_width (doc->cr, 1.5);
      cairo_rectangle (doc->cr, x + 0.75, y + 0.75, 10.5, 10.5);
      cairo_stroke (doc->cr);
    }
  else
    {
      cairo_rectangle (doc->cr, x, y, 12, 12);
      cairo_fill (doc->cr);
    }
  cairo_restore (doc->cr);
}

static void
write_legend (Doc      *doc,
              gboolean  lungs)
{
  gdouble x = MARGIN;

  ensure_space (doc, 20);
  for (guint id = 1; id <= FIDAC_LESION_N_CLASSES + 1; id++)
    {
      const FidacLesionClass *lesion = fidac_lesion_get (id);
      const gchar *name;
      g_autoptr(PangoLayout) layout = NULL;
      gint w, h;

      if (lesion == NULL && !lungs)
        break;
      name = lesion != NULL ? fidac_lesion_get_name (lesion) : _("Lung outline");
      swatch (doc, x, doc->y, lesion != NULL ? lesion->rgb : lung_outline_rgb, lesion == NULL);
      layout = make_layout (doc, FONT_BODY, name, -1);
      draw_layout (doc, layout, x + 16, doc->y, black);
      pango_layout_get_size (layout, &w, &h);
      x += 16 + (gdouble) w / PANGO_SCALE + 18;
    }
  doc->y += 20;
}

static gboolean
write_key_images (Doc                    *doc,
                  const FidacReportInput *input,
                  GError                **error)
{
  const FidacVolume *volume = input->volume;
  guint wanted = input->n_key_images > 0 ? MIN (input->n_key_images, MAX_KEY_IMAGES)
                                         : FIDAC_REPORT_DEFAULT_KEY_IMAGES;
  gint slices[MAX_KEY_IMAGES];
  guint n = 0;
  const gdouble cell = (CONTENT_WIDTH - KEY_IMAGE_GAP) / 2;
  g_autofree gchar *intro = NULL;

  if (input->labels != NULL)
    n = fidac_quantify_key_slices (volume, input->labels, input->lungs,
                                   FIDAC_REPORT_KEY_IMAGE_GAP_MM, wanted, slices);
  new_page (doc);
  section (doc, _("Key images"));
  if (n == 0)
    {
      paragraph (doc, FONT_BODY, _("Nothing is painted: no key image."), grey, 4);
      return TRUE;
    }
  intro = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "The axial slice with the most lesion voxels inside the "
                                        "lungs, in the lung window (seen from the feet: the "
                                        "patient’s right on the left).",
                                        "The %u axial slices with the most lesion voxels inside "
                                        "the lungs, at least %g mm apart, in the lung window "
                                        "(seen from the feet: the patient’s right on the left).",
                                        n), n, FIDAC_REPORT_KEY_IMAGE_GAP_MM);
  paragraph (doc, FONT_BODY, intro, black, 6);
  write_legend (doc, input->lungs != NULL);

  for (guint i = 0; i < n; i += 2)
    {
      gdouble row_height = 0;

      for (guint c = 0; c < 2 && i + c < n; c++)
        {
          cairo_surface_t *image;
          gdouble z = 0, scale, x, y, iw, ih;
          g_autofree gchar *caption = NULL;
          g_autoptr(PangoLayout) layout = NULL;
          guint64 voxels = 0;

          image = key_image (input, slices[i + c], &z, error);
          if (image == NULL)
            return FALSE;
          iw = cairo_image_surface_get_width (image);
          ih = cairo_image_surface_get_height (image);
          scale = cell / MAX (iw, ih);
          if (c == 0)
            ensure_space (doc, ih * scale + 30);
          x = MARGIN + c * (cell + KEY_IMAGE_GAP) + (cell - iw * scale) / 2;
          y = doc->y;
          cairo_save (doc->cr);
          cairo_translate (doc->cr, x, y);
          cairo_scale (doc->cr, scale, scale);
          cairo_set_source_surface (doc->cr, image, 0, 0);
          cairo_pattern_set_filter (cairo_get_source (doc->cr), CAIRO_FILTER_GOOD);
          cairo_paint (doc->cr);
          cairo_restore (doc->cr);
          cairo_surface_destroy (image);

          edge_letter (doc, "R", x + 3, y + ih * scale / 2, 0, 0.5);
          edge_letter (doc, "L", x + iw * scale - 3, y + ih * scale / 2, 1, 0.5);
          edge_letter (doc, "A", x + iw * scale / 2, y + 2, 0.5, 0);
          edge_letter (doc, "P", x + iw * scale / 2, y + ih * scale - 2, 0.5, 1);

          for (guint id = 1; id < FIDAC_LABEL_MAX_CLASSES; id++)
            voxels += fidac_label_map_slice_count (input->labels, slices[i + c], id);
          /* TRANSLATORS: the stored slice number (from 1), the slice count, its position in
           * mm along the patient's z axis, and the lesion voxels it holds */
          caption = g_strdup_printf (_("Slice %d of %d · z = %.1f mm · %llu lesion voxels"),
                                     slices[i + c] + 1, volume->dims[2], z,
                                     (unsigned long long) voxels);
          layout = make_layout (doc, FONT_SMALL, caption, cell);
          pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
          draw_layout (doc, layout, MARGIN + c * (cell + KEY_IMAGE_GAP), y + ih * scale + 3,
                       black);
          row_height = MAX (row_height, ih * scale + 3 + layout_height (layout));
        }
      doc->y += row_height + 12;
    }
  return TRUE;
}

/* Writing ---------------------------------------------------------------------------------- */

typedef struct {
  gint fd;
  gint saved_errno;
} Sink;

static cairo_status_t
sink_write (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  Sink *sink = closure;

  while (length > 0)
    {
      gssize n = write (sink->fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          sink->saved_errno = n < 0 ? errno : EIO;
          return CAIRO_STATUS_WRITE_ERROR;
        }
      data += n;
      length -= (guint) n;
    }
  return CAIRO_STATUS_SUCCESS;
}

static void
set_write_error (GError      **error,
                 const gchar  *path,
                 const gchar  *reason)
{
  g_autofree gchar *display = g_filename_display_name (path);

  /* TRANSLATORS: a file name, then why it could not be written */
  g_set_error (error, FIDAC_REPORT_ERROR, FIDAC_REPORT_ERROR_WRITE,
               _("Cannot write the report %s: %s"), display, reason);
}

static gboolean
check_grid (const FidacLabelMap *map,
            const FidacVolume   *volume,
            GError             **error)
{
  if (map == NULL || (map->dims[0] == volume->dims[0] && map->dims[1] == volume->dims[1] &&
                      map->dims[2] == volume->dims[2]))
    return TRUE;
  g_set_error (error, FIDAC_REPORT_ERROR, FIDAC_REPORT_ERROR_INVALID,
               _("The label map’s grid (%d × %d × %d) is not the volume’s (%d × %d × %d)"),
               map->dims[0], map->dims[1], map->dims[2],
               volume->dims[0], volume->dims[1], volume->dims[2]);
  return FALSE;
}

static gboolean
render (cairo_t                *cr,
        const FidacReportInput *input,
        const FidacQuantResult *q,
        GDateTime              *date,
        GError                **error)
{
  Doc doc = { cr, MARGIN, 0 };

  new_page (&doc);
  write_header (&doc, input, date);
  write_quantification (&doc, q, input->scores);
  write_scores (&doc, input->scores, q);
  if (!write_key_images (&doc, input, error))
    return FALSE;
  cairo_show_page (cr);
  return TRUE;
}

gboolean
fidac_report_write_pdf (const FidacReportInput *input,
                        const gchar            *path,
                        GError                **error)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree gchar *dir = NULL;
  g_autofree gchar *base = NULL;
  g_autofree gchar *tmp = NULL;
  FidacQuantResult q;
  Sink sink = { -1, 0 };
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  gboolean ok;

  g_return_val_if_fail (input != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (input->volume == NULL)
    {
      g_set_error_literal (error, FIDAC_REPORT_ERROR, FIDAC_REPORT_ERROR_INVALID,
                           _("There is no case to report"));
      return FALSE;
    }
  if (!check_grid (input->labels, input->volume, error) ||
      !check_grid (input->lungs, input->volume, error))
    return FALSE;

  if (input->quantification != NULL)
    q = *input->quantification;
  else
    {
      g_autoptr(FidacLabelMap) empty = NULL;
      const FidacLabelMap *labels = input->labels;

      if (labels == NULL)
        {
          empty = fidac_label_map_new (input->volume, error);
          if (empty == NULL)
            return FALSE;
          labels = empty;
        }
      if (!fidac_quantify (input->volume, labels, input->lungs, &q, error))
        return FALSE;
    }
  date = input->date != NULL ? g_date_time_ref (input->date) : g_date_time_new_now_local ();

  /* Beside the target, so that the rename stays on one file system and is atomic. */
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  sink.fd = g_mkstemp_full (tmp, O_WRONLY, 0644);
  if (sink.fd < 0)
    {
      set_write_error (error, path, g_strerror (errno));
      return FALSE;
    }

  surface = cairo_pdf_surface_create_for_stream (sink_write, &sink, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _("FIDAC case report"));
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "FIDAC " PACKAGE_VERSION);
  cr = cairo_create (surface);
  ok = render (cr, input, &q, date, error);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (ok && status != CAIRO_STATUS_SUCCESS)
    {
      set_write_error (error, path, sink.saved_errno != 0 ? g_strerror (sink.saved_errno)
                                                          : cairo_status_to_string (status));
      ok = FALSE;
    }
  if (ok && fsync (sink.fd) != 0)
    {
      set_write_error (error, path, g_strerror (errno));
      ok = FALSE;
    }
  if (close (sink.fd) != 0 && ok)
    {
      set_write_error (error, path, g_strerror (errno));
      ok = FALSE;
    }
  if (ok && g_rename (tmp, path) != 0)
    {
      set_write_error (error, path, g_strerror (errno));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (tmp);
  return ok;
}
