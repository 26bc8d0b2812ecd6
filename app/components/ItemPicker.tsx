/**
 * The one item picker: a text box that finds items by typing part of their label, with a list
 * of matches below (the ARIA 1.2 combobox pattern: the box keeps focus, the list follows with
 * aria-activedescendant). Keyboard only works throughout: type to search, ↓/↑ to move through
 * the matches, Enter to choose, Escape to close the list and put back the current choice. At
 * most `limit` matches are drawn, whatever the dataset's size: the labels are indexed once per
 * option list (app/lib/labelSearch.ts) and never rendered all at once.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { buildLabelIndex, displayLabel, searchLabels } from '../lib/labelSearch.ts';
import './itemPicker.css';

/** One choice. */
export interface PickerOption {
  /** Unique among the options; '' is reserved for "none". */
  readonly key: string;
  /** As stored; shown through displayLabel. */
  readonly label: string;
  /** Shown after the label, muted, e.g. 'mixture'; optional. */
  readonly note?: string;
}

export interface ItemPickerProps {
  /** The box's visible label. */
  readonly label: string;
  /** The choices, in the order shown for an empty search. Keep the array's identity stable
   * (useMemo) between renders: the search index is rebuilt when it changes. */
  readonly options: readonly PickerOption[];
  /** The chosen key, or '' for none. */
  readonly value: string;
  readonly onChange: (key: string) => void;
  /** Text of a "none" choice at the top of the list (and the empty box's placeholder); without
   * it there is no such choice. */
  readonly emptyText?: string;
  /** Keys not offered (already chosen elsewhere); default none. */
  readonly exclude?: readonly string[];
  readonly disabled?: boolean;
  /** Empty the box after each choice, for a search box rather than a setting; default false. */
  readonly clearOnPick?: boolean;
  /** Placeholder of the empty box when there is no emptyText; default 'Type to search…'. */
  readonly placeholder?: string;
  /** Most matches listed at once; default 50, from 1. More are counted, not drawn. */
  readonly limit?: number;
  readonly className?: string;
}

interface Entry {
  readonly key: string;
  readonly text: string;
  readonly note?: string;
}

export function ItemPicker({
  label,
  options,
  value,
  onChange,
  emptyText,
  exclude,
  disabled,
  clearOnPick = false,
  placeholder = 'Type to search…',
  limit = 50,
  className,
}: ItemPickerProps) {
  const id = useId();
  const listId = `${id}-list`;
  const optionId = (i: number) => `${id}-opt-${i}`;
  const [open, setOpen] = useState(false);
  // The search index is built when the list first opens, not when the picker appears: at
  // 100,000 items it takes a few hundred ms, and a view shows several pickers.
  const [wanted, setWanted] = useState(false);
  const openList = () => {
    setWanted(true);
    setOpen(true);
  };
  const index = useMemo(
    () => (wanted ? buildLabelIndex(options.map((o) => o.label)) : null),
    [wanted, options],
  );
  const current = useMemo(
    () => (value === '' ? null : (options.find((o) => o.key === value) ?? null)),
    [options, value],
  );
  const currentText = current ? displayLabel(current.label) : '';

  /** What the person typed since the box took focus; null while they have not typed. */
  const [typed, setTyped] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);

  const excludeKey = (exclude ?? []).join('\u0000');
  const excluded = useMemo(
    () => new Set(excludeKey ? excludeKey.split('\u0000') : []),
    [excludeKey],
  );

  const query = typed ?? '';
  const result = useMemo(
    () =>
      open && index
        ? searchLabels(index, query, {
            limit,
            skip: excluded.size > 0 ? (i) => excluded.has(options[i].key) : undefined,
          })
        : null,
    [open, index, query, limit, excluded, options],
  );
  const entries = useMemo<Entry[]>(() => {
    if (!result) return [];
    const out: Entry[] = [];
    if (emptyText !== undefined && query.trim() === '') out.push({ key: '', text: emptyText });
    for (const i of result.indices) {
      const o = options[i];
      out.push({ key: o.key, text: displayLabel(o.label), note: o.note });
    }
    return out;
  }, [result, options, emptyText, query]);

  const activeIndex = Math.min(active, entries.length - 1);

  useEffect(() => {
    if (!open || activeIndex < 0) return;
    const el = listRef.current?.children[activeIndex];
    if (el instanceof HTMLElement) el.scrollIntoView({ block: 'nearest' });
  }, [open, activeIndex]);

  const close = () => {
    setOpen(false);
    setTyped(null);
    setActive(0);
  };
  const choose = (key: string) => {
    close();
    onChange(key);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!open) {
        openList();
        setActive(0);
      } else setActive(Math.min(activeIndex + 1, entries.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (open) setActive(Math.max(activeIndex - 1, 0));
    } else if (e.key === 'Enter') {
      if (open && activeIndex >= 0) {
        e.preventDefault();
        choose(entries[activeIndex].key);
      }
    } else if (e.key === 'Escape') {
      if (open || typed !== null) {
        e.preventDefault();
        close();
      }
    }
  };

  const shownText = typed ?? (clearOnPick ? '' : currentText);
  const total = result?.total ?? 0;
  const hiddenCount = result ? total - result.indices.length : 0;
  const status = !open
    ? ''
    : total === 0
      ? `No item's label contains “${query.trim()}”.`
      : hiddenCount > 0
        ? `${total.toLocaleString('en')} matches; the first ${result!.indices.length} are listed. Type more to narrow them.`
        : `${total.toLocaleString('en')} ${total === 1 ? 'match' : 'matches'}.`;

  return (
    <div className={className ? `item-picker ${className}` : 'item-picker'}>
      <label htmlFor={id}>{label}</label>
      <div className="item-picker-box">
        <input
          id={id}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open && entries.length > 0}
          aria-controls={listId}
          aria-activedescendant={
            open && activeIndex >= 0 && entries.length > 0 ? optionId(activeIndex) : undefined
          }
          autoComplete="off"
          spellCheck={false}
          disabled={disabled || options.length === 0}
          value={shownText}
          title={currentText || undefined}
          placeholder={emptyText ?? placeholder}
          onChange={(e) => {
            setTyped(e.target.value);
            openList();
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          onFocus={(e) => e.target.select()}
          onClick={() => openList()}
          onBlur={close}
        />
        <div className="item-picker-popup" hidden={!open}>
          <ul
            ref={listRef}
            id={listId}
            role="listbox"
            aria-label={label}
            className="item-picker-list"
            hidden={!open || entries.length === 0}
          >
            {open &&
              entries.map((entry, i) => (
                <li
                  key={entry.key || '\u0000none'}
                  id={optionId(i)}
                  role="option"
                  aria-selected={i === activeIndex}
                  className={entry.key === '' ? 'item-picker-none' : undefined}
                  title={entry.text}
                  // Keep focus in the box: the choice happens on click, the box never blurs.
                  onMouseDown={(e) => e.preventDefault()}
                  onMouseMove={() => i !== activeIndex && setActive(i)}
                  onClick={() => choose(entry.key)}
                >
                  {entry.text}
                  {entry.note && <span className="muted"> ({entry.note})</span>}
                </li>
              ))}
          </ul>
          <p className="item-picker-status" role="status">
            {status}
          </p>
        </div>
      </div>
    </div>
  );
}
