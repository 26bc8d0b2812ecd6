import { useCallback, useMemo, useState } from 'react';
import { displayLabel } from '../../lib/labelSearch.ts';
import { useAppStore } from '../../store/index.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { ItemCard } from './ItemCard.tsx';
import { VirtualGrid } from '../../components/VirtualGrid.tsx';
import type { DataItem } from '../../store/dataSlice.ts';
import './data.css';

/** A card's size in the list, px: narrowest width, height (data.css draws the card to fit). */
const CARD_MIN_WIDTH = 150;
const CARD_HEIGHT = 160;

interface PendingDelete {
  readonly ids: readonly string[] | 'all';
  readonly title: string;
  readonly message: string;
  readonly confirmLabel: string;
}

/**
 * What the filter looks in, lower-cased once per dataset (not per keystroke and item): the
 * label as stored and as words ("traffic light" finds "traffic_light"), the text and the file,
 * joined by a character no query holds so a match never spans two of them.
 */
function filterText(item: DataItem): string {
  return [item.label, displayLabel(item.label), item.text ?? '', item.source]
    .join('\u0001')
    .toLowerCase();
}

/** The Data view: every item, filterable, selectable, deletable (after one confirmation). */
export function DataView() {
  const items = useAppStore((s) => s.items);
  const selectedIds = useAppStore((s) => s.selectedItemIds);
  const setSelected = useAppStore((s) => s.setSelectedItems);
  const toggle = useAppStore((s) => s.toggleItemSelected);
  const removeItems = useAppStore((s) => s.removeItems);
  const clearData = useAppStore((s) => s.clearData);
  const [query, setQuery] = useState('');
  const [pending, setPending] = useState<PendingDelete | null>(null);

  const selected = useMemo(() => new Set(selectedIds), [selectedIds]);
  const haystack = useMemo(() => items.map(filterText), [items]);
  const visible = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (q === '') return items;
    return items.filter((_, i) => haystack[i].includes(q));
  }, [items, haystack, query]);
  const allVisibleSelected = visible.length > 0 && visible.every((item) => selected.has(item.id));

  const askDelete = useCallback((id: string) => {
    const item = useAppStore.getState().items.find((i) => i.id === id);
    if (!item) return;
    setPending({
      ids: [id],
      title: 'Delete this item?',
      message: `“${item.label}” and its embedding will be removed from this browser.`,
      confirmLabel: 'Delete',
    });
  }, []);

  const askDeleteSelected = () => {
    const n = selectedIds.length;
    setPending({
      ids: selectedIds,
      title: n === 1 ? 'Delete the selected item?' : `Delete ${n} selected items?`,
      message: `${n === 1 ? 'It' : 'They'} and ${n === 1 ? 'its embedding' : 'their embeddings'} will be removed from this browser.`,
      confirmLabel: n === 1 ? 'Delete 1 item' : `Delete ${n} items`,
    });
  };

  const askDeleteAll = () =>
    setPending({
      ids: 'all',
      title: 'Delete every item?',
      message: `All ${items.length} items and their embeddings will be removed from this browser.`,
      confirmLabel: 'Delete all',
    });

  const confirm = () => {
    if (!pending) return;
    if (pending.ids === 'all') void clearData();
    else void removeItems(pending.ids);
    setPending(null);
  };

  if (items.length === 0) {
    return (
      <div className="data-view">
        <p className="data-empty">
          No items yet. Drop images, folders or text in the side panel, or import embeddings made
          elsewhere (.npy, CSV, JSON) to explore without downloading a model.
        </p>
      </div>
    );
  }

  return (
    <div className="data-view">
      <div className="data-toolbar" role="toolbar" aria-label="Items">
        <input
          type="search"
          className="data-filter"
          placeholder="Filter by label, text or file"
          aria-label="Filter items"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <label className="data-select-all">
          <input
            type="checkbox"
            checked={allVisibleSelected}
            onChange={() => {
              if (allVisibleSelected) {
                const hide = new Set(visible.map((i) => i.id));
                setSelected(selectedIds.filter((id) => !hide.has(id)));
              } else {
                setSelected([...selectedIds, ...visible.map((i) => i.id)]);
              }
            }}
          />
          Select all{query.trim() !== '' ? ' shown' : ''}
        </label>
        <span className="data-count">
          {visible.length === items.length
            ? `${items.length} items`
            : `${visible.length} of ${items.length} items`}
          {selectedIds.length > 0 ? ` · ${selectedIds.length} selected` : ''}
        </span>
        <button type="button" disabled={selectedIds.length === 0} onClick={askDeleteSelected}>
          Delete selected
        </button>
        <button type="button" className="danger-outline" onClick={askDeleteAll}>
          Delete all
        </button>
      </div>
      {visible.length === 0 ? (
        <p className="muted">No item matches “{query.trim()}”.</p>
      ) : (
        <VirtualGrid
          count={visible.length}
          minCellWidth={CARD_MIN_WIDTH}
          rowHeight={CARD_HEIGHT}
          ariaLabel="Dataset items"
          scrollLabel={`All ${visible.length} items (scroll to see more)`}
          className="item-grid"
          resetKey={query.trim()}
          testId="data-list"
          renderCell={(index, cell) => {
            const item = visible[index];
            return (
              <ItemCard
                key={item.id}
                item={item}
                selected={selected.has(item.id)}
                onToggle={toggle}
                onDelete={askDelete}
                cell={cell}
              />
            );
          }}
        />
      )}
      <ConfirmDialog
        open={pending !== null}
        title={pending?.title ?? ''}
        message={pending?.message ?? ''}
        confirmLabel={pending?.confirmLabel ?? 'Delete'}
        onConfirm={confirm}
        onCancel={() => setPending(null)}
      />
    </div>
  );
}
