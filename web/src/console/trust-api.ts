/**
 * The trust-shopping screens' view of the API (issue 11): coupons, guarantees a store offers and what they
 * cost, the after-sale queues, policies, abuse review and pay-later debts. The pages use only these
 * functions and types, so the mapping from the server's answers lives in one place.
 */
import { API_BASE, api, type BodyOf, type ResponseOf } from '../api/client.ts';
import { ApiError, type ErrorBody } from '../api/error-message.ts';
import type { Carrier } from '../shared/carriers.ts';

type Query = Record<string, string | number | boolean | undefined>;

/** A JSON call to `/api/v1<path>`; a refusal or a lost connection throws ApiError (as the generated client). */
async function call<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  path: string,
  opts: { query?: Query; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {}))
    if (v !== undefined && v !== '') qs.set(k, String(v));
  const url = `${API_BASE}${path}${qs.size ? `?${qs}` : ''}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'include',
      headers: {
        accept: 'application/json',
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'network_error', message: (e as Error).message || 'Network error' });
  }
  const text = await res.text();
  const json: unknown = text ? safeJson(text) : undefined;
  if (!res.ok) {
    const err = (json as { error?: Partial<ErrorBody> } | undefined)?.error;
    throw new ApiError(res.status, {
      code: typeof err?.code === 'string' ? err.code : `http_${res.status}`,
      message: typeof err?.message === 'string' ? err.message : res.statusText,
      details: err?.details,
    });
  }
  return json as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const num = (v: unknown, fallback = 0): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
type Raw = Record<string, unknown>;
const items = (v: unknown): Raw[] => {
  const list = Array.isArray(v) ? v : (v as { items?: unknown } | undefined)?.items;
  return Array.isArray(list) ? (list as Raw[]) : [];
};

// ───────────────────────────── coupons ─────────────────────────────

export type CouponKind = 'fixed' | 'threshold';

export interface Coupon {
  id: string;
  title: string;
  kind: CouponKind;
  /** What the coupon takes off. */
  amountFen: number;
  /** 满X: the spend the coupon needs (0 for a fixed coupon). */
  thresholdFen: number;
  startsAt: string;
  endsAt: string;
  /** How many may be claimed in all. */
  quantity: number;
  perBuyerLimit: number;
  claimed: number;
  used: number;
}

export interface CouponInput {
  title: string;
  kind: CouponKind;
  amountFen: number;
  thresholdFen: number;
  startsAt: string;
  endsAt: string;
  quantity: number;
  perBuyerLimit: number;
}

function coupon(r: Raw): Coupon {
  const thresholdFen = num(r.thresholdFen ?? r.minSpendFen);
  return {
    id: str(r.id),
    title: str(r.title ?? r.name),
    kind: r.kind === 'threshold' || thresholdFen > 0 ? 'threshold' : 'fixed',
    amountFen: num(r.amountFen ?? r.discountFen ?? r.valueFen),
    thresholdFen,
    startsAt: str(r.startsAt ?? r.validFrom),
    endsAt: str(r.endsAt ?? r.validUntil),
    quantity: num(r.quantity ?? r.totalQuantity ?? r.total),
    perBuyerLimit: num(r.perBuyerLimit, 1),
    claimed: num(r.claimed ?? r.claimedCount),
    used: num(r.used ?? r.usedCount ?? r.redeemedCount),
  };
}

const couponBody = (c: CouponInput) => ({
  title: c.title,
  kind: c.kind,
  amountFen: c.amountFen,
  thresholdFen: c.kind === 'threshold' ? c.thresholdFen : 0,
  startsAt: c.startsAt,
  endsAt: c.endsAt,
  quantity: c.quantity,
  perBuyerLimit: c.perBuyerLimit,
});

export const couponsApi = {
  listStore: async (signal?: AbortSignal) =>
    items(await call('GET', '/merchant/coupons', { signal })).map(coupon),
  createStore: async (c: CouponInput) => call('POST', '/merchant/coupons', { body: couponBody(c) }),
  listPlatform: async (signal?: AbortSignal) =>
    items(await call('GET', '/ops/coupons', { signal })).map(coupon),
  createPlatform: async (c: CouponInput) => call('POST', '/ops/coupons', { body: couponBody(c) }),
};

// ───────────────────────────── guarantees a store offers ─────────────────────────────

export interface StoreGuarantees {
  /** 先用后付 offered to buyers of this store. */
  payLater: boolean;
  /** 运费险: returns of this store's orders get a shipping compensation charged to the store. */
  shippingInsurance: boolean;
  /** Refund-only without return is approved automatically for low-price goods. */
  lowPriceRefundOnly: boolean;
  /** Pay later is fee-free now (the operator's promotion window), until then (null: open-ended). */
  payLaterPromotion: { active: boolean; endsAt: string | null };
  /** The fee a pay-later order placed now carries (basis points). */
  payLaterFeeBps: number;
}

export const guaranteesApi = {
  async storeSettings(signal?: AbortSignal): Promise<StoreGuarantees> {
    const [{ settings: credit }, aftersale] = await Promise.all([
      api.get('/merchant/credit/settings', { signal }),
      aftersaleApi.storeSettings(signal),
    ]);
    return {
      payLater: credit.payLaterEnabled,
      payLaterPromotion: { active: credit.promotionActive, endsAt: credit.promotionEndsAt },
      payLaterFeeBps: credit.feeBps,
      shippingInsurance: aftersale.shippingInsurance,
      lowPriceRefundOnly: aftersale.lowPriceRefundOnly,
    };
  },
  setPayLater: (payLaterEnabled: boolean) =>
    api.put('/merchant/credit/settings', { body: { payLaterEnabled } }),
  setAftersale: (body: StoreAftersaleSettings) => aftersaleApi.saveStoreSettings(body),
};

// ───────────────────────────── guarantee costs ─────────────────────────────

/** Guarantees whose cost is reported (the ledger's `platform_expense:<guarantee>` names and the merchant's). */
export const GUARANTEES = [
  'subsidy',
  'platform_coupon',
  'store_coupon',
  'price_protection',
  'return_shipping',
  'refund_only',
  'pay_later',
] as const;
export type Guarantee = string;

export interface GuaranteeCost {
  guarantee: Guarantee;
  fen: number;
  count: number;
}

export interface OrderGuaranteeCost {
  orderId: string;
  orderNo: string;
  guarantee: Guarantee;
  fen: number;
  at: string;
}

export interface MerchantCosts {
  totalFen: number;
  byGuarantee: GuaranteeCost[];
  orders: OrderGuaranteeCost[];
}

function costRows(v: unknown): GuaranteeCost[] {
  return items(v).map((r) => ({
    guarantee: str(r.guarantee ?? r.kind ?? r.expense),
    fen: num(r.fen ?? r.costFen ?? r.amountFen ?? r.totalFen),
    count: num(r.count ?? r.orders ?? r.payouts),
  }));
}

export const costsApi = {
  async merchant(signal?: AbortSignal): Promise<MerchantCosts> {
    const r = await call<Raw>('GET', '/merchant/guarantees/costs', { signal });
    const byGuarantee = costRows(r.byGuarantee ?? r.totals ?? []);
    return {
      byGuarantee,
      totalFen: num(
        r.totalFen,
        byGuarantee.reduce((s, g) => s + g.fen, 0),
      ),
      orders: items(r.orders ?? r.byOrder).map((o) => ({
        orderId: str(o.orderId),
        orderNo: str(o.orderNo, str(o.orderId).slice(0, 8)),
        guarantee: str(o.guarantee ?? o.kind),
        fen: num(o.fen ?? o.costFen ?? o.amountFen),
        at: str(o.at ?? o.createdAt),
      })),
    };
  },
  async platform(signal?: AbortSignal): Promise<GuaranteeCost[]> {
    const r = await call<Raw>('GET', '/ops/guarantees/costs', { signal });
    return costRows(r.byGuarantee ?? r.items ?? r);
  },
};

// ───────────────────────────── after-sale (h-aftersale's routes) ─────────────────────────────

type AftersaleView = ResponseOf<'/merchant/aftersale/requests', 'get'>['items'][number];
export type AftersaleKind = AftersaleView['kind'];
export type AftersaleStatus = AftersaleView['status'];
/** The after-sale policy as the operator edits it (GET/PUT /ops/aftersale/policy). */
export type AftersalePolicy = BodyOf<'/ops/aftersale/policy', 'put'>;
export type StoreAftersaleSettings = BodyOf<'/merchant/aftersale/settings', 'put'>;

export interface AftersaleRequest extends AftersaleView {
  /** The order's number when known (the request names the order by id). */
  orderNo: string;
}

/** Order numbers of the requests' orders (the merchant's own orders; one read per distinct order). */
async function withOrderNos(list: AftersaleView[], signal?: AbortSignal): Promise<AftersaleRequest[]> {
  const ids = [...new Set(list.map((r) => r.orderId))].slice(0, 60);
  const nos = new Map<string, string>();
  await Promise.all(
    ids.map(async (id) => {
      try {
        const { order } = await api.get('/merchant/orders/{id}', { params: { path: { id } }, signal });
        nos.set(id, order.orderNo);
      } catch {
        // the id stands in for the number
      }
    }),
  );
  return list.map((r) => ({ ...r, orderNo: nos.get(r.orderId) ?? r.orderId.slice(0, 8) }));
}

export const aftersaleApi = {
  listStore: async (signal?: AbortSignal) =>
    withOrderNos((await api.get('/merchant/aftersale/requests', { signal })).items, signal),
  approve: (id: string) =>
    api.post('/merchant/aftersale/requests/{id}/decision', {
      params: { path: { id } },
      body: { decision: 'approve' },
    }),
  reject: (id: string, reason: string) =>
    api.post('/merchant/aftersale/requests/{id}/decision', {
      params: { path: { id } },
      body: { decision: 'reject', note: reason },
    }),
  confirmReturn: (id: string) =>
    api.post('/merchant/aftersale/requests/{id}/return-received', { params: { path: { id } } }),
  shipReplacement: (id: string, carrier: Carrier, trackingNo: string) =>
    api.post('/merchant/aftersale/requests/{id}/replacement-shipment', {
      params: { path: { id } },
      body: { carrier, trackingNo },
    }),
  listReview: async (signal?: AbortSignal): Promise<AftersaleRequest[]> =>
    (await api.get('/ops/aftersale/requests', { params: { query: { status: 'review' } }, signal })).items.map(
      (r) => ({ ...r, orderNo: r.orderId.slice(0, 8) }),
    ),
  decide: (id: string, decision: 'approve' | 'reject', reason: string) =>
    api.post('/ops/aftersale/requests/{id}/decision', {
      params: { path: { id } },
      body: { decision, note: reason },
    }),
  policy: async (signal?: AbortSignal) => (await api.get('/ops/aftersale/policy', { signal })).policy,
  savePolicy: (policy: AftersalePolicy) => api.put('/ops/aftersale/policy', { body: policy }),
  storeSettings: (signal?: AbortSignal) => api.get('/merchant/aftersale/settings', { signal }),
  saveStoreSettings: (body: StoreAftersaleSettings) => api.put('/merchant/aftersale/settings', { body }),
};

// ───────────────────────────── policies ─────────────────────────────

/** The operator's pay-later policy (GET/PUT /ops/credit/policy). */
export type CreditPolicy = BodyOf<'/ops/credit/policy', 'put'>;

export interface Subsidy {
  id: string;
  skuId: string;
  title: string;
  amountFen: number;
  capFen: number;
  spentFen: number;
  startsAt: string;
  endsAt: string;
}

export interface SubsidyBudget {
  totalFen: number;
  spentFen: number;
}

export const policiesApi = {
  async credit(signal?: AbortSignal): Promise<CreditPolicy & { promotionActive: boolean }> {
    const { updatedAt: _, ...policy } = (await api.get('/ops/credit/policy', { signal })).policy;
    return policy;
  },
  saveCredit: (body: CreditPolicy) => api.put('/ops/credit/policy', { body }),
  async subsidies(signal?: AbortSignal): Promise<{ budget: SubsidyBudget; items: Subsidy[] }> {
    const r = await call<Raw>('GET', '/ops/subsidies', { signal });
    const b = (r.budget ?? {}) as Raw;
    return {
      budget: { totalFen: num(b.totalFen), spentFen: num(b.spentFen) },
      items: items(r).map((s) => ({
        id: str(s.id),
        skuId: str(s.skuId),
        title: str(s.title, str(s.skuId).slice(0, 8)),
        amountFen: num(s.amountFen),
        capFen: num(s.capFen ?? s.budgetFen),
        spentFen: num(s.spentFen),
        startsAt: str(s.startsAt),
        endsAt: str(s.endsAt),
      })),
    };
  },
  saveBudget: (totalFen: number) => call('PUT', '/ops/subsidies/budget', { body: { totalFen } }),
  createSubsidy: (s: {
    skuId: string;
    amountFen: number;
    capFen: number;
    startsAt: string;
    endsAt: string;
  }) => call('POST', '/ops/subsidies', { body: s }),
};

// ───────────────────────────── pay-later debts (h-paylater) ─────────────────────────────

export type DebtPage = ResponseOf<'/ops/credit/overdue', 'get'>;
export type Debt = DebtPage['items'][number];

export const debtsApi = {
  list: (page: number, pageSize: number, signal?: AbortSignal) =>
    api.get('/ops/credit/overdue', { params: { query: { page, pageSize } }, signal }),
};
