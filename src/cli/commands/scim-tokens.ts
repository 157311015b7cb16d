import type { Command } from 'commander';
import { apiRequest, clientConfigFromEnv, print, table } from '../client.js';

interface ScimToken {
  id: string;
  name: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

// scim-tokens: the identity provider's bearer tokens for /scim/v2 (admins).
export function registerScimTokenCommands(program: Command) {
  const scim = program
    .command('scim-tokens')
    .description('manage the tokens an identity provider uses to provision users and groups over SCIM');
  scim
    .command('create')
    .requiredOption('--name <name>', 'which identity provider or connection it is for')
    .option('--json', 'print JSON')
    .action(async (opts: { name: string; json?: boolean }) => {
      const t = await apiRequest<ScimToken & { token: string }>(
        clientConfigFromEnv(process.env),
        'POST',
        '/scim-tokens',
        { name: opts.name },
      );
      print(
        !!opts.json,
        t,
        () => `${t.token}\n(SCIM token ${t.id}; shown once: paste it into the provider now)`,
      );
    });
  scim
    .command('list')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { items } = await apiRequest<{ items: ScimToken[] }>(
        clientConfigFromEnv(process.env),
        'GET',
        '/scim-tokens',
      );
      print(!!opts.json, items, () =>
        table(items as unknown as Record<string, unknown>[], [
          'id',
          'name',
          'createdAt',
          'lastUsedAt',
          'revokedAt',
        ]),
      );
    });
  scim
    .command('revoke <id>')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const t = await apiRequest<ScimToken>(
        clientConfigFromEnv(process.env),
        'DELETE',
        `/scim-tokens/${encodeURIComponent(id)}`,
      );
      print(!!opts.json, t, () => `revoked SCIM token ${t.id} (${t.name})`);
    });
}
