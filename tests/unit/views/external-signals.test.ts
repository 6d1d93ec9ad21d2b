/**
 * The Feeds page's External signals rows (lib/schemas/external-signals.ts folded by bot/views/feed-timeline.ts) on a
 * real EventBus and a SimClock: one row per signal id with the last good reading, a failing poll keeping that reading
 * and recording its error, the last error kept after the source recovers, the bound on sources (below, at and above
 * it: the source polled longest ago evicted), seeding from the bus history, old snapshots without the field parsing,
 * and the panel's served-age arithmetic.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { FeedTimeline } from '../../../bot/views/feed-timeline';
import type { EventInput } from '../../../lib/schemas/events';
import { externalSignalLimits } from '../../../lib/schemas/external-signals';
import { emptyFeedsSnapshot, feedsSnapshotSchema, type FeedsSnapshot } from '../../../lib/schemas/feeds';
import { servedAgeNow } from '../../../components/feeds/external-format';

const T0 = 1_795_242_000_000;
const timelines: FeedTimeline[] = [];
afterEach(() => {
  for (const t of timelines.splice(0)) t.dispose();
});

function setup(historySize?: number) {
  const clock = new SimClock(T0);
  const bus = new EventBus({ clock, ...(historySize !== undefined ? { historySize } : {}) });
  const publishAt = (ms: number, e: EventInput) => {
    clock.advanceTo(ms);
    bus.publish(e);
  };
  const open = () => {
    const t = new FeedTimeline({ bus, clock });
    timelines.push(t);
    return t;
  };
  return { clock, bus, publishAt, open };
}

type Sig = Extract<EventInput, { type: 'signal.external' }>;
const ok = (id: string, raw: number, o: Partial<Sig> = {}): EventInput => ({
  type: 'signal.external', id, source: 'simulator', ok: true, raw, score: 0.25, direction: 1, strength: 0.25, confidence: 0.8, servedAgeMs: 0, failures: 0, badBodies: 0, ...o,
});
const fail = (id: string, error: string, o: Partial<Sig> = {}): EventInput => ({ type: 'signal.external', id, source: 'simulator', ok: false, error, failures: 1, badBodies: 0, ...o });
const parse = (s: FeedsSnapshot) => feedsSnapshotSchema.parse(JSON.parse(JSON.stringify(s)));
const row = (s: FeedsSnapshot, id: string) => s.externalSignals?.find((r) => r.id === id);

describe('FeedTimeline external signals', () => {
  it('starts with no rows and lists one row per signal id, in id order, with the last reading', () => {
    const { publishAt, open } = setup();
    const tl = open();
    expect(parse(tl.snapshot()).externalSignals).toEqual([]);
    publishAt(T0 + 1_000, ok('putCallRatio', 0.71, { source: 'deribit', score: -0.02, direction: 0 }));
    publishAt(T0 + 2_000, ok('fearGreed', 54, { source: 'alternative.me', score: 0.1, confidence: 0.5, servedAgeMs: 120 }));
    publishAt(T0 + 3_000, ok('putCallRatio', 0.65, { source: 'deribit', score: 0.07, direction: 1 }));
    const s = parse(tl.snapshot());
    expect(s.externalSignals!.map((r) => r.id)).toEqual(['fearGreed', 'putCallRatio']);
    expect(row(s, 'putCallRatio')).toMatchObject({ ok: true, source: 'deribit', raw: 0.65, score: 0.07, direction: 1, polledMs: T0 + 3_000, lastOkMs: T0 + 3_000, lastError: null });
    expect(row(s, 'fearGreed')).toMatchObject({ raw: 54, confidence: 0.5, servedAgeMs: 120, polledMs: T0 + 2_000 });
  });

  it('a failing poll keeps the last good reading, shows the error and counters, and the error outlives recovery', () => {
    const { publishAt, open } = setup();
    const tl = open();
    publishAt(T0 + 1_000, ok('fearGreed', 54));
    publishAt(T0 + 61_000, fail('fearGreed', 'HTTP 503', { failures: 1, badBodies: 0, servedAgeMs: 60_000 }));
    let r = row(parse(tl.snapshot()), 'fearGreed');
    expect(r).toMatchObject({ ok: false, raw: 54, score: 0.25, lastOkMs: T0 + 1_000, lastError: 'HTTP 503', lastErrorMs: T0 + 61_000, failures: 1, servedAgeMs: 60_000 });
    publishAt(T0 + 121_000, fail('fearGreed', 'bad body: no value', { failures: 2, badBodies: 1 }));
    r = row(parse(tl.snapshot()), 'fearGreed');
    expect(r).toMatchObject({ ok: false, lastError: 'bad body: no value', failures: 2, badBodies: 1, servedAgeMs: null });
    publishAt(T0 + 181_000, ok('fearGreed', 60, { failures: 2, badBodies: 1 }));
    r = row(parse(tl.snapshot()), 'fearGreed');
    expect(r).toMatchObject({ ok: true, raw: 60, lastOkMs: T0 + 181_000, lastError: 'bad body: no value', lastErrorMs: T0 + 121_000, failures: 2, badBodies: 1 });
  });

  it('clips an over-long error to the schema bound', () => {
    const { publishAt, open } = setup();
    const tl = open();
    publishAt(T0 + 1_000, fail('putCallRatio', 'x'.repeat(300)));
    expect(row(parse(tl.snapshot()), 'putCallRatio')!.lastError).toHaveLength(externalSignalLimits.error);
  });

  it.each([
    { ids: externalSignalLimits.sources - 1, kept: externalSignalLimits.sources - 1, evicted: false },
    { ids: externalSignalLimits.sources, kept: externalSignalLimits.sources, evicted: false },
    { ids: externalSignalLimits.sources + 1, kept: externalSignalLimits.sources, evicted: true },
  ])('$ids sources keep $kept rows (the source polled longest ago evicted: $evicted)', ({ ids, kept, evicted }) => {
    const { publishAt, open } = setup();
    const tl = open();
    // s00 is polled first, then re-polled last but one so s01 is the one polled longest ago.
    for (let i = 0; i < ids - 1; i++) publishAt(T0 + 1_000 * (i + 1), ok(`s${String(i).padStart(2, '0')}`, i));
    publishAt(T0 + 1_000 * ids, ok('s00', 100));
    publishAt(T0 + 1_000 * (ids + 1), ok(`s${String(ids - 1).padStart(2, '0')}`, ids - 1));
    const s = parse(tl.snapshot());
    expect(s.externalSignals).toHaveLength(kept);
    expect(row(s, 's00')?.raw).toBe(100);
    expect(row(s, 's01') === undefined).toBe(evicted);
  });

  it('is seeded from the bus history (events published before the timeline existed)', () => {
    const { publishAt, open } = setup(1_000);
    publishAt(T0 + 1_000, ok('putCallRatio', 0.7));
    publishAt(T0 + 2_000, fail('putCallRatio', 'timeout after 5000 ms'));
    const r = row(parse(open().snapshot()), 'putCallRatio');
    expect(r).toMatchObject({ ok: false, raw: 0.7, lastError: 'timeout after 5000 ms', polledMs: T0 + 2_000 });
  });

  it('parses an old snapshot without the field', () => {
    const { externalSignals: _dropped, ...old } = emptyFeedsSnapshot(T0);
    expect(feedsSnapshotSchema.parse(old).externalSignals).toBeUndefined();
  });

  it('ages the served value from the poll to now, and shows none when nothing is served', () => {
    expect(servedAgeNow({ servedAgeMs: 1_500, polledMs: T0 }, T0 + 10_000)).toBe(11_500);
    expect(servedAgeNow({ servedAgeMs: 1_500, polledMs: T0 }, T0 - 5)).toBe(1_500);
    expect(servedAgeNow({ servedAgeMs: null, polledMs: T0 }, T0 + 10_000)).toBeNull();
  });
});
