import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFixture, hasBrowser } from './browser-fixture.js';

// An auditor reviews an incident in the audit log: events as sentences with names, filtered by person, and the
// filtered log exported.

const fx = browserFixture();

describe.runIf(hasBrowser)('the audit log in the web UI', () => {
  beforeAll(() => fx.start(), 60_000);
  afterAll(() => fx.stop());

  it('lets an auditor filter the log by person, read it in sentences and export it', async () => {
    const alice = await fx.user('Alice Incident');
    const bob = await fx.user('Bob Bystander');
    const group = await fx.group('prod-db-admins');
    await fx.api('PUT', `/groups/${group.id}/break-glass`, { userIds: [alice.id] }, undefined, 200);
    await fx.api(
      'POST',
      `/groups/${group.id}/break-glass/activations`,
      { reason: 'pager 4411' },
      alice.token,
    );
    await fx.api('POST', `/groups/${group.id}/members`, { userId: bob.id });
    const auditor = await fx.user('Audrey Auditor', 'auditor');

    const page = await fx.signIn(auditor, '/audit');
    const filters = page.getByRole('form', { name: 'Filter events' });
    await filters.getByRole('combobox', { name: /Person/ }).fill('alice inc');
    await page.getByRole('option', { name: /Alice Incident/ }).click();
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await expect
      .poll(() => page.getByText('Alice Incident broke glass on prod-db-admins: “pager 4411”').isVisible())
      .toBe(true);
    // The filtered list replaces the whole log: wait for it rather than read the one still shown.
    await expect.poll(() => page.getByText(/Bob Bystander/).count()).toBe(0);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^latch-audit-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('break_glass.activated');
    expect(csv).toContain('pager 4411');
    expect(csv).not.toContain('Bob Bystander');
    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });
});
