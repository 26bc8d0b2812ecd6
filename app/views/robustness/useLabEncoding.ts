/**
 * The dataset's encoding on the current map at the current K, or null while there is none or
 * it is out of step (K just moved, the map or the items just changed): what the lab measures.
 */
import { useAppStore } from '../../store/index.ts';
import type { MapEncoding } from '../../store/mapSlice.ts';

export type LabReadiness = 'no-map' | 'no-items' | 'wrong-dimension' | 'encoding' | 'ready';

export function useLabEncoding(): { encoding: MapEncoding | null; readiness: LabReadiness } {
  const encoding = useAppStore((s) => s.encoding);
  const map = useAppStore((s) => s.map);
  const k = useAppStore((s) => s.k);
  const embeddings = useAppStore((s) => s.embeddings);
  const n = useAppStore((s) => s.items.length);
  const d = useAppStore((s) => s.embeddingDim);
  if (!map) return { encoding: null, readiness: 'no-map' };
  if (n === 0) return { encoding: null, readiness: 'no-items' };
  if (d !== map.som.dim) return { encoding: null, readiness: 'wrong-dimension' };
  const current =
    encoding !== null &&
    encoding.k === k &&
    encoding.map.som === map.som &&
    encoding.embeddings === embeddings &&
    encoding.n === n;
  return current ? { encoding, readiness: 'ready' } : { encoding: null, readiness: 'encoding' };
}
