/// <reference types="vitest/config" />
import { defineConfig, type ProxyOptions } from 'vite';
import react from '@vitejs/plugin-react';

// The Rust server (actix-web) listens here during development.
const BACKEND = 'http://127.0.0.1:8080';

// Server-owned path prefixes. Keys starting with `^` are regular expressions
// in Vite's proxy config; anchoring each prefix to a path-segment boundary
// keeps e.g. `/p` from also swallowing SPA routes such as `/projects`.
const SERVER_PREFIXES = ['/api', '/healthz', '/readyz', '/p', '/methodology'];

const proxy: Record<string, ProxyOptions> = Object.fromEntries(
  SERVER_PREFIXES.map((prefix) => [
    `^${prefix}(?:[/?#]|$)`,
    { target: BACKEND, changeOrigin: false },
  ]),
);

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed file names under dist/assets/ (Vite's default naming).
    assetsDir: 'assets',
    sourcemap: false,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy,
  },
  preview: {
    host: '127.0.0.1',
    proxy,
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
