// The share-link worker: a thin door to the share-link session (shareLinkSession.ts). Making a
// link for a 32×32 map takes seconds (compression passes and the agreement check).
import * as Comlink from 'comlink';
import { createShareLinkWorkerApi } from './shareLinkSession.ts';

Comlink.expose(createShareLinkWorkerApi());
