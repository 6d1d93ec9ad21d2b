/**
 * Schema migrations for the embedded database, applied in order and recorded in PRAGMA user_version.
 * Append only: never edit a shipped migration, add a new one.
 */
export const migrations: readonly string[] = [
  // 1: audit trail, kill-switch history, runs
  `
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
  );
  CREATE INDEX audit_ts ON audit(ts_ms);
  CREATE TABLE kill_switch (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts_ms INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('active','reducing','halted')),
    prev_state TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor TEXT NOT NULL,
    automatic INTEGER NOT NULL
  );
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    instance_id TEXT NOT NULL,
    started_ms INTEGER NOT NULL,
    stopped_ms INTEGER,
    mode TEXT NOT NULL,
    venue TEXT NOT NULL,
    stop_reason TEXT
  );
  `,
  // 2: execution journal (orders written before they are sent; fills keyed by trade+order)
  `
  CREATE TABLE orders (
    client_id TEXT PRIMARY KEY,
    client_tag TEXT NOT NULL,
    strategy_id TEXT NOT NULL,
    window_slug TEXT NOT NULL,
    token_id TEXT NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('BUY','SELL')),
    price REAL NOT NULL,
    size REAL,
    usd REAL,
    order_type TEXT NOT NULL,
    post_only INTEGER NOT NULL,
    state TEXT NOT NULL,
    order_id TEXT,
    salt INTEGER,
    filled_size REAL NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    reason TEXT
  );
  CREATE INDEX orders_state ON orders(state);
  CREATE INDEX orders_updated ON orders(updated_ms);
  CREATE INDEX orders_order_id ON orders(order_id);
  CREATE TABLE fills (
    key TEXT PRIMARY KEY,
    trade_id TEXT NOT NULL,
    order_id TEXT NOT NULL,
    client_id TEXT,
    token_id TEXT NOT NULL,
    window_slug TEXT NOT NULL,
    side TEXT NOT NULL,
    price REAL NOT NULL,
    size REAL NOT NULL,
    fee_usd REAL NOT NULL,
    liquidity TEXT NOT NULL,
    status TEXT NOT NULL,
    ts_ms INTEGER NOT NULL
  );
  CREATE INDEX fills_ts ON fills(ts_ms);
  `,
  // 3: configuration versions (the config service's journal: every applied or pending version, with its diff)
  `
  CREATE TABLE config_versions (
    version INTEGER PRIMARY KEY AUTOINCREMENT,
    ts_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    hash TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('applied','pending','superseded')),
    config_json TEXT NOT NULL,
    diff_json TEXT NOT NULL DEFAULT '[]'
  );
  CREATE INDEX config_versions_ts ON config_versions(ts_ms);
  `,
  // 4: the risk engine's UTC day (daily-loss baseline that survives restarts; the dashboard shows the same figure)
  `
  CREATE TABLE risk_days (
    day TEXT PRIMARY KEY,
    started_ms INTEGER NOT NULL,
    realized_usd REAL NOT NULL DEFAULT 0,
    updated_ms INTEGER NOT NULL
  );
  `,
  // 5: index of recorded sessions (one row per session directory; the manifest on disk is the truth)
  `
  CREATE TABLE recordings (
    id TEXT PRIMARY KEY,
    dir TEXT NOT NULL,
    format TEXT NOT NULL,
    sources TEXT NOT NULL DEFAULT '[]',
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    frames INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    markets TEXT NOT NULL DEFAULT '[]',
    config_hash TEXT,
    created_ms INTEGER NOT NULL,
    open INTEGER NOT NULL CHECK (open IN (0,1))
  );
  CREATE INDEX recordings_created ON recordings(created_ms);
  `,
  // 6: the learning engine's state per strategy instance (pending votes, settled trades, counts, last steps; JSON)
  `
  CREATE TABLE learning_state (
    strategy_id TEXT PRIMARY KEY,
    state_json TEXT NOT NULL,
    updated_ms INTEGER NOT NULL
  );
  `,
];
