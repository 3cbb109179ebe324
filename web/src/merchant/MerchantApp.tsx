import '../console/console.css';
import { Layout, Menu } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import {
  ConsoleHeader,
  ConsoleProviders,
  ConsoleSignIn,
  NotFoundResult,
  PageSpin,
} from '../console/ConsoleShell.tsx';
import { SessionProvider, useSession } from '../shared/session.tsx';
import { DashboardPage } from './Dashboard.tsx';
import { OpenStorePage } from './OpenStore.tsx';
import { OrdersPage } from './Orders.tsx';
import { ProductFormPage } from './ProductForm.tsx';
import { ProductsPage } from './Products.tsx';
import { SizeInsightsPage } from './SizeInsights.tsx';
import { StoreSettingsPage } from './StoreSettings.tsx';

const MENU = ['dashboard', 'products', 'orders', 'sizeInsights', 'store'] as const;
const PATHS: Record<(typeof MENU)[number], string> = {
  dashboard: '/merchant',
  products: '/merchant/products',
  orders: '/merchant/orders',
  sizeInsights: '/merchant/size-insights',
  store: '/merchant/store',
};

/** Test ids of menu entries whose key differs (`nav-size-insights`). */
const NAV_IDS: Partial<Record<(typeof MENU)[number], string>> = { sizeInsights: 'size-insights' };

function Gate() {
  const { t } = useTranslation();
  const { account, loading } = useSession();
  if (loading) return <PageSpin />;
  if (account?.role !== 'merchant')
    return (
      <ConsoleSignIn
        accountRole="merchant"
        title={t('auth.merchantTitle')}
        demo="13700000001 … 13700000010"
      />
    );
  if (!account.storeId) return <OpenStorePage />;
  return <Shell />;
}

function Shell() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const active =
    MENU.filter((k) => k !== 'dashboard').find((k) => location.pathname.startsWith(PATHS[k])) ?? 'dashboard';
  return (
    <Layout className="c-layout">
      <Layout.Sider breakpoint="lg" collapsedWidth={0} width={208}>
        <div className="c-logo">
          <span className="c-logo-mark">引</span>
          {t('merchant.title')}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[active]}
          onClick={({ key }) => navigate(PATHS[key as (typeof MENU)[number]])}
          items={MENU.map((k) => ({
            key: k,
            label: <span data-testid={`nav-${NAV_IDS[k] ?? k}`}>{t(`merchant.menu.${k}`)}</span>,
          }))}
        />
      </Layout.Sider>
      <Layout>
        <ConsoleHeader />
        <Layout.Content className="c-content">
          <Routes>
            <Route index element={<DashboardPage />} />
            <Route path="products" element={<ProductsPage />} />
            <Route path="products/new" element={<ProductFormPage />} />
            <Route path="products/:id/edit" element={<ProductFormPage />} />
            <Route path="orders" element={<OrdersPage />} />
            <Route path="size-insights" element={<SizeInsightsPage />} />
            <Route path="store" element={<StoreSettingsPage />} />
            <Route path="open" element={<Navigate to="/merchant" replace />} />
            <Route path="*" element={<NotFoundResult home="/merchant" />} />
          </Routes>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

export default function MerchantApp() {
  return (
    <ConsoleProviders>
      <SessionProvider>
        <Gate />
      </SessionProvider>
    </ConsoleProviders>
  );
}
