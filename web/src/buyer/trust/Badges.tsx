import { Popup } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAsync } from '../../shared/hooks.ts';
import { type Guarantees, guaranteesApi, NO_GUARANTEES, readGuarantees } from './trust-api.ts';

type BadgeKey = 'priceProtection' | 'refundWithoutReturn' | 'payLater' | 'returnShipping';

function badgesOf(g: Guarantees): BadgeKey[] {
  const out: BadgeKey[] = [];
  if (g.priceProtectionDays > 0) out.push('priceProtection');
  if (g.refundWithoutReturn) out.push('refundWithoutReturn');
  if (g.returnShippingSubsidy) out.push('returnShipping');
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
          <button type="button" className="tb-sheet-close" onClick={() => setOpen(false)}>
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
              <div className="b-muted-sm">{t(`trustBuyer.badgeHelp.${k}`, { days })}</div>
            </div>
          ))}
        </div>
      </Popup>
    </>
  );
}

/** Price protection is the platform's promise on every order (flash-sale and live-only prices aside). */
export const PLATFORM_GUARANTEES: Guarantees = { ...NO_GUARANTEES, priceProtectionDays: 7 };

/**
 * The promises of a product or order: from its own answer when it carries them, else the store's
 * (when the server tells them), else the platform's own (7-day price protection).
 */
export function useGuarantees(carried: unknown, storeId: string): Guarantees {
  const own = readGuarantees(carried);
  const store = useAsync(
    (signal) => (own ? Promise.resolve(own) : guaranteesApi.forStore(storeId, signal).catch(() => null)),
    [storeId, own === null],
  );
  return own ?? store.data ?? PLATFORM_GUARANTEES;
}
