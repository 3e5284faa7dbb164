"""Writes whisper files for the compatibility suite and the render benchmark, as carbon-cache would lay them out.

Run with Debian's interpreter (/usr/bin/python3): it needs python3-whisper and graphite-web's tag helpers.

    whisper_load.py WHISPER_DIR RETENTIONS MANIFEST VALUES [JOBS]

MANIFEST has one JSON object per line: {"path": "a.b.c" or "name;tag=value;...", "start": S, "step": 10,
"count": N}. VALUES holds float64 little-endian values, series after series in the manifest's order, N each;
NaN marks a missing point (whisper has no nulls: the slot is left unwritten).

Untagged paths become directories (dots) and a `.wsp` file; tagged paths are normalized (tags sorted) and stored
as carbon 1.1 does with TAG_HASH_FILENAMES = True: `_tagged/<sha256[0:3]>/<sha256[3:6]>/<sha256>.wsp`, which
graphite-web's StandardFinder looks for. Tagged series must still be registered in graphite-web's tag database
(POST /tags/tagMultiSeries); this script only writes files.

Files are created sparse (no preallocation) with xFilesFactor 0 and average aggregation. Points are written with
update_many, which also propagates them to the coarser archives (points too old for the finest archive are first
averaged per coarser slot, see live_like); JOBS processes (default: one per CPU) share the files. Prints a JSON
summary (`points`: the points given, before any averaging).
"""
import array
import json
import math
import multiprocessing
import os
import sys
import time

import whisper
from graphite.tags.utils import TaggedSeries


def file_for(root, path):
    if ';' in path:
        normalized = TaggedSeries.parse(path).path
        rel = TaggedSeries.encode(normalized, sep=os.sep, hash_only=True)
    else:
        rel = os.path.join(*path.split('.'))
    return os.path.join(root, rel + '.wsp')


_values = None
_archives = None
_root = None


def _init(root, retentions, values_file):
    global _values, _archives, _root
    _root = root
    _archives = [whisper.parseRetentionDef(r) for r in retentions.split(',')]
    _values = array.array('d')
    with open(values_file, 'rb') as f:
        _values.frombytes(f.read())
    if sys.byteorder != 'little':
        _values.byteswap()


def _load_one(job):
    spec, offset = job
    start, step, count = int(spec['start']), int(spec['step']), int(spec['count'])
    target = file_for(_root, spec['path'])
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.exists(target):
        os.unlink(target)
    whisper.create(target, _archives, xFilesFactor=0, aggregationMethod='average', sparse=True)
    chunk = _values[offset:offset + count]
    series = [(start + i * step, v) for i, v in enumerate(chunk) if not math.isnan(v)]
    if series:
        whisper.update_many(target, live_like(series))
    return len(series)


def live_like(points):
    """Points older than the finest archive's retention, averaged per step of the next archive.

    update_many writes a point too old for the finest archive straight into the next one, where of several points
    in one slot the last wins: a 10 s series 30 days long would keep the last 10 s value of each old minute. Carbon,
    receiving the same points live, would have written each minute's average there by propagation. So old points are
    averaged per coarser slot here (whole slots only, with a margin for the clock moving on during the write) and
    written as one point each: the files then hold what carbon would have kept.
    """
    if len(_archives) < 2 or not points:
        return points
    fine_retention = _archives[0][0] * _archives[0][1]
    coarse_step = _archives[1][0]
    cutoff = int(time.time()) - fine_retention + 2 * coarse_step
    buckets = {}
    recent = []
    for t, v in points:
        slot = t - t % coarse_step
        if slot < cutoff:
            buckets.setdefault(slot, []).append(v)
        else:
            recent.append((t, v))
    if not buckets:
        return points
    return [(slot, sum(vs) / len(vs)) for slot, vs in sorted(buckets.items())] + recent


def main(root, retentions, manifest, values_file, jobs=None):
    started = time.time()
    specs = []
    offset = 0
    with open(manifest) as f:
        for line in f:
            if line.strip():
                spec = json.loads(line)
                specs.append((spec, offset))
                offset += int(spec['count'])
    size = os.path.getsize(values_file) // 8
    if offset != size:
        sys.exit('manifest counts %d values, the values file holds %d' % (offset, size))
    jobs = int(jobs) if jobs else (os.cpu_count() or 1)
    if jobs <= 1 or len(specs) < 2:
        _init(root, retentions, values_file)
        points = sum(map(_load_one, specs))
    else:
        with multiprocessing.Pool(jobs, _init, (root, retentions, values_file)) as pool:
            points = sum(pool.imap_unordered(_load_one, specs, chunksize=max(1, min(64, len(specs) // (jobs * 8)))))
    print(json.dumps({'files': len(specs), 'points': points, 'seconds': round(time.time() - started, 3)}))


if __name__ == '__main__':
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    main(*sys.argv[1:])
