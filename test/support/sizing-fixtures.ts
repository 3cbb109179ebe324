import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { apiOf } from './api.ts';
import { testAddress } from './fixtures.ts';
import { placeAndPay } from './payments.ts';
import type { TestApp } from './test-app.ts';

/** API helpers for size-assistant tests: stores, apparel products and delivered orders, all via HTTP. */

// The request helper lives in api.ts; re-exported for the tests that import it from here.
export { apiOf, type Method } from './api.ts';

/** A merchant with an apparel store; returns the session cookie and the store id. */
export async function apparelMerchant(t: TestApp, phone: string, name: string) {
  const api = apiOf(t);
  const cookie = await t.signIn(phone, 'merchant');
  const res = await api('POST', '/stores', cookie, { name, businessType: 'apparel' });
  expect(res.statusCode, res.body).toBe(201);
  return { cookie, storeId: res.json().store.id as string };
}

export interface ProductSpec {
  title?: string;
  categoryId?: string;
  brand?: string;
  fitType?: 'slim' | 'regular' | 'loose' | null;
  sizeChart?: Record<string, Record<string, number>> | null;
  sizes: string[];
  colors?: string[];
}

/** Creates a product through the merchant API; returns its id and SKU ids by `size|color`. */
export async function createApparel(t: TestApp, merchant: string, spec: ProductSpec) {
  const colors = spec.colors ?? ['黑色'];
  const res = await apiOf(t)('POST', '/merchant/products', merchant, {
    title: spec.title ?? '纯棉T恤',
    categoryId: spec.categoryId ?? 'women-tshirt',
    images: ['https://example.com/tee.png'],
    brand: spec.brand ?? '引力',
    fitType: spec.fitType ?? 'regular',
    sizeChart: spec.sizeChart ?? null,
    skus: colors.flatMap((color) => spec.sizes.map((size) => ({ size, color, priceFen: 9900, stock: 100 }))),
  });
  expect(res.statusCode, res.body).toBe(201);
  const product = res.json().product;
  const skus = new Map<string, string>();
  for (const s of product.skus as Array<{ id: string; size: string; color: string }>) {
    skus.set(`${s.size}|${s.color}`, s.id);
  }
  return { productId: product.id as string, skus };
}

/** Buys the SKUs (one each) and takes the order to `paid`, then optionally shipped and delivered. */
export async function buyOrder(
  t: TestApp,
  buyer: string,
  merchant: string,
  skuIds: string[],
  until: 'paid' | 'delivered' = 'delivered',
): Promise<string> {
  const api = apiOf(t);
  for (const sku of skuIds) {
    const put = await api('PUT', `/cart/items/${sku}`, buyer, { quantity: 1 });
    expect(put.statusCode, put.body).toBe(200);
  }
  const checkout = await placeAndPay(
    t,
    buyer,
    { lines: skuIds.map((skuId) => ({ skuId, quantity: 1 })), address: testAddress },
    `co-${randomUUID()}`,
  );
  const orderId = checkout.orders[0].id as string;
  if (until === 'paid') return orderId;
  const shipped = await api('POST', `/merchant/orders/${orderId}/ship`, merchant, {
    carrier: 'sf',
    trackingNo: `SF${Date.now()}`,
  });
  expect(shipped.statusCode, shipped.body).toBe(200);
  t.clock.advance((t.config.sandboxDeliverySeconds + 1) * 1000);
  await t.services.orders.deliverDue(t.clock.now());
  const order = await api('GET', `/orders/${orderId}`, buyer);
  expect(order.json().order.status).toBe('delivered');
  return orderId;
}

/** The buyer asks for a line's money back without a return (refund only, for quality); returns the request. */
export async function askRefundOnly(t: TestApp, buyer: string, orderId: string, skuId: string) {
  const res = await apiOf(t)('POST', '/aftersale/requests', buyer, {
    orderId,
    skuId,
    kind: 'refund_only',
    reason: 'quality',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().request as { id: string; status: string };
}

/** The store's merchant approves an after-sale request. */
export async function approveAftersale(t: TestApp, merchant: string, requestId: string) {
  const res = await apiOf(t)('POST', `/merchant/aftersale/requests/${requestId}/decision`, merchant, {
    decision: 'approve',
  });
  expect(res.statusCode, res.body).toBe(200);
}

/** A women's tee chart (cm): chest and shoulder per size, plus a length the model ignores. */
export const TEE_CHART = {
  S: { chest: 90, shoulder: 36, length: 60 },
  M: { chest: 96, shoulder: 37, length: 62 },
  L: { chest: 102, shoulder: 38, length: 64 },
  XL: { chest: 108, shoulder: 39, length: 66 },
};
export const TEE_SIZES = ['S', 'M', 'L', 'XL'];
