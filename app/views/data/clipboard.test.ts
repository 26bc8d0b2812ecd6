import { describe, expect, it } from 'vitest';
import { isEditableTarget, readClipboard } from './clipboard.ts';

function fakeData(files: File[], text: string): DataTransfer {
  return {
    files: files as unknown as FileList,
    getData: (type: string) => (type === 'text/plain' ? text : ''),
  } as unknown as DataTransfer;
}

describe('isEditableTarget', () => {
  it('leaves pastes into text fields alone', () => {
    expect(isEditableTarget({ tagName: 'TEXTAREA' } as unknown as EventTarget)).toBe(true);
    expect(isEditableTarget({ tagName: 'INPUT', type: 'search' } as unknown as EventTarget)).toBe(
      true,
    );
    expect(
      isEditableTarget({ tagName: 'DIV', isContentEditable: true } as unknown as EventTarget),
    ).toBe(true);
  });

  it('takes pastes aimed at the page, buttons and checkboxes', () => {
    expect(isEditableTarget(null)).toBe(false);
    expect(isEditableTarget({ tagName: 'BODY' } as unknown as EventTarget)).toBe(false);
    expect(isEditableTarget({ tagName: 'INPUT', type: 'checkbox' } as unknown as EventTarget)).toBe(
      false,
    );
  });
});

describe('readClipboard', () => {
  it('renames a pasted screenshot and ignores the text that comes with files', () => {
    const shot = new File(['png'], 'image.png', { type: 'image/png' });
    const pasted = readClipboard(fakeData([shot], 'alt text'), new Date('2024-05-01T10:20:30Z'));
    expect(pasted.files.map((f) => [f.name, f.type])).toEqual([
      ['pasted 2024-05-01 10.20.30.png', 'image/png'],
    ]);
    expect(pasted.text).toBe('');
  });

  it('keeps named files and gives plain text when there are no files', () => {
    const named = new File(['x'], 'cat.jpg', { type: 'image/jpeg' });
    expect(readClipboard(fakeData([named], '')).files[0].name).toBe('cat.jpg');
    expect(readClipboard(fakeData([], 'a cat\na dog')).text).toBe('a cat\na dog');
  });
});
