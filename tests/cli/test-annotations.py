#!/usr/bin/python3
# test-annotations.py: `fidac-cli annotations list|show` end to end, on stores filled from
# phantom series, checked against pydicom's own reading of the series.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-annotations.py PATH/TO/fidac-cli PATH/TO/store-fill   (prints TAP)

import glob
import os
import random
import shutil
import sys
import tempfile

import numpy as np

from clitest import cli, cli_json, files_below, finish, run, tap

FILL = os.path.abspath(sys.argv[2])

GROUND_GLASS_HU = -550      # the phantom gives each tissue one value (fidac-phantom.h)
CONSOLIDATION_HU = 30


def read_series(folder):
    """HU counts and the voxel volume, computed by pydicom from the files alone."""
    import pydicom
    datasets = [pydicom.dcmread(p) for p in files_below(folder)]
    iop = np.array(datasets[0].ImageOrientationPatient, dtype=float)
    row, col = iop[:3], iop[3:]
    normal = np.cross(row, col)
    datasets.sort(key=lambda ds: float(np.dot(normal, np.array(ds.ImagePositionPatient,
                                                                  dtype=float))))
    step = (np.array(datasets[1].ImagePositionPatient, dtype=float) -
            np.array(datasets[0].ImagePositionPatient, dtype=float))
    ps = [float(v) for v in datasets[0].PixelSpacing]     # row spacing, column spacing
    voxel = abs(float(np.linalg.det(np.array([row * ps[1], col * ps[0], step]))))
    hu = np.stack([ds.pixel_array.astype(np.int32) * int(getattr(ds, 'RescaleSlope', 1)) +
                   int(getattr(ds, 'RescaleIntercept', 0)) for ds in datasets])
    return {
        'uid': str(datasets[0].SeriesInstanceUID),
        'grid': [int(datasets[0].Columns), int(datasets[0].Rows), len(datasets)],
        'voxel': voxel,
        'ground-glass': int(np.count_nonzero(hu == GROUND_GLASS_HU)),
        'consolidation': int(np.count_nonzero(hu == CONSOLIDATION_HU)),
    }


def classes_of(annotation):
    return {c['key']: c for c in annotation['classes']}


def check_classes(name, annotation, facts, painted):
    classes = classes_of(annotation)
    tap(sorted(classes) == ['consolidation', 'crazy-paving', 'ground-glass'] and
        [c['id'] for c in annotation['classes']] == [1, 2, 3],
        '%s: the catalog\'s three classes are listed, by id' % name, annotation['classes'])
    for key in ('ground-glass', 'consolidation', 'crazy-paving'):
        expected = facts[key] if key in painted else 0
        c = classes.get(key, {})
        ml = expected * facts['voxel'] / 1000.0
        tap(c.get('voxels') == expected and abs(c.get('volume_ml', -1) - ml) <= 1e-9 * max(ml, 1),
            '%s: %s has %d voxels, %.4f mL as pydicom counts them' % (name, key, expected, ml), c)


def main():
    try:
        import pydicom  # noqa: F401
    except ImportError:
        print('1..0 # SKIP pydicom is not installed')
        return 0

    tmp = tempfile.mkdtemp(prefix='fidac-test-annotations-')
    try:
        db = os.path.join(tmp, 'data', 'fidac.db')
        straight = os.path.join(tmp, 'phantom')
        tilted = os.path.join(tmp, 'phantom-tilted')
        rc, out, err = cli('phantom', straight, '--size', 96, '--slices', 40,
                           '--pixel-spacing', 3.5, '--slice-spacing', 7.5)
        tap(rc == 0, 'phantom written', err)
        rc, out, err = cli('phantom', tilted, '--size', 96, '--slices', 40,
                           '--pixel-spacing', 3.5, '--slice-spacing', 7.5, '--tilt', 20)
        tap(rc == 0, 'tilted phantom written', err)
        facts = read_series(straight)
        facts_tilted = read_series(tilted)
        tap(facts['ground-glass'] > 0 and facts['consolidation'] > 0,
            'the phantom holds both lesion classes', facts)

        # Nothing yet: an absent database lists nothing and is not created.
        rc, listing, err = cli_json('annotations', 'list', '--database', db)
        tap(rc == 0 and listing == [] and not os.path.exists(db),
            'list on an absent database: [] and nothing created', (rc, listing, err))
        rc, out, err = cli('annotations', 'list', env={'FIDAC_DATA_DIR': os.path.join(tmp, 'x')})
        tap(rc == 0 and out == '', 'list with FIDAC_DATA_DIR empty: no output', (rc, out, err))
        rc, out, err = cli('annotations', 'show', '1.2.3', '--database', db)
        tap(rc == 1 and db in err, 'show on an absent database: exit 1 naming it', (rc, err))

        fills = [
            (straight, 'Dr Alice Martin', '10001234567', 'expert', 'draft',
             ['1=%d' % GROUND_GLASS_HU, '2=%d' % CONSOLIDATION_HU]),
            (straight, 'Dr Bob Durand', '10007654321', 'reviewer', 'complete',
             ['1=%d' % GROUND_GLASS_HU]),
            (tilted, 'Dr Alice Martin', '10001234567', 'expert', 'submitted',
             ['1=%d' % GROUND_GLASS_HU, '2=%d' % CONSOLIDATION_HU]),
        ]
        for path, name, rid, role, status, classes in fills:
            rc, out, err = run(FILL, db, path, name, rid, role, status, *classes)
            tap(rc == 0, 'store filled: %s %s %s' % (os.path.basename(path), role, status), err)

        rc, listing, err = cli_json('annotations', 'list', '--database', db)
        if tap(rc == 0 and isinstance(listing, list) and len(listing) == 3,
               'list --json: three annotations', (rc, listing, err)):
            by = {(a['series_uid'], a['role']): a for a in listing}
            a = by.get((facts['uid'], 'expert'))
            b = by.get((facts['uid'], 'reviewer'))
            t = by.get((facts_tilted['uid'], 'expert'))
            if tap(a and b and t, 'list: one per series and role', sorted(by)):
                tap(a['reader_name'] == 'Dr Alice Martin' and a['reader_id'] == '10001234567' and
                    a['status'] == 'draft' and a['version'] == 0 and a['path'] == straight,
                    'list: reader, status, version and path of the expert\'s draft', a)
                tap(b['status'] == 'complete' and b['version'] == 0 and
                    t['status'] == 'submitted' and t['version'] == 1,
                    'list: complete (version 0) and submitted (version 1)', (b, t))
                tap(abs(a['voxel_volume_mm3'] - facts['voxel']) <= 1e-9 * facts['voxel'] and
                    abs(t['voxel_volume_mm3'] - facts_tilted['voxel']) <= 1e-9 * facts['voxel'],
                    'list: voxel volumes %.6g and %.6g mm3 (tilted grid sheared) as pydicom\'s'
                    % (facts['voxel'], facts_tilted['voxel']),
                    (a['voxel_volume_mm3'], t['voxel_volume_mm3']))
                check_classes('expert', a, facts, ('ground-glass', 'consolidation'))
                check_classes('reviewer', b, facts, ('ground-glass',))
                check_classes('tilted', t, facts_tilted, ('ground-glass', 'consolidation'))
                tap(a['slices'] > 0 and a['slices'] <= facts['grid'][2] and not a['scores'],
                    'list: painted slices counted, no scores', a)

        rc, out, err = cli('annotations', 'list', '--database', db)
        lines = out.splitlines()
        tap(rc == 0 and len(lines) == 3 and
            any(facts['uid'] in l and 'Dr Bob Durand (10007654321)' in l and 'reviewer' in l and
                'complete v0' in l and 'mL' in l for l in lines),
            'list: one line per annotation with reader, role, status and volumes', out + err)

        # show, by series UID, by the path the case was opened from, by another copy of it.
        rc, shown, err = cli_json('annotations', 'show', facts['uid'], '--database', db)
        if tap(rc == 0 and isinstance(shown, list) and len(shown) == 1,
               'show UID --json: one case', (rc, shown, err)):
            case = shown[0]
            tap(case['series_uid'] == facts['uid'] and case['grid'] == facts['grid'] and
                len(case['annotations']) == 2 and case['path'] == straight,
                'show: the case\'s grid %s, path and two annotations' % facts['grid'], case)
        rc, by_path, err = cli_json('annotations', 'show', straight + '/', '--database', db)
        tap(rc == 0 and by_path == shown, 'show PATH (the folder it was opened from) --json',
            (rc, err))
        copy = os.path.join(tmp, 'copy-of-phantom')
        shutil.copytree(straight, copy)
        rc, by_copy, err = cli_json('annotations', 'show', copy, '--database', db)
        tap(rc == 0 and by_copy == shown, 'show PATH of a copy: found by scanning its series',
            (rc, err))
        rc, out, err = cli('annotations', 'show', tilted, '--database', db)
        tap(rc == 0 and facts_tilted['uid'] in out and 'ground-glass:' in out and
            'submitted' in out and 'mL' in out,
            'show PATH: the case and its annotation in text', out + err)

        # Errors.
        rc, out, err = cli('annotations', 'show', '9.9.9', '--database', db)
        tap(rc == 1 and '9.9.9' in err, 'show of an unknown UID: exit 1 naming it', (rc, err))
        empty = os.path.join(tmp, 'empty')
        os.mkdir(empty)
        rc, out, err = cli('annotations', 'show', empty, '--database', db)
        tap(rc == 1 and err, 'show of a folder without the series: exit 1 with a message',
            (rc, err))
        for args in (['annotations'], ['annotations', 'show'], ['annotations', 'frob'],
                     ['annotations', 'list', 'extra'], ['annotations', 'list', '--frob'],
                     ['annotations', 'show', 'a', 'b']):
            rc, out, err = cli(*args)
            tap(rc == 2 and 'annotations' in err, '%s: usage error, exit 2' % ' '.join(args),
                (rc, err))

        # A damaged database: exit 1, a message naming both files, the bytes kept aside.
        bad_dir = os.path.join(tmp, 'bad')
        os.mkdir(bad_dir)
        bad = os.path.join(bad_dir, 'fidac.db')
        noise = bytes(random.Random(5).getrandbits(8) for _ in range(8192))
        with open(bad, 'wb') as f:
            f.write(noise)
        rc, out, err = cli('annotations', 'list', '--database', bad)
        kept = [p for p in glob.glob(bad + '.corrupt-*') if not p.endswith(('-wal', '-shm'))]
        tap(rc == 1 and len(kept) == 1 and bad in err and kept[0] in err and
            open(kept[0], 'rb').read() == noise and not os.path.exists(bad),
            'list on a damaged database: exit 1, moved aside intact, both paths named',
            (rc, err, kept))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    return finish()


if __name__ == '__main__':
    sys.exit(main())
