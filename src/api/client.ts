import { lastValueFrom } from 'rxjs';
import { getBackendSrv, isFetchError } from '@grafana/runtime';

import datasourcePluginJson from '../datasource/plugin.json';
import {
  API_PATHS,
  type ApiPath,
  type ErrorResponse,
  type HealthResponse,
  type ReadRequest,
  type ReadResponse,
  type ReadyResponse,
  type WhoAmIResponse,
} from '../shared/api';

/**
 * The plugin's one client for the worker's HTTP API.
 *
 * Every request goes through Grafana's data source proxy: the browser calls
 * `/api/datasources/proxy/uid/<uid>/<route>/...` and Grafana forwards it to the data source's worker URL with the
 * decrypted API key added (the `routes` entry of datasource/plugin.json). So the client needs only the data source's
 * uid, and the key never reaches the browser.
 */

const WORKER_ROUTE = datasourcePluginJson.routes[0].path;

export function workerProxyUrl(datasourceUid: string): string {
  return `/api/datasources/proxy/uid/${encodeURIComponent(datasourceUid)}/${WORKER_ROUTE}`;
}

/** Why a request failed, in the terms a person fixing it needs. */
export type ApiErrorKind =
  /** Grafana's proxy could not connect to the worker URL (502 from the proxy). */
  | 'unreachable'
  /** Grafana's proxy gave up waiting for the worker (504). */
  | 'timeout'
  /** The worker had no valid key for the request (401). */
  | 'unauthorized'
  /** The key lacks a scope, or Grafana denies this user the data source (403). */
  | 'forbidden'
  /** No such path: an older worker, or not a worker at all (404). */
  | 'not-found'
  /** The request was rejected; the ErrorResponse says which field or position (400, 422). */
  | 'invalid'
  /** The worker is up but cannot serve yet (503). */
  | 'unavailable'
  /** Something answered 2xx with a body that is not a Mission Control JSON object. */
  | 'unexpected'
  | 'failed';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly kind: ApiErrorKind,
    readonly status: number,
    readonly body?: ErrorResponse
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Renders an ErrorResponse as one sentence, pointing at the field or position at fault. */
export function formatErrorResponse(body: ErrorResponse): string {
  const field = body.field ? ` (field "${body.field}")` : '';
  const position = body.position !== undefined ? ` at position ${body.position}` : '';
  return `${body.error}${field}${position}`;
}

export class MissionControlClient {
  private readonly baseUrl: string;

  constructor(datasourceUid: string) {
    this.baseUrl = workerProxyUrl(datasourceUid);
  }

  health(): Promise<HealthResponse> {
    return this.request<HealthResponse>('GET', API_PATHS.health);
  }

  /** Resolves for a not-ready store too: the worker answers 503 with the same body, and that is an answer. */
  ready(): Promise<ReadyResponse> {
    return this.request<ReadyResponse>('GET', API_PATHS.ready, { answerStatuses: [503] });
  }

  whoami(): Promise<WhoAmIResponse> {
    return this.request<WhoAmIResponse>('GET', API_PATHS.whoami);
  }

  /** `requestId` lets Grafana cancel the previous read of the same panel when a new one starts. */
  read(body: ReadRequest, requestId?: string): Promise<ReadResponse> {
    return this.request<ReadResponse>('POST', API_PATHS.read, { body, requestId });
  }

  private async request<T extends object>(
    method: 'GET' | 'POST',
    path: ApiPath,
    options: { body?: unknown; requestId?: string; answerStatuses?: number[] } = {}
  ): Promise<T> {
    let data: unknown;
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch<unknown>({
          method,
          url: this.baseUrl + path,
          data: options.body,
          requestId: options.requestId,
          // Callers show failures in context (the health check, the panel), so Grafana's global toast would repeat them.
          showErrorAlert: false,
          showSuccessAlert: false,
        })
      );
      data = response.data;
    } catch (err) {
      if (!(isFetchError(err) && options.answerStatuses?.includes(err.status) && isJsonObject(err.data))) {
        throw toApiError(err, path);
      }
      data = err.data;
    }
    if (!isJsonObject(data)) {
      throw new ApiError(`${path} did not answer with a Mission Control JSON object`, 'unexpected', 200);
    }
    return data as T;
  }
}

function isJsonObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isErrorResponse(value: unknown): value is ErrorResponse {
  return isJsonObject(value) && typeof (value as Partial<ErrorResponse>).error === 'string';
}

/** Grafana's own API errors (data source missing, access denied) carry `message` and no `error`. */
function grafanaMessage(value: unknown): string | undefined {
  const message = isJsonObject(value) ? (value as { message?: unknown }).message : undefined;
  return typeof message === 'string' && message !== '' ? message : undefined;
}

function kindOf(status: number): ApiErrorKind {
  switch (status) {
    case 400:
    case 422:
      return 'invalid';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 502:
      return 'unreachable';
    case 503:
      return 'unavailable';
    case 504:
      return 'timeout';
    default:
      return 'failed';
  }
}

/** What to say when the answer has no body to quote, which is how Grafana's proxy reports transport failures. */
const SILENT_STATUS_TEXT: Partial<Record<number, string>> = {
  401: 'the worker requires a valid API key',
  404: 'the worker has no such path',
  502: 'Grafana could not connect to the worker',
  504: 'the worker did not answer Grafana in time',
};

function toApiError(err: unknown, path: ApiPath): ApiError {
  if (!isFetchError(err)) {
    const reason = err instanceof Error ? err.message : String(err);
    return new ApiError(`request to ${path} failed: ${reason}`, 'failed', 0);
  }
  const body = isErrorResponse(err.data) ? err.data : undefined;
  const fromGrafana = grafanaMessage(err.data);
  const detail =
    (body && formatErrorResponse(body)) ??
    (fromGrafana && `Grafana: ${fromGrafana}`) ??
    SILENT_STATUS_TEXT[err.status] ??
    (err.statusText || 'request failed');
  return new ApiError(`${detail} (HTTP ${err.status} on ${path})`, kindOf(err.status), err.status, body);
}
