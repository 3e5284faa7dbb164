import React, { useId, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { IconButton, InlineSwitch, Input, useStyles2 } from '@grafana/ui';

import type { ParamValue } from '../target/model';
import { initialValue, type ParamSlot } from '../target/functions';
import { paramText, parseParamText } from '../target/params';

interface Props {
  functionName: string;
  slot: ParamSlot;
  onChange: (values: ParamValue[]) => void;
}

/** One parameter of a function in the builder, edited by its declared type: a switch, a list of values, or text. */
export function ParamField({ functionName, slot, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const { param } = slot;
  const label = `${functionName} ${slot.label}`;

  if (param?.type === 'boolean') {
    const value = slot.values[0];
    const checked = value?.kind === 'boolean' ? value.value : param.default === true;
    return (
      <label className={styles.param}>
        <span className={styles.name}>{slot.label}</span>
        <InlineSwitch
          aria-label={label}
          value={checked}
          onChange={(event) => onChange([{ kind: 'boolean', value: event.currentTarget.checked }])}
        />
      </label>
    );
  }

  if (param?.multiple) {
    // More series are added as text in code mode: there is no sensible series to start one with.
    const added = initialValue(param);
    const replace = (i: number, value: ParamValue | undefined) =>
      onChange(value ? slot.values.map((v, j) => (j === i ? value : v)) : slot.values.filter((_, j) => j !== i));
    return (
      <div className={styles.param}>
        <span className={styles.name}>{slot.label}</span>
        {slot.values.map((value, i) => (
          <ParamInput
            key={`${i}:${paramText(value)}`}
            label={`${label} ${i + 1}`}
            type={param.type}
            value={value}
            options={param.options ?? param.suggestions}
            onCommit={(next) => replace(i, next)}
          />
        ))}
        {added && (
          <IconButton
            name="plus"
            size="sm"
            aria-label={`Add a value to ${label}`}
            onClick={() => onChange([...slot.values, added])}
          />
        )}
      </div>
    );
  }

  return (
    <label className={styles.param}>
      <span className={styles.name}>{slot.label}</span>
      <ParamInput
        key={slot.values.map(paramText).join(',')}
        label={label}
        type={param?.type}
        value={slot.values[0]}
        placeholder={param?.required ? 'required' : param?.default !== undefined ? String(param.default) : 'optional'}
        options={param?.options ?? param?.suggestions}
        onCommit={(value) => onChange(value ? [value] : [])}
      />
    </label>
  );
}

interface InputProps {
  label: string;
  type?: string;
  value?: ParamValue;
  placeholder?: string;
  options?: Array<string | number>;
  onCommit: (value: ParamValue | undefined) => void;
}

/** Text for one value; committed on Enter or when it loses focus, not on every keystroke. */
function ParamInput({ label, type, value, placeholder, options, onCommit }: InputProps) {
  const styles = useStyles2(getStyles);
  const listId = useId();
  const initial = value ? paramText(value) : '';
  const [text, setText] = useState(initial);
  const commit = () => {
    if (text !== initial) {
      onCommit(parseParamText(text, type));
    }
  };
  return (
    <>
      <Input
        aria-label={label}
        className={styles.input}
        width={Math.min(Math.max(text.length, (placeholder ?? '').length, 6) + 4, 40)}
        value={text}
        placeholder={placeholder}
        list={options ? listId : undefined}
        onChange={(event) => setText(event.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            commit();
          }
        }}
      />
      {options && (
        <datalist id={listId}>
          {options.map((option) => (
            <option key={String(option)} value={String(option)} />
          ))}
        </datalist>
      )}
    </>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  param: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(0.5), margin: 0 }),
  name: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  input: css({ fontFamily: theme.typography.fontFamilyMonospace }),
});
