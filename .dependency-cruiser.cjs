// @ts-check
/**
 * The layering of src/, checked by `npm run lint` (dependency-cruiser). The
 * folders are the layers, listed bottom first: a module may import its own
 * folder and any folder of a lower layer, never one above it nor a sibling of
 * its own layer. docs/architecture.md draws the same map and says why.
 */
const LAYERS = [
  ['core'], // shared vocabulary: candles, timeframes, limits, errors (pure)
  ['analysis'], // indicators, rules, ranking (pure)
  ['contract'], // what crosses workflow history: payloads, ids, queries, search attributes, UI text
  ['alerts'], // alert destinations, which alerts a cycle makes, each channel's format (pure)
  ['config.ts'], // environment -> Config, validated once
  ['observability', 'storage', 'temporal', 'delivery'], // logs + metrics, Redis + the ledger, Temporal connections, alert HTTP
  ['exchange'], // the ccxt boundary
  ['market-data'], // the candle pipeline, streams, universe, the exchange stack
  ['activities'], // thin I/O over the layers below
  ['workflows'], // deterministic orchestration
  ['worker', 'client', 'dashboard'], // production wiring; the CLI; the dashboard's server
  ['launcher'], // `npm start` only
];

/** A path pattern for one layer member: a folder under src/, or a file at its root. */
const member = (name) => (name.endsWith('.ts') ? `src/${name.replace('.', '\\.')}$` : `src/${name}/`);
const anyOf = (names) => `^(${names.map(member).join('|')})`;
/** The entry points: src/*.ts, except the layers that are single files. */
const rootFiles = LAYERS.flat().filter((name) => name.endsWith('.ts'));
const ENTRY_POINTS = `^src/(?!(${rootFiles.map((f) => f.replace('.', '\\.')).join('|')})$)[^/]+\\.ts$`;

const layerRules = LAYERS.flatMap((layer, index) =>
  layer.map((name) => {
    const above = LAYERS.slice(index + 1).flat();
    const siblings = layer.filter((other) => other !== name);
    const forbidden = [...above, ...siblings];
    return {
      name: `layer:${name}`,
      comment: `${name} imports only its own folder and the layers below it (${LAYERS.slice(0, index).flat().join(', ') || 'none'})`,
      severity: 'error',
      from: { path: `^${member(name)}` },
      to: {
        path: forbidden.length > 0 ? `${anyOf(forbidden)}|${ENTRY_POINTS}|^src/simulator/` : ENTRY_POINTS,
      },
    };
  }),
);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles hide which module is the lower one.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'simulator-is-independent',
      comment: 'The simulator stands for the exchange: it imports nothing of the product.',
      severity: 'error',
      from: { path: '^src/simulator/' },
      to: { path: '^src/(?!simulator/)' },
    },
    {
      name: 'only-sim-starts-the-simulator',
      comment: 'The product reaches the simulator over sockets only; sim.ts is its entry point.',
      severity: 'error',
      from: { path: '^src/(?!simulator/|sim\\.ts$)' },
      to: { path: '^src/simulator/' },
    },
    {
      name: 'nothing-imports-entry-points',
      comment: 'Entry points parse, call and exit; nothing builds on them.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: ENTRY_POINTS },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
