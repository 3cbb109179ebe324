import { createProgress } from '../../platform/progress.ts';
import { readFitItems, readFitRecords } from './fit-data.ts';
import { evaluateFit, FIT_STEPS } from './fit-eval.ts';

const r4 = (v: number) => Math.round(v * 10000) / 10000;

/** `gravity sizing eval --fit-data FILE [--items FILE] [--json]` */
export async function runFitEval(flags: Record<string, string | boolean>): Promise<number> {
  const file = flags['fit-data'];
  if (typeof file !== 'string') {
    console.error('eval needs --fit-data FILE');
    return 2;
  }
  const t0 = Date.now();
  const { records, skipped } = await readFitRecords(file);
  const items = typeof flags.items === 'string' ? await readFitItems(flags.items) : new Map();
  const bar = createProgress('fit model', FIT_STEPS);
  const r = evaluateFit(records, items, skipped, (done, _total, label) => bar.update(done, label));
  bar.stop();
  console.log(
    `records ${r.records} (skipped ${r.skipped}); train ${r.counts.train} valid ${r.counts.valid} test ${r.counts.test}`,
  );
  console.log(
    `chosen regularisation: item ${r.chosen.regItem}, buyer ${r.chosen.regBuyer}, buyer width ${r.chosen.regWidth} (valid AUC ${r.validAucAvg.toFixed(4)})`,
  );
  console.log('test AUC          small    fit      large    avg');
  const row = (name: string, a: { aucSmall: number; aucFit: number; aucLarge: number; aucAvg: number }) =>
    console.log(
      `${name.padEnd(16)}  ${[a.aucSmall, a.aucFit, a.aucLarge, a.aucAvg].map((v) => v.toFixed(4)).join('   ')}`,
    );
  row('learned', r);
  row('chart-only', r.chartOnly);
  console.log(`time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (flags.json) {
    console.log(
      JSON.stringify({
        records: r.records,
        skipped: r.skipped,
        aucAvg: r4(r.aucAvg),
        aucSmall: r4(r.aucSmall),
        aucFit: r4(r.aucFit),
        aucLarge: r4(r.aucLarge),
        chartOnlyAucAvg: r4(r.chartOnlyAucAvg),
      }),
    );
  }
  return 0;
}
