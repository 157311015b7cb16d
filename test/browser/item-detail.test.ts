import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFixture, catalogRow, hasBrowser, reviewedByOwners } from './browser-fixture.js';

// Requesters and reviewers see what an item gives access to and how a request was decided.

const fx = browserFixture();

describe.runIf(hasBrowser)('item details and decisions', () => {
  beforeAll(() => fx.start(), 60_000);
  afterAll(() => fx.stop());

  it('shows an item page with owners, how to ask and its contents; the reviewer sees the contents and the requester the decision', async () => {
    const olga = await fx.user('Olga Decider');
    const rita = await fx.user('Rita Asker');
    const team = await fx.group('data-team', { description: 'The data platform', ownerUserIds: [olga.id] });
    const warehouse = await fx.group('warehouse-readers');
    const db = await fx.api('POST', '/resources', {
      name: 'warehouse-db',
      type: 'postgres',
      accessLevels: ['read'],
    });
    await fx.api('POST', `/groups/${team.id}/assets`, { groupId: warehouse.id });
    await fx.api('POST', `/groups/${warehouse.id}/assets`, { resourceId: db.id, accessLevel: 'read' });
    await fx.api('PUT', `/groups/${team.id}/request-configurations`, [reviewedByOwners()], undefined, 200);

    const page = await fx.signIn(rita);
    const row = await catalogRow(page, 'data-team');
    await row.getByRole('link', { name: 'data-team' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'data-team' }).isVisible())
      .toBe(true);
    await expect.poll(() => page.getByText('Olga Decider', { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText(/Anyone: request it for up to 8 hours/).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('warehouse-db (read)').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Request', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Send request' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /Done|Close/ })
      .first()
      .click();

    const owner = await fx.signIn(olga, '/requests');
    const card = owner
      .getByRole('listitem')
      .filter({ has: owner.getByRole('heading', { name: /data-team/ }) });
    await expect.poll(() => card.getByText('warehouse-db (read)').isVisible()).toBe(true);
    await card.getByRole('textbox', { name: 'Comment' }).fill('for the quarterly report');
    await card.getByRole('button', { name: 'Approve' }).click();
    await expect
      .poll(() => owner.getByText(/You approved Rita Asker’s request for data-team/).isVisible())
      .toBe(true);
    await owner.close();

    await page.close();
    // The browser holds one session at a time: Rita signs in again to read the outcome.
    const again = await fx.signIn(rita, '/requests');
    const mine = again
      .getByRole('listitem')
      .filter({ has: again.getByRole('heading', { name: 'data-team' }) });
    await expect
      .poll(() => mine.getByText('Olga Decider approved: “for the quarterly report”').isVisible())
      .toBe(true);
    expect(fx.pageProblems).toEqual([]);
    await again.close();
  });

  it('lists request configurations as they are tried: conditional entries first, the default last', async () => {
    const team = await fx.group('order-team');
    const item = await fx.group('order-item');
    const entry = (priority: number, condition: unknown) => reviewedByOwners({ priority, condition });
    await fx.api(
      'PUT',
      `/groups/${item.id}/request-configurations`,
      [entry(1, null), entry(5, { groupIds: [team.id] })],
      undefined,
      200,
    );
    const page = await fx.signIn(await fx.admin(), `/inventory/groups/${item.id}/request-configurations`);
    const headings = page.getByRole('heading', { level: 3 });
    await expect
      .poll(() => headings.allTextContents())
      .toEqual(['1. Members of order-team', '2. Default: everyone else']);
    await page.close();
  });
});
