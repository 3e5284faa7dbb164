/**
 * The time-series store: the head in memory, the WAL that makes it durable, block files of
 * compressed chunks per level and partition, and the manifest that says which files are live.
 *
 *   append ──▶ WAL (fsync) ──▶ head ──checkpoint──▶ raw + rollup block files ──compaction──▶ one file per partition
 *
 * A checkpoint writes the head's raw samples and, for every rollup level, partial rollup rows
 * (count, sum, min, max, last and a sketch for timing series). Partial rows of the same bucket
 * from several checkpoints merge at read time and are combined for good by compaction, so no
 * rollup state has to survive in memory between checkpoints.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import type { WorkerMetrics } from '../selfmetrics';
import type {
  Aggregate,
  AggregateField,
  AppendBatch,
  ReadRequest,
  SampleSink,
  SeriesData,
  SeriesKind,
  SeriesReader,
  SeriesRef,
  SeriesSelector,
} from './types';
import { Head, type HeadSeries } from './head';
import { Wal, frame, listSegments, readSegment, segmentName } from './wal';
import {
  RecordType,
  SamplesRecordBuilder,
  decodeDistribution,
  decodeSamples,
  decodeSeries,
  encodeDistribution,
  encodeSeries,
} from './walrecords';
import { SeriesCatalog, seriesKey } from './catalog';
import { BlockIndex, BlockWriter, ChunkKind, type IndexEntry } from './blockfile';
import { type BlockFileMeta, type ManifestData, readManifest, removeUnlisted, writeManifest } from './manifest';
import { RAW, type LevelSpec, chooseLevel, partitionSpan, storedLevels } from './levels';
import {
  type AggregateRows,
  aggregateAt,
  decodeAggregate,
  decodeScalar,
  type ScalarRows,
  emptyAggregateRows,
  encodeAggregate,
  encodeScalar,
} from './chunkenc/chunk';
import { aggregateOf, mergeInto } from './aggregate';
import { selectorPredicate } from './select';
import { SeriesAccumulator, mergeRaw, type RawPart } from './accumulator';
import { OpenFiles } from './openfiles';

/** Retention and rollup method per series name, like Graphite's storage-schemas and storage-aggregation. */
export interface StorageRules {
  schemaFor(name: string): { name: string; levels: LevelSpec[] };
  methodFor(name: string): Exclude<AggregateField, 'count'>;
  /** Age at which a raw partition is rolled up (default 0: as soon as it ends). */
  rollupAfterMs?: number;
}

export interface StoreOptions {
  dataDir: string;
  db: Database;
  rules: StorageRules;
  metrics?: WorkerMetrics;
  logger?: Logger;
  /** Persist the head this often (default 15 min). */
  checkpointIntervalMs?: number;
  /** Checkpoint early once the head holds this many samples (default 5M). */
  maxHeadSamples?: number;
  /** Backlog of unsynced WAL bytes above which producers are told to back off (default 64 MiB). */
  maxPendingBytes?: number;
  /** Refuse new series beyond this many (default 1M). */
  maxSeries?: number;
  /** How far in the future a sample may be, for clock skew (default 10 min). */
  futureToleranceMs?: number;
  /** Merge a partition's files once it has this many (default 4). */
  compactAfterFiles?: number;
  /** How long replaced block files stay on disk for reads already under way (default 30 s). */
  removedFileGraceMs?: number;
  /** How often background compaction and retention look for work (default 30 s). */
  maintenanceIntervalMs?: number;
  now?: () => number;
}

export class LimitError extends Error {
  constructor(
    message: string,
    readonly limit: string,
    readonly value: number
  ) {
    super(message);
  }
}

interface LiveFile {
  meta: BlockFileMeta;
  index: BlockIndex;
}

const SLICE = 500;
/** Block files a read has in flight at once. */
const READ_AHEAD = 4;
/** Raw partitions rolled up by one checkpoint at most (a day's worth): bounds a checkpoint after a long stop. */
const ROLL_BATCH = 12;
/** Background work done in one maintenance round at most, in milliseconds (a round starts every 30 s by default). */
const MAINTENANCE_BUDGET_MS = 10_000;
const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

export class TimeSeriesStore implements SampleSink, SeriesReader {
  private head = new Head();
  /**
   * Heads being persisted, oldest first; reads see them. A head whose checkpoint failed stays here and is persisted
   * by the next checkpoint, before the newer head: its WAL segments are removed only once it is in block files.
   */
  private flushing: Head[] = [];
  private files: LiveFile[] = [];
  private manifest: ManifestData;
  /** Last sequence number used in a block file name. */
  private seq: number;
  private manifestLock: Promise<void> = Promise.resolve();
  private readonly wal: Wal;
  readonly catalog: SeriesCatalog;
  private readonly blocksDir: string;
  private checkpointRun: Promise<void> | undefined;
  private maintenanceRun: Promise<void> | undefined;
  private timers: NodeJS.Timeout[] = [];
  private closed = false;
  /** Set when close() begins: background work stops at its next step. */
  private closing = false;
  private readonly now: () => number;
  private rules: StorageRules;
  private readonly record = new SamplesRecordBuilder();

  private constructor(
    private readonly opts: StoreOptions,
    manifest: ManifestData,
    files: LiveFile[],
    private readonly openFiles: OpenFiles
  ) {
    this.now = opts.now ?? Date.now;
    this.rules = opts.rules;
    this.blocksDir = path.join(opts.dataDir, 'blocks');
    this.manifest = { ...manifest, rolledBefore: manifest.rolledBefore ?? rolledBeforeUpgrade(manifest, this.now()) };
    this.seq = manifest.seq;
    this.files = files;
    this.catalog = new SeriesCatalog(opts.db);
    this.wal = Wal.open(path.join(opts.dataDir, 'wal'), {
      onCommit: (secs) => {
        opts.metrics?.walFsync.observe(secs);
        this.refreshGauges();
      },
    });
  }

  /** Opens the store: loads the manifest and block indexes, then replays the WAL into the head. */
  static async open(opts: StoreOptions): Promise<TimeSeriesStore> {
    const blocksDir = path.join(opts.dataDir, 'blocks');
    fs.mkdirSync(blocksDir, { recursive: true });
    const manifest = readManifest(blocksDir);
    removeUnlisted(blocksDir, manifest);
    const openFiles = new OpenFiles();
    const files: LiveFile[] = [];
    for (const meta of manifest.files) {
      files.push({ meta, index: await BlockIndex.load(path.join(blocksDir, meta.name), openFiles) });
    }
    const walDir = path.join(opts.dataDir, 'wal');
    const store = new TimeSeriesStore(opts, manifest, files, openFiles);
    store.replay(walDir, manifest.walSegment);
    store.refreshGauges();
    store.refreshFileGauges();
    return store;
  }

  /** Starts the periodic checkpoint and maintenance. */
  start(): void {
    const every = this.opts.checkpointIntervalMs ?? 15 * 60_000;
    this.timers.push(
      setInterval(() => void this.checkpoint().catch((e: unknown) => this.logError('checkpoint failed', e)), every)
    );
    this.timers.push(
      setInterval(
        () => void this.maintain().catch((e: unknown) => this.logError('maintenance failed', e)),
        this.opts.maintenanceIntervalMs ?? 30_000
      )
    );
    for (const t of this.timers) t.unref();
  }

  setRules(rules: StorageRules): void {
    this.rules = rules;
  }

  // ---- writing ----

  overloaded(): boolean {
    return (
      this.wal.pendingBytes > (this.opts.maxPendingBytes ?? 64 * 1024 * 1024) ||
      this.head.samples > 2 * (this.opts.maxHeadSamples ?? 5_000_000)
    );
  }

  append(batch: AppendBatch): Promise<void> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    const now = this.now();
    const latest = now + (this.opts.futureToleranceMs ?? 10 * 60_000);
    const rec = this.record;
    for (const s of batch.samples ?? []) {
      const t = Math.round(s.t);
      if (!Number.isFinite(s.v)) {
        this.reject('non_finite_value');
        continue;
      }
      if (!(t >= 0) || t > latest) {
        this.reject(t > latest ? 'future_timestamp' : 'bad_timestamp');
        continue;
      }
      const ref = this.resolve(s.name, s.labels, s.kind ?? 'untyped', t);
      if (!ref) continue;
      this.head.append(ref.id, t, s.v);
      rec.add(ref.id, t, s.v);
    }
    if (rec.count > 0) this.wal.append(rec.takeFrame());
    for (const d of batch.distributions ?? []) {
      const t = Math.round(d.t);
      if (!(t >= 0) || t > latest || !(d.agg.count > 0)) {
        this.reject(d.agg.count > 0 ? 'bad_timestamp' : 'empty_distribution');
        continue;
      }
      const ref = this.resolve(d.name, d.labels, 'timer', t);
      if (!ref) continue;
      this.head.appendDist(ref.id, t, d.agg);
      this.wal.append(frame(RecordType.Distribution, encodeDistribution(ref.id, t, d.agg)));
    }
    if (this.head.samples > (this.opts.maxHeadSamples ?? 5_000_000) && !this.checkpointRun) {
      void this.checkpoint().catch((e: unknown) => this.logError('checkpoint failed', e));
    }
    return this.wal.commit();
  }

  private resolve(name: string, labels: Record<string, string>, kind: SeriesKind, t: number): SeriesRef | undefined {
    const key = seriesKey(name, labels);
    let ref = this.catalog.get(key);
    if (!ref) {
      if (this.catalog.size >= (this.opts.maxSeries ?? 1_000_000)) {
        this.reject('max_series');
        return undefined;
      }
      ref = this.catalog.create(key, name, labels, kind, t);
      this.wal.append(frame(RecordType.Series, encodeSeries(ref.id, kind, key)));
      this.opts.metrics?.series.set(this.catalog.size);
    } else {
      this.catalog.touch(ref, t);
    }
    return ref;
  }

  private reject(reason: string): void {
    this.opts.metrics?.storeRejected.inc({ reason });
  }

  private replay(walDir: string, covered: number): void {
    const segs = listSegments(walDir);
    for (const s of segs) {
      if (s <= covered) {
        fs.unlinkSync(path.join(walDir, segmentName(s)));
        continue;
      }
      const file = path.join(walDir, segmentName(s));
      const valid = readSegment(file, (type, payload) => {
        if (type === RecordType.Series) {
          const r = decodeSeries(payload);
          this.catalog.restore(r.id, r.key, r.kind, this.now());
        } else if (type === RecordType.Samples) {
          decodeSamples(payload, (id, t, v) => {
            this.head.append(id, t, v);
            const ref = this.catalog.byIdOf(id);
            if (ref) this.catalog.touch(ref, t);
          });
        } else if (type === RecordType.Distribution) {
          const d = decodeDistribution(payload);
          this.head.appendDist(d.id, d.t, d.agg);
        }
      });
      const size = fs.statSync(file).size;
      if (valid < size) {
        // A torn tail was never acknowledged: cut it so the segment reads cleanly next time.
        fs.truncateSync(file, valid);
        this.opts.logger?.warn({ segment: s, valid, size }, 'WAL segment had a torn tail; truncated');
      }
    }
    this.catalog.persist();
  }

  // ---- checkpoint ----

  /** Persists the head to block files and drops the WAL segments it covered. */
  checkpoint(): Promise<void> {
    if (this.checkpointRun) return this.checkpointRun;
    this.checkpointRun = this.runCheckpoint().finally(() => {
      this.checkpointRun = undefined;
    });
    return this.checkpointRun;
  }

  private async runCheckpoint(): Promise<void> {
    const started = process.hrtime.bigint();
    const head = this.head;
    if (head.samples === 0 && this.wal.size === 0 && this.rollTarget() === undefined) return;
    const walSegment = this.wal.rotate();
    this.head = new Head();
    this.flushing.push(head);
    const heads = [...this.flushing];
    try {
      this.catalog.persist();
      const seq = ++this.seq;
      let writers = new Map<string, { level: number; partition: number; w: BlockWriter }>();
      const writerFor = (level: number, partition: number): BlockWriter => {
        const k = `${level}/${partition}`;
        let e = writers.get(k);
        if (!e) {
          e = { level, partition, w: new BlockWriter() };
          writers.set(k, e);
        }
        return e.w;
      };
      // A roll-up reads old files (a compaction may have replaced and removed them meanwhile): an unreadable file must
      // not keep every later checkpoint from persisting the head. Its rows are dropped and it is tried again next time.
      const wasRolledBefore = this.manifest.rolledBefore!;
      let rolledBefore = wasRolledBefore;
      try {
        rolledBefore = await this.rollUp(writerFor, heads);
      } catch (e) {
        this.logError('roll-up failed; retried at the next checkpoint', e);
        writers = new Map();
      }
      let i = 0;
      for (const h of heads) {
        for (const [id, hs] of h.entries()) {
          const ref = this.catalog.byIdOf(id);
          if (!ref) continue;
          this.persistSeries(id, ref, hs, writerFor, wasRolledBefore);
          if (++i % SLICE === 0) await yieldToLoop();
        }
      }
      const added: LiveFile[] = [];
      for (const { level, partition, w } of writers.values()) {
        if (w.empty) continue;
        const name = path.join(String(level), `${partition}-${seq}.blk`);
        const bytes = await w.write(path.join(this.blocksDir, name));
        const meta = { name, level, partition, bytes };
        added.push({ meta, index: await BlockIndex.load(path.join(this.blocksDir, name), this.openFiles) });
      }
      // The heads leave the read path in the same step as their files enter it: a read planned in between would
      // otherwise see both (distributions counted twice) or neither.
      await this.replaceFiles([], added, walSegment, rolledBefore, () => {
        this.flushing = this.flushing.filter((h) => !heads.includes(h));
      });
      this.wal.removeUpTo(walSegment);
    } finally {
      this.refreshGauges();
      this.opts.metrics?.checkpointDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  private persistSeries(
    id: number,
    ref: SeriesRef,
    hs: HeadSeries,
    writerFor: (level: number, partition: number) => BlockWriter,
    rolledBefore: number
  ): void {
    const raw = hs.sorted();
    const dist = hs.dist ? [...hs.dist].sort((a, b) => a.t - b.t) : [];
    // Raw samples, cut at partition boundaries.
    forEachRange(raw.t, raw.n, partitionSpan(RAW), (p, from, to) => {
      const t = raw.t.subarray(from, to);
      writerFor(RAW, p).add(
        id,
        ChunkKind.Scalar,
        t[0]!,
        t[t.length - 1]!,
        encodeScalar({ n: to - from, t, v: raw.v.subarray(from, to) })
      );
    });
    if (dist.length > 0) {
      const rows = rowsFromDist(dist);
      forEachRange(rows.t, rows.n, partitionSpan(RAW), (p, from, to) => {
        const part = sliceRows(rows, from, to);
        writerFor(RAW, p).add(id, ChunkKind.Aggregate, part.t[0]!, part.t[part.n - 1]!, encodeAggregate(part));
      });
    }
    // Samples in partitions rolled up before this checkpoint (late or backfilled ones) are rolled up now; the others
    // when their partition is (rollUp, which takes them from the heads with the files).
    let n = 0;
    while (n < raw.n && raw.t[n]! < rolledBefore) n++;
    this.writeRollups(
      id,
      ref,
      { t: raw.t, v: raw.v, n },
      dist.filter((d) => d.t < rolledBefore),
      writerFor
    );
  }

  /** Rollup rows of every coarser level of the series' schema, from sorted raw samples and distributions. */
  private writeRollups(
    id: number,
    ref: SeriesRef,
    raw: RawPart,
    dist: Array<{ t: number; agg: Aggregate }>,
    writerFor: (level: number, partition: number) => BlockWriter
  ): void {
    if (raw.n === 0 && dist.length === 0) return;
    const timing = ref.kind === 'timer';
    for (const l of storedLevels(this.rules.schemaFor(ref.name).levels)) {
      if (l.level === RAW) continue;
      const rows = rollup(raw.t, raw.v, raw.n, dist, l.resolutionMs, timing);
      forEachRange(rows.t, rows.n, partitionSpan(l.level), (p, from, to) => {
        const part = sliceRows(rows, from, to);
        writerFor(l.level, p).add(id, ChunkKind.Aggregate, part.t[0]!, part.t[part.n - 1]!, encodeAggregate(part));
      });
    }
  }

  /**
   * Where the rolled-up raw partitions should end now (a partition start), or undefined when none is due: those
   * older than `rollupAfterMs` are, at most ROLL_BATCH of them with data (in files, or in `late` head samples) at a
   * time.
   */
  private rollTarget(
    late: LateSamples = new Map()
  ): { target: number; partitions: Map<number, LiveFile[]> } | undefined {
    const span = partitionSpan(RAW);
    const from = this.manifest.rolledBefore!;
    let target = this.rollCutoff();
    if (target <= from) return undefined;
    const partitions = new Map<number, LiveFile[]>();
    const at = (p: number): LiveFile[] | undefined => {
      if (p < from || p >= target) return undefined;
      let list = partitions.get(p);
      if (!list) partitions.set(p, (list = []));
      return list;
    };
    for (const f of this.files) if (f.meta.level === RAW) at(f.meta.partition)?.push(f);
    for (const parts of late.values()) {
      for (const { raw, dist } of parts) {
        for (let i = 0; i < raw.n; i++) at(Math.floor(raw.t[i]! / span) * span);
        for (const d of dist) at(Math.floor(d.t / span) * span);
      }
    }
    const starts = [...partitions.keys()].sort((a, b) => a - b);
    if (starts.length > ROLL_BATCH) {
      target = starts[ROLL_BATCH]!;
      for (const p of starts.slice(ROLL_BATCH)) partitions.delete(p);
    }
    return { target, partitions };
  }

  /** The start of the newest raw partition old enough to be rolled up, exclusive. */
  private rollCutoff(): number {
    const span = partitionSpan(RAW);
    return Math.floor((this.now() - (this.rules.rollupAfterMs ?? 0)) / span) * span;
  }

  /**
   * Rolls up the raw partitions that are due into the checkpoint's writers and returns the new watermark, which the
   * checkpoint commits with its files. The partitions' samples come from their files and from the heads being
   * persisted, merged as a read merges them, so a head sample that corrects one in a file replaces it rather than
   * being counted beside it. Runs inside the checkpoint, so no other checkpoint writes raw samples of these partitions
   * meanwhile; compaction may merge their files, which stay readable for `removedFileGraceMs`.
   */
  private async rollUp(writerFor: (level: number, partition: number) => BlockWriter, heads: Head[]): Promise<number> {
    const late = lateSamples(heads, this.rollCutoff());
    const due = this.rollTarget(late);
    if (!due) return this.manifest.rolledBefore!;
    const span = partitionSpan(RAW);
    for (const [p, files] of [...due.partitions].sort((a, b) => a[0] - b[0])) {
      const ids = new Set<number>();
      for (const f of files) for (const id of f.index.bySeries.keys()) ids.add(id);
      for (const id of late.keys()) ids.add(id);
      const known = [...ids].filter((id) => this.catalog.byIdOf(id) !== undefined);
      for await (const { id, rawParts, aggs } of seriesChunks(files, known)) {
        for (const { raw, dist } of late.get(id) ?? []) {
          const from = lowerBound(raw.t, raw.n, p);
          const to = lowerBound(raw.t, raw.n, p + span);
          if (to > from) rawParts.push({ n: to - from, t: raw.t.subarray(from, to), v: raw.v.subarray(from, to) });
          for (const d of dist) if (d.t >= p && d.t < p + span) aggs.push({ t: d.t, a: d.agg });
        }
        if (rawParts.length === 0 && aggs.length === 0) continue;
        const dist = aggs.map(({ t, a }) => ({ t, agg: a })).sort((a, b) => a.t - b.t);
        this.writeRollups(id, this.catalog.byIdOf(id)!, mergeRaw(rawParts), dist, writerFor);
      }
    }
    return due.target;
  }

  // ---- reading ----

  find(selector: SeriesSelector, limit?: number): SeriesRef[] {
    const pred = selectorPredicate(selector);
    const out: SeriesRef[] = [];
    for (const ref of this.catalog.all()) {
      if (pred(ref)) {
        out.push(ref);
        if (limit !== undefined && out.length > limit) break;
      }
    }
    return out;
  }

  async read(req: ReadRequest, limit: { maxSeries?: number } = {}): Promise<SeriesData[]> {
    const refs = req.refs ?? this.find(req.selector ?? {}, limit.maxSeries);
    if (limit.maxSeries !== undefined && refs.length > limit.maxSeries) {
      throw new LimitError(
        `the selection matches more than ${limit.maxSeries} series (maxSeriesPerQuery)`,
        'maxSeriesPerQuery',
        limit.maxSeries
      );
    }
    const now = this.now();
    const accs = refs.map((ref) => this.accumulatorFor(ref, req, now));
    const byLevel = new Map<number, Array<{ acc: SeriesAccumulator; level: number }>>();
    accs.forEach((a) => {
      const list = byLevel.get(a.level);
      if (list) list.push(a);
      else byLevel.set(a.level, [a]);
    });
    // A series whose chunks (and head) do not overlap in time has no timestamp written twice:
    // its chunks are decoded into one scratch buffer and folded at once, never kept.
    // The heads are taken with the plan: a checkpoint committing during the read moves their samples into files the
    // plan does not have.
    const heads = [...this.flushing, this.head];
    const direct = this.directlyFoldable(accs, byLevel, req, heads);
    const scratch: { t: Float64Array; v: Float64Array; rows?: AggregateRows } = {
      t: new Float64Array(1024),
      v: new Float64Array(1024),
    };
    // One pass over the files: each file is opened once for every series it holds, with
    // neighbouring chunks read together, instead of once per series.
    const plan: Array<Array<{ acc: SeriesAccumulator; entry: IndexEntry }>> = [];
    const files: LiveFile[] = [];
    for (const f of this.files) {
      const wanted = this.unrolled(f) ? accs : byLevel.get(f.meta.level);
      if (!wanted) continue;
      const span = partitionSpan(f.meta.level);
      if (f.meta.partition + span <= req.from || f.meta.partition >= req.until) continue;
      const reads: Array<{ acc: SeriesAccumulator; entry: IndexEntry }> = [];
      for (const { acc } of wanted) {
        for (const e of f.index.bySeries.get(acc.data.ref.id) ?? []) {
          if (e.maxT >= req.from && e.minT < req.until) reads.push({ acc, entry: e });
        }
      }
      if (reads.length === 0) continue;
      plan.push(reads);
      files.push(f);
    }
    // A few files are read at once (a month at 1m spans 60 partitions: one at a time, the loop mostly waits on
    // opens), and folded in file order, which decides which of two writes of a timestamp wins.
    const started = new Array<Promise<Buffer[]> | undefined>(files.length);
    const readFile = (i: number): Promise<Buffer[]> | undefined =>
      i < files.length ? (started[i] ??= files[i]!.index.readChunks(plan[i]!.map((r) => r.entry))) : undefined;
    for (let i = 0; i < files.length; i++) {
      for (let k = 1; k < READ_AHEAD; k++) void readFile(i + k)?.catch(() => undefined);
      const bufs = await readFile(i)!;
      started[i] = undefined;
      plan[i]!.forEach(({ acc, entry }, j) => {
        if (entry.kind !== ChunkKind.Scalar) acc.foldRows(decodeAggregate(bufs[j]!, { columns: acc.columns, scratch }));
        else if (direct.has(acc)) acc.foldRaw(decodeScalar(bufs[j]!, scratch));
        else acc.rawParts.push(decodeScalar(bufs[j]!));
      });
    }
    const out: SeriesData[] = [];
    for (const { acc } of accs) {
      for (const h of heads) {
        const hs = h.get(acc.data.ref.id);
        if (!hs) continue;
        if (hs.n > 0) {
          if (direct.has(acc)) acc.foldRaw(hs.sorted());
          else acc.rawParts.push(hs.sorted());
        }
        for (const d of hs.dist ?? []) acc.foldAgg(d.t, d.agg);
      }
      out.push(acc.finish());
    }
    return out;
  }

  /**
   * The series whose raw chunks in range (and head samples) cover disjoint spans of time, so that no timestamp is
   * written twice: the index's time ranges tell without decoding anything. File order is not time order (a
   * compacted file takes the place of the first it replaces), so the spans are sorted when they are not already.
   */
  private directlyFoldable(
    accs: Array<{ acc: SeriesAccumulator; level: number }>,
    byLevel: Map<number, Array<{ acc: SeriesAccumulator; level: number }>>,
    req: ReadRequest,
    heads: Head[]
  ): Set<SeriesAccumulator> {
    const spans = new Map<SeriesAccumulator, number[]>();
    const add = (acc: SeriesAccumulator, min: number, max: number): void => {
      const list = spans.get(acc);
      if (list) list.push(min, max);
      else spans.set(acc, [min, max]);
    };
    for (const f of this.files) {
      const wanted = this.unrolled(f) ? accs : byLevel.get(f.meta.level);
      if (!wanted) continue;
      if (f.meta.partition + partitionSpan(f.meta.level) <= req.from || f.meta.partition >= req.until) continue;
      for (const { acc } of wanted) {
        for (const e of f.index.bySeries.get(acc.data.ref.id) ?? []) {
          if (e.kind === ChunkKind.Scalar && e.maxT >= req.from && e.minT < req.until) add(acc, e.minT, e.maxT);
        }
      }
    }
    for (const h of heads) {
      for (const { acc } of accs) {
        const hs = h.get(acc.data.ref.id);
        if (!hs || hs.n === 0) continue;
        const { min, max } = hs.timeRange();
        add(acc, min, max);
      }
    }
    const out = new Set<SeriesAccumulator>();
    for (const { acc } of accs) {
      const list = spans.get(acc);
      if (!list || disjointSpans(list) || disjointSpans(sortSpans(list))) out.add(acc);
    }
    return out;
  }

  /** A raw file not yet rolled up: reads at every level take its samples. */
  private unrolled(f: LiveFile): boolean {
    return f.meta.level === RAW && f.meta.partition >= this.manifest.rolledBefore!;
  }

  /** The buckets one series is read into: level, step and range from its schema. */
  private accumulatorFor(ref: SeriesRef, req: ReadRequest, now: number): { acc: SeriesAccumulator; level: number } {
    const lvl = chooseLevel(this.rules.schemaFor(ref.name).levels, req.from, req.step, now);
    const step = Math.max(req.step, lvl.resolutionMs);
    const start = Math.floor(req.from / step) * step;
    const nb = Math.max(0, Math.ceil((req.until - start) / step));
    const fields = new Set(req.fields ?? ['sum', 'min', 'max', 'last']);
    const data: SeriesData = {
      ref,
      start,
      step,
      resolution: lvl.level === RAW ? 0 : lvl.resolutionMs,
      method: this.rules.methodFor(ref.name),
      count: new Float64Array(nb),
    };
    // -0 + v is v for every v, -0 included: a stored -0 reads back as -0, as whisper returns it.
    if (fields.has('sum')) data.sum = new Float64Array(nb).fill(-0);
    if (fields.has('min')) data.min = new Float64Array(nb).fill(NaN);
    if (fields.has('max')) data.max = new Float64Array(nb).fill(NaN);
    if (fields.has('last')) data.last = new Float64Array(nb).fill(NaN);
    if (ref.kind === 'timer') data.sketches = new Array<Uint8Array | undefined>(nb);
    const lo = Math.max(req.from, now - lvl.retentionMs, start);
    return { acc: new SeriesAccumulator(data, lo, req.until), level: lvl.level };
  }

  // ---- maintenance: retention and compaction ----

  /** One round of background work: expire old partitions, then compact one busy partition. */
  maintain(): Promise<void> {
    if (this.maintenanceRun) return this.maintenanceRun;
    this.maintenanceRun = this.runMaintenance().finally(() => {
      this.maintenanceRun = undefined;
    });
    return this.maintenanceRun;
  }

  /**
   * Steps of background work until none is left or the round's budget is spent, so that after a backfill the store
   * catches up in minutes, not one step per interval.
   */
  private async runMaintenance(): Promise<void> {
    const deadline = performance.now() + MAINTENANCE_BUDGET_MS;
    this.opts.metrics?.maintenanceBehind.set(1);
    let more = true;
    try {
      while (more && !this.closing && performance.now() < deadline) more = await this.maintenanceStep();
    } finally {
      this.opts.metrics?.maintenanceBehind.set(more ? 1 : 0);
      this.refreshFileGauges();
    }
  }

  /** One step: roll up the partitions due, or expire old partitions, or compact one busy partition. */
  private async maintenanceStep(): Promise<boolean> {
    if (this.rollTarget()?.partitions.size) {
      await this.checkpoint();
      return true;
    }
    if (await this.expire()) return true;
    const groups = new Map<string, LiveFile[]>();
    for (const f of this.files) {
      const k = `${f.meta.level}/${f.meta.partition}`;
      const list = groups.get(k);
      if (list) list.push(f);
      else groups.set(k, [f]);
    }
    const threshold = this.opts.compactAfterFiles ?? 4;
    const now = this.now();
    for (const group of groups.values()) {
      const { level, partition } = group[0]!.meta;
      const closed = partition + partitionSpan(level) < now - partitionSpan(RAW);
      if ((closed && group.length > 1) || this.partitionHasExpiredSeries(level, partition, now)) {
        await this.compact(group);
        return true;
      }
      const tier = similarSizedFiles(group, threshold);
      if (tier) {
        await this.compact(tier);
        return true;
      }
    }
    return false;
  }

  /** Retention in force for a series at a level (0 when its schema no longer has that level). */
  private retentionOf(ref: SeriesRef, level: number): number {
    const l = storedLevels(this.rules.schemaFor(ref.name).levels).find((x) => x.level === level);
    return l?.retentionMs ?? 0;
  }

  private partitionHasExpiredSeries(level: number, partition: number, now: number): boolean {
    const end = partition + partitionSpan(level);
    for (const f of this.files) {
      if (f.meta.level !== level || f.meta.partition !== partition || this.unrolled(f)) continue;
      for (const id of f.index.bySeries.keys()) {
        const ref = this.catalog.byIdOf(id);
        if (!ref || end <= now - this.retentionOf(ref, level)) return true;
      }
    }
    return false;
  }

  /** Drops whole partitions that no series keeps any longer; true when there were some. */
  private async expire(): Promise<boolean> {
    const now = this.now();
    const maxRetention = new Map<number, number>();
    for (const ref of this.catalog.all()) {
      for (const l of storedLevels(this.rules.schemaFor(ref.name).levels)) {
        maxRetention.set(l.level, Math.max(maxRetention.get(l.level) ?? 0, l.retentionMs));
      }
    }
    const dead = this.files.filter(
      (f) =>
        !this.unrolled(f) &&
        f.meta.partition + partitionSpan(f.meta.level) <= now - (maxRetention.get(f.meta.level) ?? 0)
    );
    if (dead.length === 0) return false;
    await this.replaceFiles(dead, []);
    return true;
  }

  /**
   * Rewrites some of a partition's files as one: chunks of a series merged and re-encoded,
   * partial rollup rows combined, series past their retention dropped.
   */
  private async compact(group: LiveFile[]): Promise<void> {
    const started = process.hrtime.bigint();
    const { level, partition } = group[0]!.meta;
    const end = partition + partitionSpan(level);
    const now = this.now();
    const ids = new Set<number>();
    for (const f of group) for (const id of f.index.bySeries.keys()) ids.add(id);
    const w = new BlockWriter();
    const kept = [...ids].filter((id) => {
      const ref = this.catalog.byIdOf(id);
      // Raw samples not yet rolled up outlive their retention until they are.
      return ref !== undefined && (end > now - this.retentionOf(ref, level) || this.unrolled(group[0]!));
    });
    for await (const { id, rawParts, aggs } of seriesChunks(group, kept)) {
      const merged = mergeRaw(rawParts);
      if (merged.n > 0) {
        w.add(id, ChunkKind.Scalar, merged.t[0]!, merged.t[merged.n - 1]!, encodeScalar(merged));
      }
      if (aggs.length > 0) {
        const rows = combineRows(aggs);
        w.add(id, ChunkKind.Aggregate, rows.t[0]!, rows.t[rows.n - 1]!, encodeAggregate(rows));
      }
    }
    const added: LiveFile[] = [];
    if (!w.empty) {
      const seq = ++this.seq;
      const name = path.join(String(level), `${partition}-${seq}.blk`);
      const bytes = await w.write(path.join(this.blocksDir, name));
      added.push({
        meta: { name, level, partition, bytes },
        index: await BlockIndex.load(path.join(this.blocksDir, name), this.openFiles),
      });
    }
    await this.replaceFiles(group, added);
    this.opts.metrics?.compactionDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
  }

  /**
   * Swaps files in the manifest, one change at a time: checkpoints and compactions run
   * concurrently and each must see the other's files. Added files take the place of the first
   * removed one: file order is write order, and of two samples with the same time the one in
   * the later file wins.
   */
  private replaceFiles(
    removed: LiveFile[],
    added: LiveFile[],
    walSegment?: number,
    rolledBefore?: number,
    onCommit?: () => void
  ): Promise<void> {
    const run = this.manifestLock.then(async () => {
      const gone = new Set(removed.map((f) => f.meta.name));
      const files: LiveFile[] = [];
      let placed = false;
      for (const f of this.files) {
        if (!gone.has(f.meta.name)) files.push(f);
        else if (!placed) {
          files.push(...added);
          placed = true;
        }
      }
      if (!placed) files.push(...added);
      const next: ManifestData = {
        version: 1,
        seq: this.seq,
        walSegment: walSegment ?? this.manifest.walSegment,
        files: files.map((f) => f.meta),
        rolledBefore: rolledBefore ?? this.manifest.rolledBefore!,
      };
      await writeManifest(this.blocksDir, next);
      this.manifest = next;
      this.files = files;
      onCommit?.();
      this.refreshGauges();
      this.refreshFileGauges();
      const unlink = (): void => {
        for (const f of removed) {
          const file = path.join(this.blocksDir, f.meta.name);
          this.openFiles.forget(file);
          fs.rmSync(file, { force: true });
        }
      };
      // Reads that started before the swap may still be reading the old files.
      const grace = this.opts.removedFileGraceMs ?? 30_000;
      if (grace > 0) setTimeout(unlink, grace).unref();
      else unlink();
    });
    this.manifestLock = run.catch(() => undefined);
    return run;
  }

  // ---- lifecycle ----

  /** Stops background work, checkpoints the head and closes the WAL. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    for (const t of this.timers) clearInterval(t);
    await this.maintenanceRun;
    await this.checkpointRun;
    await this.checkpoint();
    this.closed = true;
    await this.wal.close();
    await this.openFiles.closeAll();
    this.catalog.persist();
  }

  /** Disk use of the store's own files (blocks and WAL). */
  diskBytes(): { blocks: number; wal: number } {
    let blocks = 0;
    for (const f of this.files) blocks += f.meta.bytes;
    return { blocks, wal: this.wal.size };
  }

  get headSamples(): number {
    return this.head.samples;
  }

  private refreshGauges(): void {
    const m = this.opts.metrics;
    if (!m) return;
    m.walBytes.set(this.wal.size);
    m.series.set(this.catalog.size);
    m.headSeries.set(this.head.size);
  }

  /** Figures that change only when files do: not worth recomputing at every WAL commit. */
  private refreshFileGauges(): void {
    const m = this.opts.metrics;
    if (!m) return;
    m.blockFiles.set(this.files.length);
    const from = this.manifest.rolledBefore!;
    const cutoff = this.rollCutoff();
    const due = new Set<number>();
    for (const f of this.files) {
      if (f.meta.level === RAW && f.meta.partition >= from && f.meta.partition < cutoff) due.add(f.meta.partition);
    }
    m.rollupBacklog.set(due.size);
  }

  private logError(msg: string, e: unknown): void {
    this.opts.logger?.error({ err: e }, msg);
  }
}

/** Head samples and distributions older than a time, per series id, sorted, one entry per head in head order. */
type LateSamples = Map<number, Array<{ raw: ScalarRows; dist: Array<{ t: number; agg: Aggregate }> }>>;

/**
 * The samples of the heads that fall in raw partitions due for roll-up: late arrivals, as the heads mostly hold recent
 * samples. Only series whose earliest sample is that old are sorted.
 */
function lateSamples(heads: Head[], before: number): LateSamples {
  const out: LateSamples = new Map();
  for (const h of heads) {
    for (const [id, hs] of h.entries()) {
      if (hs.minTime() >= before) continue;
      const dist = (hs.dist ?? []).filter((d) => d.t < before).sort((a, b) => a.t - b.t);
      const list = out.get(id);
      const entry = { raw: hs.sorted(), dist };
      if (list) list.push(entry);
      else out.set(id, [entry]);
    }
  }
  return out;
}

/** The first index of sorted `t[0..n)` whose time is at least `x`. */
function lowerBound(t: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The watermark of a store written before roll-ups were deferred: those versions rolled every sample up as they
 * persisted it, so every raw partition on disk, including one of future samples allowed by the clock-skew tolerance,
 * is rolled; samples still in the WAL are not, and are rolled with the first checkpoint.
 */
function rolledBeforeUpgrade(manifest: ManifestData, now: number): number {
  const span = partitionSpan(RAW);
  let end = Math.ceil(now / span) * span;
  for (const f of manifest.files) if (f.level === RAW) end = Math.max(end, f.partition + span);
  return end;
}

/** True when the [min, max] pairs, flattened, each start after the previous ends. */
function disjointSpans(flat: number[]): boolean {
  for (let i = 2; i < flat.length; i += 2) if (flat[i]! <= flat[i - 1]!) return false;
  return true;
}

function sortSpans(flat: number[]): number[] {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  return pairs.flat();
}

/**
 * Every chunk of the given series in some files, decoded, series by series (raw samples per chunk in file order, and
 * rollup rows). Each file is read once per slice of SLICE series, neighbouring chunks together, not once per series;
 * the loop is yielded to between slices.
 */
async function* seriesChunks(
  files: LiveFile[],
  ids: number[]
): AsyncGenerator<{ id: number; rawParts: RawPart[]; aggs: Array<{ t: number; a: Aggregate }> }> {
  for (let from = 0; from < ids.length; from += SLICE) {
    const slice = ids.slice(from, from + SLICE);
    const decoded = new Map(
      slice.map((id) => [id, { rawParts: [] as RawPart[], aggs: [] as Array<{ t: number; a: Aggregate }> }])
    );
    for (const f of files) {
      const entries: IndexEntry[] = [];
      for (const id of slice) entries.push(...(f.index.bySeries.get(id) ?? []));
      if (entries.length === 0) continue;
      const bufs = await f.index.readChunks(entries);
      entries.forEach((e, j) => {
        const into = decoded.get(e.seriesId)!;
        if (e.kind === ChunkKind.Scalar) into.rawParts.push(decodeScalar(bufs[j]!));
        else {
          const rows = decodeAggregate(bufs[j]!);
          for (let k = 0; k < rows.n; k++) into.aggs.push({ t: rows.t[k]!, a: aggregateAt(rows, k) });
        }
      });
    }
    for (const id of slice) yield { id, ...decoded.get(id)! };
    await yieldToLoop();
  }
}

/**
 * Size-tiered choice, as LSM stores do: `threshold` or more files within a factor of two of
 * each other's size are merged, so each sample is rewritten a logarithmic number of times and
 * an open partition never holds more than a few files per size tier.
 */
function similarSizedFiles(files: LiveFile[], threshold: number): LiveFile[] | undefined {
  if (files.length < threshold) return undefined;
  const sorted = [...files].sort((a, b) => a.meta.bytes - b.meta.bytes);
  let tier: LiveFile[] = [];
  let total = 0;
  for (const f of sorted) {
    if (tier.length > 0 && f.meta.bytes > (2 * total) / tier.length) {
      if (tier.length >= threshold) return tier;
      tier = [];
      total = 0;
    }
    tier.push(f);
    total += f.meta.bytes;
  }
  return tier.length >= threshold ? tier : undefined;
}

/** Calls back once per partition with the index range of sorted times falling in it. */
function forEachRange(
  t: ArrayLike<number>,
  n: number,
  span: number,
  cb: (partition: number, from: number, to: number) => void
): void {
  let from = 0;
  while (from < n) {
    const p = Math.floor(t[from]! / span) * span;
    let to = from + 1;
    while (to < n && t[to]! < p + span) to++;
    cb(p, from, to);
    from = to;
  }
}

function rowsFromDist(dist: Array<{ t: number; agg: Aggregate }>): AggregateRows {
  return combineRows(
    dist.map((d) => ({ t: d.t, a: d.agg })),
    false
  );
}

/** Rollup rows at `res` from sorted raw samples and distribution rows. */
function rollup(
  t: Float64Array,
  v: Float64Array,
  n: number,
  dist: Array<{ t: number; agg: Aggregate }>,
  res: number,
  timing: boolean
): AggregateRows {
  const parts: Array<{ t: number; a: Aggregate }> = [];
  let from = 0;
  while (from < n) {
    const b = Math.floor(t[from]! / res) * res;
    let to = from + 1;
    while (to < n && t[to]! < b + res) to++;
    parts.push({ t: b, a: aggregateOf(t, v, from, to, timing) });
    from = to;
  }
  for (const d of dist) parts.push({ t: Math.floor(d.t / res) * res, a: { ...d.agg } });
  return combineRows(parts);
}

/** Sorts rows by time and, when `merge`, combines rows of the same bucket time. */
function combineRows(parts: Array<{ t: number; a: Aggregate }>, merge = true): AggregateRows {
  parts.sort((x, y) => x.t - y.t);
  const rows = emptyAggregateRows(parts.length);
  const sketches: (Uint8Array | undefined)[] = [];
  let cur: { t: number; a: Aggregate } | undefined;
  const emit = (p: { t: number; a: Aggregate }): void => {
    const i = rows.n++;
    rows.t[i] = p.t;
    rows.count[i] = p.a.count;
    rows.sum[i] = p.a.sum;
    rows.min[i] = p.a.min;
    rows.max[i] = p.a.max;
    rows.last[i] = p.a.last;
    rows.lastT[i] = p.a.lastT;
    sketches[i] = p.a.sketch;
  };
  for (const p of parts) {
    if (merge && cur && cur.t === p.t) {
      mergeInto(cur.a, p.a);
      continue;
    }
    if (cur) emit(cur);
    cur = { t: p.t, a: { ...p.a } };
  }
  if (cur) emit(cur);
  const out = sliceRows(rows, 0, rows.n);
  if (sketches.some((s) => s)) out.sketches = sketches;
  return out;
}

function sliceRows(rows: AggregateRows, from: number, to: number): AggregateRows {
  const out: AggregateRows = {
    n: to - from,
    t: rows.t.subarray(from, to),
    count: rows.count.subarray(from, to),
    sum: rows.sum.subarray(from, to),
    min: rows.min.subarray(from, to),
    max: rows.max.subarray(from, to),
    last: rows.last.subarray(from, to),
    lastT: rows.lastT.subarray(from, to),
  };
  if (rows.sketches) out.sketches = rows.sketches.slice(from, to);
  return out;
}
