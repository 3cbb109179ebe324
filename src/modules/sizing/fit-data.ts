import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Sex } from './ansur-csv.ts';
import type { FitOutcome } from './fit-model.ts';
import type { FitType, SizeChart } from './schemas.ts';

/** One fit-feedback line, normalised. */
export interface FitRecord {
  userId: string;
  itemId: string;
  size: string;
  fit: FitOutcome;
  heightCm?: number;
  weightKg?: number;
  age?: number;
  sex?: Sex;
  braSize?: string;
  bodyType?: string;
  category?: string;
  brand?: string;
  split?: 'train' | 'valid' | 'test';
}

export interface FitItem {
  itemId: string;
  category?: string;
  sex?: Sex;
  brand?: string;
  fitType?: FitType;
  chart?: SizeChart;
}

/** 'small' | 'fit' | 'large' from RTR/ModCloth spellings (case-insensitive); undefined if unknown. */
export function parseFit(v: unknown): FitOutcome | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (s === 'small' || s === 'too small') return 'small';
  if (s === 'fit' || s === 'just right' || s === 'true to size') return 'fit';
  if (s === 'large' || s === 'too large' || s === 'big') return 'large';
  return undefined;
}

/** `5' 6"` → 167.6; numbers > 100 are cm, smaller numbers inches; '170cm' handled. */
export function parseHeightCm(v: unknown): number | undefined {
  if (typeof v === 'number') return v > 100 ? v : v * 2.54;
  if (typeof v !== 'string') return undefined;
  const ft = /(\d+)\s*(?:'|ft|′)\s*(\d+(?:\.\d+)?)?/.exec(v);
  if (ft) return (Number(ft[1]) * 12 + Number(ft[2] ?? 0)) * 2.54;
  const cm = /^\s*(\d+(?:\.\d+)?)\s*cm\s*$/i.exec(v);
  if (cm) return Number(cm[1]);
  const inch = /^\s*(\d+(?:\.\d+)?)\s*(?:in|"|inches)?\s*$/i.exec(v);
  if (inch) return parseHeightCm(Number(inch[1]));
  return undefined;
}

/** '130lbs' → 58.97 kg; '60kg' → 60; bare numbers are pounds. */
export function parseWeightKg(v: unknown): number | undefined {
  if (typeof v === 'number') return v * 0.45359237;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(lbs?|pounds?|kg|kgs)?\s*$/i.exec(v);
  if (!m) return undefined;
  return /kg/i.test(m[2] ?? '') ? Number(m[1]) : Number(m[1]) * 0.45359237;
}

export function parseSex(v: unknown): Sex | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (s === 'f' || s === 'female' || s === 'women' || s === 'woman' || s === 'w') return 'female';
  if (s === 'm' || s === 'male' || s === 'men' || s === 'man') return 'male';
  return undefined;
}

const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown) => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number.parseFloat(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** Parses one JSON line; undefined when it is invalid or lacks user/item/size/known fit. */
export function parseFitLine(line: string): FitRecord | undefined {
  let o: Record<string, unknown>;
  try {
    const parsed = JSON.parse(line);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    o = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const fit = parseFit(o.fit);
  const userId = str(o.user_id);
  const itemId = str(o.item_id);
  const size = str(o.size);
  if (!fit || userId === undefined || itemId === undefined || size === undefined) return undefined;
  const split = str(o.split)?.toLowerCase();
  return {
    userId,
    itemId,
    size,
    fit,
    heightCm: parseHeightCm(o.height),
    weightKg: parseWeightKg(o.weight),
    age: num(o.age),
    sex: parseSex(o.gender),
    braSize: str(o['bust size']),
    bodyType: str(o['body type']),
    category: str(o.category),
    brand: str(o.brand),
    split: split === 'train' || split === 'valid' || split === 'test' ? split : undefined,
  };
}

function openLines(file: string) {
  let stream: Readable = createReadStream(file);
  if (file.endsWith('.gz')) stream = stream.pipe(createGunzip());
  return createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
}

/** Streams a JSON-lines file (plain or .gz); bad lines are counted, never thrown. */
export async function readFitRecords(file: string): Promise<{ records: FitRecord[]; skipped: number }> {
  const records: FitRecord[] = [];
  let skipped = 0;
  for await (const line of openLines(file)) {
    if (line.trim() === '') continue;
    const r = parseFitLine(line);
    if (r) records.push(r);
    else skipped++;
  }
  return { records, skipped };
}

/** Parses one items line; undefined when it is invalid or has no item_id. */
export function parseFitItemLine(line: string): FitItem | undefined {
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    if (!o || typeof o !== 'object') return undefined;
    const itemId = str(o.item_id);
    if (itemId === undefined) return undefined;
    const ft = str(o.fit_type)?.toLowerCase();
    const chart = o.size_chart && typeof o.size_chart === 'object' ? (o.size_chart as SizeChart) : undefined;
    return {
      itemId,
      category: str(o.category),
      sex: parseSex(o.gender),
      brand: str(o.brand),
      fitType: ft === 'slim' || ft === 'regular' || ft === 'loose' ? ft : undefined,
      chart,
    };
  } catch {
    return undefined;
  }
}

export function readFitItemsFromLines(lines: Iterable<string>): Map<string, FitItem> {
  const items = new Map<string, FitItem>();
  for (const line of lines) {
    const it = line.trim() === '' ? undefined : parseFitItemLine(line);
    if (it) items.set(it.itemId, it);
  }
  return items;
}

export async function readFitItems(file: string): Promise<Map<string, FitItem>> {
  const lines: string[] = [];
  for await (const line of openLines(file)) lines.push(line);
  return readFitItemsFromLines(lines);
}
