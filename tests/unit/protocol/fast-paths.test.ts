/**
 * The spot-trade, PolyBolt live-frame and recording-line fast paths against the schemas they shortcut: every fast acceptance equals the
 * schema's output over real / simulator frames and their mutations, and ordinary frames take the fast path.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectFastPathEqualsSchema } from '../../helpers/fast-path';
import { fastPolyboltFrame, PolyboltServerFrame } from '../../../bot/protocol/polybolt';
import { fastSpotTrade, fastSpotTradeText, SpotTrade } from '../../../bot/protocol/spot';
import { parseFrameLine, SpotLineFrame } from '../../../bot/replay/recording-reader';
import { frameChars, recordedFrameSchema } from '../../../bot/replay/session';

type Obj = Record<string, unknown>;
const VALUES: unknown[] = ['', null, undefined, 0, 1.5, -1, 2 ** 53, 'abc', '1.5', '01', true, false, [], {}, NaN, Infinity];

function mutations(e: Obj): Obj[] {
  const out: Obj[] = [{ ...e, extra: 1 }];
  for (const k of Object.keys(e)) {
    for (const v of VALUES) out.push({ ...e, [k]: v });
    const { [k]: _d, ...rest } = e;
    out.push(rest);
  }
  return out;
}

const SIM_TRADE = '{"e":"trade","E":1767225600021,"s":"BTCUSDT","t":5000000001,"p":"62693.08000000","q":"0.00943000","T":1767225600020,"m":false,"M":true}';

/** Spot @trade texts: the fixtures, a simulator frame, their object mutations and text mutations. */
function spotTexts(): { sim: string; base: string[]; texts: string[] } {
  const fx = JSON.parse(readFileSync('tests/fixtures/polymarket/spot.json', 'utf8')) as { frames: string[] };
  const sim = SIM_TRADE;
  const base = [...fx.frames, sim, sim.replace(',"M":true', ''), sim.replace('"s":"BTCUSDT"', '"s":"ETHUSDT"')];
  const texts = [...base];
  const objects = base.map((t) => JSON.parse(t) as Obj).filter((o) => o.e === 'trade');
  for (const o of objects) for (const m of mutations(o)) texts.push(JSON.stringify(m));
  for (const t of base) {
    texts.push(` ${t}`, `${t} `, `${t}\n`, `[${t}]`, t.replace(':', ': '), t.replace('"s":"', '"s":"\\u0042'), t.replace('"p":"', '"p":"0'), t.replace(/"T":(\d+)/, '"T":$1.0'));
    texts.push(t.replace(/"T":(\d+)/, '"T":1$1$1'), t.replace(/"E":(\d+)/, '"E":-$1'), t.replace('"m":false', '"m":0'), t.replace('}', ',"x":1}'), t.replace(/"T":(\d+)/, '"T":$1,"T":1'));
  }
  return { sim, base, texts };
}

describe('fast paths equal their schemas', () => {
  it('spot @trade: the spot fixtures (public Binance stream shapes), a simulator frame and their mutations', () => {
    const fx = JSON.parse(readFileSync('tests/fixtures/polymarket/spot.json', 'utf8')) as { frames: string[] };
    const real = fx.frames.map((f) => JSON.parse(f) as Obj).filter((o) => o.e === 'trade');
    const sim: Obj = { e: 'trade', E: 1767225600021, s: 'BTCUSDT', t: 5000000001, p: '62693.08000000', q: '0.00943000', T: 1767225600020, m: false, M: true };
    const corpus = [...real, sim, { ...sim, M: undefined }];
    const accepted = expectFastPathEqualsSchema([...corpus, ...corpus.flatMap(mutations)], fastSpotTrade, SpotTrade);
    for (const v of corpus) expect(fastSpotTrade(v)).toBeDefined();
    expect(accepted).toBeGreaterThan(corpus.length);
  });

  it('spot @trade text: the regular-expression path reads what JSON.parse + fastSpotTrade read, over text mutations', () => {
    const { sim, base, texts } = spotTexts();
    let taken = 0;
    for (const t of texts) {
      const f = fastSpotTradeText(t);
      if (!f) continue;
      taken++;
      const slow = fastSpotTrade(JSON.parse(t));
      expect(slow, t).toBeDefined();
      expect(SpotTrade.safeParse(JSON.parse(t)).success).toBe(true);
      expect(f).toEqual({ s: slow!.s, p: slow!.p, T: slow!.T });
    }
    expect(fastSpotTradeText(sim)).toEqual({ s: 'BTCUSDT', p: '62693.08000000', T: 1767225600020 });
    expect(taken).toBeGreaterThan(base.length);
    expect(taken).toBeLessThan(texts.length / 2);
  });

  it('spot @trade inside a recording line: read in place exactly when the text path reads it, the same fields, the same frame', () => {
    const { base, texts } = spotTexts();
    // Symbols whose literal needs escapes (quote, backslash, control, lone surrogate) and ones that need none.
    for (const t of base) {
      for (const sym of ['BT"C', 'BT\\C', 'BT\u0001C']) texts.push(t.replace(/"s":"[^"]*"/, `"s":${JSON.stringify(sym)}`));
      for (const sym of ['BT\u007fC', 'BTÉC', 'BT\ud800C', 'BT😀C', '']) texts.push(t.replace(/"s":"[^"]*"/, `"s":"${sym}"`));
    }
    let inPlace = 0;
    let textOnly = 0;
    for (const t of texts) {
      const line = JSON.stringify({ source: 'spot', tsRecvMs: 1767225600021, raw: t });
      const f = parseFrameLine(line);
      if (typeof f === 'string') throw new Error(`${line}: ${f}`);
      // Whatever path read it, the frame is the schema's.
      expect({ source: f.source, tsRecvMs: f.tsRecvMs, raw: f.raw }).toEqual(recordedFrameSchema.parse(JSON.parse(line)));
      const text = fastSpotTradeText(t);
      if (f instanceof SpotLineFrame) {
        inPlace++;
        expect(text, t).toBeDefined();
        expect({ s: f.text.slice(f.s0, f.s1), p: f.text.slice(f.p0, f.p1), T: Number(f.text.slice(f.t0, f.t1)) }).toEqual(text);
        expect(f.spotTrade).toBe(f);
        expect(frameChars(f)).toBe(JSON.stringify(t).length - 2);
      } else if (text) {
        // Only a text whose literal holds another escape than \" is left to the parse (a lone surrogate here).
        textOnly++;
        expect(JSON.stringify(t).slice(1, -1).replaceAll('\\"', ''), t).toContain('\\');
      }
    }
    expect(inPlace).toBeGreaterThan(base.length);
    expect(textOnly).toBeGreaterThan(0);
    // Lines that are not JSON around a literal that starts as a trade: refused, as JSON.parse refuses them.
    const good = JSON.stringify({ source: 'spot', tsRecvMs: 1767225600021, raw: SIM_TRADE });
    for (const bad of [good.replace(/\}"\}$/, '}"x"}'), good.replace(/\}"\}$/, '}","x":"}'), good.replace(/\}"\}$/, '}\\"}'), good.replace('{\\"e', '{"e')]) {
      expect(() => JSON.parse(bad), bad).toThrow();
      expect(typeof parseFrameLine(bad), bad).toBe('string');
    }
    expect(textOnly).toBeLessThan(base.length + 1);
  });

  it('recording lines: the fast envelope check returns what the schema returns, and refuses what it refuses', () => {
    const good = { source: 'spot', tsRecvMs: 1767225600021, raw: '{"e":"trade"}' };
    const lines = [good, ...mutations(good), { ...good, source: 'clob-user' }, { ...good, raw: 'x'.repeat(10_000_001) }].map((v) => JSON.stringify(v));
    let ok = 0;
    for (const line of [...lines, 'not json', '[1]', 'null']) {
      const fast = parseFrameLine(line);
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        expect(typeof fast).toBe('string');
        continue;
      }
      const z = recordedFrameSchema.safeParse(parsed);
      if (typeof fast === 'string') expect(z.success, line.slice(0, 200)).toBe(false);
      else {
        ok++;
        expect(z.success).toBe(true);
        expect(fast).toEqual(z.data);
      }
    }
    expect(ok).toBeGreaterThan(1);
  });
  it('polybolt live frames: the real capture, the simulator fixture and their mutations (envelope and payload)', () => {
    const real = (JSON.parse(readFileSync('tests/fixtures/polymarket/real/polybolt.json', 'utf8')) as { frames: { raw: string }[] }).frames.map((f) => JSON.parse(f.raw) as Obj);
    const sim = (JSON.parse(readFileSync('tests/fixtures/polymarket/polybolt.json', 'utf8')) as { serverFrames: unknown[] }).serverFrames.map((f) => (typeof f === 'string' ? JSON.parse(f) : f) as Obj);
    const corpus = [...real, ...sim];
    const live = corpus.filter((o) => o.v === 1 && typeof o.payload === 'object' && o.payload !== null && !Array.isArray(o.payload) && !('data' in (o.payload as Obj)));
    expect(live.length).toBeGreaterThanOrEqual(3);
    const variants: unknown[] = [...corpus];
    for (const o of live) {
      variants.push(...mutations(o));
      for (const p of mutations(o.payload as Obj)) variants.push({ ...o, payload: p });
      variants.push({ ...o, payload: { ...(o.payload as Obj), value: '-1.5' } }, { ...o, payload: { ...(o.payload as Obj), value: '1e5' } }, { ...o, op: 'pong' }, { ...o, payload: { ...(o.payload as Obj), data: [] } });
    }
    const accepted = expectFastPathEqualsSchema(variants, fastPolyboltFrame, PolyboltServerFrame);
    // Every live point of the corpus takes the fast path; control frames and snapshots never do.
    for (const o of live) expect(fastPolyboltFrame(o), JSON.stringify(o)).toBeDefined();
    for (const o of corpus.filter((x) => !live.includes(x))) expect(fastPolyboltFrame(o)).toBeUndefined();
    expect(accepted).toBeGreaterThan(live.length * 10);
  });
});
