import i18n from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../i18n/en.ts';
import { zhCN } from '../i18n/zh-CN.ts';
import { ApiError, errorMessage } from './error-message.ts';

const refused = (status: number, code: string, message: string, details?: unknown) =>
  new ApiError(status, { code, message, details });

describe('errorMessage', () => {
  beforeAll(async () => {
    await i18n.init({
      resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
      lng: 'zh-CN',
      interpolation: { escapeValue: false },
    });
  });

  it("reads the server's errors in the app's language, not the server's English", async () => {
    const invalid = refused(400, 'validation_failed', 'The request is not valid');
    const gone = refused(409, 'out_of_stock', 'Some items are out of stock', { skuIds: ['s1'] });
    await i18n.changeLanguage('zh-CN');
    expect(errorMessage(invalid)).toBe('请求内容有误');
    expect(errorMessage(gone)).toBe('部分商品库存不足，请减少数量或稍后再试');
    await i18n.changeLanguage('en');
    expect(errorMessage(invalid)).toBe('Something in this request is not valid');
  });

  it('names what the details say: the wait, the order status, the items the page knows', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(errorMessage(refused(429, 'rate_limited', 'Too many codes', { retryAfterSeconds: 3300 }))).toBe(
      '操作太频繁，请 55 分钟后再试',
    );
    expect(errorMessage(refused(409, 'illegal_transition', 'x', { from: 'shipped', event: 'cancel' }))).toBe(
      '订单当前为「已发货」，无法进行此操作，请刷新后再试',
    );
    const names: Record<string, string> = { s1: 'T恤 M / 黑', s2: '卫衣 L / 灰' };
    const gone = refused(409, 'out_of_stock', 'Some items are out of stock', { skuIds: ['s1', 's2'] });
    expect(errorMessage(gone, { skuName: (id) => names[id] })).toBe('库存不足：T恤 M / 黑、卫衣 L / 灰');
    await i18n.changeLanguage('en');
    expect(errorMessage(gone, { skuName: (id) => names[id] })).toBe('Out of stock: T恤 M / 黑, 卫衣 L / 灰');
  });

  it('says something general, still in the app’s language, for a code it does not know', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(errorMessage(refused(415, 'ctp_invalid_media_type', 'Unsupported Media Type'))).toBe(
      '操作没有成功，请稍后再试',
    );
    expect(errorMessage(refused(502, 'http_502', 'Bad Gateway'))).toBe('系统开小差了，请稍后再试');
  });
});
