import WebSocket from 'ws';

/** The `ws` client the tests and bench/live-room.ts open sockets with. */
export type WsClient = WebSocket;
export const WebSocketClient = WebSocket;

/** Opens a socket; rejects when the server refuses the upgrade (with its status). */
export function openSocket(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.on('error', reject);
  });
}
