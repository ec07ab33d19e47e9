import { z } from 'zod';
import { normalisePhone } from '../domain/phone';

const password = z.string().min(8, 'at least 8 characters').max(128, 'at most 128 characters');
const displayName = z.string().trim().min(1, 'required').max(40, 'at most 40 characters');
const username = z
  .string()
  .trim()
  .regex(/^[a-zA-Z][a-zA-Z0-9_.-]{2,31}$/, '3 to 32 letters, digits, "_", "." or "-", starting with a letter');
const phone = z.string().transform((v, ctx) => {
  const n = normalisePhone(v);
  if (!n) ctx.addIssue({ code: 'custom', message: 'not a valid phone number' });
  return n ?? v;
});

export const signInSchema = z.object({
  /** A phone number or a user name. */
  login: z.string().trim().min(1, 'required').max(64),
  password: z.string().min(1, 'required').max(128),
});
export type SignInRequest = z.infer<typeof signInSchema>;

export const refreshSchema = z.object({ refreshToken: z.string().min(16).max(200) });
export type RefreshRequest = z.infer<typeof refreshSchema>;

export const invitationCodeSchema = z
  .string()
  .transform((v) => v.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[A-Z2-9]{8}$/, 'an invitation code has 8 letters and digits'));

/** Create an account and join a compound with an invitation code, in one step. */
export const joinSchema = z
  .object({
    code: invitationCodeSchema,
    displayName,
    phone: phone.optional(),
    username: username.optional(),
    password,
  })
  .refine((v) => v.phone || v.username, { message: 'a phone number or a user name is required', path: ['phone'] });
export type JoinRequest = z.input<typeof joinSchema>;

/** A signed-in user adds a membership with an invitation code. */
export const redeemSchema = z.object({ code: invitationCodeSchema });
export type RedeemRequest = z.input<typeof redeemSchema>;
