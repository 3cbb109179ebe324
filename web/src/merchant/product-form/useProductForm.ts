import { App } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import {
  api,
  errorMessage,
  type FitType,
  newIdempotencyKey,
  type Product,
  type SizeChart,
} from '../../api.ts';
import { yuanToFen } from '../../money.ts';
import { useAsync } from '../../shared/hooks.ts';
import { sizeChartPayload } from './size-chart-payload.ts';
import type { SkuMatrix } from './useSkuMatrix.ts';

/** The fields antd's form holds (the rest, images, SKUs and size chart, live in their own state). */
export interface BasicFields {
  title: string;
  description: string;
  category: string[];
  brand: string;
  fitType?: FitType;
}

/** Loads what the form needs: the categories and, when editing (`id`), the product. */
export function useProductFormData(id: string | undefined) {
  const categories = useAsync((signal) => api.get('/categories', { signal }), []);
  const product = useAsync(
    async (signal) =>
      id ? (await api.get('/merchant/products/{id}', { params: { path: { id } }, signal })).product : null,
    [id],
  );
  const ready = Boolean(categories.data && (!id || product.data));
  return { categories, product, ready };
}

/**
 * Saves the form: a new product in one request; an existing one as its new SKUs first (so its size
 * chart may name new sizes), then its fields, changed prices and stock adjustments. Checks what the
 * server would refuse first, and shows what went wrong in `error`.
 */
export function useSaveProduct({
  product,
  leafId,
  isApparel,
  images,
  matrix,
  chart,
}: {
  product: Product | null;
  leafId: string | undefined;
  isApparel: boolean;
  images: string[];
  matrix: SkuMatrix;
  chart: SizeChart;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const save = async (values: BasicFields) => {
    setError(undefined);
    if (images.length < 1) {
      setError(t('merchant.imagesHint'));
      return;
    }
    const skus = matrix.rows.map((r) => {
      const c = matrix.cell(r.size, r.color);
      return { ...r, id: c.id, priceFen: yuanToFen(c.price ?? 0), stock: c.stock ?? -1, cell: c };
    });
    const bad = skus.find(
      (s) => s.priceFen <= 0 || (!s.saved && (!Number.isInteger(s.stock) || s.stock < 0)),
    );
    if (bad) {
      setError(
        `${[bad.size, bad.color].filter(Boolean).join(' / ') || 'SKU'}: ${t('merchant.price')} > 0, ${t('merchant.stock')} ≥ 0`,
      );
      return;
    }
    const adjustments = skus.flatMap((s) =>
      s.saved && s.id && s.cell.adjust ? [{ ...s, id: s.id, adjust: s.cell.adjust }] : [],
    );
    const adjustReason = matrix.adjustReason.trim();
    if (adjustments.length > 0 && !adjustReason) {
      setError(t('stockConsole.reasonRequired'));
      return;
    }
    setBusy(true);
    try {
      const sizeChart = sizeChartPayload(chart, matrix.rowSizes, isApparel);
      if (!product) {
        await api.post('/merchant/products', {
          body: {
            title: values.title.trim(),
            description: values.description?.trim() ?? '',
            categoryId: leafId ?? '', // the form requires a category; the server names a missing one
            images,
            ...(values.brand?.trim() ? { brand: values.brand.trim() } : {}),
            ...(isApparel && values.fitType ? { fitType: values.fitType } : {}),
            ...(sizeChart ? { sizeChart } : {}),
            skus: skus.map((s) => ({ size: s.size, color: s.color, priceFen: s.priceFen, stock: s.stock })),
          },
        });
        message.success(t('merchant.created'));
      } else {
        const added = skus.filter((s) => !s.saved);
        if (added.length > 0) {
          // First, so the product's size chart may name the new sizes.
          const res = await api.post('/merchant/products/{id}/skus', {
            params: { path: { id: product.id } },
            body: {
              skus: added.map((s) => ({
                size: s.size,
                color: s.color,
                priceFen: s.priceFen,
                stock: s.stock,
              })),
              ...(isApparel ? { sizeChart } : {}),
            },
          });
          matrix.acceptSaved(res.product.skus);
        }
        await api.patch('/merchant/products/{id}', {
          params: { path: { id: product.id } },
          body: {
            title: values.title.trim(),
            description: values.description?.trim() ?? '',
            brand: values.brand?.trim() ?? '',
            images,
            ...(isApparel ? { sizeChart, ...(values.fitType ? { fitType: values.fitType } : {}) } : {}),
          },
        });
        for (const s of skus) {
          if (!s.saved || !s.id || s.priceFen === s.cell.origPriceFen) continue;
          await api.patch('/merchant/products/{id}/skus/{skuId}', {
            params: { path: { id: product.id, skuId: s.id } },
            body: { priceFen: s.priceFen },
          });
        }
        // Stock changes are relative (+10 arrived, −2 damaged): a sale meanwhile is never overwritten.
        // Each keeps its Idempotency-Key until it succeeds, so saving again never applies it twice.
        for (const s of adjustments) {
          const res = await api.patch('/merchant/products/{id}/skus/{skuId}/stock', {
            params: {
              path: { id: product.id, skuId: s.id },
              header: { 'idempotency-key': s.cell.adjustKey ?? newIdempotencyKey() },
            },
            body: { adjust: s.adjust, reason: adjustReason },
          });
          matrix.adjustmentApplied(s, s.cell, res.stock);
        }
        message.success(t('merchant.updated'));
      }
      navigate('/merchant/products');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return { save, busy, error };
}
