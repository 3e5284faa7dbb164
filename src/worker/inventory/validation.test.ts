import {
  checkDate,
  checkEmail,
  checkFqdn,
  checkHostname,
  checkIp,
  checkMac,
  checkPhone,
  checkRepository,
  checkUrl,
  formatPath,
  validateEntity,
  validateRenewal,
} from './validation';

const refs = { has: (kind: string, key: string) => kind === 'server' && key === 'web1.example.com' };

describe('value checks', () => {
  it.each([
    ['Web1.Example.COM.', 'web1.example.com'],
    ['db-2', 'db-2'],
    ['a.b-c.d1', 'a.b-c.d1'],
  ])('host name %s is %s', (input, out) => expect(checkHostname(input).value).toBe(out));

  it.each(['-web', 'web-', 'we b', 'web_1', 'a..b', `${'x'.repeat(64)}.com`, ''])('host name %j is refused', (v) =>
    expect(checkHostname(v).error).toBeDefined()
  );

  it.each([
    ['WWW.Example.com.', 'www.example.com'],
    ['*.example.com', '*.example.com'],
    ['_dmarc.example.com', '_dmarc.example.com'],
  ])('FQDN %s is %s', (input, out) => expect(checkFqdn(input).value).toBe(out));

  it.each(['localhost', 'www.*.example.com', 'example.123', 'a.-b.com', 'exa mple.com'])('FQDN %j is refused', (v) =>
    expect(checkFqdn(v).error).toMatch(/fully qualified/)
  );

  it.each([
    ['192.0.2.1', '192.0.2.1', 4],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1', 6],
    ['::ffff:192.0.2.1', '::ffff:c000:201', 6],
    [' 10.0.0.1 ', '10.0.0.1', 4],
  ])('address %s is %s (IPv%d)', (input, address, family) => expect(checkIp(input).value).toEqual({ address, family }));

  it.each(['256.1.1.1', '10.0.0', 'fe80::1%eth0', '2001:db8::g', 'web1'])('address %j is refused', (v) =>
    expect(checkIp(v).error).toMatch(/not an IPv4 or IPv6 address/)
  );

  it('normalizes MACs and refuses malformed ones', () => {
    expect(checkMac('AA-BB-CC-00-11-22').value).toBe('aa:bb:cc:00:11:22');
    expect(checkMac('aa:bb-cc:00:11:22').error).toBeDefined();
    expect(checkMac('aa:bb:cc:00:11').error).toBeDefined();
  });

  it('checks mail addresses, phones, URLs and repositories', () => {
    expect(checkEmail('ann@example.edu').value).toBe('ann@example.edu');
    expect(checkEmail('Ann <ann@example.edu>').error).toBeDefined();
    expect(checkEmail('ann@localhost').error).toMatch(/invalid domain/);
    expect(checkPhone('+1 (212) 555-0101 ext 12').value).toBeDefined();
    expect(checkPhone('call me').error).toBeDefined();
    expect(checkUrl('https://wiki.example.edu/runbook').value).toBeDefined();
    expect(checkUrl('ftp://example.edu/x').error).toBeDefined();
    expect(checkRepository('git@github.com:ccnmtl/mediathread.git').value).toBeDefined();
    expect(checkRepository('ssh://git@example.edu/repo.git').value).toBeDefined();
    expect(checkRepository('mediathread').error).toBeDefined();
  });

  it('accepts calendar days only', () => {
    expect(checkDate('2024-02-29').value).toBe('2024-02-29');
    expect(checkDate('2025-02-29').error).toMatch(/not a day/);
    expect(checkDate('2025-1-1').error).toMatch(/YYYY-MM-DD/);
  });

  it('formats paths as the API names fields', () => {
    expect(formatPath(['servers', 3, 'addresses', 0, 'address'])).toBe('servers[3].addresses[0].address');
  });
});

describe('validateEntity', () => {
  it('returns the normal form: fields in order, defaults filled, empty ones left out, lists present', () => {
    const { doc, issues } = validateEntity('server', { cpus: 2, hostname: 'Web2', description: null }, refs);
    expect(issues).toEqual([]);
    expect(Object.keys(doc)).toEqual(['hostname', 'cpus', 'status', 'addresses', 'contacts']);
    expect(doc).toMatchObject({ hostname: 'web2', status: 'active' });
  });

  it('collects every fault with its path, and suggests the field a typo meant', () => {
    const { issues } = validateEntity(
      'server',
      { hostname: 'x', memoryGB: 4, addresses: [{ address: '10.0.0.1', port: 22 }, 7], contacts: {} },
      refs
    );
    expect(issues).toEqual([
      { path: ['memoryGB'], message: 'unknown field (did you mean "memoryGb"?)', atKey: true },
      { path: ['addresses', 0, 'port'], message: 'unknown field (known: address, mac, interface)', atKey: true },
      { path: ['addresses', 1], message: 'must be an address or a mapping with address, mac, interface' },
      { path: ['contacts'], message: 'must be a list' },
    ]);
  });

  it('checks what an alias points at against its record type', () => {
    const alias = (fields: object) => validateEntity('alias', { fqdn: 'www.example.com', ...fields }, refs);
    expect(alias({ type: 'CNAME', server: 'web1.example.com' }).issues).toEqual([]);
    expect(alias({ type: 'A', target: '192.0.2.1' }).doc).toMatchObject({ target: '192.0.2.1', status: 'pending' });
    expect(alias({ type: 'AAAA', target: '2001:DB8::1' }).doc.target).toBe('2001:db8::1');
    expect(alias({ type: 'CNAME', target: 'WWW.example.com.' }).issues[0]!.message).toBe(
      'an alias cannot point at itself'
    );
    expect(alias({ type: 'TXT', server: 'web1.example.com' }).issues[0]!.path).toEqual(['server']);
    expect(alias({ type: 'TXT', target: 'v=spf1 -all' }).issues).toEqual([]);
    expect(alias({ type: 'A', server: 'web9.example.com' }).issues).toEqual([
      { path: ['server'], message: 'no server "web9.example.com"' },
    ]);
  });
});

describe('validateRenewal', () => {
  it('needs a name and a start not after the end', () => {
    expect(validateRenewal({ name: 'x', start: '2025-01-02', end: '2025-01-01' }).issues).toEqual([
      { path: ['end'], message: 'ends (2025-01-01) before it starts (2025-01-02)' },
    ]);
    expect(validateRenewal({ start: '2025-01-01', end: '2025-01-01' }).issues[0]!.path).toEqual(['name']);
  });
});
