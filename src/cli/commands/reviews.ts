import { Option, type Command } from 'commander';
import { pipeline } from 'node:stream/promises';
import { createInterface } from 'node:readline/promises';
import { openApiStream } from '../api-stream.js';
import { apiRequest, CliError, clientConfigFromEnv, print, table, type ClientConfig } from '../client.js';
import { resolveGroup, resolveResource, resolveUser } from '../resolve.js';
import { allPages, resolveCampaign, rowsPath, type Campaign, type ReviewRow } from '../review-campaigns.js';
import { delegate, undelegate, untilFromFlag } from '../review-delegations.js';
import { rowsInWords } from '../review-row-words.js';
import { parseWhen } from '../when.js';
import { assertWritable, writeFileAtomically } from '../write-file-atomically.js';
import { resolveConnection } from './connections.js';

// reviews: access review campaigns, in which reviewers keep or revoke standing access. Admins and auditors start
// and close them; reviewers list and decide their rows.

interface CreateOpts {
  deadline: string;
  group: string[];
  resource: string[];
  connection: string[];
  everything?: boolean;
  reviewers?: 'owners' | 'admins' | 'users';
  reviewer: string[];
  fallback: string[];
  autoRevoke?: boolean;
  allowSelfReview?: boolean;
  json?: boolean;
}
interface RowsOpts {
  mine?: boolean;
  reviewer?: string;
  user?: string;
  group?: string;
  resource?: string;
  undecided?: boolean;
  limit: string;
  json?: boolean;
}
interface DecideOpts {
  keep?: boolean;
  revoke?: boolean;
  shorten?: string;
  comment?: string;
  allUndecided?: boolean;
  json?: boolean;
}

const enc = encodeURIComponent;
const collect = (value: string, previous: string[] = []) => [...previous, value];
/** The most rows one decision request takes. */
const DECISION_BATCH = 1000;

const progress = (c: Campaign) => `${c.progress.decided}/${c.progress.total}`;
const outcomeWords = (c: Campaign) =>
  Object.entries(c.outcome ?? {})
    .map(([effect, n]) => `${n} ${effect}`)
    .join(', ') || 'nothing to apply';

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new CliError(`${flag} must be a positive whole number`, 2);
  return n;
}

async function createBody(cfg: ClientConfig, name: string, opts: CreateOpts) {
  if (!opts.everything && !opts.group.length && !opts.resource.length && !opts.connection.length)
    throw new CliError('say what to review: --group, --resource, --connection or --everything', 2);
  const type = opts.reviewers ?? (opts.reviewer.length ? 'users' : 'owners');
  if (type === 'users' && !opts.reviewer.length)
    throw new CliError('--reviewers users needs the reviewers: --reviewer EMAIL (once each)', 2);
  if (type !== 'users' && opts.reviewer.length)
    throw new CliError(`--reviewer names the reviewers of --reviewers users, not ${type}`, 2);
  const deadline = parseWhen(opts.deadline, '--deadline');
  const all = <T>(refs: string[], resolve: (ref: string) => Promise<T>) => Promise.all(refs.map(resolve));
  const [groupIds, resourceIds, connections, userIds, fallbackUserIds] = await Promise.all([
    all(opts.group, (g) => resolveGroup(cfg, g)),
    all(opts.resource, (r) => resolveResource(cfg, r)),
    all(opts.connection, (c) => resolveConnection(cfg, c)),
    all(opts.reviewer, (u) => resolveUser(cfg, u)),
    all(opts.fallback, (u) => resolveUser(cfg, u)),
  ]);
  return {
    name,
    scope: {
      ...(groupIds.length ? { groupIds } : {}),
      ...(resourceIds.length ? { resourceIds } : {}),
      ...(connections.length ? { connectionIds: connections.map((c) => c.id) } : {}),
      ...(opts.everything ? { everything: true } : {}),
    },
    reviewers: {
      type,
      ...(userIds.length ? { userIds } : {}),
      ...(fallbackUserIds.length ? { fallbackUserIds } : {}),
    },
    deadline,
    autoRevokeUnreviewed: !!opts.autoRevoke,
    allowSelfReview: !!opts.allowSelfReview,
  };
}

function decisionBody(opts: DecideOpts) {
  const chosen = [
    opts.keep && 'keep',
    opts.revoke && 'revoke',
    opts.shorten !== undefined && 'shorten',
  ].filter((d): d is 'keep' | 'revoke' | 'shorten' => typeof d === 'string');
  if (chosen.length !== 1) throw new CliError('give one decision: --keep, --revoke or --shorten DATE', 2);
  const decision = chosen[0]!;
  if (decision === 'revoke' && !opts.comment?.trim())
    throw new CliError('--revoke needs --comment TEXT saying why the access is revoked', 2);
  return {
    decision,
    ...(opts.shorten !== undefined ? { keepUntil: parseWhen(opts.shorten, '--shorten') } : {}),
    ...(opts.comment !== undefined ? { comment: opts.comment } : {}),
  };
}

/** My rows that need a decision and have none. */
async function myUndecidedRowIds(cfg: ClientConfig, c: Campaign): Promise<string[]> {
  const me = await resolveUser(cfg, 'me');
  const { items } = await allPages<ReviewRow>(cfg, rowsPath(c), { reviewerId: me, decision: 'undecided' });
  return items.filter((r) => r.needsDecision).map((r) => r.id);
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY)
    throw new CliError('closing applies the decisions: confirm on a terminal, or give --yes', 2);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

export function registerReviewCommands(program: Command) {
  const reviews = program
    .command('reviews')
    .description('access review campaigns: reviewers keep or revoke the access people hold');

  reviews
    .command('list')
    .description('campaigns, newest first, with their progress (decided/total rows that need a decision)')
    .addOption(new Option('--status <status>', 'only open or closed ones').choices(['open', 'closed']))
    .option('--json', 'print JSON')
    .action(async (opts: { status?: string; json?: boolean }) => {
      const cfg = clientConfigFromEnv(process.env);
      const { items } = await allPages<Campaign>(cfg, '/access-reviews', { status: opts.status });
      print(!!opts.json, items, () =>
        items.length
          ? table(
              items.map((c) => ({ ...c, progress: progress(c) })),
              ['name', 'status', 'deadline', 'progress', 'id'],
            )
          : 'no access review campaigns',
      );
    });

  reviews
    .command('create')
    .description('start a campaign: a snapshot of who holds the items in scope (admins and auditors)')
    .argument('<name>', 'what to call it')
    .requiredOption('--deadline <when>', 'when it closes: 2030-06-30T17:00:00Z, 2030-06-30, or from now: 14d')
    .option('--group <group>', 'a group to review, by name or id (repeatable)', collect)
    .option('--resource <resource>', 'a resource to review, by name or id (repeatable)', collect)
    .option(
      '--connection <connection>',
      "a connected system's linked items, by name or id (repeatable)",
      collect,
    )
    .option('--everything', 'every group and resource')
    .addOption(
      new Option(
        '--reviewers <who>',
        "who reviews: each item's owners (the default), the admins, or named users (the default with --reviewer)",
      ).choices(['owners', 'admins', 'users']),
    )
    .option('--reviewer <email>', 'with --reviewers users: a reviewer of every row (repeatable)', collect)
    .option(
      '--fallback <email>',
      'reviews rows nobody else may (default: the admins; repeatable)',
      collect,
      [],
    )
    .option('--auto-revoke', 'at closing, revoke the rows still undecided')
    .option('--allow-self-review', 'let reviewers decide their own access')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: Partial<CreateOpts> & { deadline: string }) => {
      const opts = { group: [], resource: [], connection: [], reviewer: [], fallback: [], ...flags };
      const cfg = clientConfigFromEnv(process.env);
      const c = await apiRequest<Campaign>(cfg, 'POST', '/access-reviews', await createBody(cfg, name, opts));
      print(
        !!opts.json,
        c,
        () =>
          `started ${c.name} (${c.id}): ${c.rowCount} row(s), ${c.progress.total} needing a decision, ` +
          `closes ${c.deadline}\nnext: latch reviews rows '${c.name}'`,
      );
    });

  reviews
    .command('rows')
    .description("a campaign's rows: who holds which item, how, and the decision (ROW ids are for decide)")
    .argument('<campaign>', 'campaign id or name')
    .option('--mine', 'only the rows I review')
    .option('--reviewer <email>', "only this reviewer's rows (admins and auditors)")
    .option('--undecided', 'only rows without a decision')
    .option('--user <email>', "only rows about this person's access")
    .option('--group <group>', 'only rows about this group (name or id)')
    .option('--resource <resource>', 'only rows about this resource (name or id)')
    .option('--limit <n>', 'at most this many rows', '200')
    .option('--json', 'print JSON (the API rows)')
    .action(async (ref: string, opts: RowsOpts) => {
      if (opts.mine && opts.reviewer) throw new CliError('give --mine or --reviewer, not both', 2);
      if (opts.group && opts.resource) throw new CliError('give --group or --resource, not both', 2);
      const limit = positiveInt(opts.limit, '--limit');
      const cfg = clientConfigFromEnv(process.env);
      const c = await resolveCampaign(cfg, ref);
      const reviewer = opts.mine ? 'me' : opts.reviewer;
      const { items, more } = await allPages<ReviewRow>(
        cfg,
        rowsPath(c),
        {
          reviewerId: reviewer === undefined ? undefined : await resolveUser(cfg, reviewer),
          decision: opts.undecided ? 'undecided' : undefined,
          userId: opts.user === undefined ? undefined : await resolveUser(cfg, opts.user),
          groupId: opts.group === undefined ? undefined : await resolveGroup(cfg, opts.group),
          resourceId: opts.resource === undefined ? undefined : await resolveResource(cfg, opts.resource),
        },
        limit,
      );
      if (opts.json) return print(true, items, () => '');
      const words = await rowsInWords(cfg, items);
      const columns = ['id', 'user', 'item', 'via', 'decision', 'comment'];
      if (c.status === 'closed') columns.push('effect');
      console.log(words.length ? table(words as unknown as Record<string, unknown>[], columns) : 'no rows');
      if (more) console.error(`latch: more rows than ${limit}; give a larger --limit`);
    });

  reviews
    .command('decide')
    .description('keep, revoke or shorten rows; applied when the campaign closes (their reviewers)')
    .argument('<campaign>', 'campaign id or name')
    .argument('[rows...]', 'row ids (see `latch reviews rows`)')
    .option('--keep', 'the access stays')
    .option('--revoke', 'the access ends at closing (needs --comment)')
    .option('--shorten <when>', 'the access is kept until then: a date-time, a date, or from now: 30d')
    .option('--comment <text>', 'why; required with --revoke')
    .option('--all-undecided', 'every row I review that needs a decision and has none')
    .option('--json', 'print JSON (the rows decided)')
    .action(async (ref: string, rowIds: string[], opts: DecideOpts) => {
      const body = decisionBody(opts);
      if (opts.allUndecided && rowIds.length)
        throw new CliError('give row ids or --all-undecided, not both', 2);
      if (!opts.allUndecided && !rowIds.length)
        throw new CliError('give the row ids to decide, or --all-undecided', 2);
      const cfg = clientConfigFromEnv(process.env);
      const c = await resolveCampaign(cfg, ref);
      const ids = opts.allUndecided ? await myUndecidedRowIds(cfg, c) : rowIds;
      const decided: ReviewRow[] = [];
      for (let i = 0; i < ids.length; i += DECISION_BATCH) {
        const { items } = await apiRequest<{ items: ReviewRow[] }>(
          cfg,
          'POST',
          `/access-reviews/${enc(c.id)}/decisions`,
          { ...body, rowIds: ids.slice(i, i + DECISION_BATCH) },
        );
        decided.push(...items);
      }
      const what = body.decision === 'shorten' ? `shorten until ${body.keepUntil}` : body.decision;
      print(!!opts.json, decided, () =>
        decided.length
          ? `${c.name}: ${what} on ${decided.length} row(s)` +
            (decided.length <= 20 ? ` (${decided.map((r) => r.id).join(', ')})` : '')
          : `${c.name}: no undecided rows of yours`,
      );
    });

  reviews
    .command('delegate')
    .description(
      "hand a reviewer's rows to someone else until a date (your own; admins and auditors anyone's)",
    )
    .argument('<campaign>', 'campaign id or name')
    .requiredOption('--to <user>', 'who decides the rows meanwhile: e-mail or id')
    .requiredOption('--until <when>', 'when they go back: a date-time, a date, or from now: 3d')
    .option('--from <user>', 'whose rows: e-mail or id', 'me')
    .option('--json', 'print JSON (the handover)')
    .action(async (ref: string, opts: { to: string; until: string; from: string; json?: boolean }) => {
      const until = untilFromFlag(opts.until);
      const cfg = clientConfigFromEnv(process.env);
      const c = await resolveCampaign(cfg, ref);
      const { delegation, words } = await delegate(cfg, c, { from: opts.from, to: opts.to, until });
      print(!!opts.json, delegation, () => words);
    });

  reviews
    .command('undelegate')
    .description("end a handover of a reviewer's rows now: they are the reviewer's to decide again")
    .argument('<campaign>', 'campaign id or name')
    .option('--from <user>', 'whose rows: e-mail or id', 'me')
    .option('--json', 'print JSON (the handover, until when it ended)')
    .action(async (ref: string, opts: { from: string; json?: boolean }) => {
      const cfg = clientConfigFromEnv(process.env);
      const c = await resolveCampaign(cfg, ref);
      const { delegation, words } = await undelegate(cfg, c, opts.from);
      print(!!opts.json, delegation, () => words);
    });

  reviews
    .command('close')
    .description('close a campaign now and apply its decisions (admins and auditors)')
    .argument('<campaign>', 'campaign id or name')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { yes?: boolean; json?: boolean }) => {
      const cfg = clientConfigFromEnv(process.env);
      const c = await resolveCampaign(cfg, ref);
      if (c.status !== 'open') throw new CliError(`${c.name} is already closed (at ${c.closedAt})`);
      const undecided = c.progress.total - c.progress.decided;
      const question =
        `close ${c.name} now? ${progress(c)} decided; ${undecided} undecided row(s) will be ` +
        `${c.autoRevokeUnreviewed ? 'REVOKED' : 'kept'}; revocations take effect at once.`;
      if (!opts.yes && !(await confirm(question))) throw new CliError('not closed', 1);
      const closed = await apiRequest<Campaign>(cfg, 'POST', `/access-reviews/${enc(c.id)}/close`);
      print(!!opts.json, closed, () => `closed ${closed.name}: ${outcomeWords(closed)}`);
    });

  reviews
    .command('report')
    .description("a campaign's rows with names, decisions and effects, as CSV or a printable page")
    .argument('<campaign>', 'campaign id or name')
    .addOption(
      new Option('--format <format>', 'csv, or html (the default for an --output ending in .html)').choices([
        'csv',
        'html',
      ]),
    )
    .option('--output <file>', 'write it to FILE (whole or not at all) instead of standard output')
    .option('--force', 'replace FILE if it exists')
    .action(async (ref: string, opts: { format?: string; output?: string; force?: boolean }) => {
      const format = opts.format ?? (/\.html?$/i.test(opts.output ?? '') ? 'html' : 'csv');
      if (opts.output) assertWritable(opts.output, !!opts.force);
      const cfg = clientConfigFromEnv(process.env);
      const c = await resolveCampaign(cfg, ref);
      const body = await openApiStream(cfg, `/access-reviews/${enc(c.id)}/report?format=${format}`);
      try {
        if (opts.output) await writeFileAtomically(opts.output, body, !!opts.force);
        else await pipeline(body, process.stdout);
      } catch (err) {
        if (err instanceof CliError) throw err;
        // A reader that stopped early (`| head`) wanted no more.
        if ((err as NodeJS.ErrnoException).code === 'EPIPE') return;
        throw new CliError(`the report was cut off: ${(err as Error).message}`);
      }
      if (opts.output) console.error(`wrote the ${format} report of ${c.name} to ${opts.output}`);
    });
}
