/* eslint-disable @typescript-eslint/no-explicit-any -- SCIM bodies are whatever each test expects */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { parseOutboundAllowlist } from '../../src/ops/shared/outbound/allowlist.js';
import { PUBLIC_ONLY, type OutboundPolicy } from '../../src/ops/shared/outbound/policy.js';
import { TargetError } from '../../src/provisioning/connector.js';
import {
  parseScimConfig,
  parseScimSecrets,
  scimConnector,
  scimPolicy,
  type ScimConnectorConfig,
} from '../../src/provisioning/connectors/scim.js';
import { startHarness, type Harness } from '../support/harness.js';

// The SCIM connector against a real SCIM service provider over HTTP: Latch's own /scim/v2, listening on
// loopback, with a SCIM token, holding the users and groups of "the SaaS app". Small local servers stand in for
// a service that fails, redirects or says too much.

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

let h: Harness;
let token: string;
let config: ScimConnectorConfig;
let outbound: OutboundPolicy;

beforeAll(async () => {
  h = await startHarness();
  const minted = await h.request('POST', '/api/v1/scim-tokens', { body: { name: 'connector test' } });
  expect(minted.status, JSON.stringify(minted.body)).toBe(201);
  token = minted.body.token;
  await h.latch.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = h.latch.app.server.address() as AddressInfo;
  config = parseScimConfig({ baseUrl: `http://127.0.0.1:${port}/scim/v2/` });
  outbound = scimPolicy(PUBLIC_ONLY, config);
});
afterAll(() => h.close());

const connector = (bearerToken = token, cfg = config, policy = outbound) =>
  scimConnector(cfg, { bearerToken }, { outbound: policy, timeoutMs: 10_000 });

/** The SaaS app's own data, written over its SCIM API. */
const scim = async (method: string, path: string, body?: unknown) => {
  const res = await h.request(method, `/scim/v2${path}`, {
    token,
    ...(body === undefined
      ? {}
      : { rawBody: JSON.stringify(body), headers: { 'content-type': 'application/scim+json' } }),
  });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res.body as any;
};
const tag = () => randomBytes(4).toString('hex');
const pushUser = (userName = `pat-${tag()}@corp.test`) =>
  scim('POST', '/Users', {
    schemas: [USER],
    userName,
    emails: [{ value: `${tag()}@corp.test`, primary: true }],
  });
const pushGroup = (displayName = `app-group-${tag()}`) =>
  scim('POST', '/Groups', { schemas: [GROUP], displayName, members: [] });
const memberIdsOf = async (groupId: string) =>
  ((await scim('GET', `/Groups/${groupId}`)).members ?? []).map((m: any) => m.value as string);

async function failure(p: Promise<unknown>): Promise<TargetError> {
  const err = await p.then(
    () => new Error('expected a TargetError'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TargetError);
  return err as TargetError;
}

/** A port on loopback with nothing listening. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A stand-in service answering every request with `answer`; `hits` counts requests. */
async function fakeService(host: string, answer: Parameters<typeof createServer>[1]) {
  const state = { hits: 0, url: '' };
  const server: Server = createServer((req, res) => {
    state.hits++;
    answer!(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  state.url = `http://${host}:${(server.address() as AddressInfo).port}/scim/v2`;
  const close = () =>
    new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return { state, close };
}

describe('parseScimConfig', () => {
  const field = (raw: unknown) => {
    try {
      parseScimConfig(raw);
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      return (err as AppError).errors[0]?.message;
    }
    throw new Error('expected a validation error');
  };

  it('keeps an https base URL without its trailing slash, and plain http only on loopback', () => {
    expect(parseScimConfig({ baseUrl: 'https://app.example.com/scim/v2/' })).toEqual({
      baseUrl: 'https://app.example.com/scim/v2',
      createUsers: false,
    });
    expect(parseScimConfig({ baseUrl: 'https://app.example.com/scim', createUsers: true }).createUsers).toBe(
      true,
    );
    expect(field({ baseUrl: 'https://app.example.com/scim', createUsers: 'yes' })).toMatch(/true or false/);
    expect(parseScimConfig({ baseUrl: 'http://127.0.0.1:8080/scim' }).baseUrl).toBe(
      'http://127.0.0.1:8080/scim',
    );
    expect(parseScimConfig({ baseUrl: 'http://[::1]/scim' }).baseUrl).toBe('http://[::1]/scim');
    expect(parseScimConfig({ baseUrl: 'http://localhost/scim' }).baseUrl).toBe('http://localhost/scim');
    expect(field({ baseUrl: 'http://app.example.com/scim' })).toMatch(/https/);
    expect(field({ baseUrl: 'http://10.0.0.5/scim' })).toMatch(/https/);
    expect(field({ baseUrl: 'ftp://app.example.com/scim' })).toMatch(/https/);
  });

  it('refuses credentials, queries, fragments, oversized or missing values and unknown settings', () => {
    expect(field({ baseUrl: 'https://user:pw@app.example.com/scim' })).toMatch(/user name or password/);
    expect(field({ baseUrl: 'https://app.example.com/scim?token=abc' })).toMatch(/query/);
    expect(field({ baseUrl: 'https://app.example.com/scim#x' })).toMatch(/fragment/);
    expect(field({ baseUrl: `https://app.example.com/${'a'.repeat(3000)}` })).toMatch(/at most/);
    expect(field({ baseUrl: 'not a url' })).toMatch(/absolute/);
    expect(field({})).toMatch(/required/);
    expect(field(null)).toMatch(/object/);
    expect(field({ baseUrl: 'https://app.example.com/scim', token: 'x' })).toMatch(/not a setting/);
  });

  it('never repeats a refused value', () => {
    try {
      parseScimConfig({ baseUrl: 'https://admin:hunter2@app.example.com/scim' });
    } catch (err) {
      expect(JSON.stringify({ m: (err as Error).message, e: (err as AppError).errors })).not.toContain(
        'hunter2',
      );
    }
    try {
      parseScimSecrets({ bearerToken: 'abc def\r\nX-Evil: 1' });
      throw new Error('expected a refusal');
    } catch (err) {
      expect((err as Error).message).not.toContain('abc');
    }
  });
});

describe('the outbound guard', () => {
  it('is what lets the connector reach a loopback service: without the host allowed, it is refused', async () => {
    const refused = await failure(connector(token, config, PUBLIC_ONLY).remoteItems());
    expect(refused.retryable).toBe(false);
    expect(refused.message).toMatch(/refused to connect to 127\.0\.0\.1.*LATCH_OUTBOUND_ALLOW/);
    const tested = await connector(token, config, PUBLIC_ONLY).test();
    expect(tested.ok).toBe(false);
    // Allowed by the operator's list rather than by the connection: the same service is reached.
    const viaList = connector(token, config, { allow: parseOutboundAllowlist('127.0.0.1') });
    expect((await viaList.test()).ok).toBe(true);
  });

  it('follows no redirect, so the token never leaves the configured host', async () => {
    const elsewhere = await fakeService('127.0.0.2', (_req, res) => res.writeHead(200).end('{}'));
    const redirecting = await fakeService('127.0.0.1', (_req, res) =>
      res.writeHead(302, { location: `${elsewhere.state.url}/Groups` }).end(),
    );
    try {
      const cfg = parseScimConfig({ baseUrl: redirecting.state.url });
      const policy = { allow: parseOutboundAllowlist('127.0.0.0/8') };
      const err = await failure(connector(token, cfg, policy).remoteItems());
      expect(err.retryable).toBe(false);
      expect(err.message).toMatch(/redirect/);
      expect(redirecting.state.hits).toBe(1);
      expect(elsewhere.state.hits).toBe(0);
    } finally {
      await redirecting.close();
      await elsewhere.close();
    }
  });
});

describe('test()', () => {
  it('reports a working connection', async () => {
    const result = await connector().test();
    expect(result.ok, result.detail).toBe(true);
    expect(result.detail).toMatch(/PATCH is supported/);
  });

  it('says the token was refused, without showing it', async () => {
    const wrong = `latch_scim_${randomBytes(16).toString('hex')}`;
    const result = await connector(wrong).test();
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/the token was refused \(HTTP 401\)/);
    expect(result.detail).not.toContain(wrong);
    expect(result.detail).not.toContain(token);
  });

  it('reports an unreachable service without throwing', async () => {
    const cfg = parseScimConfig({ baseUrl: `http://127.0.0.1:${await closedPort()}/scim/v2` });
    const result = await connector(token, cfg, scimPolicy(PUBLIC_ONLY, cfg)).test();
    expect(result).toMatchObject({ ok: false, detail: expect.stringMatching(/connection failed/) });
  });
});

describe('remoteItems()', () => {
  it('pages through every group (more than one page of 100)', async () => {
    const created: any[] = [];
    for (let i = 0; i < 120; i++) created.push(await pushGroup(`paged-${i}-${tag()}`));
    const items = await connector().remoteItems();
    const byId = new Map(items.map((item) => [item.remoteId, item]));
    for (const g of created)
      expect(byId.get(g.id)).toEqual({ remoteId: g.id, name: g.displayName, kind: 'group' });
    expect(items.length).toBeGreaterThanOrEqual(120);
  });
});

describe('memberships', () => {
  it('adds a member once, lists it by userName, and removes it once', async () => {
    const user = await pushUser();
    const group = await pushGroup();
    const c = connector();

    expect(await c.accountExists(user.userName)).toBe(true);
    expect(await c.addMember(group.id, user.userName)).toEqual({ changed: true });
    expect(await memberIdsOf(group.id)).toEqual([user.id]);
    expect(await c.addMember(group.id, user.userName)).toEqual({ changed: false });
    expect(await c.members(group.id)).toEqual([user.userName]);

    expect(await c.removeMember(group.id, user.userName)).toEqual({ changed: true });
    expect(await memberIdsOf(group.id)).toEqual([]);
    expect(await c.removeMember(group.id, user.userName)).toEqual({ changed: false });
    expect(await c.members(group.id)).toEqual([]);
  });

  it('names every member of a group larger than one lookup batch, and returns unknown ids as they are', async () => {
    const users: any[] = [];
    for (let i = 0; i < 60; i++) users.push(await pushUser());
    const group = await scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: `big-${tag()}`,
      members: users.map((u) => ({ value: u.id })),
    });
    const names = await connector().members(group.id);
    expect(names.sort()).toEqual(users.map((u) => u.userName).sort());
  });

  it('returns ids the service cannot name as they are, and asks one by one when `or` filters are refused', async () => {
    const svc = await fakeService('127.0.0.1', (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const send = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/scim+json' }).end(JSON.stringify(body));
      if (url.pathname.endsWith('/Groups/g1'))
        return send(200, {
          id: 'g1',
          members: [{ value: 'u1' }, { value: 'ghost' }, { value: 'g2', type: 'Group' }],
        });
      if (url.pathname.endsWith('/Users') && / or /.test(url.searchParams.get('filter') ?? ''))
        return send(400, { status: '400', scimType: 'invalidFilter', detail: 'or is not supported' });
      if (url.pathname.endsWith('/Users/u1')) return send(200, { id: 'u1', userName: 'pat@corp.test' });
      return send(404, { status: '404', detail: 'no such resource' });
    });
    try {
      const cfg = parseScimConfig({ baseUrl: svc.state.url });
      const names = await connector(token, cfg, scimPolicy(PUBLIC_ONLY, cfg)).members('g1');
      // A nested group (type Group) is no account and is left out.
      expect(names).toEqual(['pat@corp.test', 'ghost']);
    } finally {
      await svc.close();
    }
  });

  it('refuses an unknown account, for good', async () => {
    const group = await pushGroup();
    expect(await connector().accountExists(`nobody-${tag()}@corp.test`)).toBe(false);
    const err = await failure(connector().addMember(group.id, `nobody-${tag()}@corp.test`));
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/no user named/);
    expect(await memberIdsOf(group.id)).toEqual([]);
  });

  it('creates the user first when the connection creates users', async () => {
    const group = await pushGroup();
    const creating = connector(token, { ...config, createUsers: true });
    const account = `new-${tag()}@corp.test`;
    expect(await creating.accountExists(account)).toBe(true);
    expect(await connector().accountExists(account)).toBe(false);
    expect(await creating.addMember(group.id, account)).toEqual({ changed: true });
    const made = (await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${account}"`)}`))
      .Resources;
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({
      userName: account,
      active: true,
      emails: [{ value: account, primary: true }],
    });
    expect(await memberIdsOf(group.id)).toEqual([made[0].id]);
    // Found the second time, not made again.
    expect(await creating.addMember(group.id, account)).toEqual({ changed: false });
    expect(
      (await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${account}"`)}`)).Resources,
    ).toHaveLength(1);
  });

  it('escapes the account in filters: a crafted name matches nothing, a name with quotes matches itself', async () => {
    await pushUser();
    const group = await pushGroup();
    const crafted = '" or userName pr or "';
    expect(await connector().accountExists(crafted)).toBe(false);
    expect((await failure(connector().addMember(group.id, crafted))).retryable).toBe(false);
    expect(await memberIdsOf(group.id)).toEqual([]);

    const odd = await pushUser(`odd"name\\${tag()}@corp.test`);
    expect(await connector().accountExists(odd.userName)).toBe(true);
    expect(await connector().addMember(group.id, odd.userName)).toEqual({ changed: true });
    expect(await memberIdsOf(group.id)).toEqual([odd.id]);
  });

  it('says a group that no longer exists is gone, for good', async () => {
    const user = await pushUser();
    const group = await pushGroup();
    await scim('DELETE', `/Groups/${group.id}`);
    for (const call of [connector().members(group.id), connector().addMember(group.id, user.userName)]) {
      const err = await failure(call);
      expect(err.retryable).toBe(false);
      expect(err.message).toMatch(/the remote group .* is gone \(HTTP 404\)/);
    }
  });
});

describe('failures of the service', () => {
  it('a service that is not listening is worth retrying', async () => {
    const cfg = parseScimConfig({ baseUrl: `http://127.0.0.1:${await closedPort()}/scim/v2` });
    const c = connector(token, cfg, scimPolicy(PUBLIC_ONLY, cfg));
    for (const call of [c.remoteItems(), c.addMember('g1', 'pat@corp.test'), c.members('g1')]) {
      const err = await failure(call);
      expect(err.retryable).toBe(true);
      expect(err.message).not.toContain(token);
    }
  });

  it('5xx and 429 are retried; a refusal is not, and says only a short, cleaned part of what came back', async () => {
    let answer = { status: 503, body: '{}' };
    const svc = await fakeService('127.0.0.1', (_req, res) =>
      res.writeHead(answer.status, { 'content-type': 'application/scim+json' }).end(answer.body),
    );
    try {
      const cfg = parseScimConfig({ baseUrl: svc.state.url });
      const c = connector(token, cfg, scimPolicy(PUBLIC_ONLY, cfg));
      expect((await failure(c.remoteItems())).retryable).toBe(true);
      answer = { status: 429, body: '{}' };
      expect((await failure(c.remoteItems())).retryable).toBe(true);
      const detail = `bad\nrequest for ${token} ${'x'.repeat(500)}`;
      answer = { status: 400, body: JSON.stringify({ status: '400', scimType: 'invalidValue', detail }) };
      const err = await failure(c.remoteItems());
      expect(err.retryable).toBe(false);
      expect(err.message).toMatch(/HTTP 400\): bad request for \[redacted\]/);
      expect(err.message).not.toContain(token);
      expect(err.message.length).toBeLessThan(300);
    } finally {
      await svc.close();
    }
  });

  it('a service that does not answer in time is worth retrying', async () => {
    const svc = await fakeService('127.0.0.1', () => {
      /* never answers */
    });
    try {
      const cfg = parseScimConfig({ baseUrl: svc.state.url });
      const c = scimConnector(
        cfg,
        { bearerToken: token },
        { outbound: scimPolicy(PUBLIC_ONLY, cfg), timeoutMs: 300 },
      );
      const err = await failure(c.remoteItems());
      expect(err).toMatchObject({ retryable: true, message: expect.stringMatching(/within 300 ms/) });
      expect(await c.test()).toMatchObject({ ok: false });
    } finally {
      await svc.close();
    }
  });

  it('test() fails a service that does not announce PATCH support', async () => {
    const svc = await fakeService('127.0.0.1', (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/scim+json' })
        .end(JSON.stringify({ patch: { supported: false } })),
    );
    try {
      const cfg = parseScimConfig({ baseUrl: svc.state.url });
      const result = await connector(token, cfg, scimPolicy(PUBLIC_ONLY, cfg)).test();
      expect(result).toMatchObject({ ok: false, detail: expect.stringMatching(/PATCH/) });
    } finally {
      await svc.close();
    }
  });
});
