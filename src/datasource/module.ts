import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { MissionControlDataSource } from './datasource';
import type { MissionControlOptions, MissionControlQuery, MissionControlSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<
  MissionControlDataSource,
  MissionControlQuery,
  MissionControlOptions,
  MissionControlSecureJsonData
>(MissionControlDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
