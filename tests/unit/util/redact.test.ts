/**
 * bot/util/redact.ts: secret-looking keys, private-key-shaped hex anywhere in text, nesting and cycles.
 */
import { describe, expect, it } from 'vitest';
import { redactSecrets, redactString } from '../../../bot/util/redact';

const KEY = `0x${'ab'.repeat(32)}`;

describe('redactSecrets', () => {
  it('replaces values under secret-looking keys, whatever their case or separator', () => {
    const out = redactSecrets({ privateKey: 'k', private_key: 'k', apiKey: 'a', 'API-KEY': 'a', secret: 's', passphrase: 'p', password: 'x', token: 't', Authorization: 'Bearer x', cookie: 'c', mnemonic: 'm', signature: '0xsig', POLY_PASSPHRASE: 'p' });
    for (const v of Object.values(out)) expect(v).toBe('[REDACTED]');
  });

  it('keeps ordinary fields, empty secrets and the structure', () => {
    const input = { reason: 'manual halt', limits: { maxOrderUsd: 5 }, list: [1, 'two', { ok: true }], apiKey: '', token: null };
    expect(redactSecrets(input)).toEqual(input);
  });

  it('redacts a private key in free text, in arrays and in nested objects, but not longer hex (tx data)', () => {
    expect(redactString(`signing with ${KEY} now`)).toBe('signing with 0x[REDACTED] now');
    const out = redactSecrets({ msg: `key=${KEY}`, nested: { deeper: [`${KEY}`] }, txData: `${KEY}ff` });
    expect(out.msg).toBe('key=0x[REDACTED]');
    expect(out.nested.deeper[0]).toBe('0x[REDACTED]');
    expect(out.txData).toBe(`${KEY}ff`);
  });

  it('does not let a secret through below the depth limit or in a cycle', () => {
    type Deep = { next?: Deep; privateKey?: string; note?: string };
    const root: Deep = {};
    let cur = root;
    for (let i = 0; i < 20; i++) cur = cur.next = {};
    cur.privateKey = 'deep secret';
    cur.note = `deep ${KEY}`;
    expect(JSON.stringify(redactSecrets(root))).not.toContain('deep secret');
    expect(JSON.stringify(redactSecrets(root))).not.toContain(KEY);
    const cyclic: Record<string, unknown> = { token: 'x' };
    cyclic.self = cyclic;
    const out = redactSecrets(cyclic) as Record<string, unknown>;
    expect(out.token).toBe('[REDACTED]');
    expect(() => JSON.stringify(out)).not.toThrow();
  });
});
