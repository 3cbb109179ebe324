/** One product's sales in a live session (channel live, content the session). */
export interface ProductSales {
  productId: string;
  title: string;
  units: number;
  gmvFen: number;
  orders: number;
}

export interface HitProduct extends ProductSales {
  /** 1 for the best seller. */
  rank: number;
  /** The product's part of the session's GMV, 0..1 (0 when the session sold nothing). */
  gmvShare: number;
}

/**
 * The session's hit products: those that sold at least one unit, by GMV, then units, then orders
 * (ties: the product id, so the order is stable), at most `limit`.
 */
export function rankHits(sales: ProductSales[], limit = 10): HitProduct[] {
  const sold = sales.filter((s) => s.units > 0 && s.gmvFen >= 0);
  const total = sold.reduce((sum, s) => sum + s.gmvFen, 0);
  return [...sold]
    .sort(
      (a, b) =>
        b.gmvFen - a.gmvFen ||
        b.units - a.units ||
        b.orders - a.orders ||
        (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0),
    )
    .slice(0, limit)
    .map((s, i) => ({ ...s, rank: i + 1, gmvShare: total > 0 ? s.gmvFen / total : 0 }));
}
