import { describe, expect, it } from 'vitest';
import type { Db } from '../../platform/db.ts';
import { Notifications } from '../../platform/notifications.ts';
import { SessionCache } from './session-cache.ts';

const silent = { error: () => {}, warn: () => {}, debug: () => {} };
const actor = (accountId: string) => ({
  accountId,
  role: 'buyer' as const,
  phone: '13600000000',
  storeId: null,
});

describe('SessionCache', () => {
  const make = (max: number) => {
    let ms = 0;
    const notifications = new Notifications({ db: {} as Db, databaseUrl: undefined, log: silent });
    const cache = new SessionCache(1000, notifications, max, () => ms);
    return { cache, notifications, tick: (n: number) => (ms += n) };
  };
  const now = new Date('2026-03-01T00:00:00Z');
  const later = new Date('2026-04-01T00:00:00Z');

  it('keeps at most its bound, dropping the least recently used', () => {
    const { cache } = make(3);
    for (const k of ['a', 'b', 'c']) cache.put(k, actor(k), later, cache.mark());
    expect(cache.get('a', now)).toBeDefined(); // a is now the most recent
    cache.put('d', actor('d'), later, cache.mark());
    expect(cache.size).toBe(3);
    expect(cache.get('b', now)).toBeUndefined();
    expect(cache.get('a', now)).toBeDefined();
  });

  it('serves an entry for its ttl and never past the session expiry', () => {
    const { cache, tick } = make(10);
    cache.put('a', actor('a'), later, cache.mark());
    tick(999);
    expect(cache.get('a', now)).toBeDefined();
    expect(cache.get('a', later)).toBeUndefined();
    cache.put('b', actor('b'), later, cache.mark());
    tick(1000);
    expect(cache.get('b', now)).toBeUndefined();
  });

  it('drops by token hash or account on a notice, and does not store a read that overlapped one', async () => {
    const { cache, notifications } = make(10);
    cache.put('a', actor('x'), later, cache.mark());
    cache.put('b', actor('x'), later, cache.mark());
    cache.put('c', actor('y'), later, cache.mark());
    await notifications.notify({} as Db, 'gravity_session_changed', 't:c');
    expect(cache.get('c', now)).toBeUndefined();
    const mark = cache.mark();
    await notifications.notify({} as Db, 'gravity_session_changed', 'a:x');
    expect(cache.size).toBe(0);
    cache.put('a', actor('x'), later, mark);
    expect(cache.size).toBe(0);
  });
});
