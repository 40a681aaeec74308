/* render-test-common.c: an OpenGL context without a window, for the render tests and the
 * OpenGL benchmarks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <epoxy/gl.h>
#include <gtk/gtk.h>

#include "render-test-common.h"

GdkGLContext *
render_test_context_new (GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GdkGLContext) ctx = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (display == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no display");
      return NULL;
    }
  ctx = gdk_display_create_gl_context (display, &local_error);
  if (ctx == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no GL context: %s",
                   local_error->message);
      return NULL;
    }
  gdk_gl_context_set_required_version (ctx, 3, 3);
#if GTK_CHECK_VERSION (4, 6, 0)
  /* Newer GTK may prefer OpenGL ES, which the render layer refuses. */
  gdk_gl_context_set_allowed_apis (ctx, GDK_GL_API_GL);
#endif
  if (!gdk_gl_context_realize (ctx, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "GL context not realized: %s",
                   local_error->message);
      return NULL;
    }
  gdk_gl_context_make_current (ctx);
  if (!epoxy_is_desktop_gl () || epoxy_gl_version () < 33)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "GL context is %s %d",
                   epoxy_is_desktop_gl () ? "OpenGL" : "OpenGL ES", epoxy_gl_version ());
      gdk_gl_context_clear_current ();
      return NULL;
    }
  return g_steal_pointer (&ctx);
}

GdkGLContext *
render_test_init_context (void)
{
  g_autoptr(GError) error = NULL;
  GdkGLContext *context;

  if (!gtk_init_check ())
    return NULL;
  context = render_test_context_new (&error);
  if (context == NULL)
    {
      g_test_message ("%s", error->message);
      return NULL;
    }
  g_test_message ("OpenGL %s, %s", glGetString (GL_VERSION), glGetString (GL_RENDERER));
  return context;
}

gboolean
render_test_have_context (GdkGLContext *context)
{
  if (context == NULL)
    {
      g_test_skip ("no OpenGL 3.3 context (no display, or OpenGL ES only)");
      return FALSE;
    }
  gdk_gl_context_make_current (context);
  return TRUE;
}

void
render_test_target_new (gint    width,
                        gint    height,
                        guint  *framebuffer,
                        guint  *renderbuffer)
{
  glGenRenderbuffers (1, renderbuffer);
  glBindRenderbuffer (GL_RENDERBUFFER, *renderbuffer);
  glRenderbufferStorage (GL_RENDERBUFFER, GL_RGBA8, width, height);
  glGenFramebuffers (1, framebuffer);
  glBindFramebuffer (GL_FRAMEBUFFER, *framebuffer);
  glFramebufferRenderbuffer (GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER,
                             *renderbuffer);
}

void
render_test_target_free (guint framebuffer,
                         guint renderbuffer)
{
  glBindFramebuffer (GL_FRAMEBUFFER, 0);
  glDeleteFramebuffers (1, &framebuffer);
  glDeleteRenderbuffers (1, &renderbuffer);
}
