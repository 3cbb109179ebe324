import { Button, SpinLoading } from 'antd-mobile';
import mpegtsImport from 'mpegts.js';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';

// The server's NodeNext types read this CommonJS package's default import as its whole module; the
// bundler hands over the player object itself. Either way, this is the player object.
const mpegts = ((mpegtsImport as unknown as { default?: unknown }).default ??
  mpegtsImport) as typeof mpegtsImport.default;
type Player = ReturnType<typeof mpegts.createPlayer>;

export interface LivePlayerProps {
  sessionId: string;
  /** Whether the session is live now (the player connects only then). */
  live: boolean;
}

type Phase = 'offline' | 'loading' | 'playing' | 'waiting' | 'unsupported';

/** How often a live session without a picture asks again whether the stream is on air. */
const RETRY_MS = 3000;
/** How often a playing stream checks that the broadcaster is still on air. */
const WATCH_MS = 5000;

/**
 * The live picture: HTTP-FLV (H.264/AAC) from our own origin (`/api/v1/live/sessions/:id/stream.flv`)
 * played by mpegts.js through Media Source Extensions. Muted autoplay (browsers allow no other),
 * a tap turns the sound on. States: offline (not live), loading, waiting for the broadcaster's
 * signal (live, nothing on air: retried), playing.
 */
export function LivePlayer({ sessionId, live }: LivePlayerProps) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [phase, setPhase] = useState<Phase>(live ? 'loading' : 'offline');
  const [muted, setMuted] = useState(true);

  useEffect(() => {
    if (!live) {
      setPhase('offline');
      return;
    }
    if (!mpegts.isSupported() || !mpegts.getFeatureList().mseLivePlayback) {
      setPhase('unsupported');
      return;
    }
    let stopped = false;
    let player: Player | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();

    const destroy = () => {
      if (!player) return;
      try {
        player.pause();
        player.unload();
        player.detachMediaElement();
        player.destroy();
      } catch {
        // already torn down
      }
      player = null;
    };
    const retry = () => {
      destroy();
      if (stopped) return;
      setPhase('waiting');
      timer = setTimeout(connect, RETRY_MS);
    };
    const connect = async () => {
      if (stopped) return;
      try {
        const status = await api.get('/live/sessions/{id}/ingest-status', {
          params: { path: { id: sessionId } },
          signal: controller.signal,
        });
        if (!status.publishing) return retry();
      } catch (e) {
        if ((e as Error).name === 'AbortError') return;
        return retry();
      }
      if (stopped || !video.current) return;
      setPhase('loading');
      player = mpegts.createPlayer(
        { type: 'flv', isLive: true, url: `/api/v1/live/sessions/${sessionId}/stream.flv` },
        {
          enableWorker: false,
          liveBufferLatencyChasing: true,
          liveBufferLatencyMaxLatency: 3,
          liveBufferLatencyMinRemain: 0.5,
          lazyLoad: false,
        },
      );
      player.on(mpegts.Events.ERROR, retry);
      player.on(mpegts.Events.LOADING_COMPLETE, retry);
      player.attachMediaElement(video.current);
      player.load();
      const played = player.play();
      if (played) played.catch(() => undefined);
      // The media server keeps a viewer waiting when the broadcaster drops: watch the status instead.
      timer = setTimeout(watch, WATCH_MS);
    };
    const watch = async () => {
      if (stopped || !player) return;
      try {
        const status = await api.get('/live/sessions/{id}/ingest-status', {
          params: { path: { id: sessionId } },
          signal: controller.signal,
        });
        if (!status.publishing) return retry();
      } catch (e) {
        if ((e as Error).name === 'AbortError') return;
      }
      if (!stopped) timer = setTimeout(watch, WATCH_MS);
    };
    void connect();
    return () => {
      stopped = true;
      controller.abort();
      if (timer) clearTimeout(timer);
      destroy();
    };
  }, [sessionId, live]);

  const overlay =
    phase === 'offline'
      ? t('livePlayer.offline')
      : phase === 'waiting'
        ? t('livePlayer.waiting')
        : phase === 'unsupported'
          ? t('livePlayer.unsupported')
          : null;

  return (
    <div
      data-testid="live-player"
      data-phase={phase}
      style={{
        position: 'relative',
        width: '100%',
        aspectRatio: '16 / 9',
        background: '#000',
        overflow: 'hidden',
      }}
    >
      <video
        ref={video}
        data-testid="live-video"
        muted={muted}
        autoPlay
        playsInline
        onPlaying={() => setPhase('playing')}
        style={{ width: '100%', height: '100%', objectFit: 'contain', display: live ? 'block' : 'none' }}
      />
      {phase === 'loading' && (
        <div style={centered}>
          <SpinLoading color="white" />
          <span style={{ marginTop: 8 }}>{t('livePlayer.loading')}</span>
        </div>
      )}
      {overlay && (
        <div style={centered} data-testid="live-player-state">
          {overlay}
        </div>
      )}
      {phase === 'playing' && muted && (
        <Button
          size="mini"
          shape="rounded"
          data-testid="live-unmute"
          onClick={() => {
            setMuted(false);
            if (video.current) video.current.muted = false;
          }}
          style={{ position: 'absolute', right: 8, bottom: 8, opacity: 0.85 }}
        >
          {t('livePlayer.unmute')}
        </Button>
      )}
    </div>
  );
}

const centered: React.CSSProperties = {
  position: 'absolute',
  inset: 0,
  display: 'flex',
  flexDirection: 'column',
  alignItems: 'center',
  justifyContent: 'center',
  color: '#fff',
  fontSize: 14,
  textAlign: 'center',
  padding: 16,
};
