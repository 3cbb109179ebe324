import { Cascader } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { formatFen } from '../money.ts';

interface Option {
  value: string;
  label: string;
  isLeaf?: boolean;
  children?: Option[];
}

/**
 * Picks a SKU by its product and then its size / colour (the operator never types a SKU id): on-sale
 * products first, each product's SKUs loaded when it is opened. The value is the SKU id.
 */
export function SkuPicker({
  value,
  onChange,
  testId,
}: {
  value?: string;
  onChange?: (skuId: string | undefined) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<Option[]>([]);
  const [path, setPath] = useState<string[]>([]);

  useEffect(() => {
    const ctrl = new AbortController();
    api
      .get('/ops/products', {
        params: { query: { status: 'on_sale', pageSize: 100 } },
        signal: ctrl.signal,
      })
      .then(
        (page) => setOptions(page.items.map((p) => ({ value: p.id, label: p.title, isLeaf: false }))),
        () => setOptions([]),
      );
    return () => ctrl.abort();
  }, []);
  // A cleared form clears the picker.
  useEffect(() => {
    if (!value) setPath([]);
  }, [value]);

  const loadData = async (selected: Option[]) => {
    const product = selected[selected.length - 1];
    if (!product || product.children) return;
    const { product: detail } = await api.get('/products/{id}', { params: { path: { id: product.value } } });
    product.children = detail.skus.map((s) => ({
      value: s.id,
      label: `${[s.size, s.color].filter(Boolean).join(' / ') || t('trustConsole.policies.subsidy.oneSku')} · ${formatFen(s.priceFen)}`,
      isLeaf: true,
    }));
    setOptions((o) => [...o]);
  };

  return (
    <Cascader<Option>
      options={options}
      loadData={loadData}
      value={path}
      changeOnSelect={false}
      placeholder={t('trustConsole.policies.subsidy.pickSku')}
      showSearch={{
        filter: (input, opts) => opts.some((o) => o.label.toLowerCase().includes(input.toLowerCase())),
      }}
      onChange={(v) => {
        const list = (v ?? []) as string[];
        setPath(list);
        onChange?.(list.length === 2 ? list[1] : undefined);
      }}
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
}
