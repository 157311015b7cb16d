import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  browserFixture,
  catalogRow,
  DESKTOP,
  hasBrowser,
  PHONE,
  screenshot,
  type TestUser,
} from './browser-fixture.js';

// Every screen at desktop and phone width, with realistic data: screenshots go to test-output/screenshots
// for people to look at, and each screen is checked for what a machine can see: one h1, every control
// named, nothing wider than a phone, and no serious accessibility violation that axe-core finds.

const fx = browserFixture();
let admin: TestUser, bea: TestUser, olga: TestUser, rick: TestUser;
let prodDb: { id: string }, orders: { id: string }, warehouse: { id: string }, review: { id: string };

async function seed() {
  admin = await fx.admin();
  [bea, olga, rick] = await Promise.all([
    fx.user('Bea Breakglass'),
    fx.user('Olga Owner'),
    fx.user('Rick Requester'),
  ]);
  prodDb = await fx.group('prod-db', { description: 'Primary PostgreSQL cluster', ownerUserIds: [olga.id] });
  const payments = await fx.group('payments', { ownerUserIds: [olga.id] });
  const team = await fx.group('platform-team', { description: 'Everyone on the platform rota' });
  await fx.group('k8s-prod');
  orders = await fx.api('POST', '/resources', {
    name: 'orders-db',
    type: 'postgres',
    accessLevels: ['read', 'admin'],
  });
  await fx.api('POST', `/groups/${team.id}/assets`, { groupId: prodDb.id });
  await fx.api('POST', `/groups/${prodDb.id}/assets`, { resourceId: orders.id, accessLevel: 'read' });
  await fx.api('POST', `/groups/${team.id}/members`, { userId: rick.id, durationMinutes: 600 });
  await fx.api(
    'PUT',
    `/groups/${prodDb.id}/break-glass`,
    { userIds: [bea.id], groupIds: [team.id] },
    undefined,
    200,
  );
  const config = {
    condition: null,
    requestable: true,
    autoApprove: false,
    maxDurationMinutes: 480,
    recommendedDurationMinutes: 120,
    requireReason: true,
    reviewerStages: [{ operator: 'any', reviewers: { owners: true } }],
  };
  for (const g of [prodDb, payments])
    await fx.api(
      'PUT',
      `/groups/${g.id}/request-configurations`,
      [{ priority: 10, ...config }],
      undefined,
      200,
    );
  await fx.api(
    'POST',
    '/requests',
    { items: [{ groupId: payments.id }], durationMinutes: 120, reason: 'month-end close' },
    rick.token,
  );
  await fx.api(
    'POST',
    `/groups/${prodDb.id}/break-glass/activations`,
    { reason: 'INC-42: replication lag' },
    bea.token,
  );
  await fx.api('POST', '/notification-channels', {
    name: 'ops-alerts',
    type: 'webhook',
    config: { url: 'http://127.0.0.1:9/hook', secrets: ['0123456789abcdef0123'] },
  });
  await fx.api('POST', `/users/${admin.id}/tokens`, { name: 'deploy pipeline' });
  const start = new Date(Date.now() - 3_600_000).toISOString();
  const layers = [{ start, shiftMinutes: 10080, userIds: [olga.id, bea.id] }];
  const rota = await fx.api('POST', '/on-call-schedules', {
    name: 'Weekly primary',
    provider: 'builtin',
    config: { timezone: 'UTC', layers },
  });
  await fx.api('PUT', `/groups/${prodDb.id}/on-call-schedules`, { scheduleIds: [rota.id] }, undefined, 200);
  // A connected system that cannot be reached (nothing listens on the discard port): its failure shows.
  warehouse = await fx.api('POST', '/connections', {
    name: 'Warehouse SCIM',
    kind: 'scim',
    config: { baseUrl: 'http://127.0.0.1:9/scim/v2' },
    secrets: { bearerToken: 'warehouse-scim-token' },
    mode: 'report',
  });
  const ledger = await fx.group('ledger', { ownerUserIds: [olga.id] });
  await fx.api('POST', `/groups/${ledger.id}/members`, { userId: rick.id });
  // A campaign over everything: Olga reviews her groups, the admin the items nobody owns.
  review = await fx.api('POST', '/access-reviews', {
    name: 'Q3 production access',
    scope: { everything: true },
    reviewers: { type: 'owners' },
    deadline: new Date(Date.now() + 14 * 86_400_000).toISOString(),
  });
}

/** Runs in the page (as text: these files are type-checked without the DOM library). */
const UNNAMED_CONTROLS = `Array.from(document.querySelectorAll('button, a[href], input, select, textarea'))
  .filter((e) => {
    if (e.getAttribute('type') === 'hidden' || e.closest('[hidden]')) return false;
    const labelled = e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.labels?.length;
    return !labelled && !e.textContent.trim();
  })
  .map((e) => e.outerHTML.slice(0, 120))`;

/** Tabs that are not fully within the page's width, where a person would not see them. */
const TABS_OUT_OF_VIEW = `Array.from(document.querySelectorAll('.tabs a'))
  .filter((a) => a.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .map((a) => a.textContent)`;

/** What a machine can check on a screen: one h1, a name on every control, no sideways scrolling. */
async function checkScreen(page: Page, name: string, width: number) {
  expect(await page.locator('h1').count(), `${name}: one h1`).toBe(1);
  expect(await page.evaluate<string[]>(UNNAMED_CONTROLS), `${name}: controls without a name`).toEqual([]);
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth');
  expect(overflow, `${name}: wider than the ${width}px viewport`).toBeLessThanOrEqual(width);
  expect(await axeViolations(page), `${name}: serious accessibility violations (axe-core)`).toEqual([]);
}

async function settle(page: Page) {
  await page.waitForLoadState('networkidle');
  await page
    .locator('.loading')
    .first()
    .waitFor({ state: 'detached', timeout: 5_000 })
    .catch(() => undefined);
}

/** Opens a screen once at desktop width, then narrows the same page to a phone's: the layout is CSS only. */
async function both(page: Page, name: string, open?: () => Promise<void>) {
  await page.setViewportSize(DESKTOP);
  if (open) await open();
  await settle(page);
  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await checkScreen(page, `${name} (${size})`, viewport.width);
    expect(await page.evaluate<string[]>(TABS_OUT_OF_VIEW), `${name} (${size}): tabs out of view`).toEqual(
      [],
    );
    await screenshot(page, `${name}-${size}`);
  }
}

async function visit(page: Page, path: string, name: string) {
  await both(page, name, () => page.goto(fx.url + path).then(() => undefined));
}

describe.runIf(hasBrowser)('web UI screens', () => {
  beforeAll(async () => {
    await fx.start();
    await seed();
  }, 60_000);
  afterAll(() => fx.stop());

  it('renders the sign-in screen and the screens of a member', async () => {
    const anon = await fx.page('/');
    await both(anon, 'sign-in');
    await anon.getByRole('button', { name: 'Sign in' }).click();
    await both(anon, 'sign-in-error');
    await anon.close();

    const page = await fx.signIn(bea);
    await visit(page, '/catalog', 'catalog-member');
    await visit(page, '/access', 'my-access');
    await visit(page, `/catalog/groups/${prodDb.id}`, 'item-page');
    await visit(page, '/inbox', 'inbox-member');
    // Bea's break-glass access on prod-db is active (seeded): the catalog offers to activate again.
    await both(page, 'break-glass-again-dialog', async () => {
      await page.goto(`${fx.url}/catalog`);
      await (await catalogRow(page, 'prod-db')).getByRole('button', { name: 'Activate again…' }).click();
      await page.getByRole('dialog').waitFor();
    });
    await page.close();

    const requester = await fx.signIn(rick);
    await both(requester, 'request-dialog', async () => {
      await requester.goto(`${fx.url}/catalog`);
      await (await catalogRow(requester, 'prod-db')).getByRole('button', { name: 'Request' }).click();
      await requester.getByRole('dialog').waitFor();
    });
    await requester.setViewportSize(PHONE);
    await requester.goto(`${fx.url}/requests`);
    await requester.getByRole('button', { name: 'Menu' }).click();
    await requester
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'My access' })
      .waitFor();
    await screenshot(requester, 'menu-open-phone');
    await requester.close();

    const owner = await fx.signIn(olga);
    await visit(owner, '/requests', 'requests-owner');
    await visit(owner, '/reviews', 'reviews-owner');
    await both(owner, 'review-revoke-dialog', async () => {
      await owner.goto(`${fx.url}/reviews`);
      await owner
        .getByRole('button', { name: /^Revoke .*’s access to/ })
        .first()
        .click();
      await owner.getByRole('dialog').waitFor();
    });
    await owner.close();
  });

  it('renders the admin and owner screens', async () => {
    const page = await fx.signIn(admin);
    await visit(page, '/catalog', 'catalog-admin');
    await visit(page, '/inventory', 'inventory');
    for (const tab of [
      'members',
      'assets',
      'request-configurations',
      'break-glass',
      'on-call',
      'owners',
      'events',
    ])
      await visit(page, `/inventory/groups/${prodDb.id}/${tab}`, `group-${tab}`);
    await page.goto(`${fx.url}/inventory/groups/${prodDb.id}/on-call`);
    await expect.poll(() => page.getByRole('checkbox', { name: /Weekly primary/ }).isChecked()).toBe(true);
    await both(page, 'request-configurations-edit', async () => {
      await page.goto(`${fx.url}/inventory/groups/${prodDb.id}/request-configurations`);
      await page.getByRole('button', { name: 'Edit configurations' }).click();
    });
    await visit(page, `/inventory/resources/${orders.id}/members`, 'resource-members');
    await visit(page, '/audit', 'audit');
    await visit(page, '/reviews', 'reviews-admin');
    await visit(page, `/reviews/${review.id}`, 'review-campaign');
    await visit(page, '/reviews/new', 'review-new');
    await visit(page, '/inbox', 'inbox-admin');
    await visit(page, '/people', 'people');
    await visit(page, `/people/${bea.id}`, 'person');
    await visit(page, '/settings/tokens', 'settings-tokens');
    await visit(page, '/settings/notifications', 'settings-notifications');
    await visit(page, '/settings/on-call', 'settings-on-call');
    await visit(page, '/settings/connections', 'settings-connections');
    await visit(page, `/settings/connections/${warehouse.id}`, 'settings-connection');
    await both(page, 'connection-form', async () => {
      await page.goto(`${fx.url}/settings/connections`);
      await page.getByRole('button', { name: 'Connect a system' }).click();
      await page.getByRole('dialog').waitFor();
    });
    await visit(page, '/no-such-page', 'not-found');
    expect(fx.pageProblems).toEqual([]);
    await page.close();
  }, 120_000);
});
