/** A small typed client for the Gravity HTTP API (`/api/v1`): JSON in, JSON out, cookies included. */

import { ApiError } from './api/error-message.ts';

export { ApiError, errorMessage } from './api/error-message.ts';

export const API_BASE = '/api/v1';

type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(API_BASE + withQuery(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'include',
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'network_error', message: (e as Error).message || 'Network error' });
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    throw new ApiError(res.status, {
      code: err?.code ?? `http_${res.status}`,
      message: err?.message ?? res.statusText,
      details: err?.details,
    });
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    request<T>('POST', path, { body: body ?? {}, headers }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body: body ?? {} }),
  patch: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    request<T>('PATCH', path, { body: body ?? {}, headers }),
  del: <T>(path: string) => request<T>('DELETE', path),
};

/** A fresh idempotency key (crypto.randomUUID where available, e.g. plain-http LAN hosts lack it). */
export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// ---- API types (see CONTRACT.md) ----

export type Role = 'buyer' | 'merchant' | 'operator';

export interface Account {
  id: string;
  phone: string;
  role: Role;
  nickname: string;
  storeId: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Category {
  id: string;
  nameZh: string;
  nameEn: string;
  isApparel: boolean;
  children?: Category[];
}

export interface ProductCard {
  id: string;
  title: string;
  image: string;
  storeId: string;
  storeName: string;
  priceFen: number;
  sales: number;
  categoryId: string;
}

export interface PriceBreakdownLine {
  label: string;
  fen: number;
}

export interface Sku {
  id: string;
  size: string;
  color: string;
  priceFen: number;
  stock: number;
  finalPrice?: { unitFen: number; breakdown: PriceBreakdownLine[] };
  /** The merchant's own views only. */
  inventory?: StockLevels;
}

/** A SKU's stock for its merchant: sellable = on hand − reserved; `version` names what was read. */
export interface StockLevels {
  onHand: number;
  reserved: number;
  sellable: number;
  version: number;
}

export interface StockMovement {
  id: number;
  at: string;
  kind: 'initial' | 'adjust' | 'set' | 'reserve' | 'release' | 'capture';
  actor: string;
  reason: string;
  ref: string | null;
  onHandDelta: number;
  reservedDelta: number;
  onHand: number;
  reserved: number;
}

export type FitType = 'slim' | 'regular' | 'loose';
export type SizeChart = Record<string, Record<string, number>>;

export interface Product {
  id: string;
  title: string;
  description: string;
  images: string[];
  categoryId: string;
  storeId: string;
  storeName: string;
  brand: string;
  fitType: FitType | null;
  sizeChart: SizeChart | null;
  status: 'on_sale' | 'off_sale';
  sizes: string[];
  colors: string[];
  skus: Sku[];
  sales?: number;
  createdAt?: string;
  updatedAt?: string;
}

/** A row of a merchant's / operator's product list (fields beyond ProductCard are optional). */
export interface ProductRow extends Partial<ProductCard> {
  id: string;
  title: string;
  status?: 'on_sale' | 'off_sale';
  images?: string[];
  stock?: number;
  skuCount?: number;
  createdAt?: string;
  updatedAt?: string;
}

export interface Store {
  id: string;
  name: string;
  description: string;
  logoUrl: string | null;
  businessType: 'apparel' | 'food' | 'general';
  contactPhone?: string | null;
  openedAt: string;
  productCount?: number;
  openingFeeFen?: number;
  depositFen?: number;
}

export interface CartLine {
  skuId: string;
  productId: string;
  title: string;
  image: string;
  size: string;
  color: string;
  unitFen: number;
  quantity: number;
  lineFen: number;
  stock: number;
  onSale: boolean;
  storeId: string;
  storeName: string;
}

export interface Cart {
  lines: CartLine[];
  totalFen: number;
}

export interface Address {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
}

export type OrderStatus =
  | 'pending_payment'
  | 'paid'
  | 'shipped'
  | 'delivered'
  | 'completed'
  | 'cancelled'
  | 'expired'
  | 'refunded';

export const ORDER_STATUSES: OrderStatus[] = [
  'pending_payment',
  'paid',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'expired',
  'refunded',
];

export interface OrderLine {
  skuId: string;
  productId: string;
  title: string;
  image: string;
  size: string;
  color: string;
  unitPriceFen: number;
  quantity: number;
}

export interface OrderEvent {
  from: string | null;
  to: string;
  actor: string;
  at: string;
}

export interface Order {
  id: string;
  orderNo: string;
  checkoutId: string;
  storeId: string;
  storeName: string;
  status: OrderStatus;
  totalFen: number;
  address: Address;
  lines: OrderLine[];
  createdAt: string;
  expiresAt: string | null;
  paidAt: string | null;
  shippedAt: string | null;
  carrier: string | null;
  trackingNo: string | null;
  deliveredAt: string | null;
  completedAt: string | null;
  closedAt: string | null;
  closeReason: string | null;
  events?: OrderEvent[];
  buyerPhone?: string;
}

export type PaymentStatus = 'unpaid' | 'processing' | 'paid' | 'failed';

export interface Checkout {
  id: string;
  totalFen: number;
  expiresAt: string;
  paymentStatus?: PaymentStatus;
  orders: Order[];
}

export interface Payment {
  id: string;
  status: 'created' | 'authorized' | 'captured' | 'failed';
}

export interface MerchantRow {
  id: string;
  name: string;
  businessType: string;
  ownerPhone: string;
  openedAt: string;
  productCount: number;
  orderCount: number;
}

export interface Overview {
  merchants: number;
  buyers: number;
  products: number;
  orders: number;
  paidOrders: number;
  gmvFen: number;
}

/** What a ledger account is (GET /ops/ledger/*): a platform account, or the payable of a named store. */
export interface LedgerAccountName {
  account: string;
  type: 'provider_clearing' | 'order_escrow' | 'platform_revenue' | 'merchant_payable' | 'other';
  storeId: string | null;
  storeName: string | null;
}

export interface TrialBalance {
  totalFen: number;
  accounts: Array<LedgerAccountName & { balanceFen: number }>;
}

export interface LedgerTransaction {
  id: string;
  kind: 'payment' | 'settlement' | 'refund';
  reference: string;
  createdAt: string;
  entries: Array<LedgerAccountName & { amountFen: number }>;
}

/** GET /merchant/dashboard: days are business days in `timeZone` (Asia/Shanghai). */
export interface MerchantDashboard {
  timeZone: string;
  today: string;
  toShip: number;
  todayGmvFen: number;
  todayOrders: number;
  daily: Array<{ day: string; gmvFen: number; orders: number }>;
}

/** One side of a reconciliation difference (GET /ops/reconciliation). */
export interface ReconciliationSide {
  status: string;
  amountFen: number;
  currency?: string;
}

export interface ReconciliationDifference {
  kind: string;
  subject: 'payment' | 'refund' | 'ledger';
  reference: string;
  providerRef: string | null;
  platform: ReconciliationSide | null;
  provider: ReconciliationSide | null;
}

export interface ReconciliationRun {
  id: string;
  startedAt: string;
  finishedAt: string;
  trigger: 'schedule' | 'cli' | 'ops';
  paymentsChecked: number;
  refundsChecked: number;
  providerCharges: number;
  providerRefunds: number;
  inFlight: number;
  ledgerProviderFen: number;
  providerNetFen: number;
  differenceCount: number;
  differences: ReconciliationDifference[];
}

/** A provider event that did not match our records (GET /ops/payment-anomalies). */
export interface PaymentAnomaly {
  id: number;
  eventId: string;
  eventType: string;
  kind: string;
  paymentId: string | null;
  refundId: string | null;
  expectedAmountFen: number | null;
  receivedAmountFen: number;
  expectedCurrency: string | null;
  receivedCurrency: string;
  receivedAt: string;
}
