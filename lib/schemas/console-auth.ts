/**
 * Console login (POST /api/auth/login): the body the login form sends and the handler parses, and the answer.
 * The token is compared on the server only; the answer never carries it (the session is an HttpOnly cookie).
 */
import { z } from 'zod';

export const loginRequestSchema = z.strictObject({
  token: z.string().min(1, 'enter the console token').max(512, 'the token is at most 512 characters'),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const loginResponseSchema = z.object({ ok: z.literal(true), expiresMs: z.number() });
export type LoginResponse = z.infer<typeof loginResponseSchema>;
