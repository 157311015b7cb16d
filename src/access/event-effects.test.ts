import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../domain/event-types.js';
import { EVENT_EFFECTS, effectOf } from './event-effects.js';

const src = new URL('..', import.meta.url).pathname;

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

describe('what each event changes in the access index', () => {
  it('is declared for every event type', () => {
    for (const type of EVENT_TYPES) expect(EVENT_EFFECTS[type], type).toBeDefined();
    expect(Object.keys(EVENT_EFFECTS).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('is declared for every event type the code writes', () => {
    // Any `type: 'feature.thing'` an operation or a job writes must be a declared event type.
    const written = new Set<string>();
    for (const file of [...sources(join(src, 'ops')), ...sources(join(src, 'jobs'))])
      for (const m of readFileSync(file, 'utf8').matchAll(/type:\s*'([a-z_]+\.[a-z_.]+)'/g))
        written.add(m[1]!);
    const undeclared = [...written].filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
    expect(undeclared).toEqual([]);
    expect(written.size).toBeGreaterThan(30);
  });

  it('reads back every followed subject of an event of a type this version does not know', () => {
    const e = {
      id: 'evt_x',
      seq: 1,
      type: 'future.kind',
      actorId: null,
      subjects: [],
      data: {},
      createdAt: '2026-01-01T00:00:00.000Z',
      prevHash: '',
      hash: '',
    };
    expect(effectOf(e)).toEqual({
      kind: 'reread',
      subjects: ['grant', 'asset', 'user', 'group', 'resource'],
    });
  });
});
