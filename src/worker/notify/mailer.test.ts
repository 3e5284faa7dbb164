import { SmtpSink } from '../../../tests/helpers/smtp-sink';
import { SmtpMailer, createMailer } from './mailer';

describe('SmtpMailer against an SMTP server on loopback', () => {
  let sink: SmtpSink;
  let mailer: SmtpMailer;

  afterEach(async () => {
    mailer?.close();
    await sink.stop();
  });

  it('delivers to every recipient, with the configured sender, both parts and attachments', async () => {
    sink = await SmtpSink.start({ auth: { user: 'mc', password: 's3cret' } });
    mailer = new SmtpMailer({
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      user: 'mc',
      password: 's3cret',
      from: 'Mission Control <mc@example.com>',
    });
    await mailer.send({
      to: ['ops@example.com', 'dev@example.com'],
      cc: 'boss@example.com',
      subject: 'Disk full on web1 — 95 %',
      text: 'The disk is at 95 %.\nSee the graph.',
      html: '<p>The disk is at <b>95 %</b>.</p><img src="cid:graph24h">',
      attachments: [{ filename: 'graph.png', content: Buffer.from('png'), contentType: 'image/png', cid: 'graph24h' }],
    });
    const [mail] = await sink.waitFor(1);
    expect(mail!.envelope).toEqual({
      from: 'mc@example.com',
      to: ['ops@example.com', 'dev@example.com', 'boss@example.com'],
    });
    expect(mail!.headers).toMatchObject({
      from: 'Mission Control <mc@example.com>',
      to: 'ops@example.com, dev@example.com',
      cc: 'boss@example.com',
      subject: 'Disk full on web1 — 95 %',
    });
    expect(mail!.text).toBe('The disk is at 95 %.\nSee the graph.');
    expect(mail!.raw).toMatch(/Content-Id: <graph24h>/i);
  });

  it('fails when the server refuses a recipient, even if it accepted others', async () => {
    sink = await SmtpSink.start({ refuse: ['nobody@example.com'] });
    mailer = new SmtpMailer({ host: '127.0.0.1', port: sink.port, secure: false, from: 'mc@example.com' });
    await expect(
      mailer.send({ to: ['ops@example.com', 'nobody@example.com'], subject: 's', text: 't' })
    ).rejects.toThrow(/nobody@example\.com/);
  });
});

it('createMailer makes none without an smtp section', () => {
  expect(createMailer(undefined)).toBeUndefined();
});
