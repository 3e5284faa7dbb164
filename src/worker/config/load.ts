/**
 * Loads the worker's configuration: defaults < YAML file < environment < command-line flags.
 *
 * Every problem is reported where the operator can fix it: a key from the file by
 * `file:line:column` and key path, an override by the variable or flag that set it
 * (`config.yaml:12:5: storage.schemas[0].retentions: "10s:7x" — unknown unit "x"`).
 * All problems are collected before throwing, so one `config check` shows them all.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { Document, LineCounter, Node, isMap, isNode, isScalar, isSeq, parseDocument } from 'yaml';

import { checkMailAddress, checkMailbox } from '../notify/address';
import { parseDuration, parseRetentions } from './durations';
import { CONFIG_DEFAULTS, CONFIG_SCHEMA, RawConfig, WorkerConfig, parseListen } from './schema';

export interface ConfigIssue {
  /** The file as it was named to the loader; absent for environment and flag problems. */
  file?: string;
  line?: number;
  column?: number;
  /** Key path, `storage.schemas[0].retentions`. */
  path?: string;
  /** The environment variable or flag that set the faulty value. */
  source?: string;
  /** What is wrong, without the location. */
  reason: string;
  /** The whole line as shown to the operator: location, path, value and reason. */
  message: string;
}

/** Thrown by loadConfig. The location fields are those of the first issue; `issues` has them all. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly path?: string;

  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map((i) => i.message).join('\n'));
    const first = issues[0];
    this.file = first?.file;
    this.line = first?.line;
    this.column = first?.column;
    this.path = first?.path;
  }
}

/** Command-line flags that override the file and the environment. */
export interface ConfigFlags {
  config?: string;
  dataDir?: string;
  http?: string;
  statsd?: string;
  graphite?: string;
  logLevel?: string;
}

export interface LoadConfigOptions {
  /** YAML file to read; when absent, `flags.config`, then `MC_CONFIG`; with none, defaults only. */
  file?: string;
  env: Readonly<Record<string, string | undefined>>;
  flags?: ConfigFlags;
}

type OverridableFlag = Exclude<keyof ConfigFlags, 'config'>;

/** The keys the environment and flags can set, and by which names. */
export const CONFIG_OVERRIDES: ReadonlyArray<{ path: string[]; env: string; flag: OverridableFlag; option: string }> = [
  { path: ['dataDir'], env: 'MC_DATA_DIR', flag: 'dataDir', option: '--data-dir' },
  { path: ['http', 'listen'], env: 'MC_HTTP', flag: 'http', option: '--http' },
  { path: ['statsd', 'listen'], env: 'MC_STATSD', flag: 'statsd', option: '--statsd' },
  { path: ['graphite', 'listen'], env: 'MC_GRAPHITE', flag: 'graphite', option: '--graphite' },
  { path: ['logLevel'], env: 'MC_LOG_LEVEL', flag: 'logLevel', option: '--log-level' },
];

export const CONFIG_FILE_ENV = 'MC_CONFIG';

export function loadConfig(opts: LoadConfigOptions): WorkerConfig {
  const flags = opts.flags ?? {};
  const file = opts.file ?? flags.config ?? nonEmpty(opts.env[CONFIG_FILE_ENV]);

  let merged: unknown = CONFIG_DEFAULTS;
  let yaml: ParsedYaml | undefined;
  if (file !== undefined) {
    yaml = readYaml(file);
    merged = mergeFile(CONFIG_DEFAULTS, yaml.value);
  }

  // Later sources win: the environment first, then the flags over it.
  const overriddenBy = new Map<string, string>();
  for (const o of CONFIG_OVERRIDES) {
    for (const [value, source] of [
      [nonEmpty(opts.env[o.env]), o.env],
      [flags[o.flag], o.option],
    ] as const) {
      if (value !== undefined) {
        merged = setIn(merged, o.path, value);
        overriddenBy.set(formatPath(o.path), source);
      }
    }
  }

  const issues = validate(merged).map((e) => issueFor(e, merged, yaml, overriddenBy));
  if (issues.length > 0) {
    throw new ConfigError(sortIssues(issues));
  }

  const raw = merged as RawConfig;
  // A relative dataDir in a file is relative to that file, so a config works wherever it is
  // started from; from the environment, a flag or the default, relative to the working directory.
  const dataDirFromFile = file !== undefined && !overriddenBy.has('dataDir') && hasKey(yaml?.value, 'dataDir');
  const base = dataDirFromFile ? path.dirname(path.resolve(file)) : process.cwd();
  return resolve(raw, path.resolve(base, raw.dataDir), file === undefined ? undefined : path.resolve(file));
}

/**
 * A function that reads the same file with the same environment and flags again, for SIGHUP.
 * It throws ConfigError like loadConfig; the caller keeps running on its last good config.
 */
export function configReloader(opts: LoadConfigOptions): () => WorkerConfig {
  const frozen: LoadConfigOptions = { file: opts.file, env: { ...opts.env }, flags: { ...opts.flags } };
  return () => loadConfig(frozen);
}

function resolve(raw: RawConfig, dataDir: string, configFile: string | undefined): WorkerConfig {
  const { flushInterval, listen: statsdListen, percentiles, ...statsd } = raw.statsd;
  const { checkpointInterval, rollupAfter, schemas, aggregation } = raw.storage;
  return {
    configFile,
    dataDir,
    http: { listen: parseListen(raw.http.listen) },
    statsd: {
      ...statsd,
      listen: parseListen(statsdListen),
      flushIntervalMs: parseDuration(flushInterval),
      percentiles: [...percentiles],
    },
    graphite: { ...raw.graphite, listen: parseListen(raw.graphite.listen) },
    storage: {
      checkpointIntervalMs: parseDuration(checkpointInterval),
      rollupAfterMs: parseDuration(rollupAfter),
      schemas: schemas.map((s) => ({ name: s.name, pattern: s.pattern, levels: parseRetentions(s.retentions) })),
      aggregation: aggregation.map((a) => ({
        name: a.name,
        pattern: a.pattern,
        method: a.method === 'average' ? 'avg' : a.method,
      })),
    },
    limits: { ...raw.limits },
    logLevel: raw.logLevel,
    // Without a port, the one the mode conventionally uses: 465 for TLS from the start, 587 for submission.
    smtp: raw.smtp && { ...raw.smtp, port: raw.smtp.port ?? (raw.smtp.secure ? 465 : 587), secure: !!raw.smtp.secure },
    inventory: { hostmasterEmail: raw.inventory?.hostmasterEmail },
    alerting: {
      // Like dataDir, a provisioning folder named in a file is relative to that file.
      provisioningDir:
        raw.alerting.provisioningDir === ''
          ? undefined
          : path.resolve(configFile ? path.dirname(configFile) : process.cwd(), raw.alerting.provisioningDir),
      historyRetentionMs: parseDuration(raw.alerting.historyRetention),
      queryTimeoutMs: parseDuration(raw.alerting.queryTimeout),
      maxConcurrentQueries: raw.alerting.maxConcurrentQueries,
      throttle: {
        maxNotifications: raw.alerting.throttle.maxNotifications,
        perMs: parseDuration(raw.alerting.throttle.per),
      },
    },
    selfReport: { enabled: raw.selfReport.enabled, intervalMs: parseDuration(raw.selfReport.interval) },
  };
}

// ---- reading the file

interface ParsedYaml {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  value: unknown;
}

function readYaml(file: string): ParsedYaml {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const reason = `cannot read the file: ${(e as Error).message}`;
    throw new ConfigError([{ file, reason, message: `${file}: ${reason}` }]);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        const reason = e.message.split('\n')[0]!;
        return { file, line, column: col, reason, message: `${file}:${line}:${col}: ${reason}` };
      })
    );
  }
  const value: unknown = doc.toJS();
  if (value !== null && value !== undefined && !isPlainObject(value)) {
    const reason = 'expected a mapping of keys at the top level';
    const at = isNode(doc.contents) ? position(lines, doc.contents) : { line: 1, column: 1 };
    throw new ConfigError([{ file, ...at, reason, message: `${file}:${at.line}:${at.column}: ${reason}` }]);
  }
  return { file, doc, lines, value: value ?? {} };
}

/**
 * Objects merge key by key; lists and scalars from the file replace the default. A key given
 * without a value (`statsd:`) keeps the default rather than failing as "not an object".
 */
function mergeFile(base: unknown, file: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(file)) {
    return file;
  }
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(file)) {
    if (value !== null) {
      defineOwn(out, key, Object.hasOwn(base, key) ? mergeFile(base[key], value) : value);
    }
  }
  return out;
}

function setIn(target: unknown, keys: string[], value: string): unknown {
  const [key, ...rest] = keys;
  const obj = isPlainObject(target) ? target : {};
  return { ...obj, [key!]: rest.length === 0 ? value : setIn(obj[key!], rest, value) };
}

// ---- validation

/** Custom string formats of CONFIG_SCHEMA; each check returns why a value is wrong. */
const FORMATS: Record<string, (value: string) => string | undefined> = {
  duration: (v) => problem(() => (parseDuration(v) > 0 ? undefined : 'must be longer than zero')),
  // Each report is a WAL commit, and the finest resolution a schema is likely to keep is seconds.
  reportInterval: (v) => problem(() => (parseDuration(v) >= 1000 ? undefined : 'must be at least 1s')),
  retentions: (v) => problem(() => void parseRetentions(v)),
  regex: (v) => problem(() => void new RegExp(v)),
  listen: (v) => problem(() => void parseListen(v)),
  email: checkMailAddress,
  mailbox: checkMailbox,
};

const FORMAT_EXAMPLES: Record<string, string> = {
  duration: 'a duration such as "10s" or "15min"',
  reportInterval: 'a duration of at least 1s such as "10s"',
  retentions: 'retentions such as "10s:7d,1m:90d,1h:5y"',
  regex: 'a regular expression in a string',
  listen: 'HOST:PORT in a string',
  email: 'an e-mail address such as hostmaster@example.com',
  mailbox: 'an e-mail address such as "Mission Control <mc@example.com>"',
};

/** Keys Graphite users bring along that have no equivalent here, with the reason. */
const KNOWN_FOREIGN_KEYS: Record<string, string> = {
  xFilesFactor:
    'not supported: rollups keep count, sum, min, max and last of whatever arrived, so a level is never nulled for missing points',
};

function problem(check: () => string | undefined): string | undefined {
  try {
    return check();
  } catch (e) {
    return (e as Error).message;
  }
}

let compiled: ValidateFunction | undefined;

function validate(value: unknown): ErrorObject[] {
  if (!compiled) {
    // verbose: errors carry the failing data and schema, from which the messages are written.
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
    for (const [name, check] of Object.entries(FORMATS)) {
      ajv.addFormat(name, { type: 'string', validate: (v: string) => check(v) === undefined });
    }
    compiled = ajv.compile(CONFIG_SCHEMA);
  }
  return compiled(value) ? [] : (compiled.errors ?? []);
}

type Segment = string | number;

function issueFor(
  e: ErrorObject,
  root: unknown,
  yaml: ParsedYaml | undefined,
  overriddenBy: ReadonlyMap<string, string>
): ConfigIssue {
  const segments = instanceSegments(e.instancePath, root);
  let reason: string;
  let atKey = false;
  let showValue = true;
  const schema = (e.parentSchema ?? {}) as {
    format?: string;
    properties?: Record<string, unknown>;
    not?: { const?: unknown };
  };
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      segments.push(key);
      atKey = true;
      showValue = false;
      reason = Object.hasOwn(KNOWN_FOREIGN_KEYS, key)
        ? KNOWN_FOREIGN_KEYS[key]!
        : `unknown key${suggestion(key, Object.keys(schema.properties ?? {}))}`;
      break;
    }
    case 'required':
      segments.push(String(e.params.missingProperty));
      showValue = false;
      reason = 'required key is missing';
      break;
    case 'format':
      reason = FORMATS[e.params.format]?.(String(e.data)) ?? `is not ${FORMAT_EXAMPLES[e.params.format]}`;
      break;
    case 'type': {
      const format = schema.format;
      reason = `expected ${format ? FORMAT_EXAMPLES[format] : article(String(e.params.type))}`;
      break;
    }
    case 'not':
      reason = `must not be ${JSON.stringify(schema.not?.const)}`;
      break;
    case 'enum':
      reason = `expected one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
      break;
    default:
      reason = e.message ?? e.keyword;
  }

  const keyPath = formatPath(segments);
  const shown = showValue ? `${formatValue(e.data)} — ` : '';
  const source = overriddenBy.get(keyPath);
  if (source !== undefined || !yaml) {
    const where = source ?? 'default';
    return { path: keyPath, source: where, reason, message: `${where}: ${keyPath}: ${shown}${reason}` };
  }
  const node = nodeAt(yaml.doc, segments, atKey);
  const at = node ? position(yaml.lines, node) : { line: 1, column: 1 };
  return {
    file: yaml.file,
    ...at,
    path: keyPath,
    reason,
    message: `${yaml.file}:${at.line}:${at.column}: ${keyPath}: ${shown}${reason}`,
  };
}

/** ajv's JSON pointer, with list indexes as numbers so paths print as `schemas[0]`. */
function instanceSegments(pointer: string, root: unknown): Segment[] {
  const segments: Segment[] = [];
  let value = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      segments.push(Number(key));
      value = value[Number(key)];
    } else {
      segments.push(key);
      value = isPlainObject(value) ? value[key] : undefined;
    }
  }
  return segments;
}

function formatPath(segments: readonly Segment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') {
    return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  }
  if (Array.isArray(v)) {
    return 'a list';
  }
  return isPlainObject(v) ? 'a mapping' : String(v);
}

function article(type: string): string {
  const noun = type === 'object' ? 'mapping' : type === 'array' ? 'list' : type;
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** ` (did you mean "x"?)` when a known key is within two edits of the typo. */
function suggestion(key: string, known: string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

// ---- positions in the YAML

/**
 * The node at a key path: the key itself when `atKey` (unknown keys), else its value. When
 * the path goes deeper than the file does (a missing required key), the deepest node found.
 */
function nodeAt(doc: Document.Parsed, segments: readonly Segment[], atKey: boolean): Node | undefined {
  let node: unknown = doc.contents;
  let found: Node | undefined = isNode(node) ? node : undefined;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) {
        return found;
      }
      const last = i === segments.length - 1;
      if ((last && atKey) || !isNode(pair.value)) {
        return isNode(pair.key) ? pair.key : found;
      }
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && isNode(node.items[seg])) {
      node = node.items[seg];
    } else {
      return found;
    }
    found = node as Node;
  }
  return found;
}

function position(lines: LineCounter, node: Node): { line: number; column: number } {
  const { line, col } = lines.linePos(node.range?.[0] ?? 0);
  return { line, column: col };
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  // File problems in reading order, then those from the environment and flags.
  const rank = (i: ConfigIssue) => (i.line ?? Number.MAX_SAFE_INTEGER) * 1e6 + (i.column ?? 0);
  return [...issues].sort((a, b) => rank(a) - rank(b));
}

// ---- small helpers

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasKey(v: unknown, key: string): boolean {
  return isPlainObject(v) && Object.hasOwn(v, key) && v[key] !== null;
}

/** Assigns without `__proto__` special-casing, so such a key is reported as unknown, not obeyed. */
function defineOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
