#!/usr/bin/python3
# test-quantify-report.py: `fidac-cli quantify` and `fidac-cli report` end to end on a phantom
# series: lung volumes against the phantom's ground truth, lesion volumes and involvement
# against counts made here, and the PDF read back with poppler's pdftotext and pdftoppm.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-quantify-report.py fidac-cli store-fill report-helper   (prints TAP)

import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

from clitest import cli, cli_json, files_below, finish, run, skip, tap

FILL = os.path.abspath(sys.argv[2])
HELPER = os.path.abspath(sys.argv[3])

GROUND_GLASS_HU = -550      # the phantom gives each tissue one value (fidac-phantom.h)
CONSOLIDATION_HU = 30
READER = 'Dr Hélène Lefèvre'
READER_ID = '10001234567'


def read_hu(folder):
    """The HU volume as pydicom reads it from the files alone, slices in any order."""
    import pydicom
    datasets = [pydicom.dcmread(p) for p in files_below(folder)]
    return np.stack([ds.pixel_array.astype(np.int32) * int(getattr(ds, 'RescaleSlope', 1)) +
                     int(getattr(ds, 'RescaleIntercept', 0)) for ds in datasets])


def truth_of(folder):
    rc, out, err = run(HELPER, 'truth', folder)
    facts = {'lung': {}, 'lesion': {}}
    for line in out.splitlines():
        words = line.split()
        if words[0] == 'lung':
            facts['lung'][int(words[1])] = int(words[2])
        elif words[0] == 'lesion':
            facts['lesion'][(int(words[1]), int(words[2]))] = int(words[3])
        elif words[0] == 'voxel_mm3':
            facts['voxel_mm3'] = float(words[1])
    return rc, facts, err


def uniform_copy(source, target, hu):
    """A copy of the series whose every pixel is `hu`: no lungs to find."""
    import pydicom
    os.mkdir(target)
    for path in files_below(source):
        ds = pydicom.dcmread(path)
        pixels = ds.pixel_array
        raw = (hu - int(getattr(ds, 'RescaleIntercept', 0))) // int(getattr(ds, 'RescaleSlope', 1))
        ds.PixelData = np.full(pixels.shape, raw, dtype=pixels.dtype).tobytes()
        ds.save_as(os.path.join(target, os.path.basename(path)))


def close(a, b, relative=1e-9):
    return abs(a - b) <= relative * max(abs(a), abs(b), 1.0)


def pdftotext(path):
    if shutil.which('pdftotext') is None:
        return None
    p = subprocess.run(['pdftotext', '-layout', '-enc', 'UTF-8', path, '-'],
                       capture_output=True, text=True)
    return p.stdout if p.returncode == 0 else ''


def main():
    try:
        import pydicom  # noqa: F401
    except ImportError:
        print('1..0 # SKIP pydicom is not installed')
        return 0

    tmp = tempfile.mkdtemp(prefix='fidac-test-quantify-')
    try:
        series = os.path.join(tmp, 'phantom')
        db = os.path.join(tmp, 'data', 'fidac.db')
        nowhere = {'FIDAC_DATA_DIR': os.path.join(tmp, 'no-data')}
        rc, out, err = cli('phantom', series, '--size', 128, '--slices', 60,
                           '--pixel-spacing', 2.8, '--slice-spacing', 5)
        tap(rc == 0, 'phantom written', err)
        rc, truth, err = truth_of(series)
        tap(rc == 0 and truth['lung'].get(1, 0) > 0 and truth['lung'].get(2, 0) > 0,
            'ground truth of the phantom series', (rc, truth, err))
        voxel_ml = truth['voxel_mm3'] / 1000.0
        hu = read_hu(series)
        painted = {1: int(np.count_nonzero(hu == GROUND_GLASS_HU)),
                   2: int(np.count_nonzero(hu == CONSOLIDATION_HU)), 3: 0}
        tap(painted[1] > 0 and painted[2] > 0, 'the phantom holds both lesion classes', painted)

        # Lungs only: no database.
        rc, q, err = cli_json('quantify', series, env=nowhere)
        lungs = None
        if tap(rc == 0 and q is not None and q.get('annotations') == [],
               'quantify --json without a database: lungs, no annotation', (rc, q, err)):
            lungs = q['lungs']
            for key, lung in (('right', 1), ('left', 2)):
                want = truth['lung'][lung] * voxel_ml
                tap(abs(lungs[key + '_ml'] - want) <= 0.02 * want,
                    '%s lung %.1f mL within 2 %% of the truth %.1f mL'
                    % (key, lungs[key + '_ml'], want), lungs)
                tap(close(lungs[key + '_ml'], lungs[key + '_voxels'] * voxel_ml),
                    '%s lung: mL = voxels x voxel volume' % key, lungs)
            tap(lungs['total_voxels'] == lungs['right_voxels'] + lungs['left_voxels'] and
                close(lungs['total_ml'], lungs['right_ml'] + lungs['left_ml']),
                'both lungs = right + left', lungs)
            tap(q['grid'] == [128, 128, 60] and close(q['voxel_volume_mm3'], truth['voxel_mm3']),
                'grid and voxel volume', q)
        rc, out, err = cli('quantify', series, env=nowhere)
        if lungs is not None:
            tap(rc == 0 and 'right_lung:' in out and
                '%.1f mL (%d voxels)' % (lungs['right_ml'], lungs['right_voxels']) in out and
                '%.1f mL (%d voxels)' % (lungs['left_ml'], lungs['left_voxels']) in out and
                '%.1f mL (%d voxels)' % (lungs['total_ml'], lungs['total_voxels']) in out and
                'No local database' in out,
                'quantify in text: the same volumes to 0.1 mL', out + err)

        # An annotation painted by HU, with scores.
        rc, out, err = run(FILL, db, series, READER, READER_ID, 'expert', 'complete',
                           '1=%d' % GROUND_GLASS_HU, '2=%d' % CONSOLIDATION_HU)
        tap(rc == 0, 'store filled', err)
        rc, listing, err = cli_json('annotations', 'list', '--database', db)
        annotation_id = listing[0]['id'] if rc == 0 and listing else 0
        rc, out, err = run(HELPER, 'scores', db, annotation_id)
        tap(rc == 0, 'scores saved', err)

        rc, q, err = cli_json('quantify', series, '--database', db)
        a = None
        if tap(rc == 0 and q is not None and len(q['annotations']) == 1,
               'quantify --json --database: one annotation', (rc, q, err)):
            a = q['annotations'][0]
            lungs = q['lungs']
            tap(a['reader_name'] == READER and a['reader_id'] == READER_ID and
                a['role'] == 'expert' and a['status'] == 'complete' and a['id'] == annotation_id,
                'the annotation\'s reader, role and status', a)
            classes = {c['id']: c for c in a['classes']}
            tap(sorted(classes) == [1, 2, 3] and
                [classes[i]['key'] for i in (1, 2, 3)] ==
                ['ground-glass', 'consolidation', 'crazy-paving'],
                'the catalog\'s three classes', a['classes'])
            total_in = 0
            for cid in (1, 2, 3):
                c = classes[cid]
                tap(c['voxels'] == painted[cid] and close(c['volume_ml'], painted[cid] * voxel_ml),
                    '%s: %d voxels, %.4f mL as pydicom counts them'
                    % (c['key'], painted[cid], painted[cid] * voxel_ml), c)
                for side, lung in (('right', 1), ('left', 2)):
                    want = truth['lesion'][(lung, cid)]
                    tap(c[side + '_voxels'] == want and
                        close(c[side + '_ml'], want * voxel_ml) and
                        close(c[side + '_percent'], 100.0 * want / lungs[side + '_voxels']),
                        '%s in the %s lung: %d voxels (the truth), %.4f %% of its voxels'
                        % (c['key'], side, want, 100.0 * want / lungs[side + '_voxels']), c)
                tap(c['lungs_voxels'] == c['right_voxels'] + c['left_voxels'] and
                    close(c['lungs_percent'], 100.0 * c['lungs_voxels'] / lungs['total_voxels']),
                    '%s in both lungs: the sum, over both lungs\' voxels' % c['key'], c)
                total_in += c['lungs_voxels']
            al = a['all']
            tap(al['voxels'] == sum(painted.values()) and al['lungs_voxels'] == total_in and
                close(al['lungs_percent'], 100.0 * total_in / lungs['total_voxels']),
                'all classes: the sums', al)
            share = 100.0 * total_in / lungs['total_voxels']
            tap(a['suggested_extent'] == ('minimal' if 0 < share < 10 else a['suggested_extent'])
                and 0 < share < 10 and a['expert_extent'] == 'moderate',
                'suggested extent minimal (%.2f %%), the expert\'s moderate' % share, a)

        rc, out, err = cli('quantify', series, '--database', db)
        if a is not None:
            gg = {c['id']: c for c in a['classes']}[1]
            line = ('%.2f mL; right %.2f mL %.2f %%; left %.2f mL %.2f %%; both %.2f mL %.2f %%'
                    % (gg['volume_ml'], gg['right_ml'], gg['right_percent'], gg['left_ml'],
                       gg['left_percent'], gg['lungs_ml'], gg['lungs_percent']))
            tap(rc == 0 and ('ground-glass:' in out) and line in out and
                'suggested_extent:   minimal' in out and 'expert_extent:      moderate' in out and
                '%s (%s)' % (READER, READER_ID) in out,
                'quantify in text: the same figures', out + err)

        rc, q2, err = cli_json('quantify', series, '--database', db, '--reader', READER_ID)
        tap(rc == 0 and q2 is not None and len(q2['annotations']) == 1,
            '--reader: that reader\'s annotation', (rc, err))
        rc, out, err = cli('quantify', series, '--database', db, '--reader', '999')
        tap(rc == 1 and '999' in err and not out.strip().endswith('mL'),
            '--reader of nobody: exit 1 naming the reader', (rc, out, err))
        missing_db = os.path.join(tmp, 'missing.db')
        rc, out, err = cli('quantify', series, '--database', missing_db)
        tap(rc == 1 and missing_db in err and not os.path.exists(missing_db),
            'a --database that does not exist: exit 1 naming it, nothing created', (rc, err))

        # The report.
        pdf = os.path.join(tmp, 'rapport.pdf')
        rc, out, err = cli('report', series, '--database', db, '-o', pdf)
        tap(rc == 0 and os.path.isfile(pdf) and open(pdf, 'rb').read(5) == b'%PDF-',
            'report written', (rc, out, err))
        leftovers = [n for n in os.listdir(tmp) if n.startswith('.rapport.pdf')]
        tap(leftovers == [], 'no temporary file left', leftovers)
        text = pdftotext(pdf) if os.path.isfile(pdf) else ''
        if text is None:
            skip('the report holds the figures of quantify', 'pdftotext is not installed')
        elif a is not None:
            wanted = [READER, READER_ID, 'expert', 'Complete', '13 / 25', 'CO-RADS 5',
                      'pneumonie à SARS-CoV-2', q['series_uid'],
                      '%.1f mL' % lungs['right_ml'], '%.1f mL' % lungs['left_ml'],
                      '%.1f mL' % lungs['total_ml'], 'Ground-glass', 'Consolidation']
            for c in a['classes'] + [a['all']]:
                wanted += ['%.2f mL' % c['volume_ml'], '%.2f mL' % c['right_ml'],
                           '%.2f %%' % c['right_percent'], '%.2f mL' % c['left_ml'],
                           '%.2f %%' % c['left_percent'], '%.2f %%' % c['lungs_percent']]
            missing = [w for w in wanted if w not in text]
            tap(missing == [], 'the report holds the figures quantify prints', (missing, text))
        if shutil.which('pdftoppm') is None:
            skip('pdftoppm renders the report', 'pdftoppm is not installed')
        else:
            prefix = os.path.join(tmp, 'page')
            p = subprocess.run(['pdftoppm', '-r', '72', '-f', '1', '-l', '1', '-singlefile',
                                pdf, prefix], capture_output=True)
            size = None
            if p.returncode == 0 and os.path.isfile(prefix + '.ppm'):
                with open(prefix + '.ppm', 'rb') as f:
                    size = f.read(20).split()[1:3]
            tap(size == [b'596', b'842'], 'pdftoppm renders page 1, A4 at 72 dpi', size)

        # Bad inputs.
        rc, out, err = cli('quantify', os.path.join(tmp, 'absent'))
        tap(rc == 1 and 'absent' in err, 'quantify of a missing path: exit 1 naming it', (rc, err))
        rc, out, err = cli('report', os.path.join(tmp, 'absent'), '-o', pdf + '2')
        tap(rc == 1 and 'absent' in err and not os.path.exists(pdf + '2'),
            'report of a missing path: exit 1, no file', (rc, err))
        uniform = os.path.join(tmp, 'uniform')
        uniform_copy(series, uniform, 40)
        rc, out, err = cli('quantify', uniform, env=nowhere)
        tap(rc == 1 and 'No lungs found' in err, 'a series without lungs: exit 1, "No lungs found"',
            (rc, out, err))
        rc, out, err = cli('report', series, '-o', pdf + '3', env=nowhere)
        tap(rc == 1 and not os.path.exists(pdf + '3') and err,
            'report without an annotation: exit 1, no file', (rc, err))
        bad = os.path.join(tmp, 'no-such-folder', 'rapport.pdf')
        rc, out, err = cli('report', series, '--database', db, '-o', bad)
        tap(rc == 1 and 'rapport.pdf' in err and not os.path.exists(os.path.dirname(bad)),
            'report into a missing folder: exit 1 naming the file', (rc, err))
        for args in (['quantify'], ['quantify', 'a', 'b'], ['quantify', series, '--role', 'x'],
                     ['report', series], ['report'], ['report', series, '-o', pdf,
                                                       '--key-images', '9']):
            rc, out, err = cli(*args)
            shown = ' '.join('PATH' if a == series else 'OUT' if a == pdf else a for a in args)
            tap(rc == 2 and args[0] in err, '%s: usage error, exit 2' % shown, (rc, err))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    return finish()


if __name__ == '__main__':
    sys.exit(main())
