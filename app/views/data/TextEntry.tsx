import { useId, useState } from 'react';
import { splitTextItems, type TextMode } from '../../lib/textItems.ts';

export interface TextEntryProps {
  readonly mode: TextMode;
  readonly onModeChange: (mode: TextMode) => void;
  readonly onSubmit: (text: string, mode: TextMode) => void;
}

/** A text box: one item per line, or the whole text as one item, as the person chooses. */
export function TextEntry({ mode, onModeChange, onSubmit }: TextEntryProps) {
  const [text, setText] = useState('');
  const boxId = useId();
  const hintId = useId();
  const count = splitTextItems(text, mode).length;
  const submit = () => {
    if (count === 0) return;
    onSubmit(text, mode);
    setText('');
  };
  return (
    <form
      className="text-entry"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label htmlFor={boxId}>Text to embed</label>
      <textarea
        id={boxId}
        value={text}
        rows={4}
        placeholder={'a photo of a cat\na red bicycle\nthe sea at night'}
        aria-describedby={hintId}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          // Ctrl/Cmd+Enter adds; plain Enter is a new line.
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <fieldset className="text-mode">
        <legend className="visually-hidden">How to split the text</legend>
        <label>
          <input
            type="radio"
            name={`${boxId}-mode`}
            checked={mode === 'lines'}
            onChange={() => onModeChange('lines')}
          />
          One item per line
        </label>
        <label>
          <input
            type="radio"
            name={`${boxId}-mode`}
            checked={mode === 'paragraph'}
            onChange={() => onModeChange('paragraph')}
          />
          All as one item
        </label>
      </fieldset>
      <p id={hintId} className="text-entry-hint">
        CLIP reads up to 77 tokens (roughly 50 words); longer text is cut and the item says so.
        Typed text needs the CLIP model: only its text half is downloaded (see the Model panel).
      </p>
      <button type="submit" disabled={count === 0}>
        {count <= 1 ? 'Embed text' : `Embed ${count} texts`}
      </button>
    </form>
  );
}
