/** Clock module: interface plus the live, simulated and scaled implementations. */
export type { Clock, CancelTimer } from './clock';
export { LiveClock, monotonicMs } from './live-clock';
export { SimClock } from './sim-clock';
export { ScaledClock } from './scaled-clock';
