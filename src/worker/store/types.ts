/**
 * The store's vocabulary. Everything outside `store/` talks to it through these types:
 * ingest appends batches, the query engine selects series and reads aggregates.
 * Times are integer milliseconds since the epoch inside the worker; the HTTP API speaks seconds.
 */

export type Labels = Record<string, string>;

/** How a series was produced; decides its default rollup method and whether it keeps a sketch. */
export type SeriesKind = 'gauge' | 'counter' | 'timer' | 'set' | 'untyped';

/** One scalar observation of a series. */
export interface Sample {
  name: string;
  labels: Labels;
  /** Unix time in milliseconds. */
  t: number;
  v: number;
  kind?: SeriesKind;
}

/**
 * A pre-aggregated observation: what a statsd flush knows about a timer during one interval.
 * `sketch` holds the serialized quantile sketch of every value seen, so rollups can merge it.
 */
export interface Distribution {
  name: string;
  labels: Labels;
  t: number;
  agg: Aggregate;
}

/** count, sum, min, max and last of the samples that fell into one bucket. Mergeable. */
export interface Aggregate {
  count: number;
  sum: number;
  min: number;
  max: number;
  last: number;
  /** Time (ms) of the sample `last` came from, so merging partial buckets keeps the right one. */
  lastT: number;
  /** Serialized DDSketch (see store/sketch.ts); present for timing series only. */
  sketch?: Uint8Array;
}

export interface AppendBatch {
  samples?: Sample[];
  distributions?: Distribution[];
}

/** Where ingest hands its data. `append` resolves once the batch is durable (WAL fsynced). */
export interface SampleSink {
  append(batch: AppendBatch): Promise<void>;
  /** True when the sink wants producers to slow down (backlog above its limit). */
  overloaded(): boolean;
}

export type MatchOp = '=' | '!=' | '=~' | '!=~';

export interface LabelMatcher {
  label: string;
  op: MatchOp;
  value: string;
}

/** Which series: a Graphite glob on the name and/or label matchers (the name is label `name`). */
export interface SeriesSelector {
  glob?: string;
  matchers?: LabelMatcher[];
}

export interface SeriesRef {
  id: number;
  name: string;
  labels: Labels;
  kind: SeriesKind;
  /** First and last sample times seen, ms. */
  firstSeen: number;
  lastSeen: number;
}

export type AggregateField = 'avg' | 'sum' | 'min' | 'max' | 'last' | 'count';

/** A column of the rollup aggregate a read can ask for (count is always there). */
export type ValueField = 'sum' | 'min' | 'max' | 'last';

export interface ReadRequest {
  /** Which series: a selector, or `refs` already found (then `selector` is ignored). */
  selector?: SeriesSelector;
  refs?: SeriesRef[];
  /** Columns to fill besides count; all of them when absent. Each costs a Float64Array per series. */
  fields?: ValueField[];
  /** Inclusive start and exclusive end, ms. */
  from: number;
  until: number;
  /** Requested step, ms; the store answers at max(step, resolution of the level read). */
  step: number;
}

/** One series over a range, bucketed at `step`: column per aggregate field, null where empty. */
export interface SeriesData {
  ref: SeriesRef;
  /** Start of the first bucket, ms (aligned to step). */
  start: number;
  step: number;
  /** Resolution of the stored level these buckets were built from, ms (0 = raw samples). */
  resolution: number;
  /** The series' configured aggregation method (storage-aggregation), for callers that want one value. */
  method: AggregateField;
  count: Float64Array;
  /** The requested columns (ReadRequest.fields); NaN where the bucket is empty, 0 for sum. */
  sum?: Float64Array;
  min?: Float64Array;
  max?: Float64Array;
  last?: Float64Array;
  /** Per bucket serialized sketch (timing series only), else undefined. */
  sketches?: (Uint8Array | undefined)[];
}

/** The store's read side: what the query engine, alerting and the HTTP read routes use. */
export interface SeriesReader {
  find(selector: SeriesSelector, limit?: number): SeriesRef[];
  read(req: ReadRequest, limit?: { maxSeries?: number }): Promise<SeriesData[]>;
}
