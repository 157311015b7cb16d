import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFixture, catalogRow, hasBrowser, reviewedByOwners } from './browser-fixture.js';

// The catalog says where the caller stands: a request waiting (for whom, with Cancel, and no second Request),
// and break-glass access already active (until when, End now, and an explicit "Activate again").

const fx = browserFixture();

describe.runIf(hasBrowser)('catalog states', () => {
  beforeAll(() => fx.start(), 60_000);
  afterAll(() => fx.stop());

  it('shows a waiting request with whom it waits for, offers Cancel instead of a second Request', async () => {
    const bob = await fx.user('Bob Approver');
    const rita = await fx.user('Rita Requester');
    const group = await fx.group('ledger-admins', { ownerUserIds: [bob.id] });
    await fx.api('PUT', `/groups/${group.id}/request-configurations`, [reviewedByOwners()], undefined, 200);

    const page = await fx.signIn(rita);
    let row = await catalogRow(page, 'ledger-admins');
    await row.getByRole('button', { name: 'Request', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Request access to ledger-admins' });
    await dialog.getByRole('button', { name: 'Send request' }).click();
    // The answer first: closing the dialog while the request is on its way would leave the catalog as it was.
    await expect.poll(() => page.getByText('Request sent: pending review.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Done' }).click();

    row = await catalogRow(page, 'ledger-admins');
    await expect.poll(() => row.getByText('waiting for Bob Approver').isVisible()).toBe(true);
    expect(await row.getByRole('button', { name: 'Request', exact: true }).count()).toBe(0);
    // The API refuses a duplicate too, pointing at the waiting request.
    const waiting = await fx.api('GET', `/requests?requesterId=${rita.id}`, undefined, rita.token);
    const dup = await fx.api(
      'POST',
      '/requests',
      { items: [{ groupId: group.id }], durationMinutes: 60 },
      rita.token,
      409,
    );
    expect(dup).toMatchObject({ code: 'request_pending', requestId: waiting.items[0].id });

    await row.getByRole('button', { name: 'Cancel request' }).click();
    await expect.poll(() => row.getByRole('button', { name: 'Request', exact: true }).isVisible()).toBe(true);
    expect((await fx.api('GET', `/requests/${waiting.items[0].id}`)).status).toBe('canceled');
    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });

  it('shows active break-glass access with its end, End now, and an explicit Activate again', async () => {
    const bea = await fx.user('Bea Again');
    const group = await fx.group('prod-queue');
    await fx.api('PUT', `/groups/${group.id}/break-glass`, { userIds: [bea.id] }, undefined, 200);
    const first = await fx.api(
      'POST',
      `/groups/${group.id}/break-glass/activations`,
      { reason: 'INC-7 queue stuck' },
      bea.token,
    );

    const page = await fx.signIn(bea);
    const row = await catalogRow(page, 'prod-queue');
    await expect.poll(() => row.getByText('Break-glass', { exact: true }).isVisible()).toBe(true);
    expect(await row.getByRole('button', { name: 'Break Glass' }).count()).toBe(0);
    await row.getByRole('button', { name: 'Activate again…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Activate again: prod-queue' });
    await expect.poll(() => dialog.getByText(/ends that window now/).isVisible()).toBe(true);
    await dialog.getByRole('textbox', { name: /New reason/ }).fill('INC-8 queue stuck again');
    await dialog.getByRole('button', { name: 'Activate again with this reason' }).click();
    await page
      .getByRole('dialog', { name: 'Break-glass access to prod-queue' })
      .getByRole('button', { name: 'Done' })
      .click();

    const old = await fx.api('GET', `/break-glass/activations/${first.id}`);
    expect(old.endReason).toBe('superseded');

    await row.getByRole('button', { name: 'End now' }).click();
    await expect.poll(() => row.getByRole('button', { name: 'Break Glass' }).isVisible()).toBe(true);
    const check = await fx.api('GET', `/access/check?userId=${bea.id}&groupId=${group.id}`);
    expect(check.allowed).toBe(false);
    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });
});
