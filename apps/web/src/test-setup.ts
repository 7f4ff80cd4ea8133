import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import { clearLinksCache } from './features/media/links-store';

/** happy-dom's IntersectionObserver never reports: this one says every observed element is on screen. */
class VisibleIntersectionObserver {
  constructor(private readonly callback: IntersectionObserverCallback) {}
  observe(target: Element) {
    queueMicrotask(() =>
      this.callback([{ target, isIntersecting: true } as IntersectionObserverEntry], this as unknown as IntersectionObserver),
    );
  }
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}

// findBy…/waitFor give up after 1 s by default: a loaded CI machine can take longer to render and to
// run effects. A passing test waits no longer for this; only a failing one takes 5 s to say so.
configure({ asyncUtilTimeout: 5_000 });

beforeEach(() => {
  vi.stubGlobal('IntersectionObserver', VisibleIntersectionObserver);
});

// Testing Library unmounts between tests by itself only when test globals are on; they are off here.
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  clearLinksCache();
});
