/**
 * ops/grafana/updown-console.json against what the server exports: every query of the dashboard (panel targets and
 * annotations) is parsed and each metric it names must be a series of a real registry built over a real runtime (a
 * paper runtime on the simulator, scraped and parsed with a Prometheus text-format parser — no hand list of names);
 * histogram series are matched through `_bucket` / `_sum` / `_count`. The dashboard takes its datasource as the
 * `${DS_PROMETHEUS}` import input and covers every area the console promises (feeds, orders, fills, PnL, exposure,
 * kill switch, the three latency histograms as quantiles, event-loop delay, SSE clients). The name extractor is
 * checked on its own first, so a query naming an unknown series is caught.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { createRuntime, type Runtime } from '../../../bot/runtime';
import { openStore } from '../../../bot/store';
import { runtimeConfigSchema } from '../../../lib/schemas/config';
import { createEventMetrics, type RuntimeEventMetrics } from '../../../lib/server/metrics-events';
import { createMetricsRegistry } from '../../../lib/server/metrics';

const FILE = join(__dirname, '../../../ops/grafana/updown-console.json');

interface Target {
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  type: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  __inputs: { name: string; type: string; pluginId: string }[];
  panels: Panel[];
  annotations: { list: { expr?: string; datasource?: { uid?: string } }[] };
  uid: string;
  title: string;
}

/** PromQL words that are not series names (aggregations and functions are recognised by their `(`). */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'inf', 'nan', 'atan2']);

/** The series names a PromQL expression reads. */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""') // string literals
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges and subqueries
    .replace(/\boffset\s+-?\w+/gi, ' ') // offset durations
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' '); // grouping label lists
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const after = stripped.slice(m.index! + m[0].length);
    if (/^\s*\(/.test(after)) continue; // a function or aggregation
    if (KEYWORDS.has(m[0].toLowerCase())) continue;
    if (/[0-9.]$/.test(stripped.slice(0, m.index!)) && /^e[+-]?\d*$/i.test(m[0])) continue; // exponent of a number
    names.add(m[0]);
  }
  return [...names];
}

function allPanels(panels: readonly Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

describe('the PromQL name extractor', () => {
  it('finds the series and nothing else', () => {
    expect(metricNames('histogram_quantile(0.99, sum by (le) (rate(updown_x_seconds_bucket{job="a,b}"}[5m])))')).toEqual(['updown_x_seconds_bucket']);
    expect(metricNames('sum without (instance) (rate(a_total[1m] offset 5m)) / on (job) group_left (x) b > bool 1e3').sort()).toEqual(['a_total', 'b']);
    expect(metricNames('-updown_limit_usd and updown_ready == 1 or vector(0)').sort()).toEqual(['updown_limit_usd', 'updown_ready']);
  });
});

describe('ops/grafana/updown-console.json', () => {
  const dash = JSON.parse(readFileSync(FILE, 'utf8')) as Dashboard;
  let rt: Runtime;
  let events: RuntimeEventMetrics;
  const exported = new Map<string, string>(); // name -> TYPE

  beforeAll(async () => {
    const config = runtimeConfigSchema.parse({ mode: 'paper', venue: 'sim', sim: { seed: 3 } });
    rt = createRuntime({ instanceId: 'grafana-check', version: 't', config, clock: new SimClock(1791158400_000), store: openStore(':memory:') });
    events = createEventMetrics(rt);
    const registry = createMetricsRegistry(() => ({ runtime: rt, sse: { stats: { clients: 0, dropped: 0 } }, config: { hash: 'h' }, eventMetrics: events }));
    for (const f of parsePrometheusTextFormat(await registry.metrics())) exported.set(f.name, f.type);
  });
  afterAll(async () => {
    events?.dispose();
    await rt?.dispose('test done');
  });

  const queries = (): { where: string; expr: string }[] => [
    ...allPanels(dash.panels).flatMap((p) => (p.targets ?? []).map((t, i) => ({ where: `panel "${p.title}" target ${i}`, expr: t.expr ?? '' }))),
    ...dash.annotations.list.filter((a) => a.expr !== undefined).map((a) => ({ where: 'annotation', expr: a.expr! })),
  ];

  it('takes its Prometheus datasource as the DS_PROMETHEUS import input, on every panel and query', () => {
    expect(dash.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' })]);
    const withQueries = allPanels(dash.panels).filter((p) => p.type !== 'row');
    expect(withQueries.length).toBeGreaterThan(10);
    for (const p of withQueries) {
      expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: '${DS_PROMETHEUS}' });
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets!) expect(t.datasource?.uid, p.title).toBe('${DS_PROMETHEUS}');
    }
    expect(dash.uid).toBe('updown-console');
  });

  it('names only series the server exports (histograms through _bucket, _sum, _count)', () => {
    expect(exported.size).toBeGreaterThan(40);
    const unknown: string[] = [];
    for (const q of queries()) {
      expect(q.expr.trim(), q.where).not.toBe('');
      const names = metricNames(q.expr);
      expect(names.length, `${q.where}: ${q.expr}`).toBeGreaterThan(0);
      for (const n of names) {
        const base = n.replace(/_(bucket|sum|count)$/, '');
        const ok = n === base ? exported.has(n) && exported.get(n) !== 'HISTOGRAM' : exported.get(base) === 'HISTOGRAM';
        if (!ok) unknown.push(`${q.where}: ${n}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('covers every area: feeds, orders, fills, PnL, exposure, kill switch, latency quantiles, event loop, SSE clients', () => {
    const all = queries().map((q) => q.expr);
    const named = new Set(all.flatMap(metricNames));
    for (const m of [
      'updown_feed_last_message_age_seconds', 'updown_feed_messages_per_second', 'updown_feed_reconnects_total',
      'updown_orders', 'updown_order_transitions_total', 'updown_fills_total', 'updown_fill_notional_usd_total',
      'updown_pnl_realized_usd', 'updown_pnl_unrealized_usd', 'updown_strategy_pnl_realized_usd',
      'updown_exposure_usd', 'updown_strategy_exposure_usd', 'updown_trading_state',
      'updown_nodejs_eventloop_lag_p50_seconds', 'updown_nodejs_eventloop_lag_p99_seconds', 'updown_sse_clients',
    ]) expect(named, m).toContain(m);
    for (const h of ['updown_frame_to_decision_seconds', 'updown_decision_to_order_sent_seconds', 'updown_order_sent_to_ack_seconds']) {
      expect(all.some((e) => e.includes('histogram_quantile(0.99') && metricNames(e).includes(`${h}_bucket`)), `${h} p99`).toBe(true);
    }
  });
});
