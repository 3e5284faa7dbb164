/**
 * E-mail addresses as operators write them in configuration and forms: a bare `user@example.com`, or a mailbox with a
 * display name, `Mission Control <mc@example.com>`. The check is deliberately narrower than RFC 5322 (no quoted local
 * parts, no comments, no IP literals): what it accepts every SMTP server and mail client takes, and what it refuses
 * is almost always a typo.
 */

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** Why `text` is not a bare address, or undefined when it is one. */
export function checkMailAddress(text: string): string | undefined {
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) {
    return 'is not an e-mail address (expected user@example.com)';
  }
  if (text.length > 254) {
    return 'is longer than 254 characters';
  }
  const local = text.slice(0, at);
  const labels = text.slice(at + 1).split('.');
  if (local.length > 64 || !LOCAL_PART.test(local)) {
    return `has an invalid part before "@": "${local}"`;
  }
  if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l))) {
    return `has an invalid domain: "${text.slice(at + 1)}"`;
  }
  return undefined;
}

/** Why `text` is neither a bare address nor `Display Name <address>`, or undefined when it is one of them. */
export function checkMailbox(text: string): string | undefined {
  const m = /^([^<>]*)<([^<>]+)>$/.exec(text.trim());
  if (!m) {
    return checkMailAddress(text);
  }
  if (/[\r\n]/.test(m[1]!)) {
    return 'must not contain line breaks';
  }
  return checkMailAddress(m[2]!);
}
