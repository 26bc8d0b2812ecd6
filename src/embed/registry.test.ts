import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EMBED_SETTINGS,
  MODEL_REGISTRY,
  downloadBytes,
  findModel,
  formatBytes,
  offeredDtypes,
  towerDtype,
} from './registry.ts';

describe('model registry', () => {
  it('defaults to CLIP ViT-B/32, 512-d, the space of the bundled text embeddings', () => {
    const m = findModel(DEFAULT_EMBED_SETTINGS.modelId);
    expect(m?.dim).toBe(512);
    expect(m?.imageSize).toBe(224);
  });

  it('lists every model once, each tower shipping fp32 and a dimension', () => {
    const ids = MODEL_REGISTRY.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of MODEL_REGISTRY) {
      expect(m.dim).toBeGreaterThan(0);
      expect(m.towers.text.fp32).toBeGreaterThan(0);
      expect(m.towers.vision.fp32).toBeGreaterThan(0);
    }
  });

  it('makes q8 the smallest download and fp32 the largest', () => {
    const m = findModel('Xenova/clip-vit-base-patch32');
    const q8 = downloadBytes(m, 'q8') ?? 0;
    const fp16 = downloadBytes(m, 'fp16') ?? 0;
    const fp32 = downloadBytes(m, 'fp32') ?? 0;
    expect(q8).toBeLessThan(fp16);
    expect(fp16).toBeLessThan(fp32);
    expect(downloadBytes(m, 'q8', ['text'])).toBeLessThan(q8);
  });

  it('falls back to fp32 for a tower that does not ship the dtype', () => {
    const mobile = findModel('Xenova/mobileclip_s0');
    expect(towerDtype(mobile, 'vision', 'q8')).toBe('fp32');
    expect(towerDtype(mobile, 'text', 'q8')).toBe('q8');
    expect(offeredDtypes(mobile)).toEqual(['fp32', 'q8']);
  });

  it('knows nothing about unlisted models but does not refuse them', () => {
    expect(findModel('clip-tiny')).toBeUndefined();
    expect(downloadBytes(undefined, 'fp32')).toBeNull();
    expect(towerDtype(undefined, 'text', 'fp16')).toBe('fp16');
    expect(offeredDtypes(undefined)).toEqual(['fp32', 'fp16', 'q8']);
  });

  it('formats sizes for people', () => {
    expect(formatBytes(64_000_000)).toBe('64 MB');
    expect(formatBytes(1_234_000_000)).toBe('1.2 GB');
    expect(formatBytes(830_000)).toBe('830 kB');
    expect(formatBytes(12)).toBe('12 B');
    expect(formatBytes(NaN)).toBe('?');
  });
});
