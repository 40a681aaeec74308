#!/usr/bin/python3
# test-summary.py [--broken BUILDDIR]... BUILDDIR...: count every test case in meson's testlog.json of each
# build tree and print, last, "N passed, N failed" (", N skipped" when some were skipped).
# Exit status 1 when anything failed.
#
# A TAP program counts one per "ok"/"not ok" line; a program that dies (a crash, a sanitizer
# report, a timeout) counts as failed even when every line it printed was "ok", and the cases
# its plan announced but never ran count as failed too. Any other test counts as one case.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import json
import os
import re
import sys

FAILED_RESULTS = {'FAIL', 'ERROR', 'TIMEOUT', 'INTERRUPT', 'UNEXPECTEDPASS'}
TAP_LINE = re.compile(r'^(not ok|ok)\b(?:\s+\d+)?([^#]*)(?:#\s*(\w+))?', re.IGNORECASE)
TAP_PLAN = re.compile(r'^1\.\.(\d+)')


def tap_protocols(builddir):
    """Map each test's command line to its protocol, from meson's introspection."""
    path = os.path.join(builddir, 'meson-info', 'intro-tests.json')
    try:
        with open(path, encoding='utf-8') as f:
            return {tuple(t['cmd']): t.get('protocol', 'exitcode') for t in json.load(f)}
    except (OSError, ValueError):
        return {}


def count_tap(stdout):
    passed = failed = skipped = 0
    plan = None
    bailed = False
    for line in stdout.splitlines():
        m = TAP_PLAN.match(line)
        if m:
            plan = int(m.group(1))
            continue
        if line.startswith('Bail out!'):
            bailed = True
            continue
        m = TAP_LINE.match(line)
        if not m:
            continue
        directive = (m.group(3) or '').upper()
        if directive in ('SKIP', 'TODO'):
            skipped += 1
        elif m.group(1).lower() == 'ok':
            passed += 1
        else:
            failed += 1
    return passed, failed, skipped, plan, bailed


def count_tree(builddir):
    """Return (passed, failed, skipped, names of failed tests), or None without a test log."""
    path = os.path.join(builddir, 'meson-logs', 'testlog.json')
    if not os.path.exists(path):
        return None
    protocols = tap_protocols(builddir)
    passed = failed = skipped = 0
    failures = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            if not line.strip():
                continue
            entry = json.loads(line)
            result = entry.get('result', 'ERROR')
            stdout = entry.get('stdout') or ''
            protocol = protocols.get(tuple(entry.get('command') or ()))
            if protocol is None:
                protocol = 'tap' if re.search(r'^1\.\.\d+', stdout, re.M) else 'exitcode'
            if protocol == 'tap':
                p, fl, s, plan, bailed = count_tap(stdout)
                if result in FAILED_RESULTS or bailed:
                    missing = plan - (p + fl + s) if plan is not None else 0
                    fl = max(fl + max(missing, 0), 1)
                elif p + fl + s == 0:
                    # No case ran: a program that skipped itself as a whole (exit 77, "1..0").
                    if result == 'SKIP':
                        s = 1
                    else:
                        p = 1
            else:
                p = fl = s = 0
                if result in FAILED_RESULTS:
                    fl = 1
                elif result == 'SKIP':
                    s = 1
                else:
                    p = 1
            passed += p
            failed += fl
            skipped += s
            if fl:
                failures.append('{} ({})'.format(entry.get('name', '?'), result))
    return passed, failed, skipped, failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--broken', action='append', default=[],
                        help='a build tree that did not build: one failure')
    parser.add_argument('builddirs', nargs='*')
    args = parser.parse_args()

    passed = failed = skipped = 0
    for builddir in args.broken + args.builddirs:
        name = os.path.basename(os.path.normpath(builddir))
        if builddir in args.broken:
            print('{}: did not build (1 failed)'.format(name))
            failed += 1
            continue
        counts = count_tree(builddir)
        if counts is None:
            print('{}: no test log (1 failed)'.format(name))
            failed += 1
            continue
        p, fl, s, failures = counts
        print('{}: {} passed, {} failed, {} skipped'.format(name, p, fl, s))
        for failure in failures:
            print('  failed: {}'.format(failure))
        passed += p
        failed += fl
        skipped += s

    line = '{} passed, {} failed'.format(passed, failed)
    if skipped:
        line += ', {} skipped'.format(skipped)
    sys.stdout.flush()
    print(line)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
