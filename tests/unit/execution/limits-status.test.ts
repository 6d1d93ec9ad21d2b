import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { RateLimiter, VenueStatus, polyHmac, decodeSecret } from '../../../bot/execution';

describe('HMAC (reference §9.3 vector)', () => {
  it('matches the documented self-consistency vector', () => {
    const key = decodeSecret('c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I=');
    expect(polyHmac(key, 1791241812, 'DELETE', '/order', '{"orderID":"0x1"}')).toBe('e_esdHx1LZTK8DcR8QFV_sfirU6IgbbG3WwYdFhLuXk=');
  });
});

describe('RateLimiter', () => {
  it('lets cancels through before queued orders and honours Retry-After', async () => {
    const clock = new SimClock(0);
    const rl = new RateLimiter({ clock, orders: { perSec: 1, burst: 1 }, cancels: { perSec: 10, burst: 5 } });
    const order: string[] = [];
    await rl.acquire('order');
    const o2 = rl.acquire('order').then(() => order.push('order'));
    const c1 = rl.acquire('cancel').then(() => order.push('cancel'));
    await c1;
    expect(order).toEqual(['cancel']);
    clock.advanceBy(1000);
    await o2;
    expect(order).toEqual(['cancel', 'order']);
    rl.pause('order', 2000);
    let done = false;
    const o3 = rl.acquire('order').then(() => (done = true));
    clock.advanceBy(1500);
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advanceBy(600);
    await o3;
    expect(done).toBe(true);
    rl.dispose();
  });
  it('bounds its queue', async () => {
    const clock = new SimClock(0);
    const rl = new RateLimiter({ clock, orders: { perSec: 1, burst: 1 }, maxQueue: 2 });
    await rl.acquire('order');
    const a = rl.acquire('order');
    const b = rl.acquire('order');
    await expect(rl.acquire('order')).rejects.toThrow(/queue full/);
    rl.dispose();
    await expect(a).rejects.toThrow();
    await expect(b).rejects.toThrow();
  });
});

describe('VenueStatus', () => {
  it('maps 425 / post-only / cancel-only and never lets takers through while restarting or post-only', () => {
    const clock = new SimClock(0);
    const bus = new EventBus({ clock });
    const st = new VenueStatus(clock, bus);
    expect(st.onError({ status: 425, body: '{"error":"matching engine restarting"}' })).toBe('restarting');
    expect(st.denyReason('GTC', true)).toMatch(/restarting/);
    clock.advanceBy(1001);
    expect(st.denyReason('FOK', false)).toBeUndefined();
    st.onError({ status: 503, body: '{"error":"post-only mode","code":"post_only_mode"}', retryAfterMs: 79_000 });
    expect(st.denyReason('FOK', false)).toMatch(/post-only/);
    expect(st.denyReason('GTC', false)).toMatch(/post-only/);
    expect(st.denyReason('GTC', true)).toBeUndefined();
    clock.advanceBy(79_000);
    expect(st.current()).toBe('normal');
    st.onError({ status: 503, body: '{"error":"Trading is currently cancel-only."}' });
    expect(st.denyReason('GTC', true)).toMatch(/cancel-only/);
  });
});
