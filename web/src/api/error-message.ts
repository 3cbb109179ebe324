/**
 * API errors as the reader's language says them. The server answers `{ error: { code, message, details } }`;
 * its `message` is English for developers and logs. People read `apiError.<code>` instead, and
 * `apiError.<code>_details` when the answer's details carry what makes the message precise
 * (the wait before a retry, the order's status, the items out of stock …).
 */
import i18n from 'i18next';

/** The error part of an API answer. */
export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/** A refused or failed API call: the HTTP status (0: no answer) and the server's code and details. */
export class ApiError extends Error {
  readonly code: string;
  readonly details: unknown;
  constructor(
    readonly status: number,
    error: ErrorBody,
  ) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
    this.details = error.details;
  }
}

/** What the page knows that the answer only names by id. */
export interface ErrorContext {
  /** The words for a SKU the page shows (e.g. "T恤 M / 黑"), for answers that list SKU ids. */
  skuName?: (skuId: string) => string | undefined;
}

type Params = Record<string, string | number>;
type Details = Record<string, unknown>;

const t = (key: string, params?: Params) => i18n.t(key, params ?? {}) as string;
const list = (items: string[]) => items.join(i18n.language === 'en' ? ', ' : '、');
const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined;
const count = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;

const numberParam = (name: string, value: unknown): Params | undefined => {
  const n = count(value);
  return n === undefined ? undefined : { [name]: n };
};

function wait(seconds: number): string {
  if (seconds < 60) return t('apiError.wait.seconds', { n: Math.max(1, Math.ceil(seconds)) });
  if (seconds < 3600) return t('apiError.wait.minutes', { n: Math.ceil(seconds / 60) });
  return t('apiError.wait.hours', { n: Math.ceil(seconds / 3600) });
}

function orderStatus(status: unknown): Params | undefined {
  if (typeof status !== 'string' || !i18n.exists(`status.${status}`)) return undefined;
  return { status: t(`status.${status}`) };
}

function skuNames(d: Details, ctx: ErrorContext): Params | undefined {
  const ids = strings(d.skuIds);
  if (!ids?.length || !ctx.skuName) return undefined;
  const names = ids.map((id) => ctx.skuName?.(id));
  if (names.some((n) => !n)) return undefined;
  return { items: list(names as string[]) };
}

/** For each code whose details make a more precise message: its `_details` message's parameters. */
const DETAIL_PARAMS: Record<string, (d: Details, ctx: ErrorContext) => Params | undefined> = {
  rate_limited: (d) => {
    const seconds = count(d.retryAfterSeconds);
    return seconds === undefined ? undefined : { wait: wait(seconds) };
  },
  out_of_stock: skuNames,
  sku_unavailable: skuNames,
  store_suspended: skuNames,
  illegal_transition: (d) => orderStatus(d.from),
  not_delivered: (d) => orderStatus(d.status),
  too_many_addresses: (d) => numberParam('max', d.max),
  too_many_profiles: (d) => numberParam('max', d.max),
  insufficient_stock: (d) => numberParam('reserved', d.reserved),
  image_too_large: (d) =>
    numberParam('maxMb', count(d.maxBytes) && Math.round((d.maxBytes as number) / 2 ** 20)),
  size_chart_mismatch: (d) => {
    const missing = strings(d.missingFromChart);
    const extra = strings(d.notSold);
    if (!missing || !extra) return undefined;
    const none = t('common.none');
    return { missing: missing.length ? list(missing) : none, extra: extra.length ? list(extra) : none };
  },
  duplicate_sku: (d) => {
    if (!Array.isArray(d.duplicates) || d.duplicates.length === 0) return undefined;
    const items = (d.duplicates as Array<{ size?: unknown; color?: unknown }>).map((x) =>
      [x.size, x.color].filter((v) => typeof v === 'string' && v !== '').join(' / '),
    );
    return { items: list(items) };
  },
};

/** Every code that has a `_details` message (the i18n test checks both languages have them). */
export const CODES_WITH_DETAILS = Object.keys(DETAIL_PARAMS);

/** What to show a person for an error: by its code, in the app's language; never the server's English. */
export function errorMessage(e: unknown, ctx: ErrorContext = {}): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : String(e);
  const key = `apiError.${e.code}`;
  if (!i18n.exists(key)) return t(e.status >= 500 ? 'apiError.internal' : 'apiError.other');
  const details = e.details && typeof e.details === 'object' ? (e.details as Details) : undefined;
  const params = details ? DETAIL_PARAMS[e.code]?.(details, ctx) : undefined;
  return params ? t(`${key}_details`, params) : t(key);
}
