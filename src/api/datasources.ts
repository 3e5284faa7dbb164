import type { DataSourceInstanceSettings } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';

import { DATASOURCE_ID } from '../constants';
import type { MissionControlOptions } from '../datasource/types';

/** Which Mission Control data source the app's pages talk to, and why that one. */

export type MissionControlSettings = DataSourceInstanceSettings<MissionControlOptions>;

export type ChoiceReason =
  /** Chosen on the Configuration page. */
  | 'saved'
  /** The only Mission Control data source. */
  | 'only'
  /** Several exist and this one is Grafana's default data source. */
  | 'default'
  /** Several exist; this is the first by name. */
  | 'first'
  /** The chosen one was deleted; this is the fallback. */
  | 'saved-missing';

export interface DatasourceChoice {
  candidates: MissionControlSettings[];
  datasource?: MissionControlSettings;
  reason?: ChoiceReason;
}

/** The Mission Control data sources this user can see, sorted by name (as Grafana lists them). */
export function listMissionControlDatasources(): MissionControlSettings[] {
  return getDataSourceSrv().getList({ pluginId: DATASOURCE_ID }) as MissionControlSettings[];
}

export function chooseDatasource(candidates: MissionControlSettings[], savedUid?: string): DatasourceChoice {
  if (candidates.length === 0) {
    return { candidates };
  }
  const saved = savedUid ? candidates.find((ds) => ds.uid === savedUid) : undefined;
  if (saved) {
    return { candidates, datasource: saved, reason: 'saved' };
  }
  const fallback = candidates.find((ds) => ds.isDefault) ?? candidates[0];
  let reason: ChoiceReason;
  if (savedUid) {
    reason = 'saved-missing';
  } else if (candidates.length === 1) {
    reason = 'only';
  } else {
    reason = fallback.isDefault ? 'default' : 'first';
  }
  return { candidates, datasource: fallback, reason };
}
