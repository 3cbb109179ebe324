import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

/** Column headers of one console table, as keys of a message namespace. */
const TABLES = {
  'ops reconciliation: provider events not applied': [
    'receivedAt',
    'kind',
    'event',
    'expected',
    'received',
  ] as const,
  'ops reconciliation: differences': ['kind', 'subject', 'ours', 'theirs'] as const,
};

describe('console table headers', () => {
  for (const [lang, messages] of [
    ['zh-CN', zhCN],
    ['en', en],
  ] as const) {
    for (const [table, keys] of Object.entries(TABLES)) {
      it(`${table} (${lang}): every column has its own header`, () => {
        const headers = keys.map((k) => messages.reconcile[k]);
        expect(new Set(headers).size, headers.join(' | ')).toBe(headers.length);
      });
    }
  }
});
