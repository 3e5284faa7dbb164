import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { InlineField, MultiCombobox, Stack, TagsInput, Text, type ComboboxOption } from '@grafana/ui';

import type { InventoryApi } from '../../api/inventory';
import { useLoad } from '../../utils/useLoad';
import type { MissionControlDataSource } from '../datasource';
import type { MissionControlOptions, MissionControlQuery } from '../types';

type Props = QueryEditorProps<MissionControlDataSource, MissionControlQuery, MissionControlOptions>;

const GROUPS = [
  { kind: 'server', group: 'Servers' },
  { kind: 'application', group: 'Applications' },
  { kind: 'alias', group: 'Aliases' },
] as const;

/** The refs of the inventory's servers, applications and aliases, the entities whose notes and changes people mark. */
async function entityOptions(api: InventoryApi): Promise<Array<ComboboxOption<string>>> {
  const lists = await Promise.all(GROUPS.map(({ kind }) => api.list(kind)));
  return lists.flatMap(({ items }, i) =>
    items.map((item) => ({ value: item.entity, label: item.entity, group: GROUPS[i].group }))
  );
}

/**
 * The notes and status changes of the chosen entities (those of the aliases pointing at a chosen server or application
 * included); every entity's when none is chosen. A ref typed by hand may hold variables, `server:$host`.
 */
export function InventoryAnnotationEditor({ query, onChange, onRunQuery, datasource }: Props) {
  const options = useLoad(() => entityOptions(datasource.client.inventory), datasource.uid);
  const change = (next: Partial<MissionControlQuery>) => {
    onChange({ ...query, ...next });
    onRunQuery();
  };
  const entitiesId = `missioncontrol-inventory-entities-${query.refId}`;
  return (
    <Stack direction="column" gap={1}>
      <InlineField
        label="Entities"
        labelWidth={12}
        htmlFor={entitiesId}
        tooltip="Servers, applications or aliases; type a ref with variables, such as server:$host, for a dashboard's selection (each value of a multi-value variable is one entity). None: the whole inventory."
      >
        <MultiCombobox
          id={entitiesId}
          width={60}
          options={options.value ?? []}
          loading={options.loading}
          value={query.entities ?? []}
          placeholder="server:web1.example.net"
          createCustomValue
          customValueDescription="A ref with variables"
          onChange={(selected) => change({ entities: selected.map((option) => option.value) })}
        />
      </InlineField>
      {options.error && (
        <Text color="warning" element="p">
          Could not list the inventory: {options.error}
        </Text>
      )}
      <InlineField
        label="Tags"
        labelWidth={12}
        tooltip="Only annotations having all these tags: note, status, pinned, the kind (server, alias...), an alias's new status (pending, active...). Variables are replaced."
      >
        <TagsInput
          id={`missioncontrol-inventory-tags-${query.refId}`}
          tags={query.tags ?? []}
          placeholder="note, then Enter"
          addOnBlur
          onChange={(tags) => change({ tags })}
        />
      </InlineField>
    </Stack>
  );
}
