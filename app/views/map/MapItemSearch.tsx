/**
 * The Map view's search box: find one of your items by part of its label and it becomes the
 * selected item, its SDR drawn on the map (the last selected item is the one the map shows).
 */
import { useMemo } from 'react';
import { ItemPicker, type PickerOption } from '../../components/ItemPicker.tsx';
import { useAppStore } from '../../store/index.ts';

export function MapItemSearch() {
  const items = useAppStore((s) => s.items);
  const shownId = useAppStore((s) => s.selectedItemIds.at(-1) ?? '');
  const setSelectedItems = useAppStore((s) => s.setSelectedItems);
  const options = useMemo<PickerOption[]>(
    () => items.map((item) => ({ key: item.id, label: item.label })),
    [items],
  );
  return (
    <ItemPicker
      label="Find an item"
      options={options}
      value={shownId}
      placeholder={items.length > 0 ? 'Type part of a label…' : 'No items yet'}
      className="map-search"
      onChange={(id) => {
        if (id === '') return;
        // Last selected is the one drawn: move the found item to the end, keep the others.
        const ids = useAppStore.getState().selectedItemIds.filter((x) => x !== id);
        setSelectedItems([...ids, id]);
      }}
    />
  );
}
