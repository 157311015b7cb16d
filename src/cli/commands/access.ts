import type { Command } from 'commander';
import { apiRequest, clientConfigFromEnv, print, table } from '../client.js';
import { itemQuery, resolveItem, resolveUser } from '../resolve.js';

interface Path {
  grantId: string;
  source: string;
  groupIds: string[];
  expiresAt: string | null;
}
interface CheckResult {
  allowed: boolean;
  expiresAt: string | null;
  via: Path[];
}

const until = (t: string | null) => (t ? `until ${t}` : 'with no end');

export function describePath(p: Path, item: string): string {
  const chain = [...p.groupIds];
  if (chain[chain.length - 1] !== item) chain.push(item);
  return `${p.source} grant ${p.grantId}: ${chain.join(' -> ')} (${until(p.expiresAt)})`;
}

// check and explain: the access questions.
export function registerAccessCommands(program: Command) {
  const ask = async (userRef: string, itemRef: string) => {
    const cfg = clientConfigFromEnv(process.env);
    const [userId, item] = await Promise.all([resolveUser(cfg, userRef), resolveItem(cfg, itemRef)]);
    const result = await apiRequest<CheckResult>(
      cfg,
      'GET',
      `/access/check?userId=${encodeURIComponent(userId)}&${itemQuery(item)}`,
    );
    return { result, label: 'groupId' in item ? item.groupId : `${item.resourceId}:${item.accessLevel}` };
  };

  program
    .command('check')
    .description('does USER have access to ITEM now (exit 0 if allowed, 4 if not)')
    .argument('<user>', 'user id, e-mail or "me"')
    .argument('<item>', 'group id or name, or res_ID:LEVEL / resource:NAME:LEVEL')
    .option('--json', 'print JSON')
    .action(async (user: string, item: string, opts: { json?: boolean }) => {
      const { result } = await ask(user, item);
      print(!!opts.json, result, () => (result.allowed ? `allowed ${until(result.expiresAt)}` : 'denied'));
      if (!result.allowed) process.exitCode = 4;
    });

  program
    .command('explain')
    .description('every path by which USER reaches ITEM now')
    .argument('<user>')
    .argument('<item>')
    .option('--json', 'print JSON')
    .action(async (user: string, item: string, opts: { json?: boolean }) => {
      const { result, label } = await ask(user, item);
      print(!!opts.json, result, () =>
        result.allowed
          ? [
              `allowed ${until(result.expiresAt)} through ${result.via.length} path(s):`,
              ...result.via.map((p) => `  ${describePath(p, label)}`),
            ].join('\n')
          : 'denied: no active grant or path',
      );
      if (!result.allowed) process.exitCode = 4;
    });

  const grants = program.command('grants').description('the grant ledger');
  grants
    .command('list')
    .option('--user <user>', 'user id or e-mail')
    .option('--group <group>', 'group id')
    .option('--status <status>', 'scheduled | active | expired | revoked')
    .option('--json', 'print JSON')
    .action(async (opts: { user?: string; group?: string; status?: string; json?: boolean }) => {
      const cfg = clientConfigFromEnv(process.env);
      const qs = new URLSearchParams({ limit: '500' });
      if (opts.user) qs.set('userId', await resolveUser(cfg, opts.user));
      if (opts.group) qs.set('groupId', opts.group);
      if (opts.status) qs.set('status', opts.status);
      const page = await apiRequest<{ items: Record<string, unknown>[] }>(cfg, 'GET', `/grants?${qs}`);
      print(!!opts.json, page.items, () =>
        table(page.items, [
          'id',
          'userId',
          'groupId',
          'resourceId',
          'accessLevel',
          'source',
          'status',
          'expiresAt',
        ]),
      );
    });
  grants
    .command('revoke')
    .argument('<grantId>')
    .option('--reason <text>')
    .option('--json', 'print JSON')
    .action(async (grantId: string, opts: { reason?: string; json?: boolean }) => {
      const g = await apiRequest<{ id: string; status: string }>(
        clientConfigFromEnv(process.env),
        'DELETE',
        `/grants/${encodeURIComponent(grantId)}`,
        opts.reason ? { reason: opts.reason } : {},
      );
      print(!!opts.json, g, () => `grant ${g.id} is now ${g.status}`);
    });
}
