/** Shared helpers for the config tests: a service over a temp data directory and an in-memory (or given) store, and fake targets. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { openConfigService, type ConfigService, type ConfigTarget, type GuardrailContext, type PathMatcher } from '../../../bot/config';
import { openStore, type Store } from '../../../bot/store';
import type { RuntimeConfig } from '../../../lib/schemas/config';
import type { BotEvent } from '../../../lib/schemas/events';

export const T0 = 1_800_000_000_000;

export interface Harness {
  svc: ConfigService;
  store: Store;
  dir: string;
  events: BotEvent[];
  clock: SimClock;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  file?: unknown;
  store?: Store;
  dir?: string;
  mode?: 'server' | 'offline';
  guard?: Partial<GuardrailContext>;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'updown-config-'));
}

export function openHarness(o: HarnessOptions = {}): Harness {
  const dir = o.dir ?? tempDir();
  if (o.file !== undefined) writeFileSync(join(dir, 'config.json'), typeof o.file === 'string' ? o.file : JSON.stringify(o.file));
  const store = o.store ?? openStore(':memory:');
  const clock = new SimClock(T0);
  const bus = new EventBus({ clock });
  const events: BotEvent[] = [];
  bus.onAny((e) => events.push(e));
  const svc = openConfigService({
    dataDir: dir,
    env: o.env ?? {},
    store,
    nowMs: () => clock.nowMs(),
    guard: { hasLiveCredentials: () => false, host: '127.0.0.1', consoleTokenSet: false, ...o.guard },
    mode: o.mode ?? 'server',
  });
  svc.connect((e) => bus.publish(e));
  return { svc, store, dir, events, clock };
}

/** A runtime part stand-in: holds the config it was given, counts applies, throws when `failWhen` says so. */
export class FakeTarget implements ConfigTarget {
  state: RuntimeConfig;
  applies$ = 0;
  calls: string[] = [];
  constructor(
    readonly name: string,
    private readonly matches: PathMatcher,
    initial: RuntimeConfig,
    private readonly failWhen: (next: RuntimeConfig) => boolean = () => false,
  ) {
    this.state = initial;
  }
  applies(paths: readonly string[]): boolean {
    return paths.some(this.matches);
  }
  apply(next: RuntimeConfig): void {
    this.calls.push('apply');
    if (this.failWhen(next)) throw new Error(`${this.name} cannot take it`);
    this.state = next;
    this.applies$++;
  }
}
