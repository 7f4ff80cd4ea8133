import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { bundleBudget } from './build/bundle-budget.ts';

// The browser talks to one origin: http://localhost:5173 serves the app and proxies /api to the API
// (DECISIONS.md), so session cookies and Uppy's fetch calls stay same-origin.
const apiTarget = process.env.ISOLA_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  // The build fails when the JavaScript of a first visit is over 300 kB gzipped (issue 7): admin, support and
  // the uploader are lazy chunks.
  plugins: [react(), bundleBudget({ maxKb: 300 })],
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: { '/api': { target: apiTarget, changeOrigin: false, xfwd: true } },
  },
  // Pre-bundled when the dev server starts: the uploader is a lazy chunk, and a dependency Vite first meets
  // there would make it re-optimise and reload the page mid-session (seen in the browser e2e on a fresh clone).
  optimizeDeps: { include: ['@uppy/core', '@uppy/core/utils', '@uppy/dashboard', '@uppy/golden-retriever'] },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, proxy: { '/api': { target: apiTarget } } },
  build: { sourcemap: true },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.spec.{ts,tsx}', 'build/**/*.spec.ts'],
    setupFiles: ['./src/test-setup.ts'],
    reporters: ['default', './vitest-summary-reporter.ts'],
  },
});
