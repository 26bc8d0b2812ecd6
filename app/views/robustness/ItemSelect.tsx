/**
 * A labelled drop-down of the dataset's items (by label, numbered when labels repeat), for the
 * lab's "which item" questions. The value is the item's row index, or null for none.
 */
import { useId, useMemo } from 'react';
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
  const id = useId();
  const items = useAppStore((s) => s.items);
  const options = useMemo(() => {
    const seen = new Map<string, number>();
    return items.map((item, i) => {
      const count = (seen.get(item.label) ?? 0) + 1;
      seen.set(item.label, count);
      return { index: i, text: count > 1 ? `${item.label} (${count})` : item.label };
    });
  }, [items]);
  return (
    <span className={className ? `lab-pick ${className}` : 'lab-pick'}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value === null ? '' : String(value)}
        disabled={items.length === 0}
        onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}
      >
        {(allowNone || value === null) && <option value="">{noneLabel}</option>}
        {options.map((o) => (
          <option key={o.index} value={o.index}>
            {o.text}
          </option>
        ))}
      </select>
    </span>
  );
}
