/**
 * The Gravity HTTP API for the pages: the generated client (api/client.ts) and names for the answers'
 * types, all taken from the server's OpenAPI document (api/schema.gen.ts, `npm run api:client`).
 */
import type { components } from './api/schema.gen.ts';

export {
  API_BASE,
  api,
  type BodyOf,
  newIdempotencyKey,
  type QueryOf,
  type ResponseOf,
} from './api/client.ts';
export { ApiError, errorMessage } from './api/error-message.ts';

type Schemas = components['schemas'];

export type Account = Schemas['Account'];
export type Role = Account['role'];
export type Category = Schemas['CategoryTreeNode'];
export type ProductCard = Schemas['ProductCard'];
export type Product = Schemas['ProductDetail'];
export type Sku = Schemas['SkuView'];
export type StockLevels = Schemas['StockLevels'];
export type StockMovement = Schemas['StockMovement'];
export type SizeChart = NonNullable<Product['sizeChart']>;
export type FitType = NonNullable<Product['fitType']>;
/** A store as its merchant sees it (GET /stores/mine). */
export type Store = Schemas['StoreProfile'];
/** A store as buyers see it (GET /stores/{id}). */
export type PublicStore = Schemas['PublicStore'];
export type MerchantRow = Schemas['OpsMerchant'];

// ---- Answers of routes that do not declare their schema yet (orders, payments, aftersale, addresses) ----

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
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
