/**
 * `gravity simulate --days 30 [--seed N] [--json] [--out FILE.html]`: pure ranking vs Gravity's
 * allocation on one seeded synthetic marketplace (docs/TRAFFIC-ENGINE.md). A progress bar on stderr,
 * a table on stdout, an HTML chart (ECharts inlined) with --out, and with --json a last line
 * `{"days":…,"seed":…,"coverage":…,"gmvVsPureRanking":…}`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createProgress } from '../../../platform/progress.ts';
import type { FeedEngineOptions } from '../engine/feed-engine.ts';
import { SIM_ENGINE, type Summary, summarize } from './compare.ts';
import { chartHtml, formatTable } from './report.ts';
import type { Arm, DayResult } from './run.ts';
import { DEFAULT_WORLD, type WorldOptions } from './world.ts';

const USAGE =
  'usage: gravity simulate [--days N] [--seed N] [--json] [--out FILE.html] [--cap SHARE] [--serial]';

function runInWorker(
  arm: Arm,
  world: WorldOptions,
  engine: FeedEngineOptions,
  onDay: () => void,
): Promise<DayResult[]> {
  return new Promise((resolve, reject) => {
    // The worker registers tsx (as bin/gravity.mjs does) before loading the TypeScript arm runner.
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./arm-worker.ts', import.meta.url).href;
    const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    const worker = new Worker(code, { eval: true, workerData: { arm, world, engine } });
    worker.on('message', (message: { day?: DayResult; done?: DayResult[] }) => {
      if (message.day) onDay();
      if (message.done) resolve(message.done);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`simulation worker (${arm}) exited with ${code}`));
    });
  });
}

export async function runSimulateCommand(argv: string[]): Promise<number> {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at === -1 ? undefined : argv[at + 1];
  };
  const days = Number(value('--days') ?? 30);
  const seed = Number(value('--seed') ?? 1);
  const out = value('--out');
  const json = argv.includes('--json');
  if (
    !Number.isInteger(days) ||
    days < 1 ||
    days > 365 ||
    !Number.isInteger(seed) ||
    seed < 0 ||
    seed > 2 ** 31
  ) {
    console.error(USAGE);
    return 2;
  }
  if (argv.includes('--out') && !out) {
    console.error(USAGE);
    return 2;
  }
  const cap = Number(value('--cap') ?? SIM_ENGINE.planShareCap);
  if (!(cap >= 0 && cap <= 1)) {
    console.error(USAGE);
    return 2;
  }
  const engine: FeedEngineOptions = { ...SIM_ENGINE, planShareCap: cap };
  const world: WorldOptions = { ...DEFAULT_WORLD, seed, days };
  const progress = createProgress(`simulate seed ${seed}`, days * 2);
  let done = 0;
  const tick = () => progress.update(++done, `${done}/${days * 2} arm-days`);
  let summary: Summary;
  if (argv.includes('--serial')) {
    const { runArm } = await import('./run.ts');
    const { createWorld } = await import('./world.ts');
    const w = createWorld(world);
    const pure = runArm(w, { arm: 'pure', engine, onDay: tick });
    const gravity = runArm(w, { arm: 'gravity', engine, onDay: tick });
    summary = summarize(seed, pure, gravity);
  } else {
    const [pure, gravity] = await Promise.all([
      runInWorker('pure', world, engine, tick),
      runInWorker('gravity', world, engine, tick),
    ]);
    summary = summarize(seed, pure, gravity);
  }
  progress.stop();
  console.log(formatTable(summary, world));
  if (out) {
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    fs.writeFileSync(out, chartHtml(summary));
    console.log(`chart: ${out}`);
  }
  if (json) {
    console.log(
      JSON.stringify({
        days: summary.days,
        seed: summary.seed,
        coverage: round(summary.coverage),
        gmvVsPureRanking: round(summary.gmvVsPureRanking),
        meanDailyCoverage: round(summary.meanDailyCoverage),
        minDailyCoverage: round(summary.minDailyCoverage),
        separateRunGmvRatio: round(summary.separateRunGmvRatio),
        realisedGmvVsPureRanking: round(summary.realisedGmvVsPureRanking),
        violations: summary.violations,
      }),
    );
  }
  return 0;
}

const round = (x: number) => Math.round(x * 10000) / 10000;
