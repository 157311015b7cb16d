import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startPgCluster } from '../test/support/pg-cluster.js';
import { BENCH_TOKEN } from './http-bench.js';
import { BENCH_KEY_ENV } from './bench-keys.js';

// Break-glass latency as a person meets it: from sending the activation until a check answers `allowed` on
// the same process, and, with PostgreSQL, until a second Latch process on the same database answers it.

const root = fileURLToPath(new URL('../..', import.meta.url));
export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export interface Server {
  url: string;
  child: ChildProcess;
}

/** Starts the compiled server with `args` (the store's options); resolves once /readyz answers. */
export async function serve(port: number, args: string[]): Promise<Server> {
  const child = spawn(
    process.execPath,
    ['bin/latch.js', 'serve', '--port', String(port), '--log-level', 'error', ...args],
    {
      cwd: root,
      env: {
        ...process.env,
        LATCH_BOOTSTRAP_ADMIN_EMAIL: 'bench@bench.test',
        LATCH_BOOTSTRAP_ADMIN_TOKEN: BENCH_TOKEN,
        ...BENCH_KEY_ENV,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error('bench server exited during start-up');
    try {
      if ((await fetch(`${url}/readyz`)).ok) return { url, child };
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const stop = (s: Server) =>
  new Promise<void>((resolve) =>
    s.child.exitCode !== null ? resolve() : (s.child.on('exit', () => resolve()), s.child.kill('SIGTERM')),
  );

/** One /api/v1 call; anything but 2xx throws with the answer's body. */
export async function call<T>(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function untilAllowed(url: string, userId: string, groupId: string, limitMs = 5000): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < limitMs) {
    const r = await call<{ allowed: boolean }>(
      url,
      BENCH_TOKEN,
      'GET',
      `/access/check?userId=${userId}&groupId=${groupId}`,
    );
    if (r.allowed) return performance.now();
    await new Promise((res) => setTimeout(res, 1));
  }
  throw new Error('access never became usable');
}

export interface ActivationBenchResult {
  store: 'embedded' | 'postgres';
  activations: number;
  usableP50Ms: number;
  usableP99Ms: number;
  /** PostgreSQL only: from the 201 on one process until another process answers allowed. */
  otherProcessP50Ms?: number;
  otherProcessP99Ms?: number;
}

/** 1,000 activations spread over 50 users and 20 groups, one at a time, each timed to "usable". */
export async function benchActivation(
  store: 'embedded' | 'postgres',
  port: number,
  count = 1000,
): Promise<ActivationBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'latch-bench-bg-'));
  const cluster = store === 'postgres' ? startPgCluster(port + 10) : undefined;
  const servers: Server[] = [];
  try {
    let args = ['--data-dir', join(dir, 'data')];
    if (cluster) {
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query('create database latch_bg');
      await admin.end();
      args = ['--database-url', cluster.url.replace(/\/postgres$/, '/latch_bg')];
    }
    servers.push(await serve(port, args));
    if (cluster) servers.push(await serve(port + 1, args));
    const [a, b] = servers as [Server, Server | undefined];
    const users: { id: string; token: string }[] = [];
    for (let i = 0; i < 50; i++) {
      const u = await call<{ id: string }>(a.url, BENCH_TOKEN, 'POST', '/users', {
        email: `bg${i}@bench.test`,
        name: `bg ${i}`,
      });
      const t = await call<{ token: string }>(a.url, BENCH_TOKEN, 'POST', `/users/${u.id}/tokens`, {
        name: 'bench',
      });
      users.push({ id: u.id, token: t.token });
    }
    const groups: string[] = [];
    for (let i = 0; i < 20; i++) {
      const g = await call<{ id: string }>(a.url, BENCH_TOKEN, 'POST', '/groups', { name: `bg-target-${i}` });
      await call(a.url, BENCH_TOKEN, 'PUT', `/groups/${g.id}/break-glass`, {
        userIds: users.map((u) => u.id),
      });
      groups.push(g.id);
    }
    const usable: number[] = [];
    const other: number[] = [];
    for (let i = 0; i < count; i++) {
      const user = users[i % users.length]!;
      const groupId = groups[Math.floor(i / users.length) % groups.length]!;
      const start = performance.now();
      await call(a.url, user.token, 'POST', `/groups/${groupId}/break-glass/activations`, {
        reason: `bench incident ${i}`,
      });
      const acknowledged = performance.now();
      usable.push((await untilAllowed(a.url, user.id, groupId)) - start);
      if (b) other.push((await untilAllowed(b.url, user.id, groupId)) - acknowledged);
    }
    usable.sort((x, y) => x - y);
    other.sort((x, y) => x - y);
    return {
      store,
      activations: count,
      usableP50Ms: percentile(usable, 50),
      usableP99Ms: percentile(usable, 99),
      ...(b ? { otherProcessP50Ms: percentile(other, 50), otherProcessP99Ms: percentile(other, 99) } : {}),
    };
  } finally {
    for (const s of servers) await stop(s);
    cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
