/**
 * Robust ranges (seed 001: rank by a metric, keep the top 20 % — floor, at least one — and report each parameter's
 * min / max / values there), deterministic tie-breaking, exclusion of failed runs, and the CSV / JSON exports.
 */
import { describe, expect, it } from 'vitest';
import { rankRows, robustRanges, sweepReport, toCsv, type SweepRow } from '../../../bot/replay/robust-ranges';

const row = (index: number, params: SweepRow['params'], metrics: SweepRow['metrics'], extra: Partial<SweepRow> = {}): SweepRow => ({
  index,
  params,
  metrics,
  ...extra,
});

/** 10 runs over dMin 1..10 whose PnL peaks at dMin 6 and 7: pnl = 10 − |dMin − 6.5|·2. */
const peaked = Array.from({ length: 10 }, (_, i) => row(i, { 'hammer.dMin': i + 1, 'hammer.pHatModel': i % 2 ? 'spot' : 'twap' }, { totalPnl: 10 - Math.abs(i + 1 - 6.5) * 2, maxDrawdown: i }));

describe('robustRanges', () => {
  it('keeps the top 20 % by the metric and reports min, max and values per parameter', () => {
    const r = robustRanges(peaked, { metric: 'totalPnl', higherIsBetter: true });
    expect(r.ranked).toBe(10);
    // pnl 9 at dMin 6 and 7 are the two best; equal scores go by point index.
    expect(r.top).toEqual([5, 6]);
    expect(r.ranges['hammer.dMin']).toEqual({ min: 6, max: 7, values: [6, 7] });
    expect(r.ranges['hammer.pHatModel']).toEqual({ min: null, max: null, values: ['spot', 'twap'] });
    expect(r.topFraction).toBe(0.2);
  });

  it('ranks ascending when lower is better, and honours topFraction', () => {
    const r = robustRanges(peaked, { metric: 'maxDrawdown', higherIsBetter: false, topFraction: 0.5 });
    expect(r.top).toEqual([0, 1, 2, 3, 4]);
    expect(r.ranges['hammer.dMin']).toEqual({ min: 1, max: 5, values: [1, 2, 3, 4, 5] });
  });

  it('takes floor(n × fraction) but at least one, as seed 001 (len // 5)', () => {
    const n = (count: number, topFraction?: number) =>
      robustRanges(
        Array.from({ length: count }, (_, i) => row(i, { x: i }, { m: i })),
        { metric: 'm', higherIsBetter: true, topFraction },
      ).top.length;
    expect(n(3)).toBe(1);
    expect(n(4)).toBe(1);
    expect(n(12)).toBe(2);
    expect(n(15)).toBe(3);
    expect(n(35)).toBe(7);
    expect(n(100, 0.29)).toBe(29);
    expect(n(7, 1)).toBe(7);
    expect(robustRanges([], { metric: 'm', higherIsBetter: true })).toMatchObject({ ranked: 0, top: [], ranges: {} });
  });

  it('breaks ties by the tie-breakers, then by index, whatever the row order', () => {
    const rows = [
      row(0, { a: 1 }, { pnl: 5, win: 0.5 }),
      row(1, { a: 2 }, { pnl: 5, win: 0.7 }),
      row(2, { a: 3 }, { pnl: 5, win: 0.7 }),
      row(3, { a: 4 }, { pnl: 4, win: 0.9 }),
    ];
    const opts = { metric: 'pnl', higherIsBetter: true, tieBreakers: [{ metric: 'win', higherIsBetter: true }] };
    const order = rankRows(rows, opts).map((r) => r.index);
    expect(order).toEqual([1, 2, 0, 3]);
    expect(rankRows([...rows].reverse(), opts).map((r) => r.index)).toEqual(order);
    expect(rankRows([rows[2]!, rows[0]!, rows[3]!, rows[1]!], { metric: 'pnl', higherIsBetter: true }).map((r) => r.index)).toEqual([0, 1, 2, 3]);
  });

  it('leaves out failed runs and runs without a numeric metric', () => {
    const rows = [
      row(0, { a: 1 }, { pnl: 100 }, { error: 'boom' }),
      row(1, { a: 2 }, { pnl: 'n/a' }),
      row(2, { a: 3 }, {}),
      row(3, { a: 4 }, { pnl: -1 }),
      row(4, { a: 5 }, { pnl: 2 }),
    ];
    const r = robustRanges(rows, { metric: 'pnl', higherIsBetter: true });
    expect(r.ranked).toBe(2);
    expect(r.top).toEqual([4]);
    expect(r.ranges).toEqual({ a: { min: 5, max: 5, values: [5] } });
    expect(() => robustRanges(rows, { metric: 'pnl', higherIsBetter: true, topFraction: 0 })).toThrow(/topFraction/);
    expect(() => robustRanges(rows, { metric: 'pnl', higherIsBetter: true, topFraction: 1.5 })).toThrow(/topFraction/);
  });
});

describe('exports', () => {
  const rows = [
    row(1, { 'hammer.dMin': 5, note: 'a,b' }, { totalPnl: 1.5, label: 'say "hi"' }, { threadId: 7 }),
    row(0, { 'hammer.dMin': 3, note: 'plain' }, { totalPnl: -0.25, index: 9 }, { threadId: 8 }),
    row(2, { 'hammer.dMin': 8, note: 'x' }, {}, { error: 'line1\nline2', threadId: 7 }),
  ];

  it('writes RFC 4180 CSV in point order with params, metrics and error', () => {
    expect(toCsv(rows)).toBe(
      [
        'index,hammer.dMin,note,totalPnl,metric:index,label,error',
        '0,3,plain,-0.25,9,,',
        '1,5,"a,b",1.5,,"say ""hi""",',
        '2,8,x,,,,"line1\nline2"',
        '',
      ].join('\n'),
    );
  });

  it('writes the JSON report: runs in point order without thread ids, and the robust ranges', () => {
    const report = sweepReport(rows, { metric: 'totalPnl', higherIsBetter: true });
    expect(report.runs.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(report.runs.some((r) => 'threadId' in r)).toBe(false);
    expect(report.runs[2]).toEqual({ index: 2, params: { 'hammer.dMin': 8, note: 'x' }, metrics: {}, error: 'line1\nline2' });
    expect(report.robustRanges.top).toEqual([1]);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});
