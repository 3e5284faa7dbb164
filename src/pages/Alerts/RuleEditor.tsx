import React, { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import {
  Alert,
  Button,
  Checkbox,
  ConfirmModal,
  Field,
  Input,
  LoadingPlaceholder,
  RadioButtonGroup,
  Combobox,
  Stack,
  Text,
  useStyles2,
} from '@grafana/ui';

import { fieldErrors, type AlertingApi } from '../../api/alerting';
import { ApiError } from '../../api/client';
import type {
  AlertGroupSpec,
  AlertNotifierInfo,
  AlertPreviewResponse,
  AlertRuleResponse,
  AlertRulesResponse,
  AlertRuleSpec,
} from '../../shared/api';
import { useLoad } from '../../utils/useLoad';
import { errorMessage } from './hooks';
import { alertsUrl } from './paths';
import {
  draftFromSpec,
  EMPTY_DRAFT,
  errorField,
  missingForPreview,
  specFromDraft,
  type NoDataState,
  type RepeatMode,
  type RuleDraft,
} from './ruleDraft';
import { SeriesChart } from './SeriesChart';
import { StateBadge } from './StateBadge';
import { formatValue, instanceTitle, sortInstances } from './states';

/** Long enough that typing a target does not send a query per keystroke, short enough to feel live. */
export const PREVIEW_DELAY_MS = 500;

const REDUCERS = ['last', 'avg', 'min', 'max', 'sum', 'count', 'p50', 'p90', 'p95', 'p99'].map((value) => ({
  value,
  label: value,
}));

const CONDITIONS = [
  { value: 'above' as const, label: 'Above' },
  { value: 'below' as const, label: 'Below' },
  { value: 'none' as const, label: 'No threshold' },
];

const NO_DATA_STATES: Array<{ value: NoDataState; label: string }> = [
  { value: 'nodata', label: 'No data' },
  { value: 'alerting', label: 'Alerting' },
  { value: 'ok', label: 'OK' },
];

const REPEAT_MODES: Array<{ value: RepeatMode; label: string; description: string }> = [
  { value: 'backoff', label: 'Back-off', description: 'Again after 5min, 30min, 1h, 2h, 4h, 8h, then daily' },
  { value: 'interval', label: 'Fixed interval', description: 'Again every interval while it fires' },
  { value: 'never', label: 'Once', description: 'Only when it starts firing' },
];

/** What "Fixed interval" starts with, so that choosing it does not first show an error for an empty interval. */
const DEFAULT_REPEAT_INTERVAL = '1h';

/** The draft's free-text fields, each edited with an Input. */
type TextField = Exclude<keyof RuleDraft, 'op' | 'type' | 'paused' | 'noDataState' | 'notifiers' | 'repeatMode'>;

/** The spec fields that have an input in the form, as the worker's errors name them. */
const FORM_FIELDS = new Set([
  'uid',
  'title',
  'group',
  'target',
  'window',
  'reducer',
  'condition',
  'condition.threshold',
  'condition.recoveryThreshold',
  'minSeries',
  'noDataState',
  'for',
  'keepFiringFor',
  'labels',
  'runbookUrl',
  'notifiers',
  'repeat',
]);

const TYPES = [
  { value: 'alert' as const, label: 'Alert' },
  { value: 'notice' as const, label: 'Notice' },
];

interface Loaded {
  rule?: AlertRuleResponse;
  rules: AlertRulesResponse;
  notifiers: AlertNotifierInfo[];
}

/** Loads the rule (for /rules/:uid/edit), the groups and the notifiers, then shows the form. */
export function RuleEditorPage({ api }: { api: AlertingApi }) {
  const uid = useParams().uid;
  const loaded = useLoad<Loaded>(async () => {
    const [rule, rules, notifiers] = await Promise.all([
      uid ? api.rule(uid) : Promise.resolve(undefined),
      api.rules(),
      api.notifiers(),
    ]);
    return { rule, rules, notifiers };
  }, uid ?? '');
  if (!loaded.value) {
    return loaded.error ? (
      <Alert severity="error" title="Could not load the rule">
        {loaded.error}
      </Alert>
    ) : (
      <LoadingPlaceholder text="Loading…" />
    );
  }
  const { rule, rules, notifiers } = loaded.value;
  return (
    <RuleEditor
      api={api}
      rule={rule}
      groups={rules.groups.map((g) => g.spec)}
      notifiers={notifiers.map((n) => n.spec.name)}
    />
  );
}

interface Props {
  api: AlertingApi;
  /** Absent for a new rule. */
  rule?: AlertRuleResponse;
  groups: AlertGroupSpec[];
  /** The names of the configured notifiers. */
  notifiers: string[];
}

/**
 * The rule form with a live preview: every change (after PREVIEW_DELAY_MS) asks the worker to evaluate the rule as it
 * stands over the last 24 h, draws the query with the threshold and recovery lines, and lists which instances would
 * fire now; until the fields every rule needs are filled it waits. The worker's per-field errors, from the preview or
 * the save, appear under their fields once a field has been touched or a save tried, as in Grafana's forms.
 */
export function RuleEditor({ api, rule, groups, notifiers }: Props) {
  const styles = useStyles2(getStyles);
  const navigate = useNavigate();
  const [draft, setDraft] = useState<RuleDraft>(() =>
    rule ? draftFromSpec(rule.spec) : { ...EMPTY_DRAFT, group: groups[0]?.name ?? '' }
  );
  const readOnly = rule?.provisioned ?? false;
  const spec = useMemo(() => specFromDraft(draft, rule?.spec), [draft, rule]);
  const missing = missingForPreview(draft);
  const preview = usePreview(api, spec, missing.length === 0);
  const [saving, setSaving] = useState(false);
  const [saveErrors, setSaveErrors] = useState<Record<string, string>>({});
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  // A stored rule was valid when saved, so an error on it comes from an edit: shown at once, as after a save attempt.
  const [attempted, setAttempted] = useState(rule !== undefined);

  const touch = (field: string) => setTouched((t) => (t.has(field) ? t : new Set(t).add(field)));
  // Errors about no field of the form (a 409, a failed request) are never held back: nothing else would show them.
  const errors = Object.fromEntries(
    Object.entries({ ...preview.errors, ...saveErrors }).filter(
      ([field]) => attempted || touched.has(field) || !FORM_FIELDS.has(field)
    )
  );
  const set =
    <K extends keyof RuleDraft>(key: K) =>
    (value: RuleDraft[K]) => {
      setDraft((d) => ({ ...d, [key]: value }));
      touch(errorField(key));
      setSaveErrors({});
    };
  const text = (key: TextField) => ({
    value: draft[key],
    onChange: (e: React.FormEvent<HTMLInputElement>) => set(key)(e.currentTarget.value),
    onBlur: () => touch(errorField(key)),
  });
  const fieldProps = (name: string) => ({ invalid: Boolean(errors[name]), error: errors[name] });

  const save = async () => {
    setAttempted(true);
    setSaving(true);
    try {
      const saved = rule ? await api.updateRule(spec) : await api.createRule(spec);
      navigate(alertsUrl.rule(saved.spec.uid));
    } catch (err) {
      const body = err instanceof ApiError ? err.body : undefined;
      setSaveErrors(body ? fieldErrors(body) : { '': errorMessage(err) });
      setSaving(false);
    }
  };

  const remove = async () => {
    setConfirmingDelete(false);
    setSaving(true);
    try {
      await api.deleteRule(draft.uid);
      navigate(alertsUrl.list());
    } catch (err) {
      setSaveErrors({ '': errorMessage(err) });
      setSaving(false);
    }
  };

  const toggleNotifier = (name: string, on: boolean) =>
    set('notifiers')(on ? [...draft.notifiers, name] : draft.notifiers.filter((n) => n !== name));
  const setRepeatMode = (mode: RepeatMode) => {
    setDraft((d) => ({ ...d, repeatMode: mode, repeatInterval: d.repeatInterval || DEFAULT_REPEAT_INTERVAL }));
    touch(errorField('repeatMode'));
    setSaveErrors({});
  };
  const groupNotifiers = groups.find((g) => g.name === draft.group)?.notifiers ?? [];
  // A rule may name a notifier that has since gone; it stays listed so that it can be unticked.
  const notifierChoices = [...notifiers, ...draft.notifiers.filter((n) => !notifiers.includes(n))];

  // Errors for fields the form shows appear under them; the rest (a 409, a failed request) above the buttons.
  const unplaced = Object.entries(errors).filter(([field]) => !FORM_FIELDS.has(field));

  return (
    <Stack direction="column" gap={2}>
      <Text element="h2" variant="h3">
        {rule ? `Edit ${rule.spec.title}` : 'New alert rule'}
      </Text>
      {readOnly && (
        <Alert severity="info" title="Provisioned rule">
          This rule comes from the worker&apos;s provisioning folder and is read-only here; change the YAML file and
          reload the worker. The preview still shows what it evaluates.
        </Alert>
      )}
      <div className={styles.columns}>
        <fieldset disabled={readOnly} className={styles.form} aria-label="Rule">
          {!rule && (
            <Field label="UID" description="Letters, digits, - and _; it cannot change later" {...fieldProps('uid')}>
              <Input {...text('uid')} id="rule-uid" />
            </Field>
          )}
          <Field label="Title" {...fieldProps('title')}>
            <Input {...text('title')} id="rule-title" />
          </Field>
          <Field label="Group" description="Sets how often the rule is evaluated" {...fieldProps('group')}>
            <Combobox
              id="rule-group"
              options={groups.map((g) => ({ value: g.name, label: g.name }))}
              value={draft.group}
              createCustomValue
              disabled={readOnly}
              onChange={(option) => set('group')(option?.value ?? '')}
            />
          </Field>
          <Field
            label="Target"
            description="A Graphite expression; each series is an instance"
            {...fieldProps('target')}
          >
            <Input {...text('target')} id="rule-target" />
          </Field>
          <Stack direction="row" gap={1}>
            <Field label="Window" {...fieldProps('window')}>
              <Input {...text('window')} id="rule-window" width={12} />
            </Field>
            <Field label="Reducer" {...fieldProps('reducer')}>
              <Combobox
                id="rule-reducer"
                options={REDUCERS}
                value={draft.reducer}
                createCustomValue
                disabled={readOnly}
                width={16}
                onChange={(option) => set('reducer')(option?.value ?? 'last')}
              />
            </Field>
          </Stack>
          <Field label="Condition" {...fieldProps('condition')}>
            <RadioButtonGroup options={CONDITIONS} value={draft.op} onChange={set('op')} disabled={readOnly} />
          </Field>
          {draft.op !== 'none' && (
            <Stack direction="row" gap={1}>
              <Field label="Threshold" {...fieldProps('condition.threshold')}>
                <Input {...text('threshold')} id="rule-threshold" width={12} />
              </Field>
              <Field
                label="Recovery threshold"
                description="Optional, against flapping"
                {...fieldProps('condition.recoveryThreshold')}
              >
                <Input {...text('recoveryThreshold')} id="rule-recovery" width={12} />
              </Field>
            </Stack>
          )}
          <Stack direction="row" gap={1}>
            <Field label="Min. series" description="Fires with fewer reporting" {...fieldProps('minSeries')}>
              <Input {...text('minSeries')} id="rule-min-series" width={12} />
            </Field>
            <Field
              label="If no series has data"
              description="The state of the rule's own instance"
              {...fieldProps('noDataState')}
            >
              <RadioButtonGroup
                options={NO_DATA_STATES}
                value={draft.noDataState}
                onChange={set('noDataState')}
                disabled={readOnly}
              />
            </Field>
          </Stack>
          <Stack direction="row" gap={1}>
            <Field label="Pending for" description="e.g. 5min" {...fieldProps('for')}>
              <Input {...text('for')} id="rule-for" width={12} />
            </Field>
            <Field label="Keep firing for" {...fieldProps('keepFiringFor')}>
              <Input {...text('keepFiringFor')} id="rule-keep-firing" width={12} />
            </Field>
          </Stack>
          <Field label="Type">
            <RadioButtonGroup options={TYPES} value={draft.type} onChange={set('type')} disabled={readOnly} />
          </Field>
          <Field label="Labels" description="name=value, separated by commas" {...fieldProps('labels')}>
            <Input {...text('labels')} id="rule-labels" />
          </Field>
          <Field label="Summary" description="May use {{ $labels.name }} and {{ $value }}">
            <Input {...text('summary')} id="rule-summary" />
          </Field>
          <Field label="Runbook URL" {...fieldProps('runbookUrl')}>
            <Input {...text('runbookUrl')} id="rule-runbook" />
          </Field>
          <Field
            label="Notifiers"
            description={
              groupNotifiers.length > 0
                ? `None ticked: the group's (${groupNotifiers.join(', ')})`
                : 'None ticked: the group sends to none'
            }
            {...fieldProps('notifiers')}
          >
            {/* Fragments: Field hands invalid and disabled to its child, which a div would render as attributes. */}
            <>
              {notifierChoices.length === 0 ? (
                <Text color="secondary">No notifiers are configured; add them on the Notifiers tab.</Text>
              ) : (
                <div role="group" aria-label="Notifiers" className={styles.choices}>
                  {notifierChoices.map((name) => (
                    <Checkbox
                      key={name}
                      label={name}
                      value={draft.notifiers.includes(name)}
                      onChange={(e) => toggleNotifier(name, e.currentTarget.checked)}
                    />
                  ))}
                </div>
              )}
            </>
          </Field>
          <Field label="Re-notify while firing" {...fieldProps('repeat')}>
            <>
              <RadioButtonGroup
                options={REPEAT_MODES}
                value={draft.repeatMode}
                onChange={setRepeatMode}
                disabled={readOnly}
              />
              {draft.repeatMode === 'interval' && (
                <Input {...text('repeatInterval')} aria-label="Repeat interval" width={12} />
              )}
            </>
          </Field>
          <Checkbox
            label="Paused"
            description="Not evaluated, sends nothing"
            value={draft.paused}
            onChange={(e) => set('paused')(e.currentTarget.checked)}
          />
        </fieldset>
        <section aria-label="Preview" className={styles.preview}>
          <Text element="h3" variant="h4">
            Preview
          </Text>
          <PreviewView
            state={preview}
            missing={missing}
            errorsShown={Object.keys(preview.errors).some((field) => field in errors)}
          />
        </section>
      </div>
      {unplaced.map(([field, error]) => (
        <Alert key={field} severity="error" title={field ? `Field "${field}"` : 'The worker refused the rule'}>
          {error}
        </Alert>
      ))}
      {!readOnly && (
        <Stack direction="row" gap={1}>
          <Button onClick={save} disabled={saving}>
            {rule ? 'Save rule' : 'Create rule'}
          </Button>
          <Button
            variant="secondary"
            fill="outline"
            onClick={() => navigate(rule ? alertsUrl.rule(rule.spec.uid) : alertsUrl.list())}
          >
            Cancel
          </Button>
          {rule && (
            <Button variant="destructive" icon="trash-alt" onClick={() => setConfirmingDelete(true)} disabled={saving}>
              Delete rule
            </Button>
          )}
        </Stack>
      )}
      {rule && (
        <ConfirmModal
          isOpen={confirmingDelete}
          title="Delete rule"
          body={`Delete "${rule.spec.title}"? It stops being evaluated and its instances go away, with no recovered message; its state history stays.`}
          confirmText="Delete"
          onConfirm={remove}
          onDismiss={() => setConfirmingDelete(false)}
        />
      )}
    </Stack>
  );
}

interface PreviewState {
  answer?: AlertPreviewResponse;
  errors: Record<string, string>;
  loading: boolean;
}

const NOT_PREVIEWED: PreviewState = { errors: {}, loading: false };

/**
 * Previews `spec` once it has stood still for PREVIEW_DELAY_MS and is `ready`; only the newest request's answer is
 * kept.
 */
function usePreview(api: AlertingApi, spec: AlertRuleSpec, ready: boolean): PreviewState {
  const [state, setState] = useState<PreviewState>({ errors: {}, loading: true });
  const key = JSON.stringify(spec);
  useEffect(() => {
    if (!ready) {
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      setState((s) => ({ ...s, loading: true }));
      api.preview({ rule: JSON.parse(key) }).then(
        (answer) => current && setState({ answer, errors: {}, loading: false }),
        (err: unknown) => {
          if (current) {
            const body = err instanceof ApiError ? err.body : undefined;
            setState({ errors: body ? fieldErrors(body) : { '': errorMessage(err) }, loading: false });
          }
        }
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, key, ready]);
  // An answer to an earlier, complete draft says nothing about this one.
  return ready ? state : NOT_PREVIEWED;
}

/** `A`, `A and B`, `A, B and C`. */
function listOf(words: string[]): string {
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}` : words.join('');
}

function PreviewView({
  state,
  missing,
  errorsShown,
}: {
  state: PreviewState;
  /** The labels of the fields the preview waits for. */
  missing: string[];
  /** Whether any of the preview's errors is shown under its field. */
  errorsShown: boolean;
}) {
  if (missing.length > 0) {
    return <Text color="secondary">The preview waits for {listOf(missing)}.</Text>;
  }
  if (!state.answer) {
    if (Object.keys(state.errors).length > 0) {
      return (
        <Text color="secondary">
          {errorsShown
            ? 'Fix the fields marked in red to see the preview.'
            : 'The worker cannot evaluate the rule as it stands yet.'}
        </Text>
      );
    }
    return <LoadingPlaceholder text="Evaluating…" />;
  }
  const { answer } = state;
  const firing = sortInstances(answer.instances.filter((i) => i.state !== 'ok'));
  return (
    <Stack direction="column" gap={1}>
      {answer.error && (
        <Alert severity="error" title="The query failed">
          {answer.error}
        </Alert>
      )}
      <SeriesChart
        title="Last 24 hours"
        series={answer.series}
        threshold={answer.threshold}
        recoveryThreshold={answer.recoveryThreshold}
      />
      <Text element="h4">Would fire now</Text>
      {firing.length === 0 ? (
        <Text color="secondary">None of {answer.instances.length} instances.</Text>
      ) : (
        <ul aria-label="Would fire now">
          {firing.map((i) => (
            <li key={i.key}>
              <StateBadge state={i.state} /> {instanceTitle(i)}: {formatValue(i.value)} ({i.reason})
            </li>
          ))}
        </ul>
      )}
    </Stack>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  columns: css({
    display: 'grid',
    gridTemplateColumns: 'minmax(320px, 1fr) minmax(320px, 1fr)',
    gap: theme.spacing(3),
    alignItems: 'start',
  }),
  form: css({ border: 'none', margin: 0, padding: 0, minWidth: 0 }),
  preview: css({ minWidth: 0 }),
  choices: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(2) }),
});
