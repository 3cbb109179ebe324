import { createRequire } from 'node:module';

/**
 * The `ws` client (a dependency of @fastify/websocket, no type package installed), typed by what
 * the tests and bench/live-room.ts use of it.
 */
export interface WsClient {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  terminate(): void;
  on(event: 'open' | 'close', listener: () => void): this;
  on(event: 'message', listener: (data: Buffer) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'unexpected-response', listener: (req: unknown, res: { statusCode: number }) => void): this;
}

type WsConstructor = new (
  url: string,
  options?: { headers?: Record<string, string>; perMessageDeflate?: boolean },
) => WsClient;

export const WebSocketClient = createRequire(import.meta.url)('ws') as WsConstructor;

/** Opens a socket; rejects when the server refuses the upgrade (with its status). */
export function openSocket(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocketClient(url, { headers, perMessageDeflate: false });
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.on('error', reject);
  });
}
