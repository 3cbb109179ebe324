import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en.ts';
import { zhCN } from '../i18n/zh-CN.ts';
import { CODES_WITH_DETAILS } from './error-message.ts';

/**
 * Every error code the server can answer with has a message in both languages, so a person never
 * reads the server's English (or a bare code). The codes are read from the server's source: the
 * first argument of conflict(…) / unprocessable(…), the second of new AppError(…) and super(…) in
 * the error classes, and the codes the error handler sends itself.
 */

const serverSrc = path.resolve(import.meta.dirname, '../../../src');

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
}

/** A throw site's code argument: the literal codes in it (a ternary names two). */
const SITES = [
  /\b(?:conflict|unprocessable)\(\s*([^,]+),/g,
  /\bnew AppError\(\s*\d+\s*,\s*([^,]+),/g,
  /\bsuper\(\s*\d+\s*,\s*([^,]+),/g,
  /\bbody\(\s*('[^']*')\s*,/g,
];

function serverErrorCodes(): { codes: Set<string>; unread: string[] } {
  const codes = new Set<string>();
  const unread: string[] = [];
  for (const file of sourceFiles(serverSrc)) {
    const source = fs.readFileSync(file, 'utf8');
    for (const site of SITES) {
      for (const match of source.matchAll(site)) {
        const argument = match[1] as string;
        const literals = [...argument.matchAll(/'([a-z][a-z0-9_]*)'/g)].map((m) => m[1] as string);
        // errors.ts passes its callers' codes through; those calls are read where they are made.
        const passThrough = path.basename(file) === 'errors.ts' && argument.trim() === 'code';
        if (literals.length === 0 && !passThrough) {
          const line = source.slice(0, match.index).split('\n').length;
          unread.push(`${path.relative(serverSrc, file)}:${line}: ${match[0]}`);
        }
        for (const code of literals) codes.add(code);
      }
    }
  }
  return { codes, unread };
}

const LANGS = [
  ['zh-CN', zhCN.apiError],
  ['en', en.apiError],
] as const;

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('error messages for every error code the server sends', () => {
  const { codes, unread } = serverErrorCodes();

  it('reads a literal code at every throw site (a code held in a variable would escape this test)', () => {
    expect(unread).toEqual([]);
    // The generic ones and a good share of the specific ones: the scan has not gone blind.
    for (const code of ['bad_request', 'unauthorized', 'forbidden', 'not_found', 'rate_limited'])
      expect(codes).toContain(code);
    for (const code of ['validation_failed', 'database_unavailable', 'internal', 'out_of_stock'])
      expect(codes).toContain(code);
    expect(codes.size).toBeGreaterThan(40);
  });

  it('has a message for each code in zh-CN and in English', () => {
    const missing: string[] = [];
    for (const code of codes)
      for (const [lang, messages] of LANGS) {
        const text = (messages as Record<string, unknown>)[code];
        if (typeof text !== 'string' || text.trim() === '') missing.push(`${lang} apiError.${code}`);
      }
    expect(missing).toEqual([]);
  });

  it('words a code’s plain message without parameters, and its details message with the same ones in both languages', () => {
    for (const [lang, messages] of LANGS)
      for (const [key, text] of Object.entries(messages)) {
        if (typeof text !== 'string') continue;
        if (!key.endsWith('_details')) expect(placeholders(text), `${lang} apiError.${key}`).toEqual([]);
      }
    for (const code of CODES_WITH_DETAILS) {
      const zh = (zhCN.apiError as Record<string, unknown>)[`${code}_details`];
      const english = (en.apiError as Record<string, unknown>)[`${code}_details`];
      expect(typeof zh, `zh-CN apiError.${code}_details`).toBe('string');
      expect(placeholders(zh as string).length, `apiError.${code}_details uses its details`).toBeGreaterThan(
        0,
      );
      expect(placeholders(english as string), `en apiError.${code}_details`).toEqual(
        placeholders(zh as string),
      );
    }
  });
});
