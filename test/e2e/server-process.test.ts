import { afterAll, describe, expect, it } from 'vitest';
import {
  freePort,
  processFixture,
  runCli,
  spawnLatch,
  stopProcess,
  type LatchProcess,
} from '../support/processes.js';

// The embedded store as an operator meets it: real processes, a real data directory, real signals.

const ADMIN_TOKEN = `latch_e2e_${'x'.repeat(40)}`;
const fx = processFixture();
afterAll(() => fx.cleanup());
const tempDir = () => fx.tempDir();
const serve = (dataDir: string, env: Record<string, string> = {}) => fx.serve(dataDir, env);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked by the assertions
const json = async (res: Promise<Response>): Promise<any> => (await res).json();

const api = (p: LatchProcess, token: string, method: string, path: string, body?: unknown) =>
  fetch(`${p.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

describe('latch serve on the embedded store', () => {
  it('prints a one-time admin token on first start, and keeps data across a restart', async () => {
    const dir = tempDir();
    const first = await serve(dir);
    const token = /latch_[A-Za-z0-9_-]{20,}/.exec(first.stdout())?.[0];
    expect(token).toBeDefined();
    expect((await api(first, token!, 'GET', '/me')).status).toBe(200);
    const created = await api(first, token!, 'POST', '/users', { email: 'kept@example.test', name: 'Kept' });
    expect(created.status).toBe(201);
    expect(await stopProcess(first)).toBe(0);

    const second = await serve(dir);
    expect(second.stdout()).not.toMatch(/latch_[A-Za-z0-9_-]{20,}/);
    const users = await json(api(second, token!, 'GET', '/users?query=kept'));
    expect(users.items.map((u: { email: string }) => u.email)).toEqual(['kept@example.test']);
    await stopProcess(second);
  });

  it('refuses a second process on the same data directory, naming the directory and the holder', async () => {
    const dir = tempDir();
    const first = await serve(dir, {
      LATCH_BOOTSTRAP_ADMIN_EMAIL: 'ops@example.test',
      LATCH_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    await api(first, ADMIN_TOKEN, 'POST', '/users', { email: 'before@example.test', name: 'Before' });
    const second = spawnLatch(['serve', '--port', String(await freePort()), '--data-dir', dir]);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain(dir);
    expect(second.stderr()).toContain(`pid ${first.child.pid}`);
    // The first process is unharmed and its data intact.
    const users = await json(api(first, ADMIN_TOKEN, 'GET', '/users?query=before'));
    expect(users.items).toHaveLength(1);
    const verify = await json(api(first, ADMIN_TOKEN, 'GET', '/events/verify'));
    expect(verify.ok).toBe(true);
    await stopProcess(first);
  });

  it('keeps what it acknowledged when killed with SIGKILL right after a 201', async () => {
    const dir = tempDir();
    const env = { LATCH_BOOTSTRAP_ADMIN_EMAIL: 'ops@example.test', LATCH_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN };
    const first = await serve(dir, env);
    const created = await api(first, ADMIN_TOKEN, 'POST', '/users', {
      email: 'durable@example.test',
      name: 'Durable',
    });
    expect(created.status).toBe(201);
    first.child.kill('SIGKILL');
    await first.exited;
    const { id } = (await created.json()) as { id: string };

    const second = await serve(dir, env);
    expect((await api(second, ADMIN_TOKEN, 'GET', `/users/${id}`)).status).toBe(200);
    const events = await json(api(second, ADMIN_TOKEN, 'GET', `/events?subjectId=${id}&type=user.created`));
    expect(events.items).toHaveLength(1);
    expect((await json(api(second, ADMIN_TOKEN, 'GET', '/events/verify'))).ok).toBe(true);
    await stopProcess(second);

    // Offline verification of the same directory once no server holds it.
    const offline = await runCli(['audit', 'verify', '--data-dir', dir, '--json']);
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({ ok: true, firstBadSeq: null });
  });

  it('drives the API from the CLI client commands', async () => {
    const dir = tempDir();
    const p = await serve(dir, {
      LATCH_BOOTSTRAP_ADMIN_EMAIL: 'ops@example.test',
      LATCH_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    const env = { LATCH_URL: p.url, LATCH_TOKEN: ADMIN_TOKEN };
    const whoami = await runCli(['whoami', '--json'], env);
    expect(JSON.parse(whoami.stdout)).toMatchObject({ email: 'ops@example.test', role: 'admin' });
    const created = await runCli(['users', 'create', 'cli@example.test', '--name', 'Cli User'], env);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('created cli@example.test');
    const dup = await runCli(['users', 'create', 'CLI@example.test', '--name', 'Again'], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('409 conflict');
    const list = await runCli(['users', 'list'], env);
    expect(list.stdout).toMatch(/EMAIL/);
    expect(list.stdout).toContain('cli@example.test');
    const token = await runCli(['tokens', 'create', '--name', 'ci', '--json'], env);
    const minted = JSON.parse(token.stdout);
    const asNew = await runCli(['whoami'], { LATCH_URL: p.url, LATCH_TOKEN: minted.token });
    expect(asNew.stdout).toContain('ops@example.test');
    const noToken = await runCli(['whoami'], { LATCH_URL: p.url, LATCH_TOKEN: '' });
    expect(noToken.code).toBe(2);
    // A SCIM token for the identity provider: works on /scim/v2 only, listed, revoked.
    const scim = await runCli(['scim-tokens', 'create', '--name', 'okta', '--json'], env);
    expect(scim.code, scim.stderr).toBe(0);
    const scimToken = JSON.parse(scim.stdout) as { id: string; token: string };
    const scimAuth = { authorization: `Bearer ${scimToken.token}` };
    expect((await fetch(`${p.url}/scim/v2/Users`, { headers: scimAuth })).status).toBe(200);
    expect((await runCli(['scim-tokens', 'list'], env)).stdout).toContain(scimToken.id);
    expect((await runCli(['scim-tokens', 'revoke', scimToken.id], env)).code).toBe(0);
    expect((await fetch(`${p.url}/scim/v2/Users`, { headers: scimAuth })).status).toBe(401);
    // A user named by e-mail, as the help says, in any case.
    const forCli = await runCli(
      ['tokens', 'create', '--name', 'cli', '--user', 'Cli@Example.test', '--json'],
      env,
    );
    expect(forCli.code, forCli.stderr).toBe(0);
    const asCli = await runCli(['whoami'], {
      LATCH_URL: p.url,
      LATCH_TOKEN: JSON.parse(forCli.stdout).token,
    });
    expect(asCli.stdout).toContain('cli@example.test');
    const unknown = await runCli(['tokens', 'create', '--name', 'x', '--user', 'nobody@example.test'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('nobody@example.test');
    await stopProcess(p);
    // A server and fourteen CLI processes, each a Node start: more than the default on a busy machine.
  }, 90_000);
});
