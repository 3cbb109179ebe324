/** An integer amount of fen (分, 1/100 CNY). Never a float. */
export type Fen = number & { readonly __brand: 'Fen' };

export function fen(value: number): Fen {
  if (!Number.isSafeInteger(value)) throw new RangeError(`money must be a whole number of fen, got ${value}`);
  return value as Fen;
}

export function mulFen(amount: Fen, times: number): Fen {
  if (!Number.isSafeInteger(times)) throw new RangeError(`quantity must be whole, got ${times}`);
  return fen(amount * times);
}

/** Share of an amount in basis points, rounded half away from zero to whole fen. */
export function bpsOf(amount: Fen, bps: number): Fen {
  const exact = (amount * bps) / 10_000;
  return fen(Math.sign(exact) * Math.round(Math.abs(exact)));
}

/** `¥12.34`, or `-¥0.05` for negatives. */
export function formatFen(amount: Fen | number): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}¥${yuan.toLocaleString('en-US')}.${cents}`;
}
