import { useEffect, useRef, useState } from 'react';
import { useAppStore } from '../store/index.ts';

/**
 * How long a piece of information stays, in milliseconds, while the pointer or keyboard focus
 * is not on the messages (being read, it waits). Errors stay until dismissed.
 */
const INFO_NOTICE_MS = 6000;

/**
 * Messages for the person using the page, at the top of the side column (sticky, so they stay
 * in sight), where they never cover the map or a view's table. Information leaves by itself
 * after a few seconds; errors stay until dismissed. None in embed mode (slides).
 */
export function Notices() {
  const notices = useAppStore((s) => s.notices);
  const dismiss = useAppStore((s) => s.dismissNotice);
  const embed = useAppStore((s) => s.embedMode);
  const [held, setHeld] = useState(false);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  // One timer per piece of information on show; none while the person is reading (held).
  useEffect(() => {
    const running = timers.current;
    const infoIds = new Set(notices.filter((n) => n.kind === 'info').map((n) => n.id));
    for (const [id, timer] of running) {
      if (held || !infoIds.has(id)) {
        clearTimeout(timer);
        running.delete(id);
      }
    }
    if (held) return;
    for (const id of infoIds) {
      if (!running.has(id)) {
        running.set(
          id,
          setTimeout(() => {
            running.delete(id);
            dismiss(id);
          }, INFO_NOTICE_MS),
        );
      }
    }
  }, [notices, held, dismiss]);

  useEffect(() => {
    const running = timers.current;
    return () => {
      for (const timer of running.values()) clearTimeout(timer);
      running.clear();
    };
  }, []);

  if (embed || notices.length === 0) return null;
  return (
    <div
      className="notices"
      role="status"
      aria-live="polite"
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setHeld(false);
      }}
    >
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`}>
          <span>{n.text}</span>
          <button aria-label="Dismiss message" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
