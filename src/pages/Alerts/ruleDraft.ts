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
  for: string;
  keepFiringFor: string;
  type: 'alert' | 'notice';
  /** `name=value` pairs separated by commas. */
  labels: string;
  summary: string;
  runbookUrl: string;
  paused: boolean;
}

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
  for: '',
  keepFiringFor: '',
  type: 'alert',
  labels: '',
  summary: '',
  runbookUrl: '',
  paused: false,
};

export function draftFromSpec(spec: AlertRuleSpec): RuleDraft {
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
    for: spec.for ?? '',
    keepFiringFor: spec.keepFiringFor ?? '',
    type: spec.type ?? 'alert',
    labels: Object.entries(spec.labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(', '),
    summary: spec.annotations?.summary ?? '',
    runbookUrl: spec.runbookUrl ?? '',
    paused: spec.paused ?? false,
  };
}

/** A number as typed; text that is not one is sent as is, so that the worker's error names the field. */
function numberOrText(value: string): number {
  const trimmed = value.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : (trimmed as unknown as number);
}

/**
 * The spec to preview or save. Fields the form does not show (notifiers, repeat, noDataState, other annotations) are
 * kept from `base`, the rule as loaded.
 */
export function specFromDraft(draft: RuleDraft, base?: AlertRuleSpec): AlertRuleSpec {
  const kept: Partial<AlertRuleSpec> = {};
  if (base?.noDataState !== undefined) {
    kept.noDataState = base.noDataState;
  }
  if (base?.notifiers !== undefined) {
    kept.notifiers = base.notifiers;
  }
  if (base?.repeat !== undefined) {
    kept.repeat = base.repeat;
  }
  const spec: AlertRuleSpec = {
    ...kept,
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
  return spec;
}
