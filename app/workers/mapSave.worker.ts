// The map-save worker: a thin door to the map-save session (mapSaveSession.ts), so encoding and
// writing the autosaved map never run on the page's thread; errors travel back through comlink.
import * as Comlink from 'comlink';
import { createMapSaveSession } from './mapSaveSession.ts';
import { openSessionDb } from '../db/sessionDb.ts';

Comlink.expose(createMapSaveSession(() => openSessionDb()));
