#!/usr/bin/python3
# test-cli.py: fidac-cli end to end, checked against independent readers (pydicom, nibabel).
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-cli.py PATH/TO/fidac-cli   (prints TAP; FIDAC_SHARED_DATA names the real data)

import glob
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

import clitest
from clitest import CLI, files_below, finish, tap

SHARED = os.environ.get('FIDAC_SHARED_DATA', os.path.join('..', 'shared', 'data'))


def skip(description, reason):
    clitest.skip(description, ' '.join(str(reason).split())[:160])


def run(*args):
    env = dict(os.environ, LC_ALL='C.UTF-8')
    p = subprocess.run([CLI] + [str(a) for a in args], capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


def close(a, b, tol):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= tol))


# Independent reading of a DICOM series with pydicom.

try:
    import pydicom
    HAVE_PYDICOM = True
except ImportError:
    HAVE_PYDICOM = False

try:
    import nibabel
    HAVE_NIBABEL = True
except ImportError:
    HAVE_NIBABEL = False

FIDAC_HU_AIR = -1024


def read_series(folder, pixels=True):
    """Slices sorted by position along the normal, as the DICOM standard defines them."""
    datasets = []
    for path in files_below(folder):
        try:
            ds = pydicom.dcmread(path, stop_before_pixels=not pixels)
        except Exception:
            continue
        if 'ImagePositionPatient' in ds:
            datasets.append(ds)
    iop = np.array(datasets[0].ImageOrientationPatient, dtype=float)
    row, col = iop[:3], iop[3:]
    normal = np.cross(row, col)
    datasets.sort(key=lambda ds: float(np.dot(normal, np.array(ds.ImagePositionPatient, dtype=float))))
    return datasets, row, col, normal


def hu_of(ds):
    raw = ds.pixel_array.astype(np.int32)
    hu = raw * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    pad = ds.get('PixelPaddingValue')
    if pad is not None:
        if ds.PixelRepresentation == 1 and pad >= 32768:
            pad -= 65536
        hu = np.where(raw == pad, FIDAC_HU_AIR, hu)
    return hu


def expected_affine(datasets, row, col):
    """Voxel (i, j, k) -> RAS mm from the files' own positions: RAS = diag(-1, -1, 1) LPS."""
    dy, dx = (float(v) for v in datasets[0].PixelSpacing)
    first = np.array(datasets[0].ImagePositionPatient, dtype=float)
    last = np.array(datasets[-1].ImagePositionPatient, dtype=float)
    step = (last - first) / max(1, len(datasets) - 1)
    lps = np.eye(4)
    lps[:3, 0] = row * dx
    lps[:3, 1] = col * dy
    lps[:3, 2] = step
    lps[:3, 3] = first
    return np.diag([-1.0, -1.0, 1.0, 1.0]) @ lps


REQUIRED_KEYS = {'series_uid', 'modality', 'slices', 'rows', 'columns', 'spacing', 'origin',
                 'direction', 'hu_min', 'hu_max', 'warnings'}


def check_info_against(name, info, facts):
    tap(REQUIRED_KEYS <= set(info), '%s: info --json has every required key' % name,
        REQUIRED_KEYS - set(info))
    for key in ('slices', 'rows', 'columns', 'hu_min', 'hu_max'):
        if key in facts:
            tap(info.get(key) == facts[key], '%s: %s is %s' % (name, key, facts[key]),
                'got %r' % info.get(key))
    for key, tol in (('spacing', 1e-9), ('origin', 1e-6), ('direction', 1e-9)):
        if key in facts:
            tap(close(info.get(key), facts[key], tol), '%s: %s is %s' % (name, key, facts[key]),
                'got %r' % info.get(key))


def check_nifti(name, path, datasets, row, col, tilted=False, voxels=None):
    """Affine and every voxel of the NIfTI file against the DICOM files."""
    if not HAVE_NIBABEL:
        skip('%s: NIfTI read back' % name, 'nibabel is not installed')
        return
    img = nibabel.load(path)
    affine = expected_affine(datasets, row, col)
    header = img.header
    tap(header['sizeof_hdr'] == 348 and header['magic'] == b'n+1' and img.dataobj.offset == 352,
        '%s: single-file NIfTI-1' % name)
    tap(img.get_data_dtype() == np.int16, '%s: int16 voxels' % name, img.get_data_dtype())
    tap(int(header['sform_code']) == 1 and int(header['qform_code']) == 1,
        '%s: sform and qform codes are scanner (1)' % name)
    tap(close(img.affine, affine, 1e-4), '%s: affine equals the RAS affine of the files' % name,
        '%r\n%r' % (img.affine, affine))
    if not tilted:
        tap(close(img.get_qform(), affine, 1e-4), '%s: qform equals it too' % name,
            '%r\n%r' % (img.get_qform(), affine))
    else:
        qform = img.get_qform()
        tap(close(qform[:3, 3], affine[:3, 3], 1e-4) and close(qform[:3, :2], affine[:3, :2], 1e-4),
            '%s: qform keeps the image plane of the sheared grid' % name, qform)
    data = np.asarray(img.dataobj)
    shape = (int(datasets[0].Columns), int(datasets[0].Rows), len(datasets))
    if not tap(data.shape == shape, '%s: NIfTI shape is %s' % (name, shape), data.shape):
        return
    for (i, j, k), hu in (voxels or {}).items():
        tap(int(data[i, j, k]) == hu, '%s: data[%d, %d, %d] is %d HU' % (name, i, j, k, hu),
            'got %d' % data[i, j, k])
    try:
        bad = []
        for k, ds in enumerate(datasets):
            if not np.array_equal(data[:, :, k].T, hu_of(ds)):
                bad.append(k)
        tap(not bad, '%s: every voxel equals the HU pydicom reads from its slice' % name,
            'slices differing: %r' % bad[:10])
    except Exception as error:  # pydicom without a decoder for this transfer syntax
        skip('%s: every voxel equals pydicom' % name, 'pydicom cannot decode it: %s' % error)


def info_json(path, *extra):
    rc, out, err = run('info', '--json', path, *extra)
    if rc != 0:
        return rc, None, err
    try:
        return rc, json.loads(out), err
    except ValueError as error:
        return rc, None, 'invalid JSON: %s\n%s' % (error, out)


# The phantom, known by construction.


def phantom_case(tmp, name, options, facts, tilted=False):
    folder = os.path.join(tmp, name)
    rc, out, err = run('phantom', folder, *options)
    if not tap(rc == 0, '%s: phantom written' % name, err):
        return None
    rc, out, err = run('series', '--json', folder)
    listing = json.loads(out) if rc == 0 else None
    if tap(listing is not None and len(listing['series']) == 1, '%s: series finds one series' % name,
           err):
        s = listing['series'][0]
        tap(s['slices'] == facts['slices'] and s['rows'] == facts['rows'] and
            s['columns'] == facts['columns'] and s['modality'] == 'CT',
            '%s: series reports %d slices of %d x %d CT' % (name, facts['slices'], facts['rows'],
                                                             facts['columns']), s)
        if 'transfer_syntax_uid' in facts:
            tap(s['transfer_syntax_uid'] == facts['transfer_syntax_uid'],
                '%s: transfer syntax %s' % (name, facts['transfer_syntax_uid']), s)

    rc, info, err = info_json(folder)
    if not tap(info is not None, '%s: info --json succeeds' % name, err):
        return None
    tap('\r' not in err and '%' not in err,
        '%s: no progress on stderr when it is not a terminal' % name, err)
    check_info_against(name, info, facts)
    if tilted:
        tap(abs(info.get('tilt_degrees', 0) - facts['tilt_degrees']) < 1e-6 and
            close(info.get('slice_direction'), facts['slice_direction'], 1e-9),
            '%s: tilt of %g degrees and slice direction reported' % (name, facts['tilt_degrees']),
            info)
    else:
        tap('tilt_degrees' not in info, '%s: no tilt reported' % name, info.get('tilt_degrees'))

    if not HAVE_PYDICOM:
        skip('%s: checked against pydicom' % name, 'pydicom is not installed')
        return folder
    datasets, row, col, normal = read_series(folder)
    tap(close(info['origin'], np.array(datasets[0].ImagePositionPatient, dtype=float), 1e-6),
        '%s: origin is the position of the first slice along the normal' % name)
    try:
        lo = min(int(hu_of(ds).min()) for ds in datasets)
        hi = max(int(hu_of(ds).max()) for ds in datasets)
        tap(info['hu_min'] == lo and info['hu_max'] == hi,
            '%s: HU range %d..%d equals pydicom\'s' % (name, lo, hi),
            (info['hu_min'], info['hu_max']))
    except Exception as error:  # pydicom without a decoder for this transfer syntax
        skip('%s: HU range equals pydicom\'s' % name, 'pydicom cannot decode it: %s' % error)

    for suffix in ('.nii', '.nii.gz'):
        out_path = os.path.join(tmp, name + suffix)
        rc, out, err = run('convert', folder, out_path)
        if tap(rc == 0 and os.path.isfile(out_path), '%s: convert to %s' % (name, suffix), err):
            check_nifti(name + suffix, out_path, datasets, row, col, tilted)
    return folder


def half(n, spacing):
    return (n - 1) / 2.0 * spacing


def test_phantoms(tmp):
    c, r, s, ps, ss = 96, 80, 24, 3.5, 7.5
    hfs = phantom_case(tmp, 'phantom-hfs',
                       ['--columns', c, '--rows', r, '--slices', s, '--pixel-spacing', ps,
                        '--slice-spacing', ss],
                       {'slices': s, 'rows': r, 'columns': c, 'spacing': [ps, ps, ss],
                        'origin': [-half(c, ps), -half(r, ps), -half(s, ss)],
                        'direction': [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
                        'hu_min': -1000, 'hu_max': 650,
                        'transfer_syntax_uid': '1.2.840.10008.1.2.1'})

    phantom_case(tmp, 'phantom-ffs-shuffled-sv1-unsigned',
                 ['--size', 64, '--slices', 20, '--pixel-spacing', 5, '--slice-spacing', 10,
                  '--feet-first', '--shuffle', '--seed', 7, '--transfer-syntax', 'jpeg-lossless-sv1',
                  '--unsigned'],
                 {'slices': 20, 'rows': 64, 'columns': 64, 'spacing': [5, 5, 10],
                  'origin': [half(64, 5), -half(64, 5), half(20, 10)],
                  'direction': [[-1, 0, 0], [0, 1, 0], [0, 0, -1]],
                  'hu_min': -1000, 'hu_max': 650,
                  'transfer_syntax_uid': '1.2.840.10008.1.2.4.70'})

    t = 12.0
    ct, st = math.cos(math.radians(t)), math.sin(math.radians(t))
    phantom_case(tmp, 'phantom-tilted',
                 ['--size', 64, '--slices', 16, '--pixel-spacing', 5, '--slice-spacing', 10,
                  '--tilt', t],
                 {'slices': 16, 'rows': 64, 'columns': 64, 'spacing': [5, 5, 10],
                  'direction': [[1, 0, 0], [0, ct, st], [0, -st, ct]],
                  'tilt_degrees': t, 'slice_direction': [0, 0, 1]},
                 tilted=True)

    phantom_case(tmp, 'phantom-oblique',
                 ['--size', 64, '--slices', 16, '--pixel-spacing', 5, '--slice-spacing', 10,
                  '--rotation', 30, '--rotation-axis', '1,0,0'],
                 {'slices': 16, 'rows': 64, 'columns': 64, 'spacing': [5, 5, 10],
                  'direction': [[1, 0, 0], [0, math.cos(math.radians(30)), math.sin(math.radians(30))],
                                [0, -math.sin(math.radians(30)), math.cos(math.radians(30))]]})

    # Every lossless transfer syntax gives the same volume, voxel for voxel.
    reference = None
    for syntax in ('explicit', 'implicit', 'deflated', 'jpeg-lossless-sv1', 'jpeg-lossless',
                   'jpeg-ls', 'rle', 'jpeg2000', 'jpeg-extended'):
        folder = os.path.join(tmp, 'ts-' + syntax)
        out_path = folder + '.nii'
        rc, out, err = run('phantom', folder, '--size', 48, '--slices', 6, '--pixel-spacing', 7,
                           '--slice-spacing', 40, '--transfer-syntax', syntax)
        if not tap(rc == 0, 'phantom in %s written' % syntax, err):
            continue
        rc, out, err = run('convert', folder, out_path)
        if syntax == 'jpeg2000' and rc != 0:
            tap('2000' in err, 'jpeg2000: fails with a message naming the transfer syntax', err)
            continue
        if not tap(rc == 0, '%s: converted' % syntax, err) or not HAVE_NIBABEL:
            continue
        data = np.asarray(nibabel.load(out_path).dataobj)
        if reference is None:
            reference = data
            tap(data.shape == (48, 48, 6), 'explicit: shape 48 x 48 x 6', data.shape)
        elif syntax == 'jpeg-extended':
            # Lossy 12-bit JPEG: close to the original, never equal by contract.
            tap(data.shape == reference.shape and
                float(np.mean(np.abs(data.astype(float) - reference))) < 50,
                'jpeg-extended: lossy but close to the original', np.mean(np.abs(data - reference)))
        else:
            tap(np.array_equal(data, reference), '%s: same voxels as explicit VR' % syntax)
    return hfs


# The real series, with facts read once with pydicom and written here.

REAL = {
    'lidc-0001': {
        'slices': 133, 'rows': 512, 'columns': 512, 'spacing': [0.703125, 0.703125, 2.5],
        'origin': [-166.0, -171.699997, -340.0], 'direction': [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
        'hu_min': -2048, 'hu_max': 3071, 'modality': 'CT', 'patient_position': 'FFS',
        'series_uid': '1.3.6.1.4.1.14519.5.2.1.6279.6001.179049373636438705059720603192',
        # (column, row, slice) -> HU
        'voxels': {(256, 256, 0): -12, (300, 100, 0): -108, (256, 256, 66): 399,
                   (300, 100, 66): -1003},
    },
    'covid-ricord-000082': {
        'slices': 255, 'rows': 512, 'columns': 512, 'spacing': [0.703125, 0.703125, 1.25],
        'origin': [-192.2, -180.0, -349.25], 'direction': [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
        'hu_min': -1024, 'hu_max': 1857, 'modality': 'CT', 'patient_position': 'HFS',
        'series_uid': '1.2.826.0.1.3680043.10.474.419639.403650391453800318566197197100',
        'voxels': {(256, 256, 0): 152, (300, 100, 0): 36, (256, 256, 127): 52,
                   (300, 100, 127): -886},
    },
}


def test_real(tmp):
    for name, facts in REAL.items():
        folder = os.path.join(SHARED, 'ct', name)
        if not os.path.isdir(folder):
            skip('%s: real series' % name, 'shared data %s is not present' % folder)
            continue
        rc, info, err = info_json(folder)
        if not tap(info is not None, '%s: info --json succeeds' % name, err):
            continue
        check_info_against(name, info, facts)
        for key in ('modality', 'patient_position', 'series_uid'):
            tap(info.get(key) == facts[key], '%s: %s is %s' % (name, key, facts[key]), info.get(key))
        tap(any('SOURCE.txt' in w for w in info['warnings']),
            '%s: the skipped SOURCE.txt is among the warnings' % name, info['warnings'])

        out_path = os.path.join(tmp, name + '.nii')
        rc, out, err = run('convert', folder, out_path)
        if not tap(rc == 0, '%s: converted to NIfTI' % name, err):
            continue
        if not HAVE_PYDICOM:
            skip('%s: NIfTI against pydicom' % name, 'pydicom is not installed')
            continue
        datasets, row, col, normal = read_series(folder)
        check_nifti(name, out_path, datasets, row, col, voxels=facts['voxels'])
        check_against_dcm2niix(name, folder, out_path, datasets[0], tmp)
        os.unlink(out_path)


def check_against_dcm2niix(name, folder, out_path, ds, tmp):
    """A second, independent converter: same world grid and the same voxels, apart from
    pixel padding, which dcm2niix keeps as its rescaled value and fidac marks as air."""
    dcm2niix = shutil.which('dcm2niix')
    if dcm2niix is None or not HAVE_NIBABEL:
        skip('%s: same as dcm2niix' % name, 'dcm2niix or nibabel is not installed')
        return
    outdir = os.path.join(tmp, 'dcm2niix-' + name)
    os.mkdir(outdir)
    p = subprocess.run([dcm2niix, '-z', 'n', '-b', 'n', '-f', 'out', '-o', outdir, folder],
                       capture_output=True, text=True)
    produced = glob.glob(os.path.join(outdir, '*.nii'))
    if not tap(p.returncode == 0 and len(produced) == 1, '%s: dcm2niix converts it' % name,
               p.stdout + p.stderr):
        return
    ours = nibabel.as_closest_canonical(nibabel.load(out_path))
    theirs = nibabel.as_closest_canonical(nibabel.load(produced[0]))
    tap(close(ours.affine, theirs.affine, 1e-4),
        '%s: in RAS-canonical order, the affine equals dcm2niix\'s' % name,
        '%r\n%r' % (ours.affine, theirs.affine))
    a = np.asarray(ours.dataobj)
    b = np.asarray(theirs.dataobj)
    pad = ds.get('PixelPaddingValue')
    if pad is not None:
        if ds.PixelRepresentation == 1 and pad >= 32768:
            pad -= 65536
        padding = (b == pad * float(ds.RescaleSlope) + float(ds.RescaleIntercept)) & (a == FIDAC_HU_AIR)
    else:
        padding = np.zeros(b.shape, dtype=bool)
    same = a.shape == b.shape and bool(np.all((a == b) | padding))
    tap(same, '%s: every voxel equals dcm2niix\'s (padding aside: %d voxels)'
        % (name, int(padding.sum())), 'differing voxels: %d' % (int((a != b).sum()) if a.shape == b.shape else -1))
    shutil.rmtree(outdir, ignore_errors=True)


def test_progress_on_terminal(folder):
    """With stderr on a terminal, loading shows a percentage; stdout stays clean."""
    import pty
    master, slave = pty.openpty()
    p = subprocess.Popen([CLI, 'info', '--json', folder], stdout=subprocess.PIPE,
                         stderr=slave, env=dict(os.environ, LC_ALL='C.UTF-8'))
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO once the child has closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    out = p.stdout.read().decode()
    p.stdout.close()
    rc = p.wait()
    os.close(master)
    err = b''.join(chunks).decode(errors='replace')
    tap(rc == 0 and '100 %' in err and '\r' in err,
        'progress percentages on stderr when it is a terminal', repr(err[-200:]))
    try:
        json.loads(out)
        tap(True, 'stdout is plain JSON while progress is shown')
    except ValueError:
        tap(False, 'stdout is plain JSON while progress is shown', out[:200])


def test_errors(tmp, phantom_folder):
    rc, out, err = run()
    tap(rc == 2 and 'Usage' in err, 'no command: usage on stderr, exit 2', (rc, err))
    rc, out, err = run('frobnicate')
    tap(rc == 2 and 'frobnicate' in err, 'unknown command: exit 2', (rc, err))
    rc, out, err = run('info')
    tap(rc == 2 and out == '', 'info without PATH: exit 2', (rc, err))
    rc, out, err = run('info', '--no-such-option', tmp)
    tap(rc == 2, 'unknown option: exit 2', (rc, err))
    rc, out, err = run('convert', tmp)
    tap(rc == 2, 'convert without OUTPUT: exit 2', (rc, err))
    rc, out, err = run('convert', tmp, os.path.join(tmp, 'out.txt'))
    tap(rc == 2 and '.nii' in err, 'convert to a name without .nii: exit 2', (rc, err))
    rc, out, err = run('phantom', os.path.join(tmp, 'x'), '--transfer-syntax', 'bogus')
    tap(rc == 2 and 'bogus' in err, 'phantom with an unknown transfer syntax: exit 2', (rc, err))
    rc, out, err = run('phantom', os.path.join(tmp, 'x'), '--slices', 'many')
    tap(rc == 2, 'phantom with a non-numeric slice count: exit 2', (rc, err))
    for command in ('series', 'info', 'convert', 'phantom'):
        rc, out, err = run(command, '--help')
        tap(rc == 0 and 'Usage' in out and command in out, '%s --help: exit 0' % command, (rc, err))

    missing = os.path.join(tmp, 'does-not-exist')
    for command in ('series', 'info'):
        rc, out, err = run(command, missing)
        tap(rc == 1 and missing in err and out == '', '%s of a nonexistent path: exit 1 naming it'
            % command, (rc, out, err))
    rc, out, err = run('convert', missing, os.path.join(tmp, 'never.nii'))
    tap(rc == 1 and not os.path.exists(os.path.join(tmp, 'never.nii')),
        'convert of a nonexistent path: exit 1, no output', (rc, err))

    empty = os.path.join(tmp, 'empty')
    os.mkdir(empty)
    with open(os.path.join(empty, 'notes.txt'), 'w') as f:
        f.write('not DICOM\n')
    rc, out, err = run('info', empty)
    tap(rc == 1 and err != '', 'info of a folder without DICOM: exit 1 with a message', (rc, err))

    if phantom_folder is None:
        skip('error paths on the phantom', 'the phantom could not be written')
        return

    # Two series in one folder: info and convert must not guess.
    several = os.path.join(tmp, 'several')
    rc1, _, err1 = run('phantom', os.path.join(several, 'a'), '--size', 32, '--slices', 4,
                       '--pixel-spacing', 10, '--slice-spacing', 20)
    rc2, _, err2 = run('phantom', os.path.join(several, 'b'), '--size', 32, '--slices', 5,
                       '--pixel-spacing', 10, '--slice-spacing', 20)
    tap(rc1 == 0 and rc2 == 0, 'two phantoms in one folder', err1 + err2)
    rc, out, err = run('series', '--json', several)
    uids = [s['series_uid'] for s in json.loads(out)['series']] if rc == 0 else []
    tap(len(uids) == 2 and uids[0] != uids[1], 'series lists both series', (rc, out, err))
    rc, out, err = run('info', several)
    tap(rc == 1 and len(uids) == 2 and all(u in err for u in uids),
        'info without --series: exit 1, both UIDs listed', (rc, err))
    rc, out, err = run('convert', several, os.path.join(tmp, 'several.nii'))
    tap(rc == 1 and not os.path.exists(os.path.join(tmp, 'several.nii')),
        'convert without --series: exit 1, nothing written', (rc, err))
    if len(uids) == 2:
        rc, info, err = info_json(several, '--series', uids[1])
        tap(info is not None and info['series_uid'] == uids[1] and info['slices'] in (4, 5),
            'info --series picks the named one', err)
        rc, info, err = info_json(several, '--series', '1.2.3.4.5.6.7')
        tap(rc == 1 and '1.2.3.4.5.6.7' in err, 'info --series with an unknown UID: exit 1', err)

    # A file that is not DICOM beside a series: loaded, and the skipped file named.
    mixed = os.path.join(tmp, 'mixed')
    shutil.copytree(os.path.join(several, 'a'), mixed)
    with open(os.path.join(mixed, 'junk.dcm'), 'wb') as f:
        f.write(os.urandom(3000))
    rc, out, err = run('series', '--json', mixed)
    listing = json.loads(out) if rc == 0 else {'series': [], 'warnings': []}
    tap(len(listing['series']) == 1 and any('junk.dcm' in w for w in listing['warnings']),
        'series: a random file is skipped with a warning naming it', (rc, out, err))
    rc, info, err = info_json(mixed)
    tap(info is not None and any('junk.dcm' in w for w in info['warnings']),
        'info: the warning is kept in the warnings list', (rc, err))

    # Output that cannot be written: exit 1 and nothing left behind.
    unwritable = os.path.join(tmp, 'no-such-folder', 'out.nii')
    rc, out, err = run('convert', phantom_folder, unwritable)
    tap(rc == 1 and 'out.nii' in err and not os.path.exists(os.path.dirname(unwritable)),
        'convert to a missing folder: exit 1 naming the file', (rc, err))
    target_dir = os.path.join(tmp, 'is-a-folder.nii')
    os.mkdir(target_dir)
    before = sorted(os.listdir(tmp))
    rc, out, err = run('convert', phantom_folder, target_dir)
    tap(rc == 1 and sorted(os.listdir(tmp)) == before and os.listdir(target_dir) == [],
        'convert onto a folder: exit 1, no temporary file left', (rc, err))
    blocker = os.path.join(tmp, 'a-file')
    with open(blocker, 'w') as f:
        f.write('x')
    rc, out, err = run('phantom', os.path.join(blocker, 'sub'))
    tap(rc == 1 and err != '', 'phantom into a path under a file: exit 1', (rc, err))


# fidac-cli render, checked against pydicom and the DICOM linear window computed here.


def read_png_gray(path):
    """An 8-bit greyscale PNG (filter 0 rows, as fidac writes it) as a 2D array."""
    import struct
    import zlib
    with open(path, 'rb') as f:
        data = f.read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('not a PNG')
    pos, idat, width, height = 8, b'', None, None
    while pos < len(data):
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc, = struct.unpack('>I', data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) & 0xffffffff != crc:
            raise ValueError('bad CRC in %r' % kind)
        if kind == b'IHDR':
            width, height, depth, colour, _, _, interlace = struct.unpack('>IIBBBBB', body)
            if (depth, colour, interlace) != (8, 0, 0):
                raise ValueError('not 8-bit grey')
        elif kind == b'IDAT':
            idat += body
        elif kind == b'IEND':
            break
        pos += 12 + length
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(height, width + 1)
    if np.any(raw[:, 0] != 0):
        raise ValueError('unexpected PNG filter')
    return raw[:, 1:]


def window_gray(hu, width, level):
    """DICOM PS3.3 C.11.2.1.2.1 linear window, truncated to the grey level below, as DCMTK does."""
    y = ((np.asarray(hu, dtype=float) - (level - 0.5)) / (width - 1.0) + 0.5) * 255.0
    return np.where(y <= 0, 0, np.where(y >= 255, 255, np.floor(y))).astype(np.uint8)


def render(tmp, folder, *args):
    out = os.path.join(tmp, 'render.png')
    if os.path.exists(out):
        os.unlink(out)
    rc, stdout, err = run('render', folder, '-o', out, *args)
    if rc != 0:
        return None, err
    try:
        return read_png_gray(out), err
    except (ValueError, OSError) as error:
        return None, str(error)


def check_render_axial(tmp, name, folder, datasets, ks, window=(1500.0, -600.0)):
    """Axial slice K at native size is stored slice K through the window, pixel for pixel."""
    for k in ks:
        try:
            ds = pydicom.dcmread(datasets[k].filename)
            expected = window_gray(hu_of(ds), *window)
        except Exception as error:
            skip('%s: render axial %d equals the stored slice' % (name, k),
                 'pydicom cannot decode it: %s' % error)
            continue
        for interpolation in ('nearest', 'linear'):
            image, err = render(tmp, folder, '--view', 'axial', '--index', k, '--window',
                                '%g,%g' % window, '--interpolation', interpolation)
            same = image is not None and image.shape == expected.shape and \
                bool(np.all(image == expected))
            diag = err if image is None else 'shape %s vs %s, %d pixels differ' % (
                image.shape, expected.shape,
                int(np.sum(image != expected)) if image.shape == expected.shape else -1)
            tap(same, '%s: render axial %d (%s) equals the stored slice windowed' %
                (name, k, interpolation), diag)


def test_render(tmp):
    folder = os.path.join(tmp, 'render-phantom')
    rc, out, err = run('phantom', folder, '--columns', 96, '--rows', 80, '--slices', 24,
                       '--pixel-spacing', 3.5, '--slice-spacing', 7.5)
    if not tap(rc == 0, 'render: phantom written', err):
        return
    if HAVE_PYDICOM:
        datasets, row, col, normal = read_series(folder, pixels=False)
        check_render_axial(tmp, 'phantom', folder, datasets, [0, 9, 23])
        check_render_axial(tmp, 'phantom', folder, datasets, [12], window=(350.0, 40.0))
    else:
        skip('render: phantom axial slices against pydicom', 'pydicom is not installed')

    plain, err = render(tmp, folder, '--view', 'axial', '--index', 5, '--window', 'lung')
    inverted, err2 = render(tmp, folder, '--view', 'axial', '--index', 5, '--window', 'lung',
                            '--invert')
    tap(plain is not None and inverted is not None and bool(np.all(inverted == 255 - plain)),
        'render --invert gives 255 - grey', err + err2)
    preset, err = render(tmp, folder, '--view', 'axial', '--index', 5, '--window', '1500,-600')
    tap(plain is not None and preset is not None and bool(np.all(preset == plain)),
        'render --window lung is 1500,-600', err)
    for name, values in (('mediastinum', '350,40'), ('bone', '2000,500')):
        named, err = render(tmp, folder, '--view', 'axial', '--index', 12, '--window', name)
        numbers, err2 = render(tmp, folder, '--view', 'axial', '--index', 12, '--window', values)
        tap(named is not None and numbers is not None and bool(np.all(named == numbers)) and
            len(np.unique(named)) > 2,
            'render --window %s is %s' % (name, values), err + err2)
    inverted, err = render(tmp, folder, '--view', 'sagittal', '--index', 30, '--window',
                           'mediastinum', '--size', 150, '--invert')
    plain, err2 = render(tmp, folder, '--view', 'sagittal', '--index', 30, '--window',
                         'mediastinum', '--size', 150)
    tap(plain is not None and inverted is not None and bool(np.all(inverted == 255 - plain)),
        'render sagittal --invert gives 255 - grey', err + err2)

    # --position: the slice nearest to a patient coordinate (LPS) along the view's axis. The
    # grid is centred on 0: z = -86.25 + 7.5 k, y = -138.25 + 3.5 j, x = 166.25 - 3.5 i
    # (sagittal slice 0 is the patient's left), and reaches half a step beyond.
    for view, position, index in (('axial', 1.0, 12), ('axial', -86.25, 0), ('axial', -89.9, 0),
                                  ('axial', 89.9, 23), ('axial', 7.4, 12), ('axial', 7.6, 13),
                                  ('coronal', 10.0, 42), ('coronal', -139.9, 0),
                                  ('sagittal', 10.0, 45), ('sagittal', -160.0, 93),
                                  ('sagittal', 167.9, 0)):
        by_position, err = render(tmp, folder, '--view', view, '--position', position,
                                  '--window', 'lung')
        by_index, err2 = render(tmp, folder, '--view', view, '--index', index, '--window', 'lung')
        tap(by_position is not None and by_index is not None and
            by_position.shape == by_index.shape and bool(np.all(by_position == by_index)),
            'render %s --position %g is --index %d' % (view, position, index), err + err2)
    # Neighbouring slices differ, so the comparison above does tell slices apart.
    twelve, err = render(tmp, folder, '--view', 'axial', '--index', 12, '--window', 'lung')
    thirteen, err2 = render(tmp, folder, '--view', 'axial', '--index', 13, '--window', 'lung')
    tap(twelve is not None and thirteen is not None and bool(np.any(twelve != thirteen)),
        'render: axial slices 12 and 13 differ', err + err2)
    out_png = os.path.join(tmp, 'never.png')
    for args, status, what, message in (
            (['--view', 'axial', '--position', 90.1], 1, 'a position above the volume',
             'outside the volume along z'),
            (['--view', 'coronal', '--position', -142.1], 1, 'a position in front of the volume',
             'outside the volume along y'),
            (['--view', 'sagittal', '--position', 168.1], 1, 'a position left of the volume',
             'outside the volume along x'),
            (['--view', 'axial', '--position', 'abc'], 1, 'a position that is not a number',
             'Invalid position'),
            (['--view', 'axial', '--position', 'nan'], 1, 'a position NaN', 'Invalid position'),
            (['--view', 'axial', '--position', 1, '--index', 3], 2, '--position and --index',
             'cannot both be given')):
        rc, out, err = run('render', folder, '-o', out_png, '--window', 'lung', *args)
        tap(rc == status and message in err and not os.path.exists(out_png),
            'render with %s: exit %d' % (what, status), (rc, err))

    # Coronal: 96 columns of 3.5 mm wide, 24 slices of 7.5 mm high in 3.5 mm pixels.
    image, err = render(tmp, folder, '--view', 'coronal', '--index', 40, '--window', 'lung')
    tap(image is not None and image.shape == (int(math.floor(23 * 7.5 / 3.5 + 0.5)) + 1, 96),
        'render coronal at native size keeps the aspect of 7.5 mm slices',
        err if image is None else image.shape)
    image, err = render(tmp, folder, '--view', 'sagittal', '--index', 48, '--window', 'lung',
                        '--size', 200)
    native_height = int(math.floor(23 * 7.5 / 3.5 + 0.5)) + 1
    tap(image is not None and image.shape[1] == 200 and
        image.shape[0] == int(math.floor(200.0 * native_height / 80 + 0.5)),
        'render sagittal --size 200: 200 pixels wide, aspect kept',
        err if image is None else image.shape)
    thin, err = render(tmp, folder, '--view', 'coronal', '--index', 40, '--window', 'lung')
    mip, err2 = render(tmp, folder, '--view', 'coronal', '--index', 40, '--window', 'lung',
                       '--slab', 20, '--slab-mode', 'mip')
    minip, err3 = render(tmp, folder, '--view', 'coronal', '--index', 40, '--window', 'lung',
                         '--slab', 20, '--slab-mode', 'minip')
    tap(thin is not None and mip is not None and minip is not None and
        bool(np.all(mip >= thin)) and bool(np.all(minip <= thin)) and
        bool(np.any(mip > thin)) and bool(np.any(minip < thin)),
        'render slab: MIP above and MinIP below the thin plane', err + err2 + err3)

    # Errors: values out of range exit 1, malformed commands exit 2; nothing written.
    out_png = os.path.join(tmp, 'never.png')
    base = ['render', folder, '-o', out_png]
    for args, status, what in (
            (['--view', 'axial', '--index', 24, '--window', 'lung'], 1, 'index past the last slice'),
            (['--view', 'axial', '--index', -1, '--window', 'lung'], 1, 'negative index'),
            (['--view', 'axial', '--index', 3, '--window', '0,40'], 1, 'window width 0'),
            (['--view', 'axial', '--index', 3, '--window', 'soft'], 1, 'unknown window'),
            (['--view', 'axial', '--index', 3, '--window', 'lung', '--size', -5], 1, 'negative size'),
            (['--view', 'oblique', '--index', 3, '--window', 'lung'], 2, 'unknown view'),
            (['--view', 'axial', '--window', 'lung'], 2, 'no index'),
            (['--view', 'axial', '--index', 3, '--window', 'lung', '--slab-mode', 'max'], 2,
             'unknown slab mode'),
            (['--view', 'axial', '--index', 3, '--window', 'lung', '--interpolation', 'cubic'], 2,
             'unknown interpolation')):
        rc, out, err = run(*(base + args))
        tap(rc == status and err != '' and not os.path.exists(out_png),
            'render with %s: exit %d' % (what, status), (rc, err))
    rc, out, err = run('render', folder, '--view', 'axial', '--index', 3, '--window', 'lung')
    tap(rc == 2, 'render without --output: exit 2', (rc, err))
    rc, out, err = run('render', folder, '-o', os.path.join(tmp, 'no-such-folder', 'x.png'),
                       '--view', 'axial', '--index', 3, '--window', 'lung')
    tap(rc == 1 and 'x.png' in err, 'render to a missing folder: exit 1 naming the file', (rc, err))
    rc, out, err = run('render', '--help')
    tap(rc == 0 and 'Usage' in out and 'render' in out, 'render --help: exit 0', (rc, err))

    for name in REAL:
        real = os.path.join(SHARED, 'ct', name)
        if not os.path.isdir(real):
            skip('%s: render against the stored slices' % name, 'shared data %s is not present' % real)
            continue
        if not HAVE_PYDICOM:
            skip('%s: render against the stored slices' % name, 'pydicom is not installed')
            continue
        datasets, row, col, normal = read_series(real, pixels=False)
        if not (close(row, [1, 0, 0], 1e-6) and close(col, [0, 1, 0], 1e-6)):
            skip('%s: render against the stored slices' % name,
                 'Image Orientation is not 1\\0\\0\\0\\1\\0')
            continue
        n = len(datasets)
        check_render_axial(tmp, name, real, datasets, [0, n // 2, n - 1])
        # The stored slice's own z (Image Position, read by pydicom) gives its index.
        k = n // 3
        z = float(datasets[k].ImagePositionPatient[2])
        by_position, err = render(tmp, real, '--view', 'axial', '--position', '%.3f' % z,
                                  '--window', 'lung')
        by_index, err2 = render(tmp, real, '--view', 'axial', '--index', k, '--window', 'lung')
        tap(by_position is not None and by_index is not None and
            bool(np.all(by_position == by_index)),
            '%s: render axial --position %.3f (stored slice %d) is --index %d' % (name, z, k, k),
            err + err2)


def main():
    if not os.access(CLI, os.X_OK):
        print('1..0 # SKIP %s is not built' % CLI)
        return 0
    tmp = tempfile.mkdtemp(prefix='fidac-cli-test-')
    try:
        phantom_folder = test_phantoms(tmp)
        test_errors(tmp, phantom_folder)
        if phantom_folder is not None:
            test_progress_on_terminal(phantom_folder)
        test_real(tmp)
        test_render(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == '__main__':
    sys.exit(main())
