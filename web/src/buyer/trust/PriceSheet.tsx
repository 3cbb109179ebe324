import { Popup, Toast } from 'antd-mobile';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api.ts';
import { formatFen } from '../../money.ts';
import { type Breakdown, pricingApi, type QuoteDiscount } from './trust-api.ts';

/** The words for a discount's kind (subsidy, store coupon …), falling back to a plain "discount". */
export function useDiscountName() {
  const { t, i18n } = useTranslation();
  return (d: Pick<QuoteDiscount, 'kind'>, title?: string) => {
    const kind = i18n.exists(`trustBuyer.discountKind.${d.kind}`)
      ? t(`trustBuyer.discountKind.${d.kind}`)
      : t('trustBuyer.discountKind.other');
    return title ? `${kind} · ${title}` : kind;
  };
}

/** The breakdown of a quote (one line or many): list price, each discount and who funds it, the final price. */
export function PriceBreakdown({ quote }: { quote: Breakdown }) {
  const { t } = useTranslation();
  const name = useDiscountName();
  // The same discount (e.g. one platform coupon) spread over lines is one row.
  const rows = new Map<string, Breakdown['lines'][number]['discounts'][number]>();
  const titleOf = (id: string) => quote.coupons?.find((c) => c.id === id)?.title;
  for (const line of quote.lines)
    for (const d of line.discounts) {
      const key = `${d.kind}:${d.id}:${d.funder}`;
      const seen = rows.get(key);
      rows.set(key, seen ? { ...seen, fen: seen.fen + d.fen } : { ...d });
    }
  const single = quote.lines.length === 1 ? quote.lines[0] : undefined;
  return (
    <div className="tb-breakdown" data-testid="price-breakdown-sheet">
      <div className="tb-bd-row">
        <span>
          {t('trustBuyer.listPrice')}
          {single && single.quantity > 1 && (
            <span className="b-muted-sm">
              {' '}
              {formatFen(single.listUnitFen)} × {single.quantity}
            </span>
          )}
        </span>
        <span data-testid="breakdown-list">{formatFen(quote.listTotalFen)}</span>
      </div>
      {[...rows.values()].map((d) => (
        <div
          className="tb-bd-row tb-bd-discount"
          key={`${d.kind}:${d.id}:${d.funder}`}
          data-testid="breakdown-discount"
          data-kind={d.kind}
          data-funder={d.funder}
        >
          <span>
            {name(d, titleOf(d.id))}
            <span className={`tb-funder tb-funder-${d.funder}`}>{t(`trustBuyer.funder.${d.funder}`)}</span>
          </span>
          <span>-{formatFen(d.fen)}</span>
        </div>
      ))}
      {rows.size === 0 && <div className="b-muted-sm tb-bd-none">{t('trustBuyer.noDiscounts')}</div>}
      <div className="tb-bd-row tb-bd-final">
        <span>{t('trustBuyer.finalPrice')}</span>
        <span className="b-price" data-testid="breakdown-final">
          {formatFen(quote.totalFen)}
        </span>
      </div>
      {single && single.quantity > 1 && (
        <div className="b-muted-sm tb-bd-unit">
          {t('trustBuyer.perUnit', { price: formatFen(single.unitFen) })}
        </div>
      )}
    </div>
  );
}

/** A bottom sheet with a price's breakdown. */
export function PriceSheet({
  quote,
  visible,
  onClose,
}: {
  quote: Breakdown | null;
  visible: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    // A portal's events still bubble through React's tree: the sheet's taps must not reach a card under it.
    // biome-ignore lint/a11y/noStaticElementInteractions: only stops taps from bubbling
    // biome-ignore lint/a11y/useKeyWithClickEvents: only stops taps from bubbling
    <span onClick={(e) => e.stopPropagation()}>
      <Popup
        visible={visible && quote !== null}
        onMaskClick={onClose}
        onClose={onClose}
        bodyClassName="tb-sheet"
      >
        <div className="tb-sheet-head">
          <span className="tb-sheet-title">{t('trustBuyer.breakdownTitle')}</span>
          <button type="button" className="tb-sheet-close" onClick={onClose} data-testid="price-sheet-close">
            ×
          </button>
        </div>
        {quote && <PriceBreakdown quote={quote} />}
        <p className="b-muted-sm tb-sheet-note">{t('trustBuyer.breakdownNote')}</p>
      </Popup>
    </span>
  );
}

/**
 * A price the buyer can tap to see how it is made: the quote is asked for on the tap (the server's
 * numbers, the same function as the cart and the order), or given when the page already has it.
 */
export function TappablePrice({
  children,
  quote,
  lines,
  testId,
}: {
  children: ReactNode;
  quote?: Breakdown | null;
  /** When no quote is given: the lines to quote on the tap. */
  lines?: Array<{ skuId: string; quantity: number }>;
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const [asked, setAsked] = useState<Breakdown | null>(null);
  const shown = quote ?? asked;
  const tap = async () => {
    if (!quote && lines?.length) {
      try {
        setAsked(await pricingApi.quote(lines));
      } catch (e) {
        Toast.show({ icon: 'fail', content: errorMessage(e) });
        return;
      }
    }
    setOpen(true);
  };
  return (
    <>
      <button
        type="button"
        className="tb-price-tap"
        onClick={(e) => {
          e.stopPropagation();
          void tap();
        }}
        data-testid={testId ?? 'price-tap'}
      >
        {children}
        <span className="tb-price-i" aria-hidden>
          ⓘ
        </span>
      </button>
      <PriceSheet quote={shown} visible={open} onClose={() => setOpen(false)} />
    </>
  );
}

/**
 * The feed card's price (the lowest final price over the product's SKUs, from the server); a tap shows
 * how that SKU's price is made without opening the product.
 */
export function CardPrice({ productId, fen }: { productId: string; fen: number }) {
  const [open, setOpen] = useState(false);
  const [quote, setQuote] = useState<Breakdown | null>(null);
  const tap = async (e: React.SyntheticEvent) => {
    e.stopPropagation();
    e.preventDefault();
    try {
      if (!quote) {
        const { product } = await api.get('/products/{id}', { params: { path: { id: productId } } });
        const skus = product.skus.filter((s) => s.stock > 0);
        const pool = skus.length ? skus : product.skus;
        const cheapest = pool.reduce((a, b) =>
          (b.finalPrice?.unitFen ?? b.priceFen) < (a.finalPrice?.unitFen ?? a.priceFen) ? b : a,
        );
        setQuote(await pricingApi.quote([{ skuId: cheapest.id, quantity: 1 }]));
      }
      setOpen(true);
    } catch (err) {
      Toast.show({ icon: 'fail', content: errorMessage(err) });
    }
  };
  return (
    <>
      {/* biome-ignore lint/a11y/useSemanticElements: inside the card's button, a nested <button> is not allowed */}
      <span
        role="button"
        tabIndex={0}
        className="b-price b-price-md tb-price-tap"
        data-testid="product-card-price"
        onClick={(e) => void tap(e)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') void tap(e);
        }}
      >
        {formatFen(fen)}
      </span>
      <PriceSheet quote={quote} visible={open} onClose={() => setOpen(false)} />
    </>
  );
}
