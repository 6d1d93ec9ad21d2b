/**
 * SQLite implementation of the execution journal (bot/execution/journal.ts): orders are upserted by client id
 * before their bytes are sent, fills by (trade, order) key. better-sqlite3 is synchronous, so a call that
 * returns has been written (WAL, synchronous=NORMAL: survives a process crash).
 *
 * loadOrders(): every non-terminal order plus the most recent terminal ones (bounded); loadFills(): the most
 * recent fills (bounded). Restart reconciliation starts from these.
 */
import type { ExecutionJournal, JournalFill, JournalOrder } from '../execution/journal';
import type { Db } from './database';

const RECENT_TERMINAL_ORDERS = 5_000;
const RECENT_FILLS = 20_000;

interface OrderRow {
  client_id: string;
  client_tag: string;
  strategy_id: string;
  window_slug: string;
  token_id: string;
  side: 'BUY' | 'SELL';
  price: number;
  size: number | null;
  usd: number | null;
  order_type: JournalOrder['orderType'];
  post_only: number;
  state: JournalOrder['state'];
  order_id: string | null;
  salt: number | null;
  filled_size: number;
  created_ms: number;
  updated_ms: number;
  reason: string | null;
}

interface FillRow {
  key: string;
  trade_id: string;
  order_id: string;
  client_id: string | null;
  token_id: string;
  window_slug: string;
  side: 'BUY' | 'SELL';
  price: number;
  size: number;
  fee_usd: number;
  liquidity: 'taker' | 'maker';
  status: JournalFill['status'];
  ts_ms: number;
}

export class SqliteExecutionJournal implements ExecutionJournal {
  private readonly upsertOrder;
  private readonly upsertFill;
  private readonly openOrders;
  private readonly recentOrders;
  private readonly recentFills;

  constructor(db: Db) {
    this.upsertOrder = db.prepare(`
      INSERT INTO orders (client_id, client_tag, strategy_id, window_slug, token_id, side, price, size, usd, order_type,
        post_only, state, order_id, salt, filled_size, created_ms, updated_ms, reason)
      VALUES (@clientId, @clientTag, @strategyId, @windowSlug, @tokenId, @side, @price, @size, @usd, @orderType,
        @postOnly, @state, @orderId, @salt, @filledSize, @createdMs, @updatedMs, @reason)
      ON CONFLICT(client_id) DO UPDATE SET state = excluded.state, order_id = excluded.order_id, salt = excluded.salt,
        filled_size = excluded.filled_size, updated_ms = excluded.updated_ms, reason = excluded.reason`);
    this.upsertFill = db.prepare(`
      INSERT INTO fills (key, trade_id, order_id, client_id, token_id, window_slug, side, price, size, fee_usd, liquidity, status, ts_ms)
      VALUES (@key, @tradeId, @orderId, @clientId, @tokenId, @windowSlug, @side, @price, @size, @feeUsd, @liquidity, @status, @tsMs)
      ON CONFLICT(key) DO UPDATE SET status = excluded.status, client_id = COALESCE(excluded.client_id, fills.client_id)`);
    this.openOrders = db.prepare(`SELECT * FROM orders WHERE state NOT IN ('filled','canceled','rejected') ORDER BY created_ms`);
    this.recentOrders = db.prepare(`SELECT * FROM orders WHERE state IN ('filled','canceled','rejected') ORDER BY updated_ms DESC LIMIT ?`);
    this.recentFills = db.prepare(`SELECT * FROM fills ORDER BY ts_ms DESC, key LIMIT ?`);
  }

  recordOrder(o: JournalOrder): void {
    this.upsertOrder.run({
      ...o,
      size: o.size ?? null,
      usd: o.usd ?? null,
      postOnly: o.postOnly ? 1 : 0,
      orderId: o.orderId ?? null,
      salt: o.salt ?? null,
      reason: o.reason ?? null,
    });
  }

  recordFill(f: JournalFill): void {
    this.upsertFill.run({ ...f, clientId: f.clientId ?? null });
  }

  loadOrders(): JournalOrder[] {
    const rows = [...(this.openOrders.all() as OrderRow[]), ...(this.recentOrders.all(RECENT_TERMINAL_ORDERS) as OrderRow[]).reverse()];
    return rows.map(toOrder);
  }

  loadFills(): JournalFill[] {
    return (this.recentFills.all(RECENT_FILLS) as FillRow[]).reverse().map(toFill);
  }
}

function toOrder(r: OrderRow): JournalOrder {
  return {
    clientId: r.client_id,
    clientTag: r.client_tag,
    strategyId: r.strategy_id,
    windowSlug: r.window_slug,
    tokenId: r.token_id,
    side: r.side,
    price: r.price,
    ...(r.size !== null ? { size: r.size } : {}),
    ...(r.usd !== null ? { usd: r.usd } : {}),
    orderType: r.order_type,
    postOnly: r.post_only === 1,
    state: r.state,
    ...(r.order_id !== null ? { orderId: r.order_id } : {}),
    ...(r.salt !== null ? { salt: r.salt } : {}),
    filledSize: r.filled_size,
    createdMs: r.created_ms,
    updatedMs: r.updated_ms,
    ...(r.reason !== null ? { reason: r.reason } : {}),
  };
}

function toFill(r: FillRow): JournalFill {
  return {
    key: r.key,
    tradeId: r.trade_id,
    orderId: r.order_id,
    ...(r.client_id !== null ? { clientId: r.client_id } : {}),
    tokenId: r.token_id,
    windowSlug: r.window_slug,
    side: r.side,
    price: r.price,
    size: r.size,
    feeUsd: r.fee_usd,
    liquidity: r.liquidity,
    status: r.status,
    tsMs: r.ts_ms,
  };
}
