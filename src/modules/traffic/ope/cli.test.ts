import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateSyntheticLog, toObdCsv } from './synthetic-bandit-log.ts';

const BIN = fileURLToPath(new URL('../../../../bin/gravity.mjs', import.meta.url));

/** A small OBD-shaped directory: random/men/men.csv and bts/men/men.csv. */
function fixtureDir(withBts = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'ope-cli-'));
  const clickProb = (a: number) => (a === 0 ? 0.1 : 0.02);
  const write = (policy: string, seed: number) => {
    mkdirSync(join(dir, policy, 'men'), { recursive: true });
    const rounds = generateSyntheticLog({
      nItems: 6,
      slots: 3,
      rounds: 1000,
      seed,
      clickProb,
      affinityShare: 0.05,
    });
    writeFileSync(join(dir, policy, 'men', 'men.csv'), toObdCsv(rounds, 6));
  };
  write('random', 1);
  if (withBts) write('bts', 2);
  return dir;
}

function gravity(args: string[]) {
  return spawnSync(process.execPath, [BIN, 'traffic', 'ope', ...args], { encoding: 'utf8' });
}

describe('gravity traffic ope (process)', () => {
  it('prints the protocol and table, and with --json ends with the result object', () => {
    const dir = fixtureDir();
    const run = gravity(['--data', dir, '--campaign', 'men', '--json', '--seed', '4', '--resamples', '200']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    const last = JSON.parse(lines[lines.length - 1]);
    expect(Object.keys(last)).toEqual([
      'rounds',
      'ourCtrIpw',
      'ourCtrDr',
      'ciLow',
      'ciHigh',
      'randomCtr',
      'btsCtr',
    ]);
    expect(last.rounds).toBe(300);
    expect(last.ciLow).toBeLessThanOrEqual(last.ourCtrDr);
    expect(last.ciHigh).toBeGreaterThanOrEqual(last.ourCtrDr);
    expect(run.stdout).toMatch(/chosen and learned ONLY from its first 70%/);
    expect(run.stdout).toMatch(/model selection \(on the training part only, never on the evaluation 30%\)/);
    expect(run.stdout).toMatch(/first 50% of the log \(500 rounds.*next 20% \(200 rounds/);
    for (const name of ['thompson', 'affinity-first', 'greedy', 'greedy-thompson-50', 'epsilon-greedy-10'])
      expect(run.stdout).toContain(` ${name} `);
    expect(run.stdout).toMatch(/chosen policy: [a-z0-9-]+ \(/);
    expect(run.stdout).toMatch(/ciLow\/ciHigh = the DR estimate's 95% CI/);
    // Same seed, same output.
    const again = gravity([
      '--data',
      dir,
      '--campaign',
      'men',
      '--json',
      '--seed',
      '4',
      '--resamples',
      '200',
    ]);
    expect(again.stdout).toBe(run.stdout);
  });

  it('fails with a clear message on a missing file, and with usage on bad arguments', () => {
    const dir = fixtureDir(false);
    const missing = gravity(['--data', dir, '--campaign', 'men', '--json']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`missing file: ${join(dir, 'bts', 'men', 'men.csv')}`);
    const women = gravity(['--data', dir, '--campaign', 'women']);
    expect(women.status).toBe(1);
    expect(women.stderr).toContain(join(dir, 'random', 'women', 'women.csv'));
    const bad = gravity(['--data', dir, '--campaign', 'kids']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--campaign must be men or women/);
    expect(gravity(['--campaign', 'men']).status).toBe(2);
  });
});
