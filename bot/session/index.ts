/** One start's venue session (market-data side + order side, reconciled before the first order) and its runtime component. */
export { VenueSession, type VenueSessionOptions } from './venue-session';
export { SessionComponent, type SessionComponentOptions } from './session-component';
