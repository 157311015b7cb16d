import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFixture, catalogRow, hasBrowser } from './browser-fixture.js';

// Break glass tells the truth about what went out, and the owner finds the activation in the inbox (a bell with
// an unread count), reads it as a sentence and reviews it from there.

const fx = browserFixture();

describe.runIf(hasBrowser)('the inbox in the web UI', () => {
  beforeAll(() => fx.start(), 60_000);
  afterAll(() => fx.stop());

  it('takes an owner from the bell to the activation to review, and the break-glass user sees what went out', async () => {
    const olga = await fx.user('Olga Inbox');
    const bea = await fx.user('Bea Pager');
    const group = await fx.group('prod-ledger', { ownerUserIds: [olga.id] });
    await fx.api('PUT', `/groups/${group.id}/break-glass`, { userIds: [bea.id] }, undefined, 200);

    const beaPage = await fx.signIn(bea);
    const row = await catalogRow(beaPage, 'prod-ledger');
    await row.getByRole('button', { name: 'Break Glass' }).click();
    const dialog = beaPage.getByRole('dialog', { name: 'Break glass: prod-ledger' });
    await dialog.getByRole('textbox', { name: /Reason/ }).fill('pager 4411');
    await dialog.getByRole('button', { name: 'Activate break-glass access' }).click();
    const active = beaPage.getByRole('dialog', { name: 'Break-glass access to prod-ledger' });
    // No e-mail channel on a fresh install: it says so, instead of "the owners have been notified".
    await expect
      .poll(() =>
        active
          .getByText('Shown in Latch to 2 people; not e-mailed (no e-mail channel is set up for it).')
          .isVisible(),
      )
      .toBe(true);
    await beaPage.close();

    const page = await fx.signIn(olga);
    const bell = page.getByRole('link', { name: 'Inbox, 1 unread' });
    await expect.poll(() => bell.isVisible()).toBe(true);
    await bell.click();
    const item = page
      .getByRole('listitem')
      .filter({ hasText: 'Bea Pager broke glass on prod-ledger: “pager 4411”' });
    await expect.poll(() => item.isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('link', { name: 'Inbox', exact: true }).isVisible()).toBe(true);
    await item.getByRole('link', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Review', exact: true }).click();
    const review = page.getByRole('dialog', { name: 'Review break-glass activation' });
    await review.getByRole('textbox', { name: /Comment/ }).fill('real incident');
    await review.getByRole('button', { name: 'Record review' }).click();
    await page.getByRole('link', { name: 'Inbox', exact: true }).click();
    await expect.poll(() => page.getByText('Nothing waits for you.').isVisible()).toBe(true);
    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });
});
