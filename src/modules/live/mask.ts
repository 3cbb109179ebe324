/** A name shown in the room for an account: its phone with the middle hidden (138****0001). */
export function maskedName(phone: string | null | undefined): string {
  if (!phone) return '***';
  if (phone.length <= 4) return `${phone.slice(0, 1)}***`;
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
