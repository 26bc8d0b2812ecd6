/** A labelled select of the explorer's items (dataset items, then mixtures). */
import { useId } from 'react';
import type { ExploreItem } from '../../store/exploreItems.ts';
import './item.css';

export interface ItemPickerProps {
  readonly label: string;
  readonly items: readonly ExploreItem[];
  /** The chosen item's key, or '' for none. */
  readonly value: string;
  readonly onChange: (key: string) => void;
  /** Text of the empty choice; without it there is none. */
  readonly emptyText?: string;
  /** Keys not offered (already chosen elsewhere). */
  readonly exclude?: readonly string[];
  readonly disabled?: boolean;
}

/** Longest label shown in an option; the full label is the option's title. */
const OPTION_MAX = 70;

function optionText(item: ExploreItem): string {
  const label =
    item.label.length > OPTION_MAX ? `${item.label.slice(0, OPTION_MAX - 1)}…` : item.label;
  return item.kind === 'mixture' ? `${label} (mixture)` : label;
}

export function ItemPicker({
  label,
  items,
  value,
  onChange,
  emptyText,
  exclude,
  disabled,
}: ItemPickerProps) {
  const id = useId();
  const hidden = new Set(exclude ?? []);
  const dataset = items.filter((x) => x.kind !== 'mixture' && !hidden.has(x.key));
  const mixtures = items.filter((x) => x.kind === 'mixture' && !hidden.has(x.key));
  return (
    <div className="explore-picker">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        disabled={disabled || items.length === 0}
        onChange={(e) => onChange(e.target.value)}
      >
        {emptyText !== undefined && <option value="">{emptyText}</option>}
        {dataset.length > 0 && (
          <optgroup label="Your items">
            {dataset.map((x) => (
              <option key={x.key} value={x.key} title={x.label}>
                {optionText(x)}
              </option>
            ))}
          </optgroup>
        )}
        {mixtures.length > 0 && (
          <optgroup label="Mixtures">
            {mixtures.map((x) => (
              <option key={x.key} value={x.key} title={x.label}>
                {optionText(x)}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </div>
  );
}
