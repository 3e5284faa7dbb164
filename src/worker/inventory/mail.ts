/**
 * The mails of the alias workflow, written so that the hostmaster can act on them without looking anything up: the
 * record as a zone-file line with the values resolved (an A record for a server lists the server's IPv4 addresses),
 * the registrar, who changes the DNS, the applications, who asked and why. Plexus's point was "no more copy and paste
 * errors"; the zone lines are there to be pasted.
 */
import type { AliasDetail, ServerDetail } from '../../shared/api';
import type { MailMessage } from '../notify/mailer';

export interface AliasMailContext {
  alias: AliasDetail;
  /** The server the alias points at, when it points at one. */
  server?: ServerDetail;
  /** For a change: the record before it. */
  previous?: { alias: AliasDetail; server?: ServerDetail };
  requestedBy: string;
  reason?: string;
  /** Who made the request through the API (the Grafana user or the key). */
  actor: string;
  /** ms */
  time: number;
}

/** The request: to the hostmaster, the requester in copy. */
export function aliasRequestMail(hostmaster: string, ctx: AliasMailContext): MailMessage {
  const { alias } = ctx;
  return compose({
    to: [hostmaster],
    cc: [ctx.requestedBy],
    subject: `DNS request: ${alias.fqdn} ${alias.type} ${pointsAt(alias)}`,
    intro: `Please add this DNS record for ${alias.fqdn}:`,
    ctx,
    outro:
      'The alias stays pending in Mission Control until the change is confirmed there (Inventory › Aliases › Confirm).',
  });
}

/** A change request: the record before and after, to the hostmaster, the requester in copy. */
export function aliasChangeMail(hostmaster: string, ctx: AliasMailContext): MailMessage {
  const { alias } = ctx;
  return compose({
    to: [hostmaster],
    cc: [ctx.requestedBy],
    subject: `DNS change: ${alias.fqdn} now ${alias.type} ${pointsAt(alias)}`,
    intro: `Please change the DNS record of ${alias.fqdn}:`,
    ctx,
    outro: 'The alias is pending again in Mission Control until the change is confirmed there.',
  });
}

/** The confirmation: to the requester, the hostmaster in copy when known. */
export function aliasConfirmedMail(hostmaster: string | undefined, ctx: AliasMailContext): MailMessage {
  const { alias } = ctx;
  return compose({
    to: [ctx.requestedBy],
    cc: hostmaster ? [hostmaster] : [],
    subject: `DNS alias active: ${alias.fqdn}`,
    intro: `${alias.fqdn} is now active:`,
    ctx,
    outro: 'Changes to DNS can take as long as the old record’s TTL to reach every resolver.',
  });
}

function compose(m: {
  to: string[];
  cc: string[];
  subject: string;
  intro: string;
  ctx: AliasMailContext;
  outro: string;
}): MailMessage {
  const { alias, server, previous } = m.ctx;
  const rows: Array<[string, string]> = [
    ['Name', alias.fqdn],
    ['Type', alias.type],
    ['Points at', describeTarget(alias, server)],
  ];
  if (previous) {
    rows.push(['Was', `${previous.alias.type} ${describeTarget(previous.alias, previous.server)}`]);
  }
  const optional: Array<[string, string | undefined]> = [
    ['Registrar', alias.registrar],
    ['DNS changed by', alias.dnsManagedBy],
    ['Applications', alias.applications.join(', ') || undefined],
    ['Location', server?.location],
    ['Provider', server?.provider],
    ['Description', alias.description],
    ['Requested by', m.ctx.requestedBy],
    ['Reason', m.ctx.reason],
    ['Sent by', `${m.ctx.actor} through Mission Control, ${new Date(m.ctx.time).toISOString().slice(0, 16)}Z`],
  ];
  for (const [label, value] of optional) {
    if (value !== undefined && value !== '') rows.push([label, value]);
  }
  const zone = zoneLines(alias, server);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const text = [
    m.intro,
    '',
    ...zone.map((l) => `    ${l}`),
    '',
    ...rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value.replace(/\n/g, `\n${' '.repeat(width)}`)}`),
    '',
    m.outro,
    '',
  ].join('\n');
  const html = [
    `<p>${escape(m.intro)}</p>`,
    `<pre>${zone.map(escape).join('\n')}</pre>`,
    '<table>',
    ...rows.map(
      ([label, value]) =>
        `<tr><th align="left" valign="top">${escape(label)}</th><td>${escape(value).replace(/\n/g, '<br>')}</td></tr>`
    ),
    '</table>',
    `<p>${escape(m.outro)}</p>`,
  ].join('\n');
  return { to: m.to, cc: m.cc, subject: m.subject, text, html };
}

function pointsAt(alias: AliasDetail): string {
  return alias.server ?? alias.target ?? '';
}

/** The values the record takes: a server's addresses of the record's family, its hostname for CNAME and NS. */
function recordValues(alias: AliasDetail, server: ServerDetail | undefined): string[] {
  if (alias.target !== undefined) {
    return [alias.target];
  }
  if (!server) {
    return [];
  }
  if (alias.type === 'A' || alias.type === 'AAAA') {
    const v6 = alias.type === 'AAAA';
    return server.addresses.map((a) => a.address).filter((a) => a.includes(':') === v6);
  }
  return [server.hostname];
}

function describeTarget(alias: AliasDetail, server: ServerDetail | undefined): string {
  if (alias.server === undefined) {
    return alias.target ?? '';
  }
  const values = recordValues(alias, server);
  if (alias.type === 'A' || alias.type === 'AAAA') {
    return values.length > 0
      ? `${values.join(', ')} (server ${alias.server})`
      : `server ${alias.server} (no ${alias.type === 'A' ? 'IPv4' : 'IPv6'} address recorded in the inventory)`;
  }
  const addresses = server?.addresses.map((a) => a.address) ?? [];
  return `${alias.server}${addresses.length ? ` (${addresses.join(', ')})` : ''}`;
}

function zoneLines(alias: AliasDetail, server: ServerDetail | undefined): string[] {
  const value = (v: string) =>
    alias.type === 'TXT' ? JSON.stringify(v) : alias.type === 'A' || alias.type === 'AAAA' ? v : `${v}.`;
  const values = recordValues(alias, server);
  return values.length > 0
    ? values.map((v) => `${alias.fqdn}.  IN  ${alias.type}  ${value(v)}`)
    : [`${alias.fqdn}.  IN  ${alias.type}  ?`];
}

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
