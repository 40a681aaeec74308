#!/usr/bin/python3
# test-render-dcmtk.py: `fidac-cli render` against an independent DICOM renderer, DCMTK's
# dcmj2pnm with the same VOI window (+Ww), on the phantom fidac writes and the shared series.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-render-dcmtk.py PATH/TO/fidac-cli   (prints TAP; FIDAC_SHARED_DATA names the
# real data). An axial view of an axial series at native size, slice K (0 = the smallest
# position along the normal), must be what dcmj2pnm makes of the stored slice K. Pixels that
# hold the series' Pixel Padding Value are left out: fidac shows padding as air (-1024 HU)
# while dcmj2pnm windows the raw padding value.

import os
import shutil
import subprocess
import sys
import tempfile
import zlib
import struct

import numpy as np
import pydicom

from clitest import CLI, files_below, finish, skip, tap

SHARED = os.environ.get('FIDAC_SHARED_DATA', os.path.join('..', 'shared', 'data'))
DCMJ2PNM = shutil.which('dcmj2pnm')


def read_png_gray(path):
    with open(path, 'rb') as f:
        data = f.read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
    pos, idat, width, height = 8, b'', 0, 0
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b'IHDR':
            width, height = struct.unpack('>II', body[:8])
        elif kind == b'IDAT':
            idat += body
        pos += 12 + length
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(height, width + 1)
    assert np.all(raw[:, 0] == 0), 'unexpected PNG filter'
    return raw[:, 1:]


def read_pgm(path):
    with open(path, 'rb') as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b'#':
            pos = data.index(b'\n', pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    assert fields[0] == b'P5' and int(fields[3]) == 255, 'not an 8-bit PGM'
    width, height = int(fields[1]), int(fields[2])
    return np.frombuffer(data[pos + 1:pos + 1 + width * height], dtype=np.uint8).reshape(
        height, width)


def sorted_files(folder):
    """The series' image files sorted by position along the normal, as fidac orders them."""
    entries = []
    for path in files_below(folder):
        try:
            ds = pydicom.dcmread(path, stop_before_pixels=True)
        except Exception:
            continue
        if 'ImagePositionPatient' not in ds or 'ImageOrientationPatient' not in ds:
            continue
        o = [float(v) for v in ds.ImageOrientationPatient]
        normal = np.cross(o[:3], o[3:])
        entries.append((float(np.dot(normal, [float(v) for v in ds.ImagePositionPatient])), path))
    entries.sort()
    return [path for _, path in entries]


def padding_mask(path):
    ds = pydicom.dcmread(path)
    raw = ds.pixel_array
    mask = np.zeros(raw.shape, dtype=bool)
    if 'PixelPaddingValue' in ds:
        # The value is stored with the pixels' signedness or not; compare the raw bits.
        bits = int(ds.BitsAllocated)
        pad = int(ds.PixelPaddingValue) & ((1 << bits) - 1)
        raw_bits = raw.astype(np.int64) & ((1 << bits) - 1)
        mask |= raw_bits == pad
    return mask


def compare(tmp, name, folder, files, k, window):
    centre, width = window[1], window[0]
    ours = os.path.join(tmp, 'fidac.png')
    theirs = os.path.join(tmp, 'dcmtk.pgm')
    for path in (ours, theirs):
        if os.path.exists(path):
            os.unlink(path)
    p = subprocess.run([CLI, 'render', folder, '--view', 'axial', '--index', str(k),
                        '--window', '%g,%g' % (width, centre), '--interpolation', 'nearest',
                        '-o', ours], capture_output=True, text=True)
    if p.returncode != 0:
        return tap(False, '%s: slice %d, W %g L %g, fidac-cli render' % (name, k, width, centre),
                   p.stderr)
    q = subprocess.run([DCMJ2PNM, '+Ww', '%g' % centre, '%g' % width, files[k], theirs],
                       capture_output=True, text=True)
    if q.returncode != 0:
        return tap(False, '%s: slice %d, dcmj2pnm' % (name, k), q.stderr)
    a = read_png_gray(ours).astype(int)
    b = read_pgm(theirs).astype(int)
    if a.shape != b.shape:
        return tap(False, '%s: slice %d, W %g L %g equals dcmj2pnm' % (name, k, width, centre),
                   'shapes %s and %s' % (a.shape, b.shape))
    keep = ~padding_mask(files[k])
    diff = np.abs(a - b)[keep]
    worst = int(diff.max()) if diff.size else 0
    return tap(worst == 0,
               '%s: slice %d, W %g L %g equals dcmj2pnm on all %d non-padding pixels' %
               (name, k, width, centre, int(keep.sum())),
               'max difference %d on %d pixels' % (worst, int(np.sum(diff != 0))))


WINDOWS = [(1500.0, -600.0), (350.0, 40.0), (2000.0, 500.0), (1.0, -500.0), (401.0, 50.5)]


def check_series(tmp, name, folder, ks):
    files = sorted_files(folder)
    if not files:
        return tap(False, '%s: no image files found' % name)
    for k in ks:
        k = min(k, len(files) - 1)
        for window in WINDOWS:
            compare(tmp, name, folder, files, k, window)


def main():
    if DCMJ2PNM is None:
        print('1..1')
        skip('fidac-cli render against dcmj2pnm', 'dcmj2pnm (package dcmtk) is not installed')
        return 0
    tmp = tempfile.mkdtemp(prefix='fidac-render-dcmtk-')
    try:
        phantom = os.path.join(tmp, 'phantom')
        p = subprocess.run([CLI, 'phantom', phantom, '--slices', '24', '--size', '128'],
                           capture_output=True, text=True)
        if tap(p.returncode == 0, 'phantom written', p.stderr):
            check_series(tmp, 'phantom', phantom, [0, 11, 23])
        for name, ks in (('covid-ricord-000082', [0, 127, 254]), ('lidc-0001', [0, 66, 132])):
            folder = os.path.join(SHARED, 'ct', name)
            if not os.path.isdir(folder):
                skip('%s against dcmj2pnm' % name, 'shared data not found at %s' % folder)
                continue
            check_series(tmp, name, folder, ks)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == '__main__':
    sys.exit(main())
