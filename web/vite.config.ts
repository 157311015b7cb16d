import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web UI builds into dist/web, which the server serves at `/` (with SPA fallback). The server's CSP
// allows only same-origin scripts, so nothing may be inlined into index.html.
const dir = (relative: string) => decodeURIComponent(new URL(relative, import.meta.url).pathname);
const root = dir('.');

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: dir('../dist/web'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
