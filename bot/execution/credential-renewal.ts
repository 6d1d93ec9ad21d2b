/**
 * One re-derive of the CLOB API credentials after an L2 401 (battery B10; reference §2.2, §9.9). The venue answers
 * "Unauthorized/Invalid api key" when a key was expired or revoked server-side (users report keys that stop working
 * until the wallet's next L1 call, which returns the same triple) – or when our L2 timestamps are outside its window.
 *
 * On the first 401 the credentials are derived again ONCE (L1, venue clock) and put to use (`apply`); a warning is
 * published. A 401 of a request signed with the re-derived credentials within `episodeMs` (30 min) means that did
 * not help: no further re-derive, new orders are refused (`denyReason`) and a danger `runtime.notice` (the alert)
 * is published. A later 2xx (the operator fixed the key) lifts that. A 401 after `episodeMs` starts a new episode
 * (one more re-derive), so a key that expires every half hour keeps trading without hammering the L1 endpoints.
 *
 * Invariants: at most one re-derive in flight; at most one per episode; 401s of requests signed with superseded
 * credentials are ignored; no secret ever enters a notice or an error text.
 */
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { ApiCredentials } from '../core/connection';

export type CredentialRenewalState = 'ok' | 'renewing' | 'renewed' | 'failed';

export interface CredentialRenewalOptions {
  clock: Clock;
  bus: EventBus;
  /** L1 derive (the key exists) with the venue clock; throws (without secrets) when it fails. */
  derive: () => Promise<ApiCredentials>;
  /** Sign, own and authenticate with the new credentials from now on. */
  apply: (creds: ApiCredentials) => void;
  /** The generation of the credentials in use (bumped by `apply`). */
  generation: () => number;
  /** A 401 this long after the last re-derive starts a new episode (default 30 min). */
  episodeMs?: number;
}

export class CredentialRenewal {
  state: CredentialRenewalState = 'ok';
  readonly stats = { unauthorized: 0, rederives: 0, failures: 0 };
  private lastRenewMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly o: CredentialRenewalOptions) {}

  /** Why new orders are refused now (undefined = allowed). */
  denyReason(): string | undefined {
    if (this.state === 'failed') return 'CLOB API credentials refused (401) after one re-derive';
    if (this.state === 'renewing') return 'CLOB API credentials being re-derived after a 401';
    return undefined;
  }

  /** Every answer to an authenticated request: its HTTP status and the credentials generation that signed it. */
  onAnswer(status: number, generation: number): void {
    if (status === 401) this.onUnauthorized(generation);
    else if (status >= 200 && status < 300 && this.state === 'failed' && generation === this.o.generation()) {
      this.state = 'renewed';
      this.notice('info', 'CLOB API credentials accepted again', 'The venue accepts our L2 requests again; new orders are allowed.');
    }
  }

  private onUnauthorized(generation: number): void {
    this.stats.unauthorized++;
    if (this.state === 'renewing' || this.state === 'failed') return;
    if (generation < this.o.generation()) return; // signed with credentials we already replaced
    const now = this.o.clock.nowMs();
    if (this.state === 'renewed' && now - this.lastRenewMs < (this.o.episodeMs ?? 1_800_000)) {
      this.fail('the venue still answers 401 with the re-derived credentials');
      return;
    }
    void this.renew(now);
  }

  private async renew(now: number): Promise<void> {
    this.state = 'renewing';
    this.lastRenewMs = now;
    this.stats.rederives++;
    let creds: ApiCredentials;
    try {
      creds = await this.o.derive();
    } catch (err) {
      this.fail(`re-deriving them failed: ${(err instanceof Error ? err.message : String(err)).slice(0, 200)}`);
      return;
    }
    this.o.apply(creds);
    this.state = 'renewed';
    this.notice('warn', 'CLOB API credentials re-derived after a 401', 'The venue refused our API key (401); it was derived again once from the wallet key. If it is refused again, new orders stop.');
  }

  private fail(why: string): void {
    this.state = 'failed';
    this.stats.failures++;
    this.notice('danger', 'CLOB API credentials refused: new orders stopped', `The venue answers 401 (Unauthorized/Invalid api key) and ${why}. Check the key (npm run keys), the host clock (npm run doctor) and the account; orders resume when the venue accepts us again.`);
  }

  private notice(severity: 'info' | 'warn' | 'danger', title: string, detail: string): void {
    this.o.bus.publish({ type: 'runtime.notice', source: 'venue.credentials', severity, title, detail });
  }
}
