/**
 * The strategy instances of the simulated day (sim-day test and the harness-day bench row): every strategy type with
 * its defaults (late-sweep switched on), plus two variants. Fresh instances on every call (strategies keep state).
 */
import { createStrategy } from '../../../../bot/strategies/registry';
import type { Strategy } from '../../../../bot/strategies/strategy';

export function dayStrategies(): { id: string; strategy: Strategy }[] {
  return [
    { id: 'tb', strategy: createStrategy('time-bucket') },
    { id: 'sweep', strategy: createStrategy('late-sweep', { enabled: true }) },
    { id: 'hammer', strategy: createStrategy('hammer') },
    { id: 'hammer-spot', strategy: createStrategy('hammer', { pHatModel: 'spot' }) },
    { id: 'trend', strategy: createStrategy('trend-window') },
    { id: 'maker', strategy: createStrategy('two-sided-maker') },
    { id: 'maker-noarb', strategy: createStrategy('two-sided-maker', { enableArbitrage: false }) },
  ];
}
