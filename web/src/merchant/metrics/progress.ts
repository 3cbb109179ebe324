/**
 * The merchant figures page's two progress cards. Their routes belong to other modules (growth's
 * village, social's fans); these are the parts of their answers the cards read.
 */
export type Village = { steps: Array<{ key: string; done: boolean }>; done: number; total: number };
/** The fan plan as `GET /merchant/fans` answers it (`plan`, null when not enrolled). */
export type FanPlan = {
  startFans: number;
  targetFans: number;
  fans: number;
  progressPct: number;
  daysLeft: number;
  status: 'active' | 'met' | 'ended';
};

const percent = (part: number, whole: number) =>
  whole <= 0 ? 0 : Math.max(0, Math.min(100, Math.round((part / whole) * 100)));

export function villageProgress(v: Village) {
  return { done: v.done, total: v.total, percent: percent(v.done, v.total) };
}

/** The plan's card: the server's share of the gain reached, kept within 0..100. */
export function fanPlanProgress(plan: FanPlan) {
  return {
    start: plan.startFans,
    target: plan.targetFans,
    fans: plan.fans,
    daysLeft: plan.daysLeft,
    status: plan.status,
    percent: Math.max(0, Math.min(100, Math.round(plan.progressPct))),
  };
}
