import type { OpeReport } from './evaluate-campaign.ts';
import type { EstimatorName, Interval } from './off-policy-estimators.ts';

/** The last line of `gravity traffic ope --json`. ciLow/ciHigh are the DR estimate's interval. */
export interface OpeJson {
  rounds: number;
  ourCtrIpw: number;
  ourCtrDr: number;
  ciLow: number;
  ciHigh: number;
  randomCtr: number;
  btsCtr: number;
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function opeJson(report: OpeReport): OpeJson {
  return {
    rounds: report.evaluation.rounds,
    ourCtrIpw: r6(report.estimates.ipw.value),
    ourCtrDr: r6(report.estimates.dr.value),
    ciLow: r6(report.estimates.dr.ci[0]),
    ciHigh: r6(report.estimates.dr.ci[1]),
    randomCtr: r6(report.evaluation.ctr),
    btsCtr: r6(report.btsOverall.ctr),
  };
}

const iso = (us: number) => new Date(Math.floor(us / 1000)).toISOString();

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => `  ${r.map((cell, c) => cell.padEnd(widths[c])).join('  ')}`.trimEnd());
}

const pct = (x: number) => `${(x * 100).toFixed(3)}%`;
const ci = ([lo, hi]: Interval) => `[${pct(lo)}, ${pct(hi)}]`;

const LABEL: Record<EstimatorName, string> = {
  ipw: 'IPW',
  snipw: 'SNIPW',
  dm: 'DM (q̂ only, biased)',
  dr: 'DR',
};

/** The human-readable report: protocol, table, verdict and caveats. */
export function formatOpeReport(report: OpeReport, campaign: string, files: { random: string; bts: string }) {
  const m = report.model;
  const e = report.estimates;
  const bts = report.btsOverall.ctr;
  const lines: string[] = [];
  lines.push(
    `Offline evaluation — Open Bandit Dataset, campaign "${campaign}" (Saito et al., arXiv:2008.07146)`,
  );
  lines.push('');
  const sel = report.selection;
  const trainPct = Math.round(report.options.trainShare * 100);
  const fitPct = Math.round(report.options.fitShare * 100);
  lines.push(
    `protocol: the uniform-random log (${files.random}) sorted by timestamp; our policy and the DR reward ` +
      `model are chosen and learned ONLY from its first ${trainPct}% ` +
      `(${report.train.rounds} rounds, ${report.train.clicks} clicks, ${report.train.from} … ${report.train.to}); ` +
      `every estimate is on its last ${100 - trainPct}% ` +
      `(${report.evaluation.rounds} rounds, ${report.evaluation.clicks} clicks, ${report.evaluation.from} … ${report.evaluation.to}). ` +
      `The BTS log (${files.bts}) is used only for its own click rate.`,
  );
  lines.push(
    `model selection (on the training part only, never on the evaluation ${100 - trainPct}%): ${sel.candidates.length} fixed ` +
      `candidate policies fitted on the first ${fitPct}% of the log (${sel.fit.rounds} rounds, ${sel.fit.clicks} clicks, ` +
      `${iso(sel.fit.fromUs)} … ${iso(sel.fit.toUs)}), scored on the next ${trainPct - fitPct}% ` +
      `(${sel.validation.rounds} rounds, ${sel.validation.clicks} clicks, ${iso(sel.validation.fromUs)} … ${iso(sel.validation.toUs)}) ` +
      `with the same estimators; the highest DR is chosen, refitted on the whole ${trainPct}%, and evaluated once on the last ${100 - trainPct}%.`,
  );
  const vrows: string[][] = [['validation', 'DR', 'DR 95% CI', 'IPW', 'SNIPW', 'DM', 'rows w>0', 'mean w']];
  for (const c of sel.candidates)
    vrows.push([
      `${c.name === sel.chosen.name ? '* ' : '  '}${c.name}`,
      pct(c.estimates.dr),
      ci(c.drCi),
      pct(c.estimates.ipw),
      pct(c.estimates.snipw),
      pct(c.estimates.dm),
      String(c.matchedRounds),
      c.meanWeight.toFixed(3),
    ]);
  lines.push(...table(vrows));
  lines.push(
    `chosen policy: ${sel.chosen.name} (${sel.chosen.description}). ` +
      `Validation has only ${sel.validation.clicks} clicks: the choice is noisy, but it never saw the evaluation rows.`,
  );
  lines.push(
    `click model: Beta-smoothed click rates (prior Beta(1, ${m.prior.beta.toFixed(0)}) = one pseudo-click at ` +
      `the training rate ${pct(m.baseCtr)}): one posterior per item, one shared "user clicked this item before" arm ` +
      `(training: ${m.affinityClicks} of ${m.affinityRounds} such rounds clicked); π(a|x,k) exact ` +
      `(${report.userContexts} user contexts; ${report.matchedRounds} of ${report.evaluation.rounds} evaluation rows have w>0). ` +
      `DR reward model q̂ = posterior mean × position lift (${m.positionLift.map((l) => l.toFixed(2)).join('/')}).`,
  );
  lines.push('');
  const rows: string[][] = [['estimator', 'click rate', '95% CI (bootstrap)', 'n']];
  for (const name of ['ipw', 'snipw', 'dr', 'dm'] as EstimatorName[])
    rows.push([
      `ours (${report.selection.chosen.name}): ${LABEL[name]}`,
      pct(e[name].value),
      ci(e[name].ci),
      String(report.evaluation.rounds),
    ]);
  rows.push([
    'logged random, evaluation 30%',
    pct(report.evaluation.ctr),
    '',
    String(report.evaluation.rounds),
  ]);
  rows.push([
    'logged random, whole log',
    pct(report.randomOverall.ctr),
    '',
    String(report.randomOverall.rounds),
  ]);
  rows.push(['logged BTS, whole log', pct(bts), '', String(report.btsOverall.rounds)]);
  rows.push([
    'logged BTS, evaluation time window',
    pct(report.btsEvaluationWindow.ctr),
    '',
    String(report.btsEvaluationWindow.rounds),
  ]);
  lines.push(...table(rows));
  lines.push('');
  const above = (v: number) => (v > bts ? 'ABOVE' : 'NOT above');
  const interval =
    e.dr.ci[0] > bts
      ? 'lies wholly above it'
      : e.dr.ci[1] < bts
        ? 'lies wholly below it'
        : 'contains it: the difference is not significant';
  const window = report.btsEvaluationWindow.ctr;
  lines.push(
    `verdict: DR ${pct(e.dr.value)} is ${above(e.dr.value)} the logged BTS rate ${pct(bts)} (whole BTS log); ` +
      `IPW ${pct(e.ipw.value)} is ${above(e.ipw.value)}. The DR 95% CI ${ci(e.dr.ci)} ${interval}. ` +
      `Against BTS in the same time window as the evaluation part (${pct(window)}), DR is ` +
      `${e.dr.value > window ? 'ABOVE' : 'NOT above'}.`,
  );
  lines.push(
    `caveats: only ${report.evaluation.clicks} clicks in the evaluation part and ${report.train.clicks} to learn from; ` +
      `CIs are percentile bootstrap, ${report.options.resamples} resamples of the ${report.evaluation.rounds} evaluation ` +
      `rounds (seed ${report.options.seed}); DR CI width ${pct(e.dr.ci[1] - e.dr.ci[0])}. Mean importance weight ` +
      `${report.meanWeight.toFixed(3)} (1 expected). ${report.evaluationRoundsWithAffinity} evaluation rounds have a user with past clicks. ` +
      `This is a 10,000-row sample per log; BTS was learned on the full A/B test.`,
  );
  lines.push(
    "JSON: rounds = evaluation rounds; ourCtrIpw/ourCtrDr = IPW/DR estimates; ciLow/ciHigh = the DR estimate's 95% CI; " +
      "randomCtr = the random log's click rate on the same evaluation 30%; btsCtr = the BTS log's click rate over all its rows.",
  );
  return lines;
}
