import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, browserFixture, hasBrowser, screenshot, type TestUser } from './browser-fixture.js';

// An admin connects a system from Settings and keeps its groups in step with access. The system is the test
// server's own SCIM service, reached over loopback (which the fixture allows as an outbound destination): a
// group pushed there is imported as a linked Latch group, its member who has no access here shows as drift, and
// a member added here is provisioned there, which the group's members tab shows; a resource is linked at one of
// its levels and unlinked. Auditors see connections without changing them; members do not see them at all.

const fx = browserFixture();
const SCIM = 'application/scim+json';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** A call to the server's SCIM service, as an identity provider (or a connector) makes it. */
async function scim(secret: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${fx.url}/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${secret}`, accept: SCIM, 'content-type': SCIM },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

/** A SCIM token and a group pushed with `members`, as the system to connect to. */
async function scimTarget(tokenName: string, groupName: string, members: TestUser[]) {
  const { token } = await fx.api('POST', '/scim-tokens', { name: tokenName });
  const group = await scim(token, 'POST', '/Groups', {
    schemas: [GROUP_SCHEMA],
    displayName: groupName,
    members: members.map((m) => ({ value: m.id })),
  });
  expect(group.status, JSON.stringify(group.body)).toBe(201);
  return { token: token as string, groupId: group.body!.id as string };
}

/** The members of a group in the SCIM service, by their ids. */
async function remoteMembers(token: string, groupId: string): Promise<string[]> {
  const group = await scim(token, 'GET', `/Groups/${groupId}`);
  return ((group.body!.members ?? []) as { value: string }[]).map((m) => m.value);
}

/** A SCIM connection made through the API, for tests about what comes after. */
async function connectByApi(name: string, token: string, mode: 'report' | 'enforce') {
  return fx.api('POST', '/connections', {
    name,
    kind: 'scim',
    config: { baseUrl: `${fx.url}/scim/v2` },
    secrets: { bearerToken: token },
    mode,
  });
}

/** A member's standing in the connected system, as the members tab shows it once the engine has run. */
async function propagationShown(page: Page, member: string, column: string) {
  const row = page
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${member}`) }) });
  await expect
    .poll(
      async () => {
        await page.reload();
        await row.waitFor();
        return row.locator(`td[data-label="${column}"]`).textContent();
      },
      { timeout: 25_000, interval: 1000 },
    )
    .toBe('in sync');
}

async function openConnections(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('link', { name: 'Connected systems' })
    .click();
  await page.getByRole('heading', { level: 2, name: 'Connected systems' }).waitFor();
}

describe.runIf(hasBrowser)('connected systems in the web UI', () => {
  beforeAll(() => fx.start(), 60_000);
  afterAll(() => fx.stop());

  it('lets an admin connect a system, test it, import a group, see its drift and its members provisioned', async () => {
    const dana = await fx.user('Dana Drift');
    const mia = await fx.user('Mia Member');
    const target = await scimTarget('Loopback provisioning', 'Remote Engineers', [dana]);
    const baseUrl = `${fx.url}/scim/v2`;

    const page = await fx.signIn(await fx.admin());
    await openConnections(page);
    await expect.poll(() => page.getByText('No system is connected.').isVisible()).toBe(true);

    // The form asks for what a SCIM service needs; the API's objection shows at the field it names.
    await page.getByRole('button', { name: 'Connect a system' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect a system' });
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('Loopback SCIM');
    await dialog.getByRole('combobox', { name: 'Kind of system' }).selectOption('scim');
    const url = dialog.getByRole('textbox', { name: /SCIM base URL/ });
    await url.fill('http://scim.example.com/scim/v2');
    await dialog.getByLabel(/^Bearer token/).fill(target.token);
    expect(await dialog.getByRole('radio', { name: /^Report drift/ }).isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Save connection' }).click();
    await expect.poll(() => url.getAttribute('aria-invalid')).toBe('true');
    await expect
      .poll(() => dialog.getByText(/must be an https URL \(plain http only on this machine/).isVisible())
      .toBe(true);
    await screenshot(page, 'connected-systems-form-error');
    expect(await axeViolations(page)).toEqual([]);

    await url.fill(baseUrl);
    await dialog.getByRole('button', { name: 'Save connection' }).click();
    await expect.poll(() => dialog.getByText(/^Connected Loopback SCIM\./).isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    const works = dialog.getByRole('status').filter({ hasText: 'The connection works.' });
    await expect.poll(() => works.isVisible()).toBe(true);
    expect(await works.textContent()).toContain('PATCH is supported');
    await dialog.getByRole('button', { name: 'Done' }).click();

    // The list: what it is, where, how strict, and how it is doing.
    const card = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'Loopback SCIM' }) });
    await expect.poll(() => card.textContent()).toContain(`SCIM service at ${baseUrl}`);
    expect(await card.textContent()).toContain('Report drift');
    await card.getByRole('button', { name: 'Test connection to Loopback SCIM' }).click();
    await expect.poll(() => card.getByText('The connection works.').isVisible()).toBe(true);
    await card.getByRole('button', { name: 'Sync now, Loopback SCIM' }).click();
    await expect
      .poll(() => card.getByText('Synced.', { exact: true }).isVisible(), { timeout: 25_000 })
      .toBe(true);
    await expect.poll(() => card.getByText('Working', { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => card.getByText('just now').isVisible()).toBe(true);
    await screenshot(page, 'connected-systems-list');
    expect(await axeViolations(page)).toEqual([]);

    // Its page: what is in it, then the import, treating the group's current member as drift.
    await card.getByRole('link', { name: 'Loopback SCIM' }).click();
    await page.getByRole('heading', { level: 2, name: 'Loopback SCIM' }).waitFor();
    const remoteRow = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'Remote Engineers', exact: true }) });
    await expect.poll(() => remoteRow.textContent()).toContain('Not linked');
    await remoteRow.getByRole('checkbox', { name: 'Choose Remote Engineers' }).check();
    await page.getByRole('button', { name: 'Import as a group…' }).click();
    const importing = page.getByRole('dialog', { name: 'Import from Loopback SCIM' });
    await importing.getByRole('button', { name: 'Import' }).click();
    await expect
      .poll(() => importing.getByText('Choose what happens to the people in it now.').isVisible())
      .toBe(true);
    await importing.getByRole('radio', { name: /Treat them as drift/ }).check();
    await screenshot(page, 'connected-systems-import');
    await importing.getByRole('button', { name: 'Import' }).click();
    // A Latch group already has the remote name (the one the SCIM service itself holds), so the new one
    // carries the connection's name too.
    const imported = 'Remote Engineers (Loopback SCIM)';
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Imported as' }).textContent())
      .toContain(imported);
    await expect.poll(() => remoteRow.getByRole('link', { name: imported }).isVisible()).toBe(true);

    // Dana is in the remote group without access here: drift, named by her account and as herself.
    const driftRow = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: /dana\.drift/ }) });
    await expect.poll(() => driftRow.count(), { timeout: 25_000 }).toBe(1);
    const driftText = await driftRow.textContent();
    expect(driftText).toContain('Remote Engineers');
    expect(driftText).toContain('Dana Drift');
    expect(driftText).toContain('just now');
    await screenshot(page, 'connected-systems-detail');
    expect(await axeViolations(page)).toEqual([]);

    // The imported group's page names its link; a member added here is provisioned there.
    await remoteRow.getByRole('link', { name: imported }).click();
    await page.getByRole('heading', { level: 1, name: imported }).waitFor();
    await expect
      .poll(() => page.locator('.remote-link p').textContent())
      .toBe('Linked to group Remote Engineers in Loopback SCIM');
    expect(await page.getByRole('button', { name: 'Unlink' }).isVisible()).toBe(true);
    const groupId = new URL(page.url()).pathname.split('/')[3];
    await fx.api('POST', `/groups/${groupId}/members`, { userId: mia.id });
    await propagationShown(page, 'Mia Member', 'In Loopback SCIM');
    // And she is there: a member of the group in the SCIM service.
    expect(await remoteMembers(target.token, target.groupId)).toContain(mia.id);
    await screenshot(page, 'connected-systems-group-members');
    expect(await axeViolations(page)).toEqual([]);

    // A connection with a linked item cannot go, and the dialog says why and what to do.
    await openConnections(page);
    await card.getByRole('button', { name: 'Delete Loopback SCIM' }).click();
    const deleting = page.getByRole('dialog', { name: 'Delete the connection “Loopback SCIM”?' });
    await expect.poll(() => deleting.textContent()).toContain(`Unlink them on their pages first`);
    await deleting.getByRole('button', { name: 'Delete connection' }).click();
    await expect.poll(() => deleting.getByRole('alert').textContent()).toContain(imported);
    await deleting.getByRole('button', { name: 'Cancel' }).click();

    // Changed without retyping the token: an empty secret keeps the stored one, which the test then uses.
    await card.getByRole('button', { name: 'Edit Loopback SCIM' }).click();
    const editing = page.getByRole('dialog', { name: 'Change Loopback SCIM' });
    await expect
      .poll(() =>
        editing.getByText('Leave empty to keep the current one; it is never shown again.').isVisible(),
      )
      .toBe(true);
    expect(await editing.getByLabel(/^Bearer token/).inputValue()).toBe('');
    expect(await editing.getByRole('textbox', { name: /SCIM base URL/ }).inputValue()).toBe(baseUrl);
    await editing.getByRole('spinbutton', { name: /Sync every/ }).fill('30');
    await editing.getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => editing.getByText(/^Saved the changes to Loopback SCIM\./).isVisible())
      .toBe(true);
    await editing.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => editing.getByText('The connection works.').isVisible()).toBe(true);
    await editing.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => card.textContent()).toContain('every 30 minutes');

    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });

  it('lets an admin link an existing group and keep the access its remote group gives now', async () => {
    const una = await fx.user('Una Adopted');
    const target = await scimTarget('Payroll provisioning', 'Payroll Admins', [una]);
    await connectByApi('Payroll SCIM', target.token, 'report');
    const payroll = await fx.api('POST', '/groups', { name: 'payroll-admins' });

    const page = await fx.signIn(await fx.admin(), `/inventory/groups/${payroll.id}/members`);
    await page.getByRole('button', { name: 'Link to a connected system…' }).click();
    const linking = page.getByRole('dialog', { name: 'Link payroll-admins to a connected system' });
    await linking
      .getByRole('combobox', { name: /^Connected system/ })
      .selectOption({ label: 'Payroll SCIM' });
    await linking
      .getByRole('combobox', { name: /^Link to/ })
      .selectOption({ label: 'Payroll Admins (group)' });
    // Drift unless the admin says otherwise.
    expect(await linking.getByRole('radio', { name: /^Treat them as drift/ }).isChecked()).toBe(true);
    await linking.getByRole('radio', { name: /^Keep their access/ }).check();
    expect(await axeViolations(page)).toEqual([]);
    await linking.getByRole('button', { name: 'Link', exact: true }).click();
    await propagationShown(page, 'Una Adopted', 'In Payroll SCIM');
    const members = await fx.api('GET', `/groups/${payroll.id}/members`);
    expect(members.items).toEqual([
      expect.objectContaining({ userId: una.id, direct: true, expiresAt: null }),
    ]);
    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });

  it('lets an admin link a resource at one of its levels, and unlink it', async () => {
    const rita = await fx.user('Rita Reader');
    const target = await scimTarget('Ledger provisioning', 'Ledger Readers', []);
    await connectByApi('Ledger SCIM', target.token, 'report');
    const ledger = await fx.api('POST', '/resources', {
      name: 'ledger-db',
      type: 'postgres',
      accessLevels: ['read', 'admin'],
    });

    const page = await fx.signIn(await fx.admin(), `/inventory/resources/${ledger.id}`);
    await page.getByRole('button', { name: 'Link to a connected system…' }).click();
    const linking = page.getByRole('dialog', { name: 'Link ledger-db to a connected system' });
    await linking.getByRole('combobox', { name: /^Connected system/ }).selectOption({ label: 'Ledger SCIM' });
    await linking
      .getByRole('combobox', { name: /^Link to/ })
      .selectOption({ label: 'Ledger Readers (group)' });
    await linking.getByRole('combobox', { name: /^Access level/ }).selectOption('read');
    expect(await axeViolations(page)).toEqual([]);
    await linking.getByRole('button', { name: 'Link', exact: true }).click();
    await expect
      .poll(() => page.locator('.remote-link p').textContent())
      .toBe('Holders of read are members of group Ledger Readers in Ledger SCIM');

    // A holder of the linked level is provisioned; the members tab says so.
    await fx.api('POST', `/resources/${ledger.id}/members`, { userId: rita.id, accessLevel: 'read' });
    await propagationShown(page, 'Rita Reader', 'In Ledger SCIM');
    expect(await remoteMembers(target.token, target.groupId)).toContain(rita.id);
    await screenshot(page, 'connected-systems-resource-members');

    // Unlinked, Latch takes out the accounts it put there; access here stays.
    await page.getByRole('button', { name: 'Unlink' }).click();
    await page
      .getByRole('dialog', { name: 'Unlink ledger-db from Ledger Readers?' })
      .getByRole('button', { name: 'Unlink' })
      .click();
    await page.getByRole('button', { name: 'Link to a connected system…' }).waitFor();
    await expect
      .poll(() => remoteMembers(target.token, target.groupId), { timeout: 25_000, interval: 1000 })
      .not.toContain(rita.id);
    await page.reload();
    await page.getByRole('rowheader', { name: /^Rita Reader/ }).waitFor();
    expect(await page.getByRole('columnheader', { name: 'In Ledger SCIM' }).count()).toBe(0);
    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });

  it('shows auditors connected systems without ways to change them', async () => {
    const target = await scimTarget('Audited provisioning', 'Audited Team', []);
    const connection = await connectByApi('Audited SCIM', target.token, 'enforce');
    const imported = await fx.api('POST', `/connections/${connection.id}/import`, {
      remoteIds: [target.groupId],
      adoptMembers: false,
    });
    const group = imported.items[0];

    const page = await fx.signIn(await fx.user('Aude Auditor', 'auditor'));
    await openConnections(page);
    const card = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'Audited SCIM' }) });
    await expect.poll(() => card.textContent()).toContain('Enforce');
    for (const action of [
      'Connect a system',
      'Test connection to Audited SCIM',
      'Sync now, Audited SCIM',
      'Delete Audited SCIM',
    ])
      expect(await page.getByRole('button', { name: action }).count(), action).toBe(0);

    await card.getByRole('link', { name: 'Audited SCIM' }).click();
    await page.getByRole('heading', { level: 2, name: 'Audited SCIM' }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: group.name }).isVisible()).toBe(true);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Import/ }).count()).toBe(0);
    await page.getByRole('heading', { level: 3, name: 'Drift' }).waitFor();
    await screenshot(page, 'connected-systems-auditor');
    expect(await axeViolations(page)).toEqual([]);

    // The group's page names the link; only admins may change it.
    await page.getByRole('link', { name: group.name }).click();
    await page.getByRole('heading', { level: 1, name: group.name }).waitFor();
    await expect
      .poll(() => page.locator('.remote-link p').textContent())
      .toBe('Linked to group Audited Team in Audited SCIM');
    expect(await page.getByRole('button', { name: 'Unlink' }).count()).toBe(0);
    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });

  it('shows members no connected systems', async () => {
    const page = await fx.signIn(await fx.user('Mo Member'), '/settings');
    const sections = page.getByRole('navigation', { name: 'Settings sections' });
    await sections.getByRole('link', { name: 'My tokens' }).waitFor();
    expect(await sections.getByRole('link').allTextContents()).toEqual([
      'My tokens',
      'Notification channels',
      'On-call schedules',
    ]);
    await page.goto(`${fx.url}/settings/connections`);
    await expect.poll(() => page.getByText('There is no such section.').isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Connected systems' }).count()).toBe(0);
    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });
});
