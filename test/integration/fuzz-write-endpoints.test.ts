import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../src/ops/audit/verify.js';
import { startHarness, type Harness } from '../support/harness.js';

// Throws random bodies at every write endpoint the OpenAPI document lists (so new endpoints are covered as
// they land): no input may produce a 500, a non-problem error, or a broken audit chain.

let h: Harness;
let writeRoutes: { method: string; path: string }[] = [];
let realIds: string[] = [];
beforeAll(async () => {
  h = await startHarness();
  const doc = (await h.request('GET', '/api/openapi.json', { token: null })).body as {
    paths: Record<string, Record<string, unknown>>;
  };
  writeRoutes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
  const member = await h.newUser('member');
  realIds = [member.user.id, h.admin.user.id];
});
afterAll(() => h.close());

const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(
    fc.constantFrom(
      'email',
      'name',
      'role',
      'status',
      'expiresAt',
      'reason',
      'userId',
      'groupId',
      'durationMinutes',
      'items',
      'x',
    ),
    fc.jsonValue({ maxDepth: 2 }),
  ),
  fc.record({ email: fc.string(), name: fc.string() }, { requiredKeys: [] }),
);
const rawBody = fc.oneof(
  jsonish.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constant(''),
  fc.constant('{"a":'),
);

describe('random bodies at every write endpoint', () => {
  it('finds write endpoints to test', () => {
    expect(writeRoutes.length).toBeGreaterThanOrEqual(4);
  });

  it('never answers 5xx, and every error is problem+json with a code', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10_000 }),
        rawBody,
        fc.oneof(fc.constantFrom(...realIds), fc.string({ minLength: 1, maxLength: 80 })),
        fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8'),
        async (routeIndex, body, id, contentType) => {
          const route = writeRoutes[routeIndex % writeRoutes.length]!;
          const url = route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(id));
          const res = await h.request(route.method, url, {
            rawBody: body,
            headers: { 'content-type': contentType },
          });
          expect(res.status, `${route.method} ${url} ${body}`).toBeLessThan(500);
          if (res.status >= 400) {
            expect(String(res.headers['content-type'])).toContain('application/problem+json');
            expect(typeof (res.body as { code?: unknown }).code).toBe('string');
          }
        },
      ),
      { numRuns: 400 },
    );
    expect((await verifyAuditLog(h.latch.deps)).ok).toBe(true);
  });
});
