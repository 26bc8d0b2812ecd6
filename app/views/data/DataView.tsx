import { useCallback, useMemo, useState } from 'react';
import { displayLabel } from '../../lib/labelSearch.ts';
import { useAppStore } from '../../store/index.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { ItemCard } from './ItemCard.tsx';
import './data.css';

/** Cards drawn at first and per "show more": enough to scroll, few enough to stay quick. */
const PAGE = 200;

interface PendingDelete {
  readonly ids: readonly string[] | 'all';
  readonly title: string;
  readonly message: string;
  readonly confirmLabel: string;
}

function matches(item: { label: string; text?: string; source: string }, query: string): boolean {
  const q = query.toLowerCase();
  return (
    item.label.toLowerCase().includes(q) ||
    // Labels read as words: "traffic light" finds "traffic_light".
    displayLabel(item.label).toLowerCase().includes(q) ||
    (item.text ?? '').toLowerCase().includes(q) ||
    item.source.toLowerCase().includes(q)
  );
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
  const [shown, setShown] = useState(PAGE);
  const [pending, setPending] = useState<PendingDelete | null>(null);

  const selected = useMemo(() => new Set(selectedIds), [selectedIds]);
  const visible = useMemo(
    () => (query.trim() === '' ? items : items.filter((item) => matches(item, query.trim()))),
    [items, query],
  );
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
          onChange={(e) => {
            setQuery(e.target.value);
            setShown(PAGE);
          }}
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
      <ul className="item-grid" aria-label="Dataset items">
        {visible.slice(0, shown).map((item) => (
          <ItemCard
            key={item.id}
            item={item}
            selected={selected.has(item.id)}
            onToggle={toggle}
            onDelete={askDelete}
          />
        ))}
      </ul>
      {visible.length > shown && (
        <button type="button" className="data-more" onClick={() => setShown(shown + PAGE)}>
          Show {Math.min(PAGE, visible.length - shown)} more
        </button>
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
