/**
 * The sweep's robust ranges: per parameter, the min .. max and the distinct values seen in the top share of the
 * runs ranked by the job's metric (bot/replay/robust-ranges.ts). Nothing ranked (every run failed or had no
 * finite metric): an explanation instead of an empty list.
 */
import { Empty } from '../dashboard/numbers';
import { formatParam, type SweepResult } from './sweep-result';

export function RobustRanges({ ranges }: { ranges: SweepResult['robustRanges'] }) {
  const entries = Object.entries(ranges.ranges);
  const share = ranges.topFraction !== undefined ? `${Math.round(ranges.topFraction * 100)} %` : 'top';
  if (entries.length === 0) return <Empty testId="ranges-empty">No run could be ranked by {ranges.metric}: no robust range.</Empty>;
  return (
    <div className="flex flex-col gap-2" data-testid="robust-ranges">
      <p className="text-xs text-slate-500">
        top {share} of {ranges.ranked ?? '?'} ranked runs by <span className="font-mono text-slate-300">{ranges.metric}</span> ({ranges.higherIsBetter === false ? 'lower' : 'higher'} is better) · best run{' '}
        <span className="font-mono text-slate-300">#{ranges.top[0] ?? '—'}</span>
      </p>
      <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
        {entries.map(([key, r]) => (
          <div key={key} className="contents" data-testid="range-row" data-param={key}>
            <dt className="break-all font-mono text-slate-400">{key}</dt>
            <dd className="mb-1 font-mono tabular-nums text-slate-200 sm:mb-0">
              {r.min !== null && r.max !== null ? `${r.min} .. ${r.max}` : '—'}
              <span className="ml-2 text-xs text-slate-500">values {r.values.map(formatParam).join(', ')}</span>
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
