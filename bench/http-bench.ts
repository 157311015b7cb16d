import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BENCH_KEY_ENV } from './bench-keys.js';

// HTTP check throughput against a real `latch serve` process over loopback: the server gets its own process
// (and so its own core), autocannon the other.

export const BENCH_TOKEN = `latch_bench_${'b'.repeat(40)}`;
const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerHandle {
  url: string;
  readyMs: number;
  /** CPU time the server process has used so far (ms), from /proc; null where /proc is not available. */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

/** User plus system CPU time of a process, in ms (Linux /proc; clock ticks assumed 100 per second). */
export function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** Starts the compiled server on PostgreSQL; resolves once /readyz answers (its index is built by then). */
export async function startBenchServer(databaseUrl: string, port: number): Promise<ServerHandle> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['bin/latch.js', 'serve', '--port', String(port), '--database-url', databaseUrl, '--log-level', 'error'],
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
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error('bench server exited during start-up');
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    readyMs: performance.now() - started,
    cpuMs: () => processCpuMs(child.pid),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface HttpResult {
  requestsPerSecond: number;
  checksPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** `paths` are request paths; each request takes the next one, round-robin. */
export async function runAutocannon(
  url: string,
  paths: string[],
  opts: {
    durationSec: number;
    connections: number;
    method?: 'GET' | 'POST';
    bodies?: string[];
    checksPerRequest?: number;
  },
): Promise<HttpResult> {
  let i = 0;
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.durationSec,
    headers: { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' },
    requests: [
      {
        method: opts.method ?? 'GET',
        setupRequest: (req) => {
          const n = i++;
          return {
            ...req,
            path: paths[n % paths.length]!,
            ...(opts.bodies ? { body: opts.bodies[n % opts.bodies.length]! } : {}),
          };
        },
      },
    ],
  });
  const rps = result.requests.average;
  return {
    requestsPerSecond: rps,
    checksPerSecond: rps * (opts.checksPerRequest ?? 1),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}
