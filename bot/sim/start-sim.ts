/**
 * startSim(options): build the simulated Polymarket and (unless `noServers`) listen on 127.0.0.1:
 * Gamma, CLOB REST, CLOB market/user WebSockets, PolyBolt, legacy RTDS, a Binance-style spot stream, the external
 * signal sources (options put/call, Fear & Greed) and the control/fault API, each on its own port (free ports by default). Returns { urls, clock, model, faults, auth,
 * close() }. All timing goes through `options.clock`.
 */
import type { Server } from 'node:http';
import { Prng } from '../util/prng';
import { AuthStore } from './auth';
import { addPublicRoutes } from './clob-public';
import { addTradingRoutes } from './clob-trading';
import { marketChannel, userChannel } from './clob-ws';
import { controlRouter } from './control-server';
import { FaultRegistry } from './faults';
import { gammaRouter } from './gamma-server';
import { externalSignalsRouter } from './external-signals-server';
import { GuardedClock } from './guarded-clock';
import { Heartbeats } from './heartbeats';
import { createHttpServer, Router } from './http-kit';
import { SimModel } from './model';
import { modelOptions, type SimOptions, type SimServerName } from './options';
import { PolyboltServer } from './polybolt-server';
import { RtdsServer } from './rtds-server';
import { SpotServer } from './spot-server';
import { routeUpgrades, WsEndpoint } from './ws-endpoint';

export interface SimUrls {
  gamma: string;
  clob: string;
  marketWs: string;
  userWs: string;
  polybolt: string;
  rtds: string;
  /** Base of the spot stream; append `/ws/<asset>usdt@trade`, `/ws/<asset>usdt@bookTicker` or `/stream?streams=a/b`. */
  spot: string;
  /** polymarket.com's geoblock check, served by the Gamma server. */
  geoblock: string;
  control: string;
  /** External signal sources (Deribit options summary and Fear & Greed) on one base URL. */
  external: string;
}

/** The simulator's URLs in the shape of the bot's venue endpoints (spot as a full `btcusdt@trade` stream URL). */
export function simEndpoints(u: SimUrls) {
  return { gamma: u.gamma, clob: u.clob, marketWs: u.marketWs, userWs: u.userWs, polybolt: u.polybolt, rtds: u.rtds, spot: `${u.spot}/ws/btcusdt@trade`, geoblock: u.geoblock };
}

export interface SimHandle {
  urls: SimUrls;
  clock: SimOptions['clock'];
  model: SimModel;
  faults: FaultRegistry;
  auth: AuthStore;
  heartbeats: Heartbeats;
  close(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });
}

export async function startSim(options: SimOptions): Promise<SimHandle> {
  const clock = new GuardedClock(options.clock);
  const mo = modelOptions(options);
  const model = new SimModel(clock, new Prng(mo.seed), mo);
  const faults = new FaultRegistry(clock);
  const auth = new AuthStore(model.ids);
  const heartbeats = new Heartbeats(clock, model.ids, model.exchange, options.heartbeatTimeoutMs ?? 10_000);
  model.isQuiet = (m) => !!faults.find('quiet', (s) => s === '*' || s === 'market' || s === m.slug);
  model.exchange.shouldFailTrade = () => !!faults.find('fail_fill', (s) => s === '*' || s === 'clob' || s === 'user' || s === 'trades');
  // The tap's canonical price lines: the first asset's unprefixed (as ever), the others prefixed with their code.
  for (const pm of model.world.models) {
    const tag = pm === model.prices ? '' : `${pm.asset} `;
    pm.onSpot((p) => model.hub.note('spot', `${tag}${p.tMs} ${p.value}`));
    pm.onReference((ref, twap) => model.hub.note('polybolt', `${tag}${ref.tMs} ${ref.value} ${twap.value}`));
  }
  model.start();

  const host = options.host ?? '127.0.0.1';
  const servers: Server[] = [];
  const endpoints: WsEndpoint[] = [];
  const urls: SimUrls = { gamma: '', clob: '', marketWs: '', userWs: '', polybolt: '', rtds: '', spot: '', geoblock: '', control: '', external: '' };
  let polybolt: PolyboltServer | undefined;
  if (!options.noServers) {
    const port = (n: SimServerName) => options.ports?.[n] ?? 0;
    const clobRouter = new Router();
    addPublicRoutes(clobRouter, model, auth);
    addTradingRoutes(clobRouter, model, auth, faults, heartbeats);
    const gamma = createHttpServer('gamma', gammaRouter(model), faults, clock);
    const clob = createHttpServer('clob', clobRouter, faults, clock);
    const control = createHttpServer('control', controlRouter(model, faults), faults, clock);
    const external = createHttpServer('external', externalSignalsRouter(clock, mo.seed), faults, clock);

    const marketEp = new WsEndpoint('market', faults, clock, marketChannel(model));
    const userEp = new WsEndpoint('user', faults, clock, userChannel(model, auth));
    const ws = createHttpServer('ws', new Router(), faults, clock);
    routeUpgrades(ws, (p) => (p === '/ws/market' ? marketEp : p === '/ws/user' ? userEp : undefined));

    polybolt = new PolyboltServer(model, auth);
    const pbEp = new WsEndpoint('polybolt', faults, clock, polybolt.onConnection);
    const pb = createHttpServer('polybolt', new Router(), faults, clock);
    routeUpgrades(pb, (p) => (p === '/ws' || p === '/' ? pbEp : undefined));
    const pbRef = polybolt;
    for (const pm of model.world.models) pm.onReference((ref, twap) => pbRef.onReference(ref, twap, pm.asset));

    const rtds = new RtdsServer(model);
    const rtdsEp = new WsEndpoint('rtds', faults, clock, rtds.onConnection);
    const rt = createHttpServer('rtds', new Router(), faults, clock);
    routeUpgrades(rt, () => rtdsEp);
    for (const pm of model.world.models) {
      pm.onSpot((p) => rtds.onSpot(p, pm.asset));
      pm.onReference((ref) => rtds.onReference(ref, pm.asset));
    }

    const spot = new SpotServer(() => model.settings.spotOffsetBps, model.world.models.map((pm) => ({ asset: pm.asset, decimals: pm.opts.decimals ?? 2 })));
    const spotEp = new WsEndpoint('spot', faults, clock, spot.onConnection);
    const sp = createHttpServer('spot', new Router(), faults, clock);
    routeUpgrades(sp, (p) => (p === '/ws' || p.startsWith('/ws/') || p === '/stream' ? spotEp : undefined));
    for (const pm of model.world.models) pm.onSpot((p) => spot.onSpot(p, pm.asset));

    servers.push(gamma, clob, ws, pb, rt, sp, control, external);
    endpoints.push(marketEp, userEp, pbEp, rtdsEp, spotEp);
    const http = (p: number) => `http://${host}:${p}`;
    const wsu = (p: number) => `ws://${host}:${p}`;
    urls.gamma = http(await listen(gamma, host, port('gamma')));
    urls.geoblock = `${urls.gamma}/api/geoblock`;
    urls.clob = http(await listen(clob, host, port('clob')));
    const wsPort = await listen(ws, host, port('ws'));
    urls.marketWs = `${wsu(wsPort)}/ws/market`;
    urls.userWs = `${wsu(wsPort)}/ws/user`;
    urls.polybolt = `${wsu(await listen(pb, host, port('polybolt')))}/ws`;
    urls.rtds = wsu(await listen(rt, host, port('rtds')));
    urls.spot = wsu(await listen(sp, host, port('spot')));
    urls.control = http(await listen(control, host, port('control')));
    urls.external = http(await listen(external, host, port('external')));
  }

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    model.stop();
    heartbeats.stop();
    polybolt?.stop();
    polybolt?.drain();
    for (const ep of endpoints) ep.closeAll(1001, 'simulator shutting down');
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.closeAllConnections();
            s.close(() => resolve());
          }),
      ),
    );
  };
  return { urls, clock: options.clock, model, faults, auth, heartbeats, close };
}
