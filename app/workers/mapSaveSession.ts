/**
 * What the map-save worker does, DOM-free so tests call it in place: encode the current map as
 * `.sdrmap` bytes (float32, so it reopens bit for bit) and write them to the last-session
 * database. Both steps run here, off the page's thread: for a 32×32 map of 512-d rows the
 * encoding (CRC over every byte) and the IndexedDB write are the costly part of an autosave;
 * the page only pays for handing the map over (a structured clone of its arrays).
 */
import { encodeMapFile, type SdrMap } from '../../src/index.ts';
import type { SavedMapSource, SessionDb } from '../db/sessionDb.ts';

/** One map to keep. */
export interface MapSaveRequest {
  readonly map: SdrMap;
  readonly version: number;
  readonly source: SavedMapSource;
  /** While training: the finished epoch this map is from, of `epochsPlanned`. */
  readonly trainingEpoch?: number;
  readonly epochsPlanned?: number;
}

/** What one save cost, for the page's autosave figures. */
interface MapSaveReport {
  readonly version: number;
  /** Size of the map file written, in bytes. */
  readonly bytes: number;
  /** Milliseconds encoding the file and writing it (in the worker). */
  readonly encodeMs: number;
  readonly writeMs: number;
}

export interface MapSaveApi {
  /** Encode and write `request`'s map, replacing the saved one. */
  save(request: MapSaveRequest): Promise<MapSaveReport>;
  /** Forget the saved map. */
  clear(): Promise<void>;
}

/** The session over a database opened at the first request (`openDb`, once). */
export function createMapSaveSession(openDb: () => Promise<SessionDb>): MapSaveApi {
  let db: Promise<SessionDb> | null = null;
  const database = (): Promise<SessionDb> => {
    db ??= openDb().catch((error: unknown) => {
      db = null; // try again next time: the failure may pass (a blocked upgrade)
      throw error;
    });
    return db;
  };
  return {
    async save(request) {
      const t0 = performance.now();
      const bytes = encodeMapFile(request.map, { codebookDtype: 'f32', embeddingDtype: 'f32' });
      const t1 = performance.now();
      await (
        await database()
      ).writeMap({
        version: request.version,
        savedAt: new Date().toISOString(),
        source: request.source,
        bytes,
        ...(request.trainingEpoch !== undefined
          ? { trainingEpoch: request.trainingEpoch, epochsPlanned: request.epochsPlanned }
          : {}),
      });
      const t2 = performance.now();
      return { version: request.version, bytes: bytes.length, encodeMs: t1 - t0, writeMs: t2 - t1 };
    },
    async clear() {
      await (await database()).clearMap();
    },
  };
}
