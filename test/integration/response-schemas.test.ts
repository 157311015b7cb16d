import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// Response serializers are compiled after the server listens, not before (src/http/lazy-serializers.ts): every
// route's response schema must still compile, or the failure would only show at that route's first answer.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

describe('response schemas', () => {
  it('all compile', async () => {
    await expect(h.latch.app.compileResponseSerializers()).resolves.toBeUndefined();
  });
});
