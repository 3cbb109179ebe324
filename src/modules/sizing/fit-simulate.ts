import type { AnsurSubject, Sex } from './ansur-csv.ts';
import { CATEGORY_GROUPS, type CategoryGroup, typicalChart } from './fit-charts.ts';
import { pickFromChart, trueFit } from './fit-world.ts';
import { createRng, gaussian } from './random.ts';
import type { FitType, SizeChart } from './schemas.ts';

export interface SimulateOptions {
  records: number;
  seed?: number;
  onProgress?: (done: number) => void;
}

const CATEGORY_NAMES: Record<CategoryGroup, string[]> = {
  tops: ['top', 'blouse', 'shirt', 'sweater', 'jacket'],
  dresses: ['dress', 'gown', 'sheath'],
  bottoms: ['pants', 'jeans', 'skirt'],
};
const BUST_CUPS = ['AA', 'A', 'B', 'C', 'D', 'DD', 'DDD/E', 'F', 'G', 'H'];

function braSize(chestCm: number, rng: () => number): string {
  const band = Math.max(28, Math.min(48, 2 * Math.round((chestCm / 2.54 - 3 + gaussian(rng)) / 2)));
  const cup = Math.max(
    0,
    Math.min(BUST_CUPS.length - 1, Math.round(chestCm / 2.54 - band + gaussian(rng) * 0.7)),
  );
  return `${band}${BUST_CUPS[cup].toLowerCase()}`;
}

const feetInches = (cm: number) => {
  const inches = Math.round(cm / 2.54);
  return `${Math.floor(inches / 12)}' ${inches % 12}"`;
};

/**
 * Generates fit feedback from real ANSUR bodies: brands and products whose true sizing differs from the
 * published chart, buyers with their own fit preference, noisy ordinal outcomes, and a split field.
 */
export function simulateFitData(subjects: AnsurSubject[], opts: SimulateOptions) {
  const rng = createRng(opts.seed ?? 42);
  const n = opts.records;
  const nBuyers = Math.max(50, Math.round(n / 20));
  const nItems = Math.max(30, Math.round(n / 50));
  const nBrands = Math.max(5, Math.min(60, Math.round(nItems / 25)));
  const brands = Array.from({ length: nBrands }, (_, i) => ({
    name: `brand-${i}`,
    offset: gaussian(rng) * 3,
  }));
  const fitTypes: FitType[] = ['slim', 'regular', 'regular', 'loose'];
  const items = Array.from({ length: nItems }, (_, i) => {
    const group = CATEGORY_GROUPS[Math.floor(rng() * 3)];
    const sex: Sex = rng() < 0.7 ? 'female' : 'male';
    const brand = brands[Math.floor(rng() * nBrands)];
    const numeric = sex === 'female' && group !== 'tops' && rng() < 0.5;
    const chart: SizeChart = typicalChart(group, sex, numeric);
    return {
      itemId: `item-${i}`,
      group,
      sex,
      brand,
      category: CATEGORY_NAMES[group][Math.floor(rng() * CATEGORY_NAMES[group].length)],
      fitType: fitTypes[Math.floor(rng() * fitTypes.length)],
      offset: gaussian(rng) * 2.5,
      chart,
    };
  });
  const bySex = {
    female: items.filter((it) => it.sex === 'female'),
    male: items.filter((it) => it.sex === 'male'),
  };
  const buyers = Array.from({ length: nBuyers }, (_, i) => {
    const s = subjects[Math.floor(rng() * subjects.length)];
    return { id: `user-${i}`, s, pref: gaussian(rng) * 3, bra: braSize(s.body.chest, rng) };
  });
  const lines: string[] = [];
  for (let k = 0; k < n; k++) {
    const b = buyers[Math.floor(rng() * nBuyers)];
    const pool = bySex[b.s.sex].length ? bySex[b.s.sex] : items;
    const it = pool[Math.floor(rng() * pool.length)];
    // the buyer picks the size that looks right on the published chart; how it fits follows from the truth
    const garment = {
      group: it.group,
      fitType: it.fitType,
      chart: it.chart,
      offsetCm: it.brand.offset + it.offset,
    };
    const wearer = { body: b.s.body, prefCm: b.pref };
    const size = pickFromChart(garment, wearer, rng);
    const fit = trueFit(garment, wearer, size, rng);
    const r = rng();
    const rec: Record<string, unknown> = {
      user_id: b.id,
      item_id: it.itemId,
      size,
      fit,
      height: feetInches(b.s.heightCm),
      weight: `${Math.round(b.s.weightKg / 0.45359237)}lbs`,
      age: b.s.age,
      gender: b.s.sex === 'female' ? 'F' : 'M',
      category: it.category,
      review_date: new Date(Date.UTC(2020, 0, 1) + k * 60_000).toISOString().slice(0, 10),
      split: r < 0.8 ? 'train' : r < 0.9 ? 'valid' : 'test',
    };
    if (b.s.sex === 'female') rec['bust size'] = b.bra;
    lines.push(JSON.stringify(rec));
    if ((k + 1) % 1000 === 0 || k + 1 === n) opts.onProgress?.(k + 1);
  }
  const itemLines = items.map((it) =>
    JSON.stringify({
      item_id: it.itemId,
      category: it.category,
      gender: it.sex === 'female' ? 'F' : 'M',
      brand: it.brand.name,
      fit_type: it.fitType,
      size_chart: it.chart,
    }),
  );
  return { lines, itemLines };
}
