import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import {
  callApi,
  freePort,
  processFixture,
  repoRoot,
  type AnyBody,
  type LatchProcess,
} from '../support/processes.js';

// Browser tests drive the built web UI on a real server with Debian's Chromium; no browser is downloaded.
// Without /usr/bin/chromium they are skipped loudly, or fail when LATCH_REQUIRE_BROWSER=1 (CI).

export const CHROMIUM = '/usr/bin/chromium';
export const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) {
  const message = `${CHROMIUM} is missing: the browser tests cannot run (apt-get install chromium).`;
  if (process.env.LATCH_REQUIRE_BROWSER === '1') throw new Error(message);
  console.warn(`\n\n*** SKIPPING BROWSER TESTS: ${message} ***\n\n`);
}

export const SCREENSHOTS = join(repoRoot, 'test-output', 'screenshots');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const ADMIN_TOKEN = `latch_browser_${'w'.repeat(40)}`;

export interface TestUser {
  id: string;
  token: string;
  name: string;
}

/** One server and one browser for a test file, with the admin's API for setting up data. */
export function browserFixture() {
  const fx = processFixture();
  const profiles: string[] = [];
  let server: LatchProcess | undefined;
  let context: BrowserContext | undefined;
  let userCount = 0;

  const self = {
    get url() {
      return server!.url;
    },
    get context() {
      return context!;
    },
    /** `env` adds to the server's environment; it is given the port the server will listen on. */
    async start(env: (port: number) => Record<string, string> = () => ({})) {
      if (!existsSync(join(repoRoot, 'dist', 'web', 'index.html')))
        throw new Error('the web UI is not built: run `npm run build:web` (npm test does it first)');
      const port = await freePort();
      const serverEnv = {
        ...env(port),
        LATCH_BOOTSTRAP_ADMIN_EMAIL: 'admin@example.test',
        LATCH_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
        // Seeded channels point at loopback, which the server accepts only when allowed.
        LATCH_OUTBOUND_ALLOW: '127.0.0.1',
      };
      const profile = mkdtempSync(join(tmpdir(), 'latch-chromium-'));
      profiles.push(profile);
      [server, context] = await Promise.all([
        fx.serve(fx.tempDir('latch-browser-'), serverEnv, port),
        chromium.launchPersistentContext(profile, {
          executablePath: CHROMIUM,
          headless: true,
          viewport: DESKTOP,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        }),
      ]);
      context.setDefaultTimeout(10_000);
      mkdirSync(SCREENSHOTS, { recursive: true });
    },
    async stop() {
      await context?.close();
      await fx.cleanup();
      for (const p of profiles) rmSync(p, { recursive: true, force: true });
    },
    /** An API call as the admin (or as `token`), expecting `status`. */
    async api(
      method: string,
      path: string,
      body?: unknown,
      token = ADMIN_TOKEN,
      status?: number,
    ): Promise<AnyBody> {
      const res = await callApi(server!, token, method, path, body);
      const expected = status ?? (method === 'POST' ? 201 : method === 'DELETE' ? 204 : 200);
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(expected);
      return res.body;
    },
    adminToken: ADMIN_TOKEN,
    async admin(): Promise<TestUser> {
      const me = await self.api('GET', '/me');
      return { id: me.id, token: ADMIN_TOKEN, name: me.name };
    },
    /** A new user with an API token of their own. */
    async user(name: string, role: 'member' | 'admin' | 'auditor' = 'member'): Promise<TestUser> {
      const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${++userCount}@example.test`;
      const user = await self.api('POST', '/users', { email, name, role });
      const minted = await self.api('POST', `/users/${user.id}/tokens`, { name: 'browser tests' });
      return { id: user.id, token: minted.token, name };
    },
    async group(name: string, extra: Record<string, unknown> = {}): Promise<{ id: string; name: string }> {
      return self.api('POST', '/groups', { name, ...extra });
    },
    /** Script errors and CSP refusals seen by any page: the UI must run under the server's strict CSP. */
    pageProblems: [] as string[],
    /** A fresh page with no session, at `path`. */
    async page(path = '/'): Promise<Page> {
      await context!.clearCookies();
      const page = await context!.newPage();
      page.on('pageerror', (err) => self.pageProblems.push(`${page.url()}: ${err.message}`));
      page.on('console', (msg) => {
        if (/Content Security Policy|Uncaught/i.test(msg.text()))
          self.pageProblems.push(`${page.url()}: ${msg.text()}`);
      });
      await page.setViewportSize(DESKTOP);
      await page.goto(server!.url + path);
      return page;
    },
    /** Signs in through the sign-in screen, as a person would. */
    async signIn(user: TestUser, path = '/catalog'): Promise<Page> {
      const page = await self.page(path);
      await page.getByLabel('API token').fill(user.token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
      return page;
    },
  };
  return self;
}

/** The catalog row of an item, found by searching for it. */
export async function catalogRow(page: Page, name: string) {
  await page.getByRole('searchbox', { name: 'Search groups and resources' }).fill(name);
  const exact = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s`);
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: exact }) });
  await row.waitFor();
  return row;
}

export async function screenshot(page: Page, name: string) {
  // The whole page, but no taller than a few screens: long lists say nothing more further down.
  const size = page.viewportSize()!;
  const height = Math.min(await page.evaluate<number>('document.documentElement.scrollHeight'), 2400);
  await page.screenshot({
    path: join(SCREENSHOTS, `${name}.png`),
    fullPage: true,
    clip: { x: 0, y: 0, width: size.width, height },
  });
}

const AXE_SOURCE = readFileSync(join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/**
 * The serious and critical accessibility violations axe-core finds on the page as it is now (WCAG 2.1 A and AA
 * rules), each as "rule: first elements". Injected through the debugger, so the page's CSP does not apply.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate<boolean>('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate<string[]>(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')))`);
}

/** A request configuration entry anyone may use, reviewed by any one of the item's owners. */
export const reviewedByOwners = (overrides: Record<string, unknown> = {}) => ({
  priority: 10,
  condition: null,
  requestable: true,
  autoApprove: false,
  maxDurationMinutes: 480,
  recommendedDurationMinutes: 120,
  requireReason: false,
  reviewerStages: [{ operator: 'any', reviewers: { owners: true } }],
  ...overrides,
});
