'use client';
/** The most recent bus events, newest first. */
import type { BotEvent } from '../../lib/schemas/events';
import { formatTime } from '../../lib/format';
import { Card } from '../ui/card';

function summary(e: BotEvent): string {
  switch (e.type) {
    case 'runtime.state':
      return `${e.prevState} → ${e.state}${e.reason ? ` (${e.reason})` : ''}`;
    case 'runtime.heartbeat':
      return `uptime ${Math.round(e.uptimeMs / 1000)} s, ${e.eventsPerSec.toFixed(1)} ev/s`;
    case 'runtime.error':
      return `${e.source}: ${e.message.slice(0, 120)}`;
    case 'killswitch.changed':
      return `${e.prevState} → ${e.state} by ${e.actor}: ${e.reason}`;
    default:
      return JSON.stringify(e).slice(0, 160);
  }
}

export function RecentEvents({ events }: { events: BotEvent[] }) {
  const rows = events.filter((e) => e.type !== 'runtime.heartbeat').slice(-25).reverse();
  return (
    <Card title="Recent events" testId="recent-events">
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">No events yet.</p>
      ) : (
        <table className="w-full table-fixed text-left text-sm">
          <thead className="text-xs text-slate-500">
            <tr>
              <th className="w-16 py-1">seq</th>
              <th className="w-32">time (UTC)</th>
              <th className="w-44">type</th>
              <th>detail</th>
            </tr>
          </thead>
          <tbody className="font-mono text-xs">
            {rows.map((e) => (
              <tr key={e.seq} className="border-t border-slate-800">
                <td className="py-1 text-slate-500">{e.seq}</td>
                <td>{formatTime(e.tsEventMs)}</td>
                <td className="text-sky-300">{e.type}</td>
                <td className="truncate" title={summary(e)}>{summary(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
