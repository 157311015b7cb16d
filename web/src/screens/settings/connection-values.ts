import type { Connection, ConnectionKind } from '../../api/types';

// The connection form's values, keyed by the API's own field names (`config.host`, `secrets.password`), so
// that a field error from the API lands on the field it names. Secrets are never sent back: a form opened
// to edit starts with them empty, and empty means "keep the current secret".

export type Values = Record<string, string | boolean>;

/** The one secret of each kind. */
export const secretKey: Record<ConnectionKind, string> = {
  postgres: 'password',
  ldap: 'bindPassword',
  scim: 'bearerToken',
};

const CONFIG_KEYS: Record<ConnectionKind, string[]> = {
  postgres: ['host', 'port', 'database', 'user', 'sslmode', 'terminateSessions'],
  ldap: ['url', 'bindDn', 'userBaseDn', 'userFilter', 'groupBaseDn', 'startTls'],
  scim: ['baseUrl', 'createUsers'],
};

/** The fields the form shows for a kind, by the names the API gives them in its errors. */
export const fieldKeys = (kind: ConnectionKind): string[] => [
  'name',
  'kind',
  'mode',
  'syncMinutes',
  'accountRule.type',
  'accountRule.template',
  ...CONFIG_KEYS[kind].map((k) => `config.${k}`),
  `secrets.${secretKey[kind]}`,
];

const DEFAULTS: Values = {
  name: '',
  kind: 'postgres',
  mode: 'report',
  syncMinutes: '60',
  'accountRule.type': 'email',
  'accountRule.template': '',
  'config.port': '5432',
  'config.sslmode': 'verify-full',
  'config.terminateSessions': true,
  'config.startTls': false,
  'config.createUsers': false,
};

export function initialValues(c?: Connection): Values {
  if (!c) return { ...DEFAULTS };
  const values: Values = {
    ...DEFAULTS,
    name: c.name,
    kind: c.kind,
    mode: c.mode,
    syncMinutes: String(c.syncMinutes),
    'accountRule.type': c.accountRule.type,
    'accountRule.template': c.accountRule.template ?? '',
  };
  for (const [key, value] of Object.entries(c.config))
    if (typeof value === 'boolean' || typeof value === 'string') values[`config.${key}`] = value;
    else if (typeof value === 'number') values[`config.${key}`] = String(value);
  return values;
}

const text = (values: Values, key: string) => {
  const v = values[key];
  return typeof v === 'string' ? v.trim() : '';
};

/** The kind's settings as the API takes them; empty optional text is left out. */
export function configOf(kind: ConnectionKind, values: Values): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS[kind]) {
    const v = values[`config.${key}`];
    if (typeof v === 'boolean') config[key] = v;
    else if (key === 'port') {
      if (text(values, 'config.port')) config.port = Number(text(values, 'config.port'));
    } else if (key === 'database' || key === 'user') {
      // Names as PostgreSQL stores them: exact, never trimmed.
      if (v) config[key] = v;
    } else if (text(values, `config.${key}`)) config[key] = text(values, `config.${key}`);
  }
  return config;
}

/** The secret to send: undefined when left empty (keep the current one on edit). */
export function secretsOf(kind: ConnectionKind, values: Values): Record<string, string> | undefined {
  const key = secretKey[kind];
  const v = values[`secrets.${key}`];
  return typeof v === 'string' && v !== '' ? { [key]: v } : undefined;
}

export function accountRuleOf(values: Values): Connection['accountRule'] {
  const type = values['accountRule.type'] as Connection['accountRule']['type'];
  return type === 'template' ? { type, template: text(values, 'accountRule.template') } : { type };
}
