import { execFile } from 'node:child_process';
import type { MediaTools } from '../../platform/ffmpeg.ts';

/** ffmpeg or ffprobe with a bounded run time and output; rejects with its stderr's last lines. */
function run(binary: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const tail = String(stderr).trim().split('\n').slice(-3).join(' | ');
        reject(new Error(`${binary.split('/').pop()} failed: ${tail || err.message}`.slice(0, 500)));
      } else resolve(String(stdout));
    });
  });
}

/** A media file's duration in milliseconds by ffprobe, or null when it has none it can tell. */
export async function probeDurationMs(tools: MediaTools, file: string): Promise<number | null> {
  try {
    const out = await run(
      tools.ffprobe,
      ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=noprint_wrappers=1:nokey=1', file],
      30_000,
    );
    const seconds = Number.parseFloat(out.trim());
    return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : null;
  } catch {
    return null;
  }
}

/**
 * Cuts `fromMs`..`toMs` of a recording (the FLV the ingest wrote) into an mp4 (H.264 + AAC when
 * the recording has sound, `+faststart` so it plays while it downloads). Re-encoded rather than
 * copied, so the clip starts at the asked time and not at the keyframe before it; a clip is at
 * most a minute or two, so that stays short. Bounded by `timeoutMs`.
 */
export async function cutClip(
  tools: MediaTools,
  input: { recording: string; fromMs: number; toMs: number; out: string },
  timeoutMs = 5 * 60_000,
): Promise<void> {
  await run(
    tools.ffmpeg,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-ss',
      (input.fromMs / 1000).toFixed(3),
      '-i',
      input.recording,
      '-t',
      ((input.toMs - input.fromMs) / 1000).toFixed(3),
      '-map',
      '0:v:0',
      '-map',
      '0:a:0?',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-movflags',
      '+faststart',
      input.out,
    ],
    timeoutMs,
  );
}
