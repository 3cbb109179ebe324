/**
 * The trust-shopping screens' view of the API (issue 11): coupons, guarantees a store offers and what they
 * cost, the after-sale queues, policies, abuse review and pay-later debts. The pages use only these
 * functions and types, so the mapping from the server's answers lives in one place.
 */
import { api, type BodyOf, type ResponseOf } from '../api/client.ts';
import type { Carrier } from '../shared/carriers.ts';

// ───────────────────────────── coupons (h-pricing) ─────────────────────────────

export type Coupon = ResponseOf<'/merchant/coupons', 'get'>['items'][number];
export type CouponInput = BodyOf<'/merchant/coupons', 'post'>;
export type CouponKind = CouponInput['kind'];

export const couponsApi = {
  listStore: async (signal?: AbortSignal) => (await api.get('/merchant/coupons', { signal })).items,
  createStore: (body: CouponInput) => api.post('/merchant/coupons', { body }),
  stopStore: (id: string) => api.post('/merchant/coupons/{id}/stop', { params: { path: { id } } }),
  listPlatform: async (signal?: AbortSignal) => (await api.get('/ops/coupons', { signal })).items,
  createPlatform: (body: CouponInput) => api.post('/ops/coupons', { body }),
  stopPlatform: (id: string) => api.post('/ops/coupons/{id}/stop', { params: { path: { id } } }),
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

type StoreCosts = ResponseOf<'/merchant/guarantee-costs', 'get'>;
export type GuaranteeCost = StoreCosts['byGuarantee'][number];

export interface OrderGuaranteeCost {
  orderId: string;
  orderNo: string;
  guarantee: Guarantee;
  fen: number;
  count: number;
  at: string;
}

export interface MerchantCosts {
  totalFen: number;
  byGuarantee: GuaranteeCost[];
  orders: OrderGuaranteeCost[];
}

export type PlatformCosts = ResponseOf<'/ops/guarantee-costs', 'get'>;

/** The guarantees module's cost summaries, the store's (with order numbers) and the platform's. */
export const costsApi = {
  async merchant(signal?: AbortSignal): Promise<MerchantCosts> {
    const r = await api.get('/merchant/guarantee-costs', { signal });
    const nos = await orderNumbers(
      r.orders.map((o) => o.orderId),
      signal,
    );
    return {
      byGuarantee: r.byGuarantee,
      totalFen: r.totalFen,
      orders: r.orders.map((o) => ({
        orderId: o.orderId,
        orderNo: nos.get(o.orderId) ?? o.orderId.slice(0, 8),
        guarantee: o.guarantee,
        fen: o.fen,
        count: o.count,
        at: o.lastAt,
      })),
    };
  },
  platform: (signal?: AbortSignal): Promise<PlatformCosts> => api.get('/ops/guarantee-costs', { signal }),
};

/** Order numbers of the store's orders by id (one read per distinct order, at most 60). */
async function orderNumbers(orderIds: string[], signal?: AbortSignal): Promise<Map<string, string>> {
  const ids = [...new Set(orderIds)].slice(0, 60);
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
  return nos;
}

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
  const nos = await orderNumbers(
    list.map((r) => r.orderId),
    signal,
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

export type Subsidy = ResponseOf<'/ops/subsidies', 'get'>['items'][number];
export type SubsidyInput = BodyOf<'/ops/subsidies', 'post'>;

export const policiesApi = {
  async credit(signal?: AbortSignal): Promise<CreditPolicy & { promotionActive: boolean }> {
    const { updatedAt: _, ...policy } = (await api.get('/ops/credit/policy', { signal })).policy;
    return policy;
  },
  saveCredit: (body: CreditPolicy) => api.put('/ops/credit/policy', { body }),
  subsidies: async (signal?: AbortSignal) => (await api.get('/ops/subsidies', { signal })).items,
  createSubsidy: (body: SubsidyInput) => api.post('/ops/subsidies', { body }),
  stopSubsidy: (id: string) => api.post('/ops/subsidies/{id}/stop', { params: { path: { id } } }),
};

// ───────────────────────────── pay-later debts (h-paylater) ─────────────────────────────

export type DebtPage = ResponseOf<'/ops/credit/overdue', 'get'>;
export type Debt = DebtPage['items'][number];

export const debtsApi = {
  list: (page: number, pageSize: number, signal?: AbortSignal) =>
    api.get('/ops/credit/overdue', { params: { query: { page, pageSize } }, signal }),
};
