/**
 * Crash points for the crash-safety battery (B11): production code calls `crashPoint(name)` at a few named
 * places in the order path; a test child process armed with `UPDOWN_CRASH_AT=<name>[:<nth>]` kills itself with
 * SIGKILL (no handlers, no flush, exactly like a power cut) the nth time (default 1st) that point is reached.
 *
 * Inert in production: the environment is read ONCE, when this module loads (on purpose here, where bot/
 * otherwise takes its environment as an argument: no config file, API or console path can arm it). Unset (the
 * normal case) => `crashPoint` is a comparison against `undefined` and a return. Only tests set the variable; a
 * malformed value throws at load, so a typo never silently disarms a crash test.
 *
 * Points:
 * - `after-journal-write`: the order is journaled `submitted` (venue id and salt known) and its bytes not sent.
 * - `after-send`: the venue answered the POST; the answer is not applied (nor journaled) yet.
 * - `after-fill-before-persist`: a new fill is in the tracker's memory but not in the journal.
 */
export const CRASH_POINTS = ['after-journal-write', 'after-send', 'after-fill-before-persist'] as const;
export type CrashPointName = (typeof CRASH_POINTS)[number];

export interface CrashArming {
  name: CrashPointName;
  /** Crash on the nth time the point is reached (1-based). */
  nth: number;
}

/** Parse `<name>[:<nth>]`; undefined when unset or empty. Throws on an unknown name or a bad count. */
export function parseCrashAt(raw: string | undefined): CrashArming | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const [name, count, ...rest] = raw.trim().split(':');
  const nth = count === undefined ? 1 : Number(count);
  if (!(CRASH_POINTS as readonly string[]).includes(name!) || rest.length > 0 || !Number.isInteger(nth) || nth < 1) {
    throw new Error(`UPDOWN_CRASH_AT=${raw}: expected <name>[:<nth>] with name one of ${CRASH_POINTS.join(', ')} and nth >= 1`);
  }
  return { name: name as CrashPointName, nth };
}

const armed = parseCrashAt(process.env.UPDOWN_CRASH_AT);
let reached = 0;

/** Die here (SIGKILL, synchronously) when this process was armed for this point and this is the nth time. */
export function crashPoint(name: CrashPointName): void {
  if (armed === undefined || armed.name !== name) return;
  reached++;
  if (reached >= armed.nth) process.kill(process.pid, 'SIGKILL');
}
