import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, QueryEditorProps } from '@grafana/data';
import { Button, InlineField, Input, RadioButtonGroup, Stack, Text, TextArea, useStyles2 } from '@grafana/ui';

import type { MissionControlDataSource } from '../datasource';
import { isTargetError, type TargetError } from '../frames';
import { globToRegex } from '../target/adhoc';
import { addFunction, moveFunction, removeFunction, replaceFunction } from '../target/functions';
import {
  formatTarget,
  hasSource,
  toBuilder,
  type BuilderModel,
  type BuilderResult,
  type SeriesSource,
} from '../target/model';
import type { EditorMode, MissionControlOptions, MissionControlQuery, QueryType, StatsView } from '../types';
import { EventsEditor } from './EventsEditor';
import { FunctionCard } from './FunctionCard';
import { FunctionPicker } from './FunctionPicker';
import { InventoryAnnotationEditor } from './InventoryAnnotationEditor';
import { MetricBrowser } from './MetricBrowser';
import { SourceEditor } from './SourceEditor';
import { TargetErrorView } from './TargetErrorView';
import { useFunctions } from './useFunctions';

type Props = QueryEditorProps<MissionControlDataSource, MissionControlQuery, MissionControlOptions>;

const QUERY_TYPES: Array<{ label: string; value: QueryType; description: string }> = [
  { label: 'Series', value: 'metrics', description: 'A Graphite target: paths or tags, with functions' },
  { label: 'Events', value: 'events', description: 'Deploys, DNS changes and other events, by tag' },
  { label: 'Worker', value: 'stats', description: 'The worker’s own figures: ingest, rejected lines, sources' },
];

const INVENTORY_TYPE = {
  label: 'Inventory',
  value: 'inventory' as const,
  description: 'Notes and status changes of servers, applications and aliases',
};

const STATS_VIEWS: Array<{ label: string; value: StatsView; description: string }> = [
  { label: 'Summary', value: 'summary', description: 'Store status, uptime, series, sources, samples per second' },
  { label: 'Ingest', value: 'ingest', description: 'Lines and samples per protocol' },
  { label: 'Rejected lines', value: 'rejected', description: 'Malformed lines per protocol and reason' },
  { label: 'Sources', value: 'sources', description: 'The freshest and stalest sources and their newest sample' },
];

const MODES: Array<{ label: string; value: EditorMode }> = [
  { label: 'Builder', value: 'builder' },
  { label: 'Code', value: 'code' },
];

/** A panel's query: series (a Graphite target, built or typed), events, or the worker's own figures. */
export function QueryEditor(props: Props) {
  return <QueryTypeEditor {...props} queryTypes={QUERY_TYPES} />;
}

/**
 * An annotation's query: events, marks from series, or the inventory's notes and status changes; the worker's figures
 * are no annotations.
 */
export function AnnotationTargetEditor(props: Props) {
  return (
    <QueryTypeEditor
      {...props}
      queryTypes={[...QUERY_TYPES.filter((type) => type.value !== 'stats'), INVENTORY_TYPE]}
    />
  );
}

function QueryTypeEditor(props: Props & { queryTypes: typeof QUERY_TYPES }) {
  const { query, onChange, onRunQuery, queryTypes } = props;
  const queryType = query.queryType ?? 'metrics';
  return (
    <Stack direction="column" gap={1}>
      <div>
        <RadioButtonGroup
          size="sm"
          options={queryTypes}
          value={queryType}
          onChange={(value) => {
            // Events and the inventory tag differently (deploy, shop; note, status): one's tags would hide the other's.
            const retagged = value === 'inventory' || queryType === 'inventory';
            onChange(retagged ? { ...query, queryType: value, tags: [] } : { ...query, queryType: value });
            onRunQuery();
          }}
        />
      </div>
      {queryType === 'events' && <EventsEditor {...props} />}
      {queryType === 'inventory' && <InventoryAnnotationEditor {...props} />}
      {queryType === 'stats' && (
        <InlineField label="Table" labelWidth={12}>
          <RadioButtonGroup
            options={STATS_VIEWS}
            value={query.stats ?? 'summary'}
            onChange={(stats) => {
              onChange({ ...query, stats });
              onRunQuery();
            }}
          />
        </InlineField>
      )}
      {queryType === 'metrics' && <TargetEditor {...props} />}
    </Stack>
  );
}

/** The errors of this query from the last run: the worker's, with the position it points at. */
function errorsOf(props: Props): TargetError[] {
  const errors = props.data?.errors ?? [];
  return errors.filter(isTargetError).filter((error) => error.refId === props.query.refId);
}

/** Where the builder cannot show the target, why; undefined when it can. */
function builderProblem(result: BuilderResult): string | undefined {
  if (result.ok) {
    return undefined;
  }
  return result.reason === 'syntax' ? `The target does not parse: ${result.message}.` : result.message;
}

function TargetEditor(props: Props) {
  const { query, onChange, onRunQuery, datasource } = props;
  const styles = useStyles2(getStyles);
  const target = query.target ?? '';
  const parsed = useMemo(() => toBuilder(target), [target]);
  const problem = builderProblem(parsed);
  const mode: EditorMode = query.editorMode === 'code' || problem ? 'code' : 'builder';
  const [browsing, setBrowsing] = useState(false);
  const { registry, error: registryError } = useFunctions(datasource);

  const setTarget = (text: string, run = true) => {
    onChange({ ...query, target: text });
    if (run) {
      onRunQuery();
    }
  };
  const setModel = (model: BuilderModel) => setTarget(formatTarget(model), hasSource(model));
  const setSource = (source: SeriesSource) => parsed.ok && setModel({ ...parsed.model, source });

  const selectTag = (tag: string, value: string) => {
    if (!parsed.ok) {
      return;
    }
    const { source } = parsed.model;
    const expression = `${tag}=${value}`;
    let expressions: string[];
    if (source.kind === 'tags') {
      // Picking a value of a tag already filtered on replaces that condition.
      expressions = [...source.expressions.filter((e) => !e.startsWith(`${tag}=`)), expression];
    } else {
      expressions = source.path.trim() === '' ? [expression] : [`name=~${globToRegex(source.path)}`, expression];
    }
    setSource({ kind: 'tags', expressions });
  };

  return (
    <>
      <div className={styles.toolbar}>
        <RadioButtonGroup<EditorMode>
          size="sm"
          options={MODES.map((option) => ({
            ...option,
            description: option.value === 'builder' ? problem : undefined,
          }))}
          disabledOptions={problem ? ['builder'] : []}
          value={mode}
          onChange={(editorMode) => onChange({ ...query, editorMode })}
        />
        <Button
          size="sm"
          variant="secondary"
          icon={browsing ? 'angle-up' : 'folder-open'}
          aria-expanded={browsing}
          onClick={() => setBrowsing(!browsing)}
        >
          Metric browser
        </Button>
      </div>
      {browsing &&
        (parsed.ok ? (
          <MetricBrowser
            client={datasource.client}
            onSelectPath={(path) => setSource({ kind: 'path', path })}
            onSelectTag={selectTag}
          />
        ) : (
          <Text color="secondary">Fix the target so that it parses to pick series from the browser.</Text>
        ))}
      {mode === 'builder' && parsed.ok ? (
        <div className={styles.builder}>
          <InlineField label="Series" labelWidth={12}>
            <SourceEditor refId={query.refId} source={parsed.model.source} onChange={setSource} />
          </InlineField>
          <InlineField label="Functions" labelWidth={12}>
            <div className={styles.functions}>
              {parsed.model.functions.map((call, i) => (
                <FunctionCard
                  key={`${i}:${call.name}`}
                  call={call}
                  info={registry?.[call.name]}
                  isFirst={i === 0}
                  isLast={i === parsed.model.functions.length - 1}
                  onChange={(next) => setModel(replaceFunction(parsed.model, i, next))}
                  onMove={(delta) => setModel(moveFunction(parsed.model, i, delta))}
                  onRemove={() => setModel(removeFunction(parsed.model, i))}
                />
              ))}
              <FunctionPicker
                registry={registry}
                error={registryError}
                onSelect={(info) => setModel(addFunction(parsed.model, info))}
              />
            </div>
          </InlineField>
        </div>
      ) : (
        <CodeField key={target} refId={query.refId} target={target} onCommit={setTarget} />
      )}
      {mode === 'code' && query.editorMode !== 'code' && problem && (
        <Text color="secondary" element="p">
          Shown as code because the builder cannot show it: {problem}
        </Text>
      )}
      <InlineField
        label="Alias"
        labelWidth={12}
        tooltip="The legend: {{host}} is a tag of the series, {{name}} its name, {{1}} the second node of its path."
      >
        <AliasInput
          key={query.alias ?? ''}
          alias={query.alias ?? ''}
          onCommit={(alias) => {
            onChange({ ...query, alias: alias === '' ? undefined : alias });
            onRunQuery();
          }}
        />
      </InlineField>
      {errorsOf(props).map((error, i) => (
        <TargetErrorView key={i} error={error} />
      ))}
    </>
  );
}

interface CodeFieldProps {
  refId: string;
  target: string;
  onCommit: (target: string, run?: boolean) => void;
}

/** The target as text: committed when the field loses focus, run with Shift+Enter as in Grafana's code editors. */
function CodeField({ refId, target, onCommit }: CodeFieldProps) {
  const styles = useStyles2(getStyles);
  const [text, setText] = useState(target);
  return (
    <InlineField label="Target" labelWidth={12} grow htmlFor={`missioncontrol-target-${refId}`}>
      <TextArea
        id={`missioncontrol-target-${refId}`}
        className={styles.code}
        rows={Math.min(Math.max(text.split('\n').length, 2), 10)}
        value={text}
        placeholder="sumSeries(servers.*.cpu.user)"
        spellCheck={false}
        onChange={(event) => setText(event.currentTarget.value)}
        onBlur={() => text !== target && onCommit(text)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.shiftKey || event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            onCommit(text);
          }
        }}
      />
    </InlineField>
  );
}

function AliasInput({ alias, onCommit }: { alias: string; onCommit: (alias: string) => void }) {
  const [text, setText] = useState(alias);
  const commit = () => text.trim() !== alias && onCommit(text.trim());
  return (
    <Input
      aria-label="Alias"
      width={40}
      value={text}
      placeholder="{{host}} or a name"
      onChange={(event) => setText(event.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(event) => event.key === 'Enter' && commit()}
    />
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  toolbar: css({ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: theme.spacing(1) }),
  builder: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  functions: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', gap: theme.spacing(1) }),
  code: css({ fontFamily: theme.typography.fontFamilyMonospace }),
});
