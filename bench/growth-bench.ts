import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The embedded store's memory and disk at dataset A, with PGlite's default PostgreSQL settings and with Latch's
// (src/store/embedded-settings.ts), each in a fresh child process and data directory (see growth-child.ts).

export interface GrowthResult {
  mode: 'defaults' | 'latch';
  /** The process's resident memory at the end, and its peak. */
  rssMb: number;
  peakRssMb: number;
  /** The data directory on disk (`du`), and its WAL alone. */
  dataDirMb: number;
  walMb: number;
  events: number;
  catchUpMs: number;
  writeMs: number;
}

const child = fileURLToPath(new URL('./growth-child.js', import.meta.url));

function runChild(step: 'load' | 'serve', dataDir: string, mode: GrowthResult['mode']): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', child, step, dataDir, mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, LATCH_LOG_LEVEL: 'warn' },
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`growth bench: ${step} (${mode}) exited ${code}`)),
    );
  });
}

async function measure(mode: GrowthResult['mode']): Promise<GrowthResult> {
  const dir = mkdtempSync(join(tmpdir(), 'latch-bench-growth-'));
  try {
    await runChild('load', join(dir, 'data'), mode);
    const out = await runChild('serve', join(dir, 'data'), mode);
    return JSON.parse(out.trim().split('\n').pop() ?? '') as GrowthResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchGrowth(): Promise<GrowthResult[]> {
  return [await measure('defaults'), await measure('latch')];
}
