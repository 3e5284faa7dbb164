import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

/** A panel query: a Graphite-style glob over series names. */
export interface MissionControlQuery extends DataQuery {
  glob: string;
}

/** Settings every Grafana user may read. `url` is where the Grafana server reaches the worker. */
export interface MissionControlOptions extends DataSourceJsonData {
  url?: string;
}

/** Settings Grafana encrypts and only its proxy reads (see `routes` in plugin.json). */
export interface MissionControlSecureJsonData {
  apiKey?: string;
}

export const DEFAULT_QUERY: Partial<MissionControlQuery> = { glob: '' };
