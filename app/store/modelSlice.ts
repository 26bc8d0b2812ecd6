/**
 * The model slice: which CLIP model embeds (id, dtype, device, model folder; kept in
 * localStorage), where its load stands (status, one progress figure with per-file detail,
 * error), what the runtime offers (WebGPU adapter, shader-f16) and what the browser has cached.
 *
 * It drives the shared embed client: settings go to `client.configure`, and every load the
 * client does (an explicit `loadModel` or a lazy one inside an embedding job) reports here
 * through the client's events.
 */
import type { StateCreator } from 'zustand';
import type { ViewSlice } from './viewSlice.ts';
import { getEmbedClient, type EmbedClient, type EmbedClientEvent } from '../workers/embedClient.ts';
import {
  DEFAULT_EMBED_SETTINGS,
  modelSourceEnv,
  type DeviceProbe,
  type DevicePreference,
  type DtypePreference,
  type EmbedSettings,
  type LoadedModelInfo,
  type LoadProgress,
} from '../../src/embed/page.ts';
import { clearModelCache, listModelCache, type CacheSummary } from '../views/model/modelCache.ts';
import { errorMessage } from '../../src/index.ts';

type ModelStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface ModelSlice {
  /** Model id, dtype, device and model folder the next load uses (persisted). */
  modelSettings: EmbedSettings;
  modelStatus: ModelStatus;
  /** Bytes of the load in progress (or the last one), with per-file detail. */
  modelProgress: LoadProgress | null;
  /** Why the last load failed, for the page. */
  modelError: string | null;
  /** The loaded model: dimension, device and dtype used and why, towers ready. */
  modelInfo: LoadedModelInfo | null;
  /** What the embed worker's runtime offers; null until probed. */
  deviceProbe: DeviceProbe | null;
  /** The browser's model cache; null until listed. */
  modelCache: CacheSummary | null;

  /**
   * Change settings (validated: a bad model folder throws a one-line Error and changes
   * nothing). Persisted, and handed to the embed client; a loaded model of other settings is
   * replaced at the next load.
   */
  setModelSettings: (patch: Partial<EmbedSettings>) => void;
  /** Load both towers now; resolves when loaded, failed or cancelled (see modelStatus). */
  loadModel: () => Promise<void>;
  /** Stop the load started by loadModel. */
  cancelModelLoad: () => void;
  /** Ask the worker for WebGPU support (cheap; does not load the model). */
  probeDevice: () => Promise<void>;
  refreshModelCache: () => Promise<void>;
  /** Delete the cached model files (the model in memory stays usable). */
  clearModelCache: () => Promise<void>;
  /**
   * Embed one text with the text tower (loaded on first use) for a search: its unit-length
   * vector. Rejects with the embed worker's reason.
   */
  embedQuery: (text: string) => Promise<Float32Array>;
}

export type ModelHost = ModelSlice & Pick<ViewSlice, 'notify'>;

/** Where settings are kept between visits. */
export const MODEL_SETTINGS_KEY = 'sdr-explorer:model-settings';

/** What the slice needs from outside; tests pass fakes. */
export interface ModelDeps {
  readonly client: () => Pick<
    EmbedClient,
    'configure' | 'subscribe' | 'load' | 'probe' | 'embedTexts'
  >;
  /** localStorage, or null where it is unavailable (then settings last one visit). */
  readonly storage: () => Pick<Storage, 'getItem' | 'setItem'> | null;
  readonly listCache: () => Promise<CacheSummary>;
  readonly clearCache: () => Promise<void>;
}

const DEVICES: readonly DevicePreference[] = ['auto', 'webgpu', 'wasm', 'cpu'];
const DTYPES: readonly DtypePreference[] = ['auto', 'fp32', 'fp16', 'q8'];

/** Validate untrusted settings (from storage or a form); throws a one-line Error. */
export function checkSettings(s: EmbedSettings): EmbedSettings {
  const modelId = String(s.modelId ?? '').trim();
  if (!modelId) throw new Error('The model id is empty.');
  if (!DEVICES.includes(s.device)) throw new Error(`Unknown device "${String(s.device)}".`);
  if (!DTYPES.includes(s.dtype)) throw new Error(`Unknown precision "${String(s.dtype)}".`);
  const modelFolder = String(s.modelFolder ?? '').trim();
  modelSourceEnv(modelFolder); // throws for other URL schemes
  if (modelFolder && !/^https?:\/\//i.test(modelFolder) && !modelFolder.startsWith('/')) {
    throw new Error(
      `The model folder "${modelFolder}" must start with "/" (a folder on this site) or http(s)://.`,
    );
  }
  return { modelId, device: s.device, dtype: s.dtype, modelFolder };
}

/** Settings saved earlier, repaired field by field; defaults for anything unusable. */
export function restoreSettings(raw: string | null): EmbedSettings {
  if (!raw) return DEFAULT_EMBED_SETTINGS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return DEFAULT_EMBED_SETTINGS;
  }
  if (typeof parsed !== 'object' || parsed === null) return DEFAULT_EMBED_SETTINGS;
  let settings: EmbedSettings = DEFAULT_EMBED_SETTINGS;
  for (const key of ['modelId', 'device', 'dtype', 'modelFolder'] as const) {
    const value = (parsed as Record<string, unknown>)[key];
    if (value === undefined) continue;
    try {
      settings = checkSettings({ ...settings, [key]: value });
    } catch {
      // keep the default for a field that does not check out
    }
  }
  return settings;
}

export function makeModelSlice(deps: ModelDeps): StateCreator<ModelHost, [], [], ModelSlice> {
  return (set, get) => {
    let abort: AbortController | null = null;
    let subscribed = false;
    const storage = (() => {
      try {
        return deps.storage();
      } catch {
        return null;
      }
    })();
    const initial = restoreSettings(
      (() => {
        try {
          return storage?.getItem(MODEL_SETTINGS_KEY) ?? null;
        } catch {
          return null;
        }
      })(),
    );

    const onEvent = (event: EmbedClientEvent) => {
      switch (event.type) {
        case 'loading':
          set({ modelStatus: 'loading', modelProgress: null, modelError: null });
          break;
        case 'load-progress':
          set({ modelProgress: event.progress });
          break;
        case 'ready':
          set({ modelStatus: 'ready', modelInfo: event.info, modelError: null });
          break;
        case 'load-error':
          if (event.cancelled) {
            set({ modelStatus: get().modelInfo ? 'ready' : 'idle', modelError: null });
          } else {
            set({ modelStatus: 'error', modelError: event.message });
          }
          break;
        case 'unloaded':
          set({ modelStatus: 'idle', modelInfo: null });
          break;
      }
    };

    /** The client, configured and listened to (the worker itself starts at the first request). */
    const client = () => {
      const c = deps.client();
      if (!subscribed) {
        subscribed = true;
        c.subscribe(onEvent);
        c.configure(get().modelSettings);
      }
      return c;
    };

    // Configure the shared client now, so embedding jobs started elsewhere use these settings.
    queueMicrotask(() => {
      try {
        client();
      } catch {
        // no client in this environment (tests without one); configured at first use
      }
    });

    return {
      modelSettings: initial,
      modelStatus: 'idle',
      modelProgress: null,
      modelError: null,
      modelInfo: null,
      deviceProbe: null,
      modelCache: null,

      setModelSettings: (patch) => {
        const next = checkSettings({ ...get().modelSettings, ...patch });
        const changed = JSON.stringify(next) !== JSON.stringify(get().modelSettings);
        set({
          modelSettings: next,
          ...(changed ? { modelInfo: null, modelStatus: 'idle' as const, modelError: null } : {}),
        });
        try {
          storage?.setItem(MODEL_SETTINGS_KEY, JSON.stringify(next));
        } catch {
          // storage full or blocked: the setting still holds for this visit
        }
        client().configure(next);
      },

      loadModel: async () => {
        abort?.abort();
        const controller = new AbortController();
        abort = controller;
        try {
          await client().load({ signal: controller.signal });
        } catch {
          // status and message arrive through the client's events
        } finally {
          if (abort === controller) abort = null;
        }
      },

      cancelModelLoad: () => {
        abort?.abort();
        abort = null;
      },

      probeDevice: async () => {
        try {
          set({ deviceProbe: await client().probe() });
        } catch (error) {
          get().notify('error', `Could not check the devices: ${errorMessage(error)}`);
        }
      },

      refreshModelCache: async () => {
        try {
          set({ modelCache: await deps.listCache() });
        } catch (error) {
          get().notify('error', `Could not read the model cache: ${errorMessage(error)}`);
        }
      },

      clearModelCache: async () => {
        try {
          await deps.clearCache();
          set({ modelCache: await deps.listCache() });
          get().notify('info', 'Cached model files deleted; the next load downloads them again.');
        } catch (error) {
          get().notify('error', `Could not clear the model cache: ${errorMessage(error)}`);
        }
      },

      embedQuery: async (text) => {
        const r = await client().embedTexts([text]);
        return r.vectors.slice(0, r.dim);
      },
    };
  };
}

export const createModelSlice: StateCreator<ModelHost, [], [], ModelSlice> = makeModelSlice({
  client: () => getEmbedClient(),
  storage: () => (typeof localStorage === 'undefined' ? null : localStorage),
  listCache: () => listModelCache(),
  clearCache: () => clearModelCache(),
});
