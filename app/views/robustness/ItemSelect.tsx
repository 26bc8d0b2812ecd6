/**
 * The item picker over the dataset's items (by label, numbered when labels repeat), for the
 * lab's "which item" questions. The value is the item's row index, or null for none.
 */
import { ItemPicker, type PickerOption } from '../../components/ItemPicker.tsx';
import { useAppStore } from '../../store/index.ts';
import type { DataItem } from '../../store/dataSlice.ts';

export interface ItemSelectProps {
  readonly label: string;
  readonly value: number | null;
  readonly onChange: (index: number | null) => void;
  /** Offer "none" as the first choice; default false. */
  readonly allowNone?: boolean;
  /** Text of the "none" choice; default '—'. */
  readonly noneLabel?: string;
  readonly className?: string;
}

/**
 * The options of one item list, made once per list and shared by every picker over it (a view
 * shows several; each list of 100,000 items took ~40 ms to make).
 */
const optionsByItems = new WeakMap<readonly DataItem[], readonly PickerOption[]>();

function optionsFor(items: readonly DataItem[]): readonly PickerOption[] {
  let options = optionsByItems.get(items);
  if (!options) {
    const seen = new Map<string, number>();
    options = items.map((item, i) => {
      const count = (seen.get(item.label) ?? 0) + 1;
      seen.set(item.label, count);
      return { key: String(i), label: count > 1 ? `${item.label} (${count})` : item.label };
    });
    optionsByItems.set(items, options);
  }
  return options;
}

export function ItemSelect({
  label,
  value,
  onChange,
  allowNone = false,
  noneLabel = '—',
  className,
}: ItemSelectProps) {
  const items = useAppStore((s) => s.items);
  const options = optionsFor(items);
  return (
    <ItemPicker
      label={label}
      options={options}
      value={value === null ? '' : String(value)}
      emptyText={allowNone || value === null ? noneLabel : undefined}
      onChange={(key) => onChange(key === '' ? null : Number(key))}
      className={className ? `lab-pick ${className}` : 'lab-pick'}
    />
  );
}
