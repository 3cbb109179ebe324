import { describe, expect, it } from 'vitest';
import { contactFlags } from './contact-detection.ts';

describe('contactFlags', () => {
  it('finds nothing in an ordinary review', () => {
    expect(contactFlags('质量很好，尺码合适，物流也快。Fits well, 5 stars!')).toEqual([]);
    expect(contactFlags('穿了3天，洗了2次，没有起球，身高170体重65买的M')).toEqual([]);
  });

  it('flags links, e-mail, phone numbers, WeChat and QQ ids', () => {
    expect(contactFlags('便宜的去 https://cheap.example 买')).toEqual(['link']);
    expect(contactFlags('see www.example.com')).toEqual(['link']);
    expect(contactFlags('write to seller@example.com')).toEqual(['email']);
    expect(contactFlags('call 138 1234 5678')).toEqual(['phone']);
    expect(contactFlags('加微信：abc_12345 更便宜')).toEqual(['wechat']);
    expect(contactFlags('VX abcde99')).toEqual(['wechat']);
    expect(contactFlags('QQ号 12345678')).toEqual(['qq']);
  });

  it('sees through full-width characters', () => {
    expect(contactFlags('１３８１２３４５６７８')).toEqual(['phone']);
  });
});
