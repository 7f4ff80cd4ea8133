import { describe, expect, it } from 'vitest';
import { gzipBytes, initialChunks, type BudgetBundle } from './bundle-budget';

const chunk = (fileName: string, imports: string[] = [], isEntry = false) => ({
  type: 'chunk' as const,
  fileName,
  code: `/*${fileName}*/`,
  isEntry,
  imports,
});

describe('bundle budget', () => {
  it('counts the entry and what it imports statically, not the lazy chunks', () => {
    const bundle: BudgetBundle = {
      'index.js': chunk('index.js', ['react.js'], true),
      'react.js': chunk('react.js', ['runtime.js']),
      'runtime.js': chunk('runtime.js'),
      'AdminPage.js': chunk('AdminPage.js', ['react.js']),
      'UploadPanel.js': chunk('UploadPanel.js', ['uppy.js']),
      'uppy.js': chunk('uppy.js'),
      'index.css': { type: 'asset', fileName: 'index.css' },
    };
    expect(
      initialChunks(bundle)
        .map((c) => c.fileName)
        .sort(),
    ).toEqual(['index.js', 'react.js', 'runtime.js']);
  });

  it('measures gzipped bytes', () => {
    const repetitive = 'const a = 1;\n'.repeat(10_000);
    expect(gzipBytes(repetitive)).toBeLessThan(repetitive.length / 50);
  });
});
