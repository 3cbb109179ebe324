import { MenuOutlined } from '@ant-design/icons';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  ConfigProvider,
  Drawer,
  Empty,
  Form,
  Grid,
  Input,
  Layout,
  Menu,
  Result,
  Space,
  Spin,
  Typography,
} from 'antd';
import enUSModule from 'antd/es/locale/en_US.js';
import zhCNModule from 'antd/es/locale/zh_CN.js';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, type Role } from '../api.ts';
import { toggleLang } from '../i18n/index.ts';
import { useSession, useSmsSignIn } from '../shared/session.tsx';

type Locale = React.ComponentProps<typeof ConfigProvider>['locale'];
// antd's `es` files are ESM but the package is not "type": "module": TypeScript sees the module, Vite the default.
const unwrap = (m: unknown): Locale => ((m as { default?: Locale }).default ?? m) as Locale;
const enUS = unwrap(enUSModule);
const zhCN = unwrap(zhCNModule);

/** antd theme + locale + App context (message/modal) for both consoles. */
export function ConsoleProviders({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language === 'en' ? enUS : zhCN}
      theme={{ token: { colorPrimary: '#ff4d00', borderRadius: 6 } }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function PageSpin() {
  return (
    <div style={{ padding: 64, textAlign: 'center' }} data-testid="loading">
      <Spin size="large" />
    </div>
  );
}

export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      title={t('common.error')}
      description={<span data-testid="error-message">{errorMessage(error)}</span>}
      action={
        onRetry && (
          <Button size="small" onClick={onRetry} data-testid="retry">
            {t('common.retry')}
          </Button>
        )
      }
      style={{ marginBottom: 16 }}
    />
  );
}

export function EmptyState({ text }: { text?: string }) {
  const { t } = useTranslation();
  return <Empty description={text ?? t('common.empty')} data-testid="empty" />;
}

export function LangButton() {
  const { t } = useTranslation();
  return (
    <Button size="small" onClick={toggleLang} data-testid="lang-switch">
      {t('common.switchLang')}
    </Button>
  );
}

/** Phone + SMS code sign-in card for a console role. */
export function ConsoleSignIn({
  accountRole: role,
  title,
  demo,
}: {
  accountRole: Role;
  title: string;
  demo: string;
}) {
  const { t } = useTranslation();
  const { account, signOut } = useSession();
  const s = useSmsSignIn(role);
  return (
    <div className="c-signin-wrap" data-testid="sign-in-page">
      <Card className="c-signin" title={<span>{title}</span>} extra={<LangButton />}>
        {account && account.role !== role && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('auth.wrongRole', { role: t(`roles.${account.role}`) })}
            action={
              <Button size="small" onClick={() => void signOut()}>
                {t('common.signOut')}
              </Button>
            }
          />
        )}
        <Form layout="vertical" onFinish={() => void s.signIn()}>
          <Form.Item label={t('auth.phone')} required>
            <Input
              value={s.phone}
              onChange={(e) => s.setPhone(e.target.value)}
              placeholder={t('auth.phonePlaceholder')}
              maxLength={11}
              inputMode="tel"
              data-testid="phone-input"
            />
          </Form.Item>
          <Form.Item label={t('auth.code')} required>
            <Space.Compact style={{ width: '100%' }}>
              <Input
                value={s.code}
                onChange={(e) => s.setCode(e.target.value)}
                placeholder={t('auth.codePlaceholder')}
                maxLength={6}
                inputMode="numeric"
                data-testid="code-input"
              />
              <Button
                onClick={() => void s.sendCode()}
                loading={s.sending}
                disabled={!s.phoneValid || s.countdown > 0}
                data-testid="get-code"
              >
                {s.countdown > 0 ? t('auth.resend', { s: s.countdown }) : t('auth.getCode')}
              </Button>
            </Space.Compact>
          </Form.Item>
          {s.sandboxCode && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 16 }}
              title={<span data-testid="sandbox-code">{t('auth.sandboxCode', { code: s.sandboxCode })}</span>}
            />
          )}
          {s.error && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 16 }}
              title={<span data-testid="sign-in-error">{s.error}</span>}
            />
          )}
          <Button
            type="primary"
            htmlType="submit"
            block
            size="large"
            loading={s.signingIn}
            disabled={!s.phoneValid || !s.codeValid}
            data-testid="sign-in"
          >
            {t('auth.signIn')}
          </Button>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
            {t('auth.demoHint', { phones: demo })}
          </Typography.Paragraph>
        </Form>
      </Card>
    </div>
  );
}

export function NotFoundResult({ home }: { home: string }) {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('common.notFound')}
      extra={
        <Button type="primary" href={home}>
          {t('common.goHome')}
        </Button>
      }
    />
  );
}

/** The top bar both consoles share: the menu button on phones, who is signed in, the language switch and sign-out. */
export function ConsoleHeader({ onMenu }: { onMenu?: () => void }) {
  const { t } = useTranslation();
  const { account, signOut } = useSession();
  return (
    <Layout.Header className="c-header">
      <Space>
        {onMenu ? (
          <Button
            type="text"
            icon={<MenuOutlined />}
            aria-label={t('consoles.menu')}
            onClick={onMenu}
            data-testid="menu-button"
          />
        ) : null}
        <Typography.Text type="secondary">{account?.phone}</Typography.Text>
      </Space>
      <Space>
        <LangButton />
        <Button size="small" onClick={() => void signOut()} data-testid="sign-out">
          {t('common.signOut')}
        </Button>
      </Space>
    </Layout.Header>
  );
}

export interface ConsoleMenuItem {
  key: string;
  label: string;
  /** `nav-<testId>` on the entry. */
  testId: string;
}

/**
 * Both consoles' frame. On wide screens the menu is a side bar; below antd's `lg` breakpoint it
 * opens in a drawer from a button in the header, so it never covers the page (antd's own
 * collapsed-sider trigger floats over the content, on the page title).
 */
export function ConsoleLayout({
  brand,
  items,
  selected,
  onSelect,
  children,
}: {
  brand: string;
  items: ConsoleMenuItem[];
  selected: string;
  onSelect: (key: string) => void;
  children: ReactNode;
}) {
  const narrow = Grid.useBreakpoint().lg === false;
  const [menuOpen, setMenuOpen] = useState(false);
  const menu = (
    <>
      <div className="c-logo">
        <span className="c-logo-mark">引</span>
        {brand}
      </div>
      <Menu
        theme="dark"
        mode="inline"
        selectedKeys={[selected]}
        onClick={({ key }) => {
          setMenuOpen(false);
          onSelect(key);
        }}
        items={items.map((item) => ({
          key: item.key,
          label: <span data-testid={`nav-${item.testId}`}>{item.label}</span>,
        }))}
      />
    </>
  );
  return (
    <Layout className="c-layout">
      {narrow ? (
        <Drawer
          placement="left"
          size={208}
          closable={false}
          open={menuOpen}
          onClose={() => setMenuOpen(false)}
          styles={{ body: { padding: 0, background: '#001529' } }}
        >
          {menu}
        </Drawer>
      ) : (
        <Layout.Sider width={208}>{menu}</Layout.Sider>
      )}
      <Layout className="c-main">
        <ConsoleHeader onMenu={narrow ? () => setMenuOpen(true) : undefined} />
        <Layout.Content className="c-content">{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
