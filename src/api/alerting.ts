import {
  ALERTING_PATHS,
  type AlertAck,
  type AlertAckSpec,
  type AlertAcksResponse,
  type AlertHistoryResponse,
  type AlertInstance,
  type AlertInstancesResponse,
  type AlertNotificationRecord,
  type AlertNotificationsResponse,
  type AlertNotifierInfo,
  type AlertNotifierSpec,
  type AlertNotifiersResponse,
  type AlertNotifierTestResponse,
  type AlertPreviewRequest,
  type AlertPreviewResponse,
  type AlertRuleResponse,
  type AlertRulesResponse,
  type AlertRuleSpec,
  type AlertSilence,
  type AlertSilenceSpec,
  type AlertSilencesResponse,
  type AlertState,
  type AlertTransition,
  type ErrorResponse,
} from '../shared/api';

/**
 * The worker's alerting API (ALERTING_PATHS) as typed calls. It owns no transport: MissionControlClient hands it its
 * own request functions (client.alerting), so alerting goes through the same data source proxy and error handling as
 * every other call.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface AlertingRequestOptions {
  body?: unknown;
  params?: Record<string, string | number | string[] | undefined>;
}

export interface AlertingTransport {
  /** The answer, which must be a JSON object; failures are ApiErrors. */
  object(method: HttpMethod, path: string, options?: AlertingRequestOptions): Promise<object>;
  /** For answers without a body (204 to a DELETE). */
  none(method: HttpMethod, path: string): Promise<void>;
}

/** A 400 from the alerting API: the first fault in `error`/`field`, every fault in `errors`. */
export interface AlertingErrorResponse extends ErrorResponse {
  errors?: Array<{ field?: string; error: string }>;
}

/** Fills the `:uid`, `:name` and `:id` parameters of an ALERTING_PATHS template. */
export function alertingPath(template: string, id: string): string {
  return template.replace(/:(uid|name|id)\b/, encodeURIComponent(id));
}

/** Filters of GET instances; `labels` are `name=value` pairs that must all match. */
export interface InstanceFilter {
  state?: AlertState;
  rule?: string;
  labels?: string[];
}

/** Filters of GET history and GET notifications; times in Unix seconds. */
export interface HistoryFilter {
  rule?: string;
  key?: string;
  from?: number;
  until?: number;
  limit?: number;
}

export class AlertingApi {
  constructor(private readonly transport: AlertingTransport) {}

  rules(): Promise<AlertRulesResponse> {
    return this.get<AlertRulesResponse>(ALERTING_PATHS.rules);
  }

  /** The rule with its instances. */
  rule(uid: string): Promise<AlertRuleResponse> {
    return this.get<AlertRuleResponse>(alertingPath(ALERTING_PATHS.rule, uid));
  }

  createRule(spec: AlertRuleSpec): Promise<AlertRuleResponse> {
    return this.call<AlertRuleResponse>('POST', ALERTING_PATHS.rules, spec);
  }

  updateRule(spec: AlertRuleSpec): Promise<AlertRuleResponse> {
    return this.call<AlertRuleResponse>('PUT', alertingPath(ALERTING_PATHS.rule, spec.uid), spec);
  }

  deleteRule(uid: string): Promise<void> {
    return this.transport.none('DELETE', alertingPath(ALERTING_PATHS.rule, uid));
  }

  /** Evaluates a rule that need not be saved; per-field faults come back as a 400 with `rule.<field>`. */
  preview(request: AlertPreviewRequest): Promise<AlertPreviewResponse> {
    return this.call<AlertPreviewResponse>('POST', ALERTING_PATHS.preview, request);
  }

  async instances(filter: InstanceFilter = {}): Promise<AlertInstance[]> {
    const params = { state: filter.state, rule: filter.rule, label: filter.labels };
    const answer = await this.get<AlertInstancesResponse>(ALERTING_PATHS.instances, params);
    return answer.instances;
  }

  /** State transitions, newest first. */
  async history(filter: HistoryFilter = {}): Promise<AlertTransition[]> {
    const answer = await this.get<AlertHistoryResponse>(ALERTING_PATHS.history, { ...filter });
    return answer.transitions;
  }

  /** Notification attempts, newest first. */
  async notifications(filter: HistoryFilter = {}): Promise<AlertNotificationRecord[]> {
    const answer = await this.get<AlertNotificationsResponse>(ALERTING_PATHS.notifications, { ...filter });
    return answer.notifications;
  }

  async silences(): Promise<AlertSilence[]> {
    return (await this.get<AlertSilencesResponse>(ALERTING_PATHS.silences)).silences;
  }

  createSilence(spec: AlertSilenceSpec): Promise<AlertSilence> {
    return this.call<AlertSilence>('POST', ALERTING_PATHS.silences, spec);
  }

  /** Ends a silence now; it stays listed as expired. */
  expireSilence(id: string): Promise<void> {
    return this.transport.none('DELETE', alertingPath(ALERTING_PATHS.silence, id));
  }

  async acks(): Promise<AlertAck[]> {
    return (await this.get<AlertAcksResponse>(ALERTING_PATHS.acks)).acks;
  }

  createAck(spec: AlertAckSpec): Promise<AlertAck> {
    return this.call<AlertAck>('POST', ALERTING_PATHS.acks, spec);
  }

  deleteAck(id: string): Promise<void> {
    return this.transport.none('DELETE', alertingPath(ALERTING_PATHS.ack, id));
  }

  /** Secrets come back as ALERT_SECRET_MASK, and `secureFields` names them. */
  async notifiers(): Promise<AlertNotifierInfo[]> {
    return (await this.get<AlertNotifiersResponse>(ALERTING_PATHS.notifiers)).notifiers;
  }

  /** A secret sent back as ALERT_SECRET_MASK keeps its stored value. */
  updateNotifier(spec: AlertNotifierSpec): Promise<AlertNotifierInfo> {
    return this.call<AlertNotifierInfo>('PUT', alertingPath(ALERTING_PATHS.notifier, spec.name), spec);
  }

  /** Sends a test message; a notifier that fails answers 200 with `ok: false` and the reason. */
  testNotifier(name: string): Promise<AlertNotifierTestResponse> {
    return this.call<AlertNotifierTestResponse>('POST', alertingPath(ALERTING_PATHS.notifierTest, name), {});
  }

  private async get<T extends object>(path: string, params?: AlertingRequestOptions['params']): Promise<T> {
    return (await this.transport.object('GET', path, { params })) as T;
  }

  private async call<T extends object>(method: HttpMethod, path: string, body: unknown): Promise<T> {
    return (await this.transport.object(method, path, { body })) as T;
  }
}

/**
 * The per-field faults of a rejected request, keyed by field (`rule.` stripped, so a preview's faults land on the
 * editor's fields too); the first fault wins for a field.
 */
export function fieldErrors(body: AlertingErrorResponse | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  if (!body) {
    return result;
  }
  const faults = body.errors && body.errors.length > 0 ? body.errors : [{ field: body.field, error: body.error }];
  for (const fault of faults) {
    const field = (fault.field ?? '').replace(/^rule\.?/, '');
    if (!(field in result)) {
      result[field] = fault.error;
    }
  }
  return result;
}
