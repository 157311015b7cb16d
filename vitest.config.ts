import { defineConfig } from 'vitest/config';

// Each worker opens one embedded store (hundreds of MB), so keep the pool small on a 2-core machine.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // Files share their worker process instead of each starting a new one and loading Fastify, PGlite and Kysely
    // again: that loading took as long as the integration tests themselves. Every test opens its own store and
    // server (test/support), and none changes the environment, mocks a module or fakes the clock globally.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // What a test polls for (a page showing a change, a worker catching up) may take seconds on a loaded 2-core
    // machine; the default second made browser tests fail under load although the page got there.
    expect: { poll: { timeout: 10_000 } },
  },
});
