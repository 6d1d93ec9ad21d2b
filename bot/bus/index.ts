/** Bus module: the typed event bus and bounded buffers. */
export { EventBus, type BusStats, type Unsubscribe } from './event-bus';
export { RingBuffer, SeqHistory } from './ring-buffer';
