import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '..');

/** Every file that declares HTTP routes: the modules' routes files and the platform's. */
function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(file);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) return [];
    return /\bapp\.(get|post|put|patch|delete)\(/.test(fs.readFileSync(file, 'utf8')) ? [file] : [];
  });
}

describe('roles are declared per route, not re-checked by hand', () => {
  it('no routes file checks the caller itself (requireActor / requireMerchantStore)', () => {
    const files = routeFiles(src);
    expect(files.length).toBeGreaterThan(8);
    const rechecking = files
      .filter((f) => /\brequire(Actor|MerchantStore)\(/.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(src, f));
    expect(rechecking).toEqual([]);
  });
});
