import { SERIES_PARAM_TYPES, type FunctionInfo, type FunctionParam, type FunctionRegistry } from '../../api/graphite';
import type { BuilderModel, FunctionCall, ParamValue } from './model';

/**
 * The builder's edits of a function chain, driven by the functions' declarations in the worker's registry (graphite-web's
 * /functions): which parameters a function has, their types, defaults and options. Every edit returns a new model.
 */

/** The builder offers functions that take the series so far as their first argument. */
export function appliesToSeries(info: FunctionInfo): boolean {
  const first = info.params[0];
  return first !== undefined && SERIES_PARAM_TYPES.has(first.type);
}

/** The functions the builder can add, grouped and sorted as graphite-web groups them. */
export function builderFunctions(registry: FunctionRegistry): Array<{ group: string; functions: FunctionInfo[] }> {
  const groups = new Map<string, FunctionInfo[]>();
  for (const info of Object.values(registry)) {
    if (appliesToSeries(info) && info.name !== 'seriesByTag') {
      groups.set(info.group, [...(groups.get(info.group) ?? []), info]);
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, functions]) => ({ group, functions: functions.sort((a, b) => a.name.localeCompare(b.name)) }));
}

const NUMBER_TYPES: ReadonlySet<string> = new Set([
  'integer',
  'float',
  'node',
  'nodeOrTag',
  'intOrInf',
  'intOrInterval',
]);

/** What a new function's required parameter starts as, so that the target runs at once and shows what to change. */
export function initialValue(param: FunctionParam): ParamValue | undefined {
  const start = param.default ?? param.options?.[0] ?? param.suggestions?.[0];
  if (typeof start === 'number') {
    return { kind: 'number', value: start };
  }
  if (typeof start === 'boolean') {
    return { kind: 'boolean', value: start };
  }
  if (typeof start === 'string') {
    return { kind: 'string', value: start };
  }
  if (NUMBER_TYPES.has(param.type)) {
    return { kind: 'number', value: param.type === 'intOrInterval' ? 1 : 0 };
  }
  if (param.type === 'interval') {
    return { kind: 'string', value: '1h' };
  }
  if (param.type === 'boolean') {
    return { kind: 'boolean', value: false };
  }
  // A series parameter has no sensible start: left out, the worker says it is missing.
  return SERIES_PARAM_TYPES.has(param.type) ? undefined : { kind: 'string', value: '' };
}

export function newCall(info: FunctionInfo): FunctionCall {
  const args: ParamValue[] = [];
  for (const param of info.params.slice(1)) {
    const value = param.required ? initialValue(param) : undefined;
    if (value === undefined) {
      break;
    }
    args.push(value);
  }
  return { name: info.name, args, kwargs: [] };
}

/**
 * One editable parameter of a call: its declaration (undefined for an argument the registry does not declare) and
 * its values, one unless the parameter takes many. `index` is the parameter's position in the declaration.
 */
export interface ParamSlot {
  index: number;
  param?: FunctionParam;
  label: string;
  values: ParamValue[];
  /** Given by keyword (`name=value`) rather than by position. */
  keyword: boolean;
}

/** The parameters after the series, in declaration order, with what the call gives for each. */
export function paramSlots(call: FunctionCall, info: FunctionInfo | undefined): ParamSlot[] {
  if (!info) {
    return [
      ...call.args.map((value, i) => ({ index: i + 1, label: `argument ${i + 1}`, values: [value], keyword: false })),
      ...call.kwargs.map(([name, value], i) => ({
        index: call.args.length + i + 1,
        label: name,
        values: [value],
        keyword: true,
      })),
    ];
  }
  const slots: ParamSlot[] = [];
  info.params.slice(1).forEach((param, i) => {
    const index = i + 1;
    const keyword = call.kwargs.find(([name]) => name === param.name);
    if (param.multiple) {
      slots.push({ index, param, label: param.name, values: call.args.slice(i), keyword: false });
    } else if (i < call.args.length) {
      slots.push({ index, param, label: param.name, values: [call.args[i]], keyword: false });
    } else {
      slots.push({ index, param, label: param.name, values: keyword ? [keyword[1]] : [], keyword: !!keyword });
    }
  });
  // Arguments beyond the declaration stay visible, so that the builder never hides part of the target.
  const declared = info.params.length - 1;
  if (!info.params[info.params.length - 1]?.multiple) {
    call.args.slice(declared).forEach((value, i) => {
      slots.push({ index: declared + i + 1, label: `argument ${declared + i + 1}`, values: [value], keyword: false });
    });
  }
  for (const [name, value] of call.kwargs) {
    if (!info.params.some((param) => param.name === name && !param.multiple)) {
      slots.push({ index: slots.length + 1, label: name, values: [value], keyword: true });
    }
  }
  return slots;
}

/**
 * Sets the values of one parameter (none to leave it out). A positional argument stays positional; one past the
 * arguments given becomes the next positional argument when it directly follows them, and a keyword argument when
 * it would leave a gap. Leaving out an argument in the middle writes None, Graphite's "use the default".
 */
export function setParam(call: FunctionCall, slot: ParamSlot, values: ParamValue[]): FunctionCall {
  const position = slot.index - 1;
  const name = slot.param?.name ?? slot.label;
  if (slot.keyword) {
    const kwargs = call.kwargs.filter(([n]) => n !== name);
    return { ...call, kwargs: values.length > 0 ? [...kwargs, [name, values[0]]] : kwargs };
  }
  if (slot.param?.multiple) {
    const before = call.args.slice(0, position);
    while (before.length < position) {
      before.push({ kind: 'none' });
    }
    return { ...call, args: [...before, ...values] };
  }
  const args = [...call.args];
  if (position < args.length) {
    if (values.length > 0) {
      args[position] = values[0];
    } else if (position === args.length - 1) {
      args.pop();
    } else {
      args[position] = { kind: 'none' };
    }
    return { ...call, args };
  }
  if (values.length === 0) {
    return call;
  }
  if (position === args.length) {
    return { ...call, args: [...args, values[0]] };
  }
  return { ...call, kwargs: [...call.kwargs, [name, values[0]]] };
}

export function replaceFunction(model: BuilderModel, index: number, call: FunctionCall): BuilderModel {
  return { ...model, functions: model.functions.map((fn, i) => (i === index ? call : fn)) };
}

export function removeFunction(model: BuilderModel, index: number): BuilderModel {
  return { ...model, functions: model.functions.filter((_, i) => i !== index) };
}

/** Moves a function one place towards the series (-1) or away from it (+1). */
export function moveFunction(model: BuilderModel, index: number, delta: -1 | 1): BuilderModel {
  const to = index + delta;
  if (to < 0 || to >= model.functions.length) {
    return model;
  }
  const functions = [...model.functions];
  [functions[index], functions[to]] = [functions[to], functions[index]];
  return { ...model, functions };
}

export function addFunction(model: BuilderModel, info: FunctionInfo): BuilderModel {
  return { ...model, functions: [...model.functions, newCall(info)] };
}
