import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFixture, hasBrowser } from './browser-fixture.js';

// The web UI shows the actions the API's abilities allow, and no others: an owner who is not an admin runs
// their own group, not someone else's, and cannot cut an edge to a group nested under theirs that they do not
// own.

const fx = browserFixture();

describe.runIf(hasBrowser)('web UI abilities', () => {
  beforeAll(() => fx.start(), 60_000);
  afterAll(() => fx.stop());

  const headings = {
    members: 'Members',
    assets: 'Assets',
    'request-configurations': 'Request configurations',
    'break-glass': 'Break-glass users',
    owners: 'Owners',
  };
  /** Opens a group's tab and waits until it has loaded, so that what is absent is known to be absent. */
  async function tab(page: Page, groupId: string, name: keyof typeof headings) {
    await page.goto(`${fx.url}/inventory/groups/${groupId}/${name}`);
    await page.getByRole('heading', { level: 2, name: headings[name], exact: true }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.locator('.loading').first().waitFor({ state: 'detached' });
  }
  const button = (page: Page, name: string | RegExp) => page.getByRole('button', { name });

  it('shows an owner the management actions of their group only, and no remove on an edge they cannot cut', async () => {
    const olive = await fx.user('Olive Owner');
    const other = await fx.user('Oscar Other');
    const mine = await fx.group('olive-team', { ownerUserIds: [olive.id] });
    const theirs = await fx.group('oscar-team', { ownerUserIds: [other.id] });
    const ownChild = await fx.group('olive-child', { ownerUserIds: [olive.id] });
    const foreignChild = await fx.group('oscar-child', { ownerUserIds: [other.id] });
    // An admin nests both children under Olive's group; only the one she owns is hers to remove.
    await fx.api('POST', `/groups/${mine.id}/assets`, { groupId: ownChild.id });
    await fx.api('POST', `/groups/${mine.id}/assets`, { groupId: foreignChild.id });
    await fx.api('POST', `/groups/${theirs.id}/members`, { userId: other.id });

    const page = await fx.signIn(olive, '/inventory');
    const row = (name: string) =>
      page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name}`) }) });
    await expect.poll(() => row('olive-team').textContent()).toContain('you manage');
    expect(await row('oscar-team').textContent()).not.toContain('you manage');
    expect(await button(page, 'New group').count()).toBe(0);

    // Her own group: every management action is there.
    await tab(page, mine.id, 'members');
    await page.getByRole('heading', { name: 'Add a member' }).waitFor();
    await tab(page, mine.id, 'assets');
    await button(page, 'Add group').waitFor();
    await button(page, 'Remove olive-child').waitFor();
    expect(await button(page, 'Remove oscar-child').count()).toBe(0);
    expect(await page.getByRole('row').filter({ hasText: 'oscar-child' }).count()).toBe(1);
    await tab(page, mine.id, 'request-configurations');
    await button(page, 'Edit configurations').waitFor();
    await tab(page, mine.id, 'break-glass');
    await button(page, 'Edit break-glass users').waitFor();
    await tab(page, mine.id, 'owners');
    await button(page, 'Edit owners').waitFor();

    // The dialog offers only groups she may nest: her own, not Oscar's.
    await tab(page, mine.id, 'assets');
    await button(page, 'Add group').click();
    const dialog = page.getByRole('dialog', { name: 'Add a group to olive-team' });
    const options = await dialog.getByRole('combobox', { name: /Group/ }).locator('option').allTextContents();
    expect(options).toContain('olive-child');
    expect(options).not.toContain('oscar-team');
    expect(options).not.toContain('oscar-child');
    await page.keyboard.press('Escape');

    // Oscar's group: nothing to manage, and who has access is not hers to read.
    await tab(page, theirs.id, 'members');
    await page.getByText(/Who has access to oscar-team is shown to its owners/).waitFor();
    expect(await page.getByRole('heading', { name: 'Add a member' }).count()).toBe(0);
    expect(await page.getByText('Oscar Other').count()).toBe(0);
    for (const [name, action] of [
      ['assets', 'Add group'],
      ['request-configurations', 'Edit configurations'],
      ['break-glass', 'Edit break-glass users'],
      ['owners', 'Edit owners'],
    ] as const) {
      await tab(page, theirs.id, name);
      expect(await button(page, action).count(), `${name}: ${action}`).toBe(0);
    }
    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });
});
