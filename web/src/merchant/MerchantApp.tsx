import '../console/console.css';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import {
  ConsoleLayout,
  ConsoleProviders,
  ConsoleSignIn,
  NotFoundResult,
  PageSpin,
} from '../console/ConsoleShell.tsx';
import { SessionProvider, useSession } from '../shared/session.tsx';
import { AftersalePage } from './Aftersale.tsx';
import { CouponsPage } from './Coupons.tsx';
import { DashboardPage } from './Dashboard.tsx';
import { ExperiencePage } from './Experience.tsx';
import { FansPage } from './fans/Fans.tsx';
import { GuaranteesPage } from './Guarantees.tsx';
import { GrowthPage } from './growth/Growth.tsx';
import { LiveConsolePage, LiveSessionsPage } from './live/LiveSessions.tsx';
import { SessionReportPage } from './live/SessionReport.tsx';
import { StoreMetricsPage } from './metrics/Metrics.tsx';
import { OpenStorePage } from './OpenStore.tsx';
import { OrdersPage } from './Orders.tsx';
import { ProductFormPage } from './ProductForm.tsx';
import { ProductsPage } from './Products.tsx';
import { ReviewsPage } from './Reviews.tsx';
import { SizeInsightsPage } from './SizeInsights.tsx';
import { StoreSettingsPage } from './StoreSettings.tsx';
import { TrafficPage } from './Traffic.tsx';
import { VideosPage } from './videos/Videos.tsx';

const MENU = [
  'dashboard',
  'metrics',
  'growth',
  'fans',
  'products',
  'orders',
  'aftersale',
  'reviews',
  'experience',
  'traffic',
  'live',
  'videos',
  'coupons',
  'guarantees',
  'sizeInsights',
  'store',
] as const;
const PATHS: Record<(typeof MENU)[number], string> = {
  dashboard: '/merchant',
  metrics: '/merchant/metrics',
  growth: '/merchant/growth',
  fans: '/merchant/fans',
  products: '/merchant/products',
  orders: '/merchant/orders',
  aftersale: '/merchant/aftersale',
  reviews: '/merchant/reviews',
  experience: '/merchant/experience',
  traffic: '/merchant/traffic',
  live: '/merchant/live',
  videos: '/merchant/videos',
  coupons: '/merchant/coupons',
  guarantees: '/merchant/guarantees',
  sizeInsights: '/merchant/size-insights',
  store: '/merchant/store',
};

/** Menu entries of issue 11 (their names are in the `trustConsole` messages). */
const TRUST_MENU = new Set<string>(['aftersale', 'coupons', 'guarantees']);
/** Menu entries of issue 17 (their names are in the `reviewsConsole` messages). */
const REVIEWS_MENU = new Set<string>(['reviews', 'experience']);
/** Menu entries of issue 14's short videos (names in the `videosConsole` messages). */
const VIDEOS_MENU = new Set<string>(['videos']);

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
    <ConsoleLayout
      brand={t('merchant.title')}
      items={MENU.map((k) => ({
        key: k,
        label: TRUST_MENU.has(k)
          ? t(`trustConsole.menu.${k}`)
          : k === 'live'
            ? t('live.menu')
            : REVIEWS_MENU.has(k)
              ? t(`reviewsConsole.menu.${k}`)
              : VIDEOS_MENU.has(k)
                ? t(`videosConsole.menu.${k}`)
                : t(`merchant.menu.${k}`),
        testId: NAV_IDS[k] ?? k,
      }))}
      selected={active}
      onSelect={(key) => navigate(PATHS[key as (typeof MENU)[number]])}
    >
      <Routes>
        <Route index element={<DashboardPage />} />
        <Route path="metrics" element={<StoreMetricsPage />} />
        <Route path="growth" element={<GrowthPage />} />
        <Route path="fans" element={<FansPage />} />
        <Route path="products" element={<ProductsPage />} />
        <Route path="products/new" element={<ProductFormPage />} />
        <Route path="products/:id/edit" element={<ProductFormPage />} />
        <Route path="orders" element={<OrdersPage />} />
        <Route path="aftersale" element={<AftersalePage />} />
        <Route path="reviews" element={<ReviewsPage />} />
        <Route path="experience" element={<ExperiencePage />} />
        <Route path="traffic" element={<TrafficPage />} />
        <Route path="live" element={<LiveSessionsPage />} />
        <Route path="live/:id" element={<LiveConsolePage />} />
        <Route path="videos" element={<VideosPage />} />
        <Route path="coupons" element={<CouponsPage />} />
        <Route path="guarantees" element={<GuaranteesPage />} />
        <Route path="size-insights" element={<SizeInsightsPage />} />
        <Route path="store" element={<StoreSettingsPage />} />
        <Route path="live/:id/report" element={<SessionReportPage />} />
        <Route path="open" element={<Navigate to="/merchant" replace />} />
        <Route path="*" element={<NotFoundResult home="/merchant" />} />
      </Routes>
    </ConsoleLayout>
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
