/**
 * The item picker over the dataset's items (by label, numbered when labels repeat), for the
 * lab's "which item" questions. The value is the item's row index, or null for none.
 */
import { ItemPicker } from '../../components/ItemPicker.tsx';
import { datasetPickerOptions } from '../../lib/itemLists.ts';
import { useAppStore } from '../../store/index.ts';

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

export function ItemSelect({
  label,
  value,
  onChange,
  allowNone = false,
  noneLabel = '—',
  className,
}: ItemSelectProps) {
  const items = useAppStore((s) => s.items);
  // Made once per item list and shared by every picker over it (app/lib/itemLists.ts).
  const options = datasetPickerOptions(items);
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
