import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessReview, AccessReviewRow } from '../support/api-types.js';
import { inDays, parseCsv, reviewKit } from '../support/access-reviews.js';
import { startHarness, type Caller, type Harness } from '../support/harness.js';

// Access that nesting passes on, in a campaign: one row per user and edge into an item, whoever the user reaches
// the edge's parent through, with the path that gives it; read, paged, filtered, decided and closed like the
// rows of grants, and revoked by its edge when the campaign revokes what was left undecided.
//
// payroll and ledger (the items, owned by Olga) are held by finance; finance by staff; payroll also by audit.
// Ann is in finance, Bob in staff, Cat in both, Dan in finance and audit, Olga in finance, Eve in payroll itself.

type Page = { items: AccessReviewRow[]; nextCursor: string | null };

let h: Harness;
let kit: ReturnType<typeof reviewKit>;
const people: Record<string, Caller> = {};
const groups: Record<string, string> = {};
const edges: Record<string, string> = {};
let review: AccessReview;
let rows: AccessReviewRow[];

const id = (name: string) => people[name]!.user.id;
const rowOf = (person: string, item: string, edge: string) =>
  rows.find(
    (r) => r.userId === id(person) && r.groupId === groups[item] && r.via.edge?.assetId === edges[edge],
  )!;

async function pages(by: Caller | null, query: string, limit: number): Promise<AccessReviewRow[]> {
  const seen: AccessReviewRow[] = [];
  let cursor = '';
  for (let i = 0; i < 100; i++) {
    const page = (await kit.call(
      by,
      'GET',
      `/access-reviews/${review.id}/rows?limit=${limit}${query}${cursor}`,
    )) as Page;
    seen.push(...page.items);
    if (!page.nextCursor) return seen;
    cursor = `&cursor=${encodeURIComponent(page.nextCursor)}`;
  }
  throw new Error('too many pages');
}

beforeAll(async () => {
  h = await startHarness();
  kit = reviewKit(h);
  for (const name of ['ann', 'bob', 'cat', 'dan', 'olga', 'eve', 'fallback'])
    people[name] = await h.newUser();
  groups.payroll = await kit.group(kit.name('payroll'), [id('olga')]);
  groups.ledger = await kit.group(kit.name('ledger'), [id('olga')]);
  for (const name of ['finance', 'staff', 'audit']) groups[name] = await kit.group(kit.name(name));
  edges.financePayroll = await kit.nest(groups.finance!, groups.payroll!);
  edges.financeLedger = await kit.nest(groups.finance!, groups.ledger!);
  edges.staffFinance = await kit.nest(groups.staff!, groups.finance!);
  edges.auditPayroll = await kit.nest(groups.audit!, groups.payroll!);
  for (const [person, group] of [
    ['ann', 'finance'],
    ['bob', 'staff'],
    ['cat', 'finance'],
    ['cat', 'staff'],
    ['dan', 'finance'],
    ['dan', 'audit'],
    ['olga', 'finance'],
    ['eve', 'payroll'],
  ] as const)
    await kit.member(groups[group]!, id(person));
  review = await kit.start(null, {
    name: 'nesting',
    scope: { groupIds: [groups.payroll, groups.ledger] },
    reviewers: { type: 'owners', fallbackUserIds: [id('fallback')] },
    deadline: inDays(14),
    autoRevokeUnreviewed: true,
  });
  rows = await kit.rows(null, review.id);
});
afterAll(() => h.close());

describe('nested access in a campaign', () => {
  it('is one row per user and edge, through the path that gives it, after the item’s own grants', () => {
    // payroll: Eve's grant, five users through finance, Dan through audit; ledger: five through finance.
    expect(rows).toHaveLength(12);
    expect(review).toMatchObject({ rowCount: 12, progress: { total: 12, decided: 0 } });
    expect(rows.map((r) => Number(r.id))).toEqual([...rows.map((r) => Number(r.id))].sort((a, b) => a - b));
    const payroll = rows.filter((r) => r.groupId === groups.payroll);
    expect(payroll[0]).toMatchObject({ userId: id('eve'), via: { edge: null } });
    for (const person of ['ann', 'bob', 'cat', 'dan', 'olga'])
      for (const edge of ['financePayroll', 'financeLedger'])
        expect(
          rows.filter((r) => r.userId === id(person) && r.via.edge?.assetId === edges[edge]),
          person,
        ).toHaveLength(1);
    // Cat is in finance and in staff: one row per edge, through the shorter path.
    expect(rowOf('cat', 'payroll', 'financePayroll').via.path).toEqual([groups.finance, groups.payroll]);
    expect(rowOf('bob', 'payroll', 'financePayroll').via.path).toEqual([
      groups.staff,
      groups.finance,
      groups.payroll,
    ]);
    expect(rowOf('dan', 'payroll', 'auditPayroll')).toMatchObject({
      via: {
        grantId: null,
        edge: { parentGroupId: groups.audit, childGroupId: groups.payroll },
        path: [groups.audit, groups.payroll],
      },
      decision: null,
    });
  });

  it('gives the owner’s own rows to the fallback, the rest to the owner', () => {
    for (const r of rows)
      expect(r.reviewerIds, r.id).toEqual(r.userId === id('olga') ? [id('fallback')] : [id('olga')]);
  });

  it('pages the same rows as one read, for readers of every row, for the owner and for the fallback', async () => {
    expect((await pages(null, '', 2)).map((r) => r.id)).toEqual(rows.map((r) => r.id));
    const olgas = rows.filter((r) => r.userId !== id('olga'));
    expect((await pages(people.olga!, '', 3)).map((r) => r.id)).toEqual(olgas.map((r) => r.id));
    const fallbacks = rows.filter((r) => r.userId === id('olga'));
    expect((await pages(people.fallback!, '', 1)).map((r) => r.id)).toEqual(fallbacks.map((r) => r.id));
  });

  it('narrows to one person or one item', async () => {
    const dans = rows.filter((r) => r.userId === id('dan'));
    expect(dans).toHaveLength(3);
    expect((await pages(null, `&userId=${id('dan')}`, 1)).map((r) => r.id)).toEqual(dans.map((r) => r.id));
    expect(
      (await pages(people.olga!, `&userId=${id('dan')}&groupId=${groups.ledger}`, 5)).map((r) => r.id),
    ).toEqual([rowOf('dan', 'ledger', 'financeLedger').id]);
  });

  it('records a decision on a nested row, counted once and found by its decision', async () => {
    const kept = rowOf('dan', 'payroll', 'auditPayroll');
    const [decided] = (
      (await kit.decide(people.olga!, review.id, { rowIds: [kept.id], decision: 'keep' })) as Page
    ).items;
    expect(decided).toMatchObject({ id: kept.id, decision: 'keep', decidedBy: id('olga'), via: kept.via });
    // Deciding it again changes nothing in the counts.
    await kit.decide(people.olga!, review.id, { rowIds: [kept.id], decision: 'keep' });
    const now = (await kit.admin('GET', `/access-reviews/${review.id}`)) as AccessReview;
    expect(now.progress).toMatchObject({ total: 12, decided: 1 });
    expect((await kit.rows(null, review.id, '&decision=keep')).map((r) => r.id)).toEqual([kept.id]);
    const undecided = await pages(people.olga!, '&decision=undecided', 4);
    expect(undecided.map((r) => r.id)).toEqual(
      rows.filter((r) => r.userId !== id('olga') && r.id !== kept.id).map((r) => r.id),
    );
    // Olga may not decide her own rows.
    await kit.decide(
      people.olga!,
      review.id,
      { rowIds: [rowOf('olga', 'ledger', 'financeLedger').id], decision: 'keep' },
      403,
    );
  });

  it('revokes undecided nested rows by removing their edge once, and says who still has the access', async () => {
    const closed = (await kit.admin('POST', `/access-reviews/${review.id}/close`)) as AccessReview;
    expect(closed.outcome).toEqual({ kept: 1, revoked: 11 });
    for (const edge of ['financePayroll', 'financeLedger'])
      expect(await kit.events('asset.removed', edges[edge]!), edge).toHaveLength(1);
    expect(await kit.events('asset.removed', edges.auditPayroll!)).toHaveLength(0);
    expect(await kit.events('asset.removed', edges.staffFinance!)).toHaveLength(0);
    expect((await kit.check(id('ann'), groups.payroll!)).allowed).toBe(false);
    expect((await kit.check(id('dan'), groups.payroll!)).allowed).toBe(true);

    rows = await kit.rows(null, review.id);
    expect(rowOf('ann', 'payroll', 'financePayroll').effect).toBe('revoked');
    expect(rowOf('olga', 'ledger', 'financeLedger').effect).toBe('revoked');
    expect(rowOf('dan', 'payroll', 'financePayroll').effect).toMatch(
      /^revoked: still has access through audit-.* > payroll-/,
    );
    expect(rowOf('dan', 'payroll', 'auditPayroll').effect).toBe('kept');
    expect((await kit.admin('GET', '/events/verify')).ok).toBe(true);
  });

  it('reports every nested row with its path and effect', async () => {
    const res = await h.request('GET', `/api/v1/access-reviews/${review.id}/report?format=csv`);
    expect(res.status).toBe(200);
    const [, ...lines] = parseCsv(res.body as string);
    expect(lines).toHaveLength(12);
    const bobs = lines.filter((l) => l[0] === people.bob!.user.email);
    expect(bobs.map((l) => l[4])).toEqual([
      expect.stringMatching(/^staff-.* > finance-.* > ledger-/),
      expect.stringMatching(/^staff-.* > finance-.* > payroll-/),
    ]);
    expect(bobs.map((l) => l[11])).toEqual(['revoked', 'revoked']);
  });
});

describe('an edge removed between the start and the close', () => {
  it('is not removed again: its rows say their access had already ended', async () => {
    const vault = await kit.group(kit.name('vault'), [id('olga')]);
    const ops = await kit.group(kit.name('ops'));
    const edge = await kit.nest(ops, vault);
    await kit.member(ops, id('ann'));
    const bobInOps = await kit.member(ops, id('bob'));
    const started = await kit.start(null, {
      name: 'gone',
      scope: { groupIds: [vault] },
      reviewers: { type: 'owners', fallbackUserIds: [id('fallback')] },
      deadline: inDays(14),
      autoRevokeUnreviewed: true,
    });
    const byUser = (a: AccessReviewRow, b: AccessReviewRow) => (a.userId < b.userId ? -1 : 1);
    const expected = <T>(ann: T, bob: T) => (id('ann') < id('bob') ? [ann, bob] : [bob, ann]);
    const before = (await kit.rows(null, started.id)).sort(byUser);
    expect(before.map((r) => [r.userId, r.via.edge?.assetId])).toEqual(
      expected([id('ann'), edge], [id('bob'), edge]),
    );
    // Bob leaves ops after the start: his row stays, and a filter by him still finds it in the block.
    await kit.admin('DELETE', `/grants/${bobInOps}`);
    const bobsRow = before.find((r) => r.userId === id('bob'))!;
    expect((await kit.rows(null, started.id, `&userId=${id('bob')}`)).map((r) => r.id)).toEqual([bobsRow.id]);
    // Olga decides Ann's row (a stored row); Bob's is left undecided (read from the edge's block).
    const annRow = before.find((r) => r.userId === id('ann'))!;
    await kit.decide(people.olga!, started.id, { rowIds: [annRow.id], decision: 'revoke', comment: 'left' });
    await kit.admin('DELETE', `/groups/${ops}/assets/${edge}`, undefined, 204);
    expect(await kit.events('asset.removed', edge)).toHaveLength(1);

    const closed = (await kit.admin('POST', `/access-reviews/${started.id}/close`)) as AccessReview;
    expect(closed.outcome).toEqual({ skipped: 2 });
    expect(await kit.events('asset.removed', edge)).toHaveLength(1);
    const after = (await kit.rows(null, started.id)).sort(byUser);
    expect(after.map((r) => [r.userId, r.decision, r.effect])).toEqual(
      expected([id('ann'), 'revoke', 'skipped: already ended'], [id('bob'), null, 'skipped: already ended']),
    );
    expect((await kit.admin('GET', '/events/verify')).ok).toBe(true);
  });
});
