/**
 * Correlation of the simulated assets' returns: build the matrix from one number or a full matrix, validate it is a
 * correlation matrix (square, symmetric, unit diagonal, entries in [-1, 1], positive semi-definite) and factor it
 * (Cholesky, lower triangular) so that correlated shocks are z = L x eps with eps independent standard normals.
 *
 * Invariants:
 * - Pure functions; errors are RangeErrors whose message names the offending entry.
 * - The factor's first row is [1, 0, ...]: asset 0's shock is its own draw exactly, so adding assets never changes
 *   the first asset's path.
 * - Semi-definite matrices (e.g. a correlation of exactly 1) factor with zero pivots instead of failing.
 */
const TOL = 1e-9;

export type CorrelationInput = number | readonly (readonly number[])[];

/** The n x n correlation matrix: `rho` on every off-diagonal entry, or the given matrix (checked). */
export function correlationMatrix(n: number, input: CorrelationInput): number[][] {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < -1 || input > 1) throw new RangeError(`correlation must be a number in [-1, 1], got ${input}`);
    const m = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : input)));
    checkCorrelation(m);
    return m;
  }
  if (input.length !== n || input.some((row) => row.length !== n)) throw new RangeError(`correlation matrix must be ${n} x ${n} (one row and column per asset)`);
  const m = input.map((row) => [...row]);
  checkCorrelation(m);
  return m;
}

/** Throws a RangeError unless m is a valid correlation matrix. */
export function checkCorrelation(m: readonly (readonly number[])[]): void {
  const n = m.length;
  for (let i = 0; i < n; i++) {
    if (m[i]!.length !== n) throw new RangeError('correlation matrix must be square');
    for (let j = 0; j < n; j++) {
      const v = m[i]![j]!;
      if (!Number.isFinite(v)) throw new RangeError(`correlation[${i}][${j}] is not a finite number`);
      if (i === j && Math.abs(v - 1) > TOL) throw new RangeError(`correlation[${i}][${i}] must be 1 (unit diagonal), got ${v}`);
      if (v < -1 - TOL || v > 1 + TOL) throw new RangeError(`correlation[${i}][${j}] = ${v} is outside [-1, 1]`);
      if (Math.abs(v - m[j]![i]!) > TOL) throw new RangeError(`correlation matrix is not symmetric: [${i}][${j}] = ${v} but [${j}][${i}] = ${m[j]![i]}`);
    }
  }
  cholesky(m);
}

/**
 * Lower-triangular L with L x L^T = m, for a symmetric positive semi-definite m; throws when m is not PSD (a negative
 * pivot, or a zero pivot whose column does not vanish).
 */
export function cholesky(m: readonly (readonly number[])[]): number[][] {
  const n = m.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let d = m[j]![j]!;
    for (let k = 0; k < j; k++) d -= L[j]![k]! ** 2;
    if (d < -TOL) throw new RangeError(`correlation matrix is not positive semi-definite (pivot ${j} is ${d.toPrecision(3)}); for one number rho and n assets, rho must be >= -1/(n-1)`);
    const ljj = d > TOL ? Math.sqrt(d) : 0;
    L[j]![j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = m[i]![j]!;
      for (let k = 0; k < j; k++) s -= L[i]![k]! * L[j]![k]!;
      if (ljj === 0) {
        if (Math.abs(s) > 1e-7) throw new RangeError(`correlation matrix is not positive semi-definite (rows ${j} and ${i} are inconsistent)`);
        L[i]![j] = 0;
      } else {
        L[i]![j] = s / ljj;
      }
    }
  }
  return L;
}

/** The matrix with rows and columns reordered: out[a][b] = m[order[a]][order[b]]. */
export function permute(m: readonly (readonly number[])[], order: readonly number[]): number[][] {
  return order.map((i) => order.map((j) => m[i]![j]!));
}
