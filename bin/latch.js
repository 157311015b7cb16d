#!/usr/bin/env node
// The package's entry point: the compiled CLI lives in dist/ (built by `npm run build`).
import('../dist/src/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/src/cli/main.js')) {
    console.error('latch: not built yet; run `npm run build` first');
    process.exit(1);
  }
  throw err;
});
