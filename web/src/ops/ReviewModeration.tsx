import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Form,
  Input,
  List,
  Modal,
  Popconfirm,
  Space,
  Tabs,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { errorMessage } from '../api.ts';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { ReviewBody } from '../console/review-view.tsx';
import { type ModerationItem, reviewsApi } from '../console/reviews-api.ts';
import { useAsync } from '../shared/hooks.ts';

type State = 'pending' | 'resolved';

/** Sent when an operator decided on a review, so the menu's count is read again. */
const MODERATED = 'gravity:review-moderated';

/** The operators' count of reviews waiting (for the menu); read again when `key` changes or after a decision. */
export function usePendingReviews(key: unknown): number | undefined {
  const pending = useAsync((signal) => reviewsApi.moderation('pending', undefined, signal), [key]);
  const { reload } = pending;
  useEffect(() => {
    window.addEventListener(MODERATED, reload);
    return () => window.removeEventListener(MODERATED, reload);
  }, [reload]);
  return pending.data?.pendingCount;
}

/**
 * Reported reviews and reviews with links or contact details: the store, the buyer's phone, the review, its
 * flags and the store's report. Hide (with a reason the buyer sees), dismiss, or restore a hidden one.
 */
export function ReviewModerationPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const state: State = params.get('state') === 'resolved' ? 'resolved' : 'pending';
  const first = useAsync((signal) => reviewsApi.moderation(state, undefined, signal), [state]);
  const [more, setMore] = useState<{ items: ModerationItem[]; nextCursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the other tab starts from its first page
  useEffect(() => setMore(null), [state]);
  const reload = () => {
    setMore(null);
    first.reload();
  };
  const [busyId, setBusyId] = useState<string>();
  const [actionError, setActionError] = useState<string>();
  const [hiding, setHiding] = useState<ModerationItem | null>(null);
  const [form] = Form.useForm<{ reason: string }>();

  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : (first.data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const next = await reviewsApi.moderation(state, nextCursor);
      setMore({ items: [...(more?.items ?? []), ...next.items], nextCursor: next.nextCursor });
    } catch (e) {
      setActionError(errorMessage(e));
    } finally {
      setLoadingMore(false);
    }
  };

  const act = async (r: ModerationItem, run: () => Promise<unknown>, done: string) => {
    setBusyId(r.id);
    setActionError(undefined);
    try {
      await run();
      message.success(done);
      reload();
      window.dispatchEvent(new Event(MODERATED));
      return true;
    } catch (e) {
      setActionError(errorMessage(e));
      return false;
    } finally {
      setBusyId(undefined);
    }
  };

  const hide = async () => {
    if (!hiding) return;
    // A form the rules refuse shows its messages; nothing is sent.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const ok = await act(
      hiding,
      () => reviewsApi.hide(hiding.id, v.reason.trim()),
      t('reviewsConsole.moderation.hidden'),
    );
    if (ok) setHiding(null);
  };

  const pendingCount = first.data?.pendingCount;
  return (
    <div data-testid="ops-review-moderation">
      <h1 className="c-page-title">
        {t('reviewsConsole.menu.moderation')}
        <Button
          icon={<ReloadOutlined />}
          onClick={reload}
          loading={first.loading}
          data-testid="moderation-refresh"
        >
          {t('reviewsConsole.refresh')}
        </Button>
      </h1>
      <Typography.Paragraph type="secondary">{t('reviewsConsole.moderation.hint')}</Typography.Paragraph>
      <Tabs
        activeKey={state}
        onChange={(k) => setParams(k === 'pending' ? {} : { state: k }, { replace: true })}
        items={(['pending', 'resolved'] as const).map((k) => ({
          key: k,
          label: (
            <span data-testid={`moderation-tab-${k}`}>
              {t(`reviewsConsole.moderation.tab.${k}`)}
              {k === 'pending' && pendingCount ? (
                <Badge
                  count={pendingCount}
                  style={{ marginLeft: 6 }}
                  data-testid="moderation-pending-count"
                />
              ) : null}
            </span>
          ),
        }))}
      />
      {first.error ? <ErrorAlert error={first.error} onRetry={reload} /> : null}
      {actionError && !hiding ? (
        <Alert
          type="error"
          showIcon
          closable
          style={{ marginBottom: 16 }}
          onClose={() => setActionError(undefined)}
          title={<span data-testid="error-message">{actionError}</span>}
        />
      ) : null}
      <Card>
        <List<ModerationItem>
          className="rc-list"
          loading={first.loading && !first.data}
          dataSource={items}
          locale={{
            emptyText: (
              <EmptyState
                text={t(
                  state === 'pending'
                    ? 'reviewsConsole.moderation.nonePending'
                    : 'reviewsConsole.moderation.noneResolved',
                )}
              />
            ),
          }}
          renderItem={(r) => (
            <List.Item
              key={r.id}
              data-testid="moderation-row"
              data-review-id={r.id}
              data-status={r.status}
              data-moderation={r.moderation}
            >
              <ReviewBody
                review={r}
                header={
                  <Space size={16} wrap>
                    <span>
                      <Typography.Text type="secondary">
                        {t('reviewsConsole.moderation.store')}
                      </Typography.Text>
                      <Typography.Text strong data-testid="moderation-store">
                        {r.storeName}
                      </Typography.Text>
                    </span>
                    <span>
                      <Typography.Text type="secondary">
                        {t('reviewsConsole.moderation.buyerPhone')}
                      </Typography.Text>
                      <Typography.Text copyable data-testid="moderation-buyer-phone">
                        {r.buyerPhone}
                      </Typography.Text>
                    </span>
                  </Space>
                }
                extra={
                  <Space wrap>
                    {r.status === 'visible' ? (
                      <Button
                        danger
                        size="small"
                        disabled={busyId === r.id}
                        onClick={() => {
                          setActionError(undefined);
                          form.resetFields();
                          setHiding(r);
                        }}
                        data-testid="moderation-hide"
                      >
                        {t('reviewsConsole.moderation.hide')}
                      </Button>
                    ) : (
                      <Popconfirm
                        title={t('reviewsConsole.moderation.restoreConfirm')}
                        onConfirm={() =>
                          act(r, () => reviewsApi.restore(r.id), t('reviewsConsole.moderation.restored'))
                        }
                        okButtonProps={
                          { 'data-testid': 'moderation-restore-confirm' } as Record<string, string>
                        }
                      >
                        <Button size="small" loading={busyId === r.id} data-testid="moderation-restore">
                          {t('reviewsConsole.moderation.restore')}
                        </Button>
                      </Popconfirm>
                    )}
                    {r.moderation === 'pending' && r.status === 'visible' ? (
                      <Popconfirm
                        title={t('reviewsConsole.moderation.dismissConfirm')}
                        onConfirm={() =>
                          act(r, () => reviewsApi.dismiss(r.id), t('reviewsConsole.moderation.dismissed'))
                        }
                        okButtonProps={
                          { 'data-testid': 'moderation-dismiss-confirm' } as Record<string, string>
                        }
                      >
                        <Button size="small" loading={busyId === r.id} data-testid="moderation-dismiss">
                          {t('reviewsConsole.moderation.dismiss')}
                        </Button>
                      </Popconfirm>
                    ) : null}
                  </Space>
                }
              />
            </List.Item>
          )}
        />
        {nextCursor ? (
          <div style={{ textAlign: 'center', marginTop: 12 }}>
            <Button onClick={loadMore} loading={loadingMore}>
              {t('common.more')}
            </Button>
          </div>
        ) : null}
      </Card>
      <Modal
        open={hiding !== null}
        title={t('reviewsConsole.moderation.hideTitle')}
        onCancel={() => setHiding(null)}
        onOk={hide}
        confirmLoading={busyId !== undefined}
        okText={t('reviewsConsole.moderation.hide')}
        okButtonProps={{
          danger: true,
          ...({ 'data-testid': 'moderation-hide-submit' } as Record<string, string>),
        }}
        destroyOnHidden
        forceRender
      >
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('reviewsConsole.moderation.hideHint')}
        />
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label={t('reviewsConsole.moderation.reason')}
            rules={[
              { required: true, whitespace: true, message: t('reviewsConsole.moderation.reasonRequired') },
              { max: 200 },
            ]}
          >
            <Input.TextArea rows={3} maxLength={200} showCount data-testid="moderation-hide-reason" />
          </Form.Item>
        </Form>
        {actionError ? (
          <Alert type="error" showIcon title={<span data-testid="error-message">{actionError}</span>} />
        ) : null}
      </Modal>
    </div>
  );
}
