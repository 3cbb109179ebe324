/** Types and calls of the size assistant API (`/size/*`, fit feedback, after-sale, insights, metrics). */
import { api, type Category } from '../api.ts';

export type Sex = 'female' | 'male';
export type FitPreference = 'snug' | 'regular' | 'loose';
export type Zone = 'chest' | 'waist' | 'hip' | 'shoulder' | 'inseam';
export const ZONES: Zone[] = ['chest', 'waist', 'hip', 'shoulder', 'inseam'];
export type FitLevel = 'tight' | 'slightly tight' | 'just right' | 'slightly loose' | 'loose';
export type FitOutcome = 'small' | 'fit' | 'large';
export const FIT_OUTCOMES: FitOutcome[] = ['small', 'fit', 'large'];

export interface BodyAnswers {
  heightCm: number;
  weightKg: number;
  age?: number;
  sex?: Sex;
  fitPreference?: FitPreference;
  bellyShape?: 'flat' | 'average' | 'round';
  hipShape?: 'narrow' | 'average' | 'wide';
  braSize?: string;
  usualSize?: string;
}

export type ProfileLabel = 'self' | 'partner' | 'child' | 'other';
export const PROFILE_LABELS: ProfileLabel[] = ['self', 'partner', 'child', 'other'];

/** Unlikely answers (e.g. 219 cm and 40 kg), as the server flags them. */
export type PlausibilityFlag = 'bmi_low' | 'bmi_high' | 'height_high' | 'height_low';

export interface SizeProfile {
  id: string;
  label: ProfileLabel;
  /** Null: the default name, shown by label in the reader's language (`profileName`). */
  name: string | null;
  answers: BodyAnswers;
  bodyCheck: PlausibilityFlag[];
  estimate: {
    sex?: Sex;
    fitPreference: FitPreference;
    outOfRange: boolean;
    notes: SizeNote[];
    zones: Partial<Record<Zone, { cm: number; sdCm: number }>>;
  };
  measurements: Partial<Record<Zone, number>>;
  body: Partial<Record<Zone, { cm: number; sdCm: number; source: 'estimate' | 'measured' }>>;
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
}

/** How one zone of a size fits: codes worded by `sizing.zones` and `sizing.levels`. */
export interface ZoneReason {
  zone: Zone;
  easeCm: number;
  level: FitLevel;
}

/** A note on how a body was estimated: a code with parameters, worded by `sizing.notes.<code>`. */
export type SizeNote =
  | {
      code:
        | 'sex_unknown'
        | 'age_unknown'
        | 'height_weight_implausible'
        | 'weight_implausible'
        | 'height_implausible'
        | 'unusual_combination';
      params: Record<string, never>;
    }
  | {
      code: 'outside_survey_range';
      params: { measure: 'height' | 'weight' | 'bmi' | 'age'; value: number; min: number; max: number };
    }
  | { code: 'bra_size_unknown'; params: { braSize: string } }
  | { code: 'usual_size_unknown'; params: { usualSize: string } };

export interface SizeOption {
  size: string;
  pSmall: number;
  pFit: number;
  pLarge: number;
  reasons: ZoneReason[];
}

export interface AvatarBodyZone {
  zone: Zone;
  yCm: number;
  valueCm: number;
  frontCm: number;
  sideCm: number;
}

export interface AvatarGarmentZone extends AvatarBodyZone {
  easeCm: number;
  level: FitLevel;
}

export interface AvatarData {
  heightCm: number;
  body: AvatarBodyZone[];
  sizes: Array<{ size: string; zones: AvatarGarmentZone[]; lengthCm?: number }>;
}

/** Firm, or a choice between two neighbouring sizes (leaning by the buyer's fit preference when known). */
export type SizeDecision =
  | { code: 'none' }
  | { code: 'firm'; size: string }
  | { code: 'beyond'; size: string; direction: 'large' | 'small' }
  | { code: 'between'; smaller: string; larger: string; pick: string; preference: 'snug' | 'loose' | null };

export interface Recommendation {
  productId: string;
  profileId: string | null;
  recommendedSize: string | null;
  confidence: number;
  decision: SizeDecision;
  bodyCheck: PlausibilityFlag[];
  /** `category`: the product has no size chart; the category's typical one was used. */
  chartSource: 'product' | 'category';
  reasons: ZoneReason[];
  sizes: SizeOption[];
  body: Partial<Record<Zone, { cm: number; sdCm?: number }>>;
  notes: SizeNote[];
  avatar: AvatarData;
}

export const AFTERSALE_REASONS = [
  'size_too_small',
  'size_too_large',
  'quality',
  'not_as_described',
  'changed_mind',
  'other',
] as const;
export type AftersaleReason = (typeof AFTERSALE_REASONS)[number];

export interface AftersaleRequest {
  id: string;
  orderId: string;
  skuId: string;
  productId: string;
  reason: AftersaleReason;
  note: string;
  amountFen: number;
  status: 'requested' | 'approved' | 'rejected' | 'refunded';
  createdAt: string;
}

export type Verdict = 'not_enough_data' | 'runs_small' | 'true_to_size' | 'runs_large';

export interface ProductInsight {
  productId: string;
  title: string;
  categoryId: string;
  status: string;
  hasChart: boolean;
  feedback: { small: number; fit: number; large: number; total: number };
  purchasedLines: number;
  sizeRefunds: number;
  sizeRefundRate: number | null;
  verdict: Verdict;
  fitShiftCm: number;
  suggestedChartCorrectionCm: Partial<Record<Zone, number>> | null;
  learnedOffset: number;
}

export interface SizeMetrics {
  from: string;
  to: string;
  days: number;
  apparelLines: number;
  linesWithRecommendation: number;
  recommendationShare: number | null;
  sizeRefundRate: { withRecommendation: number | null; withoutRecommendation: number | null };
  sizeRefunds: { withRecommendation: number; withoutRecommendation: number };
  recommendationsShown: number;
  fitOutcomes: { small: number; fit: number; large: number };
  daily: Array<{
    day: string;
    lines: number;
    withRecommendation: number;
    sizeRefundsWith: number;
    sizeRefundsWithout: number;
    recommendationShare: number | null;
    refundRateWith: number | null;
    refundRateWithout: number | null;
  }>;
}

export const sizingApi = {
  profiles: (signal?: AbortSignal) => api.get('/size/profiles', { signal }).then((r) => r.profiles),
  createProfile: (input: {
    label: ProfileLabel;
    name?: string | null;
    answers: BodyAnswers;
    measurements?: Partial<Record<Zone, number>>;
  }) => api.post('/size/profiles', { body: input }).then((r) => r.profile),
  updateProfile: (
    id: string,
    patch: {
      label?: ProfileLabel;
      name?: string | null;
      answers?: BodyAnswers;
      measurements?: Partial<Record<Zone, number>>;
    },
  ) => api.patch('/size/profiles/{id}', { params: { path: { id } }, body: patch }).then((r) => r.profile),
  deleteProfile: (id: string) => api.del('/size/profiles/{id}', { params: { path: { id } } }),
  recommend: (input: { productId: string; profileId?: string; answers?: BodyAnswers }) =>
    api.post('/size/recommend', { body: input }).then((r) => r.recommendation),
  orderFit: (orderId: string, signal?: AbortSignal) =>
    api.get('/orders/{id}/fit-feedback', { params: { path: { id: orderId } }, signal }).then((r) => r.items),
  fitFeedback: (orderId: string, skuId: string, fit: FitOutcome) =>
    api.post('/orders/{id}/fit-feedback', { params: { path: { id: orderId } }, body: { skuId, fit } }),
  aftersale: (input: { orderId: string; skuId: string; reason: AftersaleReason; note?: string }) =>
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
export const FIT_LEVELS: FitLevel[] = ['tight', 'slightly tight', 'just right', 'slightly loose', 'loose'];
export const FIT_COLORS: Record<FitLevel, string> = {
  tight: '#e5484d',
  'slightly tight': '#f79a8e',
  'just right': '#30a46c',
  'slightly loose': '#7cc4f8',
  loose: '#2b7de9',
};
/** i18n key suffix of a fit level. */
export const levelKey = (l: FitLevel) => l.replace(' ', '_');
