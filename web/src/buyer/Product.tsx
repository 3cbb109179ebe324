import { Button, Image, Stepper, Swiper, Toast } from 'antd-mobile';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, errorMessage, type Product, type Sku } from '../api.ts';
import { formatFen } from '../money.ts';
import { useAsync } from '../shared/hooks.ts';
import { useSession } from '../shared/session.tsx';
import { chartSizes, chartZones, zoneLabelKey } from '../shared/size-chart.ts';
import { attributionFromQuery, attributionQuery } from './attribution.ts';
import { useCart } from './cart-context.tsx';
import { ProductReviews, RatingLine, useProductReviewSummary } from './reviews/ProductReviews.tsx';
import { SizeAssistant } from './sizing/SizeAssistant.tsx';
import { GuaranteeBadges, useGuarantees } from './trust/Badges.tsx';
import { ProductCoupons } from './trust/Coupons.tsx';
import { TappablePrice } from './trust/PriceSheet.tsx';
import { ErrorView, Loading, Price, Screen } from './ui.tsx';

const unitOf = (s: Sku) => s.finalPrice?.unitFen ?? s.priceFen;

export function ProductPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { data, error, loading, reload } = useAsync(
    (signal) => api.get('/products/{id}', { params: { path: { id } }, signal }),
    [id],
  );
  return (
    <Screen title={t('buyer.description')} testId="product-page">
      {loading && !data ? (
        <Loading rows={8} />
      ) : error ? (
        <ErrorView error={error} onRetry={reload} />
      ) : data ? (
        <ProductView key={data.product.id} product={data.product} />
      ) : null}
    </Screen>
  );
}

function ProductView({ product }: { product: Product }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { account } = useSession();
  const cart = useCart();
  // Where the buyer came from (`?from=&imp=&content=`): sent with add-to-cart and buy-now.
  const [query] = useSearchParams();
  const attribution = useMemo(() => attributionFromQuery(query), [query]);
  const sizes = useMemo(
    () =>
      (product.sizes?.length ? product.sizes : [...new Set(product.skus.map((s) => s.size))]).filter(Boolean),
    [product],
  );
  const colors = useMemo(
    () =>
      (product.colors?.length ? product.colors : [...new Set(product.skus.map((s) => s.color))]).filter(
        Boolean,
      ),
    [product],
  );
  const [size, setSize] = useState<string | undefined>(sizes.length === 1 ? sizes[0] : undefined);
  const [color, setColor] = useState<string | undefined>(colors.length === 1 ? colors[0] : undefined);
  const [qty, setQty] = useState(1);
  const [recommendedSize, setRecommendedSize] = useState<string | null>(null);
  // the buyer's own pick wins over a recommendation that arrives later
  const pickedByBuyer = useRef(false);
  const pickSize = (s: string | undefined) => {
    pickedByBuyer.current = true;
    setSize(s);
  };
  const [busy, setBusy] = useState<'cart' | 'buy'>();

  const sku = product.skus.find(
    (s) => (sizes.length === 0 || s.size === size) && (colors.length === 0 || s.color === color),
  );
  // Before a SKU is picked: the cheapest one (what the feed card shows).
  const cheapest = product.skus.length
    ? product.skus.reduce((a, b) => (unitOf(b) < unitOf(a) ? b : a))
    : undefined;
  const priceSku = sku ?? cheapest;
  const shownFen = priceSku ? unitOf(priceSku) : 0;
  const listFen = priceSku?.priceFen ?? 0;
  const guarantees = useGuarantees(product.storeId);
  const reviewSummary = useProductReviewSummary(product.id);
  const available = (sz?: string, co?: string) =>
    product.skus.some(
      (s) => (sz === undefined || s.size === sz) && (co === undefined || s.color === co) && s.stock > 0,
    );
  const onSale = product.status === 'on_sale';

  const requireSignIn = () => {
    if (account?.role === 'buyer') return false;
    const back = new URLSearchParams(attributionQuery(attribution)).toString();
    navigate(`/login?next=${encodeURIComponent(`/product/${product.id}${back ? `?${back}` : ''}`)}`);
    return true;
  };
  const pickedSku = () => {
    if (!sku) {
      Toast.show({ content: t('buyer.chooseSku') });
      return null;
    }
    if (sku.stock <= 0) {
      Toast.show({ content: t('buyer.outOfStock') });
      return null;
    }
    return sku;
  };

  const addToCart = async () => {
    if (requireSignIn()) return;
    const s = pickedSku();
    if (!s) return;
    setBusy('cart');
    try {
      const current = await api.get('/cart');
      const have = current.lines.find((l) => l.skuId === s.id)?.quantity ?? 0;
      const updated = await api.put('/cart/items/{skuId}', {
        params: { path: { skuId: s.id } },
        body: { quantity: Math.min(99, have + qty), ...(attribution ? { attribution } : {}) },
      });
      cart.setCart(updated);
      // A feed card's add-to-cart is logged on its impression (once per impression; best effort).
      if (attribution?.impressionId) {
        api
          .post('/feed/events', { body: { impressionId: attribution.impressionId, kind: 'cart' } })
          .catch(() => {});
      }
      Toast.show({ icon: 'success', content: t('buyer.addedToCart') });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(undefined);
    }
  };

  const buyNow = () => {
    if (requireSignIn()) return;
    const s = pickedSku();
    if (!s) return;
    const q = new URLSearchParams({
      sku: s.id,
      qty: String(qty),
      product: product.id,
      ...attributionQuery(attribution),
    });
    navigate(`/checkout?${q}`);
  };

  const zones = product.sizeChart ? chartZones(product.sizeChart) : [];

  return (
    <div className="b-product" data-testid="product-detail" data-product-id={product.id}>
      {product.images.length > 0 && (
        <Swiper className="b-gallery" indicatorProps={{ color: 'white' }}>
          {product.images.map((src, i) => (
            <Swiper.Item key={src + String(i)}>
              <Image
                src={src}
                fit="cover"
                className="b-gallery-img"
                data-testid="product-image"
                alt={product.title}
              />
            </Swiper.Item>
          ))}
        </Swiper>
      )}
      <section className="b-block">
        <div className="b-price-row">
          <span className="b-price-label">{t('buyer.finalPrice')}</span>
          <TappablePrice
            lines={priceSku ? [{ skuId: priceSku.id, quantity: qty }] : []}
            testId="product-price-tap"
          >
            <Price fen={shownFen} size="lg" testId="product-price" />
          </TappablePrice>
          {listFen > shownFen && (
            <s className="b-muted-sm tb-list-price" data-testid="product-list-price">
              {formatFen(listFen)}
            </s>
          )}
        </div>
        {guarantees ? (
          <GuaranteeBadges guarantees={guarantees} />
        ) : (
          // The row's room while the store's promises load: the options below do not jump under a tap.
          <div className="tb-badges tb-badges-loading" aria-hidden>
            <span className="tb-badge">{'\u00a0'}</span>
          </div>
        )}
        <h1 className="b-product-title" data-testid="product-title">
          {product.title}
        </h1>
        <div className="b-muted-sm">
          {product.brand ? `${t('buyer.brand')}: ${product.brand} · ` : ''}
          {product.fitType ? `${t('buyer.fit')}: ${t(`buyer.fitTypes.${product.fitType}`)}` : ''}
        </div>
        <RatingLine summary={reviewSummary.data} />
        {!onSale && <div className="b-warn">{t('buyer.offSale')}</div>}
      </section>

      <ProductCoupons productId={product.id} storeId={product.storeId} />

      <button
        type="button"
        className="b-block b-store-link"
        onClick={() => navigate(`/store/${product.storeId}`)}
        data-testid="product-store"
      >
        <span>
          {t('buyer.store')} · {product.storeName}
        </span>
        <span className="b-link">{t('buyer.enterStore')} ›</span>
      </button>

      <section className="b-block" data-testid="sku-picker">
        {sizes.length > 0 && (
          <Options
            label={t('buyer.size')}
            options={sizes}
            value={size}
            onChange={pickSize}
            testId="size-option"
            isDisabled={(v) => !available(v, color)}
            badge={recommendedSize ?? undefined}
          />
        )}
        {colors.length > 0 && (
          <Options
            label={t('buyer.color')}
            options={colors}
            value={color}
            onChange={setColor}
            testId="color-option"
            isDisabled={(v) => !available(size, v)}
          />
        )}
        <div className="b-opt-row">
          <span className="b-opt-label">{t('buyer.quantity')}</span>
          <Stepper
            min={1}
            max={Math.max(1, Math.min(99, sku?.stock ?? 99))}
            value={qty}
            onChange={(v) => setQty(v || 1)}
            data-testid="quantity"
          />
          {sku && (
            <span className="b-muted-sm" data-testid="sku-stock">
              {sku.stock > 0 ? t('buyer.stock', { n: sku.stock }) : t('buyer.outOfStock')}
            </span>
          )}
        </div>
      </section>

      <SizeAssistant
        product={product}
        size={size}
        onSize={pickSize}
        onRecommended={(s, asked) => {
          setRecommendedSize(s);
          if (s && sizes.includes(s) && (asked || !pickedByBuyer.current)) setSize(s);
        }}
      />

      {product.sizeChart && zones.length > 0 && (
        <section className="b-block">
          <div className="b-block-title">{t('buyer.sizeChart')}</div>
          <table className="b-size-table" data-testid="size-chart">
            <thead>
              <tr>
                <th>{t('buyer.size')}</th>
                {zones.map((z) => (
                  <th key={z}>{t(zoneLabelKey(z, product.categoryId), { defaultValue: z })}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {chartSizes(product.sizeChart, sizes).map((sz) => (
                <tr key={sz} className={sz === size ? 'b-size-active' : undefined}>
                  <td>{sz}</td>
                  {zones.map((z) => (
                    <td key={z}>{product.sizeChart?.[sz]?.[z] ?? '—'}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <ProductReviews productId={product.id} summary={reviewSummary} />

      <section className="b-block">
        <div className="b-block-title">{t('buyer.description')}</div>
        <p className="b-desc" data-testid="product-description">
          {product.description}
        </p>
      </section>

      <div className="b-actionbar">
        <Button
          className="b-btn-cart"
          shape="rounded"
          onClick={addToCart}
          loading={busy === 'cart'}
          disabled={!onSale}
          data-testid="add-to-cart"
        >
          {t('buyer.addToCart')}
        </Button>
        <Button
          className="b-btn-buy"
          color="primary"
          shape="rounded"
          onClick={buyNow}
          disabled={!onSale}
          data-testid="buy-now"
        >
          {t('buyer.buyNow')}
        </Button>
      </div>
    </div>
  );
}

function Options({
  label,
  options,
  value,
  onChange,
  testId,
  isDisabled,
  badge,
}: {
  label: string;
  options: string[];
  value: string | undefined;
  onChange: (v: string | undefined) => void;
  testId: string;
  isDisabled: (v: string) => boolean;
  /** The option to mark as recommended (the size assistant's size). */
  badge?: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="b-opt-row">
      <span className="b-opt-label">{label}</span>
      <div className="b-opts">
        {options.map((o) => {
          const disabled = isDisabled(o);
          const selected = value === o;
          return (
            <button
              key={o}
              type="button"
              className={`b-opt${selected ? ' b-opt-on' : ''}${disabled ? ' b-opt-off' : ''}`}
              aria-pressed={selected}
              data-testid={testId}
              data-value={o}
              data-disabled={disabled || undefined}
              data-recommended={badge === o || undefined}
              // a second tap keeps the choice: the size assistant may have preselected it
              onClick={() => onChange(o)}
            >
              {o}
              {badge === o && <span className="b-opt-badge">{t('sizing.badge')}</span>}
            </button>
          );
        })}
      </div>
    </div>
  );
}
