/** The one money formatter of the web app: integer fen → `¥12.34` (negative: `-¥12.34`). */
export function formatFen(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '¥—';
  const n = Math.round(fen);
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  const yuan = Math.floor(abs / 100);
  const cents = abs % 100;
  return `${sign}¥${yuan}.${String(cents).padStart(2, '0')}`;
}

/** Yuan typed by a merchant (e.g. 12.34) → integer fen, without float drift. */
export function yuanToFen(yuan: number | string | null | undefined): number {
  if (yuan === null || yuan === undefined || yuan === '') return 0;
  const s = typeof yuan === 'number' ? yuan.toFixed(2) : yuan.trim();
  const m = /^(-?)(\d+)(?:\.(\d{0,2}))?/.exec(s);
  if (!m) return 0;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

export function fenToYuan(fen: number): number {
  return Math.round(fen) / 100;
}
