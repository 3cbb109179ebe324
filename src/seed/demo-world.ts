import {
  type BodyAnswers,
  categoryGroup,
  estimateBody,
  type FitOutcome,
  type FitType,
  type GarmentZone,
  type SizeChart,
  type UsualSize,
  type WorldGarment,
  type WorldWearer,
} from '../modules/sizing/index.ts';
import { Rng } from './prng.ts';

/**
 * The demo's hidden truth, decided by the seed alone: each demo buyer's true body (and a partner's),
 * each demo product's true sizing. Profiles are the answers these people give; orders pick sizes as
 * these people would (the recommended size when they ask the assistant, else their own pick from the
 * chart); how a size fits follows from the true body and the garment's true measurements. So the
 * demo's refunds and fit feedback show what the assistant really does, not what it believes.
 */
export interface DemoPerson {
  sex: 'female' | 'male';
  /** What they answer in the size questionnaire. */
  answers: BodyAnswers;
  /** What they really measure and like. */
  wearer: WorldWearer;
  /** The size they habitually buy, which is what they pick without the assistant. */
  usual: UsualSize;
}

export interface DemoHousehold {
  self: DemoPerson;
  partner: DemoPerson | null;
  /** The child they buy children's clothes for: true height (cm). */
  childHeightCm: number;
}

export interface DemoWorld {
  /** One per demo buyer, in the seed's buyer order. */
  households: DemoHousehold[];
  /** Per demo product (the seed's product order): true measurement − chart, cm, on every zone. */
  productOffsetCm: number[];
}

const CORE: GarmentZone[] = ['chest', 'waist', 'hip', 'shoulder', 'inseam'];

function normal(rng: Rng): number {
  const u = Math.max(rng.float(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.float());
}

/** A person: height, weight and age as they answer them; a true body around the body model's estimate. */
function person(rng: Rng, sex: 'female' | 'male'): DemoPerson {
  const heightCm = Math.round(sex === 'female' ? 161 + 6 * normal(rng) : 172 + 6.5 * normal(rng));
  const bmi = 19 + 6 * rng.float();
  const age = rng.int(19, 48);
  // Ease they like beyond the usual (cm); they answer it as snug / regular / loose.
  const prefCm = 3 * normal(rng);
  const fitPreference = prefCm < -2 ? 'snug' : prefCm > 2 ? 'loose' : 'regular';
  const answers: BodyAnswers = {
    heightCm,
    weightKg: Math.round(bmi * (heightCm / 100) ** 2),
    age,
    sex,
    fitPreference,
  };
  // The body model knows people like this one only up to its residual spread: the truth is one draw of it.
  const estimate = estimateBody(answers).estimates;
  const body: WorldWearer['body'] = {};
  for (const z of CORE) body[z] = Math.round((estimate[z].cm + estimate[z].sdCm * normal(rng)) * 10) / 10;
  // Their usual size: the letter a chest like theirs wears on the common ladder (as the assistant reads
  // a "usual size" answer), and their waist in inches, each as they remember it.
  const [base, step] = sex === 'male' ? [98, 8] : [92, 7];
  const usual = {
    letter: Math.round(((body.chest ?? base) - base) / step + 0.4 * normal(rng)),
    waistInches: Math.round((body.waist ?? 70) / 2.54 + 0.7 * normal(rng)),
  };
  return { sex, answers, wearer: { body, prefCm }, usual };
}

/** The demo world of a seed, for `buyers` buyers and products sold by the given stores (in order). */
export function buildDemoWorld(seed: number, buyers: number, productStores: string[]): DemoWorld {
  const rng = new Rng(seed * 104_729 + 17);
  const households = Array.from({ length: buyers }, (): DemoHousehold => {
    const sex = rng.chance(0.7) ? 'female' : 'male';
    const self = person(rng, sex);
    const partner = rng.chance(0.3) ? person(rng, sex === 'female' ? 'male' : 'female') : null;
    return { self, partner, childHeightCm: Math.round(85 + 80 * rng.float()) };
  });
  // A store's garments share a cut (brand), each product its own deviation, as `gravity sizing simulate`.
  const storeOffset = new Map<string, number>();
  const productOffsetCm = productStores.map((store) => {
    if (!storeOffset.has(store)) storeOffset.set(store, 3 * normal(rng));
    return Math.round(((storeOffset.get(store) ?? 0) + 2.5 * normal(rng)) * 10) / 10;
  });
  return { households, productOffsetCm };
}

/** Who in the household wears a product of this category, if anyone: adults by sex, children by height. */
export function wearerSex(categoryId: string): 'female' | 'male' | 'child' | null {
  if (categoryId.startsWith('women')) return 'female';
  if (categoryId.startsWith('men')) return 'male';
  if (categoryId.startsWith('kids')) return 'child';
  return null;
}

/** The garment as it really is, from its published chart and the world's offset. */
export function worldGarment(
  product: { categoryId: string; fitType: FitType | null; sizeChart: SizeChart },
  offsetCm: number,
): WorldGarment {
  return {
    group: categoryGroup(product.categoryId),
    fitType: product.fitType ?? 'regular',
    chart: product.sizeChart,
    offsetCm,
  };
}

/**
 * Children's sizes are heights (90 … 160): a parent takes the first size at or above what they think
 * the child measures, often one up to grow into. A size shorter than the child is small; one 15 cm or
 * more above is large.
 */
export function childSize(sizes: string[], childHeightCm: number, rng: Rng): string | undefined {
  const heights = sizes.map(Number).filter((h) => Number.isFinite(h));
  if (heights.length === 0) return undefined;
  const guess = childHeightCm + 3 * normal(rng);
  let i = heights.findIndex((h) => h >= guess);
  if (i < 0) i = heights.length - 1;
  if (rng.chance(0.3)) i = Math.min(heights.length - 1, i + 1);
  return String(heights[i]);
}

export function childFit(size: string, childHeightCm: number): FitOutcome {
  const h = Number(size);
  return h < childHeightCm - 3 ? 'small' : h >= childHeightCm + 15 ? 'large' : 'fit';
}
