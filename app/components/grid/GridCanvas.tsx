/**
 * A SOM grid on a canvas: an underlay of per-unit values, one or two SDRs, region labels, and
 * hover / keyboard focus with a tooltip. Props are plain typed arrays; nothing is copied.
 *
 * Three stacked canvases, each redrawn only when what it shows changes: cells (the underlay,
 * painted from a per-pixel cell map made once per size), marks (SDR cells and labels), and the
 * interactive top one (hover, focus and selection rings, redrawn in a requestAnimationFrame).
 * Pointer moves never re-render React: interaction state lives in refs, and the tooltip is
 * filled in place.
 */
import {
  useCallback,
  useEffect,
  useId,
  useImperativeHandle,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
  type Ref,
} from 'react';
import {
  gridExtent,
  isFocusKey,
  layoutCells,
  moveFocus,
  unitAt,
  type CellLayout,
} from './geometry.ts';
import {
  drawCells,
  drawHighlights,
  drawMarks,
  fitCanvas,
  labelFont,
  cachedPixelCells,
  preparePixelCells,
  type PixelCells,
} from './drawGrid.ts';
import { labelAnchors, labelFontSize, placeLabels, type PlacedLabel } from './labels.ts';
import { notePictureDrawn } from '../../lib/firstPicture.ts';
import {
  describeScene,
  formatValue,
  markName,
  resolveMarks,
  resolveScene,
  resolveUnderlay,
  type GridScene,
  type SceneNames,
} from './scene.ts';
import { gridToPng, gridToSvg, type ExportOptions } from './exportImage.ts';
import './grid.css';

/** What an export adds to or changes from the picture on screen (see ExportOptions). */
export type PictureExtras = Pick<
  ExportOptions,
  'title' | 'heading' | 'legend' | 'marker' | 'showLabels'
>;

/** What a parent can do with a mounted GridCanvas (through its `ref`). */
export interface GridCanvasHandle {
  /** The picture as it is shown now, as a standalone SVG document. */
  toSvg(options?: PictureExtras): string;
  /**
   * The picture as it is shown now, as a PNG at `scale` device pixels per CSS pixel (default
   * 2), with `options`' heading, legend and marker around it.
   */
  toPng(scale?: number, options?: PictureExtras): Promise<Blob>;
  /** Give the map keyboard focus with its focus cell on `unit`. */
  focusUnit(unit: number): void;
  /** Centre of a unit in CSS pixels from the canvas's top-left corner; null before first layout. */
  unitCenter(unit: number): { x: number; y: number } | null;
}

export interface GridCanvasProps extends GridScene, SceneNames {
  /** Draw the region labels (when `labels` is given); default true. */
  readonly showLabels?: boolean;
  /** Per-unit priority among equal-size label regions (e.g. hit counts); default none. */
  readonly labelPriority?: Float32Array | null;
  /** Accessible name; default a description of the scene ("SDR of 'cat': 20 of 1024 …"). */
  readonly ariaLabel?: string;
  /** Extra tooltip lines for a unit (e.g. hits, top items); called only for the shown unit. */
  readonly tooltipExtra?: (unit: number) => readonly string[];
  /** Called when a unit is clicked, or chosen with Enter or Space. */
  readonly onUnitClick?: (unit: number) => void;
  /** A unit to keep ringed (e.g. the one last clicked); default none. */
  readonly selectedUnit?: number | null;
  /** Height in CSS pixels; default the grid's own aspect ratio at the container's width. */
  readonly height?: number;
  /** Margin around the grid in CSS pixels; default 4, at least 0. */
  readonly padding?: number;
  readonly className?: string;
  readonly ref?: Ref<GridCanvasHandle>;
}

interface Interaction {
  hover: number;
  pointerX: number;
  pointerY: number;
  focus: number;
  hasFocus: boolean;
  /** Focus came from the keyboard (draw the focus ring and its tooltip), as :focus-visible. */
  keyboard: boolean;
  pointerDown: boolean;
  /** Escape hid the tooltip until the next move. */
  dismissed: boolean;
}

function usePixelRatio(): number {
  const [dpr, setDpr] = useState(() =>
    typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1,
  );
  useEffect(() => {
    // A media query on the current ratio fires when the window moves to another screen or zooms.
    const mq = window.matchMedia(`(resolution: ${dpr}dppx)`);
    const update = () => setDpr(window.devicePixelRatio || 1);
    mq.addEventListener('change', update);
    return () => mq.removeEventListener('change', update);
  }, [dpr]);
  return dpr;
}

export function GridCanvas(props: GridCanvasProps) {
  const {
    grid,
    values,
    domain,
    scheme,
    sdr,
    compareSdr,
    sdrStyle,
    dimUnderlay,
    labels,
    showLabels = true,
    labelPriority,
    sdrName,
    compareName,
    valueLabel,
    ariaLabel,
    selectedUnit,
    height,
    padding = 4,
    className,
    ref,
  } = props;

  const containerRef = useRef<HTMLDivElement>(null);
  const cellsRef = useRef<HTMLCanvasElement>(null);
  const marksRef = useRef<HTMLCanvasElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const tooltipRef = useRef<HTMLDivElement>(null);
  const liveRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const dpr = usePixelRatio();
  const liveId = useId();

  // Resolved in parts, so a new SDR never recomputes (or repaints) the underlay.
  const underlay = useMemo(() => resolveUnderlay(grid, values, domain), [grid, values, domain]);
  const marks = useMemo(() => resolveMarks(grid, sdr, compareSdr), [grid, sdr, compareSdr]);
  const resolved = useMemo(
    () =>
      resolveScene(
        { grid, values, domain, scheme, sdr, compareSdr, sdrStyle, dimUnderlay, labels },
        { underlay, marks },
      ),
    [grid, values, domain, scheme, sdr, compareSdr, sdrStyle, dimUnderlay, labels, underlay, marks],
  );
  const colorIndex = underlay.colorIndex;
  const lut = resolved.lut;
  // The layout follows the grid's shape, not its identity: a training run sends a new grid
  // object with every preview, and a new layout would mean a new per-pixel cell map.
  const { rows, cols, topology } = grid;
  const layout = useMemo<CellLayout | null>(
    () =>
      size.w > 2 * padding + 1 && size.h > 2 * padding + 1
        ? layoutCells({ rows, cols, topology }, size.w, size.h, { padding })
        : null,
    [rows, cols, topology, size.w, size.h, padding],
  );
  // The per-pixel cell map: made once per size, it makes every redraw a single pixel pass. Until
  // it is made (in slices, by the effect below) the cells are drawn as paths.
  const [made, setMade] = useState<{ layout: CellLayout; dpr: number; cells: PixelCells } | null>(
    null,
  );
  const pixelCells = useMemo(() => {
    if (!layout) return null;
    if (made?.layout === layout && made.dpr === dpr) return made.cells;
    return cachedPixelCells(layout, dpr);
  }, [layout, dpr, made]);
  useEffect(() => {
    if (!layout || pixelCells) return;
    const stop = new AbortController();
    void preparePixelCells(layout, dpr, stop.signal).then((ready) => {
      const cells = ready ? cachedPixelCells(layout, dpr) : null;
      if (cells) setMade({ layout, dpr, cells });
    });
    return () => stop.abort();
  }, [layout, dpr, pixelCells]);
  // What the labels are made from; their anchors are found with their placement (below).
  const labelSource = useMemo(
    () => (showLabels && labels ? { grid, labels, labelPriority } : null),
    [grid, labels, labelPriority, showLabels],
  );
  const names = useMemo(
    () => ({ sdrName, compareName, valueLabel }),
    [sdrName, compareName, valueLabel],
  );
  const description = useMemo(() => describeScene(resolved, names), [resolved, names]);

  // The latest props and derived values, for event handlers and rAF callbacks.
  const latest = useRef({ props, resolved, layout, names, dpr });
  useLayoutEffect(() => {
    latest.current = { props, resolved, layout, names, dpr };
  });
  const interaction = useRef<Interaction>({
    hover: -1,
    pointerX: 0,
    pointerY: 0,
    focus: -1,
    hasFocus: false,
    keyboard: false,
    pointerDown: false,
    dismissed: false,
  });
  const frame = useRef(0);
  // Whether the marks and the rings layers have drawn anything yet. Until then they keep the
  // browser's default size: sizing a canvas allocates its pixels (10–50 ms of the page's thread
  // per layer where canvases are drawn in software), and a map being trained shows neither SDR
  // marks, labels nor rings.
  const layersUsed = useRef({ marks: false, overlay: false });

  // Track the container's size.
  useLayoutEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const measure = (w: number, h: number) =>
      setSize((s) => (Math.abs(s.w - w) < 0.5 && Math.abs(s.h - h) < 0.5 ? s : { w, h }));
    const rect = el.getBoundingClientRect();
    measure(rect.width, rect.height);
    const ro = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1].contentRect;
      measure(box.width, box.height);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // The underlay layer: repainted only when the values, the colours or the size change.
  useLayoutEffect(() => {
    const canvas = cellsRef.current;
    if (!canvas || !layout) return;
    const ctx = fitCanvas(canvas, layout.width, layout.height, dpr);
    drawCells(ctx, layout, { colorIndex, lut }, { pixels: pixelCells ?? undefined });
  }, [layout, dpr, pixelCells, colorIndex, lut]);

  // The labels as last placed, for the source and layout they were placed for: a redraw for
  // new SDR marks (a K move, another item) reuses them.
  const placedLabels = useRef<{
    source: typeof labelSource;
    layout: CellLayout;
    placed: PlacedLabel[];
  } | null>(null);

  // The SDR and label layer: a few paths over a transparent canvas.
  useLayoutEffect(() => {
    const canvas = marksRef.current;
    if (!canvas || !layout) return;
    const fontSize = labelFontSize(layout);
    const draw = (placed: PlacedLabel[] | undefined) => {
      layersUsed.current.marks = true;
      const ctx = fitCanvas(canvas, layout.width, layout.height, dpr);
      ctx.clearRect(0, 0, layout.width, layout.height);
      drawMarks(ctx, layout, resolved, { labels: placed, fontSize });
      // For `npm run bench` (bench/firstVisit.ts): when a labelled grid first reaches the screen.
      if (placed && placed.length > 0) {
        performance.mark('sdr:grid:labelled', { detail: placed.length });
        notePictureDrawn();
      }
    };
    const last = placedLabels.current;
    const known = last?.source === labelSource && last.layout === layout ? last.placed : undefined;
    const marks = resolved.hasSdr || resolved.hasCompare;
    if (!labelSource || known) {
      // A layer with nothing on it yet is left unsized (see layersUsed).
      if ((known && known.length > 0) || marks || layersUsed.current.marks) draw(known);
      return;
    }
    // New labels: the marks now, and the labels (finding their anchors and placing them, which
    // measures every name: 20–40 ms for a 32×32 map's) in a task of their own, so a new map's
    // first frame is not one long task.
    if (marks || layersUsed.current.marks) draw(undefined);
    const timer = setTimeout(() => {
      const anchors = labelAnchors(labelSource.grid, labelSource.labels, labelSource.labelPriority);
      let placed: PlacedLabel[] = [];
      if (anchors.length > 0) {
        const ctx = fitCanvas(canvas, layout.width, layout.height, dpr);
        ctx.font = labelFont(fontSize);
        placed = placeLabels(anchors, layout, {
          fontSize,
          measure: (t) => ctx.measureText(t).width,
        });
      }
      placedLabels.current = { source: labelSource, layout, placed };
      if (placed.length > 0 || marks || layersUsed.current.marks) draw(placed);
    }, 0);
    return () => clearTimeout(timer);
  }, [layout, dpr, resolved, labelSource]);

  const tooltipLines = useCallback((unit: number): string[] => {
    const { props: p, resolved: r, names: n } = latest.current;
    const cols = p.grid.cols;
    const lines = [`Unit ${unit} · row ${Math.floor(unit / cols)}, col ${unit % cols}`];
    const label = p.labels?.[unit]?.trim();
    if (label) lines.push(label);
    if (p.values) lines.push(`${n.valueLabel ?? 'value'}: ${formatValue(p.values[unit])}`);
    if (r.hasSdr || r.hasCompare) lines.push(markName(r.state[unit], n.sdrName, n.compareName));
    if (p.tooltipExtra) lines.push(...p.tooltipExtra(unit));
    return lines;
  }, []);

  /** Redraw the rings and the tooltip (at most once per frame). */
  const paintInteraction = useCallback(() => {
    frame.current = 0;
    const { layout: l, props: p, dpr: ratio } = latest.current;
    const canvas = overlayRef.current;
    const tip = tooltipRef.current;
    if (!canvas || !tip || !l) return;
    const s = interaction.current;
    const m = l.centers.length / 2;
    const showFocus = s.hasFocus && s.keyboard && s.focus >= 0 && s.focus < m;
    const selected = p.selectedUnit ?? -1;
    const rings = {
      hover: s.hover < m ? s.hover : -1,
      focus: showFocus ? s.focus : -1,
      selected: selected >= 0 && selected < m ? selected : -1,
    };
    // No ring has been drawn yet and none is due: the layer stays unsized (see layersUsed).
    if (layersUsed.current.overlay || rings.hover >= 0 || rings.focus >= 0 || rings.selected >= 0) {
      layersUsed.current.overlay = true;
      drawHighlights(fitCanvas(canvas, l.width, l.height, ratio), l, rings);
    }

    let unit = -1;
    let ax = 0;
    let ay = 0;
    let gapX = 14;
    if (s.hover >= 0 && s.hover < m) {
      unit = s.hover;
      ax = s.pointerX;
      ay = s.pointerY;
    } else if (showFocus && !s.dismissed) {
      unit = s.focus;
      ax = l.centers[2 * unit];
      ay = l.centers[2 * unit + 1];
      gapX = l.cellWidth / 2 + 8;
    }
    if (unit < 0) {
      tip.hidden = true;
      return;
    }
    const lines = tooltipLines(unit);
    tip.replaceChildren(
      ...lines.map((text, k) => {
        const div = document.createElement('div');
        div.className = k === 0 ? 'grid-tooltip-title' : 'grid-tooltip-line';
        div.textContent = text;
        return div;
      }),
    );
    tip.hidden = false;
    const tw = tip.offsetWidth;
    const th = tip.offsetHeight;
    let x = ax + gapX;
    if (x + tw > l.width && ax - gapX - tw >= 0) x = ax - gapX - tw;
    const y = Math.max(0, Math.min(ay - th / 2, l.height - th));
    tip.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
  }, [tooltipLines]);

  const schedule = useCallback(() => {
    if (!frame.current) frame.current = requestAnimationFrame(paintInteraction);
  }, [paintInteraction]);

  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  // Keep the interactive layer in step with size, scene and selection.
  useLayoutEffect(() => {
    const s = interaction.current;
    const m = resolved.m;
    if (s.focus >= m) s.focus = m - 1;
    if (s.hover >= m) s.hover = -1;
    cancelAnimationFrame(frame.current);
    paintInteraction();
  }, [layout, resolved, selectedUnit, dpr, paintInteraction]);

  const announce = useCallback(
    (unit: number) => {
      if (liveRef.current) liveRef.current.textContent = tooltipLines(unit).join('. ');
    },
    [tooltipLines],
  );

  const setFocusUnit = useCallback(
    (unit: number) => {
      const s = interaction.current;
      s.focus = unit;
      s.keyboard = true;
      s.dismissed = false;
      s.hover = -1;
      announce(unit);
      schedule();
    },
    [announce, schedule],
  );

  const pointerUnit = (e: PointerEvent<HTMLCanvasElement>) => {
    const l = latest.current.layout;
    if (!l) return { unit: -1, x: 0, y: 0 };
    const rect = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    return { unit: unitAt(l, x, y), x, y };
  };

  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const { unit, x, y } = pointerUnit(e);
    const s = interaction.current;
    s.pointerX = x;
    s.pointerY = y;
    if (unit !== s.hover || unit >= 0) {
      s.hover = unit;
      schedule();
    }
  };

  const onPointerLeave = () => {
    interaction.current.hover = -1;
    schedule();
  };

  const onPointerDown = () => {
    interaction.current.pointerDown = true;
    interaction.current.keyboard = false;
  };

  const onClick = (e: MouseEvent<HTMLCanvasElement>) => {
    interaction.current.pointerDown = false;
    const l = latest.current.layout;
    if (!l) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const unit = unitAt(l, e.clientX - rect.left, e.clientY - rect.top);
    if (unit < 0) return;
    interaction.current.focus = unit;
    schedule();
    latest.current.props.onUnitClick?.(unit);
  };

  const defaultFocus = () => {
    const p = latest.current.props;
    const sel = p.selectedUnit ?? -1;
    if (sel >= 0 && sel < resolved.m) return sel;
    if (p.sdr && p.sdr.length > 0) return p.sdr[0];
    return 0;
  };

  const onFocus = () => {
    const s = interaction.current;
    s.hasFocus = true;
    if (s.focus < 0) s.focus = defaultFocus();
    // As :focus-visible: a click focuses without the keyboard ring; Tab shows it.
    s.keyboard = !s.pointerDown;
    s.dismissed = false;
    if (s.keyboard) announce(s.focus);
    schedule();
  };

  const onBlur = () => {
    const s = interaction.current;
    s.hasFocus = false;
    s.pointerDown = false;
    schedule();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const s = interaction.current;
    if (e.altKey || e.metaKey || e.ctrlKey) return;
    if (s.focus < 0) s.focus = defaultFocus();
    if (isFocusKey(e.key)) {
      e.preventDefault();
      setFocusUnit(moveFocus(grid, s.focus, e.key));
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      setFocusUnit(s.focus);
      latest.current.props.onUnitClick?.(s.focus);
    } else if (e.key === 'Escape' && !s.dismissed) {
      s.dismissed = true;
      s.hover = -1;
      schedule();
    }
  };

  useImperativeHandle(
    ref,
    () => ({
      toSvg: (options = {}) => {
        const { props: p, layout: l, names: n } = latest.current;
        const probe = document.createElement('canvas').getContext('2d');
        return gridToSvg(p, {
          ...n,
          width: l ? l.width : undefined,
          height: l ? l.height : undefined,
          padding,
          showLabels: p.showLabels ?? true,
          labelPriority: p.labelPriority,
          ...options,
          title: options.title ?? p.ariaLabel,
          measure: probe
            ? (t, fontSize) => {
                probe.font = labelFont(fontSize);
                return probe.measureText(t).width;
              }
            : undefined,
        });
      },
      toPng: (scale = 2, options = {}) => {
        const { props: p, layout: l, names: n } = latest.current;
        return gridToPng(p, {
          ...n,
          width: l ? l.width : undefined,
          height: l ? l.height : undefined,
          padding,
          showLabels: p.showLabels ?? true,
          labelPriority: p.labelPriority,
          ...options,
          scale,
        });
      },
      focusUnit: (unit: number) => {
        if (!Number.isInteger(unit) || unit < 0 || unit >= latest.current.resolved.m) {
          throw new RangeError(
            `focus unit must be an integer from 0 to ${latest.current.resolved.m - 1}, got ${unit}`,
          );
        }
        interaction.current.pointerDown = false;
        overlayRef.current?.focus();
        setFocusUnit(unit);
      },
      unitCenter: (unit: number) => {
        const l = latest.current.layout;
        if (!l || unit < 0 || unit >= l.centers.length / 2) return null;
        return { x: l.centers[2 * unit], y: l.centers[2 * unit + 1] };
      },
    }),
    [padding, setFocusUnit],
  );

  const ext = gridExtent(grid);
  const style =
    height !== undefined
      ? { height: `${height}px` }
      : { aspectRatio: `${ext.width.toFixed(3)} / ${ext.height.toFixed(3)}` };

  return (
    <div
      ref={containerRef}
      className={className ? `grid-canvas ${className}` : 'grid-canvas'}
      style={style}
    >
      <canvas ref={cellsRef} className="grid-canvas-cells" aria-hidden="true" />
      <canvas ref={marksRef} className="grid-canvas-marks" aria-hidden="true" />
      <canvas
        ref={overlayRef}
        className="grid-canvas-overlay"
        tabIndex={0}
        role="img"
        aria-label={ariaLabel ?? description}
        aria-describedby={liveId}
        onPointerMove={onPointerMove}
        onPointerLeave={onPointerLeave}
        onPointerDown={onPointerDown}
        onClick={onClick}
        onFocus={onFocus}
        onBlur={onBlur}
        onKeyDown={onKeyDown}
      />
      <div ref={tooltipRef} className="grid-tooltip" role="tooltip" hidden />
      <div ref={liveRef} id={liveId} className="grid-sr-only" aria-live="polite" />
    </div>
  );
}
