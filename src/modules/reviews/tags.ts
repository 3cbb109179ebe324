/**
 * The tags a buyer may pick (the web shows them in zh-CN and English by key). Fit is not a tag: it is the
 * size assistant's one question, counted apart (`fit_small` / `fit_true` / `fit_large`).
 */
export const REVIEW_TAGS = [
  'quality_good',
  'as_described',
  'good_value',
  'nice_fabric',
  'comfortable',
  'fast_delivery',
  'good_packaging',
  'good_service',
  'poor_quality',
  'not_as_described',
  'slow_delivery',
] as const;
export type ReviewTag = (typeof REVIEW_TAGS)[number];
