import { describe, expect, it } from 'vitest';
import { CARRIERS as SERVER_CARRIERS } from '../../../src/modules/orders/carriers.ts';
import { CARRIERS } from '../shared/carriers.ts';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

describe('carriers', () => {
  it('the web app knows every carrier code the server has', () => {
    expect([...CARRIERS].sort()).toEqual([...SERVER_CARRIERS].sort());
  });

  it('every carrier has a name in both languages, and no two carriers share one', () => {
    for (const messages of [zhCN, en]) {
      expect(Object.keys(messages.carriers).sort()).toEqual([...SERVER_CARRIERS].sort());
      const names = Object.values(messages.carriers);
      expect(new Set(names).size).toBe(names.length);
    }
    expect(zhCN.carriers.sf).toBe('顺丰速运');
    expect(en.carriers.sf).toBe('SF Express');
  });
});
