/**
 * Pacing of contracts. Each contract has a shadow price (boost, in units of the feed's typical
 * expected value per impression) that a PI controller moves every pacing step from the gap between
 * the paced target (target × share of the day's traffic elapsed, reached a little before the day
 * ends) and what was delivered. The day's traffic profile is learned from impressions (uniform until
 * a day has been seen).
 */

export const PROFILE_BUCKETS = 96;

/** Share of a day's traffic per time-of-day bucket, learned across days. */
export class TrafficProfile {
  private shares: number[] = Array.from({ length: PROFILE_BUCKETS }, () => 1 / PROFILE_BUCKETS);
  private today: number[] = new Array(PROFILE_BUCKETS).fill(0);
  private todayTotal = 0;

  static bucket(at: Date, day: { start: Date; end: Date }): number {
    const span = day.end.getTime() - day.start.getTime();
    if (span <= 0) return 0;
    const f = (at.getTime() - day.start.getTime()) / span;
    return Math.max(0, Math.min(PROFILE_BUCKETS - 1, Math.floor(f * PROFILE_BUCKETS)));
  }

  record(at: Date, day: { start: Date; end: Date }, count = 1): void {
    this.today[TrafficProfile.bucket(at, day)] += count;
    this.todayTotal += count;
  }

  /** Folds the finished day into the profile (a day with little traffic changes it little). */
  endDay(): void {
    if (this.todayTotal > 0) {
      const w = Math.min(0.5, this.todayTotal / 2000);
      this.shares = this.shares.map((s, i) => (1 - w) * s + (w * this.today[i]) / this.todayTotal);
    }
    this.today = new Array(PROFILE_BUCKETS).fill(0);
    this.todayTotal = 0;
  }

  /** Expected share of the day's traffic before `at`. */
  elapsedShare(at: Date, day: { start: Date; end: Date }): number {
    const span = day.end.getTime() - day.start.getTime();
    if (span <= 0) return 1;
    const f = (at.getTime() - day.start.getTime()) / span;
    if (f <= 0) return 0;
    if (f >= 1) return 1;
    const exact = f * PROFILE_BUCKETS;
    const whole = Math.floor(exact);
    let share = 0;
    for (let i = 0; i < whole; i++) share += this.shares[i];
    share += (exact - whole) * this.shares[whole];
    return Math.min(1, share);
  }

  profile(): readonly number[] {
    return this.shares;
  }
}

/** The paced target at a point of the day: the target scaled by the traffic share elapsed, reached by `finishBy` of the day's traffic. */
export function pacedTarget(target: number, elapsedShare: number, finishBy = 0.9): number {
  return target * Math.min(1, elapsedShare / finishBy);
}

export interface PiGains {
  kp: number;
  ki: number;
  /** Bounds of the integral term (anti-windup). */
  integralMin: number;
  integralMax: number;
  maxBoost: number;
}

export const DEFAULT_GAINS: PiGains = { kp: 30, ki: 5, integralMin: -2, integralMax: 40, maxBoost: 200 };

export interface PiState {
  boost: number;
  integral: number;
}

/**
 * One PI step. `error` = (paced − delivered) / target: positive when behind. Once the target is
 * reached the boost is 0 (a minimum gets just enough; a budget is spent).
 */
export function piStep(
  state: PiState,
  target: number,
  paced: number,
  delivered: number,
  gains: PiGains = DEFAULT_GAINS,
  /** True once the paced target is the whole target (the part of the day left for catching up). */
  lateInDay = false,
): PiState {
  if (target <= 0 || delivered >= target) return { boost: 0, integral: 0 };
  const error = (paced - delivered) / target;
  const integral = Math.max(gains.integralMin, Math.min(gains.integralMax, state.integral + error));
  let boost = Math.max(0, Math.min(gains.maxBoost, gains.kp * error + gains.ki * integral));
  // Catch-up: a contract still short when the pacer wanted it complete gets the largest boost, so the
  // few impressions left are delivered before the day ends.
  if (lateInDay && error > 0) boost = gains.maxBoost;
  return { boost, integral };
}
