/**
 * Types for parse-prometheus-text-format 1.1.1 (the package ships none): the Prometheus text exposition format parsed
 * into metric families, prom2json-style. Values stay strings as written ("1", "+Inf", "NaN").
 */
declare module 'parse-prometheus-text-format' {
  export type PromLabels = Record<string, string>;

  /** A counter, gauge or untyped sample. */
  export interface PromSample {
    value: string;
    labels?: PromLabels;
    timestamp_ms?: string;
  }

  /** One labelled histogram: cumulative bucket counts by upper bound ("+Inf" included). */
  export interface PromHistogramSample {
    buckets: Record<string, string>;
    count: string;
    sum: string;
    labels?: PromLabels;
  }

  export interface PromSummarySample {
    quantiles?: Record<string, string>;
    count: string;
    sum: string;
    labels?: PromLabels;
  }

  export type PromFamily =
    | { name: string; help: string; type: 'COUNTER' | 'GAUGE' | 'UNTYPED'; metrics: PromSample[] }
    | { name: string; help: string; type: 'HISTOGRAM'; metrics: PromHistogramSample[] }
    | { name: string; help: string; type: 'SUMMARY'; metrics: PromSummarySample[] };

  export default function parsePrometheusTextFormat(text: string): PromFamily[];
}
