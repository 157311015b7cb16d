import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort, repoRoot } from '../support/processes.js';

// Prism (the Stoplight OpenAPI mock and validating proxy) as a stand-in provider built from the provider's own
// spec. With `--errors` it refuses any request the spec does not allow, and in proxy mode any upstream answer
// the spec does not allow. Each runs in its own process group so stopping it leaves nothing behind.

const prismCli = join(repoRoot, 'node_modules/@stoplight/prism-cli/dist/index.js');

export interface Prism {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** `args` is `['mock', spec]` or `['proxy', spec, upstream]`. Resolves once Prism answers HTTP. */
export async function startPrism(args: string[], timeoutMs = 55_000): Promise<Prism> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [prismCli, ...args, '--port', String(port), '--host', '127.0.0.1', '--errors', '--verboseLevel', 'warn'],
    { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-8000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* already gone */
    }
  };
  // Should the test process die without running afterAll, Prism must not outlive it.
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);
  const prism: Prism = {
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    async stop() {
      process.off('exit', onExit);
      if (isRunning(child)) {
        killGroup('SIGTERM');
        const gone = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
        if (!gone) killGroup('SIGKILL');
      }
      await exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(child)) throw new Error(`Prism ${args[0]} exited before listening:\n${out}`);
    if (await answers(prism.url)) return prism;
    await delay(250);
  }
  await prism.stop();
  throw new Error(`Prism ${args[0]} did not listen within ${timeoutMs} ms:\n${out}`);
}

function isRunning(child: ChildProcess) {
  return child.exitCode === null && child.signalCode === null;
}

async function answers(url: string): Promise<boolean> {
  try {
    await (await fetch(url, { signal: AbortSignal.timeout(1000) })).arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
