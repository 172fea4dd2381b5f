import { defineConfig } from 'tsup';

// Two ESM entries: the SDK (web standards only, platform-neutral) and the mock DVID.
// msw stays external: it is an optional peer dependency of `dvid-ts/mock` only.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'mock/index': 'mocks/index.ts',
  },
  format: ['esm'],
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  external: ['msw', 'msw/node', 'node:http', 'node:net'],
});
