/**
 * The overlap index of the dataset's encoding (every item's SDR at the current K), shared by
 * the views that search it (Robustness, Algebra & search): built once per encoding, a slice at
 * a time after the view is on screen (app/lib/slicedOverlapIndex.ts), and null until then.
 * A build the page no longer needs (K moved on, the data changed) is given up.
 */
import { useEffect, useState } from 'react';
import type { OverlapIndex } from '../../../src/index.ts';
import { errorMessage } from '../../../src/index.ts';
import { buildOverlapIndexSliced, OverlapIndexAbandoned } from '../../lib/slicedOverlapIndex.ts';
import { useAppStore } from '../../store/index.ts';
import type { MapEncoding } from '../../store/mapSlice.ts';

/** Built indexes, and builds under way, by the encoding's active rows. */
const built = new WeakMap<Uint32Array, OverlapIndex>();
const building = new WeakMap<Uint32Array, Promise<OverlapIndex>>();

function indexFor(encoding: MapEncoding): Promise<OverlapIndex> {
  const key = encoding.active;
  let pending = building.get(key);
  if (!pending) {
    pending = buildOverlapIndexSliced(
      { grid: encoding.map.som.grid, n: encoding.n, k: encoding.k, active: key },
      { isWanted: () => useAppStore.getState().encoding?.active === key },
    ).then(
      (index) => {
        built.set(key, index);
        return index;
      },
      (error: unknown) => {
        building.delete(key);
        throw error;
      },
    );
    building.set(key, pending);
  }
  return pending;
}

export function useOverlapIndex(encoding: MapEncoding | null): OverlapIndex | null {
  const [, setBuilt] = useState<OverlapIndex | null>(null);
  const ready = encoding ? (built.get(encoding.active) ?? null) : null;
  useEffect(() => {
    if (!encoding || ready) return undefined;
    let live = true;
    indexFor(encoding).then(
      (index) => {
        if (live) setBuilt(index);
      },
      (error: unknown) => {
        if (!live || error instanceof OverlapIndexAbandoned) return;
        useAppStore
          .getState()
          .notify('error', `Could not index the items' SDRs: ${errorMessage(error)}`);
      },
    );
    return () => {
      live = false;
    };
  }, [encoding, ready]);
  return ready;
}
