'use client';
/** The most recent bus events, newest first. */
import type { BotEvent } from '../../lib/schemas/events';
import { formatBtcUsd, formatTime } from '../../lib/format';
import { Card } from '../ui/card';

const token = (id: string) => `${id.slice(0, 8)}…`;

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
    case 'arming.changed':
      return `live trading ${e.armed ? 'ARMED' : 'disarmed'} by ${e.actor}${e.automatic ? ' (automatic)' : ''}: ${e.reason}${e.canceled !== undefined ? ` · ${e.canceled} order${e.canceled === 1 ? '' : 's'} cancelled` : ''}`;
    case 'market.state':
      return `${e.slug}: ${e.prevState} → ${e.state}`;
    case 'market.resolved':
      return `${e.slug}: ${e.winner.toUpperCase()} won`;
    case 'order.state':
      return `${e.clientTag}: ${e.prevState} → ${e.state}${e.reason ? ` (${e.reason})` : ''}`;
    case 'order.filled':
      return `${e.clientTag}: ${e.side} ${e.size} @ ${e.price} (${e.liquidity}, fee ${e.feeUsd})${e.provisional ? ' provisional' : ''}`;
    case 'strategy.decision':
      return `${e.record.strategyId} ${e.record.windowSlug}: ${e.record.action} — ${e.record.reason}`;
    case 'risk.denied':
      return `${e.clientTag}: ${e.rule} — ${e.reason}`;
    case 'position.settled':
      return `${e.windowSlug}: ${e.shares} shares paid ${e.payoutUsd}, realised ${e.realizedUsd}`;
    case 'market.discovered':
      return `${e.slug}: discovered (${e.version}, tick ${e.tickSize}, min ${e.minOrderSize})`;
    case 'market.price_to_beat':
      return `${e.slug}: price to beat ${formatBtcUsd(e.priceUsd)}${e.gammaPriceUsd !== undefined ? ` (Gamma ${formatBtcUsd(e.gammaPriceUsd)})` : ''}`;
    case 'market.lookup_failed':
      return `${e.slug}: lookup #${e.attempt} failed — ${e.reason}`;
    case 'book.tick_size':
      return `token ${token(e.tokenId)}: tick size ${e.tickSize}`;
    case 'book.invalidated':
      return `token ${token(e.tokenId)}: book reset (epoch ${e.epoch}) — ${e.reason}`;
    case 'feed.stale':
      return `${e.feed} stale (${(e.ageMs / 1000).toFixed(1)} s)`;
    case 'feed.recovered':
      return `${e.feed} recovered`;
    case 'feed.bad_frame':
      return `${e.feed}: bad frame #${e.count} — ${e.reason}`;
    case 'feed.degraded':
      return `${e.degraded ? 'degraded' : 'normal'}: ${e.reason}; orders ${e.ordersAllowed ? 'allowed' : 'blocked'}`;
    case 'risk.cooldown':
      return `${e.rule} until ${formatTime(e.untilMs)}: ${e.reason}`;
    case 'order.fill_confirmed':
      return `${e.clientTag}: trade ${e.tradeId} confirmed`;
    case 'order.fill_voided':
      return `${e.clientTag}: trade ${e.tradeId} voided — ${e.reason}`;
    case 'reconcile.completed':
      return `${e.ok ? 'ok' : 'incomplete'}: ${e.openOrders} open, ${e.adopted} adopted, ${e.canceledOrphans} orphans cancelled, ${e.trades} trades${e.reason ? ` (${e.reason})` : ''}`;
    case 'venue.status':
      return `${e.status}${e.reason ? `: ${e.reason}` : ''}`;
    case 'venue.heartbeat':
      return `${e.ok ? 'ok' : 'failed'} (${e.consecutiveFailures} consecutive failures)${e.reason ? `: ${e.reason}` : ''}`;
    default:
      return JSON.stringify(e).slice(0, 160);
  }
}

/** Data events (books, prices, health ticks) stream constantly; the list shows happenings only. */
const NOISE = new Set<BotEvent['type']>(['runtime.heartbeat', 'book.top', 'book.snapshot', 'book.trade', 'ref.price', 'spot.price', 'feed.health', 'position.changed', 'risk.correlation']);

export function RecentEvents({ events }: { events: BotEvent[] }) {
  const rows = events.filter((e) => !NOISE.has(e.type) && !(e.type === 'strategy.decision' && e.record.action === 'evaluated')).slice(-25).reverse();
  return (
    <Card title="Recent events" testId="recent-events">
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">No events since this page opened (book, price and health updates are not listed).</p>
      ) : (
        <div className="overflow-x-auto">
        <table className="w-full min-w-0 table-fixed text-left text-sm">
          <thead className="text-xs text-slate-500">
            <tr>
              <th className="hidden w-16 py-1 sm:table-cell">seq</th>
              <th className="w-20 py-1 sm:w-32">time (UTC)</th>
              <th className="w-28 sm:w-44">type</th>
              <th>detail</th>
            </tr>
          </thead>
          <tbody className="font-mono text-xs">
            {rows.map((e) => (
              <tr key={e.seq} className="border-t border-slate-800">
                <td className="hidden py-1 text-slate-500 sm:table-cell">{e.seq}</td>
                <td className="py-1">{formatTime(e.tsEventMs)}</td>
                <td className="truncate text-sky-300" title={e.type}>{e.type}</td>
                <td className="truncate" title={summary(e)}>{summary(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
    </Card>
  );
}
