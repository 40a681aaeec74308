# clitest.py: the TAP output and the fidac-cli runs shared by the end-to-end tests here
# (test-cli.py, test-render-dcmtk.py, test-annotations.py, test-quantify-report.py). meson runs
# them by their path in the source tree, so Python finds this module beside them.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import glob
import json
import os
import subprocess
import sys

# Every test here takes the fidac-cli to test as its first argument.
CLI = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None

count = 0
failed = 0


def tap(ok, description, diagnostics=None):
    """One TAP result; on failure the diagnostics follow as comment lines."""
    global count, failed
    count += 1
    if not ok:
        failed += 1
    print(('ok' if ok else 'not ok') + ' %d - %s' % (count, description))
    if not ok and diagnostics is not None:
        for line in str(diagnostics).splitlines():
            print('# ' + line)
    sys.stdout.flush()
    return ok


def skip(description, reason):
    global count
    count += 1
    print('ok %d - %s # SKIP %s' % (count, description, reason))
    sys.stdout.flush()


def finish():
    """The TAP plan (after the results) and the exit status."""
    print('1..%d' % count)
    return 1 if failed else 0


def run(program, *args, env=None):
    environment = dict(os.environ, LC_ALL='C.UTF-8')
    environment.update(env or {})
    p = subprocess.run([program] + [str(a) for a in args], capture_output=True, text=True,
                       env=environment)
    return p.returncode, p.stdout, p.stderr


def cli(*args, **kwargs):
    return run(CLI, *args, **kwargs)


def cli_json(*args, **kwargs):
    """fidac-cli with --json: (exit status, the parsed output or None, stderr)."""
    rc, out, err = cli(*args, '--json', **kwargs)
    try:
        return rc, json.loads(out), err
    except ValueError as error:
        return rc, None, 'invalid JSON (%s): %s %s' % (error, out, err)


def files_below(folder):
    """Every file in `folder` and its subfolders (a series as written, in glob's order)."""
    return [p for p in glob.glob(os.path.join(folder, '**', '*'), recursive=True)
            if os.path.isfile(p)]
