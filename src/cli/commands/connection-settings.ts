import type { Command } from 'commander';
import { CliError } from '../client.js';

// What `latch connections create` takes: each kind's settings as flags, the account rule, where its secret is
// read from (never an argument), and the help that says so.

export const KINDS = ['postgres', 'ldap', 'scim'] as const;
export type Kind = (typeof KINDS)[number];

/** The environment variable a connection's secret may come from (never a command-line argument). */
export const SECRET_ENV = 'LATCH_CONNECTION_SECRET';

// Each kind's settings: the flag, the config field it fills, and whether the kind needs it.
interface Setting {
  key: keyof CreateOpts;
  flag: string;
  field: string;
  required?: boolean;
}
const SETTINGS: Record<Kind, Setting[]> = {
  postgres: [
    { key: 'host', flag: '--host', field: 'host', required: true },
    { key: 'port', flag: '--port', field: 'port' },
    { key: 'database', flag: '--database', field: 'database', required: true },
    { key: 'user', flag: '--user', field: 'user', required: true },
    { key: 'sslmode', flag: '--sslmode', field: 'sslmode' },
    { key: 'terminateSessions', flag: '--no-terminate-sessions', field: 'terminateSessions' },
  ],
  ldap: [
    { key: 'url', flag: '--url', field: 'url', required: true },
    { key: 'bindDn', flag: '--bind-dn', field: 'bindDn', required: true },
    { key: 'userBaseDn', flag: '--user-base-dn', field: 'userBaseDn', required: true },
    { key: 'userFilter', flag: '--user-filter', field: 'userFilter' },
    { key: 'groupBaseDn', flag: '--group-base-dn', field: 'groupBaseDn', required: true },
    { key: 'startTls', flag: '--start-tls', field: 'startTls' },
  ],
  scim: [
    { key: 'baseUrl', flag: '--base-url', field: 'baseUrl', required: true },
    { key: 'createUsers', flag: '--create-users', field: 'createUsers' },
  ],
};
export const SECRET_FIELD: Record<Kind, string> = {
  postgres: 'password',
  ldap: 'bindPassword',
  scim: 'bearerToken',
};
export const SECRET_WORDS: Record<Kind, string> = {
  postgres: "the login role's password",
  ldap: 'the bind password',
  scim: 'the bearer token',
};
export const DEFAULT_POSTGRES_PORT = 5432;

export interface CreateOpts {
  name: string;
  kind: Kind;
  mode: 'report' | 'enforce';
  syncMinutes?: string;
  accountRule?: string;
  secretFile?: string;
  host?: string;
  port?: string;
  database?: string;
  user?: string;
  sslmode?: string;
  terminateSessions?: boolean;
  url?: string;
  bindDn?: string;
  userBaseDn?: string;
  userFilter?: string;
  groupBaseDn?: string;
  startTls?: boolean;
  baseUrl?: string;
  createUsers?: boolean;
  json?: boolean;
}

/** `email`, `emailLocalPart` or `template:TEMPLATE` (such as `template:{localPart}_admin`). */
export function parseAccountRule(text: string): { type: string; template?: string } {
  const t = text.trim();
  if (t.toLowerCase() === 'email') return { type: 'email' };
  if (t.toLowerCase() === 'emaillocalpart') return { type: 'emailLocalPart' };
  const template = /^template:(.+)$/s.exec(t);
  if (template) return { type: 'template', template: template[1]! };
  throw new CliError(
    `cannot read --account-rule '${text}': use email, emailLocalPart or template:TEMPLATE ` +
      '(such as template:{localPart}_admin; placeholders {email}, {localPart}, {domain})',
    2,
  );
}

/** The kind's config from its flags; a flag of another kind, or a missing required one, is a usage error. */
export function configFrom(cmd: Command, opts: CreateOpts): Record<string, unknown> {
  const given = (key: string) => {
    const source = cmd.getOptionValueSource(key);
    return source !== undefined && source !== 'default';
  };
  for (const kind of KINDS) {
    if (kind === opts.kind) continue;
    const stray = SETTINGS[kind].find((s) => given(s.key));
    if (stray) throw new CliError(`${stray.flag} is a setting of ${kind} connections, not ${opts.kind}`, 2);
  }
  const missing = SETTINGS[opts.kind].filter((s) => s.required && !given(s.key)).map((s) => s.flag);
  if (missing.length)
    throw new CliError(`a ${opts.kind} connection needs ${missing.join(', ')} (see --help)`, 2);
  const config: Record<string, unknown> = {};
  for (const s of SETTINGS[opts.kind]) if (given(s.key)) config[s.field] = opts[s.key];
  if (opts.kind === 'postgres') {
    const port = opts.port === undefined ? DEFAULT_POSTGRES_PORT : Number(opts.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new CliError(`--port must be a port number from 1 to 65535, not '${opts.port}'`, 2);
    config.port = port;
  }
  return config;
}

export const CREATE_HELP = `
Settings by kind:
  postgres  --host --database --user [--port 5432] [--sslmode verify-full|require|disable]
            [--no-terminate-sessions]; secret: the login role's password
  ldap      --url ldap(s)://HOST[:PORT] --bind-dn --user-base-dn --group-base-dn
            [--user-filter '(mail={account})'] [--start-tls]; secret: the bind password
  scim      --base-url https://APP/scim/v2 [--create-users]; secret: the bearer token

The secret is never taken from the command line. It is read from, in this order:
  --secret-file PATH          a file holding only the secret (one trailing newline is dropped)
  --secret-file -             standard input: ... --secret-file - < FILE, or piped from a vault
  ${SECRET_ENV}     the environment
  a prompt that does not echo, when standard input is a terminal
It is sent to the server, which stores it encrypted and never returns it; nothing here prints it.

--account-rule names each user's account in the target: email (the default), emailLocalPart
(alice@example.com -> alice), or template:TEMPLATE with {email}, {localPart} and {domain}
(template:{localPart}_admin -> alice_admin). To override it for one user:
PUT /api/v1/connections/{id}/accounts/{userId} {remoteAccount}.`;
