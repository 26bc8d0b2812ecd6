/**
 * The SOM room's public API (browser-safe: runs in workers and in Node). Node-only pieces
 * (the worker_threads pool, the onnxruntime-node backend) are in ./node.ts; the benchmark is
 * som.bench.ts.
 */
export type { EpochReport, InitMethod, SomModel, SomSnapshot, TrainConfig } from './types.ts';
export {
  DEFAULT_EPOCHS,
  DEFAULT_INIT,
  DEFAULT_RADIUS_END,
  DEFAULT_SEED,
  defaultRadiusStart,
  defaultTrainConfig,
  MAX_EPOCHS,
  maxRadius,
  radiusAtEpoch,
  sameStart,
  validateTrainConfig,
} from './config.ts';
export {
  createTrainer,
  train,
  TrainingInputError,
  type Trainer,
  type TrainerOptions,
  type TrainOptions,
} from './trainer.ts';
export { initCodebook } from './init.ts';
export { principalPlane, type PcaOptions, type PrincipalPlane } from './pca.ts';
export { createSmoother, type Smoother } from './neighbourhood.ts';
export { gemmF64 } from './gemm.ts';
export { adjacencyTable, areAdjacent, MAX_NEIGHBOURS } from './adjacency.ts';
export {
  allocBestTwo,
  bestTwoJs,
  createKernelScratch,
  halfNormBias,
  scoresJs,
  type BestTwo,
  type KernelScratch,
} from './bmu.ts';
export { createJsBackend, type MatmulBackend } from './backend.ts';
export {
  createKernelSlot,
  serialisedKernel,
  type KernelSlot,
  type StartedKernel,
} from './kernelSlot.ts';
export {
  createOrtBackend,
  type OrtBackendOptions,
  type OrtModuleLike,
  type OrtSessionLike,
  type OrtTensorLike,
} from './ortBackend.ts';
export { bestTwoModel, scoresModel } from './ortModel.ts';
export {
  createInThreadPool,
  createShardHost,
  createWorkerShardPool,
  ShardPoolError,
  type ShardPool,
  type ShardPort,
  type WorkerShardPoolOptions,
} from './pool.ts';
export {
  addPartial,
  createShard,
  emptyPartial,
  runShard,
  type Shard,
  type ShardPartial,
} from './shard.ts';
export type { ShardBackendKind, ShardReply, ShardRequest } from './shardProtocol.ts';
export { bestUnits, hitCounts, quantizationError, topographicError, uMatrix } from './quality.ts';
export { syntheticClusters, type SyntheticData, type SyntheticOptions } from './synthetic.ts';
