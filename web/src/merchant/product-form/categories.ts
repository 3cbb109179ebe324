import type { Category } from '../../api.ts';
import { localName } from '../../i18n/index.ts';

/** The root category a leaf category belongs to. */
export const rootOf = (categories: Category[], leafId: string) =>
  categories.find((r) => r.children?.some((c) => c.id === leafId));

/** The cascader's value for a product's category: [root, leaf]. */
export const categoryPath = (categories: Category[], leafId: string): string[] =>
  [rootOf(categories, leafId)?.id ?? '', leafId].filter(Boolean);

/** Whether products of this leaf category are garments (with sizes, a fit type and a size chart). */
export function isApparelCategory(categories: Category[], leafId: string | undefined): boolean {
  const leaf = categories.flatMap((r) => r.children ?? []).find((c) => c.id === leafId);
  return Boolean(leaf?.isApparel ?? rootOf(categories, leafId ?? '')?.isApparel);
}

export interface CascaderOption {
  value: string;
  label: string;
  disabled?: boolean;
  children?: CascaderOption[];
}

/** The category tree as cascader options in `lang`; a root without leaves cannot be chosen. */
export const categoryOptions = (categories: Category[], lang: string): CascaderOption[] =>
  categories.map((r) => ({
    value: r.id,
    label: localName(r, lang),
    disabled: !r.children?.length,
    children: (r.children ?? []).map((c) => ({ value: c.id, label: localName(c, lang) })),
  }));
