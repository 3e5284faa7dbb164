import { API_PATHS, type FunctionInfo } from '../shared/api';

/**
 * graphite-web's JSON shapes, as the worker's Graphite API serves them. They are graphite-web's, not ours, which is
 * why they live apart from shared/api.ts: Grafana's built-in Graphite data source reads the same answers.
 */

/** The parts of the Graphite API the editors use, relative to the worker's base URL. */
export const GRAPHITE_PATHS = {
  find: `${API_PATHS.graphite}/metrics/find`,
  tags: `${API_PATHS.graphite}/tags`,
  autoCompleteTags: `${API_PATHS.graphite}/tags/autoComplete/tags`,
  autoCompleteValues: `${API_PATHS.graphite}/tags/autoComplete/values`,
  functions: `${API_PATHS.graphite}/functions`,
} as const;

/** One node of /metrics/find's tree: a branch (expandable) or a leaf series, `id` being its full path. */
export interface FindNode {
  text: string;
  id: string;
  leaf: 0 | 1;
  expandable: 0 | 1;
  allowChildren: 0 | 1;
}

/** One match of /metrics/find in the `completer` format: a branch's path ends with a dot. */
export interface CompleterNode {
  path: string;
  name: string;
  is_leaf: '0' | '1';
}

/** /tags/<tag>: the tag's values and how many series have each. */
export interface TagDetails {
  tag: string;
  values: Array<{ value: string; count: number }>;
}

/** One tag of /tags. */
export interface TagInfo {
  tag: string;
}

export type { FunctionInfo, FunctionParam } from '../shared/api';
export { SERIES_PARAM_TYPES } from '../shared/api';

/** /functions: every function by name. */
export type FunctionRegistry = Record<string, FunctionInfo>;
