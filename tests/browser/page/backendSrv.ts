import { defer, type Observable } from 'rxjs';
import type { BackendSrv, BackendSrvRequest, FetchError, FetchResponse } from '@grafana/runtime';

import { requestUrl } from '../../../src/test/requestUrl';

/**
 * Grafana's BackendSrv.fetch over the browser's fetch, for pages that run the plugin outside Grafana (the browser
 * tests): same URL encoding, JSON bodies both ways, and a FetchError for every status that is not 2xx, as Grafana's
 * own implementation gives them.
 */
export function fetchBackendSrv(): BackendSrv {
  const fetchObservable = <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> =>
    defer(async () => {
      const body = options.data === undefined ? undefined : JSON.stringify(options.data);
      const response = await fetch(requestUrl(options), {
        method: options.method ?? 'GET',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body,
      });
      const text = await response.text();
      let data: unknown = text;
      try {
        data = text === '' ? undefined : JSON.parse(text);
      } catch {
        // Not JSON (an HTML error page, a bare proxy error): passed on as text, as Grafana does.
      }
      if (!response.ok) {
        const error: FetchError = {
          status: response.status,
          statusText: response.statusText,
          data,
          config: options,
        };
        throw error;
      }
      return {
        data: data as T,
        status: response.status,
        statusText: response.statusText,
        ok: true,
        headers: response.headers,
        redirected: response.redirected,
        type: response.type,
        url: response.url,
        config: options,
      };
    });
  return { fetch: fetchObservable } as unknown as BackendSrv;
}
