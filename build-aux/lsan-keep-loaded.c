/* lsan-keep-loaded.c: preloaded (LD_PRELOAD) in the ASan+UBSan test run only.
 *
 * Mesa unloads its driver (swrast_dri.so) when the display closes. LeakSanitizer runs later,
 * cannot name the vanished module, and reports the driver's long-lived allocations as leaks
 * from "<unknown module>", which no suppression can match. Keeping every library loaded
 * until exit lets the driver's globals keep their memory reachable, as they do in real life.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
int dlclose (void *handle);

int
dlclose (void *handle)
{
  (void) handle;
  return 0;
}
