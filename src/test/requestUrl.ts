import { urlUtil } from '@grafana/data';
import type { BackendSrvRequest } from '@grafana/runtime';

/**
 * The URL Grafana's BackendSrv requests for these options: parameters that are undefined or empty are left out, an
 * array repeats its parameter, and values are encoded as Grafana encodes them.
 */
export function requestUrl(options: Pick<BackendSrvRequest, 'url' | 'params'>): string {
  const params = Object.fromEntries(
    Object.entries(options.params ?? {}).filter(([, v]) => v !== undefined && v !== null && v.length !== 0)
  );
  const query = urlUtil.toUrlParams(params);
  return query === '' ? options.url : `${options.url}?${query}`;
}
