import { of, throwError, type Observable } from 'rxjs';
import type { BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';

import { workerProxyUrl } from '../api/client';
import { requestUrl } from './requestUrl';

interface Answer {
  status: number;
  data: unknown;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * Stands in for getBackendSrv() in tests. It answers requests to one data source's worker the way Grafana's
 * BackendSrv and data source proxy do: a 2xx answer arrives as a FetchResponse, anything else as a FetchError, and a
 * worker that is down as the proxy's 502 with an empty body.
 */
export class FakeWorker {
  readonly requests: BackendSrvRequest[] = [];
  private readonly answers = new Map<string, Answer>();
  private unreachable = false;

  constructor(private readonly datasourceUid: string) {}

  /**
   * The worker answers `path` (for example '/healthz') with this status and body. A path with a query string, written
   * decoded ('/graphite/metrics/find?query=servers.*'), answers only requests with those parameters in that order; a
   * path without one answers any.
   */
  answer(path: string, status: number, data: unknown): this {
    this.answers.set(path, { status, data });
    return this;
  }

  /** Grafana's proxy cannot connect: every request ends in a bare 502. */
  stop(): this {
    this.unreachable = true;
    return this;
  }

  readonly fetch = <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> => {
    this.requests.push(options);
    const base = workerProxyUrl(this.datasourceUid);
    let answer: Answer;
    if (!options.url.startsWith(base)) {
      answer = { status: 404, data: { message: 'Data source not found' } };
    } else if (this.unreachable) {
      answer = { status: 502, data: '' };
    } else {
      const pathAndQuery = decodeURIComponent(requestUrl(options).slice(base.length));
      const path = options.url.slice(base.length);
      answer = this.answers.get(pathAndQuery) ??
        this.answers.get(path) ?? { status: 404, data: { error: `no route for ${options.method} ${pathAndQuery}` } };
    }
    const statusText = STATUS_TEXT[answer.status] ?? '';
    if (answer.status >= 200 && answer.status < 300) {
      return of({
        data: answer.data as T,
        status: answer.status,
        statusText,
        ok: true,
        headers: {} as Headers,
        redirected: false,
        type: 'basic',
        url: options.url,
        config: options,
      });
    }
    const error: FetchError = { status: answer.status, statusText, data: answer.data, config: options };
    return throwError(() => error);
  };
}
