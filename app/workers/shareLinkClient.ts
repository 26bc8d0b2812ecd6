/**
 * The page's door to share links: one lazily created module worker (shareLink.worker.ts) makes
 * a map's link text, a smaller copy that fits, or reads a map from link text, off the main
 * thread. Where there is no Worker (tests in Node) the session runs in place.
 *
 * ```ts
 * const reply = await getShareLinkClient().linkFor(map); // { ok, fragment | message, ms }
 * ```
 *
 * A read that fails rejects with a MapFileError carrying the reader's message, as
 * readLinkFragment itself would.
 */
import * as Comlink from 'comlink';
import { MapFileError, type LinkedMap, type SdrMap } from '../../src/index.ts';
import {
  createShareLinkWorkerApi,
  type LinkReply,
  type ShareLinkWorkerApi,
  type ShrinkReply,
} from './shareLinkSession.ts';

class ShareLinkClient {
  private remote: Comlink.Remote<ShareLinkWorkerApi> | ShareLinkWorkerApi | null = null;

  constructor(private readonly createWorker: (() => Worker) | null) {}

  private api(): Comlink.Remote<ShareLinkWorkerApi> | ShareLinkWorkerApi {
    this.remote ??= this.createWorker
      ? Comlink.wrap<ShareLinkWorkerApi>(this.createWorker())
      : createShareLinkWorkerApi();
    return this.remote;
  }

  linkFor(map: SdrMap): Promise<LinkReply> {
    return this.api().linkFor(map);
  }

  shrink(map: SdrMap): Promise<ShrinkReply> {
    return this.api().shrink(map);
  }

  async read(text: string): Promise<LinkedMap> {
    try {
      return await this.api().read(text);
    } catch (error) {
      // Comlink hands back a plain Error with the original message: keep it a map refusal.
      throw new MapFileError(error instanceof Error ? error.message : String(error));
    }
  }
}

let shared: ShareLinkClient | null = null;

/** The page's shared share-link worker. */
export function getShareLinkClient(): ShareLinkClient {
  shared ??= new ShareLinkClient(
    typeof Worker === 'undefined'
      ? null
      : () =>
          new Worker(new URL('./shareLink.worker.ts', import.meta.url), {
            type: 'module',
            name: 'share-link',
          }),
  );
  return shared;
}
