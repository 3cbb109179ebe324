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
import { AbuseReviewPage } from './AbuseReview.tsx';
import { DebtsPage } from './Debts.tsx';
import { FanPlanPage } from './fan-plan/FanPlan.tsx';
import { GuaranteeCostsPage } from './GuaranteeCosts.tsx';
import { IncentivesPage } from './incentives/Incentives.tsx';
import { LedgerPage } from './Ledger.tsx';
import { PlatformMetricsPage } from './metrics/PlatformMetrics.tsx';
import { OverviewPage } from './Overview.tsx';
import { PoliciesPage } from './Policies.tsx';
import { ReconciliationPage } from './Reconciliation.tsx';
import { ReviewModerationPage, usePendingReviews } from './ReviewModeration.tsx';
import { SizeMetricsPage } from './SizeMetrics.tsx';
import { StoreExperiencePage } from './StoreExperience.tsx';
import { MerchantsPage, OrdersPage, ProductsPage } from './Tables.tsx';
import { TrafficPage } from './Traffic.tsx';

const MENU = [
  'overview',
  'platformMetrics',
  'incentives',
  'merchants',
  'products',
  'orders',
  'sizeMetrics',
  'policies',
  'guaranteeCosts',
  'review',
  'reviewModeration',
  'storeExperience',
  'traffic',
  'fanPlan',
  'debts',
  'ledger',
  'reconciliation',
] as const;
/** URL segment and test id of a menu entry (`/ops/size-metrics`, `nav-size-metrics`). */
const SLUGS: Partial<Record<(typeof MENU)[number], string>> = {
  sizeMetrics: 'size-metrics',
  platformMetrics: 'metrics',
  guaranteeCosts: 'guarantee-costs',
  review: 'aftersale-review',
  reviewModeration: 'review-moderation',
  storeExperience: 'store-experience',
  fanPlan: 'fan-plan',
};
const slug = (k: (typeof MENU)[number]) => SLUGS[k] ?? k;
/** Menu entries of issue 11 (their names are in the `trustConsole` messages). */
const TRUST_MENU = new Set<string>(['policies', 'guaranteeCosts', 'review', 'debts']);
/** Menu entries of issue 17 (their names are in the `reviewsConsole.menu` messages). */
const REVIEWS_MENU: Partial<Record<(typeof MENU)[number], string>> = {
  reviewModeration: 'moderation',
  storeExperience: 'storeExperience',
};
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
  // Reviews waiting for an operator, in the menu; read again on each page change.
  const pendingReviews = usePendingReviews(location.pathname);
  const label = (k: (typeof MENU)[number]) => {
    if (TRUST_MENU.has(k)) return t(`trustConsole.menu.${k}`);
    const reviews = REVIEWS_MENU[k];
    if (!reviews) return t(`ops.menu.${k}`);
    const name = t(`reviewsConsole.menu.${reviews}`);
    return k === 'reviewModeration' && pendingReviews ? `${name} (${pendingReviews})` : name;
  };
  return (
    <ConsoleLayout
      brand={t('ops.title')}
      items={MENU.map((k) => ({
        key: k,
        label: label(k),
        testId: slug(k),
      }))}
      selected={active}
      onSelect={(key) => navigate(path(key as (typeof MENU)[number]))}
    >
      <Routes>
        <Route index element={<OverviewPage />} />
        <Route path="metrics" element={<PlatformMetricsPage />} />
        <Route path="incentives" element={<IncentivesPage />} />
        <Route path="merchants" element={<MerchantsPage />} />
        <Route path="products" element={<ProductsPage />} />
        <Route path="orders" element={<OrdersPage />} />
        <Route path="size-metrics" element={<SizeMetricsPage />} />
        <Route path="policies" element={<PoliciesPage />} />
        <Route path="guarantee-costs" element={<GuaranteeCostsPage />} />
        <Route path="aftersale-review" element={<AbuseReviewPage />} />
        <Route path="review-moderation" element={<ReviewModerationPage />} />
        <Route path="store-experience" element={<StoreExperiencePage />} />
        <Route path="traffic" element={<TrafficPage />} />
        <Route path="fan-plan" element={<FanPlanPage />} />
        <Route path="debts" element={<DebtsPage />} />
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
