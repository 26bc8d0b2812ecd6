/** What a lab view shows while there is nothing to measure yet, and why. */
import type { LabReadiness } from './useLabEncoding.ts';

const TEXT: Record<Exclude<LabReadiness, 'ready'>, string> = {
  'no-map':
    'There is no map yet: load a CLIP model (the concept atlas is built from it) or train a map on your data in the Map tab.',
  'no-items':
    'Add some items in the Data tab (texts, images or embeddings): they are what is measured here.',
  'wrong-dimension':
    "Your items' embeddings have another dimension than the map: embed them with the map's model, or train a map on them.",
  encoding: 'Encoding your items on the map…',
};

export function LabNotReady({ readiness }: { readiness: Exclude<LabReadiness, 'ready'> }) {
  return (
    <p className="muted lab-not-ready" role="status">
      {TEXT[readiness]}
    </p>
  );
}
