import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mediaTools } from '../../platform/ffmpeg.ts';
import { makePoster, probeVideo } from './media.ts';

const tools = mediaTools();
if (!tools) throw new Error('these tests need ffmpeg (Debian ffmpeg, installed by .ci/run)');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'gravity-media-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('probing an upload', () => {
  it('accepts a real MP4 and makes its poster', async () => {
    const mp4 = path.join(scratch, 'ok.upload');
    execFileSync(tools.ffmpeg, [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=5:duration=1'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-f', 'mp4', mp4],
    ]);
    const probed = await probeVideo(tools, mp4);
    expect(probed?.contentType).toBe('video/mp4');
    const poster = path.join(scratch, 'ok.jpg');
    await makePoster(tools, mp4, poster, probed?.durationMs ?? 0);
    expect(fs.readFileSync(poster).subarray(0, 2).toString('hex')).toBe('ffd8');
  });

  it('never opens what an uploaded playlist points at', async () => {
    // An "upload" that is an HLS playlist whose segments are other files on this machine (here the
    // MP4 above, which ffprobe would read) and an internal URL: only MP4/WebM demuxers may run.
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const segment = path.join(scratch, 'segment.mp4');
    execFileSync(tools.ffmpeg, [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=5:duration=1'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', segment],
    ]);
    const playlist = path.join(scratch, 'evil.upload');
    fs.writeFileSync(
      playlist,
      `#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n${segment}\n#EXTINF:1.0,\nhttp://127.0.0.1:${port}/internal.ts\n#EXT-X-ENDLIST\n`,
    );
    // Whether a program read the segment: its access time, set back before its modification time
    // (so even a relatime mount records the next read).
    const untouched = () => fs.utimesSync(segment, new Date(0), fs.statSync(segment).mtime);
    const read = () => fs.statSync(segment).atimeMs > 0;
    // ffprobe without the whitelist reads the playlist as HLS and opens the segment it names.
    untouched();
    const loose = execFileSync(tools.ffprobe, ['-v', 'quiet', '-show_format', '-of', 'json', playlist], {
      encoding: 'utf8',
    });
    expect(loose).toContain('hls');
    const observable = read();
    // Ours refuses it at the door: no HLS demuxer, so nothing it names is opened.
    untouched();
    expect(await probeVideo(tools, playlist)).toBeNull();
    await expect(makePoster(tools, playlist, path.join(scratch, 'evil.jpg'), 1000)).rejects.toThrow();
    expect(fs.existsSync(path.join(scratch, 'evil.jpg'))).toBe(false);
    expect(requests).toEqual([]);
    // (On a noatime mount reads leave no trace; then only the URL check above speaks.)
    if (observable) expect(read()).toBe(false);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
