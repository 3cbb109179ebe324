/**
 * The Gravity HTTP API for the pages: the generated client (api/client.ts) and names for the answers'
 * types, all taken from the server's OpenAPI document (api/schema.gen.ts, `npm run api:client`).
 */
import type { ResponseOf } from './api/client.ts';
import { type components, orderStatusValues } from './api/schema.gen.ts';

export {
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
export type MerchantRow = Schemas['OpsMerchant'];

export type Cart = Schemas['Cart'];
export type Order = Schemas['Order'];
export type OrderStatus = Order['status'];
/** Every order status, in the server's order (tabs and filters). */
export const ORDER_STATUSES = orderStatusValues;
export type OrderLine = Order['lines'][number];
/** A delivery address as an order carries it. */
export type Address = Order['address'];
/** An address in the buyer's address book. */
export type SavedAddress = Schemas['SavedAddress'];
export type Checkout = ResponseOf<'/checkouts/{id}', 'get'>['checkout'];
export type PaymentStatus = Checkout['paymentStatus'];

export type MerchantDashboard = ResponseOf<'/merchant/dashboard', 'get'>;
export type Overview = ResponseOf<'/ops/overview', 'get'>;
export type TrialBalance = ResponseOf<'/ops/ledger/trial-balance', 'get'>;
export type LedgerTransaction = ResponseOf<'/ops/ledger/transactions', 'get'>['items'][number];
/** What a ledger account is: a platform account, or the payable of a named store. */
export type LedgerAccountName = Omit<TrialBalance['accounts'][number], 'balanceFen'>;
export type ReconciliationRun = NonNullable<ResponseOf<'/ops/reconciliation', 'get'>['run']>;
export type ReconciliationDifference = ReconciliationRun['differences'][number];
export type ReconciliationSide = NonNullable<ReconciliationDifference['platform']>;
export type PaymentAnomaly = ResponseOf<'/ops/payment-anomalies', 'get'>['items'][number];
export type DeadLetter = ResponseOf<'/ops/dead-letters', 'get'>['items'][number];
