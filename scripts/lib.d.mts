// Types for scripts/lib.mjs (the tests import its binding rule).
export declare const root: string;
export declare const nextBin: string;
export declare function isLoopbackHost(host: string): boolean;
export declare function listenHost(env: Record<string, string | undefined>): string;
export declare function bindingRefusal(env: Record<string, string | undefined>): string | undefined;
export declare function refuseUnsafeBinding(env?: Record<string, string | undefined>): void;
export declare function buildIfStale(opts?: { force?: boolean }): void;
export declare function freePort(): Promise<number>;
