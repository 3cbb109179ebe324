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
 * flags and the store's report. Hide (with a reason the buyer sees), dismiss, restore a hidden one, or remove
 * the store's reply only (with a reason the merchant sees).
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
  // The dialog asking for a reason: hide the review (the buyer sees why) or remove the store's reply only.
  const [asking, setAsking] = useState<{ kind: 'hide' | 'removeReply'; review: ModerationItem } | null>(null);
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

  const ask = (kind: 'hide' | 'removeReply', review: ModerationItem) => {
    setActionError(undefined);
    form.resetFields();
    setAsking({ kind, review });
  };

  const submit = async () => {
    if (!asking) return;
    // A form the rules refuse shows its messages; nothing is sent.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const { kind, review } = asking;
    const reason = v.reason.trim();
    const ok =
      kind === 'hide'
        ? await act(review, () => reviewsApi.hide(review.id, reason), t('reviewsConsole.moderation.hidden'))
        : await act(
            review,
            () => reviewsApi.removeReply(review.id, reason),
            t('reviewsConsole.moderation.replyRemoved'),
          );
    if (ok) setAsking(null);
  };

  const removing = asking?.kind === 'removeReply';
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
      {actionError && !asking ? (
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
                        onClick={() => ask('hide', r)}
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
                    {r.reply ? (
                      <Button
                        danger
                        size="small"
                        disabled={busyId === r.id}
                        onClick={() => ask('removeReply', r)}
                        data-testid="moderation-remove-reply"
                      >
                        {t('reviewsConsole.moderation.removeReply')}
                      </Button>
                    ) : null}
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
        open={asking !== null}
        title={t(
          removing ? 'reviewsConsole.moderation.removeReplyTitle' : 'reviewsConsole.moderation.hideTitle',
        )}
        onCancel={() => setAsking(null)}
        onOk={submit}
        confirmLoading={busyId !== undefined}
        okText={t(removing ? 'reviewsConsole.moderation.removeReply' : 'reviewsConsole.moderation.hide')}
        okButtonProps={{
          danger: true,
          ...({
            'data-testid': removing ? 'moderation-remove-reply-submit' : 'moderation-hide-submit',
          } as Record<string, string>),
        }}
        destroyOnHidden
        forceRender
      >
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t(
            removing ? 'reviewsConsole.moderation.removeReplyHint' : 'reviewsConsole.moderation.hideHint',
          )}
        />
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label={t(
              removing ? 'reviewsConsole.moderation.removeReplyReason' : 'reviewsConsole.moderation.reason',
            )}
            rules={[
              { required: true, whitespace: true, message: t('reviewsConsole.moderation.reasonRequired') },
              { max: 200 },
            ]}
          >
            {removing ? (
              // One line: the reason for removing a reply is single-line text on the server.
              <Input maxLength={200} showCount data-testid="moderation-remove-reply-reason" />
            ) : (
              <Input.TextArea rows={3} maxLength={200} showCount data-testid="moderation-hide-reason" />
            )}
          </Form.Item>
        </Form>
        {actionError ? (
          <Alert type="error" showIcon title={<span data-testid="error-message">{actionError}</span>} />
        ) : null}
      </Modal>
    </div>
  );
}
