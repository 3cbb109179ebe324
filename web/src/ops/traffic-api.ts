/**
 * The operators' view of the traffic plans: the settings, cold-start coverage per day, budget use and
 * GMV cost per plan, the stores in plans today, and launch credits granted by hand.
 */
import { api, type BodyOf, type ResponseOf } from '../api/client.ts';

export type TrafficSettings = ResponseOf<'/ops/traffic/settings', 'get'>['settings'];
export type Coverage = ResponseOf<'/ops/traffic/coverage', 'get'>;
export type CoverageDay = Coverage['days'][number];
export type PlanUse = ResponseOf<'/ops/traffic/plans', 'get'>;
export type PlanCost = PlanUse['cost'][number];
export type PlanStores = ResponseOf<'/ops/traffic/stores', 'get'>;
export type StoreInPlans = PlanStores['stores'][number];
export type LaunchGrant = BodyOf<'/ops/traffic/launch-grants', 'post'>;

export const trafficOpsApi = {
  settings: (signal?: AbortSignal) => api.get('/ops/traffic/settings', { signal }),
  saveSettings: (settings: TrafficSettings) => api.put('/ops/traffic/settings', { body: settings }),
  coverage: (days: number, signal?: AbortSignal) =>
    api.get('/ops/traffic/coverage', { params: { query: { days } }, signal }),
  plans: (days: number, signal?: AbortSignal) =>
    api.get('/ops/traffic/plans', { params: { query: { days } }, signal }),
  stores: (signal?: AbortSignal) => api.get('/ops/traffic/stores', { signal }),
  grantLaunch: (body: LaunchGrant) => api.post('/ops/traffic/launch-grants', { body }),
};
