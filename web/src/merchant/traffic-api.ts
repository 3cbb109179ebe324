/**
 * The merchant's traffic: rows per day and source (`GET /merchant/traffic`) and the store's plans
 * (`GET /merchant/traffic/plans`: cold start, launch credits, Fuyao), as the traffic page reads them.
 */
import { api, type ResponseOf } from '../api/client.ts';

export type MyTraffic = ResponseOf<'/merchant/traffic', 'get'>;
export type MyPlans = ResponseOf<'/merchant/traffic/plans', 'get'>;
export type ColdStartPlan = MyPlans['coldStart'];
export type LaunchPlan = MyPlans['launch'];
export type FuyaoPlan = MyPlans['fuyao'];
export type FuyaoCheck = FuyaoPlan['checks'][number];

export const trafficApi = {
  traffic: (days: number, signal?: AbortSignal) =>
    api.get('/merchant/traffic', { params: { query: { days } }, signal }),
  plans: (signal?: AbortSignal) => api.get('/merchant/traffic/plans', { signal }),
};
