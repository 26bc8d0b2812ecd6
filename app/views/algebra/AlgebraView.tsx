/**
 * SDR algebra and search: pick items, combine their SDRs (union, intersection, difference,
 * NOT), see the result, its size, the items that overlap it most and the concepts its units
 * are named after; and search the dataset by overlap from an item or typed text (embedded with
 * the loaded CLIP model and encoded on the map) in two stages (an overlap shortlist ranked by
 * cosine), with the ranking by overlap alone beside it and how far the two agree.
 */
import { displayLabel } from '../../lib/labelSearch.ts';
import {
  useCallback,
  useDeferredValue,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type FormEvent,
} from 'react';
import { GridCanvas, SdrThumb } from '../../components/grid/index.ts';
import { useAppStore } from '../../store/index.ts';
import { itemSdrFromEncoding, type MapEncoding } from '../../store/mapSlice.ts';
import { useUnitLabels } from '../../store/hooks.ts';
import type { DataItem } from '../../store/dataSlice.ts';
import { encodeRows } from '../../../src/index.ts';
import { useObjectUrl } from '../../lib/useObjectUrl.ts';
import { ItemSelect } from '../robustness/ItemSelect.tsx';
import { LabNotReady } from '../robustness/LabNotReady.tsx';
import { useLabEncoding } from '../robustness/useLabEncoding.ts';
import { useOverlapIndex } from '../robustness/useOverlapIndex.ts';
import {
  OPERATIONS,
  applyOperation,
  conceptsOf,
  describeOperation,
  type SetOperation,
} from './algebraOps.ts';
import {
  exactRecallCheck,
  searchBoth,
  type SearchHit,
  type SearchQuery,
  type SearchResults,
} from './search.ts';
import '../robustness/lab.css';
import './search.css';
import {
  gridSize,
  overlapNeighbours,
  type OverlapIndex,
  sdrFromSorted,
  type SDR,
} from '../../../src/index.ts';
import { errorMessage } from '../../../src/index.ts';

/** Items an operation may combine at most. */
const MAX_OPERANDS = 6;
/** Results listed per search and per algebra result. */
const TOP_N = 10;

export function AlgebraView() {
  const { encoding, readiness } = useLabEncoding();
  // Built after the view is on screen, a slice at a time, and shared with Robustness.
  const index = useOverlapIndex(encoding);
  return (
    <div className="lab-view">
      <p className="lab-intro">
        SDRs are sets of units, so they combine like sets. The union of two items holds both; what
        it is nearest to says what the map makes of the mixture. Search takes the items sharing most
        units with the query and ranks them by cosine on the stored embeddings; the ranking by
        shared units alone is shown beside it.
      </p>
      {readiness !== 'ready' || !encoding ? (
        <LabNotReady readiness={readiness === 'ready' ? 'encoding' : readiness} />
      ) : !index ? (
        <p className="muted lab-not-ready" role="status">
          Indexing the SDRs of {encoding.n.toLocaleString()} items for overlap search…
        </p>
      ) : (
        <>
          <AlgebraPanel encoding={encoding} index={index} />
          <SearchPanel encoding={encoding} index={index} />
        </>
      )}
    </div>
  );
}

function useItemLabel(): (i: number) => string {
  const items = useAppStore((s) => s.items);
  return useCallback(
    (i: number) => (items[i] ? displayLabel(items[i].label) : `item ${i + 1}`),
    [items],
  );
}

/** Row indices of the selected items (in selection order), else the first two items. */
function initialOperands(items: readonly DataItem[], selected: readonly string[]): number[] {
  const picked = selected
    .map((id) => items.findIndex((item) => item.id === id))
    .filter((i) => i >= 0)
    .slice(0, MAX_OPERANDS);
  if (picked.length >= 2) return picked;
  const first = picked[0] ?? 0;
  const second = first === 0 ? 1 : 0;
  return items.length >= 2 ? [first, second] : [first];
}

// ── Algebra ──────────────────────────────────────────────────────────────────────────────────

function AlgebraPanel({ encoding, index }: { encoding: MapEncoding; index: OverlapIndex }) {
  const items = useAppStore((s) => s.items);
  const selected = useAppStore((s) => s.selectedItemIds);
  const unitLabels = useUnitLabels();
  const labelOf = useItemLabel();
  // The expression lives in the store (share links carry it); until the person changes it, the
  // view offers the selection (or the first two items) under union.
  const algebra = useAppStore((s) => s.algebra);
  const setAlgebra = useAppStore((s) => s.setAlgebra);
  const [initial] = useState<readonly number[]>(() => initialOperands(items, selected));
  const operands = algebra?.operands ?? initial;
  const op: SetOperation = algebra?.op ?? 'union';
  const setOp = (next: SetOperation) => setAlgebra({ op: next, operands });
  const setOperands = (update: (list: readonly number[]) => number[]) =>
    setAlgebra({ op, operands: update(operands) });
  const opGroup = useId();
  const grid = encoding.map.som.grid;
  const n = encoding.n;
  const valid = useMemo(() => operands.filter((i) => i < n), [operands, n]);
  const sdrs = useMemo(
    () => valid.map((i) => itemSdrFromEncoding(encoding, grid, i)),
    [encoding, grid, valid],
  );
  const result = useMemo(() => (sdrs.length > 0 ? applyOperation(op, sdrs) : null), [op, sdrs]);
  const nearest = useMemo(
    () => (result && result.active.length > 0 ? overlapNeighbours(index, result, TOP_N) : null),
    [index, result],
  );
  const concepts = useMemo(
    () => (result ? conceptsOf(result, unitLabels, 8) : []),
    [result, unitLabels],
  );
  const names = valid.map(labelOf);
  const description = describeOperation(op, names);
  const m = gridSize(grid);

  const setOperand = (slot: number, value: number | null) =>
    setOperands((list) =>
      value === null ? [...list] : list.map((v, i) => (i === slot ? value : v)),
    );

  return (
    <section className="lab-card" aria-labelledby="algebra-title">
      <h3 id="algebra-title">Combine items</h3>
      <div className="lab-controls">
        {operands.map((value, slot) => (
          <span key={slot} className="lab-operand">
            <ItemSelect
              label={`Item ${String.fromCharCode(65 + slot)}`}
              value={value < n ? value : null}
              onChange={(i) => setOperand(slot, i)}
            />
            {operands.length > 1 && (
              <button
                type="button"
                className="lab-remove"
                aria-label={`Remove item ${String.fromCharCode(65 + slot)}`}
                onClick={() => setOperands((list) => list.filter((_, i) => i !== slot))}
              >
                ×
              </button>
            )}
          </span>
        ))}
        {operands.length < MAX_OPERANDS && n > 0 && (
          <button
            type="button"
            onClick={() => setOperands((list) => [...list, Math.min(n - 1, list.length)])}
          >
            Add an item
          </button>
        )}
      </div>
      <fieldset className="lab-choice lab-controls">
        <legend>Operation</legend>
        {OPERATIONS.map((o) => (
          <label key={o.id} title={o.hint}>
            <input
              type="radio"
              name={opGroup}
              value={o.id}
              checked={op === o.id}
              onChange={() => setOp(o.id)}
            />
            {o.label}
          </label>
        ))}
      </fieldset>
      {result && (
        <div className="lab-pair">
          <div className="lab-grid">
            <GridCanvas
              grid={grid}
              sdr={result.active}
              sdrName={description}
              labels={unitLabels}
              showLabels={false}
            />
          </div>
          <div className="lab-side">
            <p>
              <strong>{description}</strong>
            </p>
            <dl className="lab-facts">
              <div>
                <dt>Units in the result</dt>
                <dd>
                  <span data-testid="algebra-result-size">{result.active.length}</span> of {m}
                </dd>
              </div>
              {sdrs.map((s, i) => (
                <div key={i}>
                  <dt>Units of “{names[i]}”</dt>
                  <dd data-testid="algebra-operand-size">{s.active.length}</dd>
                </div>
              ))}
            </dl>
            <div className="lab-thumbs">
              {sdrs.map((s, i) => (
                <SdrThumb
                  key={i}
                  grid={grid}
                  sdr={s.active}
                  label={`SDR of '${names[i]}'`}
                  caption={names[i]}
                  size={88}
                />
              ))}
            </div>
          </div>
        </div>
      )}
      {result && (
        <div className="lab-columns">
          <div>
            <h4>Nearest items by overlap</h4>
            {nearest && nearest.ids[0] >= 0 ? (
              <ol className="lab-results" data-testid="algebra-nearest">
                {Array.from(nearest.ids)
                  .filter((id) => id >= 0)
                  .map((id, r) => (
                    <ResultRow
                      key={id}
                      item={items[id]}
                      fallback={labelOf(id)}
                      score={`shares ${nearest.overlaps[r]} of ${result.active.length}`}
                    />
                  ))}
              </ol>
            ) : (
              <p className="muted">No item shares a unit with the result.</p>
            )}
          </div>
          <div>
            <h4>Nearest concepts (unit labels)</h4>
            {concepts.length > 0 ? (
              <ol className="lab-results" data-testid="algebra-concepts">
                {concepts.map((c) => (
                  <li key={c.label}>
                    {c.label} <span className="muted">{c.units} units</span>
                  </li>
                ))}
              </ol>
            ) : (
              <p className="muted">
                {unitLabels
                  ? 'The result has no units.'
                  : 'This map has no unit labels: name its units in the Map tab.'}
              </p>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

function ResultRow({
  item,
  fallback,
  score,
}: {
  item: DataItem | undefined;
  fallback: string;
  score: string;
}) {
  const url = useObjectUrl(item?.thumbnail);
  return (
    <li>
      {url && <img className="lab-result-thumb" src={url} alt="" width={28} height={28} />}
      {item?.label ?? fallback} <span className="muted">{score}</span>
    </li>
  );
}

// ── Search ───────────────────────────────────────────────────────────────────────────────────

type SearchSource = 'item' | 'text';

interface TextQuery {
  readonly text: string;
  readonly vector: Float32Array;
}

/** Milliseconds of the exact recall check per task before the page gets its thread back. */
const RECALL_SLICE_MS = 8;

/**
 * The two stages' recall against brute force over every item, measured after the lists are on
 * screen, a slice of rows per task (search.ts exactRecallCheck), so a search at 100,000 items
 * shows its lists at once and never blocks the page; null until done.
 */
function useExactRecall(
  results: SearchResults | null,
  embeddings: Float32Array,
  n: number,
  d: number,
  query: SearchQuery | null,
): number | null {
  const [recall, setRecall] = useState<{ of: SearchResults; value: number } | null>(null);
  useEffect(() => {
    if (!results || !query || results.mode !== 'rerank' || results.dense.length === 0) return;
    const check = exactRecallCheck(embeddings, n, d, query, results.dense);
    let timer = 0;
    const run = () => {
      const t0 = performance.now();
      for (;;) {
        if (check.step()) {
          setRecall({ of: results, value: check.recall() });
          return;
        }
        if (performance.now() - t0 >= RECALL_SLICE_MS) break;
      }
      timer = window.setTimeout(run, 0);
    };
    // Not in this task: it may be the one that draws the lists (a tab opened, a query typed).
    timer = window.setTimeout(run, 0);
    return () => window.clearTimeout(timer);
  }, [results, embeddings, n, d, query]);
  return recall && recall.of === results ? recall.value : null;
}

/** How far the two lists agree, and what the two stages cost against brute force. */
function SearchAgreement({
  results,
  exactRecall,
}: {
  results: SearchResults;
  exactRecall: number | null;
}) {
  if (results.mode !== 'rerank' || results.dense.length === 0) return null;
  const width = Math.max(results.dense.length, results.overlap.length);
  const shared = Math.round(results.agreement * width);
  const fewer = results.shortlist > 0 ? results.items / results.shortlist : Number.NaN;
  return (
    <p className="lab-agreement" data-testid="search-agreement">
      The two lists share <strong>{shared}</strong> of {width} items (overlap@{width}{' '}
      {results.agreement.toFixed(2)}). The two-stage list holds{' '}
      {exactRecall === null
        ? '(checking against every item…)'
        : Math.round(exactRecall * results.dense.length)}{' '}
      of the {results.dense.length} nearest by cosine over every item, after cosine on a shortlist
      of {results.shortlist} of {results.items} items
      {fewer >= 1.05 ? ` (${fewer.toFixed(1)}× fewer dot products than brute force)` : ''}. The
      overlap ranking alone is what the SDR gives without the embeddings: a 2-D map is too coarse to
      order close neighbours, and many items tie.
    </p>
  );
}

function SearchPanel({ encoding, index }: { encoding: MapEncoding; index: OverlapIndex }) {
  const items = useAppStore((s) => s.items);
  const notify = useAppStore((s) => s.notify);
  const embedQuery = useAppStore((s) => s.embedQuery);
  const unitLabels = useUnitLabels();
  const labelOf = useItemLabel();
  // The typed text lives in the store (share links carry it as q=).
  const draft = useAppStore((s) => s.searchText);
  const setDraft = useAppStore((s) => s.setSearchText);
  const [source, setSource] = useState<SearchSource>(() => (draft ? 'text' : 'item'));
  const [itemIndex, setItemIndex] = useState<number>(0);
  const [textQuery, setTextQuery] = useState<TextQuery | null>(null);
  const [embedding, setEmbedding] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const request = useRef(0);
  const sourceGroup = useId();
  const textId = useId();
  const { grid, dim: d } = encoding.map.som;
  const k = encoding.k;
  const item = Math.min(itemIndex, encoding.n - 1);

  // A typed query was embedded for one map; another map may have another dimension.
  useEffect(() => {
    if (textQuery && textQuery.vector.length !== d) setTextQuery(null);
  }, [textQuery, d]);

  const query = useMemo((): {
    sdr: SDR;
    vector: Float32Array;
    exclude: number;
    name: string;
  } | null => {
    if (source === 'item') {
      return {
        sdr: itemSdrFromEncoding(encoding, grid, item),
        vector: encoding.embeddings.subarray(item * d, (item + 1) * d),
        exclude: item,
        name: labelOf(item),
      };
    }
    if (!textQuery || textQuery.vector.length !== d) return null;
    // One row encodes in well under a millisecond: it follows K and the map at once.
    const sdr = sdrFromSorted(grid, encodeRows(encoding.map, textQuery.vector, 1, k).active);
    return { sdr, vector: textQuery.vector, exclude: -1, name: textQuery.text };
  }, [source, encoding, grid, item, d, k, textQuery, labelOf]);

  // The search follows the controls one render later, in a task of its own: the view's first
  // open draws the view and then the search, rather than both in one task (at 100,000 items the
  // first search took ~35 ms before V8 had optimised it, on top of the view's first layout: one
  // 80–110 ms task). A new query's block replaces the last one's whole when it is ready.
  const searched = useDeferredValue(query, null);
  const results = useMemo(
    () =>
      searched ? searchBoth(index, encoding.embeddings, encoding.n, d, searched, TOP_N) : null,
    [index, encoding, d, searched],
  );
  const exactRecall = useExactRecall(results, encoding.embeddings, encoding.n, d, searched);
  const concepts = useMemo(
    () => (searched ? conceptsOf(searched.sdr, unitLabels, 4) : []),
    [searched, unitLabels],
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text) {
      setProblem('Type something to search for.');
      return;
    }
    const mine = ++request.current;
    setEmbedding(true);
    setProblem(null);
    try {
      const vector = await embedQuery(text);
      if (mine !== request.current) return;
      if (vector.length !== d) {
        throw new Error(
          `The model gives ${vector.length}-dimensional embeddings but the map has ${d}: load the map's model.`,
        );
      }
      setTextQuery({ text, vector });
    } catch (error) {
      if (mine !== request.current) return;
      const text = errorMessage(error);
      setProblem(text);
      notify('error', `Could not search for that text: ${text}`);
    } finally {
      if (mine === request.current) setEmbedding(false);
    }
  };

  return (
    <section className="lab-card" aria-labelledby="search-title">
      <h3 id="search-title">Search</h3>
      <fieldset className="lab-choice lab-controls">
        <legend>Search from</legend>
        <label>
          <input
            type="radio"
            name={sourceGroup}
            checked={source === 'item'}
            onChange={() => setSource('item')}
          />
          an item
        </label>
        <label>
          <input
            type="radio"
            name={sourceGroup}
            checked={source === 'text'}
            onChange={() => setSource('text')}
          />
          typed text
        </label>
      </fieldset>
      {source === 'item' ? (
        <div className="lab-controls">
          <ItemSelect label="Query item" value={item} onChange={(i) => setItemIndex(i ?? 0)} />
        </div>
      ) : (
        <form className="lab-controls" onSubmit={(e) => void submit(e)}>
          <label htmlFor={textId}>Search text</label>
          <input
            id={textId}
            className="lab-text"
            type="search"
            value={draft}
            placeholder="e.g. a dog on a beach"
            onChange={(e) => setDraft(e.target.value)}
          />
          <button type="submit" disabled={embedding}>
            {embedding ? 'Embedding…' : 'Search'}
          </button>
          <span className="muted">
            The text is embedded with the loaded CLIP model and placed on the map: text finds images
            through the map.
          </span>
        </form>
      )}
      {problem && (
        <p className="lab-error" role="alert">
          {problem}
        </p>
      )}
      {query && !results && <p className="muted">Searching…</p>}
      {query && searched && results && (
        <>
          <div className="lab-query">
            <SdrThumb
              grid={grid}
              sdr={searched.sdr.active}
              label={`SDR of '${searched.name}'`}
              size={88}
            />
            <p>
              Query <strong>“{searched.name}”</strong>: {searched.sdr.active.length} units
              {concepts.length > 0 && (
                <span className="muted"> · around {concepts.map((c) => c.label).join(', ')}</span>
              )}
            </p>
          </div>
          <SearchAgreement results={results} exactRecall={exactRecall} />
          <div className="lab-columns">
            <div>
              <h4>
                {results.mode === 'rerank'
                  ? 'Two stages: overlap shortlist, ranked by cosine'
                  : 'By overlap (this map holds no embeddings)'}
              </h4>
              {results.mode === 'rerank' ? (
                <ol className="lab-results" data-testid="search-dense-results">
                  {results.dense.map((h: SearchHit) => (
                    <ResultRow
                      key={h.index}
                      item={items[h.index]}
                      fallback={labelOf(h.index)}
                      score={`cosine ${h.score.toFixed(3)}`}
                    />
                  ))}
                </ol>
              ) : (
                <p className="muted" data-testid="search-overlap-only">
                  Search is overlap only here: there are no stored embeddings to rank the overlap
                  shortlist with, so the list beside is all there is.
                </p>
              )}
            </div>
            <div>
              <h4>Overlap alone: what the SDR gives (shared units of {k})</h4>
              {results.overlap.length > 0 ? (
                <ol className="lab-results" data-testid="search-overlap-results">
                  {results.overlap.map((h: SearchHit) => (
                    <ResultRow
                      key={h.index}
                      item={items[h.index]}
                      fallback={labelOf(h.index)}
                      score={`${h.score}`}
                    />
                  ))}
                </ol>
              ) : (
                <p className="muted" data-testid="search-overlap-empty">
                  No item shares a unit with the query.
                </p>
              )}
            </div>
          </div>
        </>
      )}
      {source === 'text' && !query && !embedding && (
        <p className="muted">Type a description and press Search.</p>
      )}
    </section>
  );
}
