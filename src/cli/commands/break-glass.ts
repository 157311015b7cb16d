import { Argument, type Command } from 'commander';
import { apiRequest, clientConfigFromEnv, print, table, type ClientConfig } from '../client.js';
import { resolveGroup, resolveUser } from '../resolve.js';

interface Activation {
  id: string;
  groupId: string;
  userId: string;
  reason: string;
  activatedAt: string;
  expiresAt: string;
  endedAt: string | null;
  endReason: string | null;
  grantId: string;
  status: string;
  review: { status: string; overdue: boolean };
  /** In the answer to an activation: what went out about it. */
  deliveries?: { summary: string };
}
interface AccessItem {
  groupId?: string;
  resourceId?: string;
  accessLevel: string | null;
  via: { grantId: string; groupIds: string[] }[];
}
interface Settings {
  userIds: string[];
  groupIds: string[];
  durationMinutes: number;
}

const enc = encodeURIComponent;

async function nameOf(cfg: ClientConfig, item: AccessItem): Promise<string> {
  const path = item.groupId ? `/groups/${enc(item.groupId)}` : `/resources/${enc(item.resourceId!)}`;
  const found = await apiRequest<{ name: string }>(cfg, 'GET', path).catch(() => undefined);
  const id = item.groupId ?? item.resourceId!;
  return item.groupId
    ? `group ${found?.name ?? id} (${id})`
    : `resource ${found?.name ?? id}:${item.accessLevel} (${id})`;
}

/** Breaks the glass, then shows what the new grant opened: the group and everything nested under it. */
async function activate(groupRef: string, opts: { reason?: string; json?: boolean }) {
  const cfg = clientConfigFromEnv(process.env);
  const groupId = await resolveGroup(cfg, groupRef);
  const a = await apiRequest<Activation>(
    cfg,
    'POST',
    `/groups/${enc(groupId)}/break-glass/activations`,
    opts.reason === undefined ? {} : { reason: opts.reason },
  );
  const access = await apiRequest<{ items: AccessItem[] }>(cfg, 'GET', `/users/${enc(a.userId)}/access`);
  const depth = (i: AccessItem) =>
    Math.min(...i.via.filter((p) => p.grantId === a.grantId).map((p) => p.groupIds.length));
  const unlocked = access.items
    .filter((i) => i.via.some((p) => p.grantId === a.grantId))
    .sort((x, y) => depth(x) - depth(y));
  const labels = await Promise.all(unlocked.map((i) => nameOf(cfg, i)));
  print(!!opts.json, { activation: a, unlocked }, () =>
    [
      `break-glass activation ${a.id} on ${groupRef}: access until ${a.expiresAt}`,
      `${a.deliveries?.summary ?? ''} The activation will be reviewed.`.trim(),
      `unlocked (${unlocked.length}):`,
      ...labels.map((l) => `  ${l}`),
    ].join('\n'),
  );
}

async function listAll(cfg: ClientConfig, qs: URLSearchParams): Promise<Activation[]> {
  const items: Activation[] = [];
  let cursor: string | null = null;
  do {
    if (cursor) qs.set('cursor', cursor);
    const page: { items: Activation[]; nextCursor: string | null } = await apiRequest(
      cfg,
      'GET',
      `/break-glass/activations?${qs}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

// break-glass: emergency access to a group, with a reason, notification and review afterwards.
export function registerBreakGlassCommands(program: Command) {
  const bg = program
    .command('break-glass')
    .description('emergency access: `latch break-glass GROUP --reason TEXT`, or one of the subcommands');

  // The default subcommand: `latch break-glass GROUP ...` is `latch break-glass activate GROUP ...`. The
  // parent has no options of its own, so every option reaches the subcommand it follows.
  bg.command('activate', { isDefault: true })
    .description('activate break-glass on GROUP (same as `latch break-glass GROUP`)')
    .argument('<group>', 'group id or name')
    .option('--reason <text>', 'why the glass is broken')
    .option('--json', 'print JSON')
    .action(activate);

  bg.command('end')
    .description('end an activation now; its access stops at once')
    .argument('<id>', 'activation id')
    .option('--reason <text>')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { reason?: string; json?: boolean }) => {
      const a = await apiRequest<Activation>(
        clientConfigFromEnv(process.env),
        'POST',
        `/break-glass/activations/${enc(id)}/end`,
        opts.reason ? { reason: opts.reason } : {},
      );
      print(!!opts.json, a, () => `ended break-glass activation ${a.id} (${a.endReason})`);
    });

  bg.command('list')
    .description('activations you may see')
    .option('--active', 'only those giving access now')
    .option('--review <status>', 'pending | justified | unjustified | overdue')
    .option('--group <group>', 'group id or name')
    .option('--user <user>', 'user id or e-mail')
    .option('--json', 'print JSON')
    .action(
      async (opts: { active?: boolean; review?: string; group?: string; user?: string; json?: boolean }) => {
        const cfg = clientConfigFromEnv(process.env);
        const qs = new URLSearchParams({ limit: '500' });
        if (opts.active) qs.set('active', 'true');
        if (opts.review) qs.set('review', opts.review);
        if (opts.group) qs.set('groupId', await resolveGroup(cfg, opts.group));
        if (opts.user) qs.set('userId', await resolveUser(cfg, opts.user));
        const items = await listAll(cfg, qs);
        const rows = items.map((a) => ({
          ...a,
          review: `${a.review.status}${a.review.overdue ? ' (overdue)' : ''}`,
        }));
        print(!!opts.json, items, () =>
          table(rows, [
            'id',
            'groupId',
            'userId',
            'status',
            'activatedAt',
            'expiresAt',
            'endReason',
            'review',
          ]),
        );
      },
    );

  bg.command('review')
    .description('review an activation (group owners and admins, not the activator)')
    .argument('<id>', 'activation id')
    .addArgument(new Argument('<outcome>').choices(['justified', 'unjustified']))
    .requiredOption('--comment <text>', 'what the review found')
    .option('--json', 'print JSON')
    .action(async (id: string, outcome: string, opts: { comment: string; json?: boolean }) => {
      const a = await apiRequest<Activation>(
        clientConfigFromEnv(process.env),
        'POST',
        `/break-glass/activations/${enc(id)}/review`,
        { outcome, comment: opts.comment },
      );
      print(!!opts.json, a, () => `reviewed break-glass activation ${a.id}: ${a.review.status}`);
    });

  bg.command('configure')
    .description('set who may break the glass on GROUP and for how long; what you leave out stays as it is')
    .argument('<group>', 'group id or name')
    .option('--user <users...>', 'break-glass users (ids or e-mails); replaces the list')
    .option('--group <groups...>', 'groups whose effective members are break-glass users; replaces the list')
    .option('--duration <minutes>', 'how long an activation lasts (5 to 1440)')
    .option('--json', 'print JSON')
    .action(
      async (
        groupRef: string,
        opts: { user?: string[]; group?: string[]; duration?: string; json?: boolean },
      ) => {
        const cfg = clientConfigFromEnv(process.env);
        const groupId = await resolveGroup(cfg, groupRef);
        const current = await apiRequest<Settings>(cfg, 'GET', `/groups/${enc(groupId)}/break-glass`);
        const body: Settings = {
          userIds: opts.user ? await Promise.all(opts.user.map((u) => resolveUser(cfg, u))) : current.userIds,
          groupIds: opts.group
            ? await Promise.all(opts.group.map((g) => resolveGroup(cfg, g)))
            : current.groupIds,
          durationMinutes: opts.duration !== undefined ? Number(opts.duration) : current.durationMinutes,
        };
        const s = await apiRequest<Settings>(cfg, 'PUT', `/groups/${enc(groupId)}/break-glass`, body);
        print(
          !!opts.json,
          s,
          () =>
            `break-glass on ${groupRef}: users ${s.userIds.join(', ') || '-'}; groups ${s.groupIds.join(', ') || '-'}; ${s.durationMinutes} minutes`,
        );
      },
    );
}
