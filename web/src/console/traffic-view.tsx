import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { SOURCE_COLORS, type Source } from './traffic.ts';

/** A traffic source (or plan) as a tag in its chart colour. */
export function SourceTag({ source }: { source: Source }) {
  const { t } = useTranslation();
  return (
    <Tag color={SOURCE_COLORS[source]} style={{ marginInlineEnd: 0 }}>
      {t(`traffic.source.${source}`)}
    </Tag>
  );
}
