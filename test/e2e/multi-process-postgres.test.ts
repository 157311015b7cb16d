import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  runCli,
  spawnLatch,
  stopProcess,
  waitForHealthy,
  type LatchProcess,
} from '../support/processes.js';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.js';
import { withDatabase } from '../support/test-store.js';
import { generateKeyText } from '../../src/keys/key-material.js';

// Two Latch servers on one PostgreSQL: each process's access index must learn the other's changes.

const TOKEN = `latch_multi_${'m'.repeat(40)}`;
let cluster: PgCluster;
let a: LatchProcess;
let b: LatchProcess;
let url: string;

beforeAll(async () => {
  cluster = startPgCluster(await freePort());
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('create database latch_multi');
  await admin.end();
  url = withDatabase(cluster.url, 'latch_multi');
  const env = {
    DATABASE_URL: url,
    LATCH_AUDIT_KEY: generateKeyText(),
    LATCH_SECRET_KEY: generateKeyText(),
    LATCH_BOOTSTRAP_ADMIN_EMAIL: 'ops@example.test',
    LATCH_BOOTSTRAP_ADMIN_TOKEN: TOKEN,
  };
  a = spawnLatch(['serve', '--port', String(await freePort())], env);
  b = spawnLatch(['serve', '--port', String(await freePort())], env);
  await Promise.all([waitForHealthy(a), waitForHealthy(b)]);
}, 120_000);

afterAll(async () => {
  await Promise.all([a && stopProcess(a), b && stopProcess(b)]);
  cluster?.stop();
});

async function call<T>(p: LatchProcess, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${p.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return (await res.json()) as T;
}

/** Milliseconds from "the write returned" until `p` answers allowed/denied as expected. */
async function latencyUntil(
  p: LatchProcess,
  userId: string,
  groupId: string,
  allowed: boolean,
  limitMs: number,
) {
  const start = performance.now();
  while (performance.now() - start < limitMs) {
    const r = await call<{ allowed: boolean }>(p, 'GET', `/access/check?userId=${userId}&groupId=${groupId}`);
    if (r.allowed === allowed) return performance.now() - start;
    await new Promise((res) => setTimeout(res, 2));
  }
  return Infinity;
}

describe('several processes on one PostgreSQL', () => {
  it('shows a grant made through one process in the other by notification, and its revocation too', async () => {
    const user = await call<{ id: string }>(a, 'POST', '/users', {
      email: 'multi@example.test',
      name: 'Multi',
    });
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const group = await call<{ id: string }>(a, 'POST', '/groups', { name: `multi-${i}` });
      const grant = await call<{ id: string }>(a, 'POST', `/groups/${group.id}/members`, { userId: user.id });
      latencies.push(await latencyUntil(b, user.id, group.id, true, 2000));
      await call(a, 'DELETE', `/grants/${grant.id}`);
      latencies.push(await latencyUntil(b, user.id, group.id, false, 2000));
    }
    // Each change arrives (none waited the full 2 s), and most within 200 ms: by notification, not by the 1 s
    // backstop poll, which alone would put the median near 500 ms. The tail under load is the bench's to measure
    // (break-glass activation, other process); one slow answer on a busy machine is not a failure here.
    expect(latencies.every(Number.isFinite), latencies.join(', ')).toBe(true);
    const median = [...latencies].sort((x, y) => x - y)[latencies.length / 2]!;
    expect(median, latencies.join(', ')).toBeLessThan(200);
  });

  it('resynchronises when its notification connection is cut', async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const killed = await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = 'latch_multi' and query ilike 'listen%'`,
    );
    await admin.end();
    expect(killed.rowCount).toBeGreaterThanOrEqual(2);
    const user = await call<{ id: string }>(a, 'POST', '/users', {
      email: 'resync@example.test',
      name: 'Resync',
    });
    const group = await call<{ id: string }>(a, 'POST', '/groups', { name: 'resync' });
    await call(a, 'POST', `/groups/${group.id}/members`, { userId: user.id });
    // Without LISTEN the backstop poll (1 s) still brings the change; then LISTEN reconnects.
    expect(await latencyUntil(b, user.id, group.id, true, 3000)).toBeLessThan(3000);
  });

  it('answers check and explain from the CLI', async () => {
    const user = await call<{ id: string }>(a, 'POST', '/users', {
      email: 'cli-check@example.test',
      name: 'Cli',
    });
    const top = await call<{ id: string }>(a, 'POST', '/groups', { name: 'cli-top' });
    const leaf = await call<{ id: string }>(a, 'POST', '/groups', { name: 'cli-leaf' });
    await call(a, 'POST', `/groups/${top.id}/assets`, { groupId: leaf.id });
    await call(a, 'POST', `/groups/${top.id}/members`, { userId: user.id, durationMinutes: 60 });
    const env = { LATCH_URL: b.url, LATCH_TOKEN: TOKEN };
    await latencyUntil(b, user.id, leaf.id, true, 2000);
    const explain = await runCli(['explain', 'cli-check@example.test', 'cli-leaf'], env);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain(`${top.id} -> ${leaf.id}`);
    const denied = await runCli(['check', 'cli-check@example.test', 'multi-0'], env);
    expect(denied.code).toBe(4);
    expect(denied.stdout).toContain('denied');
  });
});
