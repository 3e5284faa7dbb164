"""Whisper files for the bytes-per-sample comparison, written with Debian's python3-whisper (run with /usr/bin/python3).

    whisper_fill.py fill DIR RETENTIONS NAMES_FILE VALUES_FILE POINTS START_S INTERVAL_S
        Creates one whisper file per name (carbon's layout: dots become directories), as carbon-cache would with
        WHISPER_FALLOCATE_CREATE = True, xFilesFactor 0 and average aggregation. The first R series (R = the
        values file's length / POINTS; float64 little-endian, series-major) also get their points written with
        update_many, exactly as generated. Prints a JSON report.

    whisper_fill.py probe DIR RETENTIONS
        Creates one empty file with RETENTIONS and prints its apparent and allocated size as JSON.
"""
import array
import json
import os
import sys
import time

import whisper


def archives_of(retentions):
    return [whisper.parseRetentionDef(r) for r in retentions.split(',')]


def create(path, archives):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    whisper.create(path, archives, xFilesFactor=0, aggregationMethod='average', sparse=False, useFallocate=True)


def fill(root, retentions, names_file, values_file, points, start_s, interval_s):
    archives = archives_of(retentions)
    with open(names_file) as f:
        names = [line.strip() for line in f if line.strip()]
    values = array.array('d')
    with open(values_file, 'rb') as f:
        values.frombytes(f.read())
    if sys.byteorder != 'little':
        values.byteswap()
    written = len(values) // points
    timestamps = [start_s + k * interval_s for k in range(points)]
    started = time.time()
    for i, name in enumerate(names):
        path = os.path.join(root, *name.split('.')) + '.wsp'
        create(path, archives)
        if i < written:
            whisper.update_many(path, list(zip(timestamps, values[i * points:(i + 1) * points])))
    print(json.dumps({'files': len(names), 'written': written, 'seconds': time.time() - started}))


def probe(root, retentions):
    path = os.path.join(root, 'probe.wsp')
    create(path, archives_of(retentions))
    st = os.stat(path)
    os.unlink(path)
    print(json.dumps({'apparent': st.st_size, 'allocated': st.st_blocks * 512}))


if __name__ == '__main__':
    if sys.argv[1] == 'fill':
        fill(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8]))
    elif sys.argv[1] == 'probe':
        probe(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
