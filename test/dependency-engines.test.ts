import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// Every supported Node.js line must run every installed package: a dependency whose `engines` leaves one out
// installs with a warning and may fail at run time on exactly the machines that still run it.

const root = new URL('..', import.meta.url).pathname;
const manifest = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    engines?: { node?: string };
  };

/** The lowest version of each supported line, taken from our own `engines` range. */
function supportedFloors(range: string): string[] {
  return range.split('||').map((part) => semver.minVersion(part.trim())!.version);
}

function installedPackages(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (name.startsWith('@')) installedPackages(path, out);
    else if (existsSync(join(path, 'package.json'))) {
      out.push(path);
      installedPackages(join(path, 'node_modules'), out);
    }
  }
  return out;
}

describe('supported Node.js versions', () => {
  const range = manifest(root).engines?.node ?? '';
  const floors = supportedFloors(range);

  it('are 20, 22 and 24', () => {
    expect(floors.map((v) => semver.major(v))).toEqual([20, 22, 24]);
  });

  it('are all accepted by every installed package', () => {
    const refused: string[] = [];
    for (const dir of installedPackages(join(root, 'node_modules'))) {
      const pkg = manifest(dir);
      const wanted = pkg.engines?.node;
      if (typeof wanted !== 'string') continue;
      for (const v of floors)
        if (!semver.satisfies(v, wanted)) refused.push(`${pkg.name}@${pkg.version} (${wanted}) refuses ${v}`);
    }
    expect(refused).toEqual([]);
  });
});
