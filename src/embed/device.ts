/**
 * Which ONNX Runtime backend and weight precision to use, and why, in words for the page.
 *
 * WebGPU runs CLIP several times faster than WASM where a GPU adapter exists. fp16 weights halve
 * the download but only run natively where the adapter has `shader-f16`. On WASM (and in Node's
 * CPU backend) the int8 'q8' files are the usual choice: a quarter of the download, close results.
 */
import { findModel, type ModelEntry } from './registry.ts';
import type { DeviceChoice, DeviceProbe, EmbedDtype, EmbedSettings } from './types.ts';

interface GpuAdapterLike {
  readonly features: { has(name: string): boolean };
  readonly info?: { vendor?: string; architecture?: string; description?: string };
}
interface GpuLike {
  requestAdapter(options?: object): Promise<GpuAdapterLike | null>;
}

/** True under Node (not a browser or worker). */
function isNodeRuntime(): boolean {
  return (
    typeof process !== 'undefined' &&
    typeof process.versions === 'object' &&
    typeof process.versions.node === 'string' &&
    typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined' &&
    typeof (globalThis as { document?: unknown }).document === 'undefined'
  );
}

/** Ask the runtime for a WebGPU adapter (never throws: a failing probe means no WebGPU). */
export async function probeDevice(): Promise<DeviceProbe> {
  const node = isNodeRuntime();
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (node || !gpu) return { webgpu: false, shaderF16: false, adapterInfo: '', node };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { webgpu: false, shaderF16: false, adapterInfo: '', node };
    const info = adapter.info;
    const adapterInfo = info
      ? [info.vendor, info.architecture, info.description].filter((s) => s).join(' ')
      : '';
    return { webgpu: true, shaderF16: adapter.features.has('shader-f16'), adapterInfo, node };
  } catch {
    return { webgpu: false, shaderF16: false, adapterInfo: '', node };
  }
}

function offers(entry: ModelEntry | undefined, dtype: EmbedDtype): boolean {
  if (!entry) return false;
  return entry.towers.text[dtype] !== undefined && entry.towers.vision[dtype] !== undefined;
}

/**
 * The device and dtype for `settings` on a runtime described by `probe`.
 * Device 'auto': Node → cpu; WebGPU adapter → webgpu; else wasm. An explicit 'webgpu' without
 * an adapter falls back to wasm (said in `reason`). Dtype 'auto': fp16 on WebGPU with shader-f16
 * when the model ships it, fp32 on other WebGPU, q8 on wasm/cpu when shipped; fp32 for models
 * the registry does not know (every export ships fp32).
 */
export function chooseDevice(probe: DeviceProbe, settings: EmbedSettings): DeviceChoice {
  const entry = findModel(settings.modelId);
  const reasons: string[] = [];
  let device: DeviceChoice['device'];
  if (probe.node) {
    device = 'cpu';
    reasons.push('Node runs ONNX Runtime on the CPU');
  } else if (settings.device === 'wasm') {
    device = 'wasm';
    reasons.push('WASM chosen by you');
  } else if (settings.device === 'cpu') {
    device = 'wasm';
    reasons.push('the CPU backend exists only in Node, so WASM runs on the CPU here');
  } else if (probe.webgpu) {
    device = 'webgpu';
    const adapter = probe.adapterInfo ? ` (${probe.adapterInfo})` : '';
    reasons.push(
      settings.device === 'webgpu'
        ? `WebGPU chosen by you; adapter found${adapter}`
        : `a WebGPU adapter is present${adapter}`,
    );
  } else {
    device = 'wasm';
    reasons.push(
      settings.device === 'webgpu'
        ? 'WebGPU was asked for but this browser gives no adapter, so WASM'
        : 'no WebGPU adapter, so WASM',
    );
  }

  let dtype: EmbedDtype;
  if (settings.dtype !== 'auto') {
    dtype = settings.dtype;
    reasons.push(`${dtype} chosen by you`);
    if (dtype === 'fp16' && device === 'webgpu' && !probe.shaderF16) {
      reasons.push('the adapter lacks shader-f16, so fp16 runs emulated and slower');
    }
  } else if (!entry) {
    dtype = 'fp32';
    reasons.push('fp32 because the registry does not list this model’s files');
  } else if (device === 'webgpu' && probe.shaderF16 && offers(entry, 'fp16')) {
    dtype = 'fp16';
    reasons.push('fp16 because the adapter has shader-f16');
  } else if (device === 'webgpu') {
    dtype = 'fp32';
    reasons.push(
      probe.shaderF16
        ? 'fp32 (the model ships no fp16 files)'
        : 'fp32 because the adapter lacks shader-f16',
    );
  } else if (offers(entry, 'q8')) {
    dtype = 'q8';
    reasons.push('q8 (int8) weights: a quarter of the download, fast on the CPU');
  } else {
    dtype = 'fp32';
    reasons.push('fp32 (the model ships no q8 files for both towers)');
  }
  return { device, dtype, reason: `${reasons.join('; ')}.` };
}
