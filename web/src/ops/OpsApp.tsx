import '../console/console.css';
import { Layout, Menu } from 'antd';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import {
  ConsoleHeader,
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
    <Layout className="c-layout">
      <Layout.Sider breakpoint="lg" collapsedWidth={0} width={208}>
        <div className="c-logo">
          <span className="c-logo-mark">引</span>
          {t('ops.title')}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[active]}
          onClick={({ key }) => navigate(path(key as (typeof MENU)[number]))}
          items={MENU.map((k) => ({
            key: k,
            label: <span data-testid={`nav-${slug(k)}`}>{t(`ops.menu.${k}`)}</span>,
          }))}
        />
      </Layout.Sider>
      <Layout>
        <ConsoleHeader />
        <Layout.Content className="c-content">
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
        </Layout.Content>
      </Layout>
    </Layout>
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
