import { Alert, Badge, Card, Descriptions, Skeleton, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/error-message.ts';
import { ingestApi, type MerchantIngest } from './ingest-api.ts';

export interface IngestPanelProps {
  sessionId: string;
}

/** How often the on-air status is asked again. */
const POLL_MS = 3000;

/**
 * The session's ingest for the live console: the RTMP server and stream key for OBS (copy buttons),
 * the whole URL for ffmpeg, and whether the stream is on air (since when, bitrate).
 */
export function IngestPanel({ sessionId }: IngestPanelProps) {
  const { t, i18n } = useTranslation();
  const [info, setInfo] = useState<MerchantIngest | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    let loaded: MerchantIngest | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    const load = async () => {
      try {
        // The URLs and key once; then only the status (cheap, no key).
        if (!loaded) {
          loaded = await ingestApi.ingest(sessionId, controller.signal);
        } else {
          const status = await ingestApi.status(sessionId, controller.signal);
          loaded = { ...loaded, status };
        }
        if (stopped) return;
        setInfo(loaded);
        setError(null);
      } catch (e) {
        if (stopped || (e as Error).name === 'AbortError') return;
        setError(errorMessage(e));
      }
      if (!stopped) timer = setTimeout(load, POLL_MS);
    };
    void load();
    return () => {
      stopped = true;
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [sessionId]);

  if (!info)
    return (
      <Card title={t('ingest.title')} data-testid="ingest-panel" size="small">
        {error ? (
          <Alert type="error" showIcon message={error} />
        ) : (
          <Skeleton active paragraph={{ rows: 3 }} />
        )}
      </Card>
    );

  const { status } = info;
  const since = status.since ? new Date(status.since).toLocaleTimeString(i18n.language) : null;
  const ffmpegCommand = `ffmpeg -re -i input.mp4 -c:v libx264 -preset veryfast -tune zerolatency -g 50 -c:a aac -f flv "${info.publishUrl}"`;
  const statusBadge = status.publishing ? (
    <Badge
      status="processing"
      color="red"
      text={<span data-testid="ingest-on-air">{t('ingest.onAir')}</span>}
    />
  ) : (
    <Badge status="default" text={<span data-testid="ingest-offline">{t('ingest.offline')}</span>} />
  );

  return (
    <Card title={t('ingest.title')} extra={statusBadge} data-testid="ingest-panel" size="small">
      {error && <Alert type="warning" showIcon message={error} style={{ marginBottom: 12 }} />}
      {status.mode === 'none' && (
        <Alert type="warning" showIcon message={t('ingest.noServer')} style={{ marginBottom: 12 }} />
      )}
      {status.publishing && (
        <Descriptions size="small" column={3} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('ingest.since')}>{since}</Descriptions.Item>
          <Descriptions.Item label={t('ingest.bitrate')}>
            <span data-testid="ingest-bitrate">
              {status.bitrateKbps !== null ? `${status.bitrateKbps} kbps` : t('ingest.measuring')}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('ingest.resolution')}>
            {status.width && status.height ? `${status.width}×${status.height}` : '—'}
          </Descriptions.Item>
        </Descriptions>
      )}
      <Tabs
        size="small"
        items={[
          {
            key: 'obs',
            label: 'OBS',
            children: (
              <>
                <Descriptions size="small" column={1} bordered>
                  <Descriptions.Item label={t('ingest.server')}>
                    <Typography.Text copyable data-testid="ingest-rtmp-url">
                      {info.rtmpUrl}
                    </Typography.Text>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('ingest.streamKey')}>
                    <Typography.Text copyable={{ text: info.obsStreamKey }} data-testid="ingest-stream-key">
                      {`${info.obsStreamKey.slice(0, 12)}…`}
                    </Typography.Text>
                  </Descriptions.Item>
                </Descriptions>
                <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                  {t('ingest.obsHelp')}
                </Typography.Paragraph>
              </>
            ),
          },
          {
            key: 'ffmpeg',
            label: 'ffmpeg',
            children: (
              <>
                <Typography.Paragraph
                  code
                  copyable={{ text: ffmpegCommand }}
                  style={{ wordBreak: 'break-all' }}
                  data-testid="ingest-ffmpeg"
                >
                  {ffmpegCommand.replace(info.streamKey, '••••••')}
                </Typography.Paragraph>
                <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                  {t('ingest.ffmpegHelp')}
                </Typography.Paragraph>
              </>
            ),
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t('ingest.keySecret')}
      </Typography.Paragraph>
    </Card>
  );
}
