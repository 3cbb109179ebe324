import i18n from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError, errorMessage } from './api.ts';
import { en } from './i18n/en.ts';
import { zhCN } from './i18n/zh-CN.ts';

describe('errorMessage', () => {
  beforeAll(async () => {
    await i18n.init({
      resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
      lng: 'zh-CN',
      interpolation: { escapeValue: false },
    });
  });

  it("reads the server's generic errors in the app's language, not the server's English", async () => {
    const invalid = new ApiError(400, 'validation_failed', 'The request is not valid');
    const missing = new ApiError(404, 'not_found', 'Product not found');
    await i18n.changeLanguage('zh-CN');
    expect(errorMessage(invalid)).toBe('请求内容有误');
    expect(errorMessage(missing)).toBe('没有找到，可能已被删除');
    await i18n.changeLanguage('en');
    expect(errorMessage(invalid)).toBe('Something in this request is not valid');
  });

  it("keeps the server's own words for a specific error", () => {
    expect(errorMessage(new ApiError(409, 'out_of_stock', 'Only 2 left'))).toBe('Only 2 left');
  });
});
