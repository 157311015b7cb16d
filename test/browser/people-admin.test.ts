import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFixture, hasBrowser } from './browser-fixture.js';

// An admin runs people from the web UI alone: adds someone, mints their first token, changes their role,
// suspends and re-activates them, and sees when a token was last used.

const fx = browserFixture();

describe.runIf(hasBrowser)('people in the web UI', () => {
  beforeAll(() => fx.start(), 60_000);
  afterAll(() => fx.stop());

  it('lets an admin add a person, mint their token, change their role, suspend and re-activate them', async () => {
    const page = await fx.signIn(await fx.admin(), '/people');
    const form = page.getByRole('form', { name: 'Add a person' });
    await form.getByRole('textbox', { name: /Name/ }).fill('Petra People');
    await form.getByRole('textbox', { name: /E-mail/ }).fill('petra.people@example.test');
    await form.getByRole('button', { name: 'Add person' }).click();
    await page.getByRole('link', { name: 'Petra People' }).first().click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'Petra People' }).isVisible())
      .toBe(true);

    // Her first token, shown once.
    const tokens = page.getByRole('form', { name: 'Create a token' });
    await tokens.getByRole('textbox', { name: /Name/ }).fill('first sign-in');
    await tokens.getByRole('button', { name: 'Create token' }).click();
    const secret = await page.locator('.secret code').textContent();
    expect(secret).toMatch(/^latch_/);
    const petra = (await fx.api('GET', '/users?query=petra.people')).items[0];
    expect((await fx.api('GET', '/me', undefined, secret!)).id).toBe(petra.id);
    await page.reload();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'first sign-in' }) });
    await expect.poll(() => row.getByRole('cell').nth(2).textContent()).not.toBe('Never');

    await page.getByRole('combobox', { name: /Role/ }).selectOption('auditor');
    await expect.poll(() => page.getByText('Role changed.').isVisible()).toBe(true);
    expect((await fx.api('GET', `/users/${petra.id}`)).role).toBe('auditor');

    await page.getByRole('button', { name: 'Suspend Petra People' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Suspend' }).click();
    await expect.poll(() => page.getByText('Petra People is suspended.').isVisible()).toBe(true);
    await fx.api('GET', '/me', undefined, secret!, 401);
    await page.getByRole('button', { name: 'Re-activate Petra People' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Re-activate' }).click();
    await expect.poll(() => page.getByText('Petra People is active again.').isVisible()).toBe(true);
    expect((await fx.api('GET', `/users/${petra.id}`)).status).toBe('active');
    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });
});
