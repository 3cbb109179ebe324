/**
 * The carriers a merchant ships with, by code. The API speaks codes; the web names them in the
 * reader's language (web/src/i18n: `carrier.<code>`). `other` is any carrier not listed.
 */
export const CARRIERS = ['sf', 'jd', 'ems', 'zto', 'yto', 'sto', 'yunda', 'jt', 'deppon', 'other'] as const;
export type Carrier = (typeof CARRIERS)[number];
