import { useEffect, useRef } from 'react';

/**
 * While `active`, calls `callback` every `intervalMs` (waiting for the previous call to settle first, so
 * slow answers never pile up).
 */
export function usePolling(active: boolean, callback: () => Promise<unknown> | void, intervalMs: number): void {
  const latest = useRef(callback);
  useEffect(() => {
    latest.current = callback;
  });

  useEffect(() => {
    if (!active) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      try {
        await latest.current();
      } catch {
        // The next tick tries again; callers show their own errors.
      }
      if (live) timer = setTimeout(tick, intervalMs);
    };
    timer = setTimeout(tick, intervalMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [active, intervalMs]);
}
