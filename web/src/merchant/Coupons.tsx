import { useTranslation } from 'react-i18next';
import { CouponsTable } from '../console/CouponsTable.tsx';
import { couponsApi } from '../console/trust-api.ts';

/** The store's coupons: create (fixed or 满X减Y), and how many were claimed and used. */
export function CouponsPage() {
  const { t } = useTranslation();
  return (
    <div data-testid="merchant-coupons">
      <h1 className="c-page-title">{t('trustConsole.menu.coupons')}</h1>
      <CouponsTable
        scope="store"
        list={couponsApi.listStore}
        create={couponsApi.createStore}
        stop={couponsApi.stopStore}
      />
    </div>
  );
}
