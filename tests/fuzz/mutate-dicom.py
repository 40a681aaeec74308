#!/usr/bin/python3
"""Mutation testing of the DICOM reading path (a tool, not a test).

Copies a seed series into a temporary folder, corrupts it (byte flips, header
flips, absurd element lengths, truncation, dcmodify edits of the image
attributes, duplicate UIDs, missing files), then runs `fidac-cli info --json`
and `fidac-cli series` on it.  Build fidac-cli with -Db_sanitize=address,undefined
so that memory errors and undefined behaviour are reported.  A sanitizer report,
a signal, a timeout or an exit status other than 0/1 is a finding; so is a
semantic corruption (dcmodify) accepted with exit 0 and no warning at all,
which may be a silent default (review those by hand).

  tests/fuzz/mutate-dicom.py --cli build-fuzz/src/cli/fidac-cli \
      --seeds SEEDDIR --out FINDINGSDIR [--cases 1000] [--seed 1]

SEEDDIR holds one sub-folder per seed series (fidac-cli phantom DIR --slices 4
--size 32 --transfer-syntax X makes good ones).  Each finding is kept under
FINDINGSDIR with the mutated folder, a description and the program's output.
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

# (group, element) little endian, the attributes whose corruption matters most.
TAGS = [(0x0028, 0x0010), (0x0028, 0x0011), (0x0028, 0x0100), (0x0028, 0x0101),
        (0x0028, 0x0102), (0x0028, 0x0103), (0x0028, 0x0002), (0x0028, 0x0008),
        (0x0028, 0x0030), (0x0020, 0x0032), (0x0020, 0x0037), (0x0028, 0x1052),
        (0x0028, 0x1053), (0x7FE0, 0x0010), (0x0002, 0x0010), (0x0020, 0x000E),
        (0x0008, 0x0018), (0xFFFE, 0xE000), (0x5200, 0x9230), (0x0002, 0x0000)]
LENGTHS = [0, 1, 2, 3, 0xFFFF, 0xFFFE, 0x7FFF, 0x8000, 0xFFFFFFFF, 0xFFFFFFFE,
           0x7FFFFFFF, 0x80000000, 0x10000, 0x1000000]

# dcmodify edits: each an absurd or inconsistent value.
EDITS = [
    ("Rows", ["0", "1", "65535", "31", "33", "100"]),
    ("Columns", ["0", "1", "65535", "31", "33", "100"]),
    ("BitsAllocated", ["0", "1", "7", "8", "12", "32", "64", "65535"]),
    ("BitsStored", ["0", "1", "17", "32", "65535"]),
    ("HighBit", ["0", "16", "31", "65535"]),
    ("PixelRepresentation", ["2", "65535"]),
    ("SamplesPerPixel", ["0", "3", "65535"]),
    ("NumberOfFrames", ["0", "-1", "2", "5", "100000", "2147483647", "99999999999", "abc"]),
    ("PixelSpacing", ["0\\0", "-1\\1", "nan\\nan", "1e308\\1e308", "abc", "1", "inf\\1"]),
    ("ImagePositionPatient", ["nan\\0\\0", "1e308\\0\\1e308", "a\\b\\c", "0\\0", "inf\\0\\0"]),
    ("ImageOrientationPatient", ["0\\0\\0\\0\\0\\0", "nan\\0\\0\\0\\1\\0", "1\\0\\0\\1\\0\\0",
                                 "1\\0\\0", "abc", "1e308\\0\\0\\0\\1e308\\0"]),
    ("RescaleSlope", ["0", "1e30", "abc", "-1e30", "nan", "inf"]),
    ("RescaleIntercept", ["1e30", "abc", "nan", "-1e308"]),
    ("WindowCenter", ["abc", "nan", "1e308"]),
    ("WindowWidth", ["abc", "0", "-5", "nan"]),
    ("PixelPaddingValue", ["70000", "-70000"]),
    ("SliceThickness", ["abc", "-1", "nan"]),
    ("PhotometricInterpretation", ["RGB", "PALETTE COLOR", "YBR_FULL", ""]),
    ("PlanarConfiguration", ["1", "5"]),
    ("SOPClassUID", ["1.2.3", ""]),
    ("SeriesInstanceUID", [""]),
    ("SOPInstanceUID", [""]),
    ("Modality", [""]),
]
REMOVABLE = ["PixelSpacing", "ImagePositionPatient", "ImageOrientationPatient",
             "Rows", "Columns", "BitsAllocated", "BitsStored", "HighBit",
             "PixelRepresentation", "SamplesPerPixel", "RescaleSlope",
             "RescaleIntercept", "PixelData", "SeriesInstanceUID",
             "SOPInstanceUID", "PhotometricInterpretation", "TransferSyntaxUID",
             "SharedFunctionalGroupsSequence", "PerFrameFunctionalGroupsSequence"]


def files_of(d):
    out = []
    for root, _, names in os.walk(d):
        out += [os.path.join(root, n) for n in names]
    return sorted(out)


def flip(path, rnd, limit=None):
    data = bytearray(open(path, "rb").read())
    if not data:
        return "empty"
    end = min(len(data), limit) if limit else len(data)
    n = rnd.choice([1, 1, 2, 4, 16])
    where = []
    for _ in range(n):
        i = rnd.randrange(end)
        data[i] = rnd.randrange(256) if rnd.random() < 0.5 else data[i] ^ (1 << rnd.randrange(8))
        where.append(i)
    open(path, "wb").write(data)
    return "flip%s %s" % (" header" if limit else "", where)


def length(path, rnd):
    data = bytearray(open(path, "rb").read())
    hits = []
    for g, e in TAGS:
        pat = bytes([g & 0xFF, g >> 8, e & 0xFF, e >> 8])
        i = data.find(pat)
        while i >= 0:
            hits.append((i, g, e))
            i = data.find(pat, i + 1)
    if not hits:
        return flip(path, rnd, 2048)
    i, g, e = rnd.choice(hits)
    value = rnd.choice(LENGTHS)
    vr = bytes(data[i + 4:i + 6])
    if vr.isalpha() and vr.isupper():
        if vr in (b"OB", b"OW", b"SQ", b"UN", b"UT", b"OF", b"OD", b"UC", b"UR"):
            data[i + 8:i + 12] = value.to_bytes(4, "little")
        elif rnd.random() < 0.3:
            data[i + 4:i + 6] = rnd.choice([b"SQ", b"OB", b"UN", b"US", b"FD", b"XX"])
            value = "vr"
        else:
            data[i + 6:i + 8] = (value & 0xFFFF).to_bytes(2, "little")
    else:
        data[i + 4:i + 8] = value.to_bytes(4, "little")
    open(path, "wb").write(data)
    return "length (%04x,%04x)@%d = %s" % (g, e, i, value)


def truncate(path, rnd):
    size = os.path.getsize(path)
    at = rnd.randrange(size) if size else 0
    with open(path, "r+b") as f:
        f.truncate(at)
    return "truncate %d/%d" % (at, size)


def dcmodify(args, path):
    r = subprocess.run(["dcmodify", "-nb", "-q", "-ie", "-imt"] + args + [path],
                       capture_output=True)
    return r.returncode == 0


def edit(path, rnd):
    key, values = rnd.choice(EDITS)
    value = rnd.choice(values)
    dcmodify(["-i", "%s=%s" % (key, value)], path)
    return "set %s=%s" % (key, value)


def remove(path, rnd):
    key = rnd.choice(REMOVABLE)
    dcmodify(["-ea", key], path)
    return "remove %s" % key


def mutate(d, rnd):
    """Corrupt the series in d; returns (description, semantic)."""
    paths = files_of(d)
    steps = []
    semantic = False
    for _ in range(rnd.choice([1, 1, 1, 2, 3])):
        path = rnd.choice(paths)
        kind = rnd.choice(["flip", "header", "length", "length", "truncate", "edit",
                           "edit", "edit", "remove", "dup-uid", "drop", "copy"])
        name = os.path.basename(path)
        if kind == "flip":
            steps.append(name + ": " + flip(path, rnd))
        elif kind == "header":
            steps.append(name + ": " + flip(path, rnd, 2048))
        elif kind == "length":
            steps.append(name + ": " + length(path, rnd))
        elif kind == "truncate":
            steps.append(name + ": " + truncate(path, rnd))
        elif kind == "edit":
            steps.append(name + ": " + edit(path, rnd))
            semantic = True
        elif kind == "remove":
            steps.append(name + ": " + remove(path, rnd))
            semantic = True
        elif kind == "dup-uid" and len(paths) > 1:
            other = rnd.choice([p for p in paths if p != path])
            uid = subprocess.run(["dcmdump", "-q", "+P", "0008,0018", path],
                                 capture_output=True, text=True).stdout
            if "[" in uid:
                uid = uid.split("[", 1)[1].split("]", 1)[0]
                dcmodify(["-i", "SOPInstanceUID=" + uid], other)
                steps.append("%s: SOP UID of %s" % (os.path.basename(other), name))
                semantic = True
        elif kind == "drop" and len(paths) > 2:
            os.unlink(path)
            paths.remove(path)
            steps.append(name + ": removed")
        elif kind == "copy":
            shutil.copy(path, path + ".copy")
            steps.append(name + ": copied")
    return "; ".join(steps), semantic


def run(cli, args, timeout):
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
    env["LC_ALL"] = "C.UTF-8"
    try:
        r = subprocess.run([cli] + args, capture_output=True, timeout=timeout, env=env)
        return r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired as e:
        return "timeout", (e.stdout or b"").decode(errors="replace"), (e.stderr or b"").decode(errors="replace")


def judge(rc, out, err, semantic):
    if "Sanitizer" in err or "runtime error:" in err:
        return "sanitizer"
    if rc == "timeout":
        return "timeout"
    if rc not in (0, 1):
        return "exit %s" % rc
    if rc == 0 and semantic:
        try:
            if not json.loads(out).get("warnings"):
                return "silent"
        except ValueError:
            return "bad json"
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cli", required=True)
    p.add_argument("--seeds", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--cases", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--timeout", type=float, default=20)
    p.add_argument("--no-silent", action="store_true", help="do not report silent acceptances")
    a = p.parse_args()
    rnd = random.Random(a.seed)
    seeds = sorted(os.path.join(a.seeds, s) for s in os.listdir(a.seeds))
    os.makedirs(a.out, exist_ok=True)
    counts = {}
    for case in range(a.cases):
        seed = rnd.choice(seeds)
        with tempfile.TemporaryDirectory(prefix="fidac-mutate-") as tmp:
            d = os.path.join(tmp, "s")
            shutil.copytree(seed, d)
            for f in files_of(d):
                os.chmod(f, 0o644)
            what, semantic = mutate(d, rnd)
            for args in (["info", d, "--json"], ["series", d]):
                rc, out, err = run(a.cli, args, a.timeout)
                verdict = judge(rc, out, err, semantic and args[0] == "info")
                if verdict == "silent" and a.no_silent:
                    verdict = None
                counts[verdict] = counts.get(verdict, 0) + 1
                if verdict:
                    keep = os.path.join(a.out, "%05d-%s" % (case, verdict.replace(" ", "-")))
                    shutil.copytree(d, os.path.join(keep, "s"))
                    with open(os.path.join(keep, "finding.txt"), "w") as f:
                        f.write("seed %s\n%s\nfidac-cli %s -> %s\n--- stdout\n%s\n--- stderr\n%s\n"
                                % (seed, what, " ".join(args[:1]), rc, out, err))
                    print("%05d %s [%s] %s" % (case, verdict, os.path.basename(seed), what), flush=True)
                    break
    print("cases %d, runs by verdict: %s" % (a.cases, counts))


if __name__ == "__main__":
    sys.exit(main())
