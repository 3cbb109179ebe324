import type { Sex } from './ansur-csv.ts';
import { type BodyEstimate, estimateBodyUnchecked } from './body-estimate.ts';
import type { BodyModel } from './body-model.ts';
import { type CategoryGroup, categoryGroup } from './fit-charts.ts';
import type { FitItem, FitRecord } from './fit-data.ts';
import { chartRow, excessEase, FIT_CLASSES, key } from './fit-model.ts';

/** A feedback record reduced to what the fit model needs (excess ease per zone and the offset keys). */
export interface PreparedRecord {
  y: 0 | 1 | 2;
  group: CategoryGroup;
  excess: Float64Array;
  category: string;
  brand: string;
  productId: string;
  buyerId: string;
  hasBody: boolean;
}

/** Default adult bodies used when a buyer gave no height/weight (the buyer offset then carries the size). */
const DEFAULT_BODY: Record<Sex, { heightCm: number; weightKg: number; age: number }> = {
  female: { heightCm: 164, weightKg: 66, age: 30 },
  male: { heightCm: 177, weightKg: 84, age: 30 },
};

export function bodyForRecord(
  r: FitRecord,
  sexHint: Sex | undefined,
  model?: BodyModel,
): { body: BodyEstimate; hasBody: boolean } {
  const sex = r.sex ?? sexHint ?? 'female';
  const hasBody = r.heightCm !== undefined && r.weightKg !== undefined;
  const base = hasBody
    ? { heightCm: r.heightCm as number, weightKg: r.weightKg as number, age: r.age }
    : DEFAULT_BODY[sex];
  const body = estimateBodyUnchecked({ ...base, sex, braSize: hasBody ? r.braSize : undefined }, model);
  return { body, hasBody };
}

/** Prepares records: body estimates (cached per distinct buyer answers), chart rows, excess ease. */
export function prepareRecords(
  records: FitRecord[],
  items: Map<string, FitItem>,
  model?: BodyModel,
): PreparedRecord[] {
  const cache = new Map<string, { body: BodyEstimate; hasBody: boolean }>();
  return records.map((r) => {
    const item = items.get(r.itemId);
    const category = item?.category ?? r.category;
    const group = categoryGroup(category);
    const sex = r.sex ?? item?.sex;
    const k = `${sex}|${r.heightCm}|${r.weightKg}|${r.age}|${r.braSize}`;
    let b = cache.get(k);
    if (!b) {
      b = bodyForRecord(r, sex, model);
      cache.set(k, b);
    }
    const row = chartRow(item?.chart, group, r.size, sex);
    return {
      y: FIT_CLASSES.indexOf(r.fit) as 0 | 1 | 2,
      group,
      excess: excessEase(group, row, b.body.estimates, item?.fitType),
      category: key(category),
      brand: key(item?.brand ?? r.brand),
      productId: key(r.itemId),
      buyerId: key(r.userId),
      hasBody: b.hasBody,
    };
  });
}
