// The map-decoding worker: checking and decoding a .sdrmap (CRC over every byte, float16
// expansion, label text) takes about a second per 60 MB, which must not freeze the page.
import { decodeRequest, type MapDecodeRequest } from './mapDecodeSession.ts';

self.onmessage = (event: MessageEvent<MapDecodeRequest>) => {
  const { reply, transfer } = decodeRequest(event.data);
  (self as unknown as Worker).postMessage(reply, transfer);
};
