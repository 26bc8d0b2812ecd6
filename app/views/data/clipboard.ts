/**
 * Pasting into the page: an image or a file copied elsewhere becomes an item, and so does
 * copied text, unless the person is pasting into a text field, which keeps its usual meaning.
 */

/** Whether a paste aimed at `target` belongs to a field the person is typing in. */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (target === null || typeof target !== 'object') return false;
  const el = target as Partial<HTMLElement> & { tagName?: string; type?: string };
  if (el.isContentEditable) return true;
  const tag = typeof el.tagName === 'string' ? el.tagName.toUpperCase() : '';
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  // Checkboxes, buttons and the like do not take text: a paste there is a paste into the page.
  const nonText = [
    'checkbox',
    'radio',
    'button',
    'submit',
    'reset',
    'file',
    'range',
    'color',
    'image',
  ];
  return !nonText.includes((el.type ?? 'text').toLowerCase());
}

export interface Pasted {
  readonly files: File[];
  readonly text: string;
}

/**
 * Files and text from a paste. Browsers name a pasted screenshot `image.png`, so such files get
 * a name saying where they came from (it becomes the item's label).
 */
export function readClipboard(data: DataTransfer, now: Date = new Date()): Pasted {
  const files: File[] = [];
  for (const file of Array.from(data.files)) {
    if (/^image\.\w+$/.test(file.name)) {
      const ext = file.name.slice(file.name.indexOf('.'));
      const stamp = now.toISOString().slice(0, 19).replace('T', ' ').replace(/:/g, '.');
      files.push(new File([file], `pasted ${stamp}${ext}`, { type: file.type }));
    } else {
      files.push(file);
    }
  }
  return { files, text: files.length > 0 ? '' : data.getData('text/plain') };
}
