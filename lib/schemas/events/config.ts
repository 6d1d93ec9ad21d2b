/**
 * Config events: `config.changed` is published once per journaled configuration version (an operator's apply,
 * revert or profile choice, and pending restart-required changes applied at a start). The diff summary is
 * bounded: at most 50 entries, values as JSON cut to 200 characters; `hot` lists what took effect now, `pending`
 * what waits for a restart.
 */
import { z } from 'zod';
import { defineEvent } from './base';

export const configChangeKinds = ['apply', 'revert', 'profile', 'startup', 'restart'] as const;

export const configEvents = [
  defineEvent('config.changed', {
    version: z.number().int().positive(),
    hash: z.string(),
    kind: z.enum(configChangeKinds),
    actor: z.string(),
    reason: z.string(),
    source: z.string(),
    diff: z.array(z.object({ path: z.string(), from: z.string().optional(), to: z.string().optional(), hot: z.boolean() })).max(50),
    /** Number of changed fields (the diff above may be cut). */
    changed: z.number().int().nonnegative(),
    hot: z.array(z.string()).max(200),
    pending: z.array(z.string()).max(200),
  }),
] as const;
