import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsDecision } from '../../src/domain/access-reviews/campaign.js';
import type { AccessReview, AccessReviewRow } from '../support/api-types.js';
import { inDays, parseCsv, reviewKit } from '../support/access-reviews.js';
import { startHarness, type Caller, type Harness } from '../support/harness.js';

// A campaign over a group from start to close: a snapshot with direct members, members of groups that hold the
// group as an asset, and a break-glass user; an owner's decisions; the auditor's close and what it changes in
// access checks, the audit log and the report.

let h: Harness;
let kit: ReturnType<typeof reviewKit>;
let owner: Caller;
let auditor: Caller;
const people: Record<string, Caller> = {};
let groupId: string;
let nestedId: string;
let otherNestedId: string;
let nestedEdge: string;
const grants: Record<string, string> = {};
let review: AccessReview;
let rows: AccessReviewRow[];

const rowOf = (name: string, via: 'grant' | 'edge' = 'grant') =>
  rows.find((r) => r.userId === people[name]!.user.id && (via === 'grant') === (r.via.grantId !== null))!;

beforeAll(async () => {
  h = await startHarness();
  kit = reviewKit(h);
  owner = await h.newUser();
  auditor = await h.newUser('auditor');
  for (const name of ['keep', 'revoke', 'shorten', 'nested', 'still', 'glass'])
    people[name] = await h.newUser();
  groupId = await kit.group(kit.name('payroll <db> & "co"'), [owner.user.id]);
  nestedId = await kit.group(kit.name('finance'));
  otherNestedId = await kit.group(kit.name('auditing'));
  for (const name of ['keep', 'revoke', 'shorten', 'still'])
    grants[name] = await kit.member(
      groupId,
      people[name]!.user.id,
      name === 'shorten' ? { durationMinutes: 60 * 24 * 30 } : {},
    );
  await kit.member(nestedId, people.nested!.user.id);
  await kit.member(otherNestedId, people.still!.user.id);
  nestedEdge = await kit.nest(nestedId, groupId);
  await kit.nest(otherNestedId, groupId);
  await kit.admin('PUT', `/groups/${groupId}/break-glass`, {
    userIds: [people.glass!.user.id],
    durationMinutes: 60,
  });
  await kit.call(
    people.glass!,
    'POST',
    `/groups/${groupId}/break-glass/activations`,
    { reason: 'INC-1' },
    201,
  );
});
afterAll(() => h.close());

describe('an access review campaign', () => {
  it('refuses bad input with stable codes and changes nothing', async () => {
    const base = {
      name: 'q',
      scope: { groupIds: [groupId] },
      reviewers: { type: 'owners' },
      deadline: inDays(7),
    };
    const bad = [
      { ...base, deadline: new Date(Date.now() - 1000).toISOString() },
      { ...base, scope: {} },
      { ...base, scope: { groupIds: ['grp_nope'] } },
      { ...base, reviewers: { type: 'users' } },
      { ...base, reviewers: { type: 'users', userIds: ['usr_nope'] } },
    ];
    for (const body of bad) {
      const res = await h.request('POST', '/api/v1/access-reviews', { body });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    expect((await kit.call(owner, 'POST', '/access-reviews', base, 403)).code).toBe('forbidden');
    expect((await kit.admin('GET', '/access-reviews')).items).toEqual([]);
  });

  it('takes a snapshot: one row per user, item and what gives it, with its path', async () => {
    review = await kit.start(auditor, {
      name: 'Q3 payroll',
      scope: { groupIds: [groupId] },
      reviewers: { type: 'owners' },
      deadline: inDays(14),
    });
    expect(review).toMatchObject({ status: 'open', createdBy: auditor.user.id, closedAt: null, rowCount: 7 });
    // The break-glass window ends long before the deadline: listed, but no decision needed.
    expect(review.progress).toMatchObject({ total: 6, decided: 0 });
    expect(review.progress.byReviewer).toEqual([{ reviewerId: owner.user.id, total: 6, decided: 0 }]);
    rows = await kit.rows(auditor, review.id);
    expect(rows).toHaveLength(7);
    for (const name of ['keep', 'revoke', 'shorten', 'still'])
      expect(rowOf(name)).toMatchObject({
        groupId,
        resourceId: null,
        via: { grantId: grants[name], edge: null, path: [groupId] },
        reviewerIds: [owner.user.id],
        needsDecision: true,
        decision: null,
      });
    expect(rowOf('nested', 'edge')).toMatchObject({
      via: {
        grantId: null,
        edge: { assetId: nestedEdge, parentGroupId: nestedId, childGroupId: groupId, resourceId: null },
        path: [nestedId, groupId],
      },
      needsDecision: true,
    });
    expect(rowOf('still', 'edge').via.path).toEqual([otherNestedId, groupId]);
    expect(rowOf('glass')).toMatchObject({ needsDecision: false, via: { path: [groupId] } });
    // The snapshot's SQL and the domain rule agree on which rows need a decision.
    for (const r of rows)
      expect(r.needsDecision).toBe(
        needsDecision(r.accessEndsAt ? new Date(r.accessEndsAt) : null, new Date(review.deadline)),
      );
    // Later changes do not move the snapshot.
    const late = await h.newUser();
    await kit.member(groupId, late.user.id);
    expect(await kit.rows(auditor, review.id)).toHaveLength(7);
  });

  it('records an owner’s decisions, refusing what would be wrong', async () => {
    const decide = (body: Record<string, unknown>, status = 200) =>
      kit.decide(owner, review.id, body, status);
    const noComment = await decide({ rowIds: [rowOf('revoke').id], decision: 'revoke' }, 400);
    expect(noComment.code).toBe('validation_failed');
    await decide({ rowIds: [rowOf('shorten').id], decision: 'shorten', keepUntil: inDays(-1) }, 400);
    await decide({ rowIds: [rowOf('shorten').id], decision: 'shorten', keepUntil: inDays(60) }, 400);
    await decide({ rowIds: [rowOf('nested', 'edge').id], decision: 'shorten', keepUntil: inDays(2) }, 400);
    await decide({ rowIds: ['99999'], decision: 'keep' }, 404);
    expect((await kit.admin('GET', `/access-reviews/${review.id}`)).progress.decided).toBe(0);

    await decide({ rowIds: [rowOf('keep').id, rowOf('still', 'edge').id], decision: 'keep' });
    await decide({
      rowIds: [rowOf('revoke').id, rowOf('still').id],
      decision: 'revoke',
      comment: '=HYPERLINK("x") <left>',
    });
    const [shortened] = (
      await decide({
        rowIds: [rowOf('shorten').id],
        decision: 'shorten',
        keepUntil: inDays(3),
        comment: 'project ends',
      })
    ).items as AccessReviewRow[];
    expect(shortened).toMatchObject({ decision: 'shorten', decidedBy: owner.user.id });
    await decide({
      rowIds: [rowOf('nested', 'edge').id],
      decision: 'revoke',
      comment: 'finance no longer needs it',
    });
    const after = await kit.admin('GET', `/access-reviews/${review.id}`);
    expect(after.progress).toMatchObject({ total: 6, decided: 6 });
    expect(after.progress.byReviewer).toEqual([{ reviewerId: owner.user.id, total: 6, decided: 6 }]);
    expect((await kit.events('access_review.decided', review.id)).length).toBe(4);
    // Only admins and auditors close.
    await kit.call(owner, 'POST', `/access-reviews/${review.id}/close`, undefined, 403);
  });

  it('applies the decisions when the auditor closes it, once', async () => {
    const before = await kit.check(people.keep!.user.id, groupId);
    expect(before.allowed).toBe(true);
    const closed = await kit.call(auditor, 'POST', `/access-reviews/${review.id}/close`);
    expect(closed).toMatchObject({ status: 'closed', closedBy: auditor.user.id });
    expect(closed.closedAt).not.toBeNull();
    await kit.call(auditor, 'POST', `/access-reviews/${review.id}/close`, undefined, 409);
    await kit.decide(owner, review.id, { rowIds: [rowOf('keep').id], decision: 'keep' }, 409);

    const id = (name: string) => people[name]!.user.id;
    expect((await kit.check(id('keep'), groupId)).allowed).toBe(true);
    expect((await kit.check(id('revoke'), groupId)).allowed).toBe(false);
    expect((await kit.check(id('nested'), groupId)).allowed).toBe(false);
    expect((await kit.check(id('glass'), groupId)).allowed).toBe(true);
    // Their direct grant ended, but the other nested group still gives access: reported, not hidden.
    expect((await kit.check(id('still'), groupId)).allowed).toBe(true);
    const short = await kit.check(id('shorten'), groupId);
    expect(short.allowed).toBe(true);
    expect(Date.parse(short.expiresAt!)).toBeLessThan(Date.now() + 4 * 86_400_000);

    const revoked = await kit.admin('GET', `/grants/${grants.revoke}`);
    expect(revoked).toMatchObject({
      status: 'revoked',
      endReason: 'access_review',
      endedBy: auditor.user.id,
    });
    const [event, ...more] = await kit.events('grant.revoked', grants.revoke!);
    expect(more).toEqual([]);
    expect(event!.subjects).toContainEqual({ type: 'access_review', id: review.id });
    expect(event!.data).toMatchObject({ reason: 'access_review', accessReviewId: review.id });
    const removed = await kit.events('asset.removed', nestedEdge);
    expect(removed).toHaveLength(1);
    expect(removed[0]!.subjects).toContainEqual({ type: 'access_review', id: review.id });
    expect(await kit.events('grant.shortened', grants.shorten!)).toHaveLength(1);
    expect(await kit.events('access_review.closed', review.id)).toHaveLength(1);

    rows = await kit.rows(auditor, review.id);
    expect(rowOf('keep').effect).toBe('kept');
    expect(rowOf('revoke').effect).toBe('revoked');
    expect(rowOf('nested', 'edge').effect).toBe('revoked');
    expect(rowOf('shorten').effect).toMatch(/^shortened: until /);
    expect(rowOf('still').effect).toMatch(/^revoked: still has access through auditing-/);
    expect(rowOf('glass').effect).toBe('no decision needed: the access ends before the deadline');
    expect(closed.outcome).toMatchObject({ kept: 2, revoked: 3, shortened: 1, 'no decision needed': 1 });
    expect((await kit.admin('GET', '/events/verify')).ok).toBe(true);
  });

  it('reports every row as CSV, safe to open, and as a printable page', async () => {
    const res = await h.request('GET', `/api/v1/access-reviews/${review.id}/report?format=csv`);
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('text/csv');
    const [header, ...lines] = parseCsv(res.body as string);
    expect(header!.join(',')).toBe(
      'user_email,item_type,item_name,access_level,path,reviewer_emails,decision,keep_until,decided_by,decided_at,comment,effect',
    );
    expect(lines).toHaveLength(7);
    const line = (name: string) =>
      lines.find((l) => l[0] === people[name]!.user.email && l[4]!.split(' > ').length === 1)!;
    expect(line('revoke')).toEqual([
      people.revoke!.user.email,
      'group',
      expect.stringMatching(/^payroll <db> & "co"/),
      '',
      expect.stringMatching(/^payroll/),
      owner.user.email,
      'revoke',
      '',
      owner.user.email,
      expect.any(String),
      `'=HYPERLINK("x") <left>`,
      'revoked',
    ]);
    const nestedLine = lines.find((l) => l[0] === people.nested!.user.email)!;
    expect(nestedLine[4]).toMatch(/^finance-.* > payroll/);
    const html = await h.request('GET', `/api/v1/access-reviews/${review.id}/report?format=html`);
    expect(html.status).toBe(200);
    const page = html.body as string;
    expect(page).toContain('payroll &lt;db&gt; &amp; &quot;co&quot;');
    expect(page).toContain('=HYPERLINK(&quot;x&quot;) &lt;left&gt;');
    expect(page).not.toContain('<left>');
    expect(page.match(/<tr>/g)).toHaveLength(8);
  });
});
