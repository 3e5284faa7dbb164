/**
 * Outgoing mail for every part of the worker that writes to people: alert notifications and the inventory's
 * hostmaster requests. Callers compose a message and hand it to a Mailer; only this module knows about SMTP, so tests
 * and future transports (an HTTP mail API) replace one small interface.
 */
import nodemailer, { type Transporter } from 'nodemailer';

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType?: string;
  /** Content-ID, for images the HTML part shows inline (`<img src="cid:...">`). */
  cid?: string;
}

export interface MailMessage {
  to: string | readonly string[];
  cc?: string | readonly string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: readonly MailAttachment[];
}

export interface Mailer {
  /** Resolves once the server accepted the message for every recipient; rejects with the server's answer otherwise. */
  send(msg: MailMessage): Promise<void>;
}

/** The worker configuration's `smtp:` section, resolved. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465). Otherwise STARTTLS is used when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
  /** The From header: an address or `Display Name <address>`. */
  from: string;
}

/**
 * Connection and reply limits. nodemailer waits minutes by default; a request that mails the hostmaster, or an
 * alert evaluation, must not hang that long on a dead server.
 */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(private readonly settings: SmtpSettings) {
    this.transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: settings.user !== undefined ? { user: settings.user, pass: settings.password ?? '' } : undefined,
      ...TIMEOUTS,
    });
  }

  async send(msg: MailMessage): Promise<void> {
    const list = (v: string | readonly string[] | undefined) => (typeof v === 'string' ? [v] : v ? [...v] : []);
    const info = await this.transport.sendMail({
      from: this.settings.from,
      to: list(msg.to),
      cc: list(msg.cc),
      subject: msg.subject,
      text: msg.text,
      html: msg.html,
      attachments: msg.attachments?.map((a) => ({ ...a })),
    });
    // nodemailer resolves even when the server refused some recipients; a partly delivered message is a failure here.
    if (info.rejected.length > 0) {
      throw new Error(`the SMTP server refused ${info.rejected.map(String).join(', ')}`);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** A mailer for the configured server, or undefined when no `smtp:` section is configured. */
export function createMailer(settings: SmtpSettings | undefined): SmtpMailer | undefined {
  return settings ? new SmtpMailer(settings) : undefined;
}
