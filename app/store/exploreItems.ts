/**
 * The items the explorer views look at: the dataset's items and the mixtures built in the page,
 * as one list with stable keys (a dataset item's id, or a mixture's id). DOM-free.
 */
import { datasetExploreItems } from '../lib/itemLists.ts';
import type { DataItem, ItemKind } from './dataSlice.ts';

/** A blend of 2 or 3 items built in the page (Compare → Mix). Not saved with the dataset. */
export interface MixtureItem {
  /** 'mixture-1', 'mixture-2', …: never a dataset id (those are UUIDs). */
  readonly id: string;
  readonly kind: 'mixture';
  /** "cat + pyramid". */
  readonly label: string;
  /** Labels of the parts, in the order they were picked. */
  readonly parts: readonly string[];
  /** Keys of the parts, in the same order (a share link names a mixture by its parts' rows). */
  readonly partKeys?: readonly string[];
  /** The normalised mean of the parts' embeddings: unit length, d numbers. */
  readonly embedding: Float32Array;
}

type ExploreKind = ItemKind | 'mixture';

/** One item as the explorer views list it. */
export interface ExploreItem {
  /** Dataset item id, or mixture id. */
  readonly key: string;
  readonly label: string;
  readonly kind: ExploreKind;
  /** Row in the dataset's embedding array; null for a mixture. */
  readonly datasetIndex: number | null;
  readonly text?: string;
  readonly thumbnail?: Blob;
  /** A mixture's parts. */
  readonly parts?: readonly string[];
}

/** What the lookups read from the store (the data slice and the explore slice). */
export interface ExploreSource {
  readonly items: readonly DataItem[];
  readonly embeddings: Float32Array;
  readonly embeddingDim: number;
  readonly mixtures: readonly MixtureItem[];
}

/** Mixtures that live in the dataset's current embedding space (a new model makes old ones moot). */
export function usableMixtures(
  mixtures: readonly MixtureItem[],
  d: number,
): readonly MixtureItem[] {
  return d > 0 ? mixtures.filter((m) => m.embedding.length === d) : [];
}

/**
 * Dataset items first (in dataset order), then the usable mixtures (oldest first). The dataset
 * part is made once per item array (app/lib/itemLists.ts) and copied here: a new array each call.
 */
export function listExploreItems(source: ExploreSource): ExploreItem[] {
  const out = datasetExploreItems(source.items).slice();
  for (const m of usableMixtures(source.mixtures, source.embeddingDim)) {
    out.push({ key: m.id, label: m.label, kind: 'mixture', datasetIndex: null, parts: m.parts });
  }
  return out;
}

/** The embedding of the item with `key` (a view into the dataset array, or the mixture's), or null. */
export function exploreRow(source: ExploreSource, key: string): Float32Array | null {
  const d = source.embeddingDim;
  if (d === 0) return null;
  const i = source.items.findIndex((item) => item.id === key);
  if (i >= 0) {
    return source.embeddings.length >= (i + 1) * d
      ? source.embeddings.subarray(i * d, (i + 1) * d)
      : null;
  }
  const mix = source.mixtures.find((m) => m.id === key);
  return mix && mix.embedding.length === d ? mix.embedding : null;
}

/** The label of the item with `key`, or null. */
export function exploreLabel(source: ExploreSource, key: string): string | null {
  return (
    source.items.find((item) => item.id === key)?.label ??
    source.mixtures.find((m) => m.id === key)?.label ??
    null
  );
}
