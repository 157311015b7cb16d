import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

// Real `latch` processes for tests about processes: locks, crashes, signals, the CLI. They run the TypeScript
// sources through tsx so no build is needed.

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cliArgs = ['--import', 'tsx', 'src/cli/main.ts'];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface LatchProcess {
  child: ChildProcess;
  port: number;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

export function spawnLatch(
  args: string[],
  env: Record<string, string> = {},
  command: [string, string[]] = [process.execPath, cliArgs],
  cwd: string = repoRoot,
): LatchProcess & { stdout(): string; stderr(): string } {
  const child = spawn(command[0], [...command[1], ...args], {
    cwd,
    env: { ...process.env, LATCH_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping it also stops what it started (`npm start` does not pass SIGTERM on).
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const portArg = args.indexOf('--port');
  const port = portArg >= 0 ? Number(args[portArg + 1]) : Number(env.LATCH_PORT ?? 8080);
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => out + err,
    stdout: () => out,
    stderr: () => err,
    exited,
  };
}

export async function waitForHealthy(p: LatchProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void p.exited.then((c) => (exitCode = c));
  while (Date.now() < deadline) {
    if (exitCode !== undefined)
      throw new Error(`latch exited (${exitCode}) before it was healthy:\n${p.output()}`);
    try {
      const res = await fetch(`${p.url}/readyz`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`latch did not become healthy:\n${p.output()}`);
}

export async function stopProcess(
  p: LatchProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<number | null> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.child.exitCode;
  try {
    process.kill(-p.child.pid!, signal);
  } catch {
    p.child.kill(signal); // the group is gone already; make sure the process is too
  }
  return p.exited;
}

export async function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = spawnLatch(args, env);
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked by each test's assertions
export type AnyBody = any;

/** One API call to a running process, as a client would make it. */
export async function callApi(
  p: LatchProcess,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: AnyBody }> {
  const res = await fetch(`${p.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Temporary data directories and servers for one test file, all removed or killed by `cleanup`. */
export function processFixture() {
  const dirs: string[] = [];
  const running: LatchProcess[] = [];
  return {
    tempDir(prefix = 'latch-e2e-') {
      const d = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(d);
      return d;
    },
    /** `port` when the environment must name it (LATCH_PUBLIC_URL); a free one otherwise. */
    async serve(dataDir: string, env: Record<string, string> = {}, port?: number) {
      const p = spawnLatch(
        ['serve', '--port', String(port ?? (await freePort())), '--data-dir', dataDir],
        env,
      );
      running.push(p);
      await waitForHealthy(p);
      return p;
    },
    async cleanup() {
      for (const p of running) await stopProcess(p, 'SIGKILL');
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}
