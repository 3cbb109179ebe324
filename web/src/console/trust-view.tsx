import { Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../shared/hooks.ts';

/** A guarantee's name in the reader's language (an unknown name is shown as the server spells it). */
export function useGuaranteeName(): (g: string) => string {
  const { t, i18n } = useTranslation();
  return (g) =>
    i18n.exists(`trustConsole.guarantee.${g}`) ? t(`trustConsole.guarantee.${g}`) : g.replaceAll('_', ' ');
}

/** Now, re-read every `everyMs` (a countdown that moves while the page is open). */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

/**
 * Time left before the merchant's decision is due ("剩 12 小时 5 分"); red under 6 hours, and "overdue" once
 * past (the platform approves a request the merchant leaves unanswered).
 */
export function SlaCountdown({ dueAt, now }: { dueAt: string | null; now: number }) {
  const { t, i18n } = useTranslation();
  if (!dueAt) return <span>—</span>;
  const left = Date.parse(dueAt) - now;
  const tip = t('trustConsole.aftersale.dueAt', { at: formatTime(dueAt, i18n.language) });
  if (!Number.isFinite(left)) return <span>—</span>;
  if (left <= 0)
    return (
      <Tooltip title={tip}>
        <Tag color="red" data-testid="sla-countdown" data-left="0">
          {t('trustConsole.aftersale.slaOver')}
        </Tag>
      </Tooltip>
    );
  const minutes = Math.floor(left / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return (
    <Tooltip title={tip}>
      <Tag color={h < 6 ? 'red' : h < 24 ? 'orange' : 'blue'} data-testid="sla-countdown" data-left={minutes}>
        {h > 0
          ? t('trustConsole.aftersale.slaLeftHm', { h, m })
          : t('trustConsole.aftersale.slaLeftM', { m })}
      </Tag>
    </Tooltip>
  );
}
