import { type Fen, fen } from '../../platform/money.ts';

export interface PriceLine {
  /** i18n key of the line, e.g. `price.list`. */
  label: string;
  fen: Fen;
}

export interface FinalPrice {
  /** The one price the buyer pays per unit (到手价). */
  unitFen: Fen;
  /** What makes it up; the lines sum to `unitFen`. */
  breakdown: PriceLine[];
}

/**
 * The one final price (到手价) of a SKU. Every surface calls this, so the feed card, the product
 * page, the cart and the order can never disagree. Discounts (coupons, subsidies) enter here as
 * negative breakdown lines when they exist.
 */
export function finalPrice(sku: { priceFen: number }): FinalPrice {
  const list = fen(sku.priceFen);
  return { unitFen: list, breakdown: [{ label: 'price.list', fen: list }] };
}
