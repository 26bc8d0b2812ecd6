/**
 * A long list drawn as a grid of equal cells in a scroll box of its own, with only the cells in
 * view (plus `overscan` rows each way) in the DOM: 100,000 items scroll like 100,000 (the
 * scroll height is theirs, the scroll bar reaches the last), and cost one screenful of nodes.
 *
 * What a person keeps: the list is a `<ul>` with its name, every drawn cell a list item saying
 * where it is in the whole (aria-posinset/aria-setsize), so a screen reader reads "item 51,234
 * of 100,000"; the scroll box takes focus (PageDown/End scroll it); Tab moves through the cells'
 * controls, and the browser scrolls the focused one into view, which draws the next rows, so
 * Tab reaches the end; the cell holding focus stays drawn while it is scrolled away.
 */
import {
  useCallback,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type FocusEvent,
  type ReactNode,
} from 'react';
import { cellPosition, gridLayout, visibleCells } from '../lib/virtualRange.ts';
import './virtualGrid.css';

export interface VirtualGridProps {
  /** Cells in all. */
  readonly count: number;
  /** Narrowest a cell may be, px; as many columns as fit (CSS auto-fill). */
  readonly minCellWidth: number;
  /** Height of every cell, px. */
  readonly rowHeight: number;
  /** Space between cells, px; default 10. */
  readonly gap?: number;
  /** Rows drawn beyond each edge of the box; default 2, from 0. */
  readonly overscan?: number;
  /** The list's accessible name. */
  readonly ariaLabel: string;
  /** The scroll box's accessible name (it takes focus to scroll by keyboard). */
  readonly scrollLabel: string;
  /** The `<ul>`'s class (its cells' look); the layout is this component's. */
  readonly className?: string;
  /** `<ol>` instead of `<ul>` (a ranked list); default false. */
  readonly ordered?: boolean;
  /**
   * Cell `index` as an `<li>`: spread `cellProps` onto it (position, data-index, aria-posinset,
   * aria-setsize); its key should be the item's own.
   */
  readonly renderCell: (index: number, cellProps: CellProps) => ReactNode;
  /** When this changes, the box scrolls back to the top (a new filter, another unit). */
  readonly resetKey?: unknown;
  /** Testing hook for the scroll box element (e2e reads its scroll height). */
  readonly testId?: string;
}

export interface CellProps {
  readonly style: CSSProperties;
  readonly 'data-index': number;
  readonly 'aria-posinset': number;
  readonly 'aria-setsize': number;
}

export function VirtualGrid({
  count,
  minCellWidth,
  rowHeight,
  gap = 10,
  overscan = 2,
  ariaLabel,
  scrollLabel,
  className,
  ordered = false,
  renderCell,
  resetKey,
  testId,
}: VirtualGridProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const [box, setBox] = useState({ width: 0, height: 0 });
  const [scrollTop, setScrollTop] = useState(0);
  const [focused, setFocused] = useState<number | null>(null);

  useLayoutEffect(() => {
    const el = boxRef.current;
    if (!el) return undefined;
    const measure = () => setBox({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // A new list (filter, unit) starts at its top.
  const lastReset = useRef(resetKey);
  useLayoutEffect(() => {
    if (Object.is(lastReset.current, resetKey)) return;
    lastReset.current = resetKey;
    if (boxRef.current) boxRef.current.scrollTop = 0;
    setScrollTop(0);
    setFocused(null);
  }, [resetKey]);

  const layout = useMemo(
    () => gridLayout(count, box.width, minCellWidth, rowHeight, gap),
    [count, box.width, minCellWidth, rowHeight, gap],
  );
  const range = visibleCells(count, layout, rowHeight, gap, scrollTop, box.height, overscan);

  const cellProps = useCallback(
    (index: number): CellProps => {
      const { top, left } = cellPosition(index, layout, rowHeight, gap);
      return {
        style: { position: 'absolute', top, left, width: layout.cellWidth, height: rowHeight },
        'data-index': index,
        'aria-posinset': index + 1,
        'aria-setsize': count,
      };
    },
    [layout, rowHeight, gap, count],
  );

  const cells: ReactNode[] = [];
  // The focused cell stays drawn (before the range, so DOM order still follows list order).
  if (focused !== null && focused < count && focused < range.start) {
    cells.push(renderCell(focused, cellProps(focused)));
  }
  for (let i = range.start; i < range.end; i++) cells.push(renderCell(i, cellProps(i)));
  if (focused !== null && focused < count && focused >= range.end) {
    cells.push(renderCell(focused, cellProps(focused)));
  }

  const onFocus = (e: FocusEvent<HTMLElement>) => {
    const cell = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
    const index = cell ? Number(cell.dataset.index) : NaN;
    setFocused(Number.isInteger(index) ? index : null);
  };
  const onBlur = (e: FocusEvent<HTMLElement>) => {
    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocused(null);
  };

  const List = ordered ? 'ol' : 'ul';
  return (
    <div
      ref={boxRef}
      className="virtual-grid-box"
      role="region"
      aria-label={scrollLabel}
      tabIndex={0}
      data-testid={testId}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <List
        className={className ? `virtual-grid ${className}` : 'virtual-grid'}
        aria-label={ariaLabel}
        style={{ height: layout.height }}
        onFocus={onFocus}
        onBlur={onBlur}
      >
        {cells}
      </List>
    </div>
  );
}
