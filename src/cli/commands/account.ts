import type { Command } from 'commander';
import { apiRequest, clientConfigFromEnv, print, table } from '../client.js';

interface User {
  id: string;
  email: string;
  name: string;
  role: string;
  status: string;
}

// whoami, users and tokens: the account commands.
export function registerAccountCommands(program: Command) {
  program
    .command('whoami')
    .description('show the user the token belongs to')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const me = await apiRequest<User>(clientConfigFromEnv(process.env), 'GET', '/me');
      print(!!opts.json, me, () => `${me.name} <${me.email}> (${me.role}, ${me.status}) ${me.id}`);
    });

  const users = program.command('users').description('manage users');
  users
    .command('list')
    .option('--query <text>', 'filter by e-mail or name')
    .option('--json', 'print JSON')
    .action(async (opts: { query?: string; json?: boolean }) => {
      const cfg = clientConfigFromEnv(process.env);
      const items: User[] = [];
      let cursor: string | null = null;
      do {
        const qs = new URLSearchParams({
          limit: '500',
          ...(opts.query ? { query: opts.query } : {}),
          ...(cursor ? { cursor } : {}),
        });
        const page: { items: User[]; nextCursor: string | null } = await apiRequest(
          cfg,
          'GET',
          `/users?${qs}`,
        );
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      print(!!opts.json, items, () =>
        table(items as unknown as Record<string, unknown>[], ['id', 'email', 'name', 'role', 'status']),
      );
    });
  users
    .command('create')
    .argument('<email>')
    .requiredOption('--name <name>', 'display name')
    .option('--role <role>', 'admin | auditor | member', 'member')
    .option('--json', 'print JSON')
    .action(async (email: string, opts: { name: string; role: string; json?: boolean }) => {
      const user = await apiRequest<User>(clientConfigFromEnv(process.env), 'POST', '/users', {
        email,
        name: opts.name,
        role: opts.role,
      });
      print(!!opts.json, user, () => `created ${user.email} (${user.role}) ${user.id}`);
    });

  const tokens = program.command('tokens').description('manage API tokens');
  tokens
    .command('create')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--user <id|email>', 'the user, by id or e-mail (admins); default: yourself')
    .option('--expires-at <time>', 'RFC 3339 expiry')
    .option('--json', 'print JSON')
    .action(async (opts: { name: string; user?: string; expiresAt?: string; json?: boolean }) => {
      const cfg = clientConfigFromEnv(process.env);
      const userId = opts.user ?? (await apiRequest<User>(cfg, 'GET', '/me')).id;
      const body = { name: opts.name, ...(opts.expiresAt ? { expiresAt: opts.expiresAt } : {}) };
      const t = await apiRequest<{ id: string; token: string; expiresAt: string | null }>(
        cfg,
        'POST',
        `/users/${encodeURIComponent(userId)}/tokens`,
        body,
      );
      print(
        !!opts.json,
        t,
        () =>
          `${t.token}\n(token ${t.id}; shown once, store it now${t.expiresAt ? `; expires ${t.expiresAt}` : ''})`,
      );
    });
}
