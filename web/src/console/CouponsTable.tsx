import {
  Alert,
  App,
  Button,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Progress,
  Radio,
  Switch,
  Table,
  Tag,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api.ts';
import { formatFen, yuanToFen } from '../money.ts';
import { formatTime, useAsync } from '../shared/hooks.ts';
import { EmptyState, ErrorAlert } from './ConsoleShell.tsx';
import type { Coupon, CouponInput } from './trust-api.ts';

type Shape = 'threshold' | 'fixed';

interface CouponForm {
  title: string;
  shape: Shape;
  /** Store coupons: for every buyer, or only new followers of the store. */
  audience: 'store_coupon' | 'follow_coupon' | 'fan_coupon';
  autoClaim: boolean;
  amount: number;
  threshold?: number;
  window: [Dayjs, Dayjs];
  quantity: number;
  perBuyerLimit: number;
}

/** What a coupon takes off, in words: "满 ¥99.00 减 ¥10.00" or "立减 ¥5.00". */
export function couponRule(t: (k: string, o?: Record<string, string>) => string, c: Coupon): string {
  return c.thresholdFen > 0
    ? t('trustConsole.coupons.ruleThreshold', {
        min: formatFen(c.thresholdFen),
        off: formatFen(c.discountFen),
      })
    : t('trustConsole.coupons.ruleFixed', { off: formatFen(c.discountFen) });
}

function couponState(c: Coupon, now: number): 'stopped' | 'upcoming' | 'active' | 'ended' | 'soldOut' {
  if (c.status === 'stopped') return 'stopped';
  if (Date.parse(c.endsAt) <= now) return 'ended';
  if (Date.parse(c.startsAt) > now) return 'upcoming';
  if (c.totalQuantity > 0 && c.claimedCount >= c.totalQuantity) return 'soldOut';
  return 'active';
}
const STATE_COLORS = {
  stopped: 'default',
  upcoming: 'blue',
  active: 'green',
  ended: 'default',
  soldOut: 'orange',
} as const;

/**
 * A list of coupons with claimed / used counts and a "new coupon" form (fixed or 满X减Y, validity window,
 * quantity, per-buyer limit): the merchant's store coupons and the operator's platform coupons.
 */
export function CouponsTable({
  scope,
  list,
  create,
  stop,
}: {
  scope: 'store' | 'platform';
  list: (signal: AbortSignal) => Promise<Coupon[]>;
  create: (c: CouponInput) => Promise<unknown>;
  stop: (id: string) => Promise<unknown>;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const coupons = useAsync(list, []);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const [form] = Form.useForm<CouponForm>();
  const shape = Form.useWatch('shape', form);
  const now = Date.now();

  const openForm = () => {
    setSaveError(undefined);
    form.resetFields();
    form.setFieldsValue({
      shape: 'threshold',
      audience: 'store_coupon',
      autoClaim: false,
      window: [dayjs().startOf('minute'), dayjs().add(7, 'day').endOf('day')],
      quantity: 100,
      perBuyerLimit: 1,
    });
    setOpen(true);
  };

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setSaveError(undefined);
    try {
      await create({
        title: v.title.trim(),
        kind: scope === 'platform' ? 'platform_coupon' : v.audience,
        discountFen: yuanToFen(v.amount),
        thresholdFen: v.shape === 'threshold' ? yuanToFen(v.threshold) : 0,
        autoClaim: v.autoClaim,
        startsAt: v.window[0].toISOString(),
        endsAt: v.window[1].toISOString(),
        totalQuantity: v.quantity,
        perBuyerLimit: v.perBuyerLimit,
      });
      message.success(t('trustConsole.coupons.created'));
      setOpen(false);
      coupons.reload();
    } catch (e) {
      setSaveError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div style={{ marginBottom: 16 }}>
        <Button type="primary" onClick={openForm} data-testid="coupon-new">
          {t('trustConsole.coupons.new')}
        </Button>
      </div>
      {coupons.error ? <ErrorAlert error={coupons.error} onRetry={coupons.reload} /> : null}
      <Table<Coupon>
        rowKey="id"
        loading={coupons.loading}
        dataSource={coupons.data ?? []}
        locale={{ emptyText: <EmptyState text={t('trustConsole.coupons.none')} /> }}
        scroll={{ x: 960 }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        onRow={(c) =>
          ({ 'data-testid': 'coupon-row', 'data-coupon-id': c.id }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: t('trustConsole.coupons.title'),
            dataIndex: 'title',
            render: (v: string, c) => (
              <>
                <b>{v}</b>
                {c.kind === 'follow_coupon' ? (
                  <Tag color="magenta" style={{ marginLeft: 8 }}>
                    {t('trustConsole.coupons.followOnly')}
                  </Tag>
                ) : null}
                {c.autoClaim ? (
                  <Tag color="cyan" style={{ marginLeft: 8 }}>
                    {t('trustConsole.coupons.autoClaimTag')}
                  </Tag>
                ) : null}
              </>
            ),
          },
          {
            title: t('trustConsole.coupons.rule'),
            key: 'rule',
            width: 200,
            render: (_, c) => <span data-testid="coupon-rule">{couponRule(t, c)}</span>,
          },
          {
            title: t('trustConsole.coupons.window'),
            key: 'window',
            width: 330,
            render: (_, c) =>
              `${formatTime(c.startsAt, i18n.language)} – ${formatTime(c.endsAt, i18n.language)}`,
          },
          {
            title: t('trustConsole.coupons.claimedOfTotal'),
            key: 'claimed',
            width: 160,
            render: (_, c) => (
              <div data-testid="coupon-claimed">
                {c.claimedCount} / {c.totalQuantity}
                <Progress
                  percent={c.totalQuantity ? Math.round((c.claimedCount / c.totalQuantity) * 100) : 0}
                  size="small"
                  showInfo={false}
                />
              </div>
            ),
          },
          { title: t('trustConsole.coupons.perBuyer'), dataIndex: 'perBuyerLimit', width: 100 },
          {
            title: t('common.status'),
            key: 'state',
            width: 100,
            render: (_, c) => {
              const s = couponState(c, now);
              return (
                <Tag color={STATE_COLORS[s]} data-testid="coupon-state" data-state={s}>
                  {t(`trustConsole.coupons.state.${s}`)}
                </Tag>
              );
            },
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            fixed: 'right',
            render: (_, c) =>
              c.status === 'active' && Date.parse(c.endsAt) > now ? (
                <Popconfirm
                  title={t('trustConsole.coupons.stopConfirm')}
                  onConfirm={async () => {
                    try {
                      await stop(c.id);
                      message.success(t('trustConsole.coupons.stopped'));
                      coupons.reload();
                    } catch (e) {
                      message.error(errorMessage(e));
                    }
                  }}
                >
                  <Button size="small" danger data-testid="coupon-stop">
                    {t('trustConsole.coupons.stop')}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
      <Modal
        open={open}
        title={t(scope === 'store' ? 'trustConsole.coupons.newStore' : 'trustConsole.coupons.newPlatform')}
        onCancel={() => setOpen(false)}
        onOk={submit}
        confirmLoading={busy}
        okText={t('common.create')}
        okButtonProps={{ 'data-testid': 'coupon-submit' } as Record<string, string>}
        destroyOnHidden
        forceRender
      >
        <Form<CouponForm> form={form} layout="vertical">
          <Form.Item
            name="title"
            label={t('trustConsole.coupons.title')}
            rules={[{ required: true, whitespace: true, max: 40 }]}
          >
            <Input data-testid="coupon-title" placeholder={t('trustConsole.coupons.titlePlaceholder')} />
          </Form.Item>
          {scope === 'store' ? (
            <Form.Item name="audience" label={t('trustConsole.coupons.audience')}>
              <Radio.Group
                options={[
                  { value: 'store_coupon', label: t('trustConsole.coupons.audienceAll') },
                  { value: 'follow_coupon', label: t('trustConsole.coupons.audienceFollow') },
                  { value: 'fan_coupon', label: t('trustConsole.coupons.audienceFan') },
                ]}
              />
            </Form.Item>
          ) : null}
          <Form.Item name="shape" label={t('trustConsole.coupons.kind')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              options={[
                {
                  value: 'threshold',
                  label: (
                    <span data-testid="coupon-kind-threshold">{t('trustConsole.coupons.kindThreshold')}</span>
                  ),
                },
                {
                  value: 'fixed',
                  label: <span data-testid="coupon-kind-fixed">{t('trustConsole.coupons.kindFixed')}</span>,
                },
              ]}
            />
          </Form.Item>
          {shape === 'threshold' && (
            <Form.Item
              name="threshold"
              label={t('trustConsole.coupons.threshold')}
              dependencies={['amount']}
              rules={[
                { required: true },
                ({ getFieldValue }) => ({
                  validator: (_, v: number | undefined) =>
                    v === undefined || yuanToFen(v) > yuanToFen(getFieldValue('amount'))
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('trustConsole.coupons.thresholdAboveAmount'))),
                }),
              ]}
            >
              <InputNumber
                min={0.01}
                max={1_000_000}
                precision={2}
                prefix="¥"
                style={{ width: '100%' }}
                data-testid="coupon-threshold"
              />
            </Form.Item>
          )}
          <Form.Item name="amount" label={t('trustConsole.coupons.amount')} rules={[{ required: true }]}>
            <InputNumber
              min={0.01}
              max={100_000}
              precision={2}
              prefix="¥"
              style={{ width: '100%' }}
              data-testid="coupon-amount"
            />
          </Form.Item>
          <Form.Item
            name="window"
            label={t('trustConsole.coupons.window')}
            rules={[
              { required: true },
              {
                validator: (_, v: [Dayjs, Dayjs] | undefined) =>
                  !v || v[1].isAfter(dayjs())
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('trustConsole.coupons.windowEnded'))),
              },
            ]}
          >
            <DatePicker.RangePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              style={{ width: '100%' }}
            />
          </Form.Item>
          <Form.Item
            name="quantity"
            label={t('trustConsole.coupons.quantity')}
            rules={[{ required: true }]}
            extra={t('trustConsole.coupons.quantityHint')}
          >
            <InputNumber
              min={1}
              max={1_000_000}
              precision={0}
              style={{ width: '100%' }}
              data-testid="coupon-quantity"
            />
          </Form.Item>
          <Form.Item
            name="perBuyerLimit"
            label={t('trustConsole.coupons.perBuyer')}
            dependencies={['quantity']}
            rules={[
              { required: true },
              ({ getFieldValue }) => ({
                validator: (_, v: number | undefined) =>
                  v === undefined || v <= (getFieldValue('quantity') ?? Infinity)
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('trustConsole.coupons.perBuyerAboveQuantity'))),
              }),
            ]}
          >
            <InputNumber
              min={1}
              max={100}
              precision={0}
              style={{ width: '100%' }}
              data-testid="coupon-per-buyer"
            />
          </Form.Item>
          <Form.Item
            name="autoClaim"
            label={t('trustConsole.coupons.autoClaim')}
            extra={t('trustConsole.coupons.autoClaimHint')}
            valuePropName="checked"
          >
            <Switch data-testid="coupon-auto-claim" />
          </Form.Item>
          {saveError && (
            <Alert type="error" showIcon title={<span data-testid="error-message">{saveError}</span>} />
          )}
        </Form>
      </Modal>
    </>
  );
}
