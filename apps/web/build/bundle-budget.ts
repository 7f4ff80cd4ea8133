import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The parts of Rollup's output bundle the budget reads. */
export interface BudgetChunk {
  type: 'chunk';
  fileName: string;
  code: string;
  isEntry: boolean;
  /** Chunks loaded with this one (static imports); dynamic imports are not initial. */
  imports: string[];
}
export type BudgetBundle = Record<string, BudgetChunk | { type: 'asset'; fileName: string }>;

/** The JavaScript a first visit downloads: the entry chunks and everything they import statically. */
export function initialChunks(bundle: BudgetBundle): BudgetChunk[] {
  const chunks = new Map<string, BudgetChunk>();
  for (const item of Object.values(bundle)) if (item.type === 'chunk') chunks.set(item.fileName, item);
  const initial = new Map<string, BudgetChunk>();
  const visit = (chunk: BudgetChunk) => {
    if (initial.has(chunk.fileName)) return;
    initial.set(chunk.fileName, chunk);
    for (const name of chunk.imports) {
      const imported = chunks.get(name);
      if (imported) visit(imported);
    }
  };
  for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk);
  return [...initial.values()];
}

export function gzipBytes(code: string): number {
  return gzipSync(code, { level: 9 }).length;
}

/**
 * Fails the build when the initial JavaScript (entry chunks and their static imports, gzipped) is over
 * `maxKb` kB, and prints the figure either way. Whatever a route loads with React.lazy does not count.
 */
export function bundleBudget({ maxKb }: { maxKb: number }): Plugin {
  return {
    name: 'isola-bundle-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = initialChunks(bundle as unknown as BudgetBundle);
      const bytes = chunks.reduce((sum, chunk) => sum + gzipBytes(chunk.code), 0);
      const figure = `initial JavaScript: ${(bytes / 1000).toFixed(1)} kB gzipped (${chunks.length} chunks; budget ${maxKb} kB)`;
      if (bytes > maxKb * 1000) this.error(`${figure}: over budget. Load the heavy parts with React.lazy / import().`);
      this.info(figure);
    },
  };
}
