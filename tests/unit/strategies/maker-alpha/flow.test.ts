import { describe, expect, it } from 'vitest';
import { bookImbalance, flowWidening, orderFlowImbalance } from '../../../../bot/strategies/two-sided-maker/flow';
import { levels } from '../world';

const NOW = 1_000_000;
/** Buy-side and sell-side taker volume (Up terms) at `ago` seconds before NOW. */
const flow = (bull: number, bear: number, ago = 1) => [
  { tsMs: NOW - ago * 1000, signed: bull, size: bull },
  { tsMs: NOW - ago * 1000, signed: -bear, size: bear },
];
const W = { ofiWiden: 0.01, bookImbalanceThreshold: 0.5, bookImbalanceWiden: 0.02 };
const NOBOOK = { imbalance: 0, depth: 0 };

describe('order-flow imbalance (FLOW_IMBALANCE_THRESHOLD 0.15, FLOW_WINDOW_SECONDS 60)', () => {
  it('triggers at and above the threshold, not just below it, in either direction', () => {
    expect(orderFlowImbalance(flow(57, 43), NOW, 60, 0.15, 20)).toMatchObject({ triggered: false }); // 0.14
    expect(orderFlowImbalance(flow(57.5, 42.5), NOW, 60, 0.15, 20)).toMatchObject({ ofi: 0.15, triggered: true });
    expect(orderFlowImbalance(flow(58, 42), NOW, 60, 0.15, 20).triggered).toBe(true); // 0.16
    expect(orderFlowImbalance(flow(42, 58), NOW, 60, 0.15, 20)).toMatchObject({ triggered: true });
    expect(orderFlowImbalance(flow(42, 58), NOW, 60, 0.15, 20).ofi).toBeCloseTo(-0.16, 12);
  });
  it('needs the minimum volume and only counts trades inside the window', () => {
    expect(orderFlowImbalance(flow(10, 0), NOW, 60, 0.15, 10).triggered).toBe(true);
    expect(orderFlowImbalance(flow(9.99, 0), NOW, 60, 0.15, 10).triggered).toBe(false);
    expect(orderFlowImbalance(flow(30, 0, 60), NOW, 60, 0.15, 20)).toMatchObject({ volume: 30, triggered: true }); // at the edge
    expect(orderFlowImbalance(flow(30, 0, 60.001), NOW, 60, 0.15, 20)).toMatchObject({ volume: 0, triggered: false });
  });
  it('widens the spread by ofiWiden only when triggered', () => {
    const on = orderFlowImbalance(flow(58, 42), NOW, 60, 0.15, 20);
    const off = orderFlowImbalance(flow(57, 43), NOW, 60, 0.15, 20);
    expect(flowWidening(on, NOBOOK, W).spreadAdd).toBe(0.01);
    expect(flowWidening(off, NOBOOK, W).spreadAdd).toBe(0);
  });
});

describe('book imbalance from depth', () => {
  it('sums the top N levels: Up bids + Down asks against Up asks + Down bids', () => {
    const up = { bids: levels([[0.5, 30], [0.49, 10], [0.48, 1000]]), asks: levels([[0.52, 10]]) };
    const down = { bids: levels([[0.48, 10]]), asks: levels([[0.5, 10]]) };
    expect(bookImbalance(up, down, 2)).toEqual({ imbalance: (50 - 20) / 70, depth: 70 });
    expect(bookImbalance(up, down, 3).depth).toBe(1070);
    expect(bookImbalance({ bids: [], asks: [] }, { bids: [], asks: [] }, 3)).toEqual({ imbalance: 0, depth: 0 });
  });
  it('widens at and above its threshold, not below', () => {
    const off = orderFlowImbalance([], NOW, 60, 0.15, 20);
    expect(flowWidening(off, { imbalance: 0.49, depth: 100 }, W).spreadAdd).toBe(0);
    expect(flowWidening(off, { imbalance: -0.5, depth: 100 }, W)).toMatchObject({ spreadAdd: 0.02, bookTriggered: true });
    expect(flowWidening(off, { imbalance: 0.51, depth: 100 }, W).bookTriggered).toBe(true);
  });
});
