import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useAppStore } from '../../store/index.ts';
import { describeMapSource } from '../../store/mapSlice.ts';
import type { SavedMapMeta } from '../../db/maps.ts';
import { ConfirmDialog } from '../data/ConfirmDialog.tsx';
import { describeMapShape, formatSize } from './mapExport.ts';
import { downloadBytes } from './download.ts';
import { ShareSection } from './ShareSection.tsx';
import { describeLinkPrecision } from '../../../src/index.ts';

/**
 * Saved maps and sharing: save the current map in this browser, list, open, rename and delete
 * saved maps, download and upload .sdrmap files, open a map from a web address, and copy links.
 */
export function LibraryView() {
  const loadLibrary = useAppStore((s) => s.loadLibrary);
  useEffect(() => {
    void loadLibrary();
  }, [loadLibrary]);
  return (
    <div className="library">
      <CurrentMapCard />
      <ShareSection />
      <SavedMaps />
      <OpenMap />
    </div>
  );
}

// ── The current map: save, download, its items ─────────────────────────────────────────────

function CurrentMapCard() {
  const map = useAppStore((s) => s.map);
  const source = useAppStore((s) => s.mapSource);
  const linkInfo = useAppStore((s) => s.linkInfo);
  const itemCount = useAppStore((s) => s.items.length);
  const hasThumbnails = useAppStore((s) => s.items.some((i) => i.thumbnail !== undefined));
  const saveCurrentMap = useAppStore((s) => s.saveCurrentMap);
  const exportCurrentMap = useAppStore((s) => s.exportCurrentMap);
  const addMapItemsToData = useAppStore((s) => s.addMapItemsToData);
  const notify = useAppStore((s) => s.notify);
  const [name, setName] = useState('');
  const [embeddings, setEmbeddings] = useState(true);
  const [thumbnails, setThumbnails] = useState(false);
  const [busy, setBusy] = useState(false);
  const nameId = useId();

  if (!map) {
    return (
      <section className="library-card" aria-labelledby="library-current-title">
        <h3 id="library-current-title">Current map</h3>
        <p className="muted">
          No map yet: open the built-in concept atlas or train a map in the Map view, or open a
          saved map or a .sdrmap file below.
        </p>
      </section>
    );
  }

  const options = { embeddings, thumbnails };
  const onSave = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const saved = await saveCurrentMap(name.trim() || map.name, options);
      if (saved) setName('');
    } finally {
      setBusy(false);
    }
  };
  const onDownload = async () => {
    setBusy(true);
    try {
      const file = await exportCurrentMap(options);
      if (file) downloadBytes(file.bytes, file.fileName);
    } finally {
      setBusy(false);
    }
  };
  const carried = map.items?.labels.length ?? 0;
  const canAddItems =
    carried > 0 &&
    map.items?.embeddings !== undefined &&
    !(itemCount === carried && sameLabels(map.items.labels));

  return (
    <section className="library-card" aria-labelledby="library-current-title">
      <h3 id="library-current-title">Current map</h3>
      <p className="library-map-name">{map.name}</p>
      <p className="muted">
        {describeMapShape(map)} · {describeMapSource(source)}
        {linkInfo ? ` · ${describeLinkPrecision(linkInfo.precision)}` : ''}
      </p>
      <form className="library-save" onSubmit={(e) => void onSave(e)}>
        <label htmlFor={nameId}>Map name</label>
        <input
          id={nameId}
          type="text"
          maxLength={200}
          placeholder={map.name}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
        />
        <fieldset className="library-options">
          <legend>
            With your {itemCount === 1 ? 'item' : `${itemCount} items`}&apos; labels and SDRs, and
          </legend>
          <label>
            <input
              type="checkbox"
              checked={embeddings}
              onChange={(e) => setEmbeddings(e.currentTarget.checked)}
            />
            their embeddings (to place them again or train on them)
          </label>
          <label>
            <input
              type="checkbox"
              checked={thumbnails}
              disabled={!hasThumbnails}
              onChange={(e) => setThumbnails(e.currentTarget.checked)}
            />
            their thumbnails
          </label>
        </fieldset>
        <div className="library-actions">
          <button type="submit" disabled={busy}>
            Save in this browser
          </button>
          <button type="button" disabled={busy} onClick={() => void onDownload()}>
            Download .sdrmap
          </button>
        </div>
      </form>
      {carried > 0 && map.items?.embeddings === undefined && (
        <p className="muted">
          This map carries {carried} items&apos; labels and SDRs but not their embeddings, so they
          cannot be placed on the map again.
        </p>
      )}
      {canAddItems && (
        <p>
          <button
            type="button"
            onClick={() =>
              void addMapItemsToData().then((added) => {
                if (added > 0) notify('info', `Added the map's ${added} items to your data.`);
              })
            }
          >
            Add the map&apos;s {carried} items to your data
          </button>
        </p>
      )}
    </section>
  );
}

function sameLabels(labels: readonly string[]): boolean {
  const items = useAppStore.getState().items;
  return labels.every((label, i) => items[i]?.label === label);
}

// ── Saved maps ─────────────────────────────────────────────────────────────────────────────

function SavedMaps() {
  const maps = useAppStore((s) => s.savedMaps);
  const status = useAppStore((s) => s.libraryStatus);
  const [deleting, setDeleting] = useState<SavedMapMeta | null>(null);
  const deleteSavedMap = useAppStore((s) => s.deleteSavedMap);
  return (
    <section className="library-card" aria-labelledby="library-saved-title">
      <h3 id="library-saved-title">Saved in this browser</h3>
      {status === 'loading' && <p className="muted">Reading the library…</p>}
      {status === 'unavailable' && (
        <p className="muted">This browser cannot keep maps here; download them as files instead.</p>
      )}
      {status === 'ready' && maps.length === 0 && (
        <p className="muted">Nothing saved yet. Saved maps stay in this browser only.</p>
      )}
      {maps.length > 0 && (
        <ul className="library-list" aria-label="Saved maps">
          {maps.map((m) => (
            <SavedMapRow key={m.id} meta={m} onDelete={() => setDeleting(m)} />
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this saved map?"
        message={
          deleting
            ? `"${deleting.name}" (${formatSize(deleting.bytes)}) will be removed from this browser. Maps on screen, downloaded files and links are not affected.`
            : ''
        }
        confirmLabel="Delete map"
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          const target = deleting;
          setDeleting(null);
          if (target) void deleteSavedMap(target.id);
        }}
      />
    </section>
  );
}

function SavedMapRow({ meta, onDelete }: { meta: SavedMapMeta; onDelete: () => void }) {
  const openSavedMap = useAppStore((s) => s.openSavedMap);
  const renameSavedMap = useAppStore((s) => s.renameSavedMap);
  const current = useAppStore((s) => s.mapSource?.kind === 'library' && s.mapSource.id === meta.id);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(meta.name);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (editing) inputRef.current?.select();
  }, [editing]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await renameSavedMap(meta.id, draft)) setEditing(false);
  };
  const when = new Date(meta.savedAt);
  const details = `${meta.grid.rows}×${meta.grid.cols} ${meta.grid.topology}, ${meta.dim}-d, ${
    meta.itemCount === 1 ? '1 item' : `${meta.itemCount} items`
  }${meta.withEmbeddings ? ' with embeddings' : ''}${meta.withThumbnails ? ' and thumbnails' : ''}`;
  return (
    <li className={current ? 'library-row current' : 'library-row'}>
      {editing ? (
        <form className="library-rename" onSubmit={(e) => void submit(e)}>
          <input
            ref={inputRef}
            type="text"
            aria-label={`New name for ${meta.name}`}
            maxLength={200}
            value={draft}
            onChange={(e) => setDraft(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                setDraft(meta.name);
                setEditing(false);
              }
            }}
          />
          <button type="submit">Save name</button>
          <button type="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="library-row-main">
          <span className="library-row-name">{meta.name}</span>
          <span className="muted">
            {details} · {formatSize(meta.bytes)} · saved{' '}
            <time dateTime={meta.savedAt}>{when.toLocaleString()}</time>
            {current ? ' · on screen' : ''}
          </span>
        </div>
      )}
      {!editing && (
        <div className="library-row-actions">
          <button
            type="button"
            aria-label={`Open ${meta.name}`}
            onClick={() => void openSavedMap(meta.id)}
          >
            Open
          </button>
          <button
            type="button"
            aria-label={`Rename ${meta.name}`}
            onClick={() => {
              setDraft(meta.name);
              setEditing(true);
            }}
          >
            Rename
          </button>
          <button
            type="button"
            className="danger"
            aria-label={`Delete ${meta.name}`}
            onClick={onDelete}
          >
            Delete
          </button>
        </div>
      )}
    </li>
  );
}

// ── Open a file or an address ──────────────────────────────────────────────────────────────

function OpenMap() {
  const openMapFile = useAppStore((s) => s.openMapFile);
  const openMapUrl = useAppStore((s) => s.openMapUrl);
  const download = useAppStore((s) => s.mapDownload);
  const fileInput = useRef<HTMLInputElement>(null);
  const [url, setUrl] = useState('');
  const urlId = useId();

  const onUrl = (e: FormEvent) => {
    e.preventDefault();
    if (url.trim() !== '') void openMapUrl(url.trim());
  };
  return (
    <section className="library-card" aria-labelledby="library-open-title">
      <h3 id="library-open-title">Open a map</h3>
      <p className="muted">
        From a .sdrmap file (or drop one anywhere on the page), or from a web address. The file is
        checked whole before anything of it is used; your current map and data stay as they are if
        it is refused.
      </p>
      <div className="library-actions">
        <button type="button" onClick={() => fileInput.current?.click()}>
          Open a .sdrmap file…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".sdrmap,application/x-sdrmap"
          hidden
          aria-label="Open a map file"
          data-testid="map-file-input"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (file) void openMapFile(file);
          }}
        />
      </div>
      <form className="library-url" onSubmit={onUrl}>
        <label htmlFor={urlId}>Map address (https)</label>
        <input
          id={urlId}
          type="url"
          inputMode="url"
          placeholder="https://example.org/cats.sdrmap"
          value={url}
          onChange={(e) => setUrl(e.currentTarget.value)}
        />
        <button type="submit" disabled={download !== null}>
          Open
        </button>
      </form>
      {download && (
        <p className="muted" role="status">
          Downloading… (progress at the top of the page)
        </p>
      )}
    </section>
  );
}
