/**
 * The other side of every notifier, on 127.0.0.1: an HTTP receiver that records requests (webhooks, Slack, SMS
 * gateways, Alertmanager's own webhook) and a real SMTP server (the smtp-server package) that records mails, with
 * just enough MIME parsing to find the inline images.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { SMTPServer } from 'smtp-server';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON or as a form, when it is one. */
  body: unknown;
}

/** Polls `find` until it answers something other than undefined. */
export async function waitFor<T>(
  what: string,
  find: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export class HttpReceiver {
  readonly requests: ReceivedRequest[] = [];
  private server!: http.Server;
  port = 0;

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let body: unknown = text;
        if ((req.headers['content-type'] ?? '').includes('json')) body = JSON.parse(text);
        else if ((req.headers['content-type'] ?? '').includes('form-urlencoded'))
          body = Object.fromEntries(new URLSearchParams(text));
        this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, text, body });
        // Vonage's success answer; every other caller only looks at the status.
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"message-count":"1","messages":[{"status":"0"}]}');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  on(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path || r.path.startsWith(`${path}/`));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export interface MimePart {
  headers: Record<string, string>;
  /** Decoded. */
  body: Buffer;
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  /** Every leaf part, depth first. */
  parts: MimePart[];
}

export class SmtpReceiver {
  readonly mails: ReceivedMail[] = [];
  private server!: SMTPServer;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      // Plain SMTP on loopback: nodemailer would otherwise upgrade and refuse the server's self-signed certificate.
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('latin1');
          const { headers, parts } = parseMime(raw);
          this.mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            subject: headers.subject ?? '',
            parts,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Headers (lower-case names, folded lines joined) and the leaf parts of a MIME message. */
export function parseMime(raw: string): { headers: Record<string, string>; parts: MimePart[] } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  if (!boundary) {
    const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
    const decoded =
      encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64') : Buffer.from(body, 'latin1');
    return { headers, parts: [{ headers, body: decoded }] };
  }
  const parts: MimePart[] = [];
  for (const chunk of body.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    parts.push(...parseMime(chunk.replace(/^\r\n/, '')).parts);
  }
  return { headers, parts };
}
