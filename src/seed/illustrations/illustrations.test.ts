import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { imageUrl } from '../../modules/merchants/validation.ts';
import { FOODS } from '../foods.ts';
import { GARMENTS } from '../garments.ts';
import { buildSeedPlan } from '../plan.ts';
import { svgOf } from './draw.ts';
import { FOOD_SHAPES } from './foods.ts';
import { GARMENT_SHAPES, garmentSvg } from './garments.ts';

/** A listing page carries twenty of these inline: each stays within a few kilobytes. */
const BYTE_BUDGET = 3_000;

const plan = buildSeedPlan(42);
const products = plan.stores.flatMap((s) => s.products);
const hexByColourName = new Map(
  Object.values(GARMENTS).flatMap((t) => t.colors.map((c) => [c.name, c.hex] as const)),
);
const allFoods = Object.values(FOODS).flat();

/** The colours a product's pictures should be painted in, in picture order. */
function expectedColours(p: (typeof products)[number]): string[] {
  if (p.sizeChart) {
    const names = [...new Set(p.skus.map((s) => s.color))].slice(0, 3);
    return names.map((name) => hexByColourName.get(name ?? '') ?? `no hex for ${name}`);
  }
  const item = allFoods.find((f) => p.title.startsWith(f.name));
  return [item?.hex ?? `no food item for ${p.title}`];
}

describe('demo product pictures', () => {
  it('has a drawn picture for every garment and food the seed sells (nothing falls back to a text tile)', () => {
    const nouns = Object.values(GARMENTS).flatMap((t) => t.nouns);
    expect(nouns.filter((noun) => !GARMENT_SHAPES[noun])).toEqual([]);
    expect(allFoods.map((f) => f.shortName).filter((name) => !FOOD_SHAPES[name])).toEqual([]);
    for (const p of products) {
      for (const url of p.images) {
        expect(url).toMatch(/^data:image\/svg\+xml,/);
        expect(svgOf(url)).not.toContain('<text');
      }
    }
  });

  it('writes well-formed SVG within the byte budget that the catalog accepts as an image', () => {
    const parser = new XMLParser({ ignoreAttributes: false });
    for (const p of products) {
      for (const url of p.images) {
        expect(url.length, p.title).toBeLessThanOrEqual(BYTE_BUDGET);
        const svg = svgOf(url);
        expect(XMLValidator.validate(svg), p.title).toBe(true);
        expect(parser.parse(svg).svg['@_viewBox']).toBe('0 0 100 100');
        expect(imageUrl.safeParse(url).success, p.title).toBe(true);
      }
    }
  });

  it("paints each picture in the product's colour, one picture per colour", () => {
    for (const p of products) {
      const colours = expectedColours(p);
      expect(p.images).toHaveLength(colours.length);
      p.images.forEach((url, i) => {
        expect(svgOf(url), p.title).toContain(`fill='${colours[i]}'`);
      });
    }
  });

  it('draws each kind of garment in its own silhouette', () => {
    const outline = (noun: string) =>
      garmentSvg(noun, { name: '黑色', hex: '#232323' }, 0).match(/id='s' d='([^']+)'/)?.[1];
    const kinds = [
      '圆领T恤',
      '长袖衬衫女',
      '连帽卫衣女',
      '毛衣女',
      '针织背心',
      '西装外套女',
      '毛呢大衣',
      '连衣裙',
      '吊带裙',
      '大码A字裙',
      '阔腿裤',
      '小脚牛仔裤',
      '束脚运动裤',
    ];
    const outlines = new Set(kinds.map(outline));
    expect(outlines.size).toBe(kinds.length);
  });

  it('is decided by the seed alone: the same plan draws the same pictures', () => {
    const again = buildSeedPlan(42).stores.flatMap((s) => s.products);
    expect(again.map((p) => p.images)).toEqual(products.map((p) => p.images));
  });
});
