/**
 * The comparison `gravity simulate` reports: the same seeded world run under pure ranking (no
 * contracts) and under Gravity's allocation (cold-start minimums paced by the engine), and the figures
 * derived from the two runs.
 */
import type { FeedEngineOptions } from '../engine/feed-engine.ts';
import { type DayResult, runArm } from './run.ts';
import { createWorld, DEFAULT_WORLD, type WorldOptions } from './world.ts';

export interface SimulateOptions {
  seed: number;
  days: number;
  world?: Partial<Omit<WorldOptions, 'seed' | 'days'>>;
  engine?: FeedEngineOptions;
  onDay?: (arm: 'pure' | 'gravity', result: DayResult) => void;
}

/** Engine options of the simulator: smaller candidate sets than the service's (the world is small). */
export const SIM_ENGINE: FeedEngineOptions = { annCandidates: 100, popularCandidates: 40, planShareCap: 0.1 };

export interface Summary {
  days: number;
  seed: number;
  /** Coverage over the run: Σ new stores that reached their minimum / Σ new stores with a live product, over all days. */
  coverage: number;
  /** Mean of the daily coverages (days with at least one new store). */
  meanDailyCoverage: number;
  /** Lowest daily coverage. */
  minDailyCoverage: number;
  /** Pure ranking's coverage (no contracts), for comparison. */
  pureCoverage: number;
  /**
   * Paired: Gravity's expected GMV / the expected GMV of pure ranking's pages for the very same
   * requests and learned state (each plan placement replaced by the organic item it displaced).
   */
  gmvVsPureRanking: number;
  /** Separate runs: Gravity's expected GMV / the pure-ranking run's (includes run-to-run learning noise). */
  separateRunGmvRatio: number;
  /** The same ratio on realised orders (noisier). */
  realisedGmvVsPureRanking: number;
  gmvFen: { pure: number; gravity: number };
  expectedGmvFen: { pure: number; gravity: number };
  /** Expected GMV of stores after they left cold start. */
  graduatedExpectedGmvFen: { pure: number; gravity: number };
  graduatedGmvFen: { pure: number; gravity: number };
  /** Share of Gravity's impressions by source. */
  trafficShare: Record<string, number>;
  maxPlanShare: number;
  /** Pages where a budget or the cap was exceeded (must be 0). */
  violations: number;
  /** Cold-start impressions to stores that were not new (must be 0). */
  coldStartToOldStores: number;
  /** Engine's estimate of the GMV cost of the cold-start plan (displaced − shown expected value), fen. */
  planCostFen: number;
  pure: DayResult[];
  gravity: DayResult[];
}

const sum = (list: DayResult[], f: (d: DayResult) => number) => list.reduce((a, d) => a + f(d), 0);

export function summarize(seed: number, pure: DayResult[], gravity: DayResult[]): Summary {
  const daily = gravity.filter((d) => d.newStores > 0).map((d) => d.reached / d.newStores);
  const impressions = sum(gravity, (d) => d.impressions);
  const trafficShare: Record<string, number> = {};
  for (const source of Object.keys(gravity[0]?.bySource ?? {})) {
    trafficShare[source] = impressions
      ? sum(gravity, (d) => d.bySource[source as keyof DayResult['bySource']]) / impressions
      : 0;
  }
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 1);
  return {
    days: gravity.length,
    seed,
    coverage: ratio(
      sum(gravity, (d) => d.reached),
      sum(gravity, (d) => d.newStores),
    ),
    meanDailyCoverage: daily.length ? daily.reduce((a, b) => a + b, 0) / daily.length : 1,
    minDailyCoverage: daily.length ? Math.min(...daily) : 1,
    pureCoverage: ratio(
      sum(pure, (d) => d.reached),
      sum(pure, (d) => d.newStores),
    ),
    gmvVsPureRanking: ratio(
      sum(gravity, (d) => d.expectedGmvFen),
      sum(gravity, (d) => d.organicExpectedGmvFen),
    ),
    separateRunGmvRatio: ratio(
      sum(gravity, (d) => d.expectedGmvFen),
      sum(pure, (d) => d.expectedGmvFen),
    ),
    realisedGmvVsPureRanking: ratio(
      sum(gravity, (d) => d.gmvFen),
      sum(pure, (d) => d.gmvFen),
    ),
    gmvFen: { pure: sum(pure, (d) => d.gmvFen), gravity: sum(gravity, (d) => d.gmvFen) },
    expectedGmvFen: {
      pure: sum(pure, (d) => d.expectedGmvFen),
      gravity: sum(gravity, (d) => d.expectedGmvFen),
    },
    graduatedExpectedGmvFen: {
      pure: sum(pure, (d) => d.graduatedExpectedGmvFen),
      gravity: sum(gravity, (d) => d.graduatedExpectedGmvFen),
    },
    graduatedGmvFen: {
      pure: sum(pure, (d) => d.graduatedGmvFen),
      gravity: sum(gravity, (d) => d.graduatedGmvFen),
    },
    trafficShare,
    maxPlanShare: Math.max(0, ...gravity.map((d) => d.maxPlanShare)),
    violations: sum(gravity, (d) => d.violations),
    coldStartToOldStores: sum(gravity, (d) => d.coldStartToOldStores),
    planCostFen: sum(gravity, (d) => d.planCostFen),
    pure,
    gravity,
  };
}

/** Runs both arms on one world (in this thread). */
export function simulate(options: SimulateOptions): Summary {
  const world = createWorld({ ...DEFAULT_WORLD, ...options.world, seed: options.seed, days: options.days });
  const engine = { ...SIM_ENGINE, ...options.engine };
  const pure = runArm(world, { arm: 'pure', engine, onDay: (d) => options.onDay?.('pure', d) });
  const gravity = runArm(world, { arm: 'gravity', engine, onDay: (d) => options.onDay?.('gravity', d) });
  return summarize(options.seed, pure, gravity);
}
