import { mulberry32 } from '../../../platform/random.ts';
import type { LoggedRound } from './bandit-log-csv.ts';

/**
 * A seeded synthetic log in the OBD's shape, with a known truth, for tests and fixtures: each round
 * has a slot k, a user with (sometimes) one previously clicked item, an item drawn by a known
 * logging policy, and a click drawn from a known click probability.
 */
export interface SyntheticLogSpec {
  nItems: number;
  slots: number;
  rounds: number;
  seed: number;
  /** True click probability of item a in slot k, for a user who did (not) click a before. */
  clickProb: (a: number, k: number, clickedBefore: boolean) => number;
  /** Logging policy π_b(a | k) (unnormalised weights per item); uniform when absent. */
  loggingWeights?: (k: number) => number[];
  /** Share of rounds whose user has one previously clicked item (uniform over items). */
  affinityShare?: number;
  /** First timestamp (µs) and the step between rounds. */
  startUs?: number;
  stepUs?: number;
}

export function generateSyntheticLog(spec: SyntheticLogSpec): LoggedRound[] {
  const rng = mulberry32(spec.seed);
  const start = spec.startUs ?? Date.parse('2019-11-24T00:00:00Z') * 1000;
  const step = spec.stepUs ?? 60_000_000;
  const rounds: LoggedRound[] = [];
  for (let i = 0; i < spec.rounds; i++) {
    const position = Math.floor(rng() * spec.slots);
    const affinityItems = rng() < (spec.affinityShare ?? 0) ? [Math.floor(rng() * spec.nItems)] : [];
    const w = spec.loggingWeights?.(position) ?? new Array<number>(spec.nItems).fill(1);
    const total = w.reduce((s, x) => s + x, 0);
    let u = rng() * total;
    let item = 0;
    while (item < spec.nItems - 1 && u >= w[item]) u -= w[item++];
    const p = spec.clickProb(item, position, affinityItems.includes(item));
    rounds.push({
      timeUs: start + i * step,
      item,
      position,
      click: rng() < p ? 1 : 0,
      propensity: w[item] / total,
      affinityItems,
    });
  }
  return rounds;
}

function timestampText(us: number): string {
  const iso = new Date(Math.floor(us / 1000)).toISOString(); // 2019-11-24T00:00:00.000Z
  const micros = String(Math.floor(us % 1_000_000)).padStart(6, '0');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${micros}+00:00`;
}

/** The rounds as an OBD log CSV (same header layout as the real files; user features constant). */
export function toObdCsv(rounds: readonly LoggedRound[], nItems: number): string {
  const header = [
    '',
    'timestamp',
    'item_id',
    'position',
    'click',
    'propensity_score',
    'user_feature_0',
    'user_feature_1',
    'user_feature_2',
    'user_feature_3',
    ...Array.from({ length: nItems }, (_, i) => `user-item_affinity_${i}`),
  ];
  const lines = [header.join(',')];
  rounds.forEach((r, i) => {
    const affinity = Array.from({ length: nItems }, (_, a) => (r.affinityItems.includes(a) ? '1.0' : '0.0'));
    lines.push(
      [
        i,
        timestampText(r.timeUs),
        r.item,
        r.position + 1,
        r.click,
        r.propensity,
        'cef3390ed299c09874189c387777674a',
        '03a5648a76832f83c859d46bc06cb64a',
        '7bc94a2da491829b777c49c4b5e480f2',
        '9bde591ffaab8d54c457448e4dca6f53',
        ...affinity,
      ].join(','),
    );
  });
  return `${lines.join('\n')}\n`;
}
