import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, WEB_CLIENT, type TestIdp } from '../support/test-idp.js';
import { axeViolations, browserFixture, hasBrowser, screenshot } from './browser-fixture.js';

// Single sign-on as a person goes through it: the sign-in page offers the provider first, the provider's login
// form signs them in, and they land where they were going as themself. The token form stays, as the way in
// for when the provider is down.

const fx = browserFixture();
let idp: TestIdp;

beforeAll(async () => {
  if (!hasBrowser) return;
  idp = await startTestIdp();
  await fx.start((port) => {
    const publicUrl = `http://127.0.0.1:${port}`;
    idp.configure(publicUrl);
    return {
      LATCH_PUBLIC_URL: publicUrl,
      LATCH_OIDC_ISSUER: idp.issuer,
      LATCH_OIDC_CLIENT_ID: WEB_CLIENT.id,
      LATCH_OIDC_CLIENT_SECRET: WEB_CLIENT.secret,
      LATCH_OIDC_SCOPES: 'openid email profile groups',
      LATCH_OIDC_PROVIDER_NAME: 'Test IdP',
    };
  });
}, 120_000);
afterAll(async () => {
  await fx.stop();
  await idp?.close();
});

describe.skipIf(!hasBrowser)('single sign-on in the browser', () => {
  it('signs a person in through the provider and lands on the catalog as them', async () => {
    const user = await fx.user('Sonja Sso');
    const me = await fx.api('GET', `/users/${user.id}`);
    idp.addAccount({ id: 'sonja-at-idp', email: me.email, emailVerified: true, name: 'Sonja at the IdP' });

    const page = await fx.page('/catalog');
    const sso = page.getByRole('link', { name: 'Sign in with Test IdP' });
    await sso.waitFor();
    // The token way in is still there, and says what it is for.
    await expect
      .poll(() => page.getByText('Emergency access: sign in with an API token').isVisible())
      .toBe(true);
    await expect.poll(() => page.getByLabel('API token').isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in-with-sso');

    await sso.click();
    await page.getByLabel('E-mail').fill(me.email);
    await page.getByLabel('Password').fill('anything');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/catalog');
    const session = await page.evaluate<{ user: { id: string } }>(
      "fetch('/api/v1/session').then((r) => r.json())",
    );
    expect(session.user.id).toBe(user.id);
    expect(fx.pageProblems).toEqual([]);
  });

  it('shows why single sign-on was refused, and offers the token form', async () => {
    const page = await fx.page('/?signInError=suspended');
    const alert = page.getByRole('alert').filter({ hasText: 'Single sign-on did not sign you in' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('This account is suspended');
    // Read once: the reason leaves the address bar.
    expect(new URL(page.url()).search).toBe('');
    await expect.poll(() => page.getByLabel('API token').isVisible()).toBe(true);
  });
});
