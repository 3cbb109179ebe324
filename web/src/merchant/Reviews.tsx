import { ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  List,
  Modal,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api, errorMessage } from '../api.ts';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { ReviewBody, useCodeName } from '../console/review-view.tsx';
import {
  type MerchantReview,
  REPORT_REASONS,
  type ReportReason,
  reviewsApi,
  type StoreReviewPage,
} from '../console/reviews-api.ts';
import { useAsync } from '../shared/hooks.ts';

type Show = 'all' | 'unreplied';
const RATINGS = [5, 4, 3, 2, 1] as const;

/**
 * The store's reviews (hidden ones included): filters by rating, unreplied and product; one public reply
 * per review (read-only once sent) and a report to the operators. Nothing here edits or deletes a review.
 */
export function ReviewsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const show: Show = params.get('show') === 'unreplied' ? 'unreplied' : 'all';
  const ratingParam = Number(params.get('rating'));
  const rating = RATINGS.includes(ratingParam as 5) ? ratingParam : undefined;
  const productId = params.get('product') ?? undefined;
  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const query = {
    rating,
    replied: show === 'unreplied' ? ('false' as const) : undefined,
    productId,
    limit: 20,
  };
  const first = useAsync((signal) => reviewsApi.listStore(query, signal), [show, rating, productId]);
  // Further pages ("load more") are kept apart so that a reload starts from the first page again.
  const [more, setMore] = useState<{ items: MerchantReview[]; nextCursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: other filters start from their first page
  useEffect(() => setMore(null), [show, rating, productId]);
  const reload = () => {
    setMore(null);
    first.reload();
  };
  const products = useAsync(
    (signal) => api.get('/merchant/products', { params: { query: { page: 1, pageSize: 100 } }, signal }),
    [],
  );

  const page: StoreReviewPage | undefined = first.data;
  const items = [...(page?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : (page?.nextCursor ?? null);
  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const next = await reviewsApi.listStore({ ...query, cursor: nextCursor });
      setMore({ items: [...(more?.items ?? []), ...next.items], nextCursor: next.nextCursor });
    } catch (e) {
      setMoreError(e);
    } finally {
      setLoadingMore(false);
    }
  };

  /**
   * A review the server answered after an action replaces the one shown, wherever it is (it stays in
   * place, also under "to reply", so the merchant sees what was sent); `unreplied` moves the count.
   */
  const replace = (r: MerchantReview, unreplied = 0) => {
    if (!page) return;
    const swap = (list: MerchantReview[]) => list.map((x) => (x.id === r.id ? r : x));
    first.setData({
      ...page,
      items: swap(page.items),
      counts: { ...page.counts, unreplied: Math.max(0, page.counts.unreplied + unreplied) },
    });
    if (more) setMore({ ...more, items: swap(more.items) });
  };

  const [replying, setReplying] = useState<MerchantReview | null>(null);
  const [reporting, setReporting] = useState<MerchantReview | null>(null);

  const counts = page?.counts;
  return (
    <div data-testid="merchant-reviews">
      <h1 className="c-page-title">
        {t('reviewsConsole.menu.reviews')}
        <Button
          icon={<ReloadOutlined />}
          onClick={reload}
          loading={first.loading}
          data-testid="reviews-refresh"
        >
          {t('reviewsConsole.refresh')}
        </Button>
      </h1>
      <Typography.Paragraph type="secondary">{t('reviewsConsole.reviews.hint')}</Typography.Paragraph>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {(['all', 'unreplied', 'lowRating'] as const).map((k) => (
          <Col xs={8} key={k}>
            <Card size="small">
              <Statistic
                title={t(`reviewsConsole.reviews.count.${k}`)}
                loading={first.loading && !counts}
                value={counts?.[k] ?? '—'}
                styles={{
                  content: { color: k !== 'all' && counts?.[k] ? '#ff4d00' : undefined },
                }}
              />
              <span hidden data-testid={`reviews-count-${k}`}>
                {counts?.[k]}
              </span>
            </Card>
          </Col>
        ))}
      </Row>
      <Space style={{ marginBottom: 16 }} wrap>
        <Segmented<Show>
          value={show}
          onChange={(v) => setFilter('show', v === 'all' ? undefined : v)}
          options={[
            { value: 'all', label: <span data-testid="reviews-filter-all">{t('common.all')}</span> },
            {
              value: 'unreplied',
              label: (
                <span data-testid="reviews-filter-unreplied">
                  {t('reviewsConsole.reviews.unreplied')}
                  {counts ? ` (${counts.unreplied})` : ''}
                </span>
              ),
            },
          ]}
        />
        <Select<number | ''>
          style={{ width: 140 }}
          value={rating ?? ''}
          onChange={(v) => setFilter('rating', v ? String(v) : undefined)}
          options={[
            { value: '', label: t('reviewsConsole.reviews.anyRating') },
            ...RATINGS.map((n) => ({ value: n, label: t('reviewsConsole.reviews.stars', { n }) })),
          ]}
          data-testid="reviews-filter-rating"
        />
        <Select<string>
          style={{ width: 260 }}
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('reviewsConsole.reviews.anyProduct')}
          value={productId}
          onChange={(v) => setFilter('product', v)}
          loading={products.loading}
          options={(products.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))}
          data-testid="reviews-filter-product"
        />
      </Space>
      {first.error ? <ErrorAlert error={first.error} onRetry={reload} /> : null}
      <Card>
        <List<MerchantReview>
          className="rc-list"
          loading={first.loading && !page}
          dataSource={items}
          locale={{
            emptyText: (
              <EmptyState
                text={t(
                  show === 'unreplied' && !rating && !productId
                    ? 'reviewsConsole.reviews.noneUnreplied'
                    : rating || productId || show !== 'all'
                      ? 'reviewsConsole.reviews.noneMatch'
                      : 'reviewsConsole.reviews.none',
                )}
              />
            ),
          }}
          renderItem={(r) => {
            // A reply the platform removed still counts: the store replies once (the server refuses more).
            const replied = r.reply !== null || r.replyRemoved !== null;
            return (
              <List.Item
                key={r.id}
                data-testid="review-row"
                data-review-id={r.id}
                data-status={r.status}
                data-replied={String(replied)}
                data-reply-removed={String(r.replyRemoved !== null)}
              >
                <ReviewBody
                  review={r}
                  extra={
                    replied && (r.report || r.status === 'hidden') ? undefined : (
                      <Space>
                        {replied ? null : (
                          <Button
                            type="primary"
                            size="small"
                            onClick={() => setReplying(r)}
                            data-testid="review-reply-open"
                          >
                            {t('reviewsConsole.reply.action')}
                          </Button>
                        )}
                        {r.report || r.status === 'hidden' ? null : (
                          <Button
                            size="small"
                            onClick={() => setReporting(r)}
                            data-testid="review-report-open"
                          >
                            {t('reviewsConsole.report.action')}
                          </Button>
                        )}
                      </Space>
                    )
                  }
                />
              </List.Item>
            );
          }}
        />
        {moreError ? <ErrorAlert error={moreError} onRetry={loadMore} /> : null}
        {nextCursor ? (
          <div style={{ textAlign: 'center', marginTop: 12 }}>
            <Button onClick={loadMore} loading={loadingMore} data-testid="reviews-more">
              {t('common.more')}
            </Button>
          </div>
        ) : null}
      </Card>
      <ReplyModal
        review={replying}
        onClose={() => setReplying(null)}
        onDone={(r) => {
          replace(r, -1);
          setReplying(null);
          message.success(t('reviewsConsole.reply.done'));
        }}
      />
      <ReportModal
        review={reporting}
        onClose={() => setReporting(null)}
        onDone={(r) => {
          replace(r);
          setReporting(null);
          message.success(t('reviewsConsole.report.done'));
        }}
      />
    </div>
  );
}

/** The one public reply: written once, shown read-only afterwards (the server refuses a second). */
function ReplyModal({
  review,
  onClose,
  onDone,
}: {
  review: MerchantReview | null;
  onClose: () => void;
  onDone: (r: MerchantReview) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ body: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (review) {
      form.resetFields();
      setError(undefined);
    }
  }, [review, form]);
  const submit = async () => {
    if (!review) return;
    // A form the rules refuse shows its messages; nothing is sent.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setError(undefined);
    try {
      onDone(await reviewsApi.reply(review.id, v.body.trim()));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={review !== null}
      title={t('reviewsConsole.reply.title')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okText={t('reviewsConsole.reply.submit')}
      okButtonProps={{ 'data-testid': 'review-reply-submit' } as Record<string, string>}
      destroyOnHidden
      forceRender
    >
      {review ? (
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 3 }} style={{ whiteSpace: 'pre-wrap' }}>
          {review.body || t('reviewsConsole.review.noText')}
        </Typography.Paragraph>
      ) : null}
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('reviewsConsole.reply.once')} />
      <Form form={form} layout="vertical">
        <Form.Item
          name="body"
          label={t('reviewsConsole.reply.label')}
          rules={[
            { required: true, whitespace: true, message: t('reviewsConsole.reply.required') },
            { max: 500 },
          ]}
        >
          <Input.TextArea rows={4} maxLength={500} showCount data-testid="review-reply-input" />
        </Form.Item>
      </Form>
      {error ? (
        <Alert type="error" showIcon title={<span data-testid="error-message">{error}</span>} />
      ) : null}
    </Modal>
  );
}

/** A report to the operators: why (one of the server's reasons) and a note. */
function ReportModal({
  review,
  onClose,
  onDone,
}: {
  review: MerchantReview | null;
  onClose: () => void;
  onDone: (r: MerchantReview) => void;
}) {
  const { t } = useTranslation();
  const name = useCodeName();
  const [form] = Form.useForm<{ reason: ReportReason; note?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (review) {
      form.resetFields();
      setError(undefined);
    }
  }, [review, form]);
  const submit = async () => {
    if (!review) return;
    // A form the rules refuse shows its messages; nothing is sent.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setError(undefined);
    try {
      onDone(await reviewsApi.report(review.id, v.reason, (v.note ?? '').trim()));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={review !== null}
      title={t('reviewsConsole.report.title')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okText={t('reviewsConsole.report.submit')}
      okButtonProps={{
        danger: true,
        ...({ 'data-testid': 'review-report-submit' } as Record<string, string>),
      }}
      destroyOnHidden
      forceRender
    >
      <Typography.Paragraph type="secondary">{t('reviewsConsole.report.hint')}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item
          name="reason"
          label={t('reviewsConsole.report.reason')}
          rules={[{ required: true, message: t('reviewsConsole.report.reasonRequired') }]}
        >
          <Select
            placeholder={t('reviewsConsole.report.reasonRequired')}
            options={REPORT_REASONS.map((r) => ({ value: r, label: name('reportReason', r) }))}
            data-testid="review-report-reason-select"
          />
        </Form.Item>
        <Form.Item name="note" label={t('reviewsConsole.report.note')} rules={[{ max: 200 }]}>
          <Input.TextArea rows={3} maxLength={200} showCount data-testid="review-report-note" />
        </Form.Item>
      </Form>
      {error ? (
        <Alert type="error" showIcon title={<span data-testid="error-message">{error}</span>} />
      ) : null}
    </Modal>
  );
}

/** The dashboard's card: how many reviews, how many wait for a reply, how many are low; links to the page. */
export function ReviewsCard() {
  const { t } = useTranslation();
  const list = useAsync((signal) => reviewsApi.listStore({ limit: 1 }, signal), []);
  const c = list.data?.counts;
  return (
    <Card
      title={t('reviewsConsole.menu.reviews')}
      extra={
        <Link to="/merchant/reviews?show=unreplied" data-testid="dashboard-reviews-link">
          {t('reviewsConsole.reviews.toReply')} →
        </Link>
      }
      style={{ height: '100%' }}
      data-testid="dashboard-reviews"
    >
      {list.error ? (
        <Alert type="error" showIcon title={errorMessage(list.error)} />
      ) : (
        <Row gutter={16}>
          {(['all', 'unreplied', 'lowRating'] as const).map((k) => (
            <Col span={8} key={k}>
              <Statistic
                title={t(`reviewsConsole.reviews.count.${k}`)}
                loading={list.loading && !c}
                value={c?.[k] ?? '—'}
                styles={{ content: { color: k !== 'all' && c?.[k] ? '#ff4d00' : undefined } }}
              />
            </Col>
          ))}
        </Row>
      )}
    </Card>
  );
}
