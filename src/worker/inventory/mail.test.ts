import type { AliasDetail, ServerDetail } from '../../shared/api';
import { aliasChangeMail, aliasConfirmedMail, aliasRequestMail, type AliasMailContext } from './mail';

const alias = (fields: Partial<AliasDetail>): AliasDetail => ({
  id: 1,
  entity: 'alias:www.example.com',
  fqdn: 'www.example.com',
  type: 'A',
  status: 'pending',
  applications: [],
  notes: [],
  renewals: [],
  ...fields,
});

const server = {
  hostname: 'web1.example.com',
  addresses: [{ address: '192.0.2.1' }, { address: '2001:db8::1' }, { address: '192.0.2.2' }],
  location: 'nyc1',
} as ServerDetail;

const ctx = (a: AliasDetail, s?: ServerDetail): AliasMailContext => ({
  alias: a,
  server: s,
  requestedBy: 'dev@example.com',
  actor: 'ann',
  time: Date.UTC(2026, 0, 2, 3, 4),
});

describe('alias mails', () => {
  it('resolve an A or AAAA record for a server to its addresses of that family, one zone line each', () => {
    const a = aliasRequestMail('hm@example.com', ctx(alias({ server: 'web1.example.com' }), server));
    expect(a).toMatchObject({ to: ['hm@example.com'], cc: ['dev@example.com'] });
    expect(a.text).toContain('    www.example.com.  IN  A  192.0.2.1\n    www.example.com.  IN  A  192.0.2.2\n');
    expect(a.text).toContain('Location:     nyc1\n');
    expect(a.text).toContain('Sent by:      ann through Mission Control, 2026-01-02T03:04Z\n');
    const aaaa = aliasRequestMail('hm@example.com', ctx(alias({ type: 'AAAA', server: 'web1.example.com' }), server));
    expect(aaaa.text).toContain('IN  AAAA  2001:db8::1\n');
  });

  it('say plainly when the server has no address for the record', () => {
    const m = aliasRequestMail(
      'hm',
      ctx(alias({ server: 'web2' }), { hostname: 'web2', addresses: [] } as unknown as ServerDetail)
    );
    expect(m.text).toContain('www.example.com.  IN  A  ?');
    expect(m.text).toContain('Points at:    server web2 (no IPv4 address recorded in the inventory)');
  });

  it('write CNAME targets absolute and TXT values quoted', () => {
    const cname = aliasRequestMail('hm', ctx(alias({ type: 'CNAME', target: 'lb.example.net' })));
    expect(cname.text).toContain('www.example.com.  IN  CNAME  lb.example.net.');
    const txt = aliasRequestMail('hm', ctx(alias({ fqdn: '_x.example.com', type: 'TXT', target: 'v=spf1 "a" -all' })));
    expect(txt.text).toContain('_x.example.com.  IN  TXT  "v=spf1 \\"a\\" -all"');
  });

  it('show the change against the record before, and confirm to the requester', () => {
    const before = alias({ type: 'A', target: '192.0.2.9', status: 'active' });
    const after = alias({ type: 'CNAME', server: 'web1.example.com' });
    const change = aliasChangeMail('hm', { ...ctx(after, server), previous: { alias: before } });
    expect(change.subject).toBe('DNS change: www.example.com now CNAME web1.example.com');
    expect(change.text).toContain('Was:          A 192.0.2.9\n');
    expect(change.text).toContain('IN  CNAME  web1.example.com.');
    const done = aliasConfirmedMail(undefined, ctx(alias({ status: 'active', target: '192.0.2.9' })));
    expect(done).toMatchObject({ to: ['dev@example.com'], cc: [], subject: 'DNS alias active: www.example.com' });
  });

  it('escape what people typed in the HTML part', () => {
    const m = aliasRequestMail('hm', {
      ...ctx(alias({ target: '192.0.2.1', description: '<script>x</script>' })),
      reason: 'a & b',
    });
    expect(m.html).toContain('&#60;script&#62;x&#60;/script&#62;');
    expect(m.html).toContain('a &#38; b');
    expect(m.html).not.toContain('<script>');
  });
});
