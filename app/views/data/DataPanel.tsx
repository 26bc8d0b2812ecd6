import { useCallback, useEffect, useMemo, useState } from 'react';
import { useAppStore } from '../../store/index.ts';
import type { TextMode } from '../../lib/textItems.ts';
import type { WalkResult } from '../../lib/folderWalk.ts';
import { filesFromInput } from '../../lib/folderWalk.ts';
import { DropZone } from './DropZone.tsx';
import { TextEntry } from './TextEntry.tsx';
import { EmbedProgress } from './EmbedProgress.tsx';
import { FileErrorList } from './FileErrorList.tsx';
import { ingestFiles, reportWalk, type IngestActions } from './ingest.ts';
import { isEditableTarget, readClipboard } from './clipboard.ts';
import { isMapFileName, openDroppedMaps } from '../library/mapDrop.ts';
import './data.css';

/** The store's actions, read at call time (they never change, but this keeps renders cheap). */
function actions(): IngestActions {
  const s = useAppStore.getState();
  return {
    addFiles: s.addFiles,
    addTexts: s.addTexts,
    importEmbeddings: s.importEmbeddings,
    notify: s.notify,
  };
}

function useDatasetSummary(): string {
  const items = useAppStore((s) => s.items);
  const dim = useAppStore((s) => s.embeddingDim);
  const status = useAppStore((s) => s.dataStatus);
  const models = useMemo(() => [...new Set(items.map((i) => i.modelId))], [items]);
  if (status === 'loading') return 'Loading saved data…';
  const count = items.length === 1 ? '1 item' : `${items.length} items`;
  if (items.length === 0)
    return status === 'unsaved' ? 'No items (not saved here)' : 'No items yet';
  const model = models.length === 1 ? models[0] : `${models.length} models`;
  const saved = status === 'unsaved' ? ' · not saved' : '';
  return `${count} · ${dim}-d · ${model}${saved}`;
}

/**
 * The side panel's data section: bring data in (drop, pick, paste, type, import), watch it
 * being embedded, see what failed. The item list itself is the Data view.
 */
export function DataPanel() {
  const loadData = useAppStore((s) => s.loadData);
  const setView = useAppStore((s) => s.setView);
  const count = useAppStore((s) => s.items.length);
  const summary = useDatasetSummary();
  const [mode, setMode] = useState<TextMode>('lines');

  useEffect(() => {
    void loadData();
  }, [loadData]);

  // An import is usable before it is written: leaving the page now would lose it, so the
  // browser asks first (its own words; pages cannot set them).
  const saving = useAppStore((s) => s.savingItems);
  useEffect(() => {
    if (saving === 0) return;
    const onLeave = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onLeave);
    return () => window.removeEventListener('beforeunload', onLeave);
  }, [saving]);

  const onFiles = useCallback((result: WalkResult) => {
    const a = actions();
    reportWalk(result, a.notify);
    // Map files (.sdrmap) open as the map (app/views/library); everything else is data.
    const maps = result.files.filter((f) => isMapFileName(f.file.name));
    if (maps.length > 0) void openDroppedMaps(maps.map((f) => f.file));
    void ingestFiles(
      result.files.filter((f) => !isMapFileName(f.file.name)),
      a,
    );
  }, []);

  const onText = useCallback((text: string, textMode: TextMode) => {
    void actions().addTexts(text, textMode);
  }, []);

  // Paste anywhere on the page (but not into a text field, where paste means paste).
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      if (!e.clipboardData || isEditableTarget(e.target)) return;
      const pasted = readClipboard(e.clipboardData);
      if (pasted.files.length > 0) {
        e.preventDefault();
        onFiles({ files: filesFromInput(pasted.files), errors: [], truncated: false });
      } else if (pasted.text.trim() !== '') {
        e.preventDefault();
        onText(pasted.text, mode);
      }
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [mode, onFiles, onText]);

  return (
    <section className="data-panel" aria-labelledby="data-panel-title">
      <div className="data-panel-head">
        <h2 id="data-panel-title">Data</h2>
        <span className="data-summary" data-testid="data-summary">
          {summary}
        </span>
      </div>
      {saving > 0 && (
        <p className="data-saving" role="status">
          Saving {saving.toLocaleString('en-US')} items in this browser… They can be used now;
          leaving the page before this ends would lose them.
        </p>
      )}
      <DropZone onFiles={onFiles} onText={(text) => onText(text, mode)} />
      <TextEntry mode={mode} onModeChange={setMode} onSubmit={onText} />
      <EmbedProgress />
      <FileErrorList />
      {count > 0 && (
        <button type="button" className="data-show-items" onClick={() => setView('data')}>
          {count === 1 ? 'Show the item' : `Show all ${count} items`}
        </button>
      )}
    </section>
  );
}
