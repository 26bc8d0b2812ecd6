/**
 * What the share-link worker does (shareLink.worker.ts), DOM-free so Node tests call it
 * directly: make the link text of a map (src/share/inlineMap.ts linkFragmentFor: packing at each
 * precision rung that may fit, then measuring on the map's own items how many active units
 * survive), make a smaller copy that fits (shrinkForLink), and read a map back from link text.
 * For a 32×32×512 map with ~1,200 items making a link takes seconds, which the page must never
 * spend on its main thread.
 *
 * Replies are plain data: a map too large for a link is an answer (`ok: false` with its packed
 * size and the reason in words), not a thrown error, since class identity does not survive the
 * trip between threads.
 */
import {
  InlineMapTooLargeError,
  linkFragmentFor,
  readLinkFragment,
  shrinkForLink,
  type LinkFragment,
  type LinkedMap,
  type SdrMap,
} from '../../src/index.ts';

/** A map's link, or why it does not fit. `ms`: how long making it took in the worker. */
export type LinkReply =
  | { readonly ok: true; readonly fragment: LinkFragment; readonly ms: number }
  | {
      readonly ok: false;
      /** True when the map is only too large (a smaller copy may fit); false for other failures. */
      readonly tooLarge: boolean;
      readonly message: string;
      readonly ms: number;
    };

/** A smaller copy of a map that fits a link, what it changes, and its link; or why not. */
export type ShrinkReply =
  | {
      readonly ok: true;
      readonly map: SdrMap;
      readonly changes: readonly string[];
      readonly fragment: LinkFragment;
      readonly ms: number;
    }
  | { readonly ok: false; readonly message: string; readonly ms: number };

export interface ShareLinkWorkerApi {
  /** The link text of `map` at the most exact precision that fits. */
  linkFor(map: SdrMap): Promise<LinkReply>;
  /** A copy of `map` small enough for a link (see shrinkForLink) and its link text. */
  shrink(map: SdrMap): Promise<ShrinkReply>;
  /** The map inside link text; rejects with the reader's message for text that is not one. */
  read(text: string): Promise<LinkedMap>;
}

function failure(error: unknown): { tooLarge: boolean; message: string } {
  return {
    tooLarge: error instanceof InlineMapTooLargeError,
    message: error instanceof Error ? error.message : String(error),
  };
}

export function createShareLinkWorkerApi(): ShareLinkWorkerApi {
  return {
    linkFor: (map) => {
      const start = performance.now();
      try {
        const fragment = linkFragmentFor(map);
        return Promise.resolve({ ok: true, fragment, ms: performance.now() - start });
      } catch (error) {
        return Promise.resolve({ ok: false, ...failure(error), ms: performance.now() - start });
      }
    },
    shrink: (map) => {
      const start = performance.now();
      try {
        const shrunk = shrinkForLink(map);
        return Promise.resolve({
          ok: true,
          map: shrunk.map,
          changes: shrunk.changes,
          fragment: shrunk.fragment,
          ms: performance.now() - start,
        });
      } catch (error) {
        return Promise.resolve({
          ok: false,
          message: failure(error).message,
          ms: performance.now() - start,
        });
      }
    },
    read: (text) => Promise.resolve().then(() => readLinkFragment(text)),
  };
}
