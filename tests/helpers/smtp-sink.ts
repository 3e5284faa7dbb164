/**
 * A real SMTP server on 127.0.0.1 (the `smtp-server` package) that keeps what it receives, for tests of the worker's
 * mail: the envelope (who the message was really delivered to), the headers, and the text and HTML parts decoded
 * from quoted-printable or base64, so that tests can assert on what a person would read.
 */
import type { AddressInfo } from 'node:net';

import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  /** Lowercase names, unfolded, encoded words decoded. */
  headers: Record<string, string>;
  text: string;
  html?: string;
  raw: string;
}

export interface SmtpSinkOptions {
  /** Recipients refused with 550 at RCPT TO. */
  refuse?: string[];
  /** Require this user and password (AUTH PLAIN/LOGIN). */
  auth?: { user: string; password: string };
}

export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  private waiters: Array<() => void> = [];
  private readonly server: SMTPServer;

  private constructor(opts: SmtpSinkOptions) {
    this.server = new SMTPServer({
      // Plain SMTP on loopback: STARTTLS with the package's self-signed certificate would make clients refuse it.
      disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: !opts.auth,
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.password) {
          callback(null, { user: auth.username });
        } else {
          callback(new Error('invalid credentials'));
        }
      },
      onRcptTo(address, _session, callback) {
        if (opts.refuse?.includes(address.address)) {
          const err = new Error(`no mailbox ${address.address}`) as Error & { responseCode: number };
          err.responseCode = 550;
          callback(err);
        } else {
          callback();
        }
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          this.mails.push({ envelope, raw, ...parseMessage(raw) });
          for (const w of this.waiters.splice(0)) w();
          callback();
        });
      },
    });
  }

  static async start(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
    const sink = new SmtpSink(opts);
    await new Promise<void>((resolve, reject) => {
      sink.server.once('error', reject);
      sink.server.listen(0, '127.0.0.1', () => resolve());
    });
    return sink;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  /** Resolves once `count` mails have arrived in all. */
  async waitFor(count: number, timeoutMs = 5_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.mails.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} mails, received ${this.mails.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.mails.slice(0, count);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

interface Part {
  headers: Record<string, string>;
  text: string;
  html?: string;
}

function parseMessage(raw: string): Part {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.startsWith('multipart/') && boundary) {
    const parts = body
      .split(`--${boundary}`)
      .slice(1, -1)
      .map((p) => parseMessage(p.replace(/^\r\n/, '')));
    const text = parts.find((p) => p.text !== '')?.text ?? '';
    const html = parts.find((p) => p.html !== undefined)?.html;
    return { headers, text, html };
  }
  // SMTP carries CRLF line ends; the text as written had LF.
  const decoded = decodeBody(body, headers['content-transfer-encoding'] ?? '7bit').replace(/\r\n/g, '\n');
  return type.startsWith('text/html') ? { headers, text: '', html: decoded } : { headers, text: decoded };
}

function decodeBody(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body.replace(/\r\n$/, '');
  }
}

function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const text = s.replace(/=\r\n/g, '').replace(/\r\n$/, '');
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words, as nodemailer writes non-ASCII headers. */
function decodeWords(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_m, _charset: string, enc: string, data: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' '))
    );
}
