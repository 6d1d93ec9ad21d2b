/**
 * RuntimeComponent: a long-lived part of the runtime (simulator, venue session, heartbeat, ...). The composition
 * root (`bot/runtime.ts`) starts components in order and stops them in reverse order; components never import
 * the root, only this contract.
 */
export interface RuntimeComponent {
  readonly name: string;
  start(): Promise<void>;
  stop(reason: string): Promise<void>;
  /** Release what outlives a stop (e.g. the simulator); called once on runtime dispose. */
  dispose?(): Promise<void>;
}
