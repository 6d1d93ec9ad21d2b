/**
 * Standard normal CDF. Uses the complementary error function of Numerical Recipes (erfcc, Chebyshev
 * fit, fractional error < 1.2e-7 everywhere), which is plenty for probabilities quoted to 0.001.
 * Invariants: monotone, Φ(−x) = 1 − Φ(x) to rounding, Φ(±∞) = 1 / 0, NaN in → NaN out.
 */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export function normCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  return Math.min(1, Math.max(0, 0.5 * erfc(-x / Math.SQRT2)));
}
