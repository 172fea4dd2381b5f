import { defineConfig } from 'tsup';

// Two ESM entries: the SDK (web standards only, platform-neutral) and the mock DVID.
// msw stays external: it is an optional peer dependency of `dvid-ts/mock` only. `#body-get`
// stays external so each runtime picks its implementation at load time.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'mock/index': 'mocks/index.ts',
    // GET-with-body, chosen per runtime through package.json "imports" (#body-get).
    'body-get-node': 'src/transport/body-get-node.ts',
    'body-get-browser': 'src/transport/body-get-browser.ts',
  },
  format: ['esm'],
  platform: 'neutral',
  target: 'es2022',
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: true,
  treeshake: true,
  external: ['msw', 'msw/node', '#body-get', /^node:/],
});
