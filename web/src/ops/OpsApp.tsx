import '../console/console.css';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import {
  ConsoleLayout,
  ConsoleProviders,
  ConsoleSignIn,
  NotFoundResult,
  PageSpin,
} from '../console/ConsoleShell.tsx';
import { SessionProvider, useSession } from '../shared/session.tsx';
import { LedgerPage } from './Ledger.tsx';
import { OverviewPage } from './Overview.tsx';
import { ReconciliationPage } from './Reconciliation.tsx';
import { SizeMetricsPage } from './SizeMetrics.tsx';
import { MerchantsPage, OrdersPage, ProductsPage } from './Tables.tsx';

const MENU = [
  'overview',
  'merchants',
  'products',
  'orders',
  'sizeMetrics',
  'ledger',
  'reconciliation',
] as const;
/** URL segment and test id of a menu entry (`/ops/size-metrics`, `nav-size-metrics`). */
const slug = (k: (typeof MENU)[number]) => (k === 'sizeMetrics' ? 'size-metrics' : k);
const path = (k: (typeof MENU)[number]) => (k === 'overview' ? '/ops' : `/ops/${slug(k)}`);

function Gate() {
  const { t } = useTranslation();
  const { account, loading } = useSession();
  if (loading) return <PageSpin />;
  if (account?.role !== 'operator')
    return <ConsoleSignIn accountRole="operator" title={t('auth.opsTitle')} demo="13900000000" />;
  return <Shell />;
}

function Shell() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const active = MENU.find((k) => k !== 'overview' && location.pathname.startsWith(path(k))) ?? 'overview';
  return (
    <ConsoleLayout
      brand={t('ops.title')}
      items={MENU.map((k) => ({ key: k, label: t(`ops.menu.${k}`), testId: slug(k) }))}
      selected={active}
      onSelect={(key) => navigate(path(key as (typeof MENU)[number]))}
    >
      <Routes>
        <Route index element={<OverviewPage />} />
        <Route path="merchants" element={<MerchantsPage />} />
        <Route path="products" element={<ProductsPage />} />
        <Route path="orders" element={<OrdersPage />} />
        <Route path="size-metrics" element={<SizeMetricsPage />} />
        <Route path="ledger" element={<LedgerPage />} />
        <Route path="reconciliation" element={<ReconciliationPage />} />
        <Route path="*" element={<NotFoundResult home="/ops" />} />
      </Routes>
    </ConsoleLayout>
  );
}

export default function OpsApp() {
  return (
    <ConsoleProviders>
      <SessionProvider>
        <Gate />
      </SessionProvider>
    </ConsoleProviders>
  );
}
