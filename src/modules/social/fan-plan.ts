/** The fan-growth plan's (涨粉计划) arithmetic, on business dates (YYYY-MM-DD). */

export interface PlanSettings {
  targetPct: number;
  days: number;
  minGain: number;
  maxStoreAgeDays: number;
  impressionsPerFan: number;
  maxDailyImpressions: number;
}

export interface PlanTerms {
  startedOn: string;
  endsOn: string;
  startFans: number;
  targetFans: number;
}

const DAY_MS = 86_400_000;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

export function addDays(day: string, days: number): string {
  return new Date((dayNumber(day) + days) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The target: start + targetPct %, rounded up, and at least start + minGain (a store with 3 fans
 * would otherwise aim at 5; the minimum makes the plan worth the exposure it gets).
 */
export function targetFans(startFans: number, s: Pick<PlanSettings, 'targetPct' | 'minGain'>): number {
  const byShare = Math.ceil((startFans * (100 + s.targetPct)) / 100);
  return Math.max(byShare, startFans + Math.max(s.minGain, 1));
}

/** The plan's days: from the enrolment day, `days` days; it ends (is over) on `endsOn`. */
export function planTerms(startedOn: string, startFans: number, s: PlanSettings): PlanTerms {
  return { startedOn, endsOn: addDays(startedOn, s.days), startFans, targetFans: targetFans(startFans, s) };
}

/** Fans the store should have by the end of `day` on the straight line from start to target. */
export function expectedFans(p: PlanTerms, day: string): number {
  const total = dayNumber(p.endsOn) - dayNumber(p.startedOn);
  const elapsed = Math.min(Math.max(dayNumber(day) - dayNumber(p.startedOn) + 1, 0), total);
  return Math.ceil(p.startFans + ((p.targetFans - p.startFans) * elapsed) / total);
}

export type PlanStatus = 'active' | 'met' | 'ended';

export function planStatus(p: PlanTerms, fans: number, today: string): PlanStatus {
  if (fans >= p.targetFans) return 'met';
  return today >= p.endsOn ? 'ended' : 'active';
}

/**
 * Today's extra exposure for a store behind its line: impressionsPerFan for each fan missing from
 * yesterday's expected count (the day has just begun), at most maxDailyImpressions; 0 when on track,
 * met, or over.
 */
export function boostImpressions(p: PlanTerms, fans: number, today: string, s: PlanSettings): number {
  if (planStatus(p, fans, today) !== 'active' || today < p.startedOn) return 0;
  const behind = expectedFans(p, addDays(today, -1)) - fans;
  if (behind <= 0) return 0;
  return Math.min(behind * s.impressionsPerFan, s.maxDailyImpressions);
}
