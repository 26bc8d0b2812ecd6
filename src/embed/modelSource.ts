/**
 * Where transformers.js fetches model files from, derived from the user's "model folder"
 * setting. The result is plain data applied to transformers.js's `env` by the engine, so this
 * stays testable without loading the library.
 */
import { EmbedInputError } from './errors.ts';
import { hasUnsafeText } from '../io/text.ts';

export interface ModelSourceEnv {
  readonly allowLocalModels: boolean;
  readonly allowRemoteModels: boolean;
  /** Prefix of `<modelId>/<file>` when local models are allowed. */
  readonly localModelPath: string;
  /** Host (with trailing slash) of remote models. */
  readonly remoteHost: string;
  /** Path under `remoteHost`; `{model}` and `{revision}` are filled in by transformers.js. */
  readonly remotePathTemplate: string;
  /** For the page: where the files come from, in words. */
  readonly description: string;
}

const HUB_HOST = 'https://huggingface.co/';
const HUB_TEMPLATE = '{model}/resolve/{revision}/';

function withSlash(s: string): string {
  return s.endsWith('/') ? s : `${s}/`;
}

/**
 * The transformers.js source settings for `folder`:
 * - '' → the Hugging Face Hub (remote only);
 * - 'http://…' or 'https://…' → that host serves `<folder><modelId>/<file>` (remote only; the
 *   host must send CORS headers the page accepts);
 * - any other string → a local path: in the browser a URL path on this site (must start with
 *   '/', or is resolved against `base` when given), in Node a directory.
 * Throws EmbedInputError for other URL schemes or control characters.
 */
export function modelSourceEnv(folder: string, base?: string): ModelSourceEnv {
  const trimmed = folder.trim();
  if (trimmed === '') {
    return {
      allowLocalModels: false,
      allowRemoteModels: true,
      localModelPath: '/models/',
      remoteHost: HUB_HOST,
      remotePathTemplate: HUB_TEMPLATE,
      description: 'the Hugging Face Hub',
    };
  }
  if (hasUnsafeText(trimmed)) {
    throw new EmbedInputError('The model folder contains control characters.');
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      throw new EmbedInputError(`The model folder "${trimmed}" is not a valid URL.`);
    }
    const host = withSlash(url.href);
    return {
      allowLocalModels: false,
      allowRemoteModels: true,
      localModelPath: '/models/',
      remoteHost: host,
      remotePathTemplate: '{model}/',
      description: host,
    };
  }
  if (scheme !== undefined) {
    throw new EmbedInputError(
      `The model folder must be a path or an http(s) URL; "${scheme}://" is not supported.`,
    );
  }
  let path = withSlash(trimmed);
  if (base !== undefined && !path.startsWith('/')) path = new URL(path, base).pathname;
  return {
    allowLocalModels: true,
    allowRemoteModels: false,
    localModelPath: path,
    remoteHost: HUB_HOST,
    remotePathTemplate: HUB_TEMPLATE,
    description: path,
  };
}
