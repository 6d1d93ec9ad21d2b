'use client';
/**
 * The Strategy page's "Signals" card for one instance (issue 14): why it quoted or traded — the picked window's latest
 * signal record in plain words (its summary), the readings (value, direction, strength, confidence, weight, state,
 * on / off, effect), the model outputs as a key / value grid, and the chart of signed readings over time.
 *
 * Invariants: an instance with no record shows the empty note; the table scrolls inside the card (nothing clipped at
 * 390 px); numbers right-aligned and tabular; every shown figure carries its raw value in `data-value` (checked
 * against the API by the e2e spec).
 */
import { memo, useMemo, useState } from 'react';
import { formatClock } from '../../lib/format';
import type { SignalReading } from '../../lib/schemas/events';
import type { SignalRow, StrategySignals } from '../../lib/schemas/strategy-signals';
import { Empty } from '../dashboard/numbers';
import { Badge } from '../ui/badge';
import { Card } from '../ui/card';
import { windowLabel } from '../ui/window-label';
import { SignalChart } from './signal-chart';
import { fmtDirection, fmtModel, fmtShare, fmtSignalValue, fmtWeight } from './signal-format';

const keyOf = (r: SignalRow) => r.record.windowSlug ?? '';
const dirTone = (d: SignalReading['direction']) => (d === 1 ? 'text-emerald-400' : d === -1 ? 'text-red-400' : 'text-slate-400');

function StrengthBar({ v }: { v: number | undefined }) {
  if (v === undefined) return <span>—</span>;
  return (
    <span className="inline-flex items-center justify-end gap-1.5">
      <span className="inline-block h-1.5 w-12 overflow-hidden rounded bg-slate-800" aria-hidden>
        <span className="block h-full bg-sky-500" style={{ width: `${Math.round(v * 100)}%` }} />
      </span>
      <span>{fmtShare(v)}</span>
    </span>
  );
}

function ReadingsTable({ readings }: { readings: readonly SignalReading[] }) {
  if (readings.length === 0) return <Empty testId="readings-empty">This record carries no readings.</Empty>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[720px] text-left text-sm" data-testid="readings-table">
        <thead className="text-xs text-slate-500">
          <tr>
            <th className="py-1 font-normal">signal</th>
            <th className="text-right font-normal" title="raw value in the signal's own unit">value</th>
            <th className="text-center font-normal" title="↑ favours Up, ↓ favours Down, · neutral">dir</th>
            <th className="text-right font-normal" title="0–1">strength</th>
            <th className="text-right font-normal" title="0–1">conf.</th>
            <th className="text-right font-normal">weight</th>
            <th className="pl-3 font-normal">state</th>
            <th className="font-normal">on</th>
            <th className="font-normal">effect</th>
          </tr>
        </thead>
        <tbody className="font-mono text-xs tabular-nums">
          {readings.map((r) => (
            <tr key={r.id} className={`border-t border-slate-800 ${r.active ? '' : 'text-slate-500'}`} data-testid="reading-row" data-id={r.id}>
              <td className="whitespace-nowrap py-1 pr-2 font-sans" data-cell="id">{r.id}</td>
              <td className="pr-2 text-right" data-cell="value">{fmtSignalValue(r.value)}</td>
              <td className={`px-2 text-center ${dirTone(r.direction)}`} data-cell="direction">{fmtDirection(r.direction)}</td>
              <td className="whitespace-nowrap pr-2 text-right" data-cell="strength"><StrengthBar v={r.strength} /></td>
              <td className="pr-2 text-right" data-cell="confidence">{fmtShare(r.confidence)}</td>
              <td className="pr-2 text-right" data-cell="weight">{fmtWeight(r.weight)}</td>
              <td className="whitespace-nowrap pl-3 pr-2 font-sans" data-cell="state">{r.state ?? '—'}</td>
              <td className={`pr-2 font-sans ${r.active ? 'text-emerald-300' : 'text-slate-500'}`} data-cell="active">{r.active ? 'active' : 'off'}</td>
              <td className="max-w-[18rem] truncate font-sans" title={r.effect} data-cell="effect">{r.effect ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ModelGrid({ model }: { model: Record<string, number | string | boolean> | undefined }) {
  const entries = Object.entries(model ?? {});
  if (entries.length === 0) return null;
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-1 sm:grid-cols-3 lg:grid-cols-6" data-testid="model-grid">
      {entries.map(([k, v]) => (
        <div key={k} className="min-w-0" data-testid="model-item" data-key={k}>
          <dt className="truncate text-xs text-slate-500" title={k}>{k}</dt>
          <dd className="truncate font-mono text-sm tabular-nums" title={String(v)} data-cell="model-value">{fmtModel(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

function WindowTabs({ rows, current, onPick }: { rows: readonly SignalRow[]; current: string; onPick: (k: string) => void }) {
  if (rows.length < 2) return null;
  return (
    <div className="flex flex-wrap justify-end gap-1" role="group" aria-label="window" data-testid="signal-windows">
      {rows.map((r) => (
        <button
          key={keyOf(r)}
          type="button"
          aria-pressed={keyOf(r) === current}
          onClick={() => onPick(keyOf(r))}
          className={`rounded px-2 py-0.5 text-xs ${keyOf(r) === current ? 'bg-slate-700 text-slate-100' : 'bg-slate-800/60 text-slate-400 hover:text-slate-200'}`}
        >
          {r.record.windowSlug ? windowLabel(r.record.windowSlug) : 'no window'}
        </button>
      ))}
    </div>
  );
}

function SignalsCardImpl({ signals }: { signals: StrategySignals | undefined }) {
  const [picked, setPicked] = useState<string | null>(null);
  const latest = signals?.latest ?? [];
  const row = latest.find((r) => keyOf(r) === picked) ?? latest[0];
  const preferred = useMemo(() => (latest[0]?.record.readings ?? []).map((x) => x.id), [latest]);
  if (!signals || !row) {
    return (
      <Card title="Signals" testId="signals-card">
        <Empty testId="signals-empty">No signals yet — this strategy publishes them on each quote/trade.</Empty>
      </Card>
    );
  }
  const r = row.record;
  const active = r.readings.filter((x) => x.active).length;
  return (
    <Card title="Signals" testId="signals-card" actions={<WindowTabs rows={latest} current={keyOf(row)} onPick={setPicked} />}>
      <div className="flex flex-col gap-3" data-seq={row.seq}>
        <div className="flex flex-col gap-1">
          <p className="text-sm text-slate-100" data-testid="signals-summary">{r.summary}</p>
          <div className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-400">
            <span title={r.windowSlug} data-testid="signals-window">{r.windowSlug ? windowLabel(r.windowSlug) : 'no window'}</span>
            <span className="font-mono tabular-nums" data-testid="signals-time">{formatClock(r.atMs)} UTC</span>
            <span className="tabular-nums"><span data-testid="signals-active">{active}</span> of {r.readings.length} signals active</span>
            <span className="tabular-nums" data-testid="signals-count">{signals.count} records</span>
            <Badge tone="neutral">{r.strategyType}</Badge>
          </div>
        </div>
        <ModelGrid model={r.model} />
        <div className="grid grid-cols-1 gap-4 xl:grid-cols-5">
          <div className="min-w-0 xl:col-span-3">
            <ReadingsTable readings={r.readings} />
          </div>
          <div className="min-w-0 xl:col-span-2">
            <SignalChart history={signals.history} preferred={preferred} />
          </div>
        </div>
      </div>
    </Card>
  );
}

export const SignalsCard = memo(SignalsCardImpl);
