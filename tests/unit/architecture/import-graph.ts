/**
 * The project's import graph, read from the source text: every relative `import … from`, `export … from` and
 * `import('…')` of the .ts/.tsx files under bot/, lib/, app/, components/ and scripts/ (type-only imports
 * included: they are structure too). Used by the architecture tests; no dependency beyond node:fs.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

export const ROOT = join(__dirname, '../../..');
const DIRS = ['bot', 'lib', 'app', 'components', 'scripts'];
const SPEC = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
}

function resolve(from: string, spec: string): string | undefined {
  const base = normalize(join(dirname(from), spec));
  for (const c of [`${base}.ts`, `${base}.tsx`, base, join(base, 'index.ts')]) if (existsSync(c) && statSync(c).isFile()) return c;
  return undefined;
}

/** file (repo-relative) -> the repo-relative files it imports. */
export function importGraph(): Map<string, string[]> {
  const files: string[] = [];
  for (const d of DIRS) if (existsSync(join(ROOT, d))) walk(join(ROOT, d), files);
  const g = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const deps = new Set<string>();
    for (const m of text.matchAll(SPEC)) {
      const t = resolve(f, m[1]!);
      if (t) deps.add(relative(ROOT, t));
    }
    g.set(relative(ROOT, f), [...deps]);
  }
  return g;
}

/** Strongly connected components with more than one file, or a file that imports itself (Tarjan). */
export function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (g.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}
