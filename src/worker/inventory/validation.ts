/**
 * Checks and normalizes inventory documents, from the API and from YAML alike, collecting every fault with the path
 * of the field at fault (`addresses[1].address`) so that the API can name the field and an import its line.
 *
 * Normal forms make duplicates visible and round trips exact: host names and FQDNs lowercase without the root dot,
 * IPv6 addresses compressed as RFC 5952 writes them, MACs lowercase with colons, single-line text trimmed.
 */
import { isIPv4, isIPv6 } from 'node:net';

import { checkMailAddress } from '../notify/address';
import { LISTS, SCALARS, type Doc, type FieldType, type Kind } from './model';
import { SelectorError, parseSeriesSelector } from './selector';

export type Path = Array<string | number>;

export interface Issue {
  path: Path;
  message: string;
  /** The fault is the key itself (an unknown field), not its value: a file position points at the key. */
  atKey?: boolean;
}

/** `servers[3].addresses[0].address` */
export function formatPath(path: readonly (string | number)[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

export type Checked<T> = { value: T; error?: undefined } | { error: string; value?: undefined };

const ok = <T>(value: T): Checked<T> => ({ value });
const bad = <T>(error: string): Checked<T> => ({ error });

/** Which entities exist, for references: the database's for the API, the file's own for an import. */
export interface RefChecker {
  has(kind: Kind, key: string): boolean;
}

const MAX_TEXT = 1_000;
const MAX_LONGTEXT = 100_000;

export function checkText(v: unknown, multiline = false): Checked<string> {
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : v;
  if (typeof s !== 'string') {
    return bad('must be a string');
  }
  const t = multiline ? s : s.trim();
  if (t.trim() === '') {
    return bad('must not be empty');
  }
  if (t.length > (multiline ? MAX_LONGTEXT : MAX_TEXT)) {
    return bad(`is longer than ${multiline ? MAX_LONGTEXT : MAX_TEXT} characters`);
  }
  const forbidden = multiline ? /[\x00-\x08\x0b-\x1f\x7f]/ : /[\x00-\x1f\x7f]/;
  if (forbidden.test(t)) {
    return bad(multiline ? 'must not contain control characters' : 'must be one line without control characters');
  }
  return ok(t);
}

/** Environments and the like: usable unquoted in filters, tags and variable values. */
export function checkToken(v: unknown): Checked<string> {
  const t = checkText(v);
  if (t.error !== undefined) {
    return t;
  }
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(t.value)
    ? t
    : bad(`"${t.value}" may hold only letters, digits, ".", "_" and "-", starting with a letter or digit`);
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** Service labels (`_dmarc`, `_sip._tcp`) appear in TXT and SRV names. */
const SERVICE_LABEL = /^_[a-z0-9-]{1,62}$/;

/** A host name: one or more labels of letters, digits and inner hyphens, 253 characters at most. */
export function checkHostname(v: unknown): Checked<string> {
  const t = checkText(v);
  if (t.error !== undefined) {
    return t;
  }
  const name = t.value.toLowerCase().replace(/\.$/, '');
  const labels = name.split('.');
  if (name.length > 253 || !labels.every((l) => LABEL.test(l))) {
    return bad(`"${t.value}" is not a valid host name (letters, digits and "-" in dot-separated labels)`);
  }
  return ok(name);
}

/** A fully qualified domain name: at least two labels; the first may be `*` or a `_service` label. */
export function checkFqdn(v: unknown): Checked<string> {
  const t = checkText(v);
  if (t.error !== undefined) {
    return t;
  }
  const name = t.value.toLowerCase().replace(/\.$/, '');
  const labels = name.split('.');
  const valid =
    name.length <= 253 &&
    labels.length >= 2 &&
    !/^\d+$/.test(labels[labels.length - 1]!) &&
    labels.every((l, i) => LABEL.test(l) || SERVICE_LABEL.test(l) || (i === 0 && l === '*'));
  return valid ? ok(name) : bad(`"${t.value}" is not a fully qualified domain name (such as www.example.com)`);
}

/** IPv4 dotted quad or IPv6 (no zone index), in canonical form. */
export function checkIp(v: unknown): Checked<{ address: string; family: 4 | 6 }> {
  if (typeof v !== 'string') {
    return bad('must be a string');
  }
  const s = v.trim();
  if (isIPv4(s)) {
    return ok({ address: s, family: 4 });
  }
  if (isIPv6(s) && !s.includes('%')) {
    // The URL parser prints IPv6 hosts compressed and lowercase, as RFC 5952 asks.
    return ok({ address: new URL(`http://[${s}]/`).hostname.slice(1, -1), family: 6 });
  }
  return bad(`"${s}" is not an IPv4 or IPv6 address`);
}

export function checkMac(v: unknown): Checked<string> {
  if (typeof v !== 'string') {
    return bad('must be a string');
  }
  const s = v.trim();
  if (!/^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2}){4}$/.test(s)) {
    return bad(`"${s}" is not a MAC address (six hex pairs separated by ":" or "-")`);
  }
  return ok(s.toLowerCase().replace(/-/g, ':'));
}

export function checkEmail(v: unknown): Checked<string> {
  const t = checkText(v);
  if (t.error !== undefined) {
    return t;
  }
  const why = checkMailAddress(t.value);
  return why === undefined ? t : bad(`"${t.value}" ${why}`);
}

export function checkPhone(v: unknown): Checked<string> {
  const t = checkText(v);
  if (t.error !== undefined) {
    return t;
  }
  const digits = t.value.replace(/\D/g, '').length;
  return /^\+?[0-9 ()./-]+((x|ext\.?) ?[0-9]+)?$/.test(t.value) && digits >= 3
    ? t
    : bad(`"${t.value}" is not a phone number (digits, spaces, "+", "-", "(", ")", an optional "ext 12")`);
}

/** An http(s) URL: runbooks are opened in a browser. */
export function checkUrl(v: unknown): Checked<string> {
  const t = checkText(v);
  if (t.error !== undefined) {
    return t;
  }
  return isUrl(t.value, ['http:', 'https:']) ? t : bad(`"${t.value}" is not an http(s) URL`);
}

/** A repository: any URL with a host (https, ssh, git), or scp-like `git@github.com:org/repo.git`. */
export function checkRepository(v: unknown): Checked<string> {
  const t = checkText(v);
  if (t.error !== undefined) {
    return t;
  }
  const scpLike = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s:][^\s]*$/.test(t.value);
  return scpLike || isUrl(t.value) ? t : bad(`"${t.value}" is not a repository URL`);
}

function isUrl(s: string, protocols?: string[]): boolean {
  try {
    const u = new URL(s);
    return u.host !== '' && (!protocols || protocols.includes(u.protocol)) && !/\s/.test(s);
  } catch {
    return false;
  }
}

/** A calendar day, `YYYY-MM-DD`, that exists. */
export function checkDate(v: unknown): Checked<string> {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    return bad('must be a date written YYYY-MM-DD');
  }
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v) ? ok(v) : bad(`${v} is not a day of the calendar`);
}

export function checkSelector(v: unknown): Checked<string> {
  const t = checkText(v);
  if (t.error !== undefined) {
    return t;
  }
  try {
    parseSeriesSelector(t.value);
    return t;
  } catch (e) {
    if (e instanceof SelectorError) {
      return bad(e.message);
    }
    throw e;
  }
}

function checkScalar(type: FieldType, v: unknown, refs: RefChecker): Checked<unknown> {
  switch (type.t) {
    case 'text':
      return checkText(v);
    case 'longtext':
      return checkText(v, true);
    case 'token':
      return checkToken(v);
    case 'hostname':
      return checkHostname(v);
    case 'fqdn':
      return checkFqdn(v);
    case 'enum':
      return typeof v === 'string' && type.values.includes(v) ? ok(v) : bad(`must be one of ${type.values.join(', ')}`);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) && v >= type.min
        ? ok(v)
        : bad(`must be a whole number of at least ${type.min}`);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) && v > type.min
        ? ok(v)
        : bad(`must be a number above ${type.min}`);
    case 'url':
      return checkUrl(v);
    case 'repository':
      return checkRepository(v);
    case 'email':
      return checkEmail(v);
    case 'selector':
      return checkSelector(v);
    // Checked against the record type by checkAlias, once the type is known.
    case 'target':
      return checkText(v);
    case 'ref': {
      const key = type.kind === 'server' ? checkHostname(v) : checkText(v);
      if (key.error !== undefined) {
        return key;
      }
      return refs.has(type.kind, key.value) ? key : bad(`no ${type.kind} "${key.value}"`);
    }
  }
}

/**
 * Validates one entity document. Returns the normal form (fields in document order, empty optional fields left out,
 * lists always present) and every issue, with paths relative to the document.
 */
export function validateEntity(kind: Kind, input: unknown, refs: RefChecker): { doc: Doc; issues: Issue[] } {
  const issues: Issue[] = [];
  const doc: Doc = {};
  if (!isObject(input)) {
    return { doc, issues: [{ path: [], message: `a ${kind} must be a mapping of fields` }] };
  }
  const known = [...SCALARS[kind].map((f) => f.name), ...LISTS[kind]];
  unknownKeys(input, known, [], issues);
  for (const field of SCALARS[kind]) {
    const v = input[field.name];
    if (v === undefined || v === null) {
      if (field.required) {
        issues.push({ path: [field.name], message: 'is required' });
      } else if (field.default !== undefined) {
        doc[field.name] = field.default;
      }
      continue;
    }
    const c = checkScalar(field.type, v, refs);
    if (c.error !== undefined) {
      issues.push({ path: [field.name], message: c.error });
    } else {
      doc[field.name] = c.value;
    }
  }
  for (const list of LISTS[kind]) {
    doc[list] = checkList(list, input[list], refs, issues);
  }
  if (kind === 'alias') {
    checkAlias(doc, input, issues);
  }
  return { doc, issues };
}

type ItemChecker = (item: unknown, path: Path, refs: RefChecker, issues: Issue[]) => unknown;

const LIST_ITEMS: Record<(typeof LISTS)[Kind][number], { item: ItemChecker; identity: (v: unknown) => string }> = {
  addresses: { item: checkAddress, identity: (v) => (v as { address: string }).address },
  contacts: { item: checkContact, identity: () => '' },
  servers: {
    item: checkDeployment,
    identity: (v) => `${(v as { server: string }).server} in ${(v as { environment: string }).environment}`,
  },
  aliases: {
    item: (item, path, refs, issues) => {
      const c = checkScalar({ t: 'ref', kind: 'alias' }, item, refs);
      if (c.error !== undefined) {
        issues.push({ path, message: c.error });
      }
      return c.value;
    },
    identity: (v) => v as string,
  },
};

function checkList(name: keyof typeof LIST_ITEMS, v: unknown, refs: RefChecker, issues: Issue[]): unknown[] {
  if (v === undefined || v === null) {
    return [];
  }
  if (!Array.isArray(v)) {
    issues.push({ path: [name], message: 'must be a list' });
    return [];
  }
  const { item, identity } = LIST_ITEMS[name];
  const out: unknown[] = [];
  const seen = new Set<string>();
  v.forEach((raw, i) => {
    const before = issues.length;
    const value = item(raw, [name, i], refs, issues);
    if (issues.length > before) {
      return;
    }
    const id = identity(value);
    if (id !== '' && seen.has(id)) {
      issues.push({ path: [name, i], message: `${id} is listed twice` });
      return;
    }
    seen.add(id);
    out.push(value);
  });
  return out;
}

function checkAddress(item: unknown, path: Path, _refs: RefChecker, issues: Issue[]): unknown {
  const input = typeof item === 'string' ? { address: item } : item;
  if (!isObject(input)) {
    issues.push({ path, message: 'must be an address or a mapping with address, mac, interface' });
    return undefined;
  }
  unknownKeys(input, ['address', 'mac', 'interface'], path, issues);
  const out: Doc = {};
  const ip = input.address === undefined ? bad<{ address: string }>('is required') : checkIp(input.address);
  if (ip.error !== undefined) {
    issues.push({ path: [...path, 'address'], message: ip.error });
  } else {
    out.address = ip.value.address;
  }
  optional(out, input, 'mac', checkMac, path, issues);
  optional(out, input, 'interface', checkText, path, issues);
  return out;
}

function checkContact(item: unknown, path: Path, _refs: RefChecker, issues: Issue[]): unknown {
  if (!isObject(item)) {
    issues.push({ path, message: 'must be a mapping with name, role, email, phone' });
    return undefined;
  }
  unknownKeys(item, ['name', 'role', 'email', 'phone'], path, issues);
  const out: Doc = {};
  const name = item.name === undefined ? bad<string>('is required') : checkText(item.name);
  if (name.error !== undefined) {
    issues.push({ path: [...path, 'name'], message: name.error });
  } else {
    out.name = name.value;
  }
  optional(out, item, 'role', checkText, path, issues);
  optional(out, item, 'email', checkEmail, path, issues);
  optional(out, item, 'phone', checkPhone, path, issues);
  return out;
}

function checkDeployment(item: unknown, path: Path, refs: RefChecker, issues: Issue[]): unknown {
  if (!isObject(item)) {
    issues.push({ path, message: 'must be a mapping with server and environment' });
    return undefined;
  }
  unknownKeys(item, ['server', 'environment'], path, issues);
  const out: Doc = {};
  for (const [field, type] of [
    ['server', { t: 'ref', kind: 'server' }],
    ['environment', { t: 'token' }],
  ] as const) {
    const c = item[field] === undefined ? bad('is required') : checkScalar(type, item[field], refs);
    if (c.error !== undefined) {
      issues.push({ path: [...path, field], message: c.error });
    } else {
      out[field] = c.value;
    }
  }
  return out;
}

/** What an alias may point at, by record type. */
function checkAlias(doc: Doc, input: Record<string, unknown>, issues: Issue[]): void {
  const type = doc.type as string | undefined;
  const hasServer = input.server !== undefined && input.server !== null;
  const hasTarget = input.target !== undefined && input.target !== null;
  if (hasServer === hasTarget) {
    issues.push({
      path: [hasServer ? 'target' : 'server'],
      message: hasServer ? 'give either server or target, not both' : 'give the server or the target it points at',
    });
    return;
  }
  if (type === 'TXT' && hasServer) {
    issues.push({ path: ['server'], message: 'a TXT record holds text: give target, not server' });
  }
  if (typeof doc.target !== 'string' || type === undefined) {
    return;
  }
  let c: Checked<string>;
  switch (type) {
    case 'A':
    case 'AAAA': {
      const ip = checkIp(doc.target);
      const family = type === 'A' ? 4 : 6;
      c =
        ip.value?.family === family
          ? ok(ip.value.address)
          : bad(`an ${type} record points at an IPv${family} address; "${doc.target}" is not one`);
      break;
    }
    case 'CNAME':
    case 'NS':
      c = checkHostname(doc.target);
      if (c.value !== undefined && c.value === doc.fqdn) {
        c = bad('an alias cannot point at itself');
      }
      break;
    default:
      c = ok(doc.target);
  }
  if (c.error !== undefined) {
    issues.push({ path: ['target'], message: c.error });
    delete doc.target;
  } else {
    doc.target = c.value;
  }
}

/** A note's fields; `time` is read by the caller's parser (seconds in the API, ISO 8601 in YAML) into ms. */
export function validateNote(
  input: unknown,
  parseTime: (v: unknown) => Checked<number>,
  extra: readonly string[] = []
): { note: { time?: number; author?: string; body: string; pinned: boolean }; issues: Issue[] } {
  const issues: Issue[] = [];
  const note = { body: '', pinned: false } as { time?: number; author?: string; body: string; pinned: boolean };
  if (!isObject(input)) {
    return { note, issues: [{ path: [], message: 'a note must be a mapping with body, author, time, pinned' }] };
  }
  unknownKeys(input, ['time', 'author', 'body', 'pinned', ...extra], [], issues);
  const body = input.body === undefined ? bad<string>('is required') : checkText(input.body, true);
  if (body.error !== undefined) {
    issues.push({ path: ['body'], message: body.error });
  } else {
    note.body = body.value;
  }
  optional(note, input, 'author', checkText, [], issues);
  optional(note, input, 'time', parseTime, [], issues);
  if (input.pinned !== undefined && input.pinned !== null) {
    if (typeof input.pinned !== 'boolean') {
      issues.push({ path: ['pinned'], message: 'must be true or false' });
    } else {
      note.pinned = input.pinned;
    }
  }
  return { note, issues };
}

export interface RenewalFields {
  name: string;
  start: string;
  end: string;
  notes?: string;
}

export function validateRenewal(
  input: unknown,
  extra: readonly string[] = []
): { renewal: RenewalFields; issues: Issue[] } {
  const issues: Issue[] = [];
  const renewal = {} as RenewalFields;
  if (!isObject(input)) {
    return { renewal, issues: [{ path: [], message: 'a renewal must be a mapping with name, start, end, notes' }] };
  }
  unknownKeys(input, ['name', 'start', 'end', 'notes', ...extra], [], issues);
  for (const [field, check] of [
    ['name', (v: unknown) => checkText(v)],
    ['start', checkDate],
    ['end', checkDate],
  ] as const) {
    const c = input[field] === undefined || input[field] === null ? bad<string>('is required') : check(input[field]);
    if (c.error !== undefined) {
      issues.push({ path: [field], message: c.error });
    } else {
      renewal[field] = c.value;
    }
  }
  optional(renewal, input, 'notes', (v) => checkText(v, true), [], issues);
  if (renewal.start !== undefined && renewal.end !== undefined && renewal.end < renewal.start) {
    issues.push({ path: ['end'], message: `ends (${renewal.end}) before it starts (${renewal.start})` });
  }
  return { renewal, issues };
}

function optional<T>(
  out: object,
  input: Record<string, unknown>,
  field: string,
  check: (v: unknown) => Checked<T>,
  path: Path,
  issues: Issue[]
): void {
  const v = input[field];
  if (v === undefined || v === null) {
    return;
  }
  const c = check(v);
  if (c.error !== undefined) {
    issues.push({ path: [...path, field], message: c.error });
  } else {
    (out as Record<string, unknown>)[field] = c.value;
  }
}

function unknownKeys(input: Record<string, unknown>, known: readonly string[], path: Path, issues: Issue[]): void {
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) {
      const near = known.find((k) => k.toLowerCase() === key.toLowerCase().replace(/[_-]/g, ''));
      issues.push({
        path: [...path, key],
        message: `unknown field${near ? ` (did you mean "${near}"?)` : ` (known: ${known.join(', ')})`}`,
        atKey: true,
      });
    }
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
