import type { DataSourceJsonData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';

/**
 * `metrics`: a Graphite target; `events`: the worker's events (deploys, DNS changes), for annotations; `stats`: the
 * worker's own figures (GET /api/v1/stats), for dashboards of its health; `inventory`: notes and status changes of
 * inventory entities, for annotations.
 */
export type QueryType = 'metrics' | 'events' | 'stats' | 'inventory';

/** Which of the worker's figures a `stats` query answers, as one table. */
export type StatsView = 'summary' | 'ingest' | 'rejected' | 'sources';

/** The builder shows the target as a series and its functions; code is the target's text. */
export type EditorMode = 'builder' | 'code';

/** A panel or annotation query. */
export interface MissionControlQuery extends DataQuery {
  queryType?: QueryType;
  /** A Graphite target: a path with wildcards or seriesByTag, with functions applied (`sumSeries(servers.*.cpu)`). */
  target?: string;
  /** Legend pattern: `{{host}}` is the series' host tag, `{{name}}` its name, `{{1}}` its path's second node. */
  alias?: string;
  editorMode?: EditorMode;
  /**
   * Events: only those having these tags (all of them, or any with `matchAny`); inventory: only annotations having all
   * of them (`note`, `status`, `alias`...).
   */
  tags?: string[];
  matchAny?: boolean;
  /**
   * Inventory: the entities whose notes and status changes are shown, as refs (`server:web1.example.net`), variables
   * allowed (`server:$host`, one ref per value of a multi-value variable); none means every entity.
   */
  entities?: string[];
  /** Worker figures: which table. */
  stats?: StatsView;
}

/** What a template variable lists. */
export type VariableQueryType = 'metrics' | 'tagKeys' | 'tagValues' | 'inventory';

export interface MissionControlVariableQuery extends DataQuery {
  type: VariableQueryType;
  /** metrics: a path pattern; the values are the names its last node matches (`servers.*` lists the hosts). */
  query?: string;
  /** tagValues: the tag whose values are listed. */
  tag?: string;
  /**
   * tagKeys and tagValues: only series matching these tag expressions (`env=prod`); inventory: only entities
   * matching these field expressions (`environment=production`).
   */
  expressions?: string[];
  /** inventory: the collection (`servers`, `applications`, `aliases`, `locations`) and the field listed. */
  entity?: string;
  field?: string;
}

/** Settings every Grafana user may read. `url` is where the Grafana server reaches the worker. */
export interface MissionControlOptions extends DataSourceJsonData {
  url?: string;
}

/** Settings Grafana encrypts and only its proxy reads (see `routes` in plugin.json). */
export interface MissionControlSecureJsonData {
  apiKey?: string;
}

export const DEFAULT_QUERY: Partial<MissionControlQuery> = { queryType: 'metrics', target: '', editorMode: 'builder' };
