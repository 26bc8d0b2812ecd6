/**
 * An object URL for a Blob (a thumbnail) that lives exactly as long as the component showing
 * it: created when the Blob arrives, revoked when it changes or the component goes, so a long
 * session of adding and deleting images does not leak decoded images.
 */
import { useEffect, useState } from 'react';

export function useObjectUrl(blob: Blob | undefined): string | undefined {
  const [entry, setEntry] = useState<{ blob: Blob; url: string } | null>(null);
  useEffect(() => {
    if (!blob) return undefined;
    const url = URL.createObjectURL(blob);
    setEntry({ blob, url });
    return () => {
      URL.revokeObjectURL(url);
      setEntry(null);
    };
  }, [blob]);
  // Never hand out a URL made for a previous Blob (it may already be revoked).
  return entry && entry.blob === blob ? entry.url : undefined;
}
