import type { TestProject } from 'vitest/node';
import { startDevStack, type DevStackInfo } from './dev-stack';

declare module 'vitest' {
  export interface ProvidedContext {
    devStack: DevStackInfo;
  }
}

/**
 * One stack for every e2e file (scripts/dev.sh on its own ports, database, Redis DB, buckets and roles): starting
 * it is most of the suite's time. Files get its addresses with `inject('devStack')`; it stops after the last file.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = await startDevStack({ apiPort: 3191, webPort: 5191, name: 'isola-web-e2e' });
  const { tail: _tail, stop, ...info } = stack;
  project.provide('devStack', info);
  return stop;
}
