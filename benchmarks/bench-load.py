#!/usr/bin/python3
# bench-load.py: loading the shared real series with fidac-cli, dcm2niix and pydicom + numpy.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench-load.py PATH/TO/fidac-cli [--rounds N] [--series NAME]...
#
# Every tool runs as a child process; wall time comes from time.perf_counter() around it
# and peak memory from os.wait4()'s ru_maxrss. Tools are interleaved within each round so
# that the page cache, CPU frequency and other load affect them alike; one warm-up round is
# not counted. Outputs go to /dev/shm so that no disk is measured.

import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SERIES = ('covid-ricord-000082', 'lidc-0001')


def pydicom_stack(folder):
    """The reference script: read every file, sort by position along the normal, stack."""
    import numpy as np
    import pydicom

    slices = []
    for path in sorted(glob.glob(os.path.join(folder, '*'))):
        try:
            ds = pydicom.dcmread(path)
        except Exception:
            continue
        if 'PixelData' not in ds:
            continue
        slices.append(ds)
    iop = np.array(slices[0].ImageOrientationPatient, dtype=float)
    normal = np.cross(iop[:3], iop[3:])
    slices.sort(key=lambda ds: float(np.dot(normal, np.array(ds.ImagePositionPatient, dtype=float))))
    volume = np.empty((len(slices), slices[0].Rows, slices[0].Columns), dtype=np.int16)
    for k, ds in enumerate(slices):
        hu = ds.pixel_array * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
        volume[k] = np.clip(hu, -32768, 32767)
    return volume


def measure(argv, cleanup=None):
    """(wall seconds, peak RSS bytes, CPU seconds, exit status) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode(errors='replace')
    child.stderr.close()
    if cleanup:
        cleanup()
    return wall, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime, child.returncode, err


def volume_bytes(folder):
    import pydicom

    files = []
    for path in glob.glob(os.path.join(folder, '*')):
        try:
            ds = pydicom.dcmread(path, stop_before_pixels=True)
        except Exception:
            continue
        if 'Rows' in ds:
            files.append(ds)
    return len(files) * files[0].Rows * files[0].Columns * 2


def pydicom_available(folder, python):
    probe = ('import glob, pydicom, sys; '
             'f = sorted(glob.glob(sys.argv[1] + "/*.dcm"))[0]; '
             'pydicom.dcmread(f).pixel_array')
    p = subprocess.run([python, '-c', probe, folder], capture_output=True, text=True)
    if p.returncode == 0:
        return None
    lines = [line for line in p.stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else 'pydicom failed'


def mb(n):
    return n / (1024.0 * 1024.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('cli')
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--series', action='append')
    parser.add_argument('--pydicom-stack', help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.pydicom_stack:
        pydicom_stack(args.pydicom_stack)
        return 0

    cli = os.path.abspath(args.cli)
    shared = os.environ.get('FIDAC_SHARED_DATA', os.path.join('..', 'shared', 'data'))
    python = '/usr/bin/python3'
    dcm2niix = shutil.which('dcm2niix')
    scratch = tempfile.mkdtemp(prefix='fidac-bench-', dir='/dev/shm' if os.path.isdir('/dev/shm') else None)

    print('fidac load benchmark: %d rounds (+1 warm-up), %d CPUs, outputs in %s'
          % (args.rounds, os.cpu_count(), scratch))
    try:
        for name in args.series or SERIES:
            folder = os.path.join(shared, 'ct', name)
            if not os.path.isdir(folder):
                print('\n%s: skipped, shared data %s is not present' % (name, folder))
                continue

            nii = os.path.join(scratch, 'fidac.nii')
            d2n = os.path.join(scratch, 'dcm2niix')
            os.makedirs(d2n, exist_ok=True)

            def clean_nii():
                if os.path.exists(nii):
                    os.unlink(nii)

            def clean_d2n():
                for f in os.listdir(d2n):
                    os.unlink(os.path.join(d2n, f))

            tools = [
                ('fidac-cli convert', [cli, 'convert', folder, nii], clean_nii),
                ('fidac-cli info (load only)', [cli, 'info', folder], None),
            ]
            unavailable = []
            if dcm2niix:
                tools.append(('dcm2niix -z n', [dcm2niix, '-z', 'n', '-b', 'n', '-f', 'out',
                                                 '-o', d2n, folder], clean_d2n))
            else:
                unavailable.append(('dcm2niix -z n', 'dcm2niix is not installed'))
            why = pydicom_available(folder, python)
            if why is None:
                tools.append(('pydicom + numpy stack', [python, os.path.abspath(__file__), cli,
                                                        '--pydicom-stack', folder], None))
            else:
                unavailable.append(('pydicom + numpy stack', 'cannot decode: ' + why))

            results = {label: [] for label, _, _ in tools}
            failures = {}
            for rnd in range(args.rounds + 1):
                for label, argv, cleanup in tools:
                    wall, rss, cpu, rc, err = measure(argv, cleanup)
                    if rc != 0:
                        lines = err.strip().splitlines()
                        failures[label] = 'exit %d: %s' % (rc, lines[-1] if lines else '')
                    elif rnd > 0:
                        results[label].append((wall, rss, cpu))

            vol = volume_bytes(folder)
            target = 1.5 * vol + 50 * 1024 * 1024
            print('\n%s: %s, volume %.1f MB (int16), memory target 1.5 x volume + 50 MB = %.1f MB'
                  % (name, folder, mb(vol), mb(target)))
            print('  %-28s %10s %10s %10s %11s %11s' % ('tool', 'wall s', 'CPU s', 'peak MB',
                                                       'time/fidac', 'mem/fidac'))
            base = results['fidac-cli convert']
            base_wall = statistics.median(w for w, _, _ in base) if base else None
            base_rss = statistics.median(r for _, r, _ in base) if base else None
            for label, _, _ in tools:
                rows = results[label]
                if label in failures or not rows:
                    print('  %-28s failed: %s' % (label, failures.get(label, 'no result')))
                    continue
                wall = statistics.median(w for w, _, _ in rows)
                rss = statistics.median(r for _, r, _ in rows)
                cpu = statistics.median(c for _, _, c in rows)
                print('  %-28s %10.3f %10.3f %10.1f %11s %11s'
                      % (label, wall, cpu, mb(rss),
                         '%.2f' % (wall / base_wall) if base_wall else '-',
                         '%.2f' % (rss / base_rss) if base_rss else '-'))
            for label, reason in unavailable:
                print('  %-28s unavailable (%s)' % (label, reason))
            if base_rss:
                print('  fidac-cli convert peak %.1f MB = %.2f x volume; target %.1f MB: %s'
                      % (mb(base_rss), base_rss / vol, mb(target),
                         'met' if base_rss <= target else 'NOT met'))
            if base_wall and 'dcm2niix -z n' in results and results['dcm2niix -z n']:
                d = statistics.median(w for w, _, _ in results['dcm2niix -z n'])
                print('  fidac-cli convert vs dcm2niix: %.2f x the time: %s'
                      % (base_wall / d, 'faster' if base_wall < d else 'NOT faster'))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
