/**
 * The V8 flags a sweep process is launched with (the npm script, the console's sweep child, the benchmarks): launch
 * flags, V8 cannot take them at run time, and they hold for the workers' isolates too.
 * - `--single-threaded-gc`: V8's parallel GC helper threads would otherwise compete with the other worker for the
 *   cores (and lend a single worker the idle core).
 * - `--no-memory-reducer-for-small-heaps`: a worker's heap starts small (a replay loads no live-venue code), and V8's
 *   memory reducer then ran full collections while the worker imported and replayed a seed-001 CSV: the 4-point sweep
 *   took 12.2–16.4 s without the flag and 8.0–9.3 s with it (alternating runs); the sample sweep is unchanged.
 */
export const SWEEP_NODE_FLAGS = ['--single-threaded-gc', '--no-memory-reducer-for-small-heaps'] as const;
