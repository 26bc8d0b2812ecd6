import { useState } from 'react';
import { useAppStore } from '../../store/index.ts';
import type { ShareLink } from '../../store/librarySlice.ts';
import { copyText } from './download.ts';
import './library.css';
import { MAX_INLINE_MAP_BYTES, MAX_INLINE_MAP_CHARS, formatBytes } from '../../../src/index.ts';

/** Longest part of a link shown on the page (the whole link is on the clipboard). */
const SHOWN_CHARS = 160;

/** Make a link, put it on the clipboard, and say how it went. */
function useCopyLink(): {
  copy: (embed: boolean) => Promise<void>;
  link: ShareLink | null;
  copied: boolean | null;
  busy: boolean;
} {
  const makeShareLink = useAppStore((s) => s.makeShareLink);
  const notify = useAppStore((s) => s.notify);
  const [link, setLink] = useState<ShareLink | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const copy = async (embed: boolean) => {
    setBusy(true);
    try {
      const made = await makeShareLink({ embed });
      setLink(made);
      if (!made.url) {
        setCopied(null);
        notify('error', made.note);
        return;
      }
      const ok = await copyText(made.url);
      setCopied(ok);
      notify(
        ok ? 'info' : 'error',
        ok
          ? `Link copied (${made.url.length.toLocaleString('en')} characters). ${made.note}`
          : 'The browser did not allow copying: copy the link from the Library view.',
      );
    } finally {
      setBusy(false);
    }
  };
  return { copy, link, copied, busy };
}

/** The header's "Copy link" button. */
export function ShareButton() {
  const { copy, busy } = useCopyLink();
  return (
    <button type="button" className="share-button" disabled={busy} onClick={() => void copy(false)}>
      Copy link
    </button>
  );
}

/** Share links: what they carry, their size limit, and what to do with bigger maps. */
export function ShareSection() {
  const { copy, link, copied, busy } = useCopyLink();
  return (
    <section className="library-card" aria-labelledby="library-share-title">
      <h3 id="library-share-title">Share</h3>
      <p className="muted">
        A link reopens this view: the map, the selected items, K, noise levels and the open view. A
        map saved here or trained here lives only in this browser, so the link carries it inside
        itself when it fits: at most {formatBytes(MAX_INLINE_MAP_BYTES)} of packed map (
        {MAX_INLINE_MAP_CHARS.toLocaleString('en')} characters), which holds a 16×16 map of 512-d
        CLIP weights with a few dozen items. A larger map needs a host: download the .sdrmap file,
        put it on any static host that allows downloads from other sites (CORS), for example a
        GitHub gist (its &quot;Raw&quot; address), and open SDR Explorer with ?map=&lt;that https
        address&gt;.
      </p>
      <div className="library-actions">
        <button type="button" disabled={busy} onClick={() => void copy(false)}>
          Copy link
        </button>
        <button type="button" disabled={busy} onClick={() => void copy(true)}>
          Copy link for slides
        </button>
      </div>
      {link && (
        <div className="share-result" data-testid="share-result">
          <p>{link.note}</p>
          {link.url && copied === false && (
            <textarea
              readOnly
              aria-label="Share link"
              value={link.url}
              rows={3}
              onFocus={(e) => e.currentTarget.select()}
            />
          )}
          {link.url && copied !== false && (
            <p className="share-link muted">
              {link.url.length > SHOWN_CHARS ? `${link.url.slice(0, SHOWN_CHARS)}…` : link.url}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
