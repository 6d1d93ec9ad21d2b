/**
 * Structured JSON logs (pino) with secrets redacted by path and, for free-text messages, by shape.
 * bot/ code takes a Logger; only the composition root creates one.
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

export function createLogger(opts: { level?: string; name?: string; destination?: pino.DestinationStream } = {}): Logger {
  const base = pino(
    {
      name: opts.name ?? 'updown',
      level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: [...redactPaths], censor: '[REDACTED]' },
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
