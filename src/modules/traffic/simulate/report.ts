/** The simulator's readable table and its chart (HTML with ECharts inlined). */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Summary } from './compare.ts';
import type { WorldOptions } from './world.ts';

const yuan = (fen: number) => (fen / 100).toLocaleString('en-US', { maximumFractionDigits: 0 });
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pad = (s: string, n: number) => s.padStart(n);

export function formatTable(s: Summary, world: WorldOptions): string {
  const lines: string[] = [];
  lines.push(
    `world: seed ${s.seed}, ${s.days} days, ${world.buyers} buyers, ${world.establishedStores} established stores, ` +
      `~${world.newStoresPerDay} new stores/day, cold start ${world.coldStartDays} days, minimum ${world.minimumImpressions} impressions/day, plan cap 10%`,
  );
  lines.push('');
  lines.push(
    [
      'day',
      'new',
      'coverage',
      'pure cov',
      'GMV gravity',
      'GMV pure',
      'paired ratio',
      'runs ratio',
      'cold-start share',
    ]
      .map((h, i) => pad(h, i < 2 ? 4 : 13))
      .join(' '),
  );
  for (let i = 0; i < s.gravity.length; i++) {
    const g = s.gravity[i];
    const p = s.pure[i];
    lines.push(
      [
        pad(String(g.day + 1), 4),
        pad(String(g.newStores), 4),
        pad(g.newStores ? pct(g.reached / g.newStores) : '-', 13),
        pad(p.newStores ? pct(p.reached / p.newStores) : '-', 13),
        pad(yuan(g.gmvFen), 13),
        pad(yuan(p.gmvFen), 13),
        pad((g.expectedGmvFen / Math.max(1, g.organicExpectedGmvFen)).toFixed(4), 13),
        pad((g.expectedGmvFen / Math.max(1, p.expectedGmvFen)).toFixed(3), 13),
        pad(pct(g.impressions ? g.bySource.cold_start / g.impressions : 0), 13),
      ].join(' '),
    );
  }
  lines.push('');
  lines.push(`coverage (Σ reached / Σ new-store-days, new stores with ≥1 live product): ${pct(s.coverage)}`);
  lines.push(
    `  mean of daily coverage ${pct(s.meanDailyCoverage)}, lowest day ${pct(s.minDailyCoverage)}; pure ranking ${pct(s.pureCoverage)}`,
  );
  lines.push(
    `GMV vs pure ranking, paired (same requests, same learned state; expected GMV under the latent truth): ${s.gmvVsPureRanking.toFixed(4)}`,
  );
  lines.push(
    `GMV vs pure ranking, separate runs (expected): gravity ¥${yuan(s.expectedGmvFen.gravity)} vs pure ¥${yuan(s.expectedGmvFen.pure)} → ${s.separateRunGmvRatio.toFixed(4)}`,
  );
  lines.push(
    `GMV vs pure ranking, separate runs (realised orders): gravity ¥${yuan(s.gmvFen.gravity)} vs pure ¥${yuan(s.gmvFen.pure)} → ${s.realisedGmvVsPureRanking.toFixed(4)}`,
  );
  lines.push(
    `GMV of stores after cold start: gravity ¥${yuan(s.graduatedGmvFen.gravity)} vs pure ¥${yuan(s.graduatedGmvFen.pure)} ` +
      `(expected ¥${yuan(s.graduatedExpectedGmvFen.gravity)} vs ¥${yuan(s.graduatedExpectedGmvFen.pure)})`,
  );
  lines.push(
    `traffic by source (gravity): ${Object.entries(s.trafficShare)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${pct(v)}`)
      .join(', ')}; highest plan share after any page ${pct(s.maxPlanShare)} (cap 10%)`,
  );
  lines.push(
    `cold-start plan cost (engine's estimate, displaced − shown expected value): ¥${yuan(s.planCostFen)}`,
  );
  lines.push(
    `budget / cap violations: ${s.violations}; cold-start impressions to stores past cold start: ${s.coldStartToOldStores}`,
  );
  return lines.join('\n');
}

export function chartHtml(s: Summary): string {
  const require = createRequire(import.meta.url);
  const echarts = fs.readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
  const days = s.gravity.map((d) => d.day + 1);
  const series = {
    coverage: s.gravity.map((d) => (d.newStores ? d.reached / d.newStores : null)),
    pureCoverage: s.pure.map((d) => (d.newStores ? d.reached / d.newStores : null)),
    gmvGravity: s.gravity.map((d) => Math.round(d.gmvFen / 100)),
    gmvPure: s.pure.map((d) => Math.round(d.gmvFen / 100)),
    gradGravity: s.gravity.map((d) => Math.round(d.graduatedGmvFen / 100)),
    gradPure: s.pure.map((d) => Math.round(d.graduatedGmvFen / 100)),
    coldShare: s.gravity.map((d) => (d.impressions ? d.bySource.cold_start / d.impressions : 0)),
  };
  const data = JSON.stringify({ days, series }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gravity simulate — seed ${s.seed}</title>
<style>body{font-family:system-ui,sans-serif;margin:16px}.c{width:100%;height:320px}</style></head>
<body><h1>gravity simulate — seed ${s.seed}, ${s.days} days</h1>
<p>coverage ${(s.coverage * 100).toFixed(2)}% · GMV vs pure ranking ${s.gmvVsPureRanking.toFixed(4)} (paired), ${s.separateRunGmvRatio.toFixed(4)} (separate runs, expected), ${s.realisedGmvVsPureRanking.toFixed(4)} (separate runs, realised)</p>
<div id="cov" class="c"></div><div id="gmv" class="c"></div><div id="grad" class="c"></div><div id="share" class="c"></div>
<script>${echarts}</script>
<script>
const d = ${data};
function chart(id, title, series, percent) {
  echarts.init(document.getElementById(id)).setOption({
    title: { text: title, left: 0 }, tooltip: { trigger: 'axis' }, legend: { top: 4, right: 10 },
    grid: { top: 50, left: 70, right: 40, bottom: 30 },
    xAxis: { type: 'category', data: d.days, name: 'day' },
    yAxis: { type: 'value', axisLabel: percent ? { formatter: (v) => (v * 100).toFixed(1) + '%' } : {} },
    series: series.map(([name, data]) => ({ name, type: 'line', data, showSymbol: false })),
  });
}
chart('cov', 'Cold-start coverage per day', [['Gravity', d.series.coverage], ['pure ranking', d.series.pureCoverage]], true);
chart('gmv', 'GMV per day (yuan)', [['Gravity', d.series.gmvGravity], ['pure ranking', d.series.gmvPure]]);
chart('grad', 'GMV of stores after cold start (yuan)', [['Gravity', d.series.gradGravity], ['pure ranking', d.series.gradPure]]);
chart('share', 'Cold-start share of impressions (Gravity)', [['cold start', d.series.coldShare]], true);
</script></body></html>
`;
}
