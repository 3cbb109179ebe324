import { BulbOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  List,
  Progress,
  Row,
  Skeleton,
  Space,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import { ReactEChartsCore } from '../console/echarts.ts';
import '../console/reviews-console.css';
import {
  DIMENSIONS,
  type Dimension,
  type ExperienceScore,
  experienceApi,
  type MyStoreExperience,
  type StoreExperience,
} from '../console/reviews-api.ts';
import { useAsync } from '../shared/hooks.ts';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const COLORS: Record<'overall' | Dimension, string> = {
  overall: '#ff4d00',
  product: '#1677ff',
  logistics: '#13c2c2',
  service: '#722ed1',
};

/** 4.57 → "4.57"; a score is 0–5 with two decimals. */
export const scoreText = (v: number | null | undefined) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(2);

/** The colour of a score: green from 4.5, orange from 4, red below. */
const scoreColor = (v: number) => (v >= 4.5 ? '#389e0d' : v >= 4 ? '#fa8c16' : '#cf1322');

/** The store experience score (店铺体验分): the latest day, its 30-day history, its inputs and what to improve. */
export function ExperiencePage() {
  const { t } = useTranslation();
  const exp = useAsync((signal) => experienceApi.mine(signal), []);
  const d = exp.data;
  return (
    <div data-testid="merchant-experience">
      <h1 className="c-page-title">
        {t('reviewsConsole.menu.experience')}
        <Button icon={<ReloadOutlined />} onClick={exp.reload} loading={exp.loading}>
          {t('reviewsConsole.refresh')}
        </Button>
      </h1>
      <Typography.Paragraph type="secondary">{t('reviewsConsole.experience.hint')}</Typography.Paragraph>
      {exp.error ? <ErrorAlert error={exp.error} onRetry={exp.reload} /> : null}
      {exp.loading && !d ? (
        <Card>
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      ) : d ? (
        <>
          <ScoreCards current={d.current} />
          <Card
            style={{ marginTop: 16 }}
            title={t('reviewsConsole.experience.history')}
            extra={
              <Typography.Text type="secondary">{t('reviewsConsole.experience.historyHint')}</Typography.Text>
            }
            data-testid="experience-history"
            data-state={d.history.length ? 'chart' : 'empty'}
            data-days={d.history.length}
          >
            {d.history.length ? (
              <HistoryChart history={d.history} />
            ) : (
              <EmptyState text={t('reviewsConsole.experience.noHistory')} />
            )}
          </Card>
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            <Col xs={24} xl={12}>
              <Suggestions suggestions={d.suggestions} />
            </Col>
            <Col xs={24} xl={12}>
              <Inputs inputs={d.inputs} enough={d.current.enoughData} />
            </Col>
          </Row>
        </>
      ) : null}
    </div>
  );
}

/** Overall and the three dimensions; a dimension without enough data says so instead of a number. */
function ScoreCards({ current }: { current: StoreExperience }) {
  const { t } = useTranslation();
  const s = current.score;
  return (
    <Row gutter={[16, 16]} data-testid="experience-current" data-day={current.day ?? ''}>
      <Col xs={24} lg={6}>
        <Card style={{ height: '100%' }}>
          <Typography.Text type="secondary">{t('reviewsConsole.experience.overall')}</Typography.Text>
          {s ? (
            <div className="rc-score" data-testid="experience-overall" data-score={s.overall}>
              {scoreText(s.overall)}
              <small>/ 5</small>
            </div>
          ) : (
            <div style={{ margin: '8px 0' }} data-testid="experience-overall" data-score="">
              <Tag>{t('reviewsConsole.experience.notComputed')}</Tag>
            </div>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {current.day
              ? t('reviewsConsole.experience.asOf', { day: current.day })
              : t('reviewsConsole.experience.notComputedHint')}
          </Typography.Text>
        </Card>
      </Col>
      {DIMENSIONS.map((dim) => (
        <Col xs={24} sm={8} lg={6} key={dim}>
          <DimensionCard dim={dim} score={s} enough={current.enoughData[dim]} />
        </Col>
      ))}
    </Row>
  );
}

function DimensionCard({
  dim,
  score,
  enough,
}: {
  dim: Dimension;
  score: ExperienceScore | null;
  enough: boolean;
}) {
  const { t } = useTranslation();
  const v = score?.[dim];
  return (
    <Card
      style={{ height: '100%' }}
      data-testid={`experience-${dim}`}
      data-enough={String(enough)}
      data-score={v ?? ''}
    >
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text type="secondary">{t(`reviewsConsole.experience.dim.${dim}`)}</Typography.Text>
        {!enough ? (
          <Tooltip title={t('reviewsConsole.experience.notEnoughHint')}>
            <Tag data-testid="not-enough-data">{t('reviewsConsole.experience.notEnough')}</Tag>
          </Tooltip>
        ) : null}
      </Space>
      <div
        style={{
          fontSize: 28,
          fontWeight: 600,
          color: v !== undefined && enough ? scoreColor(v) : '#8c8c8c',
        }}
      >
        {scoreText(v)}
      </div>
      <Progress
        percent={v !== undefined ? (v / 5) * 100 : 0}
        showInfo={false}
        size="small"
        strokeColor={COLORS[dim]}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t(`reviewsConsole.experience.dimHint.${dim}`)}
      </Typography.Text>
    </Card>
  );
}

function HistoryChart({ history }: { history: MyStoreExperience['history'] }) {
  const { t } = useTranslation();
  const keys = ['overall', ...DIMENSIONS] as const;
  const name = (k: (typeof keys)[number]) =>
    k === 'overall' ? t('reviewsConsole.experience.overall') : t(`reviewsConsole.experience.dim.${k}`);
  return (
    <ReactEChartsCore
      echarts={echarts}
      style={{ height: 300 }}
      option={{
        // drawn at once: a score history has no motion to show, and screenshots see the final chart
        animation: false,
        tooltip: { trigger: 'axis', valueFormatter: (v: number) => Number(v).toFixed(2) },
        legend: { top: 0 },
        grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: 'category', boundaryGap: false, data: history.map((h) => h.day.slice(5)) },
        yAxis: { type: 'value', min: 0, max: 5, interval: 1 },
        series: keys.map((k) => ({
          name: name(k),
          type: 'line',
          smooth: true,
          showSymbol: history.length < 8,
          symbolSize: 7,
          lineStyle: { width: k === 'overall' ? 3 : 1.5 },
          itemStyle: { color: COLORS[k] },
          data: history.map((h) => h[k]),
        })),
      }}
    />
  );
}

/** "What to improve": each suggestion's code in the reader's language, with its figures. */
function Suggestions({ suggestions }: { suggestions: MyStoreExperience['suggestions'] }) {
  const { t, i18n } = useTranslation();
  return (
    <Card
      title={
        <Space>
          <BulbOutlined style={{ color: '#faad14' }} />
          {t('reviewsConsole.experience.improve')}
        </Space>
      }
      style={{ height: '100%' }}
      data-testid="experience-suggestions"
    >
      {suggestions.length ? (
        <List
          dataSource={suggestions}
          renderItem={(s) => (
            <List.Item data-testid="experience-suggestion" data-code={s.code} data-dimension={s.dimension}>
              <Space align="start">
                <Tag color={COLORS[s.dimension]}>{t(`reviewsConsole.experience.dim.${s.dimension}`)}</Tag>
                <span>
                  {i18n.exists(`reviewsConsole.suggestion.${s.code}`)
                    ? t(`reviewsConsole.suggestion.${s.code}`, s.params)
                    : t('reviewsConsole.suggestion.unknown', { code: s.code })}
                </span>
              </Space>
            </List.Item>
          )}
        />
      ) : (
        <EmptyState text={t('reviewsConsole.experience.noSuggestions')} />
      )}
    </Card>
  );
}

/** The raw figures of each dimension over the score's window, as the server computed them. */
function Inputs({
  inputs,
  enough,
}: {
  inputs: MyStoreExperience['inputs'];
  enough: Record<Dimension, boolean>;
}) {
  const { t, i18n } = useTranslation();
  const k = (s: string) => t(`reviewsConsole.input.${s}`);
  const n = (v: number | null) => (v === null ? '—' : String(v));
  const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);
  const hrs = (v: number | null) =>
    v === null ? '—' : t('reviewsConsole.input.hoursValue', { n: v.toFixed(1) });
  const rows: Record<Dimension, Array<[string, string]>> | null = inputs
    ? {
        product: [
          [k('reviews'), n(inputs.product.reviews)],
          [
            k('averageRating'),
            inputs.product.averageRating === null ? '—' : inputs.product.averageRating.toFixed(2),
          ],
          [k('lowRatings'), n(inputs.product.lowRatings)],
          [k('defaultReviews'), n(inputs.product.defaultReviews)],
          [k('linesDelivered'), n(inputs.product.linesDelivered)],
          [k('qualityRefunds'), n(inputs.product.qualityRefunds)],
          [k('qualityRefundRate'), pct(inputs.product.qualityRefundRate)],
        ],
        logistics: [
          [k('due'), n(inputs.logistics.due)],
          [k('onTime'), n(inputs.logistics.onTime)],
          [k('late'), n(inputs.logistics.late)],
          [k('onTimeRate'), pct(inputs.logistics.onTimeRate)],
          [k('delivered'), n(inputs.logistics.delivered)],
          [k('meanDeliveryHours'), hrs(inputs.logistics.meanDeliveryHours)],
        ],
        service: [
          [k('requests'), n(inputs.service.requests)],
          [k('handled'), n(inputs.service.handled)],
          [k('meanHandlingHours'), hrs(inputs.service.meanHandlingHours)],
          [k('disputes'), n(inputs.service.disputes)],
          [k('disputeRate'), pct(inputs.service.disputeRate)],
        ],
      }
    : null;
  const day = (d: string | number) =>
    new Date(d).toLocaleDateString(i18n.language === 'en' ? 'en-GB' : 'zh-CN');
  return (
    <Card
      title={t('reviewsConsole.experience.inputs')}
      extra={
        inputs ? (
          <Typography.Text type="secondary">
            {/* The window's end is exclusive (00:00 of the day scored): show its last day. */}
            {day(inputs.window.from)} – {day(Date.parse(inputs.window.to) - 1)}
          </Typography.Text>
        ) : null
      }
      style={{ height: '100%' }}
      data-testid="experience-inputs"
    >
      {rows ? (
        DIMENSIONS.map((dim) => (
          <Descriptions
            key={dim}
            size="small"
            column={{ xs: 1, sm: 2 }}
            style={{ marginBottom: 12 }}
            title={
              <Space>
                {t(`reviewsConsole.experience.dim.${dim}`)}
                {!enough[dim] ? <Tag>{t('reviewsConsole.experience.notEnough')}</Tag> : null}
              </Space>
            }
            items={rows[dim].map(([label, value]) => ({ key: label, label, children: value }))}
          />
        ))
      ) : (
        <EmptyState text={t('reviewsConsole.experience.noInputs')} />
      )}
    </Card>
  );
}

/** The dashboard's card: the overall score and its three parts, linking to the page. */
export function ExperienceCard() {
  const { t } = useTranslation();
  const exp = useAsync((signal) => experienceApi.mine(signal), []);
  const c = exp.data?.current;
  return (
    <Card
      title={t('reviewsConsole.menu.experience')}
      extra={
        <Link to="/merchant/experience" data-testid="dashboard-experience-link">
          {t('reviewsConsole.experience.details')} →
        </Link>
      }
      style={{ height: '100%' }}
      data-testid="dashboard-experience"
    >
      {exp.error ? (
        <Alert type="error" showIcon title={t('reviewsConsole.experience.loadFailed')} />
      ) : exp.loading && !c ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : c?.score ? (
        <Space size={24} wrap align="end">
          <div className="rc-score" data-testid="dashboard-experience-overall">
            {scoreText(c.score.overall)}
            <small>/ 5</small>
          </div>
          {DIMENSIONS.map((dim) => (
            <div key={dim}>
              <Typography.Text type="secondary">{t(`reviewsConsole.experience.dim.${dim}`)}</Typography.Text>
              <div style={{ fontSize: 18, fontWeight: 600 }}>
                {c.enoughData[dim] ? scoreText(c.score?.[dim]) : t('reviewsConsole.experience.notEnough')}
              </div>
            </div>
          ))}
        </Space>
      ) : (
        <Typography.Text type="secondary">{t('reviewsConsole.experience.notComputedHint')}</Typography.Text>
      )}
    </Card>
  );
}
