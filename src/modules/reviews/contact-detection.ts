/**
 * What in a review's text sends it to the operators' queue: links and contact details that would take a
 * buyer off the platform (or expose someone). Each finding is a kind, never the matched text.
 */
export type ContactFlag = 'link' | 'phone' | 'wechat' | 'qq' | 'email';

const LINK = /(https?:\/\/|www\.|\b[a-z0-9-]+\.(com|cn|net|org|io|top|xyz|shop|cc|me)\b)/i;
const EMAIL = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/i;
// Mainland mobile numbers, also when spaced or dashed (138 1234 5678).
const PHONE = /(?<!\d)1[3-9]\d(?:[\s-]?\d){8}(?!\d)/;
const WECHAT = /(微信|威信|薇信|vx|v信|wx|wechat|weixin)\s*[:：号]?\s*[a-z0-9_-]{5,}/i;
const QQ = /(qq|扣扣|企鹅)\s*[:：号]?\s*\d{5,12}/i;

export function contactFlags(text: string): ContactFlag[] {
  const found: ContactFlag[] = [];
  // Full-width letters and digits count as what they look like.
  const t = text.normalize('NFKC');
  if (EMAIL.test(t)) found.push('email');
  if (LINK.test(t.replace(EMAIL, ''))) found.push('link');
  if (PHONE.test(t)) found.push('phone');
  if (WECHAT.test(t)) found.push('wechat');
  if (QQ.test(t)) found.push('qq');
  return found;
}
