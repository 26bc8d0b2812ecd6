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
 *   redirected to for model files; no plain-http local ports (a link must not make the page
 *   send requests to services on the person's machine), unless the build names them in
 *   SDR_CONNECT_SRC (see connectSrcExtra: a model folder served on http://localhost). And every
 *   https: host: a map opened with ?map=<address> and a model folder on another host may live on
 *   any host the person chooses, and a static policy cannot list them in advance. Narrower would
 *   break both features; fetches still need the other host's CORS consent, carry no cookies,
 *   and every downloaded map is size-capped and checked (src/share/fetchMap.ts, src/io/mapFile.ts).
 * - img-src 'self' blob: data: (thumbnails are object URLs); object-src 'none'; base-uri 'none'.
 * - frame-ancestors cannot be set by a <meta> tag (browsers ignore it there); a host that wants
 *   to restrict who may frame the page (?embed=1) must send it as a header.
 */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicyFor(connectSrcExtra(process.env.SDR_CONNECT_SRC)); // prettier-ignore

/**
 * Extra connect-src sources from the SDR_CONNECT_SRC build variable: space-separated http(s)
 * origins, a port or `*` for any port allowed, e.g. `SDR_CONNECT_SRC=http://localhost:8080 npm
 * run build` for a model folder served from this machine. Default: none. Anything else stops the
 * build, so a typo cannot silently widen the policy.
 */
export function connectSrcExtra(value: string | undefined): string[] {
  const sources = (value ?? '').split(/\s+/).filter((s) => s !== '');
  for (const s of sources) {
    if (!/^https?:\/\/[A-Za-z0-9.-]+(?::(?:\d{1,5}|\*))?$/.test(s)) {
      throw new Error(`SDR_CONNECT_SRC: "${s}" is not an http(s) origin such as http://localhost:8080`); // prettier-ignore
    }
  }
  return sources;
}

/** The page's policy with `extra` connect-src sources (see CONTENT_SECURITY_POLICY). */
export function contentSecurityPolicyFor(extra: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self' blob:",
    [
      'connect-src',
      "'self'",
      'https://huggingface.co',
      'https://*.huggingface.co',
      'https://*.hf.co',
      ...extra,
      'https:',
    ].join(' '),
    "img-src 'self' blob: data:",
    "style-src 'self'",
    "font-src 'self'",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-src 'none'",
  ].join('; ');
}

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
