import type { Observable } from 'rxjs';
import type { BackendSrvRequest, FetchResponse } from '@grafana/runtime';

import type { AlertingErrorResponse, HttpMethod } from '../api/alerting';
import { workerProxyUrl } from '../api/client';
import type {
  AlertAck,
  AlertAcksResponse,
  AlertHistoryResponse,
  AlertInstancesResponse,
  AlertNotificationsResponse,
  AlertNotifierTestResponse,
  AlertNotifiersResponse,
  AlertPreviewRequest,
  AlertPreviewResponse,
  AlertRuleResponse,
  AlertRulesResponse,
  AlertSilence,
  AlertSilencesResponse,
  ErrorResponse,
} from '../shared/api';
import { FakeWorker } from './fakeWorker';
import { recordings } from './recorded/alerting';

/**
 * Alerting answers recorded from a real worker (see recorded/alerting.ts for how): four provisioned rules and the
 * API-made "web-load", whose web3 instance is alerting; a silence created and expired; an acknowledgement; three
 * provisioned notifiers, two with a secret, whose test sends fail (no mail server, no Slack).
 */

export const rules = recordings.rules.body as AlertRulesResponse;
export const loadHigh = recordings.ruleLoadHigh.body as AlertRuleResponse;
export const webLoad = recordings.ruleWebLoad.body as AlertRuleResponse;
export const instances = recordings.instances.body as AlertInstancesResponse;
/** The instances once ben has acknowledged every instance of disk-full (and the silence on web3 has expired). */
export const instancesAcknowledged = recordings.instancesAfter.body as AlertInstancesResponse;
export const history = recordings.history.body as AlertHistoryResponse;
export const webLoadHistory = recordings.historyWebLoad.body as AlertHistoryResponse;
export const notifications = recordings.notifications.body as AlertNotificationsResponse;
export const previewRequest = recordings.preview.request.body as AlertPreviewRequest;
export const preview = recordings.preview.body as AlertPreviewResponse;
/** 400 to a preview whose window and reducer are wrong. */
export const previewInvalid = recordings.previewInvalid.body as AlertingErrorResponse;
/** 400 to a PUT with no target and a wrong window. */
export const ruleInvalid = recordings.ruleInvalid.body as AlertingErrorResponse;
/** 409 to a PUT of a provisioned rule. */
export const provisionedPut = recordings.ruleProvisionedPut.body as ErrorResponse;
export const silenceCreateRequest = recordings.silenceCreate.request.body;
export const silenceCreated = recordings.silenceCreate.body as AlertSilence;
export const silenceInvalid = recordings.silenceInvalid.body as AlertingErrorResponse;
export const silences = recordings.silences.body as AlertSilencesResponse;
export const silencesAfterExpire = recordings.silencesAfterExpire.body as AlertSilencesResponse;
export const ackCreated = recordings.ackCreate.body as AlertAck;
export const acks = recordings.acks.body as AlertAcksResponse;
export const notifiers = recordings.notifiers.body as AlertNotifiersResponse;
export const notifierTestMail = recordings.notifierTest.body as AlertNotifierTestResponse;

/**
 * A FakeWorker that tells methods apart: the alerting API answers GET and POST on the same path (list and create a
 * silence), and FakeWorker keys its answers by path alone.
 */
export class AlertingWorker {
  readonly worker: FakeWorker;
  private readonly answers = new Map<string, { status: number; data: unknown }>();

  constructor(private readonly datasourceUid = 'mc-prod') {
    this.worker = new FakeWorker(datasourceUid);
  }

  get requests(): BackendSrvRequest[] {
    return this.worker.requests;
  }

  answer(method: HttpMethod, path: string, status: number, data: unknown): this {
    this.answers.set(`${method} ${path}`, { status, data });
    return this;
  }

  /** The requests made with this method to this path (query string ignored). */
  sent(method: HttpMethod, path: string): BackendSrvRequest[] {
    const url = workerProxyUrl(this.datasourceUid) + path;
    return this.requests.filter((r) => r.method === method && r.url === url);
  }

  readonly fetch = <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> => {
    const path = options.url.slice(workerProxyUrl(this.datasourceUid).length);
    const answer = this.answers.get(`${options.method ?? 'GET'} ${path}`);
    if (answer) {
      this.worker.answer(path, answer.status, answer.data);
    }
    return this.worker.fetch<T>(options);
  };
}
