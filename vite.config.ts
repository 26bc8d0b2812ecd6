/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation (COOP/COEP) gives the page SharedArrayBuffer, which onnxruntime-web
// needs for its threaded WASM backend. Both dev and preview servers send the headers.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Content-Security-Policy of the built page, as a <meta> tag so it travels with the files to any
 * static host (which may not let us set headers). Not in dev: Vite's dev server injects an inline
 * React refresh script that 'self' would block.
 * - script-src: only the app's own files; 'wasm-unsafe-eval' lets onnxruntime-web (served by the
 *   app itself, no CDN) compile its WebAssembly. No 'unsafe-eval', no inline scripts.
 * - worker-src: the app's workers, and blob: for the workers onnxruntime-web starts.
 * - connect-src: the app itself; the Hugging Face Hub and the CDN hosts transformers.js is
 *   redirected to for model files; http://localhost for development maps and models. And every
 *   https: host: a map opened with ?map=<address> and a model folder on another host may live on
 *   any host the person chooses, and a static policy cannot list them in advance. Narrower would
 *   break both features; fetches still need the other host's CORS consent, carry no cookies,
 *   and every downloaded map is size-capped and checked (src/share/fetchMap.ts, src/io/mapFile.ts).
 * - img-src 'self' blob: data: (thumbnails are object URLs); object-src 'none'; base-uri 'none'.
 * - frame-ancestors cannot be set by a <meta> tag (browsers ignore it there); a host that wants
 *   to restrict who may frame the page (?embed=1) must send it as a header.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' https://huggingface.co https://*.huggingface.co https://*.hf.co http://localhost:* http://127.0.0.1:* https:",
  "img-src 'self' blob: data:",
  "style-src 'self'",
  "font-src 'self'",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-src 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'sdr-explorer-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  plugins: [react(), contentSecurityPolicy()],
  // 'mpa' makes a missing file (a model the folder lacks, say) a real 404 instead of index.html,
  // so loaders fail with a clear message rather than parsing HTML as JSON.
  appType: 'mpa',
  server: { headers: isolationHeaders, port: 5173 },
  preview: { headers: isolationHeaders, port: 4173 },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  optimizeDeps: { exclude: ['@huggingface/transformers'] },
  test: {
    include: ['src/**/*.test.ts', 'app/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'],
    // Writes the tiny fixture CLIP model (public/models/fixture/clip-tiny/) when it is missing.
    globalSetup: ['scripts/make-fixture-model.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
