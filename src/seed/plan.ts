import type { FitType, ProductInput, SizeChart, SizeZone } from '../modules/catalog/index.ts';
import type { BusinessType } from '../modules/merchants/index.ts';
import { FOOD_WORDS, FOODS, type FoodItem } from './foods.ts';
import { GARMENTS, type GarmentTemplate, SIZE_SYSTEMS } from './garments.ts';
import { foodPicture } from './illustrations/foods.ts';
import { garmentPicture } from './illustrations/garments.ts';
import { Rng } from './prng.ts';

export const OPERATOR_PHONE = '13900000000';
export const merchantPhone = (n: number) => `137${String(n).padStart(8, '0')}`;
export const buyerPhone = (n: number) => `136${String(n).padStart(8, '0')}`;
export const BUYER_COUNT = 20;
export const PRODUCT_COUNT = 300;

interface StoreDef {
  name: string;
  description: string;
  businessType: BusinessType;
  brand: string;
  garments?: string[];
  foods?: keyof typeof FOODS;
}

/** Ten demo stores: seven apparel, three food. */
export const STORES: StoreDef[] = [
  {
    name: '衣橱小铺',
    description: '原创女装，每周上新，基础款与通勤款',
    businessType: 'apparel',
    brand: '衣橱',
    garments: ['womenTee', 'womenShirt', 'womenKnit', 'dress'],
  },
  {
    name: '森系女装馆',
    description: '温柔森系，法式连衣裙与外套',
    businessType: 'apparel',
    brand: '森语',
    garments: ['dress', 'womenCoat', 'womenPants', 'womenShirt'],
  },
  {
    name: '城市牛仔工坊',
    description: '专注牛仔二十年，男女牛仔裤与夹克',
    businessType: 'apparel',
    brand: '蓝调',
    garments: ['womenJeans', 'menJeans'],
  },
  {
    name: '型男衣社',
    description: '男士通勤与休闲穿搭',
    businessType: 'apparel',
    brand: '型格',
    garments: ['menTee', 'menShirt', 'menPants', 'menCoat'],
  },
  {
    name: '动力运动馆',
    description: '卫衣、运动裤，男女同款',
    businessType: 'apparel',
    brand: '动力',
    garments: ['menHoodie', 'womenHoodie', 'menPants', 'menTee'],
  },
  {
    name: '小象童装',
    description: 'A类纯棉童装，90–160码',
    businessType: 'apparel',
    brand: '小象',
    garments: ['kidsTee', 'kidsPants', 'kidsCoat'],
  },
  {
    name: '悦己大码女装',
    description: '微胖女孩的衣橱，XL–5XL',
    businessType: 'apparel',
    brand: '悦己',
    garments: ['plusTee', 'plusDress'],
  },
  {
    name: '盘锦稻香米业',
    description: '辽宁盘锦蟹田大米，产地直发',
    businessType: 'food',
    brand: '稻香',
    foods: 'rice',
  },
  {
    name: '零食小站',
    description: '好吃不贵的休闲零食',
    businessType: 'food',
    brand: '馋嘴',
    foods: 'snacks',
  },
  {
    name: '山野生鲜',
    description: '产地直采水果与好茶',
    businessType: 'food',
    brand: '山野',
    foods: 'fresh',
  },
];

const BUYER_NAMES = [
  '小鱼',
  '阿杰',
  '晴天',
  '木子',
  '糖糖',
  '大熊',
  '橙子',
  '小满',
  '阿宁',
  '七七',
  '豆豆',
  '石头',
  '小雨',
  '老王',
  '芒果',
  '安安',
  '小林',
  '星星',
  '可乐',
  '团子',
];

export interface PlannedStore {
  phone: string;
  def: StoreDef;
  products: ProductInput[];
}

export interface SeedPlan {
  stores: PlannedStore[];
  buyers: Array<{ phone: string; nickname: string }>;
}

const half = (v: number) => Math.round(v * 2) / 2;

/** `n` consecutive sizes from a size system, around its reference size. */
function sizeRun(rng: Rng, system: (typeof SIZE_SYSTEMS)[keyof typeof SIZE_SYSTEMS]): string[] {
  const n = rng.int(system.min, Math.min(system.max, system.sizes.length));
  const start = rng.int(0, system.sizes.length - n);
  return system.sizes.slice(start, start + n);
}

/** Garment measurements per size: the template's reference size, the fit's ease, a little variation. */
function sizeChartFor(rng: Rng, t: GarmentTemplate, sizes: string[], fit: FitType): SizeChart {
  const system = SIZE_SYSTEMS[t.sizeSystem];
  const ref = system.sizes.indexOf(system.reference);
  const ease: Partial<Record<SizeZone, number>> =
    fit === 'slim'
      ? { chest: -4, waist: -2, hip: -3 }
      : fit === 'loose'
        ? { chest: 8, waist: 2, hip: 6 }
        : {};
  const jitter = rng.int(-2, 2);
  const chart: SizeChart = {};
  for (const size of sizes) {
    const steps = system.sizes.indexOf(size) - ref;
    const row: Partial<Record<SizeZone, number>> = {};
    for (const [zone, base] of Object.entries(t.base) as Array<[SizeZone, number]>) {
      const bodyZone = zone === 'chest' || zone === 'waist' || zone === 'hip';
      row[zone] = half(base + steps * (t.step[zone] ?? 0) + (ease[zone] ?? 0) + (bodyZone ? jitter : 0));
    }
    chart[size] = row;
  }
  return chart;
}

const SEASONS = ['2026春季新款', '2026夏季新款', '秋冬新款', '早春新品', '爆款', '经典款', '直播间专享', ''];
const FIT_WORDS: Record<FitType, string> = { slim: '修身', regular: '标准版型', loose: '宽松' };

function garmentProduct(rng: Rng, def: StoreDef, t: GarmentTemplate): ProductInput {
  const fit = rng.pick(t.fits);
  const noun = rng.pick(t.nouns);
  const words = rng.sample(t.styles, 2);
  const title = [rng.pick(SEASONS), `${def.brand}`, rng.pick(t.materials) + words[0], noun, words[1] ?? '']
    .filter(Boolean)
    .join(' ');
  const sizes = sizeRun(rng, SIZE_SYSTEMS[t.sizeSystem]);
  const colors = rng.sample(t.colors, rng.int(2, 4));
  const baseYuan = rng.int(Math.floor(t.priceYuan[0] / 10), Math.floor(t.priceYuan[1] / 10)) * 10 + 9;
  const bigSurcharge = rng.chance(0.4) ? 10 : 0;
  const sizeChart = sizeChartFor(rng, t, sizes, fit);
  const skus = colors.flatMap((c) =>
    sizes.map((size, i) => ({
      size,
      color: c.name,
      priceFen: (baseYuan + (i >= sizes.length - 1 ? bigSurcharge : 0)) * 100,
      stock: rng.int(20, 500),
    })),
  );
  const points = rng.sample(t.points, 2);
  return {
    title: title.slice(0, 120),
    description: `${def.brand}${t.shortName}，${FIT_WORDS[fit]}。${points.join('；')}。建议参考尺码表中的衣服平铺尺寸（厘米）选码。`,
    categoryId: t.categoryId,
    images: colors.slice(0, 3).map((c) => garmentPicture(noun, c, title)),
    brand: def.brand,
    fitType: fit,
    sizeChart,
    skus,
  };
}

function foodProduct(rng: Rng, def: StoreDef, item: FoodItem, words: string[]): ProductInput {
  const extra = rng.sample(words, 2);
  const title = [item.name, ...extra, rng.chance(0.5) ? '包邮' : ''].filter(Boolean).join(' ');
  const variants = item.variants.length ? rng.sample(item.variants, rng.int(1, item.variants.length)) : [''];
  const markup = rng.int(0, 2) * 2;
  const skus = variants.flatMap((variant) =>
    item.specs.map(([label, yuan]) => ({
      size: label,
      color: variant,
      priceFen: (yuan + markup) * 100 - (rng.chance(0.3) ? 10 : 0),
      stock: rng.int(20, 500),
    })),
  );
  return {
    title,
    description: `${item.name}。${rng.sample(item.points, 2).join('；')}。`,
    categoryId: item.categoryId,
    images: [foodPicture(item, title)],
    brand: def.brand,
    fitType: null,
    sizeChart: null,
    skus,
  };
}

/** How many products each store gets: 300 in all, apparel stores a little more. */
function productCounts(total: number): number[] {
  const weights = STORES.map((s) => (s.businessType === 'apparel' ? 33 : 23));
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((w * total) / sum));
  for (let i = 0; counts.reduce((a, b) => a + b, 0) < total; i++)
    counts[i % counts.length] = (counts[i % counts.length] ?? 0) + 1;
  return counts;
}

/** Everything the demo data holds, decided by the seed alone (no clock, no database). */
export function buildSeedPlan(seed: number, totalProducts = PRODUCT_COUNT): SeedPlan {
  const rng = new Rng(seed);
  const counts = productCounts(totalProducts);
  const stores = STORES.map((def, i) => {
    const products: ProductInput[] = [];
    for (let k = 0; k < (counts[i] ?? 0); k++) {
      if (def.garments) {
        const template = GARMENTS[def.garments[k % def.garments.length] as string];
        if (!template) throw new Error(`no garment template ${def.garments[k % def.garments.length]}`);
        products.push(garmentProduct(rng, def, template));
      } else if (def.foods) {
        const items = FOODS[def.foods];
        products.push(foodProduct(rng, def, items[k % items.length] as FoodItem, FOOD_WORDS[def.foods]));
      }
    }
    return { phone: merchantPhone(i + 1), def, products };
  });
  const buyers = Array.from({ length: BUYER_COUNT }, (_, i) => ({
    phone: buyerPhone(i + 1),
    nickname: BUYER_NAMES[i] ?? `买家${i + 1}`,
  }));
  return { stores, buyers };
}
