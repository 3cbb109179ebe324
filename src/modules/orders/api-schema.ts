import { z } from 'zod';
import { attributionSchema } from '../../platform/attribution.ts';
import { keysetPageOf } from '../../platform/keyset.ts';
import { quoteCouponSchema, quoteDiscountSchema } from '../pricing/index.ts';
import { CARRIERS } from './carriers.ts';
import { ORDER_STATUSES } from './state-machine.ts';

/** What the orders routes answer. The service's types derive from these, so nothing is dropped unseen. */

const isoTime = z.iso.datetime();
const fen = z.number().int();

/** An address as an order keeps it (a snapshot taken at checkout). */
export const addressView = z.object({
  name: z.string(),
  phone: z.string(),
  province: z.string(),
  city: z.string(),
  district: z.string(),
  detail: z.string(),
});

export const orderStatus = z.enum(ORDER_STATUSES);

export const orderLineView = z.object({
  skuId: z.guid(),
  productId: z.guid(),
  title: z.string(),
  image: z.string(),
  size: z.string(),
  color: z.string(),
  unitPriceFen: fen.meta({ description: 'The final unit price before order-level coupons' }),
  quantity: z.number().int(),
  listPriceFen: fen.meta({ description: "The merchant's list price per unit when bought" }),
  discounts: z
    .array(quoteDiscountSchema)
    .meta({ description: 'Subsidy and coupons on the line, with their funder' }),
  paidFen: fen.meta({ description: 'What the line cost the buyer: list × quantity − Σ discounts' }),
  platformFundedFen: fen.meta({ description: 'Σ of the platform-funded discounts of the line' }),
  refundedQuantity: z.number().int().meta({ description: 'Units given back (refunded with the goods)' }),
  refundedFen: fen.meta({ description: 'Money given back for the line so far (never more than was paid)' }),
  attribution: attributionSchema,
});

export const orderEventView = z.object({
  from: orderStatus.nullable(),
  to: orderStatus,
  /** `buyer:<id>`, `merchant:<id>`, `system` … */
  actor: z.string(),
  at: isoTime,
});

export const orderView = z
  .object({
    id: z.guid(),
    orderNo: z.string(),
    checkoutId: z.guid(),
    storeId: z.guid(),
    storeName: z.string(),
    status: orderStatus,
    totalFen: fen.meta({ description: 'What the buyer pays: Σ of the lines’ paidFen' }),
    platformFundedFen: fen.meta({
      description: 'Σ of the platform-funded discounts (paid to the merchant at settlement)',
    }),
    refundedFen: fen.meta({ description: 'Money given back for the lines so far' }),
    paymentMethod: z.enum(['online', 'pay_later']),
    attribution: attributionSchema,
    address: addressView,
    lines: z.array(orderLineView),
    createdAt: isoTime,
    expiresAt: isoTime,
    paidAt: isoTime.nullable(),
    shippedAt: isoTime.nullable(),
    carrier: z
      .enum(CARRIERS)
      .nullable()
      .meta({ description: 'The carrier code (`sf`, `jd` …); the client names it in its language' }),
    trackingNo: z.string().nullable(),
    deliveredAt: isoTime.nullable(),
    completedAt: isoTime.nullable(),
    closedAt: isoTime.nullable(),
    settledAt: isoTime.nullable().meta({ description: 'When the merchant was paid for the order' }),
    closeReason: z.string().nullable().meta({
      description:
        'Why the order closed, a code: `buyer_cancelled`, `buyer_cancelled_refunded`, `unpaid_timeout`, or a refund reason',
    }),
    events: z.array(orderEventView).optional().meta({ description: 'Its history (on single-order answers)' }),
  })
  .meta({ id: 'Order' });
export type OrderView = z.infer<typeof orderView>;

export const orderAnswer = z.object({ order: orderView });

export const orderPage = z.object({
  items: z.array(orderView),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** The ops console's list of every order (keyset-paged: deep pages cost what the first does). */
export const opsOrderPage = keysetPageOf(orderView);

export const cartLineView = z.object({
  skuId: z.guid(),
  productId: z.guid(),
  title: z.string(),
  image: z.string(),
  size: z.string(),
  color: z.string(),
  unitFen: fen.meta({ description: 'The final unit price before order-level coupons (list − subsidy)' }),
  listUnitFen: fen.meta({ description: "The merchant's list price per unit" }),
  quantity: z.number().int(),
  lineFen: fen.meta({ description: 'What the line costs with its discounts (0 when not on sale)' }),
  discounts: z
    .array(quoteDiscountSchema)
    .meta({ description: 'Subsidy and coupons on the line, with their funder' }),
  stock: z.number().int(),
  onSale: z.boolean(),
  storeId: z.guid(),
  storeName: z.string(),
  attribution: attributionSchema,
});
export type CartLine = z.infer<typeof cartLineView>;

export const cartView = z
  .object({
    lines: z.array(cartLineView),
    listTotalFen: fen.meta({ description: 'The lines on sale at list price' }),
    discountFen: fen.meta({ description: 'Everything taken off (subsidy and coupons)' }),
    totalFen: fen.meta({ description: 'What the lines on sale cost (the same quote checkout charges)' }),
    coupons: z
      .array(quoteCouponSchema)
      .meta({ description: 'The best combination of coupons, chosen for me' }),
  })
  .meta({ id: 'Cart' });
export type CartView = z.infer<typeof cartView>;

export const checkoutView = z.object({
  id: z.guid(),
  totalFen: fen,
  expiresAt: isoTime,
  orders: z.array(orderView),
});
export type CheckoutView = z.infer<typeof checkoutView>;

export const checkoutAnswer = z.object({ checkout: checkoutView });

export const paymentStatus = z.enum(['unpaid', 'processing', 'paid', 'failed']);

export const checkoutWithPayment = z.object({
  checkout: checkoutView.extend({ paymentStatus }),
});
export type CheckoutWithPayment = z.infer<typeof checkoutWithPayment>;

export const dailySales = z.object({
  day: z.iso.date().meta({ description: 'Business date (Asia/Shanghai)' }),
  gmvFen: fen,
  orders: z.number().int(),
});

export const storeDashboardView = z.object({
  timeZone: z.string(),
  today: z.iso.date(),
  toShip: z.number().int().meta({ description: 'Paid orders waiting to be shipped' }),
  todayGmvFen: fen,
  todayOrders: z.number().int(),
  daily: z.array(dailySales).meta({ description: 'The last 30 business days, oldest first' }),
});
export type StoreDashboard = z.infer<typeof storeDashboardView>;
