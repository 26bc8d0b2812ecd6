import { describe, expect, it } from 'vitest';
import { modelSourceEnv } from './modelSource.ts';
import { EmbedInputError } from './errors.ts';

describe('modelSourceEnv', () => {
  it('reads from the Hugging Face Hub when the folder is empty', () => {
    const s = modelSourceEnv('  ');
    expect(s).toMatchObject({
      allowLocalModels: false,
      allowRemoteModels: true,
      remoteHost: 'https://huggingface.co/',
      remotePathTemplate: '{model}/resolve/{revision}/',
    });
  });

  it('serves a site path as local models, remote fetching off', () => {
    const s = modelSourceEnv('/models/fixture');
    expect(s).toMatchObject({
      allowLocalModels: true,
      allowRemoteModels: false,
      localModelPath: '/models/fixture/',
    });
  });

  it('resolves a relative folder against the page, not the worker script', () => {
    expect(modelSourceEnv('models/', 'https://example.org/app/').localModelPath).toBe(
      '/app/models/',
    );
  });

  it('keeps a relative folder as is without a base (Node: relative to the working directory)', () => {
    expect(modelSourceEnv('public/models').localModelPath).toBe('public/models/');
  });

  it('treats an http(s) URL as a remote host with files at <url><model>/', () => {
    const s = modelSourceEnv('https://cdn.example.org/clip');
    expect(s).toMatchObject({
      allowLocalModels: false,
      allowRemoteModels: true,
      remoteHost: 'https://cdn.example.org/clip/',
      remotePathTemplate: '{model}/',
    });
  });

  it('refuses other URL schemes with a clear message', () => {
    expect(() => modelSourceEnv('ftp://x/models')).toThrow(EmbedInputError);
    expect(() => modelSourceEnv('ftp://x/models')).toThrow(/"ftp:\/\/" is not supported/);
    expect(() => modelSourceEnv('/models/\u0007')).toThrow(/control characters/);
  });
});
