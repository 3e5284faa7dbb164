/**
 * The alias workflow of Plexus: requesting an alias records it pending and mails the hostmaster (the requester in
 * copy) with every detail; confirming, once the DNS is changed, makes it active and tells the requester; a change
 * request re-points it, pending again, and mails the hostmaster again.
 *
 * The inventory is written first and the mail sent after the commit: a request is never lost because the mail server
 * is down. The answer says whether the mail went out, and why not.
 */
import type { Logger } from 'pino';
import type { AliasDetail, InventoryAliasWorkflowResponse, ServerDetail } from '../../shared/api';
import type { Mailer, MailMessage } from '../notify/mailer';
import { badRequest, invalid } from './errors';
import { aliasChangeMail, aliasConfirmedMail, aliasRequestMail, type AliasMailContext } from './mail';
import { actorLabel, type Actor } from './model';
import type { InventoryService } from './service';
import { isObject, type Issue } from './validation';

/** Read at every use, so a configuration reload takes effect at once. */
export interface MailSettings {
  mailer?: Mailer;
  hostmasterEmail?: string;
}

const CHANGE_FIELDS = ['type', 'server', 'target', 'requestedBy', 'reason'];

export class AliasWorkflow {
  constructor(
    private readonly service: InventoryService,
    private readonly settings: () => MailSettings,
    private readonly logger?: Logger
  ) {}

  async request(input: unknown, actor: Actor): Promise<InventoryAliasWorkflowResponse> {
    if (!isObject(input)) {
      throw invalid([
        { path: [], message: 'the body must be a JSON object: fqdn, type, server or target, requestedBy' },
      ]);
    }
    const { applications, reason, requestedBy, ...fields } = input;
    const issues: Issue[] = [];
    if ('status' in fields) {
      issues.push({ path: ['status'], message: 'is set by the workflow: a requested alias is pending' });
    }
    if (requestedBy === undefined || requestedBy === null) {
      issues.push({ path: ['requestedBy'], message: 'is required: the address the request is copied to' });
    }
    const apps = applications ?? [];
    if (!Array.isArray(apps) || !apps.every((a) => typeof a === 'string')) {
      issues.push({ path: ['applications'], message: 'must be a list of application names' });
    } else {
      apps.forEach((name, i) => {
        if (this.service.store.idOf('application', name) === undefined) {
          issues.push({ path: ['applications', i], message: `no application "${name}"` });
        }
      });
    }
    checkReason(reason, issues);
    if (issues.length > 0) {
      throw invalid(issues);
    }
    const alias = this.service.store.transaction(() => {
      const created = this.service.create('alias', { ...fields, requestedBy, status: 'pending' }, actor, 'request');
      const fqdn = (created as AliasDetail).fqdn;
      for (const name of apps as string[]) {
        this.service.addToList('application', name, 'aliases', fqdn, actor);
      }
      return this.service.detail('alias', fqdn) as AliasDetail;
    });
    const ctx = this.context(alias, actor, reason as string | undefined);
    return { alias, mail: await this.send((hostmaster) => aliasRequestMail(hostmaster, ctx), true) };
  }

  async confirm(fqdn: string, actor: Actor): Promise<InventoryAliasWorkflowResponse> {
    const current = this.service.detail('alias', fqdn) as AliasDetail;
    if (current.status !== 'pending') {
      throw badRequest('status', `only a pending alias can be confirmed; ${current.fqdn} is ${current.status}`);
    }
    const alias = this.service.update('alias', fqdn, { status: 'active' }, actor, {
      action: 'confirm',
      workflow: true,
    }) as AliasDetail;
    if (alias.requestedBy === undefined) {
      return { alias, mail: { sent: false, to: [], cc: [], error: 'the alias has no requester to tell' } };
    }
    const ctx = this.context(alias, actor, undefined);
    return { alias, mail: await this.send((hostmaster) => aliasConfirmedMail(hostmaster, ctx), false) };
  }

  async change(fqdn: string, input: unknown, actor: Actor): Promise<InventoryAliasWorkflowResponse> {
    if (!isObject(input)) {
      throw invalid([{ path: [], message: 'the body must be a JSON object: server or target, type, requestedBy' }]);
    }
    const issues: Issue[] = [];
    for (const key of Object.keys(input)) {
      if (!CHANGE_FIELDS.includes(key)) {
        issues.push({ path: [key], message: `unknown field (known: ${CHANGE_FIELDS.join(', ')})` });
      }
    }
    const hasServer = input.server !== undefined && input.server !== null;
    const hasTarget = input.target !== undefined && input.target !== null;
    if (!hasServer && !hasTarget) {
      issues.push({ path: ['server'], message: 'give the server or the target the alias is to point at' });
    }
    if (input.requestedBy === undefined || input.requestedBy === null) {
      issues.push({ path: ['requestedBy'], message: 'is required: the address the request is copied to' });
    }
    checkReason(input.reason, issues);
    if (issues.length > 0) {
      throw invalid(issues);
    }
    const before = this.service.detail('alias', fqdn) as AliasDetail;
    const previous = { alias: before, server: this.serverOf(before) };
    const patch: Record<string, unknown> = {
      server: hasServer ? input.server : null,
      target: hasTarget ? input.target : null,
      requestedBy: input.requestedBy,
      status: 'pending',
    };
    if (input.type !== undefined) {
      patch.type = input.type;
    }
    const alias = this.service.update('alias', fqdn, patch, actor, { action: 'change', workflow: true }) as AliasDetail;
    const ctx = { ...this.context(alias, actor, input.reason as string | undefined), previous };
    return { alias, mail: await this.send((hostmaster) => aliasChangeMail(hostmaster, ctx), true) };
  }

  private context(alias: AliasDetail, actor: Actor, reason: string | undefined): AliasMailContext {
    return {
      alias,
      server: this.serverOf(alias),
      requestedBy: alias.requestedBy!,
      reason: reason?.trim() || undefined,
      actor: actorLabel(actor),
      time: this.service.now(),
    };
  }

  private serverOf(alias: AliasDetail): ServerDetail | undefined {
    return alias.server === undefined ? undefined : (this.service.detail('server', alias.server) as ServerDetail);
  }

  private async send(
    compose: (hostmaster: string) => MailMessage,
    needsHostmaster: boolean
  ): Promise<InventoryAliasWorkflowResponse['mail']> {
    const { mailer, hostmasterEmail } = this.settings();
    if (needsHostmaster && !hostmasterEmail) {
      return { sent: false, to: [], cc: [], error: 'no hostmaster address is configured (inventory.hostmasterEmail)' };
    }
    const msg = compose(hostmasterEmail ?? '');
    const to = [msg.to].flat();
    const cc = [msg.cc ?? []].flat();
    if (!mailer) {
      return {
        sent: false,
        to,
        cc,
        subject: msg.subject,
        error: 'no SMTP server is configured (smtp: in the configuration)',
      };
    }
    try {
      await mailer.send(msg);
      return { sent: true, to, cc, subject: msg.subject };
    } catch (e) {
      const error = (e as Error).message;
      this.logger?.warn({ error, subject: msg.subject }, 'alias workflow mail not sent');
      return { sent: false, to, cc, subject: msg.subject, error };
    }
  }
}

function checkReason(reason: unknown, issues: Issue[]): void {
  if (reason !== undefined && reason !== null && typeof reason !== 'string') {
    issues.push({ path: ['reason'], message: 'must be a string' });
  }
}
