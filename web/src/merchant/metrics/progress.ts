/**
 * The merchant figures page's two progress cards. Their routes belong to other modules (growth's
 * village, social's fans); these are the parts of their answers the cards read.
 */
export type Village = { steps: Array<{ key: string; done: boolean }>; done: number; total: number };
export type FanPlan = { startFans: number; targetFans: number; endsOn: string };

const percent = (part: number, whole: number) =>
  whole <= 0 ? 0 : Math.max(0, Math.min(100, Math.round((part / whole) * 100)));

export function villageProgress(v: Village) {
  return { done: v.done, total: v.total, percent: percent(v.done, v.total) };
}

/** How far the store came from its start count to its target (fans now from the fans page's total). */
export function fanPlanProgress(plan: FanPlan, fans: number) {
  return {
    start: plan.startFans,
    target: plan.targetFans,
    fans,
    endsOn: plan.endsOn,
    percent: percent(fans - plan.startFans, plan.targetFans - plan.startFans),
  };
}
