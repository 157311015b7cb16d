import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowReviewers } from '../../src/domain/access-reviews/reviewers.js';
import type { AccessReview, AccessReviewRow } from '../support/api-types.js';
import { inDays, reviewKit } from '../support/access-reviews.js';
import { startHarness, type Caller, type Harness } from '../support/harness.js';

// Who reviews what: owners, never their own access unless the campaign allows it (the fallback reviewers take
// it); a reviewer sees only their rows, others not the campaign at all; delegation hands rows over, audited.

let h: Harness;
let kit: ReturnType<typeof reviewKit>;
let ann: Caller; // owns the group and holds access to it
let bob: Caller; // owns the group
let cat: Caller; // holds access
let dan: Caller; // unrelated, later a delegate
let eve: Caller; // fallback reviewer
let groupId: string;
let orphanId: string;
let review: AccessReview;
let rows: AccessReviewRow[];

const rowOf = (c: Caller, item = groupId) => rows.find((r) => r.userId === c.user.id && r.groupId === item)!;

beforeAll(async () => {
  h = await startHarness();
  kit = reviewKit(h);
  [ann, bob, cat, dan, eve] = await Promise.all([
    h.newUser(),
    h.newUser(),
    h.newUser(),
    h.newUser(),
    h.newUser(),
  ]);
  groupId = await kit.group(kit.name('ledger'), [ann.user.id, bob.user.id]);
  orphanId = await kit.group(kit.name('orphan'));
  for (const c of [ann, cat]) await kit.member(groupId, c.user.id);
  for (const c of [cat, eve]) await kit.member(orphanId, c.user.id);
  review = await kit.start(null, {
    name: 'ledger review',
    scope: { groupIds: [groupId, orphanId] },
    reviewers: { type: 'owners', fallbackUserIds: [eve.user.id, dan.user.id] },
    deadline: inDays(10),
  });
  rows = await kit.rows(null, review.id);
});
afterAll(() => h.close());

describe('reviewers of a campaign', () => {
  it('are the owners, never for their own row; the fallback reviewers take rows nobody else may review', async () => {
    expect(rowOf(ann).reviewerIds).toEqual([bob.user.id]);
    expect(rowOf(cat).reviewerIds).toEqual([ann.user.id, bob.user.id].sort());
    expect(rowOf(cat, orphanId).reviewerIds).toEqual([dan.user.id, eve.user.id].sort());
    expect(rowOf(eve, orphanId).reviewerIds).toEqual([dan.user.id]);
    // The store assigned every row as the domain rule says.
    const owners = [ann.user.id, bob.user.id];
    for (const r of rows)
      expect([...r.reviewerIds].sort()).toEqual(
        rowReviewers(r.groupId === groupId ? owners : [], [eve.user.id, dan.user.id], r.userId, false).sort(),
      );
  });

  it('are told when the campaign starts, each with the number of rows waiting for them', async () => {
    const notices = (await kit.call(null, 'GET', '/notifications?kind=access_review.started&limit=500'))
      .items as {
      recipientUserId: string;
      payload: { accessReview: { id: string }; undecided: number };
    }[];
    const mine = notices.filter((n) => n.payload.accessReview.id === review.id);
    const counts = Object.fromEntries(mine.map((n) => [n.recipientUserId, n.payload.undecided]));
    const expected: Record<string, number> = {};
    for (const r of rows) for (const id of r.reviewerIds) expected[id] = (expected[id] ?? 0) + 1;
    expect(counts).toEqual(expected);
    expect(counts[bob.user.id]).toBe(2);
  });

  it('refuse self-review with self_review_forbidden', async () => {
    const res = await kit.decide(ann, review.id, { rowIds: [rowOf(ann).id], decision: 'keep' }, 403);
    expect(res.code).toBe('self_review_forbidden');
    expect(rowOf(ann).decision).toBeNull();
  });

  it('show a reviewer only their rows, and the campaign to nobody else', async () => {
    expect((await kit.rows(ann, review.id)).map((r) => r.id)).toEqual([rowOf(cat).id]);
    expect((await kit.rows(bob, review.id)).map((r) => r.id).sort()).toEqual(
      [rowOf(ann).id, rowOf(cat).id].sort(),
    );
    await kit.call(ann, 'GET', `/access-reviews/${review.id}/rows?reviewerId=${bob.user.id}`, undefined, 403);
    await kit.call(cat, 'GET', `/access-reviews/${review.id}`, undefined, 404);
    await kit.call(cat, 'GET', `/access-reviews/${review.id}/rows`, undefined, 404);
    await kit.call(cat, 'GET', `/access-reviews/${review.id}/report`, undefined, 404);
    await kit.decide(cat, review.id, { rowIds: [rowOf(cat).id], decision: 'keep' }, 404);
    expect((await kit.call(cat, 'GET', '/access-reviews')).items).toEqual([]);
    expect((await kit.call(ann, 'GET', '/access-reviews')).items.map((r: AccessReview) => r.id)).toEqual([
      review.id,
    ]);
    // A reviewer may not decide another reviewer's row, even one they can name.
    await kit.decide(ann, review.id, { rowIds: [rowOf(eve, orphanId).id], decision: 'keep' }, 404);
    // Admins read every row but decide only as reviewers.
    const admin = await kit.decide(null, review.id, { rowIds: [rowOf(cat).id], decision: 'keep' }, 403);
    expect(admin.code).toBe('forbidden');
  });

  it('say with each campaign and row what the caller may do, as the policy decides', async () => {
    const [asAnn] = await kit.rows(ann, review.id);
    expect(asAnn).toMatchObject({ id: rowOf(cat).id, abilities: { decide: true } });
    // Bob reviews Ann's row and Cat's; the admin reads every row and decides none.
    expect((await kit.rows(bob, review.id)).map((r) => r.abilities.decide)).toEqual([true, true]);
    expect((await kit.rows(null, review.id)).every((r) => !r.abilities.decide)).toBe(true);
    const shown = async (c: Caller | null) =>
      (await kit.call(c, 'GET', `/access-reviews/${review.id}`)) as AccessReview & {
        actingFor: string[];
        abilities: Record<string, boolean>;
      };
    expect(await shown(null)).toMatchObject({
      abilities: { close: true, readAllRows: true, delegateAny: true },
    });
    expect(await shown(ann)).toMatchObject({
      actingFor: [ann.user.id],
      abilities: { close: false, readAllRows: false, delegateOwn: true, delegateAny: false },
    });
  });

  it('hands rows over by delegation until a date, on the record', async () => {
    const body = { fromUserId: bob.user.id, toUserId: dan.user.email, until: inDays(2) };
    await kit.call(ann, 'POST', `/access-reviews/${review.id}/delegations`, body, 403);
    await kit.call(
      bob,
      'POST',
      `/access-reviews/${review.id}/delegations`,
      { ...body, until: inDays(-1) },
      400,
    );
    const delegation = await kit.call(bob, 'POST', `/access-reviews/${review.id}/delegations`, body, 201);
    expect(delegation).toMatchObject({
      fromUserId: bob.user.id,
      toUserId: dan.user.id,
      createdBy: bob.user.id,
    });
    const [event, ...more] = await kit.events('access_review.delegated', review.id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({ actorId: bob.user.id, data: { toUserId: dan.user.id } });
    expect(event!.subjects).toContainEqual({ type: 'user', id: dan.user.id });

    // Dan now reads and decides Bob's rows (besides his own fallback rows).
    const danRows = (await kit.rows(dan, review.id)).map((r) => r.id);
    expect(danRows).toEqual(expect.arrayContaining([rowOf(ann).id, rowOf(cat).id, rowOf(eve, orphanId).id]));
    await kit.decide(dan, review.id, { rowIds: [rowOf(ann).id], decision: 'keep' });
    const view = await kit.admin('GET', `/access-reviews/${review.id}`);
    expect(view.delegations).toEqual([
      expect.objectContaining({ fromUserId: bob.user.id, toUserId: dan.user.id }),
    ]);

    // Handed to the row's own user, the row stays out of their reach.
    await kit.admin(
      'POST',
      `/access-reviews/${review.id}/delegations`,
      { ...body, toUserId: ann.user.id },
      201,
    );
    const self = await kit.decide(ann, review.id, { rowIds: [rowOf(ann).id], decision: 'keep' }, 403);
    expect(self.code).toBe('self_review_forbidden');
    expect((await kit.events('access_review.delegated', review.id)).length).toBe(2);
  });

  it('narrow rows to one person or one item, for readers of every row and for a reviewer', async () => {
    const ids = (list: AccessReviewRow[]) => list.map((r) => r.id).sort();
    const email = encodeURIComponent(cat.user.email);
    // Cat holds the group and the orphan: both rows, asked by e-mail.
    expect(ids(await kit.rows(null, review.id, `&userId=${email}`))).toEqual(
      ids([rowOf(cat), rowOf(cat, orphanId)]),
    );
    expect(ids(await kit.rows(null, review.id, `&groupId=${orphanId}`))).toEqual(
      ids(rows.filter((r) => r.groupId === orphanId)),
    );
    expect(await kit.rows(null, review.id, `&userId=${email}&groupId=${orphanId}`)).toEqual([
      expect.objectContaining({ id: rowOf(cat, orphanId).id }),
    ]);
    // Bob reviews the group only: Cat's orphan row stays out of his reach.
    expect(ids(await kit.rows(bob, review.id, `&userId=${email}`))).toEqual([rowOf(cat).id]);
    expect(await kit.rows(bob, review.id, `&groupId=${orphanId}`)).toEqual([]);
    const both = await kit.call(
      null,
      'GET',
      `/access-reviews/${review.id}/rows?groupId=${groupId}&resourceId=${groupId}`,
      undefined,
      400,
    );
    expect(both.code).toBe('validation_failed');
  });

  it('let a reviewer who owns nothing find people by name, to hand rows to', async () => {
    // Eve reviews fallback rows and owns nothing; Cat only holds access.
    const found = await kit.call(eve, 'GET', `/users?query=${encodeURIComponent(dan.user.email)}`);
    expect(found.items).toEqual([{ id: dan.user.id, name: dan.user.name, email: dan.user.email }]);
    await kit.call(cat, 'GET', `/users?query=${encodeURIComponent(dan.user.email)}`, undefined, 403);
  });

  it('takes handed-over rows back before the date, on the record', async () => {
    const path = (who: Caller) =>
      `/access-reviews/${review.id}/delegations/${encodeURIComponent(who.user.email)}`;
    const body = { fromUserId: bob.user.id, toUserId: dan.user.id, until: inDays(2) };
    await kit.call(bob, 'POST', `/access-reviews/${review.id}/delegations`, body, 201);
    expect((await kit.rows(dan, review.id)).map((r) => r.id)).toContain(rowOf(cat).id);

    // The delegate cannot end it; the reviewer can (named by e-mail here).
    await kit.call(dan, 'DELETE', path(bob), undefined, 403);
    await kit.call(bob, 'DELETE', path(bob), undefined, 204);
    expect((await kit.rows(dan, review.id)).map((r) => r.id)).not.toContain(rowOf(cat).id);
    await kit.decide(dan, review.id, { rowIds: [rowOf(cat).id], decision: 'keep' }, 404);
    const [event, ...more] = await kit.events('access_review.delegation_ended', review.id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      actorId: bob.user.id,
      data: { name: review.name, fromUserId: bob.user.id, toUserId: dan.user.id },
    });
    const view = await kit.admin('GET', `/access-reviews/${review.id}`);
    const ended = view.delegations.find((d: { fromUserId: string }) => d.fromUserId === bob.user.id);
    expect(new Date(ended.until).getTime()).toBeLessThanOrEqual(Date.now());

    // Nothing left to take back.
    const again = await kit.call(bob, 'DELETE', path(bob), undefined, 404);
    expect(again.code).toBe('not_found');
  });

  it("page a reviewer's rows item by item in row order, their own assignments among them", async () => {
    // Bob reviews three groups; in the middle one Ann's own row is his alone, and Cat's is shared with Ann.
    const names = ['a', 'b', 'c'].map((x) => kit.name(`paged-${x}`));
    const groups = [];
    for (const name of names) groups.push(await kit.group(name, [ann.user.id, bob.user.id]));
    for (const g of groups) for (const c of [cat, dan, eve]) await kit.member(g, c.user.id);
    await kit.member(groups[1]!, ann.user.id);
    const paged = await kit.start(null, {
      name: 'paged review',
      scope: { groupIds: groups },
      reviewers: { type: 'owners' },
      deadline: inDays(10),
    });
    const all = await kit.rows(null, paged.id);
    const bobs = all.filter((r) => r.reviewerIds.includes(bob.user.id));
    expect(bobs).toHaveLength(10);
    const seen: AccessReviewRow[] = [];
    let cursor = '';
    for (let i = 0; i < 10; i++) {
      const page = (await kit.call(bob, 'GET', `/access-reviews/${paged.id}/rows?limit=3${cursor}`)) as {
        items: AccessReviewRow[];
        nextCursor: string | null;
      };
      seen.push(...page.items);
      if (!page.nextCursor) break;
      cursor = `&cursor=${encodeURIComponent(page.nextCursor)}`;
    }
    expect(seen.map((r) => r.id)).toEqual(bobs.map((r) => r.id));
    expect(seen.find((r) => r.userId === ann.user.id)!.reviewerIds).toEqual([bob.user.id]);
    // Ann's pages hold the same rows but her own.
    const anns = await kit.rows(ann, paged.id);
    expect(anns.map((r) => r.id)).toEqual(bobs.filter((r) => r.userId !== ann.user.id).map((r) => r.id));
    // Progress counts each reviewer's rows once.
    const progress = (await kit.call(null, 'GET', `/access-reviews/${paged.id}`)) as AccessReview;
    expect(progress.progress.byReviewer).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reviewerId: bob.user.id, total: 10 }),
        expect.objectContaining({ reviewerId: ann.user.id, total: 9 }),
      ]),
    );
    // Bob keeps Ann's own row (his alone) and one he shares with her: each reviewer counts what was theirs.
    const shared = seen.find((r) => r.userId === cat.user.id)!;
    const annsOwn = seen.find((r) => r.userId === ann.user.id)!;
    await kit.decide(bob, paged.id, { rowIds: [shared.id, annsOwn.id], decision: 'keep' });
    const decided = (await kit.call(null, 'GET', `/access-reviews/${paged.id}`)) as AccessReview;
    expect(decided.progress.decided).toBe(2);
    expect(decided.progress.byReviewer).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reviewerId: bob.user.id, decided: 2 }),
        expect.objectContaining({ reviewerId: ann.user.id, decided: 1 }),
      ]),
    );
  });

  it("are the named users for every item, a named user's own rows going to the fallback", async () => {
    const listed = await kit.start(null, {
      name: 'listed reviewers',
      scope: { groupIds: [groupId, orphanId] },
      reviewers: { type: 'users', userIds: [cat.user.id], fallbackUserIds: [dan.user.id] },
      deadline: inDays(10),
    });
    const listedRows = await kit.rows(null, listed.id);
    for (const r of listedRows)
      expect(r.reviewerIds).toEqual(rowReviewers([cat.user.id], [dan.user.id], r.userId, false));
    expect((await kit.rows(cat, listed.id)).map((r) => r.id)).toEqual(
      listedRows.filter((r) => r.userId !== cat.user.id).map((r) => r.id),
    );
  });

  it('let reviewers decide their own access when the campaign allows self-review', async () => {
    const allowed = await kit.start(null, {
      name: 'self review allowed',
      scope: { groupIds: [groupId] },
      reviewers: { type: 'owners' },
      deadline: inDays(10),
      allowSelfReview: true,
    });
    const own = (await kit.rows(ann, allowed.id)).find((r) => r.userId === ann.user.id)!;
    expect(own.reviewerIds).toEqual([ann.user.id, bob.user.id].sort());
    await kit.decide(ann, allowed.id, { rowIds: [own.id], decision: 'keep' });
  });
});
