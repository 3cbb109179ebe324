import './buyer.css';
import './sizing/sizing.css';
import './trust/trust.css';
import './reviews/reviews.css';
import { ConfigProvider, SafeArea, TabBar } from 'antd-mobile';
import enUSModule from 'antd-mobile/es/locales/en-US.js';
import zhCNModule from 'antd-mobile/es/locales/zh-CN.js';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { SessionProvider } from '../shared/session.tsx';
import { CartPage } from './Cart.tsx';
import { CategoriesPage } from './Categories.tsx';
import { CheckoutPage } from './Checkout.tsx';
import { CartProvider, useCartCount } from './cart-context.tsx';
import { HomePage } from './Home.tsx';
import { LiveListPage, LiveRoomPage, NoticesPage } from './live/LiveRoom.tsx';
import { MePage } from './Me.tsx';
import { OrderDetailPage } from './OrderDetail.tsx';
import { OrdersPage } from './Orders.tsx';
import { PayPage } from './Pay.tsx';
import { ProductPage } from './Product.tsx';
import { MyReviewsPage } from './reviews/MyReviews.tsx';
import { ReviewFormPage } from './reviews/ReviewForm.tsx';
import { ScrollMemory } from './ScrollMemory.tsx';
import { SearchPage } from './Search.tsx';
import { SignInPage } from './SignIn.tsx';
import { StorePage } from './Store.tsx';
import { MySizesPage } from './sizing/MySizes.tsx';
import { MyFollowsPage } from './social/MyFollows.tsx';
import { MyCouponsPage } from './trust/Coupons.tsx';
import { BillsPage } from './trust/PayLater.tsx';
import { NotFound, RequireBuyer } from './ui.tsx';
import { VideoFeedPage } from './videos/VideoFeed.tsx';

// antd-mobile ships ESM without "type": "module"; TypeScript sees the module, Vite the default export.
type Locale = React.ComponentProps<typeof ConfigProvider>['locale'];
const unwrap = (m: unknown): Locale => ((m as { default?: Locale }).default ?? m) as Locale;
const enUS = unwrap(enUSModule);
const zhCN = unwrap(zhCNModule);

const TAB_PATHS = ['/', '/videos', '/categories', '/cart', '/me'];

function Tabs() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const count = useCartCount();
  if (!TAB_PATHS.includes(location.pathname)) return null;
  return (
    <div className="b-tabbar">
      <TabBar activeKey={location.pathname} onChange={(key) => navigate(key)} safeArea>
        <TabBar.Item
          key="/"
          title={<span data-testid="tab-home">{t('buyer.tabs.home')}</span>}
          icon={<TabIcon d={HOME} />}
        />
        <TabBar.Item
          key="/videos"
          title={<span data-testid="tab-videos">{t('buyer.tabs.videos')}</span>}
          icon={<TabIcon d={PLAY} />}
        />
        <TabBar.Item
          key="/categories"
          title={<span data-testid="tab-categories">{t('buyer.tabs.categories')}</span>}
          icon={<TabIcon d={GRID} />}
        />
        <TabBar.Item
          key="/cart"
          title={<span data-testid="tab-cart">{t('buyer.tabs.cart')}</span>}
          icon={<TabIcon d={CART} />}
          badge={count > 0 ? String(count) : undefined}
        />
        <TabBar.Item
          key="/me"
          title={<span data-testid="tab-me">{t('buyer.tabs.me')}</span>}
          icon={<TabIcon d={USER} />}
        />
      </TabBar>
    </div>
  );
}

const HOME = 'M3 11l9-8 9 8v10a1 1 0 0 1-1 1h-5v-6h-6v6H4a1 1 0 0 1-1-1z';
const PLAY = 'M4 5a2 2 0 0 1 2-2h12a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2zM10 9v6l5-3z';
const GRID = 'M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z';
const CART = 'M3 4h2l2.4 11h11.2L21 7H7M9 20a1 1 0 1 0 0-2 1 1 0 0 0 0 2zm9 0a1 1 0 1 0 0-2 1 1 0 0 0 0 2z';
const USER = 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm-8 9a8 8 0 0 1 16 0';

function TabIcon({ d }: { d: string }) {
  return (
    <svg
      width="22"
      height="22"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      aria-hidden
    >
      <path d={d} strokeLinejoin="round" strokeLinecap="round" />
    </svg>
  );
}

export default function BuyerApp() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN}>
      <SessionProvider>
        <CartProvider>
          <div className="b-app">
            <ScrollMemory />
            <div className="b-main">
              <Routes>
                <Route path="/" element={<HomePage />} />
                <Route path="/categories" element={<CategoriesPage />} />
                <Route path="/videos" element={<VideoFeedPage />} />
                <Route path="/search" element={<SearchPage />} />
                <Route path="/store/:id" element={<StorePage />} />
                <Route path="/product/:id" element={<ProductPage />} />
                <Route path="/login" element={<SignInPage />} />
                <Route path="/live" element={<LiveListPage />} />
                <Route path="/live/:id" element={<LiveRoomPage />} />
                <Route
                  path="/me/notices"
                  element={
                    <RequireBuyer>
                      <NoticesPage />
                    </RequireBuyer>
                  }
                />
                <Route path="/me" element={<MePage />} />
                <Route
                  path="/me/sizes"
                  element={
                    <RequireBuyer>
                      <MySizesPage />
                    </RequireBuyer>
                  }
                />
                <Route
                  path="/me/reviews"
                  element={
                    <RequireBuyer>
                      <MyReviewsPage />
                    </RequireBuyer>
                  }
                />
                <Route
                  path="/orders/:id/review/:skuId"
                  element={
                    <RequireBuyer>
                      <ReviewFormPage />
                    </RequireBuyer>
                  }
                />
                <Route
                  path="/me/follows"
                  element={
                    <RequireBuyer>
                      <MyFollowsPage />
                    </RequireBuyer>
                  }
                />
                <Route
                  path="/me/coupons"
                  element={
                    <RequireBuyer>
                      <MyCouponsPage />
                    </RequireBuyer>
                  }
                />
                <Route
                  path="/me/bills"
                  element={
                    <RequireBuyer>
                      <BillsPage />
                    </RequireBuyer>
                  }
                />
                <Route
                  path="/cart"
                  element={
                    <RequireBuyer>
                      <CartPage />
                    </RequireBuyer>
                  }
                />
                <Route
                  path="/checkout"
                  element={
                    <RequireBuyer>
                      <CheckoutPage />
                    </RequireBuyer>
                  }
                />
                <Route
                  path="/pay/:id"
                  element={
                    <RequireBuyer>
                      <PayPage />
                    </RequireBuyer>
                  }
                />
                <Route
                  path="/orders"
                  element={
                    <RequireBuyer>
                      <OrdersPage />
                    </RequireBuyer>
                  }
                />
                <Route
                  path="/orders/:id"
                  element={
                    <RequireBuyer>
                      <OrderDetailPage />
                    </RequireBuyer>
                  }
                />
                <Route path="*" element={<NotFound />} />
              </Routes>
            </div>
            <Tabs />
            <SafeArea position="bottom" />
          </div>
        </CartProvider>
      </SessionProvider>
    </ConfigProvider>
  );
}
