#!/usr/bin/python3
# verify-lungs.py: an independent check of the lung volumes of fidac_lungs_segment().
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: /usr/bin/python3 tests/data/verify-lungs.py SERIES_FOLDER [MASK.raw] [PNG_PREFIX]
#
# Run by hand once (not part of the suite): it loads the series with pydicom, segments the
# lungs its own way with numpy and scipy.ndimage at full resolution (air below -400 HU
# inside the body, the trachea and main bronchi as the lumen below -900 HU followed down from the
# top slice and cut 40 mm under the carina, the two largest components (or the one cut at
# the trachea's sagittal plane when the lungs touch), holes under 10 cm²
# filled slice by slice) and prints each lung's volume and the time its segmentation took. With MASK.raw (bench-lungs --dump:
# uint8, columns fastest, slices ordered along the normal like FidacVolume) it prints the
# C mask's volumes and the Dice per lung, and with PNG_PREFIX writes axial and coronal
# slices with both outlines (C red, Python green) for a look.
import os
import subprocess
import sys
import time

import numpy as np
import pydicom
from scipy import ndimage


def load(folder):
    slices = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        try:
            ds = pydicom.dcmread(path)
        except Exception:
            continue
        if 'PixelData' not in ds or ds.get('Modality') != 'CT':
            continue
        slices.append(ds)
    orient = np.array(slices[0].ImageOrientationPatient, dtype=float)
    normal = np.cross(orient[:3], orient[3:])
    slices.sort(key=lambda d: float(np.dot(normal, np.array(d.ImagePositionPatient, float))))
    hu = np.stack([d.pixel_array.astype(np.int32) * float(d.get('RescaleSlope', 1)) +
                   float(d.get('RescaleIntercept', 0)) for d in slices]).astype(np.float32)
    pos = [np.dot(normal, np.array(d.ImagePositionPatient, float)) for d in slices]
    spacing = (float(slices[0].PixelSpacing[1]), float(slices[0].PixelSpacing[0]),
               float(np.median(np.diff(pos))))
    origin = np.array(slices[0].ImagePositionPatient, float)
    return hu, spacing, orient, normal, origin


def segment(hu, spacing, orient, normal):
    voxel_ml = spacing[0] * spacing[1] * spacing[2] / 1000.0
    air = hu < -400
    inside = np.zeros_like(air)
    for k in range(air.shape[0]):
        lab, n = ndimage.label(air[k])
        border = set(np.unique(np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]])))
        keep = np.array([i not in border for i in range(n + 1)])
        keep[0] = False
        inside[k] = keep[lab]
    # Patient x of each column (the row direction's x component) for an axial series.
    xs = np.arange(hu.shape[2]) * spacing[0] * orient[0]
    top = hu.shape[0] - 1 if normal[2] > 0 else 0
    step = -1 if normal[2] > 0 else 1
    # The trachea: in the first slices from the top, a dark region of 1-7 cm² mid-body.
    seed = None
    for s0 in range(hu.shape[0] // 3):
        k = top + s0 * step
        lab, n = ndimage.label(inside[k] & (hu[k] < -900))
        body_cols = np.nonzero((hu[k] > -400).any(axis=0))[0]
        mid = xs[(body_cols.min() + body_cols.max()) // 2] if len(body_cols) else 0
        best = None
        for i in range(1, n + 1):
            rr, cc = np.nonzero(lab == i)
            area = len(rr) * spacing[0] * spacing[1]
            if 100 < area < 700 and abs(xs[cc].mean() - mid) < 30:
                if best is None or abs(xs[cc].mean() - mid) < best[0]:
                    best = (abs(xs[cc].mean() - mid), i, xs[cc].mean())
        if best:
            seed = (k, lab == best[1], best[2], s0)
            break
    airway = np.zeros_like(air)
    if seed is not None:
        # Slice by slice down from the seed: the lumen regions that overlap the airway of
        # the slice above, none larger than twice the trachea; 40 mm past the carina.
        lumen = inside & (hu < -900)
        lumen[:, :, np.abs(xs - seed[2]) > 50] = False
        prev = seed[1]
        airway[seed[0]] = prev
        limit = 2 * prev.sum()
        carina = None
        for s in range(seed[3] + 1, hu.shape[0]):
            k = top + s * step
            lab, n = ndimage.label(lumen[k])
            ids = np.unique(lab[prev])
            ids = ids[ids > 0]
            cur = np.zeros_like(prev)
            regions = 0
            for i in ids:
                region = lab == i
                if region.sum() <= limit:
                    cur |= region
                    regions += region.sum() > 0.15 * seed[1].sum()
            if carina is None and regions >= 2:
                carina = s
                print('carina: slice %d (seed slice %d)' % (k, seed[0]))
            if not cur.any() or (carina is not None and
                                 (s - carina) * spacing[2] > 40.0):
                break
            airway[k] = cur
            prev = cur
        print('airway: %.1f mL' % (airway.sum() * voxel_ml))
        airway = ndimage.binary_dilation(airway, iterations=2)
    cand = inside & ~airway
    lab, n = ndimage.label(cand)
    sizes = ndimage.sum(cand, lab, range(1, n + 1))
    order = np.argsort(sizes)[::-1][:2] + 1
    comps = [lab == i for i in order]
    if sizes[order[1] - 1] < 0.1 * sizes[order[0] - 1]:
        # The lungs touch: cut the one component at the trachea's sagittal plane.
        print('one component: cut at x = %.1f mm' % seed[2])
        side_x = np.broadcast_to(xs > seed[2], hu.shape)
        comps = [comps[0] & ~side_x, comps[0] & side_x]
    lungs = np.zeros(hu.shape, np.uint8)
    for comp in comps:
        cols = np.nonzero(comp.any(axis=(0, 1)))[0]
        cx = (xs[cols] * comp.sum(axis=(0, 1))[cols]).sum() / comp.sum()
        side = 2 if cx > seed[2] else 1   # LPS: +x is the patient's left
        # Holes of the lung in each slice, under 10 cm² (not the liver under the dome).
        max_px = 1000.0 / (spacing[0] * spacing[1])
        for k in range(hu.shape[0]):
            if not comp[k].any():
                continue
            holes = ndimage.binary_fill_holes(comp[k]) & ~comp[k]
            hl, hn = ndimage.label(holes)
            if hn:
                hs = ndimage.sum(holes, hl, range(1, hn + 1))
                small = np.concatenate([[False], hs < max_px])
                comp[k] |= small[hl]
        lungs[comp & (lungs == 0)] = side
    return lungs, voxel_ml


def outline(mask):
    return mask & ~ndimage.binary_erosion(mask)


def png(gray, c_mask, py_mask, path):
    img = np.clip((gray + 1350) / 1500 * 255, 0, 255).astype(np.uint8)
    rgb = np.stack([img, img, img], axis=-1)
    if py_mask is not None:
        rgb[outline(py_mask > 0)] = (0, 255, 0)
    if c_mask is not None:
        rgb[outline(c_mask == 1)] = (255, 0, 0)
        rgb[outline(c_mask == 2)] = (255, 0, 255)
    ppm = path + '.ppm'
    with open(ppm, 'wb') as f:
        f.write(b'P6 %d %d 255\n' % (rgb.shape[1], rgb.shape[0]))
        f.write(rgb.tobytes())
    subprocess.run(['convert', ppm, path], check=True)
    os.unlink(ppm)


def main():
    hu, spacing, orient, normal, origin = load(sys.argv[1])
    print('%s: %d x %d x %d, %.3f x %.3f x %.3f mm' % (sys.argv[1], hu.shape[2], hu.shape[1],
                                                      hu.shape[0], *spacing))
    wall, cpu = time.perf_counter(), time.process_time()
    lungs, voxel_ml = segment(hu, spacing, orient, normal)
    print('python segmentation: %.2f s wall, %.2f s processor' %
          (time.perf_counter() - wall, time.process_time() - cpu))
    for side, name in ((1, 'right'), (2, 'left')):
        print('python %s lung: %.1f mL' % (name, (lungs == side).sum() * voxel_ml))
    c_mask = None
    if len(sys.argv) > 2:
        c_mask = np.fromfile(sys.argv[2], np.uint8).reshape(hu.shape)
        for side, name in ((1, 'right'), (2, 'left')):
            a, b = c_mask == side, lungs == side
            print('C %s lung: %.1f mL, Dice with python %.4f' %
                  (name, a.sum() * voxel_ml, 2.0 * (a & b).sum() / (a.sum() + b.sum())))
    if len(sys.argv) > 3:
        prefix = sys.argv[3]
        for f in (0.2, 0.35, 0.5, 0.65, 0.8, 0.9):
            k = int(f * (hu.shape[0] - 1))
            png(hu[k], None if c_mask is None else c_mask[k], lungs[k], '%s-axial-%03d.png' % (prefix, k))
        j = int(0.55 * hu.shape[1])
        rep = max(1, int(round(spacing[2] / spacing[0])))
        cor = np.repeat(hu[:, j, :], rep, axis=0)[::-1]
        cm = None if c_mask is None else np.repeat(c_mask[:, j, :], rep, axis=0)[::-1]
        pm = np.repeat(lungs[:, j, :], rep, axis=0)[::-1]
        png(cor, cm, pm, '%s-coronal-%03d.png' % (prefix, j))


if __name__ == '__main__':
    main()
