import { of } from 'rxjs';
import {
  DataSourceApi,
  type CoreApp,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';

import { checkConnection } from '../api/checks';
import { MissionControlClient } from '../api/client';
import { framesToAnnotations, readResponseToQueryResponse } from './frames';
import { DEFAULT_QUERY, type MissionControlOptions, type MissionControlQuery } from './types';

/**
 * The Mission Control data source. It has no backend of its own: it talks to the worker through Grafana's data source
 * proxy (see the client), which is also why it cannot serve Grafana-managed alert rules (the built-in Graphite data
 * source pointed at the worker's render API can).
 */
export class MissionControlDataSource extends DataSourceApi<MissionControlQuery, MissionControlOptions> {
  private readonly client: MissionControlClient;
  private readonly workerUrl: string;

  constructor(instanceSettings: DataSourceInstanceSettings<MissionControlOptions>) {
    super(instanceSettings);
    this.client = new MissionControlClient(instanceSettings.uid);
    this.workerUrl = instanceSettings.jsonData.url?.trim() ?? '';
    // Annotation queries use the normal query editor and query(); only the frames-to-events step is ours.
    this.annotations = {
      processEvents: (_annotation, frames) => of(framesToAnnotations(frames)),
    };
  }

  getDefaultQuery(_app: CoreApp): Partial<MissionControlQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: MissionControlQuery): boolean {
    return !query.hide && (query.glob ?? '').trim() !== '';
  }

  async query(request: DataQueryRequest<MissionControlQuery>): Promise<DataQueryResponse> {
    const templateSrv = getTemplateSrv();
    const targets = request.targets
      .filter((query) => this.filterQuery(query))
      .map((query) => ({ refId: query.refId, glob: templateSrv.replace(query.glob, request.scopedVars) }));
    if (targets.length === 0) {
      return { data: [] };
    }
    const response = await this.client.read(
      {
        targets,
        from: request.range.from.valueOf() / 1000,
        until: request.range.to.valueOf() / 1000,
        step: request.intervalMs > 0 ? request.intervalMs / 1000 : undefined,
      },
      request.requestId
    );
    return readResponseToQueryResponse(response);
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    if (this.workerUrl === '') {
      return {
        status: 'error',
        message: 'No worker URL is set.',
        details: {
          message:
            'Enter the URL at which the Grafana server reaches the worker (scheme, host and port), then click Save & test.',
        },
      };
    }
    const results = await checkConnection(this.client, this.workerUrl);
    const failures = results.filter((result) => result.status === 'failed');
    if (failures.length === 0) {
      return { status: 'success', message: results.map((result) => result.message).join(' ') };
    }
    return {
      status: 'error',
      message: failures.map((failure) => `${failure.label}: ${failure.message}`).join(' '),
      details: { message: failures.map((failure) => failure.fix).join(' ') },
    };
  }
}
