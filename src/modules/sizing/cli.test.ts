import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSizingCommand } from './cli.ts';

const SLICE = fileURLToPath(new URL('../../../test/fixtures/sizing/ansur-slice', import.meta.url));

function captureStdout() {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out.push(a.join(' '));
  });
  vi.spyOn(console, 'error').mockImplementation(() => {});
  return out;
}

describe('gravity sizing CLI', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints usage with exit code 2 on bad arguments', async () => {
    captureStdout();
    expect(await runSizingCommand([])).toBe(2);
    expect(await runSizingCommand(['nope'])).toBe(2);
    expect(await runSizingCommand(['eval-body'])).toBe(2);
    expect(await runSizingCommand(['eval-body', '--ansur'])).toBe(2);
    expect(await runSizingCommand(['eval', '--bogus', 'x'])).toBe(2);
    expect(await runSizingCommand(['simulate'])).toBe(2);
  });

  it('eval-body --json ends with the result line', async () => {
    const out = captureStdout();
    expect(await runSizingCommand(['eval-body', '--ansur', SLICE, '--json'])).toBe(0);
    const last = JSON.parse(out[out.length - 1]);
    expect(Object.keys(last)).toEqual(['subjects', 'maeCm', 'baselineMaeCm']);
    expect(Object.keys(last.maeCm)).toEqual(['chest', 'waist', 'hip', 'shoulder', 'inseam']);
    expect(last.subjects).toBe(120);
  });

  it('simulate (gzipped) → eval --json', async () => {
    const out = captureStdout();
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const dir = mkdtempSync(join(tmpdir(), 'sizing-cli-'));
    const data = join(dir, 'fit.jsonl.gz');
    const items = join(dir, 'items.jsonl');
    expect(
      await runSizingCommand([
        'simulate',
        '--out',
        data,
        '--items',
        items,
        '--records',
        '2000',
        '--seed',
        '5',
        '--ansur',
        SLICE,
      ]),
    ).toBe(0);
    expect(await runSizingCommand(['eval', '--fit-data', data, '--items', items, '--json'])).toBe(0);
    const last = JSON.parse(out[out.length - 1]);
    expect(Object.keys(last)).toEqual([
      'records',
      'skipped',
      'aucAvg',
      'aucSmall',
      'aucFit',
      'aucLarge',
      'chartOnlyAucAvg',
    ]);
    expect(last.records).toBe(2000);
    expect(last.aucAvg).toBeGreaterThan(last.chartOnlyAucAvg);
  });
});
