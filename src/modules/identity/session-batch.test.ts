import { describe, expect, it } from 'vitest';
import { LookupBatch } from './session-batch.ts';

describe('LookupBatch', () => {
  const reader = (known: Record<string, number>) => {
    const reads: string[][] = [];
    const read = async (keys: string[]) => {
      reads.push(keys);
      return new Map(keys.filter((k) => k in known).map((k) => [k, known[k] as number]));
    };
    return { reads, read };
  };

  it('reads the lookups of one turn in one call, each key once, and answers each its own row', async () => {
    const { reads, read } = reader({ a: 1, b: 2 });
    const batch = new LookupBatch(read);
    const answers = await Promise.all([batch.get('a'), batch.get('b'), batch.get('a'), batch.get('zz')]);
    expect(answers).toEqual([1, 2, 1, undefined]);
    expect(reads).toEqual([['a', 'b', 'zz']]);
    // A later turn is a new read.
    expect(await batch.get('b')).toBe(2);
    expect(reads).toHaveLength(2);
  });

  it('splits a large turn into reads of at most maxBatch keys', async () => {
    const known = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`k${i}`, i]));
    const { reads, read } = reader(known);
    const batch = new LookupBatch(read, 3);
    const answers = await Promise.all(Object.keys(known).map((k) => batch.get(k)));
    expect(answers).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(reads.map((r) => r.length)).toEqual([3, 3, 1]);
  });

  it('fails every lookup of a failed read, and the next turn reads again', async () => {
    let fail = true;
    const batch = new LookupBatch(async (keys: string[]) => {
      if (fail) throw new Error('database down');
      return new Map(keys.map((k) => [k, k.length]));
    });
    const failed = await Promise.allSettled([batch.get('one'), batch.get('three')]);
    expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    expect((failed[0] as PromiseRejectedResult).reason.message).toBe('database down');
    fail = false;
    expect(await batch.get('three')).toBe(5);
  });
});
