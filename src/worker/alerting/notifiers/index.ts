/**
 * The notifier types by name, and what the API and provisioning do with a notifier's settings: check them, keep the
 * secrets when a change sends the mask back, and mask them on the way out.
 */
import { ALERT_SECRET_MASK, type AlertNotifierSpec, type AlertNotifierType } from '../../../shared/api';
import { RuleValidationError, type FieldError } from '../rules';
import { alertmanagerNotifier } from './alertmanager';
import type { Notifier, NotifierDefinition, NotifierDeps } from './notifier';
import { slackNotifier } from './slack';
import { smsNotifier } from './sms';
import { smtpNotifier } from './smtp';
import { webhookNotifier } from './webhook';

export const NOTIFIER_TYPES: Readonly<Record<AlertNotifierType, NotifierDefinition>> = {
  smtp: smtpNotifier,
  webhook: webhookNotifier,
  alertmanager: alertmanagerNotifier,
  slack: slackNotifier,
  sms: smsNotifier,
};

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** Validates a notifier spec from the API or YAML; throws RuleValidationError with the fields at fault. */
export function checkNotifier(input: unknown): AlertNotifierSpec {
  const errors: FieldError[] = [];
  const spec = (typeof input === 'object' && input !== null ? input : {}) as Partial<AlertNotifierSpec>;
  if (typeof spec.name !== 'string' || !NAME.test(spec.name)) {
    errors.push({ field: 'name', error: 'expected letters, digits, "-" and "_", at most 100' });
  }
  const definition = typeof spec.type === 'string' ? NOTIFIER_TYPES[spec.type] : undefined;
  if (!definition) errors.push({ field: 'type', error: `expected one of ${Object.keys(NOTIFIER_TYPES).join(', ')}` });
  const settings = spec.settings;
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    errors.push({ field: 'settings', error: 'expected a mapping' });
  } else if (definition) {
    errors.push(...definition.check(settings));
  }
  for (const k of Object.keys(spec)) {
    if (!['name', 'type', 'settings'].includes(k)) errors.push({ field: k, error: 'unknown field' });
  }
  if (errors.length > 0) throw new RuleValidationError(errors);
  return { name: spec.name!, type: spec.type!, settings: { ...spec.settings } };
}

/** The spec with each stored secret replaced by the mask, and the names of those secrets. */
export function maskSecrets(spec: AlertNotifierSpec): { spec: AlertNotifierSpec; secureFields: string[] } {
  const settings = { ...spec.settings };
  const secureFields: string[] = [];
  for (const k of NOTIFIER_TYPES[spec.type].secrets) {
    if (settings[k] !== undefined && settings[k] !== '') {
      settings[k] = ALERT_SECRET_MASK;
      secureFields.push(k);
    }
  }
  return { spec: { ...spec, settings }, secureFields };
}

/** A changed spec in which secrets sent back as the mask keep their stored values (an editor never sees them). */
export function keepSecrets(incoming: AlertNotifierSpec, stored: AlertNotifierSpec | undefined): AlertNotifierSpec {
  const settings = { ...incoming.settings };
  for (const k of NOTIFIER_TYPES[incoming.type]?.secrets ?? []) {
    if (settings[k] === ALERT_SECRET_MASK) {
      if (stored && stored.type === incoming.type) settings[k] = stored.settings[k];
      else delete settings[k];
    }
  }
  return { ...incoming, settings };
}

export function createNotifier(spec: AlertNotifierSpec, deps: NotifierDeps): Notifier {
  return NOTIFIER_TYPES[spec.type].create(spec.name, spec.settings, deps);
}
