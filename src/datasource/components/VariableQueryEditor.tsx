import React, { useId, useState } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { InlineField, Input, RadioButtonGroup, Stack, TagsInput, Text } from '@grafana/ui';

import { INVENTORY_COLLECTIONS } from '../../shared/api';
import { useLoad } from '../../utils/useLoad';
import type { MissionControlDataSource } from '../datasource';
import type {
  MissionControlOptions,
  MissionControlQuery,
  MissionControlVariableQuery,
  VariableQueryType,
} from '../types';
import { toVariableQuery } from '../variables';

type Props = QueryEditorProps<
  MissionControlDataSource,
  MissionControlQuery,
  MissionControlOptions,
  MissionControlVariableQuery
>;

const TYPES: Array<{ label: string; value: VariableQueryType; description: string }> = [
  { label: 'Path nodes', value: 'metrics', description: 'The names a path pattern’s last node matches' },
  { label: 'Tag names', value: 'tagKeys', description: 'The tags of the series' },
  { label: 'Tag values', value: 'tagValues', description: 'The values of one tag' },
  { label: 'Inventory', value: 'inventory', description: 'A field of the inventory’s servers, applications, aliases' },
];

const ENTITIES = Object.values(INVENTORY_COLLECTIONS).map((collection) => ({ label: collection, value: collection }));

/** How many values the preview lists before "and N more". */
const PREVIEW = 12;

/**
 * A query variable: host names from `servers.*`, the tags of the series, the values of one tag, or a field of the
 * inventory's entities (the hostnames of the production servers).
 */
export function VariableQueryEditor({ query: saved, onChange, datasource }: Props) {
  const query = toVariableQuery(saved);
  const tagList = useId();
  const tags = useLoad(() => datasource.client.tagKeys([]), datasource.uid);
  const preview = useLoad(() => datasource.metricFindQuery(query), JSON.stringify(query));
  const change = (next: Partial<MissionControlVariableQuery>) => onChange({ ...query, ...next });

  return (
    <Stack direction="column" gap={1}>
      <InlineField label="List" labelWidth={16}>
        <RadioButtonGroup options={TYPES} value={query.type} onChange={(type) => change({ type })} />
      </InlineField>
      {query.type === 'metrics' && (
        <InlineField
          label="Path"
          labelWidth={16}
          tooltip="A path pattern; the variable's values are the names its last node matches. servers.* lists the hosts; $variables are replaced."
        >
          <TextInput
            label="Path"
            value={query.query ?? ''}
            placeholder="servers.*"
            onCommit={(q) => change({ query: q })}
          />
        </InlineField>
      )}
      {query.type === 'tagValues' && (
        <InlineField label="Tag" labelWidth={16}>
          <TextInput
            label="Tag"
            value={query.tag ?? ''}
            placeholder="host"
            list={tagList}
            onCommit={(tag) => change({ tag })}
          />
        </InlineField>
      )}
      {query.type === 'inventory' && (
        <>
          <InlineField label="Entities" labelWidth={16}>
            <RadioButtonGroup options={ENTITIES} value={query.entity} onChange={(entity) => change({ entity })} />
          </InlineField>
          <InlineField
            label="Field"
            labelWidth={16}
            tooltip="The field listed: hostname, name, fqdn, environment, or a relation such as application"
          >
            <TextInput
              label="Field"
              value={query.field ?? ''}
              placeholder="hostname"
              onCommit={(field) => change({ field })}
            />
          </InlineField>
        </>
      )}
      <datalist id={tagList}>
        {(tags.value ?? []).map((tag) => (
          <option key={tag} value={tag} />
        ))}
      </datalist>
      {query.type !== 'metrics' && (
        <InlineField
          label={query.type === 'inventory' ? 'Only where' : 'Series with tags'}
          labelWidth={16}
          tooltip={
            query.type === 'inventory'
              ? 'Only entities matching these expressions, such as environment=production ($variables are replaced)'
              : 'Only series matching these tag expressions, such as env=prod or name=~app\\..* ($variables are replaced)'
          }
        >
          <TagsInput
            tags={query.expressions ?? []}
            placeholder={query.type === 'inventory' ? 'environment=production, then Enter' : 'env=prod, then Enter'}
            addOnBlur
            onChange={(expressions) => change({ expressions })}
          />
        </InlineField>
      )}
      <Text color="secondary" element="p">
        {preview.error
          ? `The worker could not list the values: ${preview.error}`
          : describe(preview.value?.map((v) => String(v.text)))}
      </Text>
    </Stack>
  );
}

function describe(values: string[] | undefined): string {
  if (values === undefined) {
    return 'Loading values…';
  }
  if (values.length === 0) {
    return 'No values.';
  }
  const shown = values.slice(0, PREVIEW).join(', ');
  return values.length > PREVIEW ? `Values: ${shown} and ${values.length - PREVIEW} more.` : `Values: ${shown}.`;
}

interface TextInputProps {
  label: string;
  value: string;
  placeholder: string;
  list?: string;
  onCommit: (value: string) => void;
}

function TextInput({ label, value, placeholder, list, onCommit }: TextInputProps) {
  const [text, setText] = useState(value);
  const commit = () => text.trim() !== value && onCommit(text.trim());
  return (
    <Input
      aria-label={label}
      width={40}
      value={text}
      placeholder={placeholder}
      list={list}
      onChange={(event) => setText(event.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(event) => event.key === 'Enter' && commit()}
    />
  );
}
