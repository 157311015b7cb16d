import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callApi,
  freePort,
  processFixture,
  runCli,
  spawnLatch,
  type LatchProcess,
} from '../support/processes.js';
import {
  approveDeviceSignIn,
  CLI_CLIENT_ID,
  signInAtProvider,
  startTestIdp,
  WEB_CLIENT,
  type TestIdp,
} from '../support/test-idp.js';

// `latch login` against a real server and identity provider: the device authorization grant, the token kept
// in the user's configuration directory (0600) and used by the other commands, and `latch logout` revoking it.

const ADMIN_TOKEN = `latch_cli_login_${'c'.repeat(40)}`;
const fx = processFixture();
let idp: TestIdp;
let server: LatchProcess;
const idps: TestIdp[] = [];

/** A server whose single sign-on goes through `provider`. */
async function serveWith(provider: TestIdp) {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  provider.configure(publicUrl);
  return fx.serve(
    fx.tempDir('latch-cli-login-'),
    {
      LATCH_BOOTSTRAP_ADMIN_EMAIL: 'admin@example.test',
      LATCH_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
      LATCH_PUBLIC_URL: publicUrl,
      LATCH_OIDC_ISSUER: provider.issuer,
      LATCH_OIDC_CLIENT_ID: WEB_CLIENT.id,
      LATCH_OIDC_CLIENT_SECRET: WEB_CLIENT.secret,
      LATCH_OIDC_CLI_CLIENT_ID: CLI_CLIENT_ID,
    },
    port,
  );
}

/** The sign-in link `latch login` printed. */
async function linkPrinted(login: ReturnType<typeof spawnLatch>, pattern: RegExp) {
  for (let i = 0; i < 200; i++) {
    const link = pattern.exec(login.stderr())?.[1];
    if (link) return link;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`latch login printed no link:\n${login.output()}`);
}

beforeAll(async () => {
  idp = await startTestIdp();
  idps.push(idp);
  server = await serveWith(idp);
}, 120_000);
afterAll(async () => {
  await fx.cleanup();
  for (const i of idps) await i.close();
});

describe('latch login', () => {
  it('signs in through the device flow, keeps the token for the other commands, and logout revokes it', async () => {
    const email = 'cli.person@example.test';
    const created = await callApi(server, ADMIN_TOKEN, 'POST', '/users', { email, name: 'Cli Person' });
    expect(created.status).toBe(201);
    idp.addAccount({ id: 'cli-person', email, emailVerified: true, name: 'Cli Person' });
    const home = fx.tempDir('latch-cli-home-');
    const env = { LATCH_URL: server.url, LATCH_TOKEN: '', XDG_CONFIG_HOME: home };

    const login = spawnLatch(['login'], env);
    await approveDeviceSignIn(await linkPrinted(login, /open (\S+) and confirm the code/), email);
    expect(await login.exited, login.output()).toBe(0);

    const file = join(home, 'latch', 'credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { token: string; url: string };
    expect(stored.url).toBe(server.url);

    const whoami = await runCli(['whoami'], env);
    expect(whoami.code, whoami.stderr).toBe(0);
    expect(whoami.stdout).toContain(email);
    // LATCH_TOKEN still wins when it is set.
    const asAdmin = await runCli(['whoami'], { ...env, LATCH_TOKEN: ADMIN_TOKEN });
    expect(asAdmin.stdout).toContain('admin@example.test');

    const logout = await runCli(['logout'], env);
    expect(logout.code, logout.stderr).toBe(0);
    expect(existsSync(file)).toBe(false);
    expect((await callApi(server, stored.token, 'GET', '/me')).status).toBe(401);
    const after = await runCli(['whoami'], env);
    expect(after.code).toBe(2);
    expect(after.stderr).toContain('latch login');
  }, 60_000);

  it('signs in through a loopback redirect when the provider has no device flow', async () => {
    const plain = await startTestIdp({ deviceFlow: false });
    idps.push(plain);
    const other = await serveWith(plain);
    const email = 'loopback.person@example.test';
    expect(
      (await callApi(other, ADMIN_TOKEN, 'POST', '/users', { email, name: 'Loopback Person' })).status,
    ).toBe(201);
    plain.addAccount({ id: 'loopback-person', email, emailVerified: true, name: 'Loopback Person' });
    const env = { LATCH_URL: other.url, LATCH_TOKEN: '', XDG_CONFIG_HOME: fx.tempDir('latch-cli-home-') };

    const login = spawnLatch(['login'], env);
    const link = await linkPrinted(login, /open (http\S+)/);
    expect(new URL(link).searchParams.get('code_challenge_method')).toBe('S256');
    // The browser's part: sign in at the provider, which sends it to the CLI's listener on 127.0.0.1.
    const listener = new URL(link).searchParams.get('redirect_uri')!;
    expect(listener).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const answer = await signInAtProvider(link, email, listener);
    expect((await fetch(answer)).status).toBe(200);
    expect(await login.exited, login.output()).toBe(0);
    const whoami = await runCli(['whoami'], env);
    expect(whoami.stdout).toContain(email);
  }, 60_000);
});
