/** The item picker over the explorer's items (dataset items, then mixtures), keyed by item key. */
import { ItemPicker, type PickerOption } from '../../components/ItemPicker.tsx';
import type { ExploreItem } from '../../store/exploreItems.ts';

export interface ExploreItemPickerProps {
  readonly label: string;
  /** Keep the array's identity stable (it is from useScoredItems): the picker indexes it. */
  readonly items: readonly ExploreItem[];
  /** The chosen item's key, or '' for none. */
  readonly value: string;
  readonly onChange: (key: string) => void;
  /** Text of the empty choice; without it there is none. */
  readonly emptyText?: string;
  /** Keys not offered (already chosen elsewhere). */
  readonly exclude?: readonly string[];
  readonly disabled?: boolean;
  /** Empty the box after each choice (a search box); default false. */
  readonly clearOnPick?: boolean;
}

/** Options per item list, shared by every picker over it (Compare shows four). */
const optionsByItems = new WeakMap<readonly ExploreItem[], readonly PickerOption[]>();

function optionsFor(items: readonly ExploreItem[]): readonly PickerOption[] {
  let options = optionsByItems.get(items);
  if (!options) {
    options = items.map((x) =>
      x.kind === 'mixture' ? { key: x.key, label: x.label, note: 'mixture' } : x,
    );
    optionsByItems.set(items, options);
  }
  return options;
}

export function ExploreItemPicker({ items, ...rest }: ExploreItemPickerProps) {
  return <ItemPicker options={optionsFor(items)} {...rest} />;
}
