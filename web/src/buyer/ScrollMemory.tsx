import { useLayoutEffect } from 'react';
import { useLocation, useNavigationType } from 'react-router-dom';

const STORE_KEY = 'gravity.scroll';
/** History entries whose positions are kept (the oldest are forgotten first). */
const KEPT = 50;
/** Layout changes followed while a page grows back to its remembered depth. */
const MAX_GROWTHS = 200;

const positions = new Map<string, number>(readStore());

function readStore(): Array<[string, number]> {
  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? '[]');
    return Array.isArray(saved) ? (saved as Array<[string, number]>) : [];
  } catch {
    return [];
  }
}

function remember(key: string, y: number) {
  positions.delete(key);
  positions.set(key, y);
  while (positions.size > KEPT) positions.delete(positions.keys().next().value as string);
  try {
    sessionStorage.setItem(STORE_KEY, JSON.stringify([...positions]));
  } catch {
    // private mode: memory only
  }
}

/**
 * Scroll position per history entry, as a native multi-page site has it: a new page opens at the top;
 * back, forward and reload return to where the buyer left that page, waiting for its content (a feed
 * loads after it mounts) to be tall enough again. The browser's own restoration is off: it runs before
 * the app has drawn anything.
 */
export function ScrollMemory() {
  const location = useLocation();
  const navigationType = useNavigationType();

  // Layout effects: the listener is gone before the next page's first scroll event (a clamp).
  useLayoutEffect(() => {
    if ('scrollRestoration' in window.history) window.history.scrollRestoration = 'manual';
    const key = location.key;
    const onScroll = () => remember(key, window.scrollY);
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, [location.key]);

  useLayoutEffect(() => {
    const target = navigationType === 'POP' ? (positions.get(location.key) ?? 0) : 0;
    window.scrollTo(0, target);
    if (target === 0) return;
    // The page draws its content after it mounts (a feed, a banner above it): scroll back to the place
    // each time it grows, until the buyer scrolls. Reaching the depth early is not enough: content that
    // arrives above it later would push the place down (or the browser's scroll anchoring would move it).
    let growths = 0;
    const observer = new ResizeObserver(() => {
      growths += 1;
      window.scrollTo(0, target);
      if (growths >= MAX_GROWTHS) stop();
    });
    const stop = () => {
      observer.disconnect();
      for (const type of USER_SCROLLS) window.removeEventListener(type, stop);
    };
    observer.observe(document.body);
    for (const type of USER_SCROLLS) window.addEventListener(type, stop, { passive: true });
    return stop;
  }, [location.key, navigationType]);

  return null;
}

/** What a buyer does to scroll (a scrollbar drag starts with a pointer down). */
const USER_SCROLLS = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const;
