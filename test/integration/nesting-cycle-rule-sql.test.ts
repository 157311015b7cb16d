import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wouldCreateCycle } from '../../src/domain/nesting.js';
import { groupReaches, lockNesting } from '../../src/store/nesting.js';
import { startHarness, type Harness } from '../support/harness.js';

// The nesting rule is defined once (src/domain/nesting.ts); the store applies it in SQL under its lock. Both
// answer the same generated questions here, on edges with every kind of end and removal.

let h: Harness;
const groups: string[] = [];
const NOW = Date.parse('2026-06-01T12:00:00Z');

beforeAll(async () => {
  h = await startHarness();
  for (let i = 0; i < 5; i++) {
    const g = await h.request('POST', '/api/v1/groups', { body: { name: `rule-${i}` } });
    groups.push(g.body.id);
  }
});
afterAll(() => h.close());

const edgeArb = fc.record({
  parent: fc.nat({ max: 4 }),
  child: fc.nat({ max: 4 }),
  // Ended before, exactly at, or after the question's moment, or no end at all.
  end: fc.oneof(
    fc.constant(null),
    fc.integer({ min: -3, max: 3 }).map((m) => NOW + m * 1000),
  ),
  removed: fc.boolean(),
});

class Rollback extends Error {}

describe('the nesting rule in SQL and in the domain', () => {
  it('agrees on whether an edge would close a loop, for every pair of groups', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(edgeArb, { maxLength: 8 }), async (specs) => {
        const edges = specs.map((s, i) => ({
          id: `ast_rule_${i}`,
          parentGroupId: groups[s.parent]!,
          childGroupId: groups[s.child]!,
          endsAt: s.end,
          removed: s.removed,
        }));
        await h.latch.store.db
          .transaction()
          .execute(async (trx) => {
            await lockNesting(trx);
            if (edges.length)
              await trx
                .insertInto('assets')
                .values(
                  edges.map((e) => ({
                    id: e.id,
                    group_id: e.parentGroupId,
                    asset_group_id: e.childGroupId,
                    expires_at: e.endsAt === null ? null : new Date(e.endsAt),
                    created_at: new Date(NOW - 60_000),
                    removed_at: e.removed ? new Date(NOW - 30_000) : null,
                  })),
                )
                .execute();
            const live = edges.filter((e) => !e.removed);
            for (const parent of groups)
              for (const child of groups) {
                const sql = parent === child || (await groupReaches(trx, child, parent, new Date(NOW)));
                expect(sql).toBe(wouldCreateCycle(live, parent, child, NOW));
              }
            throw new Rollback();
          })
          .catch((err: unknown) => {
            if (!(err instanceof Rollback)) throw err;
          });
      }),
      { numRuns: 40 },
    );
  });
});
