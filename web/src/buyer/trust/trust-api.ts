/**
 * The trust-shopping calls of the buyer app (issue 11): the quote (到手价 with its funded breakdown),
 * coupons, guarantees, price protection, pay later and the after-sale flow. The pages read these
 * view shapes; this file is the one place that knows the routes.
 */
import { API_BASE } from '../../api/client.ts';
import { ApiError, type ErrorBody } from '../../api/error-message.ts';
import {
  aftersaleRequestKindValues,
  aftersaleRequestReasonValues,
  type components,
} from '../../api/schema.gen.ts';
import { api, type BodyOf } from '../../api.ts';

type Schemas = components['schemas'];

export type Funder = 'merchant' | 'platform';

export type Quote = Schemas['Quote'];
export type QuoteDiscount = Schemas['QuoteDiscount'];
export type QuoteCoupon = Schemas['QuoteCoupon'];
export type Coupon = Schemas['Coupon'];
export type MyCoupon = Schemas['MyCoupon'];

/** What a price breakdown needs: a quote from the server, or an order's stored line money. */
export interface Breakdown {
  lines: Array<{
    skuId: string;
    quantity: number;
    listUnitFen: number;
    unitFen: number;
    paidFen: number;
    discounts: Array<Pick<QuoteDiscount, 'kind' | 'id' | 'funder' | 'fen'>>;
  }>;
  totalFen: number;
  listTotalFen: number;
  /** The coupons behind coupon discounts, for their names. */
  coupons?: Array<Pick<QuoteCoupon, 'id' | 'title'>>;
}

/** A coupon as the buyer sees it: on offer (claimable) or held (claimed, used, expired). */
export interface CouponView {
  id: string;
  storeId: string | null;
  title: string;
  kind: Coupon['kind'];
  funder: Funder;
  thresholdFen: number;
  amountFen: number;
  endsAt: string | null;
  /** Whether this buyer holds as many as they may. */
  claimed: boolean;
  status: MyCoupon['status'];
}

const couponView = (c: Coupon, claimed: boolean, status: MyCoupon['status'] = 'available'): CouponView => ({
  id: c.id,
  storeId: c.storeId,
  title: c.title,
  kind: c.kind,
  funder: c.funder,
  thresholdFen: c.thresholdFen,
  amountFen: c.discountFen,
  endsAt: c.endsAt,
  claimed,
  status,
});

// ---------------------------------------------------------------- transport

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A call of a trust route; a refusal or a lost connection throws ApiError like the generated client. */
async function call<T>(
  method: Method,
  path: string,
  body?: unknown,
  opts: { signal?: AbortSignal; idempotencyKey?: string } = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}`, {
      method,
      credentials: 'include',
      signal: opts.signal,
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'network_error', message: (e as Error).message || 'Network error' });
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const err = (json as { error?: Partial<ErrorBody> } | null)?.error;
    throw new ApiError(res.status, {
      code: typeof err?.code === 'string' ? err.code : `http_${res.status}`,
      message: typeof err?.message === 'string' ? err.message : res.statusText,
      details: err?.details,
    });
  }
  return json as T;
}

/** A feature the server does not offer (no such route, or not for this buyer): null instead of an error. */
async function optional<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
    throw e;
  }
}

// ---------------------------------------------------------------- reading answers

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const num = (v: unknown, d = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const str = (v: unknown, d = ''): string => (typeof v === 'string' ? v : d);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const funderOf = (v: unknown): Funder => (v === 'platform' ? 'platform' : 'merchant');

// ---------------------------------------------------------------- pricing

export const pricingApi = {
  /** The quote for these lines, for the signed-in buyer (or a visitor), best coupons chosen. */
  quote: (lines: Array<{ skuId: string; quantity: number }>, signal?: AbortSignal): Promise<Quote> =>
    api.post('/quote', { body: { lines }, signal }).then((r) => r.quote),
  /** Coupons on offer for a store's product (the store's and the platform's), marked when held already. */
  productCoupons: async (storeId: string, signedIn: boolean, signal?: AbortSignal): Promise<CouponView[]> => {
    const [offer, mine] = await Promise.all([
      api.get('/coupons', { params: { query: { storeId } }, signal }).then((r) => r.items),
      signedIn ? api.get('/coupons/mine', { signal }).then((r) => r.items) : Promise.resolve([]),
    ]);
    return offer
      .filter((c) => c.status === 'active' && (c.storeId === null || c.storeId === storeId))
      .map((c) => {
        const held = mine.filter((m) => m.coupon.id === c.id).length;
        return couponView(c, held >= c.perBuyerLimit || (held > 0 && c.claimedCount >= c.totalQuantity));
      });
  },
  claim: (couponId: string): Promise<MyCoupon> =>
    api.post('/coupons/{id}/claim', { params: { path: { id: couponId } } }).then((r) => r.claim),
  myCoupons: (signal?: AbortSignal): Promise<CouponView[]> =>
    api
      .get('/coupons/mine', { signal })
      .then((r) => r.items.map((m) => ({ ...couponView(m.coupon, true, m.status), id: m.claimId }))),
};

// ---------------------------------------------------------------- guarantees

/** The promises on a product or an order (badges). */
export interface Guarantees {
  /** Days of price protection after payment (0 = none). */
  priceProtectionDays: number;
  refundWithoutReturn: boolean;
  payLater: boolean;
  returnShippingSubsidy: boolean;
}

export const NO_GUARANTEES: Guarantees = {
  priceProtectionDays: 0,
  refundWithoutReturn: false,
  payLater: false,
  returnShippingSubsidy: false,
};

export function readGuarantees(v: unknown): Guarantees | null {
  if (!v || typeof v !== 'object') return null;
  const g = obj(v);
  const pp = g.priceProtectionDays ?? obj(g.priceProtection).days ?? (g.priceProtection === true ? 7 : 0);
  return {
    priceProtectionDays: num(pp),
    refundWithoutReturn: Boolean(g.refundWithoutReturn ?? g.refundOnly),
    payLater: Boolean(g.payLater),
    returnShippingSubsidy: Boolean(g.returnShippingSubsidy ?? g.returnShipping),
  };
}

let noStoreGuarantees = false;

export const guaranteesApi = {
  /** A store's promises: read from the product answer when it carries them, else asked for. */
  forStore: async (storeId: string, signal?: AbortSignal): Promise<Guarantees | null> => {
    if (noStoreGuarantees) return null;
    const res = await optional(call<unknown>('GET', `/stores/${storeId}/guarantees`, undefined, { signal }));
    // A server without the route: ask no more in this page load.
    if (res === null) noStoreGuarantees = true;
    return res === null ? null : readGuarantees(obj(res).guarantees ?? res);
  },
};

// ---------------------------------------------------------------- price protection

export interface ProtectionPayout {
  id: string;
  skuId: string;
  amountFen: number;
  cause: string;
  funder: Funder;
  at: string;
}

export interface ProtectionView {
  /** When the 7-day window ends (null: not paid, or not protected). */
  windowEndsAt: string | null;
  payouts: ProtectionPayout[];
  totalFen: number;
}

export interface ProtectionCheck {
  /** Refunded now, fen (0: the price has not dropped below what was paid). */
  refundedFen: number;
  /** Per line: what it paid and what the same quantity costs now (totals of the line). */
  lines: Array<{ skuId: string; title: string; paidFen: number; nowFen: number; differenceFen: number }>;
}

function readProtection(v: unknown): ProtectionView {
  const p = obj(obj(v).protection ?? v);
  const payouts = arr(p.payouts ?? p.items).map((x) => {
    const o = obj(x);
    return {
      id: str(o.id ?? o.changeId) + str(o.skuId),
      skuId: str(o.skuId),
      amountFen: num(o.amountFen ?? o.fen),
      cause: str(o.cause, o.source === 'buyer_check' ? 'buyer_check' : 'price_change'),
      funder: funderOf(o.funder),
      at: str(o.createdAt ?? o.at),
    };
  });
  return {
    windowEndsAt: strOrNull(p.windowEndsAt ?? p.endsAt ?? p.until),
    payouts,
    totalFen: num(
      p.totalFen,
      payouts.reduce((n, x) => n + x.amountFen, 0),
    ),
  };
}

export const protectionApi = {
  forOrder: async (orderId: string, signal?: AbortSignal): Promise<ProtectionView | null> => {
    const res = await optional(
      call<unknown>('GET', `/orders/${orderId}/price-protection`, undefined, { signal }),
    );
    return res === null ? null : readProtection(res);
  },
  check: async (orderId: string): Promise<ProtectionCheck> => {
    const res = obj(await call('POST', `/orders/${orderId}/price-protection/check`, {}));
    const c = obj(res.check ?? res);
    return {
      refundedFen: num(c.paidNowFen ?? c.refundedFen),
      lines: arr(c.lines).map((x) => {
        const o = obj(x);
        const paidFen = num(o.paidFen);
        const nowFen = num(o.nowFen);
        return {
          skuId: str(o.skuId),
          title: str(o.title),
          paidFen,
          nowFen,
          differenceFen: num(o.differenceFen, Math.max(0, paidFen - nowFen)),
        };
      }),
    };
  },
};

// ---------------------------------------------------------------- pay later

export type CreditLine = Schemas['CreditLine'];
export type Bill = Schemas['CreditBill'];

/** Whether the line can pay for an order of `amountFen` now. */
export const creditCovers = (line: CreditLine | null, amountFen: number) =>
  line !== null && line.reason === null && !line.frozen && line.availableFen >= amountFen && amountFen > 0;

export const creditApi = {
  mine: (signal?: AbortSignal): Promise<CreditLine> =>
    api.get('/credit/line', { signal }).then((r) => r.line),
  bills: (signal?: AbortSignal): Promise<Bill[]> => api.get('/credit/bills', { signal }).then((r) => r.items),
  /** Places the checkout's orders on the buyer's credit line (先用后付) instead of paying now. */
  payLater: (checkoutId: string, idempotencyKey: string) =>
    api.post('/checkouts/{id}/pay-later', {
      params: { path: { id: checkoutId }, header: { 'idempotency-key': idempotencyKey } },
    }),
};

// ---------------------------------------------------------------- after-sale

export type AftersaleRequest = Schemas['AftersaleRequest'];
export type AftersaleEvent = Schemas['AftersaleEvent'];
export type AftersaleKind = AftersaleRequest['kind'];
export type AftersaleReason = AftersaleRequest['reason'];
export type AftersaleStatus = AftersaleRequest['status'];
export const AFTERSALE_KINDS = aftersaleRequestKindValues;
/** Reasons a buyer can give, size reasons first (they teach the size assistant). */
export const AFTERSALE_REASONS = aftersaleRequestReasonValues;
export type AftersaleInput = BodyOf<'/aftersale/requests', 'post'>;
export type AftersaleCase = AftersaleRequest & { events: AftersaleEvent[] };

export const aftersaleApi = {
  create: (input: AftersaleInput): Promise<AftersaleCase> =>
    api.post('/aftersale/requests', { body: input }).then((r) => ({ ...r.request, events: [] })),
  list: (signal?: AbortSignal): Promise<AftersaleCase[]> =>
    api.get('/aftersale/requests', { signal }).then((r) => r.items.map((x) => ({ ...x, events: [] }))),
  get: (id: string, signal?: AbortSignal): Promise<AftersaleCase> =>
    api
      .get('/aftersale/requests/{id}', { params: { path: { id } }, signal })
      .then((r) => ({ ...r.request, events: r.timeline })),
  returnShipment: (id: string, body: BodyOf<'/aftersale/requests/{id}/return-shipment', 'post'>) =>
    api
      .post('/aftersale/requests/{id}/return-shipment', { params: { path: { id } }, body })
      .then((r): AftersaleCase => ({ ...r.request, events: [] })),
  cancel: (id: string) =>
    api
      .post('/aftersale/requests/{id}/cancel', { params: { path: { id } } })
      .then((r): AftersaleCase => ({ ...r.request, events: [] })),
};
