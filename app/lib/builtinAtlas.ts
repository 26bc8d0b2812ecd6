/**
 * The built-in atlas: a prebuilt map of real CLIP ViT-B/32 concept embeddings shipped as a static
 * file (public/atlas/, made by `npm run atlas`, scripts/build-atlas.mjs). The page opens on it
 * with no model and no other site. Links name it by id and version (`?builtin=concepts@1`; `concepts-v1` is read too), so
 * they stay short and keep meaning the same map when a newer version ships; the bare id
 * (`?builtin=concepts`) means the newest version.
 */
import type { SdrMap } from '../../src/index.ts';

/** The atlas's id in links (`?builtin=concepts`). */
export const BUILTIN_ATLAS_ID = 'concepts';

/** The version this page ships. A rebuilt map with other contents gets the next number. */
export const BUILTIN_ATLAS_VERSION = 1;

/** The id of this version, as links write it: `concepts-v1`. */
export const BUILTIN_ATLAS_VERSIONED_ID = `${BUILTIN_ATLAS_ID}-v${BUILTIN_ATLAS_VERSION}`;

/** The file, relative to the app's base URL. */
const BUILTIN_ATLAS_PATH = `atlas/${BUILTIN_ATLAS_VERSIONED_ID}.sdrmap`;

/** The embedding model the atlas was made with (its map.model) and how the page names it. */
export const BUILTIN_ATLAS_MODEL = 'Xenova/clip-vit-base-patch32';

/** What the map header says made the atlas's embeddings. */
const BUILTIN_ATLAS_MODEL_LABEL = 'CLIP ViT-B/32 (text prompts)';

/** A built-in map this page has: its versioned id and the address of its file. */
export interface BuiltinMapRef {
  readonly id: string;
  readonly url: string;
}

/**
 * The built-in map a link's id names (`concepts` = the newest, `concepts-v1` = version 1), or
 * null when this page has no such map (an unknown id, or a version it does not ship).
 */
export function resolveBuiltinId(id: string, base: string): BuiltinMapRef | null {
  if (id !== BUILTIN_ATLAS_ID && id !== BUILTIN_ATLAS_VERSIONED_ID) return null;
  return { id: BUILTIN_ATLAS_VERSIONED_ID, url: `${base}${BUILTIN_ATLAS_PATH}` };
}

/** Whether `id` names the built-in atlas (any spelling this page reads). */
export function isBuiltinAtlasId(id: string): boolean {
  return id === BUILTIN_ATLAS_ID || id === BUILTIN_ATLAS_VERSIONED_ID;
}

/**
 * The words for the model behind a map's embeddings, for the map header: the built-in atlas's
 * model as "CLIP ViT-B/32 (text prompts)" when the map is the atlas, else the model id the map
 * records, or null when it records none (a map from embeddings of unknown origin).
 */
export function describeMapModel(
  map: { readonly model?: string | null },
  builtin: boolean,
): string | null {
  if (builtin && map.model === BUILTIN_ATLAS_MODEL) return BUILTIN_ATLAS_MODEL_LABEL;
  return map.model ?? null;
}

/** Labelled rows in one model's space that can name the units of any map in that space. */
export interface Vocabulary {
  /** The model that made the rows (the map's `model`), or null when unknown. */
  readonly modelId: string | null;
  readonly concepts: readonly string[];
  /** concepts.length·dim floats, in concept order (any length: naming uses cosine). */
  readonly vectors: Float32Array;
  readonly dim: number;
}

/**
 * The atlas's concepts as a vocabulary (its items' labels and embeddings), so a map the person
 * trains in the same space can be named after them; null when the map keeps no embeddings.
 */
export function vocabularyOfMap(map: SdrMap): Vocabulary | null {
  const items = map.items;
  const dim = map.som.dim;
  if (!items?.embeddings || items.embeddings.length !== items.labels.length * dim) return null;
  return { modelId: map.model, concepts: items.labels, vectors: items.embeddings, dim };
}
