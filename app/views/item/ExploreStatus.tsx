/** Why an explorer view has nothing to show yet, in one line (or nothing when it is ready). */
import type { ScoredView } from '../compare/useScoredItems.ts';
import './item.css';

export function ExploreStatus({ view }: { readonly view: ScoredView }) {
  const { status, map, items } = view;
  let text: string | null = null;
  switch (status) {
    case 'no-map':
      text =
        'No map yet: open the built-in concept atlas from the Map tab (no model needed), or train a map on your data there.';
      break;
    case 'no-items':
      text = 'No items yet: add images or texts in the Data panel, and they are placed on the map.';
      break;
    case 'other-dimension':
      text = `Your items' embeddings do not fit this map (${map?.som.dim ?? '?'}-d): use the model the map was made with, or train a map on your data.`;
      break;
    case 'encoding':
      text = `Encoding ${items.length} items on the map…`;
      break;
    case 'ready':
      text = null;
  }
  if (text === null) return null;
  return (
    <p className="explore-status" role="status">
      {text}
    </p>
  );
}
