import type { Command } from 'commander';
import { apiRequest, clientConfigFromEnv, print, table, type ClientConfig } from '../client.js';
import { resolveGroup, resolveItem, resolveUser } from '../resolve.js';

interface Page {
  items: Record<string, unknown>[];
  nextCursor: string | null;
}

async function listAll(cfg: ClientConfig, path: string, query?: string) {
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const qs = new URLSearchParams({
      limit: '500',
      ...(query ? { query } : {}),
      ...(cursor ? { cursor } : {}),
    });
    const page: Page = await apiRequest(cfg, 'GET', `${path}?${qs}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const durationOptions = (cmd: Command) =>
  cmd
    .option('--duration <minutes>', 'minutes until the access ends')
    .option('--expires-at <time>', 'RFC 3339 end')
    .option('--reason <text>');

const windowBody = (opts: { duration?: string; expiresAt?: string; reason?: string }) => ({
  ...(opts.duration ? { durationMinutes: Number(opts.duration) } : {}),
  ...(opts.expiresAt ? { expiresAt: opts.expiresAt } : {}),
  ...(opts.reason ? { reason: opts.reason } : {}),
});

// groups and resources: inventory commands.
export function registerItemCommands(program: Command) {
  const groups = program.command('groups').description('groups, their members and assets');
  groups
    .command('list')
    .option('--query <text>')
    .option('--json', 'print JSON')
    .action(async (opts: { query?: string; json?: boolean }) => {
      const items = await listAll(clientConfigFromEnv(process.env), '/groups', opts.query);
      print(!!opts.json, items, () =>
        table(items, ['id', 'name', 'description', 'ownerUserIds', 'ownerGroupId']),
      );
    });
  groups
    .command('create')
    .argument('<name>')
    .option('--description <text>')
    .option('--owner <user...>', 'owner user ids or e-mails')
    .option('--owner-group <group>', 'owner group id or name')
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        opts: { description?: string; owner?: string[]; ownerGroup?: string; json?: boolean },
      ) => {
        const cfg = clientConfigFromEnv(process.env);
        const body = {
          name,
          ...(opts.description ? { description: opts.description } : {}),
          ...(opts.owner
            ? { ownerUserIds: await Promise.all(opts.owner.map((o) => resolveUser(cfg, o))) }
            : {}),
          ...(opts.ownerGroup ? { ownerGroupId: await resolveGroup(cfg, opts.ownerGroup) } : {}),
        };
        const g = await apiRequest<{ id: string; name: string }>(cfg, 'POST', '/groups', body);
        print(!!opts.json, g, () => `created group ${g.name} ${g.id}`);
      },
    );
  groups
    .command('members')
    .argument('<group>')
    .option('--json', 'print JSON')
    .action(async (groupRef: string, opts: { json?: boolean }) => {
      const cfg = clientConfigFromEnv(process.env);
      const items = await listAll(
        cfg,
        `/groups/${encodeURIComponent(await resolveGroup(cfg, groupRef))}/members`,
      );
      print(!!opts.json, items, () =>
        table(
          items.map((m) => ({ ...m, paths: (m.via as unknown[]).length })),
          ['userId', 'direct', 'expiresAt', 'paths'],
        ),
      );
    });
  durationOptions(groups.command('add-member').argument('<group>').argument('<user>'))
    .option('--json', 'print JSON')
    .action(
      async (
        groupRef: string,
        userRef: string,
        opts: { duration?: string; expiresAt?: string; reason?: string; json?: boolean },
      ) => {
        const cfg = clientConfigFromEnv(process.env);
        const [groupId, userId] = await Promise.all([resolveGroup(cfg, groupRef), resolveUser(cfg, userRef)]);
        const g = await apiRequest<{ id: string; expiresAt: string | null }>(
          cfg,
          'POST',
          `/groups/${groupId}/members`,
          { userId, ...windowBody(opts) },
        );
        print(!!opts.json, g, () => `granted ${g.id}${g.expiresAt ? ` until ${g.expiresAt}` : ''}`);
      },
    );
  groups
    .command('add-asset')
    .description('nest ASSET (a group, or res_ID:LEVEL) under GROUP')
    .argument('<group>')
    .argument('<asset>')
    .option('--expires-at <time>')
    .option('--json', 'print JSON')
    .action(async (groupRef: string, assetRef: string, opts: { expiresAt?: string; json?: boolean }) => {
      const cfg = clientConfigFromEnv(process.env);
      const [groupId, asset] = await Promise.all([resolveGroup(cfg, groupRef), resolveItem(cfg, assetRef)]);
      const a = await apiRequest<{ id: string }>(cfg, 'POST', `/groups/${groupId}/assets`, {
        ...asset,
        ...(opts.expiresAt ? { expiresAt: opts.expiresAt } : {}),
      });
      print(!!opts.json, a, () => `added asset ${a.id}`);
    });

  const resources = program.command('resources').description('resources and their access levels');
  resources
    .command('list')
    .option('--query <text>')
    .option('--json', 'print JSON')
    .action(async (opts: { query?: string; json?: boolean }) => {
      const items = await listAll(clientConfigFromEnv(process.env), '/resources', opts.query);
      print(!!opts.json, items, () => table(items, ['id', 'name', 'type', 'accessLevels', 'ownerUserIds']));
    });
  resources
    .command('create')
    .argument('<name>')
    .requiredOption('--type <type>', 'what kind of system it is (postgres, aws-account, ...)')
    .option('--levels <levels>', 'comma-separated access levels', 'member')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { type: string; levels: string; json?: boolean }) => {
      const body = { name, type: opts.type, accessLevels: opts.levels.split(',').map((l) => l.trim()) };
      const r = await apiRequest<{ id: string; name: string }>(
        clientConfigFromEnv(process.env),
        'POST',
        '/resources',
        body,
      );
      print(!!opts.json, r, () => `created resource ${r.name} ${r.id}`);
    });
}
