import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { type MediaTools, mediaTools } from '../../src/platform/ffmpeg.ts';

/** ffmpeg and ffprobe, which the video tests need (Debian's ffmpeg, installed by .ci/run). */
export function requireMediaTools(): MediaTools {
  const tools = mediaTools();
  if (!tools) throw new Error('these tests need ffmpeg (Debian ffmpeg, installed by .ci/run)');
  return tools;
}

export interface TestVideoOptions {
  format?: 'mp4' | 'webm';
  /** `WxH`, default 160x284 (a phone's portrait shape, small). */
  size?: string;
  rate?: number;
  seconds?: number;
  /** More ffmpeg output options (e.g. `-f mov` to make a QuickTime file). */
  extra?: string[];
}

/** A real video of ffmpeg's moving test pattern (H.264 MP4 or VP9 WebM), written to `file` and returned. */
export function makeTestVideo(file: string, options: TestVideoOptions = {}): Buffer {
  const { format = 'mp4', size = '160x284', rate = 10, seconds = 2, extra = [] } = options;
  const codec =
    format === 'mp4'
      ? ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p']
      : ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-b:v', '200k'];
  const pattern = `testsrc2=size=${size}:rate=${rate}:duration=${seconds}`;
  execFileSync(requireMediaTools().ffmpeg, [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    pattern,
    ...codec,
    ...extra,
    file,
  ]);
  return fs.readFileSync(file);
}

/** The body of a merchant's video upload: one multipart `file` part (none when `file` is null). */
export function videoUpload(
  file: Buffer | null,
  { filename = 'clip.mp4', type = 'video/mp4' }: { filename?: string; type?: string } = {},
): { payload: Buffer; contentType: string } {
  const boundary = '----gravityTestBoundary';
  const parts: Buffer[] = [];
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      file,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
