import type { AlertRuleSpec } from '../../shared/api';

/**
 * The rule editor's form as strings, and its conversion to and from an AlertRuleSpec. The worker validates the spec
 * (its errors name the spec's fields), so this only shapes it: empty means "leave out, take the default".
 */
export interface RuleDraft {
  uid: string;
  title: string;
  group: string;
  target: string;
  window: string;
  reducer: string;
  op: 'above' | 'below' | 'none';
  threshold: string;
  recoveryThreshold: string;
  minSeries: string;
  /** The state of the rule's own instance when no series has data. */
  noDataState: NoDataState;
  for: string;
  keepFiringFor: string;
  type: 'alert' | 'notice';
  /** `name=value` pairs separated by commas. */
  labels: string;
  summary: string;
  runbookUrl: string;
  paused: boolean;
  /** Empty: the group's notifiers. */
  notifiers: string[];
  repeatMode: RepeatMode;
  /** The fixed interval, used when repeatMode is `interval`. */
  repeatInterval: string;
}

export type NoDataState = NonNullable<AlertRuleSpec['noDataState']>;

/** Re-notification while firing: Hound's back-off, every `repeatInterval`, or only the first time. */
export type RepeatMode = 'backoff' | 'interval' | 'never';

export const EMPTY_DRAFT: RuleDraft = {
  uid: '',
  title: '',
  group: '',
  target: '',
  window: '5min',
  reducer: 'last',
  op: 'above',
  threshold: '',
  recoveryThreshold: '',
  minSeries: '',
  noDataState: 'nodata',
  for: '',
  keepFiringFor: '',
  type: 'alert',
  labels: '',
  summary: '',
  runbookUrl: '',
  paused: false,
  notifiers: [],
  repeatMode: 'backoff',
  repeatInterval: '',
};

/** Form fields whose errors the worker names differently (the spec's path); the others share their name. */
const ERROR_FIELDS: Partial<Record<keyof RuleDraft, string>> = {
  op: 'condition',
  threshold: 'condition.threshold',
  recoveryThreshold: 'condition.recoveryThreshold',
  summary: 'annotations',
  repeatMode: 'repeat',
  repeatInterval: 'repeat',
};

/** The spec field that the worker's errors name for a form field. */
export function errorField(key: keyof RuleDraft): string {
  return ERROR_FIELDS[key] ?? key;
}

/**
 * The fields, by the form's labels, that the worker needs before it can evaluate the draft at all; empty once it can.
 * Until then a preview could only answer "required".
 */
export function missingForPreview(draft: RuleDraft): string[] {
  const needed: Array<[string, string]> = [
    ['UID', draft.uid],
    ['Title', draft.title],
    ['Group', draft.group],
    ['Target', draft.target],
    ['Window', draft.window],
  ];
  if (draft.op !== 'none') {
    needed.push(['Threshold', draft.threshold]);
  }
  return needed.filter(([, value]) => value.trim() === '').map(([label]) => label);
}

function repeatMode(repeat: string | undefined): RepeatMode {
  return repeat === undefined || repeat === 'backoff' ? 'backoff' : repeat === 'never' ? 'never' : 'interval';
}

export function draftFromSpec(spec: AlertRuleSpec): RuleDraft {
  const mode = repeatMode(spec.repeat);
  return {
    uid: spec.uid,
    title: spec.title,
    group: spec.group,
    target: spec.target,
    window: spec.window,
    reducer: spec.reducer ?? 'last',
    op: spec.condition?.op ?? 'none',
    threshold: spec.condition ? String(spec.condition.threshold) : '',
    recoveryThreshold: spec.condition?.recoveryThreshold === undefined ? '' : String(spec.condition.recoveryThreshold),
    minSeries: spec.minSeries === undefined ? '' : String(spec.minSeries),
    noDataState: spec.noDataState ?? 'nodata',
    for: spec.for ?? '',
    keepFiringFor: spec.keepFiringFor ?? '',
    type: spec.type ?? 'alert',
    labels: Object.entries(spec.labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(', '),
    summary: spec.annotations?.summary ?? '',
    runbookUrl: spec.runbookUrl ?? '',
    paused: spec.paused ?? false,
    notifiers: spec.notifiers ?? [],
    repeatMode: mode,
    repeatInterval: mode === 'interval' ? (spec.repeat ?? '') : '',
  };
}

/** A number as typed; text that is not one is sent as is, so that the worker's error names the field. */
function numberOrText(value: string): number {
  const trimmed = value.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : (trimmed as unknown as number);
}

/**
 * The spec to preview or save. Annotations other than the summary are kept from `base`, the rule as loaded. A field
 * left at the worker's default is sent only if `base` named it, so that an untouched rule saves as it was written.
 */
export function specFromDraft(draft: RuleDraft, base?: AlertRuleSpec): AlertRuleSpec {
  const spec: AlertRuleSpec = {
    uid: draft.uid.trim(),
    title: draft.title.trim(),
    group: draft.group.trim(),
    target: draft.target.trim(),
    window: draft.window.trim(),
    reducer: draft.reducer as AlertRuleSpec['reducer'],
    type: draft.type,
  };
  if (draft.op !== 'none') {
    spec.condition = { op: draft.op, threshold: numberOrText(draft.threshold) };
    if (draft.recoveryThreshold.trim() !== '') {
      spec.condition.recoveryThreshold = numberOrText(draft.recoveryThreshold);
    }
  }
  if (draft.minSeries.trim() !== '') {
    spec.minSeries = numberOrText(draft.minSeries);
  }
  if (draft.noDataState !== 'nodata' || base?.noDataState !== undefined) {
    spec.noDataState = draft.noDataState;
  }
  if (draft.for.trim() !== '') {
    spec.for = draft.for.trim();
  }
  if (draft.keepFiringFor.trim() !== '') {
    spec.keepFiringFor = draft.keepFiringFor.trim();
  }
  const labelPairs = draft.labels
    .split(',')
    .map((pair) => pair.split('='))
    .filter((parts) => parts.length >= 2 && parts[0].trim() !== '');
  if (labelPairs.length > 0) {
    spec.labels = Object.fromEntries(labelPairs.map(([k, ...v]) => [k.trim(), v.join('=').trim()]));
  }
  const annotations = { ...(base?.annotations ?? {}) };
  delete annotations.summary;
  if (draft.summary.trim() !== '') {
    annotations.summary = draft.summary.trim();
  }
  if (Object.keys(annotations).length > 0) {
    spec.annotations = annotations;
  }
  if (draft.runbookUrl.trim() !== '') {
    spec.runbookUrl = draft.runbookUrl.trim();
  }
  if (draft.paused) {
    spec.paused = true;
  }
  if (draft.notifiers.length > 0 || base?.notifiers !== undefined) {
    spec.notifiers = draft.notifiers;
  }
  // An empty interval is sent as is, so that the worker's error lands under the field.
  const repeat = draft.repeatMode === 'interval' ? draft.repeatInterval.trim() : draft.repeatMode;
  if (repeat !== 'backoff' || base?.repeat !== undefined) {
    spec.repeat = repeat;
  }
  return spec;
}
