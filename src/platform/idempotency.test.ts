import { describe, expect, it } from 'vitest';
import { canonicalJson, requestHash } from './idempotency.ts';

describe('idempotency request hash', () => {
  it('ignores key order at every level but not array order or values', () => {
    const a = { address: { city: '北京', name: 'A' }, lines: [{ skuId: 'x', quantity: 1 }] };
    const b = { lines: [{ quantity: 1, skuId: 'x' }], address: { name: 'A', city: '北京' } };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(requestHash(a)).toBe(requestHash(b));
    expect(requestHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(requestHash({ ...a, lines: [{ skuId: 'x', quantity: 2 }] })).not.toBe(requestHash(a));
    expect(requestHash([1, 2])).not.toBe(requestHash([2, 1]));
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });
});
