/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are whatever each test expects */
import { randomBytes } from 'node:crypto';
import { KEY_BYTES } from '../../src/keys/key-material.js';
import type { Keys } from '../../src/keys/load-keys.js';
import { createLatch, type Latch, type LatchOptions } from '../../src/main.js';
import { bootstrapAdmin } from '../../src/ops/identity/bootstrap-admin.js';
import { parseOutboundAllowlist } from '../../src/ops/shared/outbound/allowlist.js';
import type { User } from '../../src/domain/users.js';
import { cloneTestStore } from './test-store.js';

// An in-process Latch on a fresh cloned store, driven through HTTP injection: the real routes, schemas,
// auth and error handling, without sockets.

export interface Response<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

export interface Caller {
  user: User;
  token: string;
}

export interface Harness {
  latch: Latch;
  admin: Caller;
  request<T = any>(
    method: string,
    url: string,
    opts?: { token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<Response<T>>;
  as(caller: Caller): <T = any>(method: string, url: string, body?: unknown) => Promise<Response<T>>;
  newUser(role?: 'admin' | 'auditor' | 'member'): Promise<Caller>;
  /** Stops this Latch (not its store) and starts a new one on the same store, as a server restart does. */
  restart(options?: HarnessOptions): Promise<Latch>;
  close(): Promise<void>;
}

/**
 * For tests whose fake providers, webhooks and mail servers listen on loopback: Latch calls loopback only when
 * allowed, so such tests allow it explicitly (`startHarness({ outboundAllow: ALLOW_LOOPBACK })`).
 */
export const ALLOW_LOOPBACK = parseOutboundAllowlist('127.0.0.1');

export const uniqueEmail = (prefix = 'user') => `${prefix}-${randomBytes(5).toString('hex')}@example.test`;

/** Keys are made once per harness and kept across restarts, as a server keeps its key files. */
export type HarnessOptions = Omit<LatchOptions, 'keys'> & { keys?: Keys };

export const testKeys = (): Keys => ({ audit: randomBytes(KEY_BYTES), secret: randomBytes(KEY_BYTES) });

// Background workers are off unless a test asks for them: most tests want a database that only they change.
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const store = await cloneTestStore();
  const keys = options.keys ?? testKeys();
  const adminToken = `latch_test_admin_${randomBytes(24).toString('hex')}`;
  await bootstrapAdmin({ db: store.db, now: () => new Date(), keys }, 'admin@example.test', adminToken);
  let latch = await createLatch(store, { jobs: false, ...options, keys });

  const request: Harness['request'] = async (method, url, opts = {}) => {
    const token = opts.token === undefined ? adminToken : opts.token;
    const headers: Record<string, string> = {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...opts.headers,
    };
    let payload: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await latch.app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(payload !== undefined ? { payload } : {}),
    });
    const type = String(res.headers['content-type'] ?? '');
    const body = (type.includes('json') && !type.includes('ndjson') ? res.json() : res.body) as never;
    return { status: res.statusCode, body, headers: res.headers };
  };
  const me = await request<User>('GET', '/api/v1/me');
  const admin = { user: me.body, token: adminToken };

  const as: Harness['as'] = (caller) => (method, url, body) =>
    request(method, url, { token: caller.token, body });

  const newUser: Harness['newUser'] = async (role = 'member') => {
    const created = await request<User>('POST', '/api/v1/users', {
      body: { email: uniqueEmail(role), name: `Test ${role}`, role },
    });
    if (created.status !== 201) throw new Error(`cannot create user: ${JSON.stringify(created.body)}`);
    const minted = await request<{ token: string }>('POST', `/api/v1/users/${created.body.id}/tokens`, {
      body: { name: 'test' },
    });
    return { user: created.body, token: minted.body.token };
  };

  return {
    get latch() {
      return latch;
    },
    admin,
    request,
    as,
    newUser,
    async restart(next = options) {
      await latch.close();
      latch = await createLatch(store, { jobs: false, ...next, keys });
      return latch;
    },
    async close() {
      await latch.close();
      await store.close();
    },
  };
}
