/**
 * The item picker over the dataset's items (by label, numbered when labels repeat), for the
 * lab's "which item" questions. The value is the item's row index, or null for none.
 */
import { useMemo } from 'react';
import { ItemPicker, type PickerOption } from '../../components/ItemPicker.tsx';
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
  const options = useMemo<PickerOption[]>(() => {
    const seen = new Map<string, number>();
    return items.map((item, i) => {
      const count = (seen.get(item.label) ?? 0) + 1;
      seen.set(item.label, count);
      return { key: String(i), label: count > 1 ? `${item.label} (${count})` : item.label };
    });
  }, [items]);
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
