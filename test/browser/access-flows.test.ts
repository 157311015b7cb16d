import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFixture, catalogRow, hasBrowser, reviewedByOwners } from './browser-fixture.js';

// The web UI's main journeys on a real server, through the accessibility tree: roles and names are how the
// tests find controls, so a control without an accessible name fails them.

const fx = browserFixture();
/** Runs in the page; reaches the document through the element (this file is type-checked without the DOM). */
const IS_FOCUSED = (el: { ownerDocument: { activeElement: unknown } }) =>
  el === el.ownerDocument.activeElement;

describe.runIf(hasBrowser)('web UI journeys', () => {
  beforeAll(() => fx.start(), 60_000);
  afterAll(() => fx.stop());

  it('lets a break-glass user break the glass from the catalog, with a countdown, and the access is real', async () => {
    const bea = await fx.user('Bea Breakglass');
    const group = await fx.group('prod-db');
    await fx.api(
      'PUT',
      `/groups/${group.id}/break-glass`,
      { userIds: [bea.id], durationMinutes: 60 },
      undefined,
      200,
    );

    const page = await fx.signIn(bea);
    const row = await catalogRow(page, 'prod-db');
    await expect.poll(() => row.getByText('No access').isVisible()).toBe(true);
    const breakGlass = row.getByRole('button', { name: 'Break Glass' });
    await breakGlass.click();

    // Escape closes the dialog and gives focus back to the button that opened it.
    const dialog = page.getByRole('dialog', { name: 'Break glass: prod-db' });
    await dialog.getByRole('textbox', { name: /Reason/ }).waitFor();
    expect(await dialog.getByRole('textbox', { name: /Reason/ }).evaluate(IS_FOCUSED)).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await breakGlass.evaluate(IS_FOCUSED)).toBe(true);
    await page.keyboard.press('Enter');

    await expect.poll(() => dialog.getByText(/recorded in the audit log/).isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Activate break-glass access' }).click();
    await expect.poll(() => dialog.getByText(/Say why you need emergency access/).isVisible()).toBe(true);
    expect(await dialog.getByRole('textbox', { name: /Reason/ }).getAttribute('aria-invalid')).toBe('true');

    await dialog.getByRole('textbox', { name: /Reason/ }).fill('INC-42: primary database down');
    await dialog.getByRole('button', { name: 'Activate break-glass access' }).click();
    const active = page.getByRole('dialog', { name: 'Break-glass access to prod-db' });
    const timer = active.getByRole('timer');
    await expect.poll(() => timer.textContent()).toMatch(/^0:5\d:\d\d left$/);
    expect(await timer.getAttribute('aria-label')).toMatch(/^(1 hour|5\d minutes) left, ends/);
    // Announced politely, in minutes: the ticking clock itself is not a live region.
    expect(await active.locator('[aria-live="polite"]').textContent()).toMatch(/^(1 hour|5\d minutes) left$/);

    const check = await fx.api(
      'GET',
      `/access/check?userId=${bea.id}&groupId=${group.id}`,
      undefined,
      bea.token,
    );
    expect(check).toMatchObject({ allowed: true, via: [{ source: 'break_glass' }] });

    await active.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => row.getByRole('timer').isVisible()).toBe(true);
    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });

  it('shows no Break Glass button to someone who is not a break-glass user of the group', async () => {
    const nora = await fx.user('Nora Nobody');
    const other = await fx.user('Otto Other');
    const group = await fx.group('prod-cache');
    await fx.api('PUT', `/groups/${group.id}/break-glass`, { userIds: [other.id] }, undefined, 200);
    await fx.api(
      'PUT',
      `/groups/${group.id}/request-configurations`,
      [reviewedByOwners({ autoApprove: true, requireReason: true })],
      undefined,
      200,
    );

    const page = await fx.signIn(nora);
    const row = await catalogRow(page, 'prod-cache');
    // The row is fully rendered (its Request button is there) and still offers no break-glass.
    await row.getByRole('button', { name: 'Request' }).waitFor();
    expect(await row.getByRole('button', { name: 'Break Glass' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Break Glass' }).count()).toBe(0);
    await page.close();
  });

  it('lets an owner approve a pending request from the Requests screen, which creates the grant', async () => {
    const olga = await fx.user('Olga Owner');
    const rick = await fx.user('Rick Requester');
    const group = await fx.group('payments', { ownerUserIds: [olga.id] });
    await fx.api(
      'PUT',
      `/groups/${group.id}/request-configurations`,
      [reviewedByOwners({ requireReason: true })],
      undefined,
      200,
    );
    const request = await fx.api(
      'POST',
      '/requests',
      { items: [{ groupId: group.id }], durationMinutes: 120, reason: 'quarterly close' },
      rick.token,
    );
    expect(request.status).toBe('pending');

    const page = await fx.signIn(olga, '/requests');
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /payments/ }) });
    await expect.poll(() => card.getByText('quarterly close', { exact: true }).isVisible()).toBe(true);
    await card.getByRole('textbox', { name: 'Comment' }).fill('ok for the close');
    await card.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.getByText('Nothing is waiting for you.').isVisible()).toBe(true);

    const decided = await fx.api('GET', `/requests/${request.id}`);
    expect(decided.status).toBe('approved');
    const grantId = decided.items[0].grantId as string;
    expect(grantId).toEqual(expect.any(String));
    const grant = await fx.api('GET', `/grants/${grantId}`);
    expect(grant).toMatchObject({ userId: rick.id, groupId: group.id, source: 'request', status: 'active' });
    await page.close();
  });

  it('lets an admin nest a group and shows the new members with their paths', async () => {
    const admin = await fx.admin();
    const pia = await fx.user('Pia Platform');
    const team = await fx.group('platform-team');
    const cluster = await fx.group('k8s-prod');
    await fx.api('POST', `/groups/${team.id}/members`, { userId: pia.id });

    const page = await fx.signIn(admin, `/inventory/groups/${team.id}/assets`);
    await page.getByRole('button', { name: 'Add group' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a group to platform-team' });
    await dialog.getByRole('combobox', { name: /Group/ }).selectOption({ label: 'k8s-prod' });
    await dialog.getByRole('button', { name: 'Add asset' }).click();
    await page.getByRole('link', { name: 'k8s-prod' }).click();

    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('k8s-prod');
    const member = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: /Pia Platform/ }) });
    await expect.poll(() => member.textContent()).toContain('platform-team → this group');
    const check = await fx.api('GET', `/access/check?userId=${pia.id}&groupId=${cluster.id}`);
    expect(check.allowed).toBe(true);
    await page.close();
  });

  it('shows the break-glass activation in the audit log with the chain verification', async () => {
    const admin = await fx.admin();
    const ivy = await fx.user('Ivy Incident');
    const group = await fx.group('ledger-db');
    await fx.api('PUT', `/groups/${group.id}/break-glass`, { userIds: [ivy.id] }, undefined, 200);
    await fx.api(
      'POST',
      `/groups/${group.id}/break-glass/activations`,
      { reason: 'INC-77 ledger stuck' },
      ivy.token,
    );

    const page = await fx.signIn(admin, '/audit');
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Audit chain verified' }).isVisible())
      .toBe(true);
    await page.getByRole('combobox', { name: 'Type' }).selectOption('break_glass.activated');
    await page.getByRole('combobox', { name: 'Item' }).selectOption({ label: 'ledger-db' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const row = page.getByRole('row').filter({ hasText: 'break_glass.activated' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Ivy Incident');
    expect(await row.textContent()).toContain('INC-77 ledger stuck');
    expect(page.url()).toContain('type=break_glass.activated');
    await page.close();
  });

  it('ends the session on sign-out and refuses a cookie change without the CSRF header', async () => {
    const sam = await fx.user('Sam Session');
    const page = await fx.signIn(sam);
    const session = await page.request.get(`${fx.url}/api/v1/session`);
    expect(session.status()).toBe(200);
    const { csrfToken } = (await session.json()) as { csrfToken: string };

    const path = `${fx.url}/api/v1/users/${sam.id}/tokens`;
    const refused = await page.request.post(path, { data: { name: 'no csrf' } });
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('csrf_failed');
    const allowed = await page.request.post(path, {
      data: { name: 'with csrf' },
      headers: { 'x-csrf-token': csrfToken },
    });
    expect(allowed.status()).toBe(201);
    const names = (await fx.api('GET', `/users/${sam.id}/tokens`, undefined, sam.token)).items.map(
      (t: { name: string }) => t.name,
    );
    expect(names).not.toContain('no csrf');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect((await page.request.get(`${fx.url}/api/v1/session`)).status()).toBe(401);
    expect((await page.request.get(`${fx.url}/api/v1/me`)).status()).toBe(401);
    await page.reload();
    await page.getByLabel('API token').waitFor();
    expect(
      await page.evaluate<string>('JSON.stringify({ ...localStorage, ...sessionStorage })'),
    ).not.toContain(sam.token);
    await page.close();
  });
});
