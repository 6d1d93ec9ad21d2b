/**
 * The shared invariants of the fault battery (reference batteries.md: "every fault test asserts: no duplicate orders,
 * the local ledger equals the venue's after reconciliation, no secret in any log, and an audit entry for every
 * operator action"). Every fault test calls `expectInvariants(stack)` once the fault has played out.
 *
 * 1. Two-way ledger (live): for the account, every token the SIMULATOR holds equals the bot's position and every
 *    bot position (not settled) equals the simulator's; cash: the bot keeps no cash figure of its own, so its notion
 *    is derived from its own fills ledger — start balance (the sim's, before the bot acted) − Σ BUY size×price +
 *    Σ SELL size×price − Σ fees + Σ settlement payouts — and must equal the simulator's pUSD balance to the micro-pUSD
 *    (size×price in the venue's integer arithmetic: size in micro × price in milli / 1000; fees are 5-decimal amounts).
 *    Paper: the venue account must be untouched (no position, start balance, no order) — paper never reaches it.
 * 2. Orders: the account's orders at the simulator are counted per salt as the simulator recorded it from the signed
 *    order (bot/sim/order-checks.ts keeps it on the order record), and each salt must also be the one the bot
 *    journaled for that order id (harness WitnessJournal): each salt and each bot intent has at most one venue order; every venue order is known to the bot (a resubmission under a new salt
 *    shows up here) and every order the bot believes reached the venue is there; a venue LIVE order is open in the
 *    bot and vice versa; with `allowOpenOrders` false (default) nothing of ours rests at the venue.
 * 3. No secret (private key with or without 0x, its base64 / base64url, the API key, secret and passphrase) in any
 *    captured log line or bus event (events are what SSE carries).
 * 4. With `audit`: the entries' actions equal `expectedActions` as a multiset — one entry per operator action.
 */
import { expect } from 'vitest';
import type { UserOrder } from '../../../bot/sim/records';
import type { Stack } from './harness';

export interface InvariantOptions {
  /** Log lines to search for secrets (default: the stack's captured lines). */
  logs?: string[];
  /** Extra secrets beyond the stack's own (private key, API key, secret, passphrase). */
  secrets?: string[];
  audit?: { entries: { action: string }[]; expectedActions: string[] };
  /** Orders of ours may still rest at the venue (default false: a fault test ends with nothing resting). */
  allowOpenOrders?: boolean;
  /**
   * Venue order ids a test placed with our key behind the bot's back on purpose (the reconciliation tests): they are
   * still counted per salt, but not reported as unknown to the bot or unjournaled.
   */
  plantedOrderIds?: readonly string[];
}

const micro = (x: number) => Math.round(x * 1e6);
const short = (id: string) => id.slice(0, 10);

/** The account's orders as the simulator holds them. */
export function venueOrders(s: Stack): UserOrder[] {
  return [...s.sim.model.exchange.orders.values()].filter((o) => o.owner === s.creds.key || o.makerAddress.toLowerCase() === s.account);
}

/** A fill as the bot's ledger holds it (tracker / journal), for the cash fold. */
export interface CashFill {
  side: 'BUY' | 'SELL';
  price: number;
  size: number;
  feeUsd: number;
  status: string;
}

/**
 * The bot's cash notion in micro-pUSD (it keeps no cash figure itself): the start balance, minus what its fills
 * bought, plus what they sold, minus fees, plus settlement payouts. FAILED fills are void (the venue reversed them).
 */
export function cashFromFills(startMicro: number, fills: Iterable<CashFill>, payoutsUsd: Iterable<number>): { cashMicro: number; fills: number } {
  let cash = startMicro;
  let n = 0;
  for (const f of fills) {
    n++;
    if (f.status === 'FAILED') continue;
    // Venue arithmetic: size (micro) × price (milli) / 1000, one rounding — not a float product.
    const notional = Math.round((micro(f.size) * Math.round(f.price * 1e3)) / 1e3);
    cash += (f.side === 'BUY' ? -notional : notional) - micro(f.feeUsd);
  }
  for (const p of payoutsUsd) cash += micro(p);
  return { cashMicro: cash, fills: n };
}

/** Cash agrees to the micro-pUSD (the fold uses the venue's integer arithmetic; fees are 5-decimal amounts). */
export function cashViolation(venueMicro: number, bot: { cashMicro: number; fills: number }): string | undefined {
  if (bot.cashMicro === venueMicro) return undefined;
  return `cash: venue ${venueMicro / 1e6} bot ${bot.cashMicro / 1e6} (${bot.fills} fills)`;
}

export function botCashMicro(s: Stack): { cashMicro: number; fills: number } {
  return cashFromFills(s.startBalanceMicro, s.tracker.allFills(), s.tracker.positions.all().filter((p) => p.settled).map((p) => p.payoutUsd));
}

function ledgerViolations(s: Stack): string[] {
  const out: string[] = [];
  const venue = s.sim.model.ledger.holdings(s.account);
  if (!s.live) {
    for (const [t, v] of venue.positions) out.push(`paper: venue holds ${v / 1e6} of ${short(t)} for the account`);
    if (venue.balanceMicro !== s.startBalanceMicro) out.push(`paper: venue balance moved ${s.startBalanceMicro / 1e6} -> ${venue.balanceMicro / 1e6}`);
    return out;
  }
  const bot = new Map<string, number>();
  for (const p of s.tracker.positions.all()) if (!p.settled) bot.set(p.tokenId, (bot.get(p.tokenId) ?? 0) + micro(p.shares));
  for (const [t, v] of venue.positions) {
    const b = bot.get(t) ?? 0;
    if (b !== v) out.push(`ledger ${short(t)}: venue ${v / 1e6} bot ${b / 1e6} (venue -> bot)`);
  }
  for (const [t, b] of bot) {
    const v = venue.positions.get(t) ?? 0;
    if (b !== v && !venue.positions.has(t)) out.push(`ledger ${short(t)}: bot ${b / 1e6} venue ${v / 1e6} (bot -> venue)`);
  }
  const cash = cashViolation(venue.balanceMicro, botCashMicro(s));
  if (cash) out.push(cash);
  return out;
}

function orderViolations(s: Stack, allowOpen: boolean, planted: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const atVenue = venueOrders(s);
  if (!s.live) {
    for (const v of atVenue) out.push(`paper: venue holds order ${short(v.id)} of the account`);
    return out;
  }
  const bySalt = new Map<string, string[]>();
  const byIntent = new Map<string, string[]>();
  for (const v of atVenue) {
    // Counted at the venue, known to the bot or not: the salt the simulator received with the signed order.
    if (v.salt === undefined) out.push(`venue order ${short(v.id)} has no salt recorded at the simulator`);
    else bySalt.set(v.salt, [...(bySalt.get(v.salt) ?? []), v.id]);
    if (planted.has(v.id)) continue;
    const o = s.tracker.getByOrderId(v.id);
    if (!o) {
      out.push(`venue order ${short(v.id)} (${v.status}) unknown to the bot`);
      continue;
    }
    byIntent.set(o.clientId, [...(byIntent.get(o.clientId) ?? []), v.id]);
    const journaled = s.journal.saltOf.get(v.id);
    if (journaled === undefined) out.push(`venue order ${short(v.id)} was never journaled with a salt`);
    else if (v.salt !== undefined && String(journaled) !== v.salt) out.push(`venue order ${short(v.id)}: salt ${v.salt} at the venue, ${journaled} in the bot's journal`);
    const botOpen = o.state === 'live' || o.state === 'partial';
    if (v.status === 'LIVE' && !botOpen) out.push(`venue order ${short(v.id)} LIVE, bot says ${o.state}`);
    if (v.status !== 'LIVE' && botOpen) out.push(`venue order ${short(v.id)} ${v.status}, bot says ${o.state}`);
    if (v.status === 'LIVE' && !allowOpen) out.push(`venue order ${short(v.id)} still rests (allowOpenOrders not set)`);
  }
  for (const [salt, ids] of bySalt) if (ids.length > 1) out.push(`duplicate: salt ${salt} at the venue ${ids.length} times`);
  for (const [clientId, ids] of byIntent) if (ids.length > 1) out.push(`duplicate: intent ${clientId} has ${ids.length} venue orders (${ids.map(short).join(', ')})`);
  const seen = new Set(atVenue.map((v) => v.id));
  for (const o of s.tracker.all()) {
    const reached = o.state === 'live' || o.state === 'partial' || o.state === 'filled' || o.state === 'canceled';
    if (o.orderId && reached && !seen.has(o.orderId)) out.push(`bot order ${o.clientTag} (${o.state}) not at the venue`);
  }
  return out;
}

/** Encodings of one secret that a leak could take. */
export function secretForms(secret: string): string[] {
  const forms = new Set([secret]);
  const hex = secret.replace(/^0x/i, '');
  if (/^[0-9a-fA-F]{64}$/.test(hex)) {
    forms.add(hex.toLowerCase()); // hex forms are matched case-insensitively
    const bytes = Buffer.from(hex, 'hex');
    forms.add(bytes.toString('base64'));
    forms.add(bytes.toString('base64url'));
  }
  return [...forms].filter((f) => f.length >= 8);
}

/** One line per (secret, place) where any form of the secret appears: `secret NAME in PLACE line N`. */
export function secretLeaks(secrets: Record<string, string>, places: Record<string, readonly string[]>): string[] {
  const out: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    const forms = secretForms(secret);
    const hexForms = forms.filter((f) => /^[0-9a-f]+$/i.test(f)).map((f) => f.toLowerCase());
    for (const [where, lines] of Object.entries(places)) {
      const hit = lines.findIndex((l) => forms.some((f) => l.includes(f)) || (hexForms.length > 0 && hexForms.some((f) => l.toLowerCase().includes(f))));
      if (hit >= 0) out.push(`secret ${name} in ${where} line ${hit}`);
    }
  }
  return out;
}

function secretViolations(s: Stack, o: InvariantOptions): string[] {
  const extra = Object.fromEntries((o.secrets ?? []).map((x, i) => [`extra#${i}`, x]));
  const out = secretLeaks({ ...s.secrets, ...extra }, { log: o.logs ?? s.logs, event: s.events.map((e) => JSON.stringify(e)) });
  if (s.logsDropped > 0) out.push(`${s.logsDropped} log lines were not captured (raise MAX_LOG_LINES)`);
  return out;
}

/** The audit entries' actions equal the operator actions as a multiset: one line per action that differs. */
export function auditViolations(a: NonNullable<InvariantOptions['audit']>): string[] {
  const count = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const have = count(a.entries.map((e) => e.action));
  const want = count(a.expectedActions);
  const out: string[] = [];
  for (const k of new Set([...have.keys(), ...want.keys()])) {
    if ((have.get(k) ?? 0) !== (want.get(k) ?? 0)) out.push(`audit ${k}: ${have.get(k) ?? 0} entries for ${want.get(k) ?? 0} operator actions`);
  }
  return out;
}

/** Every violated invariant, one line each (empty when all hold). */
export function invariantViolations(s: Stack, o: InvariantOptions = {}): string[] {
  return [
    ...ledgerViolations(s),
    ...orderViolations(s, o.allowOpenOrders ?? false, new Set(o.plantedOrderIds ?? [])),
    ...secretViolations(s, o),
    ...(o.audit ? auditViolations(o.audit) : []),
  ];
}

export function expectInvariants(s: Stack, o?: InvariantOptions): void {
  expect(invariantViolations(s, o)).toEqual([]);
}
