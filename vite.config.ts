/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation (COOP/COEP) gives the page SharedArrayBuffer, which onnxruntime-web
// needs for its threaded WASM backend. Both dev and preview servers send the headers.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export default defineConfig({
  plugins: [react()],
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
