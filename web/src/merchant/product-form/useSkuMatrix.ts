import { useMemo, useState } from 'react';
import type { Product, Sku, StockLevels } from '../../api.ts';
import {
  emptyCell,
  type SkuCell,
  type SkuRow,
  savedCell,
  skuKey,
  skuRows,
  splitLabels,
} from './sku-matrix.ts';

/** The SKU matrix's state: the sizes and colours typed, each SKU's cell, the stock-change reason. */
export function useSkuMatrix(product: Product | null) {
  const editing = product !== null;
  const initialSizes = product
    ? product.sizes?.length
      ? product.sizes
      : [...new Set(product.skus.map((s) => s.size))]
    : [];
  const initialColors = product
    ? product.colors?.length
      ? product.colors
      : [...new Set(product.skus.map((s) => s.color))]
    : [];
  const [sizesText, setSizesText] = useState(initialSizes.filter(Boolean).join(', '));
  const [colorsText, setColorsText] = useState(initialColors.filter(Boolean).join(', '));
  const sizes = useMemo(() => splitLabels(sizesText), [sizesText]);
  const colors = useMemo(() => splitLabels(colorsText), [colorsText]);

  // The product's SKUs as saved (SKUs added by this form join them once the server has them).
  const [savedSkus, setSavedSkus] = useState<Sku[]>(product?.skus ?? []);
  const [cells, setCells] = useState<Record<string, SkuCell>>(() => {
    const out: Record<string, SkuCell> = {};
    for (const s of product?.skus ?? []) out[skuKey(s.size, s.color)] = savedCell(s);
    return out;
  });
  const [adjustReason, setAdjustReason] = useState('');

  const rows = useMemo(
    () => skuRows(sizes, colors, editing ? savedSkus : null),
    [editing, savedSkus, sizes, colors],
  );
  const rowSizes = useMemo(() => [...new Set(rows.map((r) => r.size))], [rows]);

  const cell = (size: string, color: string): SkuCell => cells[skuKey(size, color)] ?? emptyCell();
  const setCell = (size: string, color: string, patch: Partial<SkuCell>) =>
    setCells((c) => ({ ...c, [skuKey(size, color)]: { ...cell(size, color), ...patch } }));

  /** Fills every row's price, and the stock of the rows not saved yet (saved SKUs change by adjustments only). */
  const applyBatch = (price: number | null, stock: number | null) =>
    setCells((c) => {
      const next = { ...c };
      for (const r of rows) {
        const k = skuKey(r.size, r.color);
        next[k] = {
          ...(next[k] ?? emptyCell()),
          ...(price !== null ? { price } : {}),
          ...(stock !== null && !r.saved ? { stock } : {}),
        };
      }
      return next;
    });

  /** The server has the product's SKUs (new ones included): new rows become saved ones. */
  const acceptSaved = (skus: Sku[]) => {
    setSavedSkus(skus);
    setCells((c) => {
      const next = { ...c };
      for (const s of skus) {
        const k = skuKey(s.size, s.color);
        if (!next[k]?.id) next[k] = savedCell(s);
      }
      return next;
    });
  };

  /** A stock adjustment went through: it is spent (its key with it) and the SKU shows its new levels. */
  const adjustmentApplied = (row: SkuRow, sent: SkuCell, stock: StockLevels) => {
    const k = skuKey(row.size, row.color);
    setCells((c) => ({
      ...c,
      [k]: { ...(c[k] ?? sent), adjust: null, adjustKey: undefined, inventory: stock },
    }));
  };

  return {
    editing,
    sizesText,
    setSizesText,
    colorsText,
    setColorsText,
    rows,
    rowSizes,
    cell,
    setCell,
    applyBatch,
    adjustReason,
    setAdjustReason,
    acceptSaved,
    adjustmentApplied,
  };
}

export type SkuMatrix = ReturnType<typeof useSkuMatrix>;
