import type { Sku, StockLevels } from '../../api.ts';
import { fenToYuan } from '../../money.ts';

/** What the form holds for one size × colour: its price, and the stock of a new SKU. */
export interface SkuCell {
  id?: string;
  price: number | null;
  stock: number | null;
  origPriceFen?: number;
  /** Existing SKUs: their stock changes by a relative adjustment, sent once (its own key). */
  inventory?: StockLevels;
  adjust?: number | null;
  adjustKey?: string;
}

/** One line of the SKU matrix; `saved` when the product already sells it. */
export interface SkuRow {
  size: string;
  color: string;
  saved: boolean;
}

export const skuKey = (size: string, color: string) => `${size}\u0000${color}`;

export const emptyCell = (): SkuCell => ({ price: null, stock: null });

/** The form's cell for a SKU as the server has it. */
export const savedCell = (s: Sku): SkuCell => ({
  id: s.id,
  price: fenToYuan(s.priceFen),
  stock: s.stock,
  origPriceFen: s.priceFen,
  inventory: s.inventory,
});

/** Splits "S, M，L / XL" into unique trimmed labels. */
export function splitLabels(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,，、/;；\n]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ].slice(0, 30);
}

/**
 * The SKU matrix: sizes × colours (an empty dimension counts as one blank value). When editing,
 * the saved SKUs come first and new sizes or colours add the combinations not sold yet.
 */
export function skuRows(sizes: string[], colors: string[], savedSkus: Sku[] | null): SkuRow[] {
  const ss = sizes.length ? sizes : [''];
  const cs = colors.length ? colors : [''];
  const matrix = ss.flatMap((size) => cs.map((color) => ({ size, color, saved: false })));
  if (!savedSkus) return matrix;
  const saved = savedSkus.map((s) => ({ size: s.size, color: s.color, saved: true }));
  const have = new Set(saved.map((r) => skuKey(r.size, r.color)));
  // Only combinations with a size or colour the product did not have yet: a product that sells
  // some combinations only is not asked to fill in the others.
  const oldSizes = new Set(savedSkus.map((s) => s.size));
  const oldColors = new Set(savedSkus.map((s) => s.color));
  const fresh = matrix.filter(
    (r) => !have.has(skuKey(r.size, r.color)) && (!oldSizes.has(r.size) || !oldColors.has(r.color)),
  );
  return [...saved, ...fresh];
}
