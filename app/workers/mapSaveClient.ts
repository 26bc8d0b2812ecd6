/**
 * The page's door to the map-save worker (mapSave.worker.ts): one lazily created worker encodes
 * and writes the autosaved map. The map is copied to it (the store keeps its arrays); where
 * there is no Worker (tests in Node) the session runs in place on the given database.
 */
import * as Comlink from 'comlink';
import { createMapSaveSession, type MapSaveApi } from './mapSaveSession.ts';
import { openSessionDb } from '../db/sessionDb.ts';

export type { MapSaveApi };
export type { MapSaveRequest } from './mapSaveSession.ts';

/** A map saver: in the worker when the page can start one, else in this thread. */
export function createMapSaver(): MapSaveApi {
  if (typeof Worker === 'undefined') return createMapSaveSession(() => openSessionDb());
  let remote: Comlink.Remote<MapSaveApi> | null = null;
  const api = (): Comlink.Remote<MapSaveApi> =>
    (remote ??= Comlink.wrap<MapSaveApi>(
      new Worker(new URL('./mapSave.worker.ts', import.meta.url), {
        type: 'module',
        name: 'map-save',
      }),
    ));
  return {
    save: (request) => api().save(request),
    clear: () => api().clear(),
  };
}
