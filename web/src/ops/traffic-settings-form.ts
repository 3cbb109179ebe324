/**
 * The traffic settings as the operators' form shows them, and back: the API keeps shares and rates
 * in basis points (1500 = 15%), the form in percent with two decimals; other figures pass as they are.
 * A refusal's field path (`/fuyao/minCtrBps`) names the form field to mark.
 */
export interface SettingsField {
  /** The path in the settings record (and the form's field name). */
  name: readonly string[];
  /** Its label and hint: `traffic.settings.<key>` and `<key>Hint`. */
  key: string;
  min: number;
  max: number;
  precision: number;
  /** Basis points in the API, percent in the form. */
  bps?: boolean;
  unit?: 'days' | 'impressions' | 'hours' | 'stars' | 'perDay';
  group: 'coldStart' | 'launch' | 'fuyao';
}

export const SETTINGS_FIELDS: readonly SettingsField[] = [
  {
    group: 'coldStart',
    name: ['newStoreDays'],
    key: 'newStoreDays',
    min: 1,
    max: 365,
    precision: 0,
    unit: 'days',
  },
  {
    group: 'coldStart',
    name: ['coldStartMinDailyImpressions'],
    key: 'minDailyImpressions',
    min: 0,
    max: 1_000_000,
    precision: 0,
    unit: 'impressions',
  },
  {
    group: 'coldStart',
    name: ['planTrafficCapBps'],
    key: 'capShare',
    min: 0,
    max: 50,
    precision: 2,
    bps: true,
  },
  {
    group: 'launch',
    name: ['launchCreditsPerStore'],
    key: 'launchCredits',
    min: 0,
    max: 10_000_000,
    precision: 0,
    unit: 'impressions',
  },
  {
    group: 'launch',
    name: ['launchPeriodDays'],
    key: 'launchPeriodDays',
    min: 1,
    max: 90,
    precision: 0,
    unit: 'days',
  },
  {
    group: 'fuyao',
    name: ['fuyao', 'minRating'],
    key: 'fuyaoMinRating',
    min: 1,
    max: 5,
    precision: 2,
    unit: 'stars',
  },
  {
    group: 'fuyao',
    name: ['fuyao', 'maxRefundRateBps'],
    key: 'fuyaoMaxRefundRate',
    min: 0,
    max: 100,
    precision: 2,
    bps: true,
  },
  {
    group: 'fuyao',
    name: ['fuyao', 'maxShippingHours'],
    key: 'fuyaoMaxShipHours',
    min: 1,
    max: 720,
    precision: 0,
    unit: 'hours',
  },
  {
    group: 'fuyao',
    name: ['fuyao', 'minCtrBps'],
    key: 'fuyaoMinCtr',
    min: 0,
    max: 100,
    precision: 2,
    bps: true,
  },
  {
    group: 'fuyao',
    name: ['fuyao', 'minGmvGrowthBps'],
    key: 'fuyaoMinGmvGrowth',
    min: -100,
    max: 10_000,
    precision: 2,
    bps: true,
  },
  {
    group: 'fuyao',
    name: ['fuyao', 'budgetPerDay'],
    key: 'fuyaoBudget',
    min: 0,
    max: 10_000_000,
    precision: 0,
    unit: 'perDay',
  },
  {
    group: 'fuyao',
    name: ['fuyao', 'periodDays'],
    key: 'fuyaoPeriodDays',
    min: 1,
    max: 90,
    precision: 0,
    unit: 'days',
  },
];

type Tree = Record<string, unknown>;

const get = (o: unknown, path: readonly string[]) =>
  path.reduce<unknown>((n, k) => (n as Tree | undefined)?.[k], o);

function set(o: Tree, path: readonly string[], v: unknown) {
  let n = o;
  for (const k of path.slice(0, -1)) {
    if (typeof n[k] !== 'object' || n[k] === null) n[k] = {};
    n = n[k] as Tree;
  }
  n[path[path.length - 1] as string] = v;
}

/** The settings record → the form's values (basis points as percent). */
export function settingsToForm(settings: object): Tree {
  const v: Tree = {};
  for (const f of SETTINGS_FIELDS) {
    const x = get(settings, f.name);
    set(v, f.name, typeof x === 'number' && f.bps ? x / 100 : x);
  }
  return v;
}

/** The form's values → a whole settings record (percent back to whole basis points), over `base`. */
export function formToSettings<T extends object>(values: Tree, base: T): T {
  const s = structuredClone(base) as unknown as Tree;
  for (const f of SETTINGS_FIELDS) {
    const x = get(values, f.name);
    set(s, f.name, typeof x === 'number' && f.bps ? Math.round(x * 100) : x);
  }
  return s as unknown as T;
}

/** The form fields a `validation_failed` answer's details name (`{ path: '/fuyao/minCtrBps' }`). */
export function refusedFields(details: unknown): string[][] {
  if (!Array.isArray(details)) return [];
  return details
    .map((d) => (d as { path?: unknown } | null)?.path)
    .filter((p): p is string => typeof p === 'string')
    .map((p) => p.split('/').filter(Boolean))
    .filter((p) => SETTINGS_FIELDS.some((f) => f.name.join('/') === p.join('/')));
}
