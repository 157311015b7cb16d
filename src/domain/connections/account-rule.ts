import { invalid } from '../errors.js';

// How a Latch user maps to an account in a connected system: by e-mail, by the e-mail's local part, or by a
// template such as `{localPart}_admin`; a per-user override wins over the rule. A user the rule gives no account
// (no e-mail, an empty result) has none, and is reported as `no_account`, never skipped in silence.

export type AccountRule =
  { type: 'email' } | { type: 'emailLocalPart' } | { type: 'template'; template: string };

export const DEFAULT_ACCOUNT_RULE: AccountRule = { type: 'email' };
export const TEMPLATE_PLACEHOLDERS = ['{email}', '{localPart}', '{domain}'] as const;
const MAX_TEMPLATE_LENGTH = 200;
export const MAX_ACCOUNT_LENGTH = 512;

export function parseAccountRule(raw: unknown): AccountRule {
  if (raw === undefined || raw === null) return DEFAULT_ACCOUNT_RULE;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('accountRule', 'must be an object');
  const { type, template, ...rest } = raw as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw invalid(`accountRule.${extra}`, 'is not a setting of an account rule');
  if (type === 'email' || type === 'emailLocalPart') {
    if (template !== undefined) throw invalid('accountRule.template', `is only for type "template"`);
    return { type };
  }
  if (type !== 'template') throw invalid('accountRule.type', 'must be email, emailLocalPart or template');
  if (typeof template !== 'string' || template.trim() === '')
    throw invalid('accountRule.template', 'is required for type "template"');
  if (template.length > MAX_TEMPLATE_LENGTH)
    throw invalid('accountRule.template', `must be at most ${MAX_TEMPLATE_LENGTH} characters`);
  const unknown = template
    .match(/\{[^}]*\}/g)
    ?.find((p) => !(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(p));
  if (unknown)
    throw invalid('accountRule.template', `${unknown} is not one of ${TEMPLATE_PLACEHOLDERS.join(', ')}`);
  if (!TEMPLATE_PLACEHOLDERS.some((p) => template.includes(p)))
    throw invalid('accountRule.template', `must use one of ${TEMPLATE_PLACEHOLDERS.join(', ')}`);
  return { type, template };
}

export function parseRemoteAccount(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw invalid('remoteAccount', 'is required');
  if (raw.length > MAX_ACCOUNT_LENGTH)
    throw invalid('remoteAccount', `must be at most ${MAX_ACCOUNT_LENGTH} characters`);
  return raw.trim();
}

/** The user's account in the target, or null when the rule gives none. */
export function accountFor(rule: AccountRule, email: string | null, override?: string | null): string | null {
  if (override) return override;
  const at = email ? email.lastIndexOf('@') : -1;
  if (!email || at <= 0 || at === email.length - 1) return null;
  const localPart = email.slice(0, at);
  const domain = email.slice(at + 1);
  switch (rule.type) {
    case 'email':
      return email;
    case 'emailLocalPart':
      return localPart;
    case 'template': {
      const account = rule.template
        .replaceAll('{email}', email)
        .replaceAll('{localPart}', localPart)
        .replaceAll('{domain}', domain)
        .trim();
      return account === '' || account.length > MAX_ACCOUNT_LENGTH ? null : account;
    }
  }
}
