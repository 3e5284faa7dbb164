import React, { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import {
  Alert,
  Button,
  Checkbox,
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
import type { AlertPreviewResponse, AlertRuleResponse, AlertRulesResponse, AlertRuleSpec } from '../../shared/api';
import { useLoad } from '../../utils/useLoad';
import { errorMessage } from './hooks';
import { alertsUrl } from './paths';
import { draftFromSpec, EMPTY_DRAFT, specFromDraft, type RuleDraft } from './ruleDraft';
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

/** The draft's free-text fields, each edited with an Input. */
type TextField = Exclude<keyof RuleDraft, 'op' | 'type' | 'paused'>;

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
  'for',
  'keepFiringFor',
  'labels',
  'runbookUrl',
]);

const TYPES = [
  { value: 'alert' as const, label: 'Alert' },
  { value: 'notice' as const, label: 'Notice' },
];

/** Loads the rule (for /rules/:uid/edit) and the groups, then shows the form. */
export function RuleEditorPage({ api }: { api: AlertingApi }) {
  const uid = useParams().uid;
  const loaded = useLoad<{ rule?: AlertRuleResponse; rules: AlertRulesResponse }>(async () => {
    const [rule, rules] = await Promise.all([uid ? api.rule(uid) : Promise.resolve(undefined), api.rules()]);
    return { rule, rules };
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
  const groups = loaded.value.rules.groups.map((g) => g.spec.name);
  return <RuleEditor api={api} rule={loaded.value.rule} groups={groups} />;
}

interface Props {
  api: AlertingApi;
  /** Absent for a new rule. */
  rule?: AlertRuleResponse;
  groups: string[];
}

/**
 * The rule form with a live preview: every change (after PREVIEW_DELAY_MS) asks the worker to evaluate the rule as it
 * stands over the last 24 h, draws the query with the threshold and recovery lines, and lists which instances would
 * fire now. The worker's per-field errors, from the preview or the save, appear under their fields.
 */
export function RuleEditor({ api, rule, groups }: Props) {
  const styles = useStyles2(getStyles);
  const navigate = useNavigate();
  const [draft, setDraft] = useState<RuleDraft>(() =>
    rule ? draftFromSpec(rule.spec) : { ...EMPTY_DRAFT, group: groups[0] ?? '' }
  );
  const readOnly = rule?.provisioned ?? false;
  const spec = useMemo(() => specFromDraft(draft, rule?.spec), [draft, rule]);
  const preview = usePreview(api, spec);
  const [saving, setSaving] = useState(false);
  const [saveErrors, setSaveErrors] = useState<Record<string, string>>({});

  const errors = { ...preview.errors, ...saveErrors };
  const set =
    <K extends keyof RuleDraft>(key: K) =>
    (value: RuleDraft[K]) => {
      setDraft((d) => ({ ...d, [key]: value }));
      setSaveErrors({});
    };
  const text = (key: TextField) => ({
    value: draft[key],
    onChange: (e: React.FormEvent<HTMLInputElement>) => set(key)(e.currentTarget.value),
  });
  const fieldProps = (name: string) => ({ invalid: Boolean(errors[name]), error: errors[name] });

  const save = async () => {
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
              options={groups.map((g) => ({ value: g, label: g }))}
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
          <PreviewView state={preview} />
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
        </Stack>
      )}
    </Stack>
  );
}

interface PreviewState {
  answer?: AlertPreviewResponse;
  errors: Record<string, string>;
  loading: boolean;
}

/** Previews `spec` once it has stood still for PREVIEW_DELAY_MS; only the newest request's answer is kept. */
function usePreview(api: AlertingApi, spec: AlertRuleSpec): PreviewState {
  const [state, setState] = useState<PreviewState>({ errors: {}, loading: true });
  const key = JSON.stringify(spec);
  useEffect(() => {
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
  }, [api, key]);
  return state;
}

function PreviewView({ state }: { state: PreviewState }) {
  if (!state.answer) {
    if (Object.keys(state.errors).length > 0) {
      return <Text color="secondary">Fix the fields marked in red to see the preview.</Text>;
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
});
