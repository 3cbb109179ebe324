/**
 * Where a broadcaster publishes a session and where OBS wants it: the RTMP server URL (`rtmp://host:port/live`)
 * and, as OBS's "stream key", `<sessionId>?key=<streamKey>`. The stream path viewers get is only the
 * session id (`/live/<sessionId>`); the key never leaves the merchant's console.
 */
export interface IngestInfo {
  /** OBS "Server": the RTMP application URL. */
  rtmpUrl: string;
  /** The session's secret stream key (as the live module keeps it). */
  streamKey: string;
  /** OBS "Stream Key": the session id with the key as a query. */
  obsStreamKey: string;
  /** The whole publish URL, for ffmpeg (`-f flv <publishUrl>`). */
  publishUrl: string;
  /** Where buyers play it: our own origin's HTTP-FLV proxy. */
  playUrl: string;
}

export function ingestUrls(opts: {
  sessionId: string;
  streamKey: string;
  /** `rtmp://host:port/live` of the embedded server, or the external service's ingest base. */
  rtmpBase: string;
}): IngestInfo {
  const obsStreamKey = `${opts.sessionId}?key=${encodeURIComponent(opts.streamKey)}`;
  return {
    rtmpUrl: opts.rtmpBase,
    streamKey: opts.streamKey,
    obsStreamKey,
    publishUrl: `${opts.rtmpBase}/${obsStreamKey}`,
    playUrl: `/api/v1/live/sessions/${opts.sessionId}/stream.flv`,
  };
}

/** The RTMP base of the embedded server for a host name as the merchant reaches us (`[::1]` kept bracketed). */
export function embeddedRtmpBase(host: string, rtmpPort: number): string {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? host);
  return `rtmp://${name || 'localhost'}:${rtmpPort}/live`;
}

/** The `key` query of a publish, as node-media-server parsed it (a repeated `key` is refused). */
export function keyOf(query: Record<string, string | string[] | undefined>): string | null {
  const key = query.key;
  return typeof key === 'string' && key.length > 0 && key.length <= 200 ? key : null;
}
