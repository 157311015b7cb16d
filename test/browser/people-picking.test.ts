import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFixture, hasBrowser } from './browser-fixture.js';

// An owner who is not an admin picks people by typing part of a name, never an internal id.

const fx = browserFixture();

describe.runIf(hasBrowser)('picking people in the web UI', () => {
  beforeAll(() => fx.start(), 60_000);
  afterAll(() => fx.stop());

  it('lets an owner add a break-glass user and a member by typing part of their name', async () => {
    const olga = await fx.user('Olga Owner');
    const bea = await fx.user('Beatrix Quillfeather');
    const carl = await fx.user('Carl Quillman');
    const group = await fx.group('prod-payments', { ownerUserIds: [olga.id] });

    const page = await fx.signIn(olga, `/inventory/groups/${group.id}/break-glass`);
    await page.getByRole('button', { name: 'Edit break-glass users' }).click();
    const search = page.getByRole('combobox', { name: 'Find someone to add to People' });
    await search.fill('quill');
    const matches = page.getByRole('listbox', { name: 'Matches for Find someone to add to People' });
    await expect.poll(() => matches.getByRole('option').count()).toBe(2);
    // Name and e-mail only; picked with the keyboard.
    await expect
      .poll(() => matches.getByRole('option').first().textContent())
      .toContain('Beatrix Quillfeather');
    await search.press('Enter');
    await expect
      .poll(() => page.getByRole('button', { name: 'Remove Beatrix Quillfeather' }).isVisible())
      .toBe(true);
    await page.getByRole('button', { name: 'Save break-glass users' }).click();
    await expect.poll(() => page.getByText('Beatrix Quillfeather', { exact: true }).isVisible()).toBe(true);
    const settings = await fx.api('GET', `/groups/${group.id}/break-glass`);
    expect(settings.userIds).toEqual([bea.id]);

    await page.getByRole('link', { name: 'Members' }).click();
    const user = page.getByRole('combobox', { name: /User/ });
    await user.fill('carl q');
    await page.getByRole('option', { name: /Carl Quillman/ }).click();
    await page.getByRole('button', { name: 'Add member' }).click();
    await expect.poll(() => page.getByText('Carl Quillman was added.').isVisible()).toBe(true);
    const check = await fx.api('GET', `/access/check?userId=${carl.id}&groupId=${group.id}`);
    expect(check.allowed).toBe(true);
    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });
});
