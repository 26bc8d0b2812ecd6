import { memo } from 'react';
import { displayLabel } from '../../lib/labelSearch.ts';
import type { DataItem } from '../../store/dataSlice.ts';
import { useObjectUrl } from '../../lib/useObjectUrl.ts';
import type { CellProps } from '../../components/VirtualGrid.tsx';

export interface ItemCardProps {
  readonly item: DataItem;
  readonly selected: boolean;
  readonly onToggle: (id: string) => void;
  readonly onDelete: (id: string) => void;
  /** Where the card sits in the virtual list (app/components/VirtualGrid.tsx). */
  readonly cell: CellProps;
}

const KIND_TEXT: Record<DataItem['kind'], string> = {
  image: 'image',
  text: 'text',
  imported: 'imported',
};

/** One item: its thumbnail or text, label and kind, a select box and a delete button. */
export const ItemCard = memo(function ItemCard({
  item,
  selected,
  onToggle,
  onDelete,
  cell,
}: ItemCardProps) {
  const url = useObjectUrl(item.thumbnail);
  return (
    <li
      {...cell}
      className={selected ? 'item-card selected' : 'item-card'}
      data-kind={item.kind}
      aria-label={`${item.kind} item: ${item.label}`}
    >
      <div className="item-visual">
        {item.kind === 'image' ? (
          url ? (
            <img src={url} alt={item.label} loading="lazy" />
          ) : (
            <span className="item-placeholder" aria-hidden="true">
              ▧
            </span>
          )
        ) : item.kind === 'text' ? (
          <p className="item-text">{item.text}</p>
        ) : (
          <p className="item-imported" title={`${item.label}: a row of ${item.source}`}>
            {displayLabel(item.label)}
          </p>
        )}
      </div>
      {item.note && (
        <p className="item-note" role="note">
          {item.note}
        </p>
      )}
      <div className="item-foot">
        <label className="item-select">
          <input
            type="checkbox"
            checked={selected}
            onChange={() => onToggle(item.id)}
            aria-label={`Select ${item.label}`}
          />
          <span className="item-label" title={item.label}>
            {displayLabel(item.label)}
          </span>
        </label>
        <span className={`item-kind kind-${item.kind}`}>{KIND_TEXT[item.kind]}</span>
        <button
          type="button"
          className="item-delete"
          aria-label={`Delete ${item.label}`}
          title="Delete"
          onClick={() => onDelete(item.id)}
        >
          ×
        </button>
      </div>
    </li>
  );
});
