import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { apiRequest, CliError, clientConfigFromEnv, print, table } from '../client.js';
import { resolveGroup } from '../resolve.js';

interface Schedule {
  id: string;
  name: string;
  provider: string;
  syncStatus: string;
  syncError: string | null;
  lastSyncedAt: string | null;
}
interface OnCall {
  items: { userId: string; start: string; end: string }[];
}

const enc = encodeURIComponent;

function configFrom(opts: { config?: string; configFile?: string }): Record<string, unknown> {
  const text = opts.configFile ? readFileSync(opts.configFile, 'utf8') : opts.config;
  if (!text) throw new CliError('give the provider settings with --config JSON or --config-file PATH', 2);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new CliError(`the provider settings are not valid JSON: ${(err as Error).message}`, 2);
  }
}

const status = (s: Schedule) => `${s.syncStatus}${s.syncError ? `: ${s.syncError}` : ''}`;

// on-call: schedules whose on-call people become group members, and who is on call.
export function registerOnCallCommands(program: Command) {
  const oc = program.command('on-call').description('on-call schedules and who is on call');

  oc.command('list')
    .description('schedules with their sync status')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const page = await apiRequest<{ items: Schedule[] }>(
        clientConfigFromEnv(process.env),
        'GET',
        '/on-call-schedules?limit=500',
      );
      print(!!opts.json, page.items, () =>
        table(
          page.items.map((s) => ({ ...s, status: status(s) })),
          ['id', 'name', 'provider', 'status', 'lastSyncedAt'],
        ),
      );
    });

  oc.command('create')
    .description('add a schedule (admins): builtin, ical, pagerduty or opsgenie')
    .argument('<name>')
    .requiredOption('--provider <provider>', 'builtin | ical | pagerduty | opsgenie')
    .option('--config <json>', 'provider settings as JSON')
    .option('--config-file <path>', 'provider settings from a JSON file')
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        opts: { provider: string; config?: string; configFile?: string; json?: boolean },
      ) => {
        const s = await apiRequest<Schedule>(clientConfigFromEnv(process.env), 'POST', '/on-call-schedules', {
          name,
          provider: opts.provider,
          config: configFrom(opts),
        });
        print(!!opts.json, s, () => `created on-call schedule ${s.name} (${s.id}), sync ${status(s)}`);
      },
    );

  oc.command('who')
    .description('who is on call on a schedule, now or at --at TIME')
    .argument('<schedule>', 'schedule id')
    .option('--at <time>', 'RFC 3339 time')
    .option('--live', 'ask the provider itself rather than the last sync (admins; rate-limited)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { at?: string; live?: boolean; json?: boolean }) => {
      const params = new URLSearchParams({
        ...(opts.at ? { at: opts.at } : {}),
        ...(opts.live ? { live: 'true' } : {}),
      }).toString();
      const qs = params ? `?${params}` : '';
      const res = await apiRequest<OnCall>(
        clientConfigFromEnv(process.env),
        'GET',
        `/on-call-schedules/${enc(id)}/on-call${qs}`,
      );
      print(!!opts.json, res, () =>
        res.items.length ? table(res.items, ['userId', 'start', 'end']) : 'nobody is on call then',
      );
    });

  oc.command('sync')
    .description('fetch a schedule now (admins)')
    .argument('<schedule>', 'schedule id')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const s = await apiRequest<Schedule>(
        clientConfigFromEnv(process.env),
        'POST',
        `/on-call-schedules/${enc(id)}/sync`,
      );
      print(!!opts.json, s, () => `${s.name}: ${status(s)}`);
      if (s.syncStatus === 'error') process.exitCode = 1;
    });

  oc.command('follow')
    .description("set the schedules whose on-call people are a group's members (admins and owners)")
    .argument('<group>', 'group id or name')
    .argument('[schedules...]', 'schedule ids; none to stop following')
    .option('--grace <minutes>', 'minutes the outgoing person keeps access after a handoff', (v) => Number(v))
    .option('--json', 'print JSON')
    .action(async (groupRef: string, scheduleIds: string[], opts: { grace?: number; json?: boolean }) => {
      const cfg = clientConfigFromEnv(process.env);
      const groupId = await resolveGroup(cfg, groupRef);
      const res = await apiRequest<{ scheduleIds: string[]; graceMinutes: number }>(
        cfg,
        'PUT',
        `/groups/${enc(groupId)}/on-call-schedules`,
        { scheduleIds, ...(opts.grace !== undefined ? { graceMinutes: opts.grace } : {}) },
      );
      print(!!opts.json, res, () =>
        res.scheduleIds.length
          ? `${groupRef} follows ${res.scheduleIds.join(', ')} (grace ${res.graceMinutes} min)`
          : `${groupRef} follows no on-call schedule`,
      );
    });
}
