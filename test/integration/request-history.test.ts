import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Caller, type Harness } from '../support/harness.js';
import { entry, requestKit } from '../support/requests.js';

// A request carries its decision history: every approval, stage by stage, with who, when and their comment.

let h: Harness;
let kit: ReturnType<typeof requestKit>;
let first: Caller;
let second: Caller;
let asker: Caller;
beforeAll(async () => {
  h = await startHarness();
  kit = requestKit(h);
  [first, second, asker] = await Promise.all([h.newUser(), h.newUser(), h.newUser()]);
});
afterAll(() => h.close());

describe('decision history', () => {
  it('lists each stage approval with its reviewer, time and comment', async () => {
    const g = await kit.group();
    await kit.configure(`groups/${g.id}`, [
      entry({
        reviewerStages: [
          { operator: 'any', reviewers: { userIds: [first.user.id] } },
          { operator: 'any', reviewers: { userIds: [second.user.id] } },
        ],
      }),
    ]);
    const asked = await kit.asked(asker, { items: [{ groupId: g.id }] });
    expect(asked.items[0]!.approvals).toEqual([]);
    await kit.approve(first, asked.id, { comment: 'ok from the team' });
    await kit.approve(second, asked.id, { comment: 'ok from security' });
    const done = (await kit.get(asked.id)).body as typeof asked;
    expect(done.status).toBe('approved');
    expect(done.items[0]!.approvals).toEqual([
      { stageIndex: 0, userId: first.user.id, at: expect.any(String), comment: 'ok from the team' },
      { stageIndex: 1, userId: second.user.id, at: expect.any(String), comment: 'ok from security' },
    ]);
    expect(Date.parse(done.items[0]!.approvals[0]!.at)).toBeLessThanOrEqual(
      Date.parse(done.items[0]!.approvals[1]!.at),
    );
  });
});
