import {
  Alert,
  App,
  Button,
  Card,
  Cascader,
  Col,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import {
  api,
  type Category,
  errorMessage,
  type FitType,
  newIdempotencyKey,
  type Product,
  type SizeChart,
  type Sku,
  type StockLevels,
} from '../api.ts';
import { ErrorAlert } from '../console/ConsoleShell.tsx';
import { localName } from '../i18n/index.ts';
import { fenToYuan, yuanToFen } from '../money.ts';
import { useAsync } from '../shared/hooks.ts';
import { CHART_ZONES } from '../shared/size-chart.ts';
import { SavedSkuStock } from './SkuStock.tsx';

const MAX_IMAGES = 9;
const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

interface BasicFields {
  title: string;
  description: string;
  category: string[];
  brand: string;
  fitType?: FitType;
}

interface SkuCell {
  id?: string;
  price: number | null;
  stock: number | null;
  origPriceFen?: number;
  /** Existing SKUs: their stock changes by a relative adjustment, sent once (its own key). */
  inventory?: StockLevels;
  adjust?: number | null;
  adjustKey?: string;
}

const skuKey = (size: string, color: string) => `${size}\u0000${color}`;

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

export function ProductFormPage() {
  const { id } = useParams();
  const editing = Boolean(id);
  const categories = useAsync((signal) => api.get('/categories', { signal }), []);
  const product = useAsync(
    async (signal) =>
      id ? (await api.get('/merchant/products/{id}', { params: { path: { id } }, signal })).product : null,
    [id],
  );
  const { t } = useTranslation();
  const ready = categories.data && (!editing || product.data);
  return (
    <div data-testid="product-form-page">
      <h1 className="c-page-title">{editing ? t('merchant.editProduct') : t('merchant.newProduct')}</h1>
      {categories.error ? <ErrorAlert error={categories.error} onRetry={categories.reload} /> : null}
      {product.error ? <ErrorAlert error={product.error} onRetry={product.reload} /> : null}
      {ready ? (
        <ProductForm categories={categories.data?.categories ?? []} product={product.data ?? null} />
      ) : categories.error || product.error ? null : (
        <Card>
          <Skeleton active paragraph={{ rows: 10 }} />
        </Card>
      )}
    </div>
  );
}

function ProductForm({ categories, product }: { categories: Category[]; product: Product | null }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<BasicFields>();
  const editing = product !== null;
  const lang = i18n.language;

  const rootOf = (leafId: string) => categories.find((r) => r.children?.some((c) => c.id === leafId));
  const initialCategory = product
    ? [rootOf(product.categoryId)?.id ?? '', product.categoryId].filter(Boolean)
    : [];

  const [images, setImages] = useState<string[]>(product?.images ?? []);
  const [imageUrl, setImageUrl] = useState('');
  const [uploading, setUploading] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

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
  const savedCell = (s: Sku): SkuCell => ({
    id: s.id,
    price: fenToYuan(s.priceFen),
    stock: s.stock,
    origPriceFen: s.priceFen,
    inventory: s.inventory,
  });
  const [cells, setCells] = useState<Record<string, SkuCell>>(() => {
    const out: Record<string, SkuCell> = {};
    for (const s of product?.skus ?? []) out[skuKey(s.size, s.color)] = savedCell(s);
    return out;
  });
  const [adjustReason, setAdjustReason] = useState('');
  const [batchPrice, setBatchPrice] = useState<number | null>(null);
  const [batchStock, setBatchStock] = useState<number | null>(null);

  const [chart, setChart] = useState<SizeChart>(product?.sizeChart ?? {});
  const category = Form.useWatch('category', form) ?? initialCategory;
  const leafId = category[category.length - 1];
  const leaf = categories.flatMap((r) => r.children ?? []).find((c) => c.id === leafId);
  const isApparel = Boolean(leaf?.isApparel ?? rootOf(leafId ?? '')?.isApparel);

  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  // The SKU matrix: sizes × colours (an empty dimension counts as one blank value). When editing,
  // the saved SKUs come first and new sizes or colours add the combinations not sold yet.
  const rows = useMemo(() => {
    const ss = sizes.length ? sizes : [''];
    const cs = colors.length ? colors : [''];
    const matrix = ss.flatMap((size) => cs.map((color) => ({ size, color, saved: false })));
    if (!editing) return matrix;
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
  }, [editing, savedSkus, sizes, colors]);
  const rowSizes = useMemo(() => [...new Set(rows.map((r) => r.size))], [rows]);

  useEffect(() => {
    if (!product) form.setFieldsValue({ category: [] });
  }, [product, form]);

  const cell = (size: string, color: string): SkuCell =>
    cells[skuKey(size, color)] ?? { price: null, stock: null };
  const setCell = (size: string, color: string, patch: Partial<SkuCell>) =>
    setCells((c) => ({ ...c, [skuKey(size, color)]: { ...cell(size, color), ...patch } }));
  const applyBatch = () =>
    setCells((c) => {
      const next = { ...c };
      for (const r of rows) {
        const k = skuKey(r.size, r.color);
        next[k] = {
          ...(next[k] ?? { price: null, stock: null }),
          ...(batchPrice !== null ? { price: batchPrice } : {}),
          // Saved SKUs change stock by adjustments only.
          ...(batchStock !== null && !r.saved ? { stock: batchStock } : {}),
        };
      }
      return next;
    });

  const setChartCell = (size: string, zone: string, v: number | null) =>
    setChart((c) => {
      const row = { ...(c[size] ?? {}) };
      if (v === null || v === undefined) delete row[zone];
      else row[zone] = v;
      return { ...c, [size]: row };
    });

  const addImageUrl = () => {
    const url = imageUrl.trim();
    if (!url) return;
    if (images.length >= MAX_IMAGES) return;
    setImages((imgs) => (imgs.includes(url) ? imgs : [...imgs, url]));
    setImageUrl('');
  };

  const upload = async (files: FileList | null) => {
    if (!files?.length) return;
    setUploading(true);
    try {
      for (const file of [...files].slice(0, MAX_IMAGES - images.length)) {
        if (!/^image\/(png|jpeg|webp)$/.test(file.type)) throw new Error(`${file.name}: png / jpeg / webp`);
        if (file.size > MAX_UPLOAD_BYTES) throw new Error(`${file.name}: > 2 MB`);
        const dataUrl = await new Promise<string>((resolve, reject) => {
          const reader = new FileReader();
          reader.onload = () => resolve(String(reader.result));
          reader.onerror = () => reject(reader.error ?? new Error('read failed'));
          reader.readAsDataURL(file);
        });
        const { url } = await api.post('/merchant/uploads', { body: { dataUrl } });
        setImages((imgs) => [...imgs, url]);
      }
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setUploading(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const chartPayload = (): SizeChart | null => {
    if (!isApparel) return null;
    const out: SizeChart = {};
    for (const size of rowSizes) {
      const row = chart[size];
      if (!size || !row) continue;
      const clean = Object.fromEntries(Object.entries(row).filter(([, v]) => typeof v === 'number' && v > 0));
      if (Object.keys(clean).length) out[size] = clean;
    }
    return Object.keys(out).length ? out : null;
  };

  const submit = async (values: BasicFields) => {
    setError(undefined);
    if (images.length < 1) {
      setError(t('merchant.imagesHint'));
      return;
    }
    const skus = rows.map((r) => {
      const c = cell(r.size, r.color);
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
    if (adjustments.length > 0 && !adjustReason.trim()) {
      setError(t('stockConsole.reasonRequired'));
      return;
    }
    setBusy(true);
    try {
      const sizeChart = chartPayload();
      if (!editing) {
        await api.post('/merchant/products', {
          body: {
            title: values.title.trim(),
            description: values.description?.trim() ?? '',
            categoryId: leafId,
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
          setSavedSkus(res.product.skus);
          setCells((c) => {
            const next = { ...c };
            for (const s of res.product.skus) {
              const k = skuKey(s.size, s.color);
              if (!next[k]?.id) next[k] = savedCell(s);
            }
            return next;
          });
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
            body: { adjust: s.adjust, reason: adjustReason.trim() },
          });
          const k = skuKey(s.size, s.color);
          setCells((c) => ({
            ...c,
            [k]: { ...(c[k] ?? s.cell), adjust: null, adjustKey: undefined, inventory: res.stock },
          }));
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

  const options = categories.map((r) => ({
    value: r.id,
    label: localName(r, lang),
    disabled: !r.children?.length,
    children: (r.children ?? []).map((c) => ({ value: c.id, label: localName(c, lang) })),
  }));

  const chartSizes = rowSizes.filter(Boolean);

  return (
    <Form<BasicFields>
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{
        title: product?.title ?? '',
        description: product?.description ?? '',
        category: initialCategory,
        brand: product?.brand ?? '',
        fitType: product?.fitType ?? undefined,
      }}
      data-testid="product-form"
    >
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card
            title={t('consoleReview.productDetails')}
            style={{ marginBottom: 16 }}
            data-testid="product-details-card"
          >
            <Form.Item name="title" label={t('merchant.productTitle')} rules={[{ required: true, max: 120 }]}>
              <Input maxLength={120} showCount data-testid="product-title" />
            </Form.Item>
            <Form.Item
              name="category"
              label={t('merchant.category')}
              rules={[{ required: true, type: 'array', len: 2, message: t('merchant.categoryPlaceholder') }]}
            >
              <CategoryCascader
                options={options}
                disabled={editing}
                placeholder={t('merchant.categoryPlaceholder')}
              />
            </Form.Item>
            <Form.Item name="brand" label={t('merchant.brand')}>
              <Input maxLength={40} data-testid="product-brand" />
            </Form.Item>
            <Form.Item name="description" label={t('merchant.productDesc')}>
              <Input.TextArea rows={4} maxLength={5000} data-testid="product-description" />
            </Form.Item>
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('merchant.images')} style={{ marginBottom: 16 }}>
            <div className="c-images">
              {images.map((src, i) => (
                <div key={src} className="c-image-tile" data-testid="product-image">
                  <img src={src} alt="" />
                  <Button
                    size="small"
                    danger
                    onClick={() => setImages((imgs) => imgs.filter((_, j) => j !== i))}
                    data-testid="product-image-remove"
                  >
                    ×
                  </Button>
                </div>
              ))}
            </div>
            <Space.Compact style={{ width: '100%', marginBottom: 8 }}>
              <Input
                value={imageUrl}
                onChange={(e) => setImageUrl(e.target.value)}
                onPressEnter={(e) => {
                  e.preventDefault();
                  addImageUrl();
                }}
                placeholder={t('merchant.imageUrl')}
                data-testid="product-image-url"
              />
              <Button
                onClick={addImageUrl}
                disabled={images.length >= MAX_IMAGES}
                data-testid="product-image-add"
              >
                {t('merchant.addImageUrl')}
              </Button>
            </Space.Compact>
            <input
              ref={fileInput}
              type="file"
              accept="image/png,image/jpeg,image/webp"
              multiple
              style={{ display: 'none' }}
              onChange={(e) => void upload(e.target.files)}
              data-testid="product-image-file"
            />
            <Button
              loading={uploading}
              disabled={images.length >= MAX_IMAGES}
              onClick={() => fileInput.current?.click()}
              data-testid="product-image-upload"
            >
              {t('merchant.upload')}
            </Button>
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
              {t('merchant.imagesHint')} ({images.length}/{MAX_IMAGES})
            </Typography.Paragraph>
          </Card>
        </Col>
      </Row>

      <Card title={t('merchant.skus')} style={{ marginBottom: 16 }}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              label={t('merchant.sizes')}
              help={editing ? t('stockConsole.addDimsHint') : t('merchant.noSkuDims')}
            >
              <Input
                value={sizesText}
                onChange={(e) => setSizesText(e.target.value)}
                placeholder={t('merchant.sizesPlaceholder')}
                data-testid="product-sizes"
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={t('merchant.colors')}>
              <Input
                value={colorsText}
                onChange={(e) => setColorsText(e.target.value)}
                placeholder={t('merchant.colorsPlaceholder')}
                data-testid="product-colors"
              />
            </Form.Item>
          </Col>
        </Row>
        <Space wrap style={{ marginBottom: 12 }}>
          <Typography.Text type="secondary">{t('merchant.batchFill')}:</Typography.Text>
          <InputNumber
            min={0.01}
            precision={2}
            step={1}
            prefix="¥"
            placeholder={t('merchant.price')}
            value={batchPrice}
            onChange={(v) => setBatchPrice(v)}
            data-testid="sku-batch-price"
          />
          <InputNumber
            min={0}
            precision={0}
            placeholder={t('merchant.stock')}
            value={batchStock}
            onChange={(v) => setBatchStock(v)}
            data-testid="sku-batch-stock"
          />
          <Button onClick={applyBatch} data-testid="sku-batch-apply">
            {t('merchant.apply')}
          </Button>
        </Space>
        {editing ? (
          <Space wrap style={{ marginBottom: 12 }}>
            <Typography.Text type="secondary">{t('stockConsole.reason')}:</Typography.Text>
            <Input
              value={adjustReason}
              onChange={(e) => setAdjustReason(e.target.value)}
              maxLength={100}
              placeholder={t('stockConsole.reasonPlaceholder')}
              data-testid="sku-stock-reason"
              style={{ width: 280, maxWidth: '100%' }}
            />
          </Space>
        ) : null}
        <Table
          size="small"
          scroll={{ x: 'max-content' }}
          rowKey={(r) => skuKey(r.size, r.color)}
          dataSource={rows}
          pagination={false}
          onRow={(r) =>
            ({
              'data-testid': 'sku-row',
              'data-size': r.size,
              'data-color': r.color,
            }) as React.HTMLAttributes<HTMLElement>
          }
          columns={[
            { title: t('merchant.sizes'), dataIndex: 'size', render: (v: string) => v || '—' },
            { title: t('merchant.colors'), dataIndex: 'color', render: (v: string) => v || '—' },
            {
              title: t('merchant.price'),
              key: 'price',
              render: (_, r) => (
                <InputNumber
                  min={0.01}
                  precision={2}
                  prefix="¥"
                  value={cell(r.size, r.color).price}
                  onChange={(v) => setCell(r.size, r.color, { price: v })}
                  data-testid="sku-price"
                  style={{ width: 140 }}
                />
              ),
            },
            {
              title: t('merchant.stock'),
              key: 'stock',
              render: (_, r) => {
                const c = cell(r.size, r.color);
                if (!r.saved || !c.id) {
                  return (
                    <Space size={4}>
                      {editing ? <Tag color="blue">{t('stockConsole.newSku')}</Tag> : null}
                      <InputNumber
                        min={0}
                        precision={0}
                        value={c.stock}
                        onChange={(v) => setCell(r.size, r.color, { stock: v })}
                        data-testid="sku-stock"
                        style={{ width: 120 }}
                      />
                    </Space>
                  );
                }
                return (
                  <SavedSkuStock
                    productId={product?.id ?? ''}
                    skuId={c.id}
                    levels={c.inventory}
                    adjust={c.adjust ?? null}
                    onAdjust={(v) =>
                      setCell(r.size, r.color, { adjust: v, adjustKey: v ? newIdempotencyKey() : undefined })
                    }
                  />
                );
              },
            },
          ]}
        />
      </Card>

      {isApparel && (
        <Card title={t('merchant.sizeChart')} style={{ marginBottom: 16 }} data-testid="size-chart-editor">
          <Form.Item name="fitType" label={t('merchant.fitType')}>
            <Radio.Group data-testid="product-fit-type">
              {(['slim', 'regular', 'loose'] as const).map((f) => (
                <Radio.Button key={f} value={f}>
                  <span data-testid={`fit-${f}`}>{t(`buyer.fitTypes.${f}`)}</span>
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          {chartSizes.length === 0 ? (
            <Typography.Text type="secondary">{t('merchant.sizesPlaceholder')}</Typography.Text>
          ) : (
            <Table
              size="small"
              rowKey={(r) => r}
              dataSource={chartSizes}
              pagination={false}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: t('buyer.size'), key: 'size', render: (_, size) => <b>{size}</b> },
                ...CHART_ZONES.map((zone) => ({
                  title: t(`buyer.zones.${zone}`),
                  key: zone,
                  render: (_: unknown, size: string) => (
                    <InputNumber
                      min={1}
                      max={300}
                      precision={1}
                      value={chart[size]?.[zone] ?? null}
                      onChange={(v) => setChartCell(size, zone, v)}
                      data-testid={`size-chart-${size}-${zone}`}
                      style={{ width: 96 }}
                    />
                  ),
                })),
              ]}
            />
          )}
        </Card>
      )}

      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={<span data-testid="product-form-error">{error}</span>}
        />
      )}
      <Space>
        <Button type="primary" htmlType="submit" size="large" loading={busy} data-testid="product-submit">
          {t('merchant.submit')}
        </Button>
        <Button size="large" onClick={() => navigate('/merchant/products')}>
          {t('common.cancel')}
        </Button>
      </Space>
    </Form>
  );
}

interface CascaderOption {
  value: string;
  label: string;
  disabled?: boolean;
  children?: CascaderOption[];
}

function CategoryCascader({
  value,
  onChange,
  options,
  disabled,
  placeholder,
}: {
  value?: string[];
  onChange?: (v: string[]) => void;
  options: CascaderOption[];
  disabled?: boolean;
  placeholder?: string;
}) {
  return (
    <div data-testid="product-category">
      <Cascader
        value={value}
        onChange={(v) => onChange?.((v ?? []) as string[])}
        options={options}
        disabled={disabled}
        placeholder={placeholder}
        showSearch
        style={{ width: '100%' }}
        optionRender={(o) => <span data-testid={`category-option-${o.value}`}>{o.label}</span>}
      />
    </div>
  );
}
