import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import {
  FIXTURE_DIM,
  FIXTURE_MODEL_ID,
  buildFixtureModel,
  writeFixtureModel,
} from './make-fixture-model.ts';

describe('fixture model', () => {
  it('is byte-for-byte the same on every run', () => {
    const a = buildFixtureModel();
    const b = buildFixtureModel();
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [path, bytes] of a)
      expect(Buffer.compare(Buffer.from(bytes), Buffer.from(b.get(path)!))).toBe(0);
  });

  it('has the transformers.js CLIP layout and stays under 1 MB', () => {
    const files = buildFixtureModel();
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        'config.json',
        'preprocessor_config.json',
        'tokenizer.json',
        'tokenizer_config.json',
        'onnx/text_model.onnx',
        'onnx/text_model_quantized.onnx',
        'onnx/vision_model.onnx',
        'onnx/vision_model_quantized.onnx',
      ]),
    );
    let total = 0;
    for (const bytes of files.values()) total += bytes.length;
    expect(total).toBeLessThan(1_000_000);
    const config = JSON.parse(new TextDecoder().decode(files.get('config.json')));
    expect(config).toMatchObject({ model_type: 'clip', projection_dim: FIXTURE_DIM });
    // The quantized files really are smaller (int8 weights).
    expect(files.get('onnx/text_model_quantized.onnx')!.length).toBeLessThan(
      files.get('onnx/text_model.onnx')!.length / 2,
    );
  });

  it('writes once and rebuilds only a stale copy', () => {
    const root = mkdtempSync(join(tmpdir(), 'fixture-'));
    const dir = writeFixtureModel(root);
    const config = join(dir, 'config.json');
    const first = statSync(join(dir, 'onnx/text_model.onnx')).mtimeMs;
    expect(writeFixtureModel(root)).toBe(dir);
    expect(statSync(join(dir, 'onnx/text_model.onnx')).mtimeMs).toBe(first);
    writeFileSync(config, '{"fixture_version": 0}');
    writeFixtureModel(root);
    expect(JSON.parse(readFileSync(config, 'utf8')).model_type).toBe('clip');
  });

  it('has a real byte-level BPE tokenizer with CLIP’s special tokens and limit', async () => {
    const root = mkdtempSync(join(tmpdir(), 'fixture-tok-'));
    const dir = writeFixtureModel(root);
    const saved = { local: env.localModelPath, remote: env.allowRemoteModels };
    env.localModelPath = join(dir, '..') + '/';
    env.allowRemoteModels = false;
    try {
      const tok = await AutoTokenizer.from_pretrained(FIXTURE_MODEL_ID);
      const ids = tok.encode('A Photo of a CAT 🐱');
      expect(tok.decode(ids, { skip_special_tokens: true })).toBe('a photo of a cat 🐱');
      expect(tok.decode([ids[0]])).toBe('<|startoftext|>');
      expect(tok.decode([ids[ids.length - 1]])).toBe('<|endoftext|>');
      // Merges learned from the corpus make common words single tokens.
      const tokens = tok.tokenize('photo of the');
      expect(tokens).toContain('of</w>');
      expect(tokens.length).toBeLessThan('photoofthe'.length);
      expect(tok.model_max_length).toBe(77);
    } finally {
      env.localModelPath = saved.local;
      env.allowRemoteModels = saved.remote;
    }
  });
});
