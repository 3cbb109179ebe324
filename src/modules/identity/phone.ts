import { z } from 'zod';

/** Mainland China mobile numbers: 11 digits starting with 1[3-9]. */
export const phoneSchema = z
  .string()
  .regex(/^1[3-9]\d{9}$/, 'A phone number is 11 digits starting with 13–19');

export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(7)}`;
}
