import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { MediaTools } from '../../platform/ffmpeg.ts';

const run = promisify(execFile);

/**
 * The only demuxers ffprobe/ffmpeg may use on an uploaded file. Without it, a file that is really an
 * HLS playlist (or another format that opens further files or URLs) makes ffprobe read those while
 * it probes: the upload is refused afterwards, but the reads (other files on disk, internal URLs)
 * already happened.
 */
export const UPLOAD_DEMUXERS = 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm';

/** What ffprobe tells of an accepted video. */
export interface ProbedVideo {
  contentType: 'video/mp4' | 'video/webm';
  extension: 'mp4' | 'webm';
  durationMs: number;
  width: number;
  height: number;
}

interface FfprobeOutput {
  format?: { format_name?: string; duration?: string; tags?: Record<string, string> };
  streams?: Array<{ codec_type?: string; width?: number; height?: number; duration?: string }>;
}

/**
 * The container and first video stream of `file` as ffprobe reads them from its bytes (never from its
 * name): an MP4 (ISO base media, not QuickTime) or WebM with a video stream, or null for anything else
 * (an image, text, audio only, a broken file).
 */
export async function probeVideo(tools: MediaTools, file: string): Promise<ProbedVideo | null> {
  let out: FfprobeOutput;
  try {
    const { stdout } = await run(
      tools.ffprobe,
      [
        '-v',
        'error',
        '-format_whitelist',
        UPLOAD_DEMUXERS,
        '-show_format',
        '-show_streams',
        '-of',
        'json',
        file,
      ],
      { timeout: 30_000, maxBuffer: 4 * 1024 * 1024 },
    );
    out = JSON.parse(stdout) as FfprobeOutput;
  } catch {
    return null;
  }
  return acceptedVideo(out);
}

/** The pure part of `probeVideo`: which probe results are videos we keep. */
export function acceptedVideo(out: FfprobeOutput): ProbedVideo | null {
  const formats = (out.format?.format_name ?? '').split(',');
  const video = out.streams?.find((s) => s.codec_type === 'video' && (s.width ?? 0) > 0);
  if (!video) return null;
  let kind: Pick<ProbedVideo, 'contentType' | 'extension'> | null = null;
  if (formats.includes('mp4') && out.format?.tags?.major_brand?.trim() !== 'qt')
    kind = { contentType: 'video/mp4', extension: 'mp4' };
  else if (formats.includes('webm')) kind = { contentType: 'video/webm', extension: 'webm' };
  if (!kind) return null;
  const seconds = Number(out.format?.duration ?? video.duration ?? 0);
  return {
    ...kind,
    durationMs: Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : 0,
    width: video.width ?? 0,
    height: video.height ?? 0,
  };
}

/** A JPEG poster from a frame near the start (a second in, or the middle of a shorter clip), ≤ 540 px wide. */
export async function makePoster(
  tools: MediaTools,
  video: string,
  poster: string,
  durationMs: number,
): Promise<void> {
  const at = Math.min(1, durationMs / 2000).toFixed(2);
  await run(
    tools.ffmpeg,
    [
      '-v',
      'error',
      '-y',
      '-ss',
      at,
      '-format_whitelist',
      UPLOAD_DEMUXERS,
      '-i',
      video,
      '-frames:v',
      '1',
      '-vf',
      "scale='min(540,iw)':-2",
      '-q:v',
      '4',
      poster,
    ],
    { timeout: 30_000 },
  );
}

/** A byte range of a file of `size` bytes: inclusive `start`..`end`. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The one range of a `Range: bytes=…` header: undefined when there is none (or it is not a single
 * bytes range: then the whole file is sent, as RFC 9110 allows), 'unsatisfiable' when it lies past the end.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  const [, from = '', to = ''] = m;
  if (from === '' && to === '') return undefined;
  if (from === '') {
    // The last N bytes.
    const n = Number(to);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(from);
  if (start >= size) return 'unsatisfiable';
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (end < start) return undefined;
  return { start, end };
}
