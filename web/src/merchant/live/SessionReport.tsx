import { ArrowLeftOutlined, ReloadOutlined, ScissorOutlined, UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  Row,
  Segmented,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { FunnelChart, PieChart } from 'echarts/charts';
import { LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, type ResponseOf } from '../../api/client.ts';
import { errorMessage } from '../../api/error-message.ts';
import { EmptyState, ErrorAlert } from '../../console/ConsoleShell.tsx';
import { ReactEChartsCore } from '../../console/echarts.ts';
import { formatFen } from '../../money.ts';
import { useAsync } from '../../shared/hooks.ts';

echarts.use([FunnelChart, PieChart, LegendComponent, TooltipComponent, CanvasRenderer]);

type Report = ResponseOf<'/merchant/live/sessions/{id}/report', 'get'>;
type Job = Report['clipJobs'][number];
type Suggestion = Report['suggestions'][number];
type Share = ResponseOf<'/merchant/growth/channel-share', 'get'>;

const STATUS_COLORS: Record<Job['status'], string> = {
  queued: 'default',
  running: 'processing',
  done: 'success',
  failed: 'error',
};
const CHANNEL_COLORS: Record<Share['channels'][number]['channel'], string> = {
  video: '#5470c6',
  live: '#ee6666',
  replay: '#fac858',
  other: '#91cc75',
};
const SHARE_RANGES = [7, 30, 90] as const;

/** 01:05 for 65,000 ms. */
export function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * After a live session (route `live/:id/report`): the loop reservation videos → reservations →
 * viewers → orders in live → replay orders after, the hit products, suggested replay clips with
 * "cut & publish" (a background job whose status is polled), and the store's GMV share by channel.
 */
export function SessionReportPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const report = useAsync(
    (signal) => api.get('/merchant/live/sessions/{id}/report', { params: { path: { id } }, signal }),
    [id],
  );
  const r = report.data;
  const pending = r?.clipJobs.some((j) => j.status === 'queued' || j.status === 'running') ?? false;
  const { reload } = report;
  // While a clip is being cut, look again every two seconds.
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(reload, 2_000);
    return () => clearInterval(timer);
  }, [pending, reload]);

  return (
    <div data-testid="session-report">
      <h1 className="c-page-title">
        <Space>
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('replays.back')} />
          {t('replays.title')}
          {r ? <Typography.Text type="secondary">{r.session.title}</Typography.Text> : null}
          {r ? <Tag data-testid="session-status">{t(`replays.status.${r.session.status}`)}</Tag> : null}
        </Space>
        <Button
          icon={<ReloadOutlined />}
          onClick={reload}
          loading={report.loading}
          data-testid="report-refresh"
        >
          {t('replays.refresh')}
        </Button>
      </h1>
      {report.error ? <ErrorAlert error={report.error} onRetry={reload} /> : null}
      {report.loading && !r ? (
        <Card>
          <Skeleton active paragraph={{ rows: 6 }} />
        </Card>
      ) : r ? (
        <>
          <LoopCard report={r} />
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            <Col xs={24} xl={12}>
              <HitsCard report={r} />
            </Col>
            <Col xs={24} xl={12}>
              <ClipsCard report={r} sessionId={id} onChange={reload} />
            </Col>
          </Row>
        </>
      ) : null}
      <ShareCard />
    </div>
  );
}

function LoopCard({ report }: { report: Report }) {
  const { t } = useTranslation();
  const l = report.loop;
  const steps = [
    { key: 'reservationVideoViews', value: l.reservationVideoViews },
    { key: 'reservations', value: l.reservations },
    { key: 'uniqueViewers', value: l.uniqueViewers },
    { key: 'liveOrders', value: l.liveOrders },
    { key: 'replayOrders', value: l.replayOrders },
  ];
  const any = steps.some((s) => s.value > 0);
  return (
    <Card title={t('replays.loop.title')} data-testid="loop-card" data-state={any ? 'chart' : 'empty'}>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Statistic title={t('replays.loop.reservationVideos')} value={l.reservationVideos} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('replays.loop.peakViewers')} value={l.peakViewers} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('replays.loop.liveGmv')}
            value={formatFen(l.liveGmvFen)}
            data-testid="live-gmv"
            suffix={
              <Typography.Text type="secondary">
                {t('replays.loop.units', { n: l.liveUnits })}
              </Typography.Text>
            }
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('replays.loop.replayGmv')}
            value={formatFen(l.replayGmvFen)}
            suffix={
              <Typography.Text type="secondary">
                {t('replays.loop.clips', { n: l.replayClips })}
              </Typography.Text>
            }
          />
        </Col>
      </Row>
      {any ? (
        <ReactEChartsCore
          echarts={echarts}
          style={{ height: 300, marginTop: 16 }}
          option={{
            tooltip: { trigger: 'item', formatter: '{b}: {c}' },
            series: [
              {
                type: 'funnel',
                sort: 'none',
                left: '10%',
                width: '80%',
                minSize: '8%',
                label: { show: true, position: 'inside', formatter: '{b}  {c}' },
                data: steps.map((s) => ({ name: t(`replays.loop.${s.key}`), value: s.value })),
              },
            ],
          }}
        />
      ) : (
        <EmptyState text={t('replays.loop.empty')} />
      )}
    </Card>
  );
}

function HitsCard({ report }: { report: Report }) {
  const { t } = useTranslation();
  return (
    <Card title={t('replays.hits.title')} data-testid="hits-card">
      {report.hits.length === 0 ? (
        <EmptyState text={t('replays.hits.empty')} />
      ) : (
        <Table
          size="small"
          rowKey="productId"
          pagination={false}
          dataSource={report.hits}
          columns={[
            { title: '#', dataIndex: 'rank', width: 48 },
            { title: t('replays.hits.product'), dataIndex: 'title' },
            { title: t('replays.hits.units'), dataIndex: 'units', align: 'right' },
            {
              title: t('replays.hits.gmv'),
              dataIndex: 'gmvFen',
              align: 'right',
              render: (v: number) => formatFen(v),
            },
            {
              title: t('replays.hits.share'),
              dataIndex: 'gmvShare',
              align: 'right',
              render: (v: number) => `${(v * 100).toFixed(1)}%`,
            },
          ]}
        />
      )}
    </Card>
  );
}

function ClipsCard({
  report,
  sessionId,
  onChange,
}: {
  report: Report;
  sessionId: string;
  onChange: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string>();
  const why =
    report.session.status !== 'ended'
      ? t('replays.clips.notEnded')
      : !report.recording.available
        ? t('replays.clips.noRecording')
        : !report.canCut
          ? t('replays.clips.noTools')
          : undefined;
  const cut = async (s: Suggestion) => {
    const key = `${s.productId}:${s.fromMs}`;
    setBusy(key);
    try {
      await api.post('/merchant/live/sessions/{id}/replay-clips', {
        params: { path: { id: sessionId } },
        body: {
          productId: s.productId,
          fromMs: s.fromMs,
          toMs: s.toMs,
          title: `${t('replays.clips.prefix')} · ${s.title}`.slice(0, 80),
        },
      });
      message.success(t('replays.clips.queued'));
      onChange();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <Card
      title={t('replays.clips.title')}
      data-testid="clips-card"
      extra={
        <Link to={`/merchant/videos?kind=replay&session=${sessionId}`}>
          <Button size="small" icon={<UploadOutlined />} data-testid="upload-clip">
            {t('replays.clips.upload')}
          </Button>
        </Link>
      }
    >
      {why ? (
        <Typography.Paragraph type="secondary" data-testid="cut-unavailable">
          {why}
        </Typography.Paragraph>
      ) : null}
      {report.suggestions.length === 0 ? (
        <EmptyState text={t('replays.clips.empty')} />
      ) : (
        <Table
          size="small"
          rowKey={(s) => `${s.productId}:${s.fromMs}`}
          pagination={false}
          dataSource={report.suggestions}
          columns={[
            { title: t('replays.hits.product'), dataIndex: 'title' },
            {
              title: t('replays.clips.window'),
              render: (_: unknown, s: Suggestion) => `${clock(s.fromMs)} – ${clock(s.toMs)}`,
            },
            {
              title: '',
              align: 'right',
              render: (_: unknown, s: Suggestion) => (
                <Tooltip title={why}>
                  <Button
                    type="primary"
                    size="small"
                    icon={<ScissorOutlined />}
                    disabled={why !== undefined}
                    loading={busy === `${s.productId}:${s.fromMs}`}
                    onClick={() => cut(s)}
                    data-testid="cut-clip"
                  >
                    {t('replays.clips.cut')}
                  </Button>
                </Tooltip>
              ),
            },
          ]}
        />
      )}
      {report.clipJobs.length > 0 ? (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('replays.clips.jobs')}
          </Typography.Title>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={report.clipJobs}
            data-testid="clip-jobs"
            columns={[
              { title: t('replays.clips.clipTitle'), dataIndex: 'title' },
              {
                title: t('replays.clips.window'),
                render: (_: unknown, j: Job) => `${clock(j.fromMs)} – ${clock(j.toMs)}`,
              },
              {
                title: t('replays.clips.status'),
                render: (_: unknown, j: Job) => (
                  <Tooltip title={j.error ?? undefined}>
                    <Tag color={STATUS_COLORS[j.status]} data-testid="job-status">
                      {t(`replays.job.${j.status}`)}
                    </Tag>
                  </Tooltip>
                ),
              },
            ]}
          />
        </>
      ) : null}
    </Card>
  );
}

function ShareCard() {
  const { t } = useTranslation();
  const [days, setDays] = useState<number>(30);
  const share = useAsync(
    (signal) => api.get('/merchant/growth/channel-share', { params: { query: { days } }, signal }),
    [days],
  );
  const s = share.data;
  return (
    <Card
      style={{ marginTop: 16 }}
      title={t('replays.share.title')}
      data-testid="share-card"
      data-state={share.loading && !s ? 'loading' : s && s.totalGmvFen > 0 ? 'chart' : 'empty'}
      extra={
        <Segmented
          value={days}
          onChange={(v) => setDays(Number(v))}
          options={SHARE_RANGES.map((n) => ({ value: n, label: t('replays.share.days', { n }) }))}
        />
      }
    >
      {share.error ? <ErrorAlert error={share.error} onRetry={share.reload} /> : null}
      {share.loading && !s ? (
        <Skeleton active />
      ) : s && s.totalGmvFen > 0 ? (
        <Row gutter={16} align="middle">
          <Col xs={24} md={14}>
            <ReactEChartsCore
              echarts={echarts}
              style={{ height: 280 }}
              option={{
                tooltip: { trigger: 'item', valueFormatter: (v: number) => formatFen(v) },
                legend: { bottom: 0 },
                series: [
                  {
                    type: 'pie',
                    radius: ['40%', '70%'],
                    label: { formatter: '{b} {d}%' },
                    data: s.channels
                      .filter((c) => c.gmvFen > 0)
                      .map((c) => ({
                        name: t(`replays.share.channel.${c.channel}`),
                        value: c.gmvFen,
                        itemStyle: { color: CHANNEL_COLORS[c.channel] },
                      })),
                  },
                ],
              }}
            />
          </Col>
          <Col xs={24} md={10}>
            <Table
              size="small"
              rowKey="channel"
              pagination={false}
              dataSource={s.channels}
              columns={[
                {
                  title: t('replays.share.channelCol'),
                  dataIndex: 'channel',
                  render: (c: Share['channels'][number]['channel']) => (
                    <Tag color={CHANNEL_COLORS[c]}>{t(`replays.share.channel.${c}`)}</Tag>
                  ),
                },
                {
                  title: t('replays.hits.gmv'),
                  dataIndex: 'gmvFen',
                  align: 'right',
                  render: (v: number) => formatFen(v),
                },
                { title: t('replays.share.orders'), dataIndex: 'orders', align: 'right' },
                {
                  title: t('replays.hits.share'),
                  dataIndex: 'share',
                  align: 'right',
                  render: (v: number) => `${(v * 100).toFixed(1)}%`,
                },
              ]}
            />
          </Col>
        </Row>
      ) : (
        <EmptyState text={t('replays.share.empty')} />
      )}
    </Card>
  );
}
