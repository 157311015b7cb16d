import type { Command } from 'commander';
import { apiRequest, clientConfigFromEnv, print, table, type ClientConfig } from '../client.js';
import { parseDurationMinutes } from '../duration.js';
import { resolveItem, resolveUser } from '../resolve.js';

interface RequestItem {
  groupId: string | null;
  resourceId: string | null;
  accessLevel: string | null;
  status: string;
  grantId: string | null;
  currentStage: { index: number; reviewerIds: string[]; approvedBy: string[] } | null;
}
interface AccessRequest {
  id: string;
  requesterId: string;
  targetUserId: string;
  status: string;
  durationMinutes: number;
  createdAt: string;
  extensionOf: string | null;
  items: RequestItem[];
}
interface CatalogEntry {
  type: string;
  id: string;
  name: string;
  hasAccess: boolean;
  accessExpiresAt: string | null;
  actions: { request: boolean; breakGlass: boolean };
}

const enc = encodeURIComponent;
const label = (i: RequestItem) => i.groupId ?? `${i.resourceId}:${i.accessLevel}`;

/** The request and what each item came to: granted (with its grant), waiting for a stage, or decided. */
function describe(r: AccessRequest): string {
  return [
    `request ${r.id}: ${r.status}${r.extensionOf ? ` (extends grant ${r.extensionOf})` : ''}`,
    ...r.items.map((i) => {
      if (i.grantId) return `  ${label(i)}: ${i.status}, grant ${i.grantId}`;
      if (i.currentStage)
        return `  ${label(i)}: waiting for stage ${i.currentStage.index + 1} (${i.currentStage.reviewerIds.length} reviewer(s))`;
      return `  ${label(i)}: ${i.status}`;
    }),
  ].join('\n');
}

async function pages<T>(cfg: ClientConfig, path: string, qs: URLSearchParams): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    if (cursor) qs.set('cursor', cursor);
    const page: { items: T[]; nextCursor: string | null } = await apiRequest(cfg, 'GET', `${path}?${qs}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const act =
  (verb: 'approve' | 'deny' | 'cancel') => async (id: string, opts: { comment?: string; json?: boolean }) => {
    const body = verb === 'cancel' ? undefined : opts.comment === undefined ? {} : { comment: opts.comment };
    const r = await apiRequest<AccessRequest>(
      clientConfigFromEnv(process.env),
      'POST',
      `/requests/${enc(id)}/${verb}`,
      body,
    );
    print(!!opts.json, r, () => describe(r));
  };

// request, requests, approve, deny, cancel, extend and catalog: asking for access and reviewing it.
export function registerRequestCommands(program: Command) {
  program
    .command('request')
    .description('ask for access to one or more items (groups, or res_ID:LEVEL / resource:NAME:LEVEL)')
    .argument('<items...>', 'items to request')
    .requiredOption('--duration <duration>', 'how long: minutes, or 90m, 2h, 1d')
    .option('--reason <text>', 'why you need it')
    .option('--for <user>', 'request on behalf of this user (admins; owners for items they own)')
    .option('--json', 'print JSON')
    .action(
      async (refs: string[], opts: { duration: string; reason?: string; for?: string; json?: boolean }) => {
        const cfg = clientConfigFromEnv(process.env);
        const durationMinutes = parseDurationMinutes(opts.duration);
        const items = await Promise.all(refs.map((ref) => resolveItem(cfg, ref)));
        const r = await apiRequest<AccessRequest>(cfg, 'POST', '/requests', {
          items,
          durationMinutes,
          ...(opts.reason ? { reason: opts.reason } : {}),
          ...(opts.for ? { targetUserId: await resolveUser(cfg, opts.for) } : {}),
        });
        print(!!opts.json, r, () => describe(r));
      },
    );

  program
    .command('requests')
    .description('access requests')
    .command('list')
    .description('requests you may see')
    .option('--reviewable', 'only pending requests you can review now')
    .option('--status <status>', 'pending | approved | denied | partially_approved | canceled | expired')
    .option('--mine', 'only requests you made')
    .option('--json', 'print JSON')
    .action(async (opts: { reviewable?: boolean; status?: string; mine?: boolean; json?: boolean }) => {
      const cfg = clientConfigFromEnv(process.env);
      const qs = new URLSearchParams({ limit: '500' });
      if (opts.reviewable) qs.set('reviewable', 'true');
      if (opts.status) qs.set('status', opts.status);
      if (opts.mine) qs.set('requesterId', await resolveUser(cfg, 'me'));
      const items = await pages<AccessRequest>(cfg, '/requests', qs);
      const rows = items.map((r) => ({ ...r, items: r.items.map(label) }));
      print(!!opts.json, items, () =>
        table(rows, ['id', 'status', 'requesterId', 'targetUserId', 'durationMinutes', 'createdAt', 'items']),
      );
    });

  program
    .command('approve')
    .description('approve the items of a request you review')
    .argument('<id>', 'request id')
    .option('--comment <text>')
    .option('--json', 'print JSON')
    .action(act('approve'));
  program
    .command('deny')
    .description('deny the items of a request you review')
    .argument('<id>', 'request id')
    .requiredOption('--comment <text>', 'why')
    .option('--json', 'print JSON')
    .action(act('deny'));
  program
    .command('cancel')
    .description('withdraw your pending request')
    .argument('<id>', 'request id')
    .option('--json', 'print JSON')
    .action(act('cancel'));

  program
    .command('extend')
    .description('ask for more time on a grant that came from a request')
    .argument('<grant>', 'grant id')
    .requiredOption('--duration <duration>', 'how long from approval: minutes, or 90m, 2h, 1d')
    .option('--reason <text>')
    .option('--json', 'print JSON')
    .action(async (grantId: string, opts: { duration: string; reason?: string; json?: boolean }) => {
      const r = await apiRequest<AccessRequest>(
        clientConfigFromEnv(process.env),
        'POST',
        `/grants/${enc(grantId)}/extend`,
        {
          durationMinutes: parseDurationMinutes(opts.duration),
          ...(opts.reason ? { reason: opts.reason } : {}),
        },
      );
      print(!!opts.json, r, () => describe(r));
    });

  program
    .command('catalog')
    .description('what you can ask for, what you have, and which actions are open to you')
    .argument('[query]', 'part of a name')
    .option('--json', 'print JSON')
    .action(async (query: string | undefined, opts: { json?: boolean }) => {
      const cfg = clientConfigFromEnv(process.env);
      const items = await pages<CatalogEntry>(
        cfg,
        '/catalog',
        new URLSearchParams({ limit: '500', ...(query ? { query } : {}) }),
      );
      const rows = items.map((i) => ({
        ...i,
        access: i.hasAccess ? (i.accessExpiresAt ? `until ${i.accessExpiresAt}` : 'yes') : '-',
        actions: [i.actions.request && 'request', i.actions.breakGlass && 'break-glass'].filter(Boolean),
      }));
      print(!!opts.json, items, () => table(rows, ['type', 'name', 'id', 'access', 'actions']));
    });
}
