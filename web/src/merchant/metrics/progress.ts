import type { ResponseOf } from '../../api.ts';

/** The merchant figures page's two progress cards read growth's village and social's fan plan. */
export type Village = ResponseOf<'/merchant/growth/village', 'get'>;
/** The fan plan as `GET /merchant/fans` answers it (`plan`, null when not enrolled). */
export type FanPlan = NonNullable<ResponseOf<'/merchant/fans', 'get'>['plan']>;

const percent = (part: number, whole: number) =>
  whole <= 0 ? 0 : Math.max(0, Math.min(100, Math.round((part / whole) * 100)));

export function villageProgress(v: Pick<Village, 'done' | 'total'>) {
  return { done: v.done, total: v.total, percent: percent(v.done, v.total) };
}

/** The plan's card: the server's share of the gain reached, kept within 0..100. */
export function fanPlanProgress(
  plan: Pick<FanPlan, 'startFans' | 'targetFans' | 'fans' | 'progressPct' | 'daysLeft' | 'status'>,
) {
  return {
    start: plan.startFans,
    target: plan.targetFans,
    fans: plan.fans,
    daysLeft: plan.daysLeft,
    status: plan.status,
    percent: Math.max(0, Math.min(100, Math.round(plan.progressPct))),
  };
}
