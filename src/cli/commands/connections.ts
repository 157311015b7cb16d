import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { apiRequest, CliError, clientConfigFromEnv, print, table, type ClientConfig } from '../client.js';
import { parseDurationMinutes } from '../duration.js';

export interface Connection {
  id: string;
  name: string;
  kind: Kind;
  config: Record<string, unknown>;
  mode: 'report' | 'enforce';
  syncMinutes: number;
  accountRule: { type: string; template?: string };
  status: 'pending' | 'ok' | 'error';
  lastSyncAt: string | null;
  lastError: string | null;
  createdAt: string;
}
interface RemoteItem {
  remoteId: string;
  name: string;
  kind: string;
  linkedItemId: string | null;
}
interface Drift {
  remoteId: string;
  remoteAccount: string;
  userId: string | null;
  detectedAt: string;
}
interface AuditEvent {
  seq: number;
  data: { ok?: boolean; items?: number; reverted?: number; openDrift?: number };
}

const KINDS = ['postgres', 'ldap', 'scim'] as const;
type Kind = (typeof KINDS)[number];
const enc = encodeURIComponent;

/** The environment variable a connection's secret may come from (never a command-line argument). */
export const SECRET_ENV = 'LATCH_CONNECTION_SECRET';

/** A connection id or name (names are unique regardless of case); the API has no lookup by name. */
export async function resolveConnection(cfg: ClientConfig, ref: string): Promise<Connection> {
  const { items } = await apiRequest<{ items: Connection[] }>(cfg, 'GET', '/connections');
  const match =
    items.find((c) => c.id === ref) ?? items.find((c) => c.name.toLowerCase() === ref.toLowerCase());
  if (!match) throw new CliError(`no connection named '${ref}' (see \`latch connections list\`)`);
  return match;
}

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
  scim: [{ key: 'baseUrl', flag: '--base-url', field: 'baseUrl', required: true }],
};
const SECRET_FIELD: Record<Kind, string> = {
  postgres: 'password',
  ldap: 'bindPassword',
  scim: 'bearerToken',
};
const SECRET_WORDS: Record<Kind, string> = {
  postgres: "the login role's password",
  ldap: 'the bind password',
  scim: 'the bearer token',
};
const DEFAULT_POSTGRES_PORT = 5432;

interface CreateOpts {
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
function configFrom(cmd: Command, opts: CreateOpts): Record<string, unknown> {
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

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a line from the terminal without echoing it. */
async function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (err?: CliError) => {
      stdin.removeListener('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new CliError('canceled', 130));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * The secret, never from an argument: `--secret-file PATH` (`-`: standard input), else the environment
 * variable, else a prompt that does not echo when standard input is a terminal. One trailing newline is dropped.
 */
async function readSecret(kind: Kind, secretFile: string | undefined): Promise<string> {
  const what = SECRET_WORDS[kind];
  let text: string;
  if (secretFile === '-')
    text = process.stdin.isTTY ? await promptHidden(`${what}: `) : await readAll(process.stdin);
  else if (secretFile !== undefined) {
    try {
      text = readFileSync(secretFile, 'utf8');
    } catch (err) {
      throw new CliError(
        `cannot read the secret file ${secretFile} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
        2,
      );
    }
  } else if (process.env[SECRET_ENV] !== undefined) text = process.env[SECRET_ENV];
  else if (process.stdin.isTTY) text = await promptHidden(`${what}: `);
  else
    throw new CliError(
      `give ${what} with --secret-file PATH, --secret-file - (standard input) or ${SECRET_ENV}`,
      2,
    );
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '') throw new CliError(`${what} is empty`, 2);
  return secret;
}

const CREATE_HELP = `
Settings by kind:
  postgres  --host --database --user [--port 5432] [--sslmode verify-full|require|disable]
            [--no-terminate-sessions]; secret: the login role's password
  ldap      --url ldap(s)://HOST[:PORT] --bind-dn --user-base-dn --group-base-dn
            [--user-filter '(mail={account})'] [--start-tls]; secret: the bind password
  scim      --base-url https://APP/scim/v2; secret: the bearer token

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

async function latestEvent(cfg: ClientConfig, type: string, id: string): Promise<AuditEvent | undefined> {
  const qs = new URLSearchParams({ type, subjectId: id, order: 'desc', limit: '1' });
  return (await apiRequest<{ items: AuditEvent[] }>(cfg, 'GET', `/events?${qs}`)).items[0];
}

/** Waits for the sync that ends after the request (its `connection.synced` event); undefined on timeout. */
async function waitForSync(cfg: ClientConfig, id: string, timeoutSeconds: number) {
  const requested = await latestEvent(cfg, 'connection.sync_requested', id);
  const after = requested?.seq ?? 0;
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const synced = await latestEvent(cfg, 'connection.synced', id);
    if (synced && synced.seq > after) return synced;
    if (Date.now() >= deadline) return undefined;
    await new Promise((r) => setTimeout(r, 500));
  }
}

// connections: the PostgreSQL clusters, LDAP directories and SCIM service providers Latch provisions (admins;
// auditors may list them and their drift).
export function registerConnectionCommands(program: Command) {
  const conns = program
    .command('connections')
    .description('connected systems whose roles and groups Latch keeps in step with access');

  conns
    .command('list')
    .description('connected systems with their mode, status, last sync and last error')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { items } = await apiRequest<{ items: Connection[] }>(
        clientConfigFromEnv(process.env),
        'GET',
        '/connections',
      );
      print(!!opts.json, items, () =>
        items.length
          ? table(items as unknown as Record<string, unknown>[], [
              'id',
              'name',
              'kind',
              'mode',
              'status',
              'lastSyncAt',
              'lastError',
            ])
          : 'no connected systems',
      );
    });

  conns
    .command('create')
    .description('connect a PostgreSQL cluster, an LDAP directory or a SCIM service provider (admins)')
    .requiredOption('--name <name>', 'what to call it')
    .addOption(new Option('--kind <kind>', 'what it connects to').choices(KINDS).makeOptionMandatory())
    .addOption(
      new Option('--mode <mode>', 'report: unexplained members are listed as drift; enforce: taken out')
        .choices(['report', 'enforce'])
        .default('report'),
    )
    .option('--sync-minutes <minutes>', 'how often to reconcile: minutes, or 30m, 2h, 1d (server default 60)')
    .option('--account-rule <rule>', 'email | emailLocalPart | template:TEMPLATE (see below)')
    .option('--secret-file <path>', `file holding the secret, - for standard input (or ${SECRET_ENV})`)
    .option('--host <host>', 'postgres: host name or IP address')
    .option('--port <port>', `postgres: port (default ${DEFAULT_POSTGRES_PORT})`)
    .option('--database <name>', 'postgres: database to connect to')
    .option('--user <role>', 'postgres: login role (CREATEROLE, never a superuser)')
    .addOption(
      new Option('--sslmode <mode>', 'postgres: default verify-full').choices([
        'disable',
        'require',
        'verify-full',
      ]),
    )
    .option('--no-terminate-sessions', "postgres: leave a revoked account's open sessions running")
    .option('--url <url>', 'ldap: ldap://HOST[:PORT] or ldaps://HOST[:PORT]')
    .option('--bind-dn <dn>', 'ldap: the DN Latch binds as')
    .option('--user-base-dn <dn>', 'ldap: where users are')
    .option('--user-filter <filter>', 'ldap: finds a user by account, default (mail={account})')
    .option('--group-base-dn <dn>', 'ldap: where groups are')
    .option('--start-tls', 'ldap: upgrade an ldap:// connection with StartTLS')
    .option('--base-url <url>', 'scim: the service provider’s SCIM root, such as https://app.example/scim/v2')
    .option('--json', 'print JSON')
    .addHelpText('after', CREATE_HELP)
    .action(async (opts: CreateOpts, cmd: Command) => {
      const cfg = clientConfigFromEnv(process.env);
      const config = configFrom(cmd, opts);
      const body = {
        name: opts.name,
        kind: opts.kind,
        mode: opts.mode,
        config,
        ...(opts.syncMinutes !== undefined ? { syncMinutes: parseDurationMinutes(opts.syncMinutes) } : {}),
        ...(opts.accountRule !== undefined ? { accountRule: parseAccountRule(opts.accountRule) } : {}),
        secrets: { [SECRET_FIELD[opts.kind]]: await readSecret(opts.kind, opts.secretFile) },
      };
      const c = await apiRequest<Connection>(cfg, 'POST', '/connections', body);
      print(
        !!opts.json,
        c,
        () =>
          `created ${c.kind} connection ${c.name} (${c.id}), mode ${c.mode}, sync every ${c.syncMinutes} min\n` +
          `next: latch connections test ${c.name}`,
      );
    });

  conns
    .command('test')
    .description('connect and check the privileges Latch needs (admins); exit 1 when not ok')
    .argument('<connection>', 'connection id or name')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const cfg = clientConfigFromEnv(process.env);
      const c = await resolveConnection(cfg, ref);
      const r = await apiRequest<{ ok: boolean; detail: string }>(
        cfg,
        'POST',
        `/connections/${enc(c.id)}/test`,
      );
      print(!!opts.json, r, () => `${c.name}: ${r.ok ? 'ok' : 'failed'}: ${r.detail}`);
      if (!r.ok) process.exitCode = 1;
    });

  conns
    .command('sync')
    .description('reconcile now: read the target, put back what is missing, handle drift (admins)')
    .argument('<connection>', 'connection id or name')
    .option('--wait', 'wait for the sync to finish; exit 1 when it failed or did not finish in time')
    .option('--timeout <seconds>', 'with --wait: how long to wait', '120')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { wait?: boolean; timeout: string; json?: boolean }) => {
      const timeout = Number(opts.timeout);
      if (!Number.isFinite(timeout) || timeout <= 0)
        throw new CliError(`--timeout must be a number of seconds, not '${opts.timeout}'`, 2);
      const cfg = clientConfigFromEnv(process.env);
      const c = await resolveConnection(cfg, ref);
      const requested = await apiRequest<Connection>(cfg, 'POST', `/connections/${enc(c.id)}/sync`);
      if (!opts.wait) {
        print(
          !!opts.json,
          requested,
          () => `sync of ${c.name} requested; \`latch connections list\` shows how it went`,
        );
        return;
      }
      const synced = await waitForSync(cfg, c.id, timeout);
      if (!synced)
        throw new CliError(
          `sync of ${c.name} requested, but it had not finished after ${timeout} s; ` +
            '`latch connections list` shows how it goes',
        );
      const after = await apiRequest<Connection>(cfg, 'GET', `/connections/${enc(c.id)}`);
      const d = synced.data;
      print(!!opts.json, after, () =>
        d.ok
          ? `sync of ${c.name} finished: ok, ${d.items ?? 0} linked item(s), ${d.openDrift ?? 0} open drift, ${d.reverted ?? 0} reverted`
          : `sync of ${c.name} failed: ${after.lastError ?? 'see `latch connections list`'}`,
      );
      if (!d.ok) process.exitCode = 1;
    });

  conns
    .command('drift')
    .description('open drift: members of linked remote items that Latch does not explain')
    .argument('<connection>', 'connection id or name')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const cfg = clientConfigFromEnv(process.env);
      const c = await resolveConnection(cfg, ref);
      const { items } = await apiRequest<{ items: Drift[] }>(cfg, 'GET', `/connections/${enc(c.id)}/drift`);
      print(!!opts.json, items, () =>
        items.length
          ? table(items as unknown as Record<string, unknown>[], [
              'remoteId',
              'remoteAccount',
              'userId',
              'detectedAt',
            ])
          : `no open drift in ${c.name}`,
      );
    });

  conns
    .command('remote-items')
    .description('the roles or groups in the target that items can be linked to (admins)')
    .argument('<connection>', 'connection id or name')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { json?: boolean }) => {
      const cfg = clientConfigFromEnv(process.env);
      const c = await resolveConnection(cfg, ref);
      const { items } = await apiRequest<{ items: RemoteItem[] }>(
        cfg,
        'GET',
        `/connections/${enc(c.id)}/remote-items`,
      );
      print(!!opts.json, items, () =>
        items.length
          ? table(items as unknown as Record<string, unknown>[], ['remoteId', 'name', 'kind', 'linkedItemId'])
          : `${c.name} has no roles or groups Latch can see`,
      );
    });
}
