import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFixture, hasBrowser, screenshot } from './browser-fixture.js';

// An admin connects an identity provider from Settings: mints a SCIM token (shown once), which the provider then
// uses to push a person and a group. The group's members are the provider's to change, so the group page offers
// no way to end them or add others; the audit log names the provider as the actor; revoking the token shuts the
// provider out; and only admins see the connection at all.

const fx = browserFixture();

const SCIM = 'application/scim+json';

/** A call to the SCIM service provider, as the identity provider makes it. */
async function scim(secret: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${fx.url}/scim/v2${path}`, {
    method,
    headers: {
      authorization: `Bearer ${secret}`,
      accept: SCIM,
      ...(body === undefined ? {} : { 'content-type': SCIM }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

describe.runIf(hasBrowser)('the identity provider in the web UI', () => {
  beforeAll(() => fx.start(), 60_000);
  afterAll(() => fx.stop());

  it('lets an admin connect an identity provider, see what it pushes, and revoke it', async () => {
    const page = await fx.signIn(await fx.admin(), '/catalog');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'Identity provider' })
      .click();
    await expect
      .poll(() => page.getByRole('heading', { level: 2, name: 'Identity provider (SCIM)' }).isVisible())
      .toBe(true);
    // Where the provider's SCIM client must point, written out in full to be copied.
    await expect.poll(() => page.getByText(`${fx.url}/scim/v2`, { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('No identity provider is connected.').isVisible()).toBe(true);

    const form = page.getByRole('form', { name: 'Connect an identity provider' });
    await form.getByRole('textbox', { name: /Name/ }).fill('Okta');
    await form.getByRole('button', { name: 'Create SCIM token' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Copy the SCIM token “Okta” now.' });
    await notice.waitFor();
    const secret = (await notice.locator('code').textContent()) ?? '';
    expect(secret).toMatch(/^latch_/);
    const tokenRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Okta' }) });
    await tokenRow.waitFor();
    expect(await tokenRow.getByRole('cell').nth(1).textContent()).toBe('Never');
    await screenshot(page, 'identity-provider-token');
    // Shown once: dismissed, the secret is gone from the page.
    await notice.getByRole('button', { name: 'I have stored it' }).click();
    await expect.poll(() => page.getByText(secret, { exact: true }).count()).toBe(0);

    // The provider pushes a person, then a group with her as its member.
    const grace = await scim(secret, 'POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'grace@corp.test',
      name: { givenName: 'Grace', familyName: 'Hopper' },
      emails: [{ value: 'grace@corp.test', primary: true }],
    });
    expect(grace.status, JSON.stringify(grace.body)).toBe(201);
    const graceId = grace.body!.id as string;
    const pushed = await scim(secret, 'POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Okta Engineers',
      members: [{ value: graceId }],
    });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(201);
    const groupId = pushed.body!.id as string;
    // Her membership is a live grant on the group, so only its source keeps the page from offering to end it.
    const grants = await fx.api('GET', `/grants?groupId=${groupId}&status=active`);
    expect(grants.items.map((g: { userId: string; source: string }) => [g.userId, g.source])).toEqual([
      [graceId, 'idp'],
    ]);

    // The token's last use shows once the provider has called.
    await page.reload();
    await expect.poll(() => tokenRow.getByRole('cell').nth(1).textContent()).not.toBe('Never');

    // The pushed group, found in the inventory.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inventory' }).click();
    await page.getByRole('searchbox', { name: 'Filter groups and resources' }).fill('Okta Engineers');
    await page.getByRole('link', { name: 'Okta Engineers', exact: true }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'Okta Engineers' }).isVisible())
      .toBe(true);
    await page
      .getByRole('navigation', { name: 'Group sections' })
      .getByRole('link', { name: 'Members' })
      .click();
    const graceRow = page
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'Grace Hopper' }) });
    await graceRow.waitFor();
    await expect
      .poll(() => graceRow.getByText('From the identity provider', { exact: true }).isVisible())
      .toBe(true);
    expect(await graceRow.getByRole('button').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^End/ }).count()).toBe(0);
    await expect
      .poll(() =>
        page
          .getByText(
            /^Members of Okta Engineers come from the identity provider: add and remove them there\./,
          )
          .isVisible(),
      )
      .toBe(true);
    expect(await page.getByRole('form', { name: 'Add a member' }).count()).toBe(0);
    await screenshot(page, 'identity-provider-group-members');

    // The audit log names the provider, not a person, as who pushed them.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await expect
      .poll(() => page.getByText('The identity provider added Grace Hopper', { exact: true }).isVisible())
      .toBe(true);
    for (const sentence of [
      'The identity provider created the group Okta Engineers',
      'The identity provider added 1 member of Okta Engineers',
    ])
      await expect.poll(() => page.getByText(sentence, { exact: true }).isVisible()).toBe(true);
    // Who did it, in its own column too: the provider, never a token's id read as a person.
    const pushRow = page
      .getByRole('row')
      .filter({ has: page.getByText('The identity provider added Grace Hopper', { exact: true }) });
    expect(await pushRow.locator('td[data-label="By"]').textContent()).toBe('The identity provider');
    await screenshot(page, 'identity-provider-audit');

    // Revoked, the token no longer lets the provider in.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'Identity provider' })
      .click();
    await page.getByRole('button', { name: 'Revoke Okta' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke the SCIM token “Okta”?' });
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await expect.poll(() => page.getByText('No identity provider is connected.').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Revoke Okta' }).count()).toBe(0);
    expect((await scim(secret, 'GET', '/Users')).status).toBe(401);

    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });

  it('shows the identity provider connection to admins only', async () => {
    const member = await fx.user('Mia Member');
    const page = await fx.signIn(member, '/settings');
    const sections = page.getByRole('navigation', { name: 'Settings sections' });
    await sections.getByRole('link', { name: 'My tokens' }).waitFor();
    expect(await sections.getByRole('link').allTextContents()).toEqual([
      'My tokens',
      'Notification channels',
      'On-call schedules',
    ]);
    // Nor is it there by its address.
    await page.goto(`${fx.url}/settings/identity-provider`);
    await expect.poll(() => page.getByText('There is no such section.').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Create SCIM token' }).count()).toBe(0);
    await fx.api('GET', '/scim-tokens', undefined, member.token, 403);
    expect(fx.pageProblems).toEqual([]);
    await page.close();
  });
});
