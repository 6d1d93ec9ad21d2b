/**
 * The live order side (see order-side.ts): the CLOB venue, its heartbeat, the user socket and the API-credential
 * renewal. Apart from the paper side so that only the composition root's paper/live wiring loads the signing and CLOB
 * client code.
 */
import type { ApiCredentials } from '../core';
import { obtainApiCreds } from './api-creds';
import { ClobUserFeed } from './clob-user-feed';
import { CredentialRenewal } from './credential-renewal';
import type { LiveKey } from './credentials';
import { HeartbeatLoop } from './heartbeat';
import { LiveVenue } from './live-venue';
import { LiveArmingError, type OrderSideFactory } from './order-side';

export function liveOrderSide(key: (LiveKey & { api: ApiCredentials }) | undefined): OrderSideFactory {
  if (!key?.privateKey || !key.api) {
    throw new LiveArmingError('TRADING_MODE=live needs a wallet private key and CLOB API credentials; refusing to arm the live venue without them.');
  }
  return (ctx) => {
    const live = new LiveVenue({
      host: ctx.endpoints.clob, clock: ctx.clock, venueClock: ctx.venueClock, privateKey: key.privateKey, signatureType: key.signatureType, ...(key.funder ? { funder: key.funder } : {}),
      ...(ctx.chainId !== undefined ? { chainId: ctx.chainId } : {}), creds: key.api, limiter: ctx.limiter, status: ctx.status,
      isOurOrder: (id) => !!ctx.tracker.getByOrderId(id), ...(ctx.requestTimeoutMs ? { requestTimeoutMs: ctx.requestTimeoutMs } : {}),
    });
    // Restarting venue: the heartbeat is the probe (on the status's backoff); the periodic beats pause meanwhile.
    const heartbeat = new HeartbeatLoop(ctx.clock, ctx.bus, live, 5_000, { skip: () => ctx.status.current() === 'restarting' });
    ctx.status.setProbe(() => heartbeat.beat());
    const userFeed = new ClobUserFeed({
      url: ctx.endpoints.userWs, clock: ctx.clock, bus: ctx.bus, prng: ctx.prng, creds: key.api, ownership: live.ownership, ...(ctx.onRaw ? { onRaw: ctx.onRaw } : {}),
      listener: { onOrder: (v) => ctx.tracker.onVenueOrder(v), onFill: (f) => ctx.tracker.onFill(f) },
      catchUp: () => ctx.catchUp(),
    });
    const credentials = new CredentialRenewal({
      clock: ctx.clock, bus: ctx.bus, generation: () => live.http.generation,
      derive: async () => (await obtainApiCreds({ host: ctx.endpoints.clob, privateKey: key.privateKey, ...(ctx.chainId !== undefined ? { chainId: ctx.chainId } : {}), nowSec: Math.floor(ctx.venueClock.nowMs() / 1000), first: 'derive' })).creds,
      apply: (c) => {
        live.setCredentials(c);
        userFeed.setCreds(c);
      },
    });
    live.http.onL2Answer = (status, gen) => credentials.onAnswer(status, gen);
    return {
      venue: live,
      live,
      heartbeat,
      userFeed,
      credentials,
      cancelOnStop: true,
      prepare: async () => {},
      denyReason: () => credentials.denyReason(),
      close: () => {
        ctx.status.setProbe(undefined);
        ctx.status.dispose();
        live.close();
      },
    };
  };
}
