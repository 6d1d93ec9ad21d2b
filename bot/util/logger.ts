/**
 * Structured JSON logs (pino) with secrets redacted by path and, for free-text messages, by shape.
 * bot/ code takes a Logger; only the composition root (lib/server/runtime-registry.ts) creates one.
 *
 * Every line can carry a stamp: fields read at write time (pino mixin) from one mutable object, so that a value
 * changed later (the config hash after a `config.changed`) is on every following line of every child logger without
 * rebinding anything. The server stamps `runId` (the runtime's instance id) and `configHash`.
 *
 * Invariants: the stamp is read, never copied at creation; a stamp field never overrides a field the caller logs
 * (pino merges the call's object over the mixin); secrets are redacted in the stamp too (same redact paths).
 */
import pino from 'pino';
import { redactPaths, redactString } from './redact';

export interface Logger {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
  debug(obj: Record<string, unknown>, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Fields put on every line, read when the line is written (change them in place). */
export interface LogStamp {
  /** The runtime's instance id (one per process run). */
  runId?: string;
  /** Hash of the configuration the runtime runs now. */
  configHash?: string;
}

/** Where lines go (default stdout): any pino destination, e.g. a stream a test reads. */
export type LogDestination = pino.DestinationStream;

export interface LoggerOptions {
  level?: string;
  name?: string;
  destination?: LogDestination;
  /** Read on every line; undefined fields are left out. */
  stamp?: LogStamp;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const stamp = opts.stamp;
  const base = pino(
    {
      name: opts.name ?? 'updown',
      level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: [...redactPaths], censor: '[REDACTED]' },
      ...(stamp ? { mixin: () => ({ ...stamp }) } : {}),
      hooks: {
        logMethod(args, method) {
          const safe = args.map((a) => (typeof a === 'string' ? redactString(a) : a)) as Parameters<typeof method>;
          return method.apply(this, safe);
        },
      },
    },
    opts.destination,
  );
  return base as unknown as Logger;
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: () => {},
  debug: () => {},
  child: () => silentLogger,
};
