import { Alert, App, Card, Col, List, Row, Skeleton, Statistic, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api.ts';
import { EmptyState, ErrorAlert } from '../console/ConsoleShell.tsx';
import {
  costsApi,
  guaranteesApi,
  type OrderGuaranteeCost,
  type StoreGuarantees,
} from '../console/trust-api.ts';
import { useGuaranteeName } from '../console/trust-view.tsx';
import { formatFen } from '../money.ts';
import { formatTime, useAsync } from '../shared/hooks.ts';

type Switchable = 'payLater' | 'shippingInsurance' | 'lowPriceRefundOnly';
const SWITCHES: Switchable[] = ['payLater', 'shippingInsurance', 'lowPriceRefundOnly'];

/** Which guarantees the store offers its buyers, and what they have cost it (in total and by order). */
export function GuaranteesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const name = useGuaranteeName();
  const settings = useAsync((signal) => guaranteesApi.storeSettings(signal), []);
  const costs = useAsync((signal) => costsApi.merchant(signal), []);
  const [saving, setSaving] = useState<Switchable>();
  const [saveError, setSaveError] = useState<string>();

  const toggle = async (key: Switchable, on: boolean) => {
    if (!settings.data) return;
    setSaving(key);
    setSaveError(undefined);
    try {
      if (key === 'payLater') await guaranteesApi.setPayLater(on);
      else
        await guaranteesApi.setAftersale({
          lowPriceRefundOnly: settings.data.lowPriceRefundOnly,
          shippingInsurance: settings.data.shippingInsurance,
          [key]: on,
        });
      settings.setData({ ...settings.data, [key]: on } as StoreGuarantees);
      message.success(t('common.saved'));
    } catch (e) {
      setSaveError(errorMessage(e));
    } finally {
      setSaving(undefined);
    }
  };

  const s = settings.data;
  const c = costs.data;
  return (
    <div data-testid="merchant-guarantees">
      <h1 className="c-page-title">{t('trustConsole.menu.guarantees')}</h1>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Card title={t('trustConsole.guarantees.offered')} data-testid="guarantees-offered">
            {settings.error ? <ErrorAlert error={settings.error} onRetry={settings.reload} /> : null}
            {saveError ? (
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 12 }}
                title={<span data-testid="error-message">{saveError}</span>}
              />
            ) : null}
            {settings.loading && !s ? (
              <Skeleton active />
            ) : s ? (
              <List
                itemLayout="horizontal"
                dataSource={SWITCHES}
                renderItem={(key) => (
                  <List.Item
                    extra={
                      <Switch
                        checked={s[key]}
                        loading={saving === key}
                        onChange={(on) => void toggle(key, on)}
                        data-testid={`guarantee-switch-${key}`}
                        aria-label={t(`trustConsole.guarantees.${key}`)}
                      />
                    }
                  >
                    <List.Item.Meta
                      title={t(`trustConsole.guarantees.${key}`)}
                      description={
                        <>
                          {t(`trustConsole.guarantees.${key}Desc`)}
                          {key === 'payLater' && s.payLaterPromotion.active ? (
                            <div>
                              <Tag color="green" style={{ marginTop: 6 }} data-testid="pay-later-promotion">
                                {s.payLaterPromotion.endsAt
                                  ? t('trustConsole.guarantees.freeUntil', {
                                      at: formatTime(s.payLaterPromotion.endsAt, i18n.language),
                                    })
                                  : t('trustConsole.guarantees.freeNow')}
                              </Tag>
                            </div>
                          ) : key === 'payLater' && s.payLaterFeeBps > 0 ? (
                            <div>
                              <Tag style={{ marginTop: 6 }}>
                                {t('trustConsole.guarantees.fee', {
                                  pct: (s.payLaterFeeBps / 100).toFixed(2),
                                })}
                              </Tag>
                            </div>
                          ) : null}
                        </>
                      }
                    />
                  </List.Item>
                )}
              />
            ) : null}
            <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
              {t('trustConsole.guarantees.alwaysOn')}
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card title={t('trustConsole.guarantees.costTitle')} data-testid="guarantees-cost">
            {costs.error ? (
              <ErrorAlert error={costs.error} onRetry={costs.reload} />
            ) : (
              <Statistic
                title={t('trustConsole.guarantees.costTotal')}
                loading={costs.loading && !c}
                value={c ? formatFen(c.totalFen) : '—'}
                styles={{ content: { color: '#ff4d00' } }}
              />
            )}
            <span hidden data-testid="merchant-cost-total">
              {c?.totalFen}
            </span>
            {c && c.byGuarantee.length > 0 ? (
              <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
                {c.byGuarantee.map((g) => (
                  <Col key={g.guarantee} xs={12} md={8}>
                    <Card size="small">
                      <Statistic
                        title={name(g.guarantee)}
                        value={formatFen(g.fen)}
                        styles={{ content: { fontSize: 18 } }}
                      />
                      {g.count ? (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t('trustConsole.guarantees.times', { n: g.count })}
                        </Typography.Text>
                      ) : null}
                    </Card>
                  </Col>
                ))}
              </Row>
            ) : null}
          </Card>
        </Col>
      </Row>
      <Card title={t('trustConsole.guarantees.byOrder')} style={{ marginTop: 16 }}>
        <Table<OrderGuaranteeCost>
          rowKey={(r) => `${r.orderId}:${r.guarantee}:${r.at}`}
          loading={costs.loading}
          dataSource={c?.orders ?? []}
          locale={{
            emptyText: costs.error ? (
              <EmptyState text={t('common.error')} />
            ) : (
              <EmptyState text={t('trustConsole.guarantees.noCost')} />
            ),
          }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 640 }}
          onRow={() => ({ 'data-testid': 'cost-order-row' }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: t('merchant.orderNo'),
              dataIndex: 'orderNo',
              width: 200,
              render: (v: string) => <Typography.Text copyable>{v}</Typography.Text>,
            },
            {
              title: t('trustConsole.guarantees.guarantee'),
              dataIndex: 'guarantee',
              render: (v: string) => name(v),
            },
            {
              title: t('trustConsole.costs.count'),
              dataIndex: 'count',
              width: 90,
            },
            {
              title: t('trustConsole.guarantees.cost'),
              dataIndex: 'fen',
              width: 120,
              render: (v: number) => formatFen(v),
            },
            {
              title: t('trustConsole.guarantees.at'),
              dataIndex: 'at',
              width: 180,
              render: (v: string) => formatTime(v, i18n.language),
            },
          ]}
        />
      </Card>
    </div>
  );
}
