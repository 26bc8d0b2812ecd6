/**
 * The model manager: choose the CLIP model, precision, device and model folder; see what each
 * registry model costs to download before downloading it, which device runs it and why, one
 * progress bar for the load (per-file detail on demand), and what the browser has cached.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../store/index.ts';
import {
  MODEL_REGISTRY,
  downloadBytes,
  findModel,
  formatBytes,
  offeredDtypes,
  chooseDevice,
  type DevicePreference,
  type DtypePreference,
  type EmbedDtype,
} from '../../../src/embed/page.ts';
import './model.css';
import { ModelLoadProblem } from './ModelLoadProblem.tsx';
import { afterFirstPicture } from '../../lib/firstPicture.ts';

const DEVICE_LABELS: Record<DevicePreference, string> = {
  auto: 'Automatic',
  webgpu: 'WebGPU',
  wasm: 'WASM (CPU)',
  cpu: 'CPU (Node only)',
};
const DEVICE_NAMES = { webgpu: 'WebGPU', wasm: 'WASM', cpu: 'CPU' } as const;
const DTYPE_LABELS: Record<DtypePreference, string> = {
  auto: 'Automatic',
  fp32: 'fp32 (full)',
  fp16: 'fp16 (half)',
  q8: 'q8 (int8)',
};
const OTHER = '__other__';

function sizeOf(id: string, dtype: EmbedDtype): string {
  const bytes = downloadBytes(findModel(id), dtype);
  return bytes === null ? 'unknown' : `≈ ${formatBytes(bytes)}`;
}

function RegistryTable() {
  return (
    <table className="model-registry">
      <caption className="muted">Models offered (download sizes are approximate)</caption>
      <thead>
        <tr>
          <th scope="col">Model</th>
          <th scope="col">Dim</th>
          <th scope="col">Download</th>
        </tr>
      </thead>
      <tbody>
        {MODEL_REGISTRY.map((m) => (
          <tr key={m.id}>
            <th scope="row" title={`${m.id}. ${m.description} ${m.note}`}>
              {m.label}
            </th>
            <td>{m.dim}</td>
            <td>
              {offeredDtypes(m).map((d) => (
                <div key={d}>
                  {d}: {sizeOf(m.id, d)}
                </div>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ProgressView() {
  const progress = useAppStore((s) => s.modelProgress);
  const status = useAppStore((s) => s.modelStatus);
  if (!progress || (status !== 'loading' && progress.total === 0)) return null;
  const { loaded, total, files } = progress;
  return (
    <div className="model-progress">
      <progress
        aria-label="Model download"
        max={total > 0 ? total : undefined}
        value={total > 0 ? loaded : undefined}
      />
      <div className="muted" data-testid="model-progress-text">
        {formatBytes(loaded)} of {total > 0 ? formatBytes(total) : '…'}
      </div>
      <details>
        <summary>Files ({files.length})</summary>
        <ul className="model-files">
          {files.map((f) => (
            <li key={f.file}>
              <span>{f.file}</span>{' '}
              <span className="muted">
                {f.done
                  ? 'done'
                  : `${formatBytes(f.loaded)} / ${f.total > 0 ? formatBytes(f.total) : '?'}`}
              </span>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

function CacheView() {
  const cache = useAppStore((s) => s.modelCache);
  const refresh = useAppStore((s) => s.refreshModelCache);
  const clear = useAppStore((s) => s.clearModelCache);
  const status = useAppStore((s) => s.modelStatus);
  useEffect(() => {
    void refresh();
  }, [refresh, status]);
  const models = new Map<string, number>();
  for (const f of cache?.files ?? [])
    models.set(f.model || 'other', (models.get(f.model || 'other') ?? 0) + f.bytes);
  return (
    <details className="model-cache">
      <summary>
        Browser cache:{' '}
        {cache ? `${cache.files.length} files, ${formatBytes(cache.totalBytes)}` : '…'}
      </summary>
      <ul aria-label="Cached models">
        {[...models].map(([model, bytes]) => (
          <li key={model}>
            {model} <span className="muted">{formatBytes(bytes)}</span>
          </li>
        ))}
      </ul>
      <div className="model-row">
        <button type="button" onClick={() => void refresh()}>
          Refresh
        </button>
        <button
          type="button"
          onClick={() => void clear()}
          disabled={!cache || cache.files.length === 0}
        >
          Clear cache
        </button>
      </div>
    </details>
  );
}

export function ModelPanel() {
  const settings = useAppStore(useShallow((s) => s.modelSettings));
  const { status, error, info, probe } = useAppStore(
    useShallow((s) => ({
      status: s.modelStatus,
      error: s.modelError,
      info: s.modelInfo,
      probe: s.deviceProbe,
    })),
  );
  const setSettings = useAppStore((s) => s.setModelSettings);
  const load = useAppStore((s) => s.loadModel);
  const cancel = useAppStore((s) => s.cancelModelLoad);
  const probeDevice = useAppStore((s) => s.probeDevice);
  const notify = useAppStore((s) => s.notify);
  const ids = useId();
  const registered = findModel(settings.modelId) !== undefined;
  const [otherId, setOtherId] = useState(registered ? '' : settings.modelId);
  const [showOther, setShowOther] = useState(!registered);
  const [folder, setFolder] = useState(settings.modelFolder);

  // After the first map is on screen: the probe starts the embed worker, which a first visit's
  // map must not wait behind (app/lib/firstPicture.ts).
  useEffect(() => afterFirstPicture(() => void probeDevice()), [probeDevice]);

  const apply = (patch: Parameters<typeof setSettings>[0]) => {
    try {
      setSettings(patch);
    } catch (e) {
      notify('error', (e as Error).message);
    }
  };

  const onModelSelect = (value: string) => {
    if (value === OTHER) {
      setShowOther(true);
      if (otherId.trim()) apply({ modelId: otherId });
    } else {
      setShowOther(false);
      apply({ modelId: value });
    }
  };

  const onOtherSubmit = (e: FormEvent) => {
    e.preventDefault();
    apply({ modelId: otherId });
  };

  const onFolderSubmit = (e: FormEvent) => {
    e.preventDefault();
    apply({ modelFolder: folder });
  };

  const planned = probe ? chooseDevice(probe, settings) : null;
  const choice = info?.choice ?? planned;
  const loading = status === 'loading';

  return (
    <section className="model-panel" aria-labelledby={`${ids}-h`}>
      <h2 id={`${ids}-h`}>Model</h2>
      <RegistryTable />

      <label className="model-field">
        <span>CLIP model</span>
        <select
          value={showOther ? OTHER : settings.modelId}
          onChange={(e) => onModelSelect(e.target.value)}
          disabled={loading}
        >
          {MODEL_REGISTRY.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
          <option value={OTHER}>Other model id…</option>
        </select>
      </label>
      {showOther && (
        <form className="model-row" onSubmit={onOtherSubmit}>
          <label className="model-field">
            <span>Model id</span>
            <input
              value={otherId}
              onChange={(e) => setOtherId(e.target.value)}
              placeholder="org/name or folder name"
              spellCheck={false}
              disabled={loading}
            />
          </label>
          <button type="submit" disabled={loading || !otherId.trim()}>
            Use
          </button>
        </form>
      )}

      <div className="model-row">
        <label className="model-field">
          <span>Precision</span>
          <select
            value={settings.dtype}
            onChange={(e) => apply({ dtype: e.target.value as DtypePreference })}
            disabled={loading}
          >
            {(['auto', 'fp32', 'fp16', 'q8'] as const).map((d) => (
              <option key={d} value={d}>
                {DTYPE_LABELS[d]}
              </option>
            ))}
          </select>
        </label>
        <label className="model-field">
          <span>Device</span>
          <select
            value={settings.device}
            onChange={(e) => apply({ device: e.target.value as DevicePreference })}
            disabled={loading}
          >
            {(['auto', 'webgpu', 'wasm'] as const).map((d) => (
              <option key={d} value={d}>
                {DEVICE_LABELS[d]}
              </option>
            ))}
          </select>
        </label>
      </div>

      <p className="muted" data-testid="model-device">
        {probe
          ? `WebGPU adapter: ${probe.webgpu ? `yes${probe.adapterInfo ? ` (${probe.adapterInfo})` : ''}` : 'no'}; shader-f16: ${probe.shaderF16 ? 'yes' : 'no'}.`
          : 'Checking WebGPU…'}
        {choice && (
          <>
            {' '}
            {info ? 'Running on' : 'Will run on'}{' '}
            <strong>
              {DEVICE_NAMES[choice.device]} {choice.dtype}
            </strong>
            : {choice.reason}
          </>
        )}
      </p>

      <form className="model-row" onSubmit={onFolderSubmit}>
        <label className="model-field">
          <span>Model folder</span>
          <input
            value={folder}
            onChange={(e) => setFolder(e.target.value)}
            name="model-folder"
            placeholder="empty = Hugging Face Hub"
            spellCheck={false}
            disabled={loading}
            aria-describedby={`${ids}-folder-help`}
          />
        </label>
        <button type="submit" disabled={loading || folder.trim() === settings.modelFolder}>
          Set
        </button>
      </form>
      <p className="muted" id={`${ids}-folder-help`}>
        Empty: download from the Hugging Face Hub. <code>/models/</code>: files this site serves at{' '}
        <code>/models/&lt;model id&gt;/</code>. <code>https://…/</code>: another host (it must allow
        this page with CORS).
      </p>

      <div className="model-row">
        <button type="button" onClick={() => void load()} disabled={loading}>
          {status === 'ready' ? 'Reload model' : 'Load model'}
        </button>
        <button type="button" onClick={cancel} disabled={!loading}>
          Cancel
        </button>
        <span className="muted">
          {registered ? `Download ${sizeOf(settings.modelId, choice?.dtype ?? 'q8')}` : ''}
        </span>
      </div>

      <p role="status" className={status === 'error' ? 'model-status model-error' : 'model-status'}>
        {status === 'idle' && 'Not loaded: it loads when you first embed, or now with Load model.'}
        {status === 'loading' && `Loading ${settings.modelId}…`}
        {status === 'ready' &&
          info &&
          `Ready: ${info.modelId}, ${info.dim}-d, ${DEVICE_NAMES[info.choice.device]} ${info.choice.dtype} (${info.towers.join(' + ')}).`}
        {status === 'error' && error}
      </p>
      {status === 'error' && error && <ModelLoadProblem message={error} />}
      <ProgressView />
      <CacheView />
    </section>
  );
}
