import { useCallback, useEffect, useRef, useState } from 'react';
import { useAppStore } from '../../store/index.ts';
import type { ShareLink } from '../../store/librarySlice.ts';
import { copyText } from './download.ts';
import './library.css';
import { MAX_INLINE_MAP_BYTES, MAX_INLINE_MAP_CHARS, formatBytes } from '../../../src/index.ts';

/** Longest part of a link shown on the page (the whole link is on the clipboard). */
const SHOWN_CHARS = 160;

/** What the last copy asked for: a plain link or one for slides, of the map or a smaller copy. */
interface CopyRequest {
  readonly embed: boolean;
  readonly smaller: boolean;
}

/** Make a link (in the share-link worker), put it on the clipboard, and say how it went. */
function useCopyLink(): {
  copy: (request: CopyRequest) => Promise<void>;
  link: ShareLink | null;
  lastRequest: CopyRequest | null;
  copied: boolean | null;
  busy: boolean;
  clear: () => void;
} {
  const makeShareLink = useAppStore((s) => s.makeShareLink);
  const makeSmallerShareLink = useAppStore((s) => s.makeSmallerShareLink);
  const notify = useAppStore((s) => s.notify);
  const [link, setLink] = useState<ShareLink | null>(null);
  const [lastRequest, setLastRequest] = useState<CopyRequest | null>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const copy = async (request: CopyRequest) => {
    setBusy(true);
    setLastRequest(request);
    try {
      const made = request.smaller
        ? await makeSmallerShareLink({ embed: request.embed })
        : await makeShareLink({ embed: request.embed });
      setLink(made);
      if (!made.url) {
        setCopied(null);
        if (!made.shrinkable) notify('error', made.note);
        return;
      }
      const ok = await copyText(made.url);
      setCopied(ok);
      if (!ok) notify('error', 'The browser did not allow copying: copy the link from the box.');
    } finally {
      setBusy(false);
    }
  };
  const clear = useCallback(() => setLink(null), []);
  return { copy, link, lastRequest, copied, busy, clear };
}

/** The link just made: its size, how the map travels, and a smaller copy when it did not fit. */
function ShareResult({
  link,
  copied,
  busy,
  onSmaller,
}: {
  link: ShareLink;
  copied: boolean | null;
  busy: boolean;
  onSmaller: (() => void) | null;
}) {
  return (
    <div className="share-result" data-testid="share-result">
      {link.url && copied !== false && (
        <p>
          <strong>Link copied</strong> ({link.url.length.toLocaleString('en')} characters).
        </p>
      )}
      <p data-testid="share-note">{link.note}</p>
      {link.shrinkable && onSmaller && (
        <button type="button" disabled={busy} onClick={onSmaller}>
          Copy a smaller copy
        </button>
      )}
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
  );
}

/** "Copy link" and "Copy link for slides": the same pair in the header and the Library view. */
function CopyLinkButtons({
  copy,
  busy,
}: {
  copy: ReturnType<typeof useCopyLink>['copy'];
  busy: boolean;
}) {
  return (
    <>
      <button
        type="button"
        disabled={busy}
        onClick={() => void copy({ embed: false, smaller: false })}
      >
        Copy link
      </button>
      <button
        type="button"
        disabled={busy}
        onClick={() => void copy({ embed: true, smaller: false })}
      >
        Copy link for slides
      </button>
    </>
  );
}

/**
 * The header's "Copy link" and "Copy link for slides": on every view, a link to that view as it
 * is now. What the link carries and any smaller copy on offer show in a panel under them.
 */
export function ShareButtons() {
  const { copy, link, lastRequest, copied, busy, clear } = useCopyLink();
  const embed = lastRequest?.embed ?? false;
  const root = useRef<HTMLDivElement>(null);
  const open = link !== null && !busy;
  // The panel sits over the top of the page: it closes as a popover does, on Escape or on a
  // click anywhere else, so it never hides the tabs under it.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') clear();
    };
    const onPointer = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) clear();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open, clear]);
  return (
    <div className="share-buttons" ref={root}>
      <CopyLinkButtons copy={copy} busy={busy} />
      {busy && (
        <span className="muted" role="status">
          Making the link…
        </span>
      )}
      {link && open && (
        <div className="share-popover" role="dialog" aria-label="Share link">
          <button type="button" className="share-close" aria-label="Close" onClick={clear}>
            ×
          </button>
          <ShareResult
            link={link}
            copied={copied}
            busy={busy}
            onSmaller={() => void copy({ embed, smaller: true })}
          />
        </div>
      )}
    </div>
  );
}

/** Share links: what they carry, their size limit, and what to do with bigger maps. */
export function ShareSection() {
  const { copy, link, lastRequest, copied, busy } = useCopyLink();
  const embed = lastRequest?.embed ?? false;
  return (
    <section className="library-card" aria-labelledby="library-share-title">
      <h3 id="library-share-title">Share</h3>
      <p className="muted">
        A link reopens the view as you see it: the map, the open view, the selected items and unit,
        K, the Compare items and mixtures, the algebra expression, the search text and the noise
        levels. &quot;Copy link&quot; and &quot;Copy link for slides&quot; are at the top of every
        view. The built-in atlas travels as its name and version (a short link). A map saved or
        trained here lives only in this browser, so the link carries it inside itself: exact when it
        fits in {formatBytes(MAX_INLINE_MAP_BYTES)} packed (
        {MAX_INLINE_MAP_CHARS.toLocaleString('en')} characters), else in compact form, where the
        items keep their SDRs and new inputs keep a measured share of their active units (shown when
        you copy). A map too large even so can travel as a smaller copy, or be put on a host:
        download the .sdrmap file, put it on any static host that allows downloads from other sites
        (CORS), for example a GitHub gist (its &quot;Raw&quot; address), and open SDR Explorer with
        ?map=&lt;that https address&gt;.
      </p>
      <div className="library-actions">
        <CopyLinkButtons copy={copy} busy={busy} />
      </div>
      {link && (
        <ShareResult
          link={link}
          copied={copied}
          busy={busy}
          onSmaller={() => void copy({ embed, smaller: true })}
        />
      )}
    </section>
  );
}
