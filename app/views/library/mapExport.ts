/**
 * The current map as a file: the map plus the dataset's items encoded on it (labels, SDRs at the
 * current K, and, as the person chooses, embeddings and thumbnails), the library's metadata for
 * it, and a safe file name. DOM-free, so the library slice and its tests share it.
 */
import type { SavedMapMeta } from '../../db/maps.ts';
import {
  gridSize,
  DEFAULT_MAP_FILE_LIMITS,
  type MapItems,
  type SdrMap,
} from '../../../src/index.ts';
import { UNSAFE_CHARS, cleanText } from '../../../src/index.ts';

/** What to put in a saved or downloaded map besides the map itself. */
export interface MapExportOptions {
  /** Save the items' embeddings (needed to place them again, or to train on them); default true. */
  readonly embeddings?: boolean;
  /** Save the items' thumbnails (small JPEGs; larger file); default false. */
  readonly thumbnails?: boolean;
}

/** The dataset as the export needs it (a subset of the store, so tests can pass plain values). */
export interface ExportDataset {
  readonly items: readonly { readonly label: string; readonly thumbnail?: Blob }[];
  /** n·d unit-length rows. */
  readonly embeddings: Float32Array;
  readonly d: number;
}

/** Longest label the map file accepts (longer labels are shortened with an ellipsis). */
const MAX_LABEL = DEFAULT_MAP_FILE_LIMITS.maxLabelLength;

/**
 * `map` with the dataset's items attached: labels, their SDRs (`sdrs`, n·k at K = `k`), and the
 * embeddings and thumbnails when chosen. Without a dataset that fits the map (none, or another
 * dimension) the map keeps the items it came with, if any.
 */
export async function mapWithItems(
  map: SdrMap,
  data: ExportDataset | null,
  encoded: { readonly k: number; readonly sdrs: Uint32Array } | null,
  options: MapExportOptions = {},
): Promise<SdrMap> {
  const n = data?.items.length ?? 0;
  if (!data || n === 0 || data.d !== map.som.dim || !encoded) {
    return strip(map, options);
  }
  if (encoded.sdrs.length !== n * encoded.k) {
    throw new RangeError(`expected ${n}×${encoded.k} SDR indices, got ${encoded.sdrs.length}`);
  }
  const items: MapItems = {
    labels: data.items.map((item) => clipLabel(item.label)),
    k: encoded.k,
    sdrs: encoded.sdrs,
    ...((options.embeddings ?? true)
      ? { embeddings: data.embeddings.subarray(0, n * data.d) }
      : {}),
    ...(options.thumbnails
      ? {
          thumbnails: await Promise.all(
            data.items.map(async (item) =>
              item.thumbnail ? new Uint8Array(await item.thumbnail.arrayBuffer()) : null,
            ),
          ),
        }
      : {}),
  };
  return { ...map, items };
}

/** The map's own items without the parts the person chose to leave out. */
function strip(map: SdrMap, options: MapExportOptions): SdrMap {
  const items = map.items;
  if (!items) return map;
  const { embeddings, thumbnails, ...rest } = items;
  return {
    ...map,
    items: {
      ...rest,
      ...((options.embeddings ?? true) && embeddings ? { embeddings } : {}),
      ...(options.thumbnails && thumbnails ? { thumbnails } : {}),
    },
  };
}

/**
 * A label the map file accepts: items stored before imports cleaned their labels may still
 * hold control characters, which must not block saving the whole map.
 */
function clipLabel(label: string): string {
  return cleanText(label, { maxLength: MAX_LABEL });
}

/** The library's record for `map` saved as `bytes` bytes. */
export function savedMapMeta(
  id: string,
  name: string,
  map: SdrMap,
  bytes: number,
  savedAt: Date,
): SavedMapMeta {
  const items = map.items;
  return {
    id,
    name,
    bytes,
    savedAt: savedAt.toISOString(),
    grid: { ...map.som.grid },
    dim: map.som.dim,
    itemCount: items?.labels.length ?? 0,
    withEmbeddings: items?.embeddings !== undefined,
    withThumbnails: items?.thumbnails !== undefined,
    model: map.model,
  };
}

/**
 * A file name for a map: its name with characters file systems refuse (and control
 * characters) replaced by '-', at most 100 characters, ending in `.sdrmap`.
 */
export function mapFileName(name: string): string {
  const safe = name
    .replace(UNSAFE_CHARS, '-')
    .replace(/[/\\:*?"<>|]/g, '-')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .slice(0, 100);
  return `${safe === '' ? 'map' : safe}.sdrmap`;
}

/** "12×12 rect (144 units), 512-d, 36 items" (the items it carries; none: left out). */
export function describeMapShape(map: SdrMap): string {
  const { grid, dim } = map.som;
  const n = map.items?.labels.length ?? 0;
  const items = n === 0 ? '' : `, ${n === 1 ? '1 item' : `${n} items`}`;
  return `${grid.rows}×${grid.cols} ${grid.topology} (${gridSize(grid)} units), ${dim}-d${items}`;
}

/** 1.2 MiB, 340 KiB, 999 bytes. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
