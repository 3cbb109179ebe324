import { Popup } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatFen } from '../../money.ts';
import { useAsync } from '../../shared/hooks.ts';
import { type Guarantees, guaranteesApi } from './trust-api.ts';

type BadgeKey = 'priceProtection' | 'refundWithoutReturn' | 'payLater' | 'returnShipping';

function badgesOf(g: Guarantees): BadgeKey[] {
  const out: BadgeKey[] = [];
  if (g.priceProtectionDays > 0) out.push('priceProtection');
  if (g.refundOnlyMaxFen > 0 || g.lowPriceRefundOnlyMaxFen !== null) out.push('refundWithoutReturn');
  if (g.returnShippingFunder !== null) out.push('returnShipping');
  if (g.payLater) out.push('payLater');
  return out;
}

/** The promises on a product or an order, as a row of badges; a tap explains each. */
export function GuaranteeBadges({ guarantees, compact }: { guarantees: Guarantees; compact?: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const keys = badgesOf(guarantees);
  if (keys.length === 0) return null;
  const days = guarantees.priceProtectionDays;
  /** The real figures behind each promise, for its explanation. */
  const help = (k: BadgeKey) => {
    if (k === 'refundWithoutReturn') {
      const parts: string[] = [];
      if (guarantees.refundOnlyMaxFen > 0)
        parts.push(
          t('trustBuyer.badgeHelp.refundWithoutReturn', { max: formatFen(guarantees.refundOnlyMaxFen) }),
        );
      if (guarantees.lowPriceRefundOnlyMaxFen !== null)
        parts.push(
          t('trustBuyer.badgeHelp.refundWithoutReturnLowPrice', {
            max: formatFen(guarantees.lowPriceRefundOnlyMaxFen),
          }),
        );
      return parts.join(' ');
    }
    if (k === 'returnShipping')
      return guarantees.returnShippingFunder === 'platform'
        ? t('trustBuyer.badgeHelp.returnShippingPlatform')
        : t('trustBuyer.badgeHelp.returnShipping');
    return t(`trustBuyer.badgeHelp.${k}`, { days });
  };
  return (
    <>
      <button
        type="button"
        className={`tb-badges${compact ? ' tb-badges-compact' : ''}`}
        onClick={(e) => {
          e.stopPropagation();
          setOpen(true);
        }}
        data-testid="guarantee-badges"
      >
        {keys.map((k) => (
          <span key={k} className={`tb-badge tb-badge-${k}`} data-testid={`badge-${k}`}>
            <span className="tb-badge-tick" aria-hidden>
              ✓
            </span>
            {t(`trustBuyer.badge.${k}`, { days })}
          </span>
        ))}
        {!compact && <span className="tb-badges-more">›</span>}
      </button>
      <Popup visible={open} onMaskClick={() => setOpen(false)} bodyClassName="tb-sheet">
        <div className="tb-sheet-head">
          <span className="tb-sheet-title">{t('trustBuyer.guaranteesTitle')}</span>
          <button
            type="button"
            className="tb-sheet-close"
            onClick={() => setOpen(false)}
            data-testid="guarantee-sheet-close"
          >
            ×
          </button>
        </div>
        <div className="tb-guarantee-list" data-testid="guarantee-sheet">
          {keys.map((k) => (
            <div key={k} className="tb-guarantee">
              <div className="tb-guarantee-name">
                <span className="tb-badge-tick" aria-hidden>
                  ✓
                </span>
                {t(`trustBuyer.badge.${k}`, { days })}
              </div>
              <div className="b-muted-sm" data-testid={`badge-help-${k}`}>
                {help(k)}
              </div>
            </div>
          ))}
        </div>
      </Popup>
    </>
  );
}

/** The store's promises, as the server states them (null while loading, or when they cannot be read). */
export function useGuarantees(storeId: string): Guarantees | null {
  const store = useAsync((signal) => guaranteesApi.forStore(storeId, signal), [storeId]);
  return store.data ?? null;
}
