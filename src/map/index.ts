/**
 * The map room's public API: one pipeline from embeddings to a finished SdrMap (fitMap), the
 * training session object it runs on (the page's train worker exposes the same one), and the
 * training defaults and ranges the CLI and the page's form read.
 */
export {
  DEFAULT_GRID_SIDE,
  DEFAULT_HOLDOUT,
  DEFAULT_K_MAX,
  DEFAULT_K_MIN,
  DEFAULT_K_SHARE,
  DEFAULT_TOPOLOGY,
  EPOCHS,
  GRID_SIDE,
  HOLDOUT,
  INIT_METHODS,
  MIN_RADIUS,
  SEED,
  TOPOLOGIES,
  defaultGrid,
  defaultK,
  type Range,
} from './defaults.ts';
export {
  FitStoppedError,
  MIN_HOLDOUT_ROWS,
  fitMap,
  holdoutSplit,
  sdrMapOf,
  type FitHooks,
  type FitInput,
  type FitPlan,
  type FitResult,
  type FitSettings,
  type MapMeta,
} from './fitMap.ts';
export {
  PARALLEL_MIN_WORK,
  createMapSessions,
  shardWorkersFor,
  type FinishOptions,
  type MapSessions,
  type TrainEngine,
  type TrainPreview,
  type TrainResult,
  type TrainSessionOptions,
} from './session.ts';
