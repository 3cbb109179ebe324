/**
 * The trust-shopping calls of the buyer app (issue 11): the quote (到手价 with its funded breakdown),
 * coupons, guarantees, price protection, pay later and the after-sale flow. The pages read these
 * view shapes; this file is the one place that knows the routes.
 */
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

/** A store's promises (badges): price protection, refund without return, return shipping, pay later. */
export type Guarantees = Schemas['StoreGuarantees'];

export const guaranteesApi = {
  forStore: (storeId: string, signal?: AbortSignal): Promise<Guarantees> =>
    api.get('/stores/{id}/guarantees', { params: { path: { id: storeId } }, signal }),
};

// ---------------------------------------------------------------- price protection

export type ProtectionPayout = Schemas['PriceProtectionPayout'];
/** An order's price protection: the window (countdown) and what it has paid back. */
export type ProtectionView = Schemas['OrderPriceProtection'];
/** A buyer's "check the price now": what each line paid, what it costs now, and what was paid back. */
export type ProtectionCheck = Schemas['PriceProtectionCheck'];

export const protectionApi = {
  forOrder: (orderId: string, signal?: AbortSignal): Promise<ProtectionView> =>
    api.get('/orders/{id}/price-protection', { params: { path: { id: orderId } }, signal }),
  check: (orderId: string): Promise<ProtectionCheck> =>
    api.post('/orders/{id}/price-protection/check', { params: { path: { id: orderId } } }),
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
