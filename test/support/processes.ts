import { spawn, type ChildProcess } from 'node:child_process';
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
): LatchProcess & { stdout(): string; stderr(): string } {
  const child = spawn(command[0], [...command[1], ...args], {
    cwd: repoRoot,
    env: { ...process.env, LATCH_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
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
  p.child.kill(signal);
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
