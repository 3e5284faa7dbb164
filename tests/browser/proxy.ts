/**
 * The browser tests' stand-in for Grafana's server: serves the test page, and forwards
 * /api/datasources/proxy/uid/<uid>/worker/* to the real worker with `Authorization: Bearer <key>` added, as Grafana's
 * data source proxy does for the `worker` route of the data source's plugin.json. The browser never has the key.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

/** Grafana serves its icons from public/build/img/icons/; @grafana/ui ships the same files. */
const ICONS = join(__dirname, '..', '..', 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');
const ICON_PATH = '/public/build/img/icons/';

export interface ProxyOptions {
  /** The worker's base URL, as the data source's jsonData.url. */
  workerUrl: string;
  key: string;
  /** The only data source uid the proxy knows; others get Grafana's "Data source not found". */
  uid: string;
  route: string;
  pageDir: string;
}

export interface RunningProxy {
  url: string;
  /** Every path the browser asked the data source proxy for, in order. */
  forwarded: string[];
  /** Requests from the browser that carried an Authorization header of their own (there should be none). */
  leakedKeys: number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const prefix = '/api/datasources/proxy/uid/';
  const state = { forwarded: [] as string[], leakedKeys: 0 };

  const forward = async (req: http.IncomingMessage, res: http.ServerResponse, path: string) => {
    if (req.headers.authorization) {
      state.leakedKeys++;
    }
    state.forwarded.push(path);
    const body = await readBody(req);
    let answer: Response;
    try {
      answer = await fetch(options.workerUrl.replace(/\/$/, '') + path, {
        method: req.method,
        headers: {
          authorization: `Bearer ${options.key}`,
          ...(req.headers['content-type'] ? { 'content-type': req.headers['content-type'] } : {}),
        },
        body: body.length > 0 ? new Uint8Array(body) : undefined,
      });
    } catch {
      // What Grafana's proxy answers when it cannot connect: a bare 502.
      res.writeHead(502);
      res.end();
      return;
    }
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith(prefix)) {
      const [uid, route, ...rest] = url.pathname.slice(prefix.length).split('/');
      if (uid !== options.uid || route !== options.route) {
        json(res, 404, { message: 'Data source not found' });
        return;
      }
      void forward(req, res, `/${rest.join('/')}${url.search}`);
      return;
    }
    const [root, path] = url.pathname.startsWith(ICON_PATH)
      ? [ICONS, url.pathname.slice(ICON_PATH.length)]
      : [options.pageDir, url.pathname === '/' ? 'index.html' : url.pathname];
    const file = normalize(join(root, path));
    if (!file.startsWith(root) || !existsSync(file)) {
      json(res, 404, { message: 'Not found' });
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get forwarded() {
      return state.forwarded;
    },
    get leakedKeys() {
      return state.leakedKeys;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The browser keeps connections alive; close does not wait for them.
        server.closeAllConnections();
      }),
  };
}
