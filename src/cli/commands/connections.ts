import { Option, type Command } from 'commander';
import { apiRequest, CliError, clientConfigFromEnv, print, table, type ClientConfig } from '../client.js';
import { parseDurationMinutes } from '../duration.js';
import { readSecret } from '../secret-input.js';
import {
  configFrom,
  CREATE_HELP,
  DEFAULT_POSTGRES_PORT,
  KINDS,
  parseAccountRule,
  SECRET_ENV,
  SECRET_FIELD,
  SECRET_WORDS,
  type CreateOpts,
  type Kind,
} from './connection-settings.js';

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

const enc = encodeURIComponent;

/** A connection id or name (names are unique regardless of case); the API has no lookup by name. */
export async function resolveConnection(cfg: ClientConfig, ref: string): Promise<Connection> {
  const { items } = await apiRequest<{ items: Connection[] }>(cfg, 'GET', '/connections');
  const match =
    items.find((c) => c.id === ref) ?? items.find((c) => c.name.toLowerCase() === ref.toLowerCase());
  if (!match) throw new CliError(`no connection named '${ref}' (see \`latch connections list\`)`);
  return match;
}

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
    .option('--create-users', 'scim: create a user in the app for a member who has none')
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
        secrets: {
          [SECRET_FIELD[opts.kind]]: await readSecret(SECRET_WORDS[opts.kind], opts.secretFile, SECRET_ENV),
        },
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
