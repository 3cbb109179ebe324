/** Types and calls of the size assistant API (`/size/*`, fit feedback, after-sale, insights, metrics). */

import {
  aftersaleRequestReasonValues,
  type components,
  sizeProfileLabelValues,
  zoneReasonLevelValues,
  zoneReasonZoneValues,
} from '../api/schema.gen.ts';
import { api, type BodyOf } from '../api.ts';

type Schemas = components['schemas'];

export type SizeProfile = Schemas['SizeProfile'];
export type BodyAnswers = SizeProfile['answers'];
export type Sex = NonNullable<BodyAnswers['sex']>;
export type FitPreference = NonNullable<BodyAnswers['fitPreference']>;
export type ProfileLabel = SizeProfile['label'];
export const PROFILE_LABELS = sizeProfileLabelValues;
/** Unlikely answers (e.g. 219 cm and 40 kg), as the server flags them. */
export type PlausibilityFlag = SizeProfile['bodyCheck'][number];

/** How one zone of a size fits: codes worded by `sizing.zones` and `sizing.levels`. */
export type ZoneReason = Schemas['ZoneReason'];
export type Zone = ZoneReason['zone'];
export const ZONES = zoneReasonZoneValues;
export type FitLevel = ZoneReason['level'];
/** A note on how a body was estimated: a code with parameters, worded by `sizing.notes.<code>`. */
export type SizeNote = Schemas['SizeNote'];
export type SizeOption = Schemas['SizeOption'];
export type AvatarData = Schemas['SizeAvatar'];
export type AvatarBodyZone = AvatarData['body'][number];
export type AvatarGarmentZone = AvatarData['sizes'][number]['zones'][number];
/** Firm, or a choice between two neighbouring sizes (leaning by the buyer's fit preference when known). */
export type SizeDecision = Schemas['SizeDecision'];
export type Recommendation = Schemas['SizeRecommendation'];

export type FitOutcome = BodyOf<'/orders/{id}/fit-feedback', 'post'>['fit'];
export const FIT_OUTCOMES: readonly FitOutcome[] = ['small', 'fit', 'large'];

export type AftersaleRequest = Schemas['AftersaleRequest'];
export type AftersaleReason = AftersaleRequest['reason'];
export const AFTERSALE_REASONS = aftersaleRequestReasonValues;

export type ProductInsight = Schemas['SizeInsight'];
export type Verdict = ProductInsight['verdict'];
export type SizeMetrics = Schemas['SizeMetrics'];

export const sizingApi = {
  profiles: (signal?: AbortSignal) => api.get('/size/profiles', { signal }).then((r) => r.profiles),
  createProfile: (input: BodyOf<'/size/profiles', 'post'>) =>
    api.post('/size/profiles', { body: input }).then((r) => r.profile),
  updateProfile: (id: string, patch: BodyOf<'/size/profiles/{id}', 'patch'>) =>
    api.patch('/size/profiles/{id}', { params: { path: { id } }, body: patch }).then((r) => r.profile),
  deleteProfile: (id: string) => api.del('/size/profiles/{id}', { params: { path: { id } } }),
  recommend: (input: BodyOf<'/size/recommend', 'post'>) =>
    api.post('/size/recommend', { body: input }).then((r) => r.recommendation),
  orderFit: (orderId: string, signal?: AbortSignal) =>
    api.get('/orders/{id}/fit-feedback', { params: { path: { id: orderId } }, signal }).then((r) => r.items),
  fitFeedback: (orderId: string, skuId: string, fit: FitOutcome) =>
    api.post('/orders/{id}/fit-feedback', { params: { path: { id: orderId } }, body: { skuId, fit } }),
  aftersale: (input: BodyOf<'/aftersale/requests', 'post'>) =>
    api.post('/aftersale/requests', { body: input }).then((r) => r.request),
  aftersaleList: (signal?: AbortSignal) => api.get('/aftersale/requests', { signal }).then((r) => r.items),
  insights: (signal?: AbortSignal) => api.get('/merchant/size-insights', { signal }),
  metrics: (days: number, signal?: AbortSignal) =>
    api.get('/ops/size-metrics', { params: { query: { days } }, signal }),
};

let apparelIds: Promise<Set<string>> | undefined;
/** Ids of apparel categories (roots and leaves), fetched once per page load. */
export function apparelCategoryIds(): Promise<Set<string>> {
  apparelIds ??= api
    .get('/categories')
    .then(({ categories }) => {
      const ids = new Set<string>();
      for (const c of categories) {
        if (c.isApparel) ids.add(c.id);
        for (const ch of c.children ?? []) if (ch.isApparel) ids.add(ch.id);
      }
      return ids;
    })
    .catch((e) => {
      apparelIds = undefined;
      throw e;
    });
  return apparelIds;
}

/** Details of the 422 `child_profile_needed` answer: a grown-up's body on a children's product. */
export interface ChildProfileNeeded {
  sizeRangeCm: [number, number] | null;
  heightCm: number;
}

/** A profile's name as shown: its own, else its label's name in the reader's language ("Me" / "我"). */
export const profileName = (p: Pick<SizeProfile, 'name' | 'label'>, t: (key: string) => string) =>
  p.name ?? t(`sizing.labels.${p.label}`);

/** Percent with no decimals, '—' for null. */
export const pct = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(digits)}%`;

/** The five fit levels, tight → loose, with their colours (red-ish, green, blue-ish). */
export const FIT_LEVELS = zoneReasonLevelValues;
export const FIT_COLORS: Record<FitLevel, string> = {
  tight: '#e5484d',
  'slightly tight': '#f79a8e',
  'just right': '#30a46c',
  'slightly loose': '#7cc4f8',
  loose: '#2b7de9',
};
/** i18n key suffix of a fit level. */
export const levelKey = (l: FitLevel) => l.replace(' ', '_');
