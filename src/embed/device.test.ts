import { describe, expect, it } from 'vitest';
import { chooseDevice, probeDevice } from './device.ts';
import type { DeviceProbe, EmbedSettings } from './types.ts';

const clip: EmbedSettings = {
  modelId: 'Xenova/clip-vit-base-patch32',
  dtype: 'auto',
  device: 'auto',
  modelFolder: '',
};
const gpuF16: DeviceProbe = {
  webgpu: true,
  shaderF16: true,
  adapterInfo: 'google swiftshader',
  node: false,
};
const gpu: DeviceProbe = { ...gpuF16, shaderF16: false };
const noGpu: DeviceProbe = { webgpu: false, shaderF16: false, adapterInfo: '', node: false };
const node: DeviceProbe = { ...noGpu, node: true };

describe('chooseDevice', () => {
  it('prefers WebGPU with fp16 when the adapter has shader-f16', () => {
    const c = chooseDevice(gpuF16, clip);
    expect(c).toMatchObject({ device: 'webgpu', dtype: 'fp16' });
    expect(c.reason).toMatch(/shader-f16/);
    expect(c.reason).toMatch(/swiftshader/);
  });

  it('uses fp32 on WebGPU without shader-f16, q8 on WASM', () => {
    expect(chooseDevice(gpu, clip)).toMatchObject({ device: 'webgpu', dtype: 'fp32' });
    expect(chooseDevice(noGpu, clip)).toMatchObject({ device: 'wasm', dtype: 'q8' });
  });

  it('says why when WebGPU is asked for but missing', () => {
    const c = chooseDevice(noGpu, { ...clip, device: 'webgpu' });
    expect(c.device).toBe('wasm');
    expect(c.reason).toMatch(/asked for but .* no adapter/);
  });

  it('follows the user’s device and dtype over the automatic choice', () => {
    expect(chooseDevice(gpuF16, { ...clip, device: 'wasm', dtype: 'fp32' })).toMatchObject({
      device: 'wasm',
      dtype: 'fp32',
    });
  });

  it('runs on the CPU in Node whatever was asked', () => {
    expect(chooseDevice(node, { ...clip, device: 'webgpu' })).toMatchObject({
      device: 'cpu',
      dtype: 'q8',
    });
  });

  it('uses fp32 for models the registry does not list (every export ships fp32)', () => {
    expect(chooseDevice(gpuF16, { ...clip, modelId: 'clip-tiny' }).dtype).toBe('fp32');
    expect(chooseDevice(noGpu, { ...clip, modelId: 'clip-tiny' }).dtype).toBe('fp32');
  });
});

describe('probeDevice', () => {
  it('reports Node without WebGPU here', async () => {
    expect(await probeDevice()).toEqual({
      webgpu: false,
      shaderF16: false,
      adapterInfo: '',
      node: true,
    });
  });
});
