import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startPgCluster, type PgCluster } from '../test/support/pg-cluster.js';
import { call, percentile, serve, stop, type Server } from './activation-bench.js';
import { mulberry32 } from './dataset.js';
import { BENCH_TOKEN, processCpuMs } from './http-bench.js';

// An identity provider's first push over SCIM, as Okta makes it: every user, then every group, then the
// memberships as PATCHes of 100 members, one resource per request over 4 keep-alive connections, against a
// real `latch serve`. Then the access index is checked against the memberships pushed: sampled pushed pairs
// must be allowed and sampled random pairs must answer exactly as the pushed set says.

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** The batch limit of POST /api/v1/access/check. */
const CHECK_BATCH = 1000;
export const SCIM_TARGET_SECONDS = 60;

export interface ScimPhase {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Cores the server process used over the phase (its CPU time / wall time); null without /proc. */
  serverCores: number | null;
  /** Share of the phase the server's main thread was ready to run but waited for a core (other processes on
   * the machine had them); null without /proc. Near 0 when the figures are the server's own. */
  serverWaiting: number | null;
  /** Cores this (client) process used over the phase: the two share the machine. */
  clientCores: number;
}

export interface ScimBenchResult {
  store: 'embedded' | 'postgres';
  users: number;
  groups: number;
  memberships: number;
  membersPerPatch: number;
  connections: number;
  phases: { users: ScimPhase; groups: ScimPhase; memberships: ScimPhase };
  /** The three phases together (the few milliseconds between them not counted). */
  total: Omit<ScimPhase, 'p50Ms' | 'p99Ms'>;
  /** The access index afterwards: pushed pairs sampled (all must be allowed) and random pairs sampled. */
  check: { memberPairs: number; randomPairs: number; randomPairsAllowed: number; mismatches: number };
}

interface Reply {
  status: number;
  body: string;
}

/** One request on the shared agent: its sockets are the provider's connections. */
function send(
  agent: http.Agent,
  base: URL,
  method: string,
  path: string,
  token: string,
  body: unknown,
  contentType = 'application/scim+json',
): Promise<Reply> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise<Reply>((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': contentType,
          'content-length': payload.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Nanoseconds the process's main thread has waited on a run queue (Linux /proc schedstat). */
function runQueueWaitNs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]);
  } catch {
    return null;
  }
}

/** Runs `count` requests through `connections` workers, each sending its next one when the last answers. */
async function phase(
  count: number,
  connections: number,
  serverPid: number | undefined,
  request: (i: number) => Promise<void>,
): Promise<ScimPhase> {
  const latencies: number[] = [];
  let next = 0;
  const serverCpu = processCpuMs(serverPid);
  const serverWait = runQueueWaitNs(serverPid);
  const clientCpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t = performance.now();
        await request(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const ms = performance.now() - start;
  const serverAfter = processCpuMs(serverPid);
  const serverWaitAfter = runQueueWaitNs(serverPid);
  const client = process.cpuUsage(clientCpu);
  latencies.sort((a, b) => a - b);
  return {
    requests: count,
    seconds: ms / 1000,
    requestsPerSecond: (count * 1000) / ms,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    serverCores: serverCpu === null || serverAfter === null ? null : (serverAfter - serverCpu) / ms,
    serverWaiting:
      serverWait === null || serverWaitAfter === null ? null : (serverWaitAfter - serverWait) / 1e6 / ms,
    clientCores: (client.user + client.system) / 1000 / ms,
  };
}

/** The phases as one: their requests over their summed time, their CPU figures weighted by time. */
function overall(phases: ScimPhase[]): ScimBenchResult['total'] {
  const requests = phases.reduce((n, p) => n + p.requests, 0);
  const seconds = phases.reduce((n, p) => n + p.seconds, 0);
  const weighted = (v: (p: ScimPhase) => number) =>
    phases.reduce((n, p) => n + v(p) * p.seconds, 0) / seconds;
  return {
    requests,
    seconds,
    requestsPerSecond: requests / seconds,
    serverCores: phases.some((p) => p.serverCores === null) ? null : weighted((p) => p.serverCores!),
    serverWaiting: phases.some((p) => p.serverWaiting === null) ? null : weighted((p) => p.serverWaiting!),
    clientCores: weighted((p) => p.clientCores),
  };
}

/** The id of a created resource; anything but 201 fails the run with the server's answer. */
function createdId(reply: Reply, what: string): string {
  if (reply.status !== 201) throw new Error(`SCIM bench: ${what}: ${reply.status} ${reply.body}`);
  return (JSON.parse(reply.body) as { id: string }).id;
}

async function startStore(
  kind: 'embedded' | 'postgres',
  port: number,
  dir: string,
): Promise<{ args: string[]; cluster?: PgCluster }> {
  if (kind === 'embedded') return { args: ['--data-dir', join(dir, 'data')] };
  const cluster = startPgCluster(port + 10);
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('create database latch_scim');
  await admin.end();
  return { args: ['--database-url', cluster.url.replace(/\/postgres$/, '/latch_scim')], cluster };
}

export async function benchScim(
  kind: 'embedded' | 'postgres',
  port: number,
  opts: {
    users?: number;
    groups?: number;
    membersPerGroup?: number;
    connections?: number;
    samples?: number;
  } = {},
): Promise<ScimBenchResult> {
  const userCount = opts.users ?? 10_000;
  const groupCount = opts.groups ?? 1_000;
  const perGroup = opts.membersPerGroup ?? 100;
  const connections = opts.connections ?? 4;
  const samples = opts.samples ?? 5_000;
  const membersPerPatch = 100;
  if (perGroup > userCount) throw new Error('SCIM bench: more members per group than users');

  const dir = mkdtempSync(join(tmpdir(), 'latch-bench-scim-'));
  let cluster: PgCluster | undefined;
  let server: Server | undefined;
  // maxSockets caps the agent at the provider's connections; keep-alive keeps them the same sockets.
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  try {
    const started = await startStore(kind, port, dir);
    cluster = started.cluster;
    server = await serve(port, started.args);
    const base = new URL(server.url);
    const pid = server.child.pid;
    const { token } = await call<{ token: string }>(server.url, BENCH_TOKEN, 'POST', '/scim-tokens', {
      name: 'bench identity provider',
    });

    // Each group's members: `perGroup` distinct users, by a partial Fisher-Yates shuffle per group.
    const rand = mulberry32(0x5c1a);
    const order = Array.from({ length: userCount }, (_, i) => i);
    const members: number[][] = [];
    for (let g = 0; g < groupCount; g++) {
      for (let k = 0; k < perGroup; k++) {
        const j = k + Math.floor(rand() * (userCount - k));
        [order[k], order[j]] = [order[j]!, order[k]!];
      }
      members.push(order.slice(0, perGroup));
    }
    const patches: { group: number; users: number[] }[] = [];
    for (let g = 0; g < groupCount; g++)
      for (let k = 0; k < perGroup; k += membersPerPatch)
        patches.push({ group: g, users: members[g]!.slice(k, k + membersPerPatch) });

    const userIds: string[] = new Array<string>(userCount);
    const groupIds: string[] = new Array<string>(groupCount);
    const users = await phase(userCount, connections, pid, async (i) => {
      const reply = await send(agent, base, 'POST', '/scim/v2/Users', token, {
        schemas: [USER_SCHEMA],
        userName: `u${i}@corp.test`,
        name: { givenName: 'U', familyName: String(i) },
        emails: [{ value: `u${i}@corp.test`, primary: true }],
        active: true,
      });
      userIds[i] = createdId(reply, `create user ${i}`);
    });
    const groups = await phase(groupCount, connections, pid, async (i) => {
      const reply = await send(agent, base, 'POST', '/scim/v2/Groups', token, {
        schemas: [GROUP_SCHEMA],
        displayName: `g${i}`,
        members: [],
      });
      groupIds[i] = createdId(reply, `create group ${i}`);
    });
    const memberships = await phase(patches.length, connections, pid, async (i) => {
      const { group, users: batch } = patches[i]!;
      const reply = await send(
        agent,
        base,
        'PATCH',
        `/scim/v2/Groups/${groupIds[group]}?excludedAttributes=members`,
        token,
        {
          schemas: [PATCH_SCHEMA],
          Operations: [{ op: 'add', path: 'members', value: batch.map((u) => ({ value: userIds[u] })) }],
        },
      );
      if (reply.status !== 200)
        throw new Error(`SCIM bench: PATCH group ${group}: ${reply.status} ${reply.body}`);
    });

    const check = await checkIndex(agent, base, {
      userIds,
      groupIds,
      members,
      samples,
      rand,
    });
    return {
      store: kind,
      users: userCount,
      groups: groupCount,
      memberships: groupCount * perGroup,
      membersPerPatch,
      connections,
      phases: { users, groups, memberships },
      total: overall([users, groups, memberships]),
      check,
    };
  } finally {
    agent.destroy();
    if (server) await stop(server);
    cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Pair {
  user: number;
  group: number;
  expected: boolean;
}

/** The answers of the access check API for `pairs`, in batches of its limit. */
async function allowedOf(
  agent: http.Agent,
  base: URL,
  ids: { userIds: string[]; groupIds: string[] },
  pairs: Pair[],
) {
  const allowed: boolean[] = [];
  for (let i = 0; i < pairs.length; i += CHECK_BATCH) {
    const batch = pairs.slice(i, i + CHECK_BATCH);
    const reply = await send(
      agent,
      base,
      'POST',
      '/api/v1/access/check',
      BENCH_TOKEN,
      { checks: batch.map((p) => ({ userId: ids.userIds[p.user], groupId: ids.groupIds[p.group] })) },
      'application/json',
    );
    if (reply.status !== 200) throw new Error(`SCIM bench: access check: ${reply.status} ${reply.body}`);
    const { results } = JSON.parse(reply.body) as {
      results: { allowed: boolean; error?: { code: string; detail: string } }[];
    };
    for (const [k, r] of results.entries()) {
      // An answer with an error is a check the index could not make: as wrong as a wrong answer.
      if (r.error) throw new Error(`SCIM bench: access check ${i + k}: ${r.error.code} ${r.error.detail}`);
      allowed.push(r.allowed);
    }
  }
  return allowed;
}

/**
 * Pushed pairs alone would not catch an index that allows too much, and random pairs (1% of them members)
 * would barely test the memberships, so half the sample is each. Any mismatch fails the run; the mismatched
 * pairs are asked again after 2 s so the error says whether the index was late or wrong.
 */
async function checkIndex(
  agent: http.Agent,
  base: URL,
  input: { userIds: string[]; groupIds: string[]; members: number[][]; samples: number; rand: () => number },
): Promise<ScimBenchResult['check']> {
  const { members, rand } = input;
  const isMember = members.map((m) => new Set(m));
  const half = Math.max(500, Math.floor(input.samples / 2));
  const pairs: Pair[] = [];
  for (let n = 0; n < half; n++) {
    const group = Math.floor(rand() * members.length);
    const user = members[group]![Math.floor(rand() * members[group]!.length)]!;
    pairs.push({ user, group, expected: true });
  }
  for (let n = 0; n < half; n++) {
    const group = Math.floor(rand() * members.length);
    const user = Math.floor(rand() * input.userIds.length);
    pairs.push({ user, group, expected: isMember[group]!.has(user) });
  }
  const answers = await allowedOf(agent, base, input, pairs);
  const wrong = pairs.filter((p, i) => answers[i] !== p.expected);
  if (wrong.length > 0) {
    await new Promise((r) => setTimeout(r, 2000));
    const again = await allowedOf(agent, base, input, wrong);
    const still = wrong.filter((p, i) => again[i] !== p.expected);
    const shown = wrong
      .slice(0, 5)
      .map((p) => `user ${input.userIds[p.user]} group ${input.groupIds[p.group]} expected ${p.expected}`);
    throw new Error(
      `SCIM bench: access index wrong for ${wrong.length} of ${pairs.length} pairs ` +
        `(${still.length} still wrong after 2 s), e.g. ${shown.join('; ')}`,
    );
  }
  return {
    memberPairs: half,
    randomPairs: half,
    randomPairsAllowed: pairs.slice(half).filter((p) => p.expected).length,
    mismatches: 0,
  };
}
