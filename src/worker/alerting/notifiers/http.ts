/**
 * The one HTTP client the webhook-style notifiers share: Node's fetch with a deadline, and an error that carries the
 * receiver's status and the start of its answer, which is what "send test" shows an operator. Errors never repeat the
 * URL: for Slack the URL is the secret.
 */
const TIMEOUT_MS = 10_000;
const ERROR_BODY_CHARS = 300;

export interface PostOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** POSTs a JSON body; resolves to the answer's text on a 2xx. */
export function postJson(url: string, body: unknown, opts: PostOptions = {}): Promise<string> {
  return post(url, JSON.stringify(body), { 'content-type': 'application/json', ...opts.headers }, opts.timeoutMs);
}

/** POSTs an HTML form, as SMS providers' APIs take it; resolves to the answer's text on a 2xx. */
export function postForm(url: string, fields: Record<string, string>, opts: PostOptions = {}): Promise<string> {
  const body = new URLSearchParams(fields).toString();
  return post(url, body, { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers }, opts.timeoutMs);
}

/** `Basic base64(user:password)`. */
export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs = TIMEOUT_MS
): Promise<string> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    text = await res.text();
  } catch (e) {
    // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, a timeout, a TLS problem).
    const cause = (e as Error & { cause?: Error }).cause;
    throw new Error(`could not reach the receiver: ${cause?.message ?? (e as Error).message}`);
  }
  if (!res.ok) {
    const snippet = text.length > ERROR_BODY_CHARS ? `${text.slice(0, ERROR_BODY_CHARS)}...` : text;
    throw new Error(`the receiver answered ${res.status} ${res.statusText}${snippet ? `: ${snippet}` : ''}`);
  }
  return text;
}
