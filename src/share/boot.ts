/**
 * The engine's door for the page's first script (app/boot.ts, through app/lib/atlasPrefetch.ts):
 * only reading the address and downloading a map file, so that script stays a few kilobytes
 * and starts the built-in atlas's download before the page's own code has arrived. (Through
 * src/index.ts the bundler would move every engine module the page shares into that script.)
 */
export { parseShareState } from './urlState.ts';
export { fetchMapBytes } from './fetchMap.ts';
export type { SdrMap } from '../io/mapModel.ts';
