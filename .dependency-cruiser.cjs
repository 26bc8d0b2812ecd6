/**
 * The shape of the code, checked by dependency-cruiser (`npm run check`, `npm run depgraph`):
 * no import cycles, and no climbs from a lower layer to a higher one. Layers, low to high:
 *   src/util, src/grid            plain helpers
 *   src/sdr, src/som, src/io      the engine's rooms that stand on their own
 *   src/encode, src/share, src/embed, src/eval
 *                                 built on the rooms below
 *   src/map                       the map pipeline (training → finished SdrMap)
 *   src/cli                       the `sdr` command line
 *   src/index.ts                  the public door (for the page, bench, e2e and the CLI)
 *   app/                          the page; bench/, e2e/, scripts/ on top
 */
const lower = (rooms) => `^src/(${rooms.join('|')})/`;
/** Tests may reach up a layer to check a room end to end; they are not part of what ships. */
const TESTS = '\\.test\\.tsx?$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import cycle: modules that load each other have no order to read them in. Cycles made ' +
        'only of type imports are erased by the compiler and load nothing: the zustand slices ' +
        "pattern (app/store/state.ts's AppState is the union of the slices' types, and each slice " +
        'is typed against AppState) needs them, so they are allowed; any runtime edge in a cycle fails.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'page-through-the-door',
      severity: 'error',
      comment:
        'The page imports the engine through its public door src/index.ts, or src/embed/page.ts ' +
        '(the embed room without transformers.js, so the main bundle does not carry it), or ' +
        'src/share/boot.ts (what the first script needs, so it stays a few kilobytes). Workers ' +
        'are the exception below; tests may reach into a room.',
      from: { path: '^app/', pathNot: ['^app/workers/', TESTS] },
      to: {
        path: '^src/',
        pathNot: ['^src/index\\.ts$', '^src/embed/page\\.ts$', '^src/share/boot\\.ts$'],
      },
    },
    {
      name: 'workers-through-their-doors',
      severity: 'error',
      comment:
        'A worker loads only what it runs: the public door, or these few room doors (the embed ' +
        'room with transformers.js and its image decoding, the SOM shard host, its protocol and ' +
        'kernels), so a shard worker does not bundle the whole engine.',
      from: { path: '^app/workers/', pathNot: TESTS },
      to: {
        path: '^src/',
        pathNot: [
          '^src/index\\.ts$',
          '^src/embed/(index|page|browserImage)\\.ts$',
          '^src/som/(pool|shardProtocol|backend|ortBackend)\\.ts$',
        ],
      },
    },
    {
      name: 'engine-stays-in-src',
      severity: 'error',
      comment: 'The engine (src/) must not import the page, benchmarks, e2e specs or scripts.',
      from: { path: '^src/' },
      to: { path: '^(app|bench|e2e|scripts)/' },
    },
    {
      name: 'page-not-to-tests-or-bench',
      severity: 'error',
      comment: 'The page must not import e2e specs, benchmarks or scripts.',
      from: { path: '^app/' },
      to: { path: '^(e2e|bench|scripts)/' },
    },
    {
      name: 'rooms-not-through-the-door',
      severity: 'error',
      comment:
        'Inside the engine only the CLI (the top layer) may import the public door src/index.ts; ' +
        'a room importing it would depend on every room above it.',
      from: { path: '^src/', pathNot: ['^src/cli/', TESTS] },
      to: { path: '^src/index\\.ts$' },
    },
    {
      name: 'helpers-are-lowest',
      severity: 'error',
      comment: 'src/util and src/grid stand on nothing else in the engine.',
      from: { path: lower(['util', 'grid']), pathNot: TESTS },
      to: { path: '^src/', pathNot: lower(['util', 'grid']) },
    },
    {
      name: 'base-rooms-below-the-rest',
      severity: 'error',
      comment: 'src/sdr, src/som and src/io must not climb to the rooms built on them.',
      from: { path: lower(['sdr', 'som', 'io']), pathNot: TESTS },
      to: { path: lower(['encode', 'share', 'embed', 'eval', 'map', 'cli']) },
    },
    {
      name: 'middle-rooms-below-map-and-cli',
      severity: 'error',
      comment:
        'src/encode, src/share, src/embed and src/eval must not climb to src/map or src/cli.',
      from: { path: lower(['encode', 'share', 'embed', 'eval']), pathNot: TESTS },
      to: { path: lower(['map', 'cli']) },
    },
    {
      name: 'map-below-cli',
      severity: 'error',
      comment: 'The map pipeline must not import the command line.',
      from: { path: lower(['map']), pathNot: TESTS },
      to: { path: lower(['cli']) },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|test-results|playwright-report)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    reporterOptions: {
      dot: { collapsePattern: '^(node_modules/[^/]+|src/[^/]+|app/[^/]+|bench|e2e|scripts)/' },
    },
  },
};
