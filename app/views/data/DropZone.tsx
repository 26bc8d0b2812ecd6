import { useRef, useState, type DragEvent } from 'react';
import {
  filesFromInput,
  sourcesFromDataTransfer,
  walkDropped,
  type WalkResult,
} from '../../lib/folderWalk.ts';

export interface DropZoneProps {
  /** Files gathered from a drop or a picker, folders already walked. */
  readonly onFiles: (result: WalkResult) => void;
  /** Text dragged in (a selection from another page), when no files came with it. */
  readonly onText: (text: string) => void;
}

const FILE_TYPES = 'image/*,.npy,.csv,.tsv,.json,.txt';
const EMBEDDING_TYPES = '.npy,.csv,.tsv,.json,.txt';

/**
 * Where files, whole folders and dragged text come in, with buttons doing the same for people
 * who do not drag (or use a keyboard): pick images, pick a folder, import embeddings.
 */
export function DropZone({ onFiles, onText }: DropZoneProps) {
  const [over, setOver] = useState(false);
  // dragenter/dragleave fire for every child crossed; count them to know when the drag left.
  const depth = useRef(0);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const embeddingsInput = useRef<HTMLInputElement>(null);

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    depth.current = 0;
    setOver(false);
    // Everything is taken out of the DataTransfer now: it is emptied when this handler returns.
    const sources = sourcesFromDataTransfer(e.dataTransfer);
    if (sources.length === 0) {
      const text = e.dataTransfer.getData('text/plain');
      if (text.trim() !== '') onText(text);
      return;
    }
    void walkDropped(sources).then(onFiles);
  };

  const fromInput = (input: HTMLInputElement | null) => {
    if (!input?.files || input.files.length === 0) return;
    onFiles({ files: filesFromInput(Array.from(input.files)), errors: [], truncated: false });
    input.value = ''; // picking the same file again must fire change again
  };

  return (
    <div
      className={over ? 'drop-zone over' : 'drop-zone'}
      data-testid="drop-zone"
      onDragEnter={(e) => {
        e.preventDefault();
        depth.current++;
        setOver(true);
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDrop={onDrop}
    >
      <p className="drop-zone-title">Drop images, folders, text or embedding files</p>
      <p className="drop-zone-hint">
        A folder&apos;s name becomes the label of its images. You can also paste an image or text
        anywhere on the page. Images and text are embedded by the CLIP model (downloaded once);
        imported embeddings need no model.
      </p>
      <div className="drop-zone-buttons">
        <button type="button" onClick={() => filesInput.current?.click()}>
          Add files…
        </button>
        <button type="button" onClick={() => folderInput.current?.click()}>
          Add a folder…
        </button>
        <button type="button" onClick={() => embeddingsInput.current?.click()}>
          Import embeddings…
        </button>
      </div>
      <input
        ref={filesInput}
        type="file"
        multiple
        accept={FILE_TYPES}
        hidden
        aria-label="Add files"
        data-testid="file-input"
        onChange={(e) => fromInput(e.currentTarget)}
      />
      <input
        ref={folderInput}
        type="file"
        multiple
        webkitdirectory=""
        hidden
        aria-label="Add a folder"
        data-testid="folder-input"
        onChange={(e) => fromInput(e.currentTarget)}
      />
      <input
        ref={embeddingsInput}
        type="file"
        multiple
        accept={EMBEDDING_TYPES}
        hidden
        aria-label="Import embeddings and their labels file"
        data-testid="embeddings-input"
        onChange={(e) => fromInput(e.currentTarget)}
      />
    </div>
  );
}
