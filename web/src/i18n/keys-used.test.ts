import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

/** Every literal `t('a.b.c')` in the web app names a string in both languages (a missing key shows its name). */

const webSrc = path.resolve(import.meta.dirname, '..');
const serverSrc = path.resolve(import.meta.dirname, '../../../src');

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'));
}

const lookup = (messages: object, key: string): unknown =>
  key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);

describe('translation keys the web app uses', () => {
  it('every literal key passed to t() has a non-empty string in both languages', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(webSrc)) {
      const source = fs.readFileSync(file, 'utf8');
      for (const [, key] of source.matchAll(/\bt\(\s*'([\w.]+)'/g)) {
        for (const [lang, messages] of [
          ['zh-CN', zhCN],
          ['en', en],
        ] as const) {
          const value = lookup(messages, key as string);
          if (typeof value !== 'string' || value === '')
            missing.push(`${lang} ${key} (${path.relative(webSrc, file)})`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('every reason the server records for closing an order reads as words in both languages', () => {
    const reasons = new Set<string>();
    for (const file of sourceFiles(path.join(serverSrc, 'modules/orders'))) {
      const source = fs.readFileSync(file, 'utf8');
      for (const [statement] of source.matchAll(/close_reason[^\n]*/g))
        for (const [, reason] of statement.matchAll(/'([a-z_]+)'/g)) reasons.add(reason as string);
    }
    expect(reasons.size).toBeGreaterThanOrEqual(3);
    for (const reason of reasons)
      for (const messages of [zhCN, en])
        expect(lookup(messages, `orderClose.reason.${reason}`), reason).toBeTruthy();
  });
});
