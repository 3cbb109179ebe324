import fs from 'node:fs';
import path from 'node:path';
import { AppError, badRequest, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';

export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

const TYPES = {
  png: { ext: 'png', mime: 'image/png' },
  jpeg: { ext: 'jpg', mime: 'image/jpeg' },
  webp: { ext: 'webp', mime: 'image/webp' },
} as const;

const MIME_OF_EXT: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };
/** The content types `GET /media/:file` answers with. */
export const IMAGE_TYPES = Object.values(TYPES).map((t) => t.mime);

/** Names we give uploads: a UUID and the type's extension; nothing else is ever served. */
export const MEDIA_FILE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(png|jpg|webp)$/;

/** Whether the bytes really are the image type the data URL claims (magic numbers). */
export function sniffMatches(kind: keyof typeof TYPES, bytes: Buffer): boolean {
  if (kind === 'png')
    return bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  if (kind === 'jpeg') return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  return (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  );
}

/** Decodes a `data:image/png|jpeg|webp;base64,…` URL, checking type, size and content. */
export function decodeImageDataUrl(dataUrl: string): { bytes: Buffer; ext: string; mime: string } {
  const match = /^data:image\/(png|jpeg|webp);base64,([A-Za-z0-9+/]*={0,2})$/.exec(dataUrl);
  if (!match) {
    throw new AppError(400, 'unsupported_image', 'Upload a PNG, JPEG or WebP image as a base64 data URL');
  }
  const kind = match[1] as keyof typeof TYPES;
  const bytes = Buffer.from(match[2] ?? '', 'base64');
  if (bytes.length === 0) throw badRequest('The image is empty');
  if (bytes.length > MAX_UPLOAD_BYTES) {
    throw new AppError(413, 'image_too_large', 'Images may be at most 2 MB', { maxBytes: MAX_UPLOAD_BYTES });
  }
  if (!sniffMatches(kind, bytes)) {
    throw new AppError(400, 'unsupported_image', `The data is not a ${kind.toUpperCase()} image`);
  }
  return { bytes, ext: TYPES[kind].ext, mime: TYPES[kind].mime };
}

export function mediaDir(dataDir: string): string {
  return path.join(dataDir, 'media');
}

/** Stores an uploaded image under `<dataDir>/media`; returns the URL it is served at. */
export async function saveImage(dataDir: string, dataUrl: string): Promise<{ url: string; bytes: number }> {
  const image = decodeImageDataUrl(dataUrl);
  const dir = mediaDir(dataDir);
  await fs.promises.mkdir(dir, { recursive: true });
  const file = `${newId()}.${image.ext}`;
  // Write then rename, so a reader never sees half a file.
  const tmp = path.join(dir, `.${file}.tmp`);
  await fs.promises.writeFile(tmp, image.bytes, { flag: 'wx' });
  await fs.promises.rename(tmp, path.join(dir, file));
  return { url: `/media/${file}`, bytes: image.bytes.length };
}

/** Opens a stored image by name, after checking the name is one we could have given. */
export async function openImage(
  dataDir: string,
  file: string,
): Promise<{ stream: fs.ReadStream; mime: string; size: number }> {
  if (!MEDIA_FILE.test(file)) throw notFound('Image');
  const full = path.join(mediaDir(dataDir), file);
  const stat = await fs.promises.stat(full).catch(() => null);
  if (!stat?.isFile()) throw notFound('Image');
  const ext = file.slice(file.lastIndexOf('.') + 1);
  return {
    stream: fs.createReadStream(full),
    mime: MIME_OF_EXT[ext] ?? 'application/octet-stream',
    size: stat.size,
  };
}
