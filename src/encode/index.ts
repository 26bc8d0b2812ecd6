/** The encode room's public API: embeddings → SDRs, and calibrated novelty scores. */
export {
  DEFAULT_K,
  EncodeError,
  encodeBatch,
  encodeBatchWith,
  encodeOne,
  resolveK,
  sparsityOf,
  unitCosines,
  unitsAtK,
  type EncodedBatch,
  type EncodedOne,
  type EncodeOptions,
} from './encode.ts';
export {
  calibrate,
  calibrationFromEncoded,
  dispersionPercentile,
  NoveltyError,
  noveltyPercentile,
  noveltyThreshold,
  percentileRank,
} from './novelty.ts';
export { HUB_SHARE_WARNING, hubShare, isHubDominated, type HubShare } from './hubs.ts';
export { createTopKScratch, topKIndices, type TopKScratch } from './topK.ts';
export { labelUnits, nearestItemPerUnit } from './unitLabels.ts';
export {
  encodeRows,
  encodeRowsWith,
  MapEncodingError,
  type EncodedRows,
  type EncodeTarget,
} from './mapEncoding.ts';
export {
  calibratedPercentiles,
  centredQeScores,
  centredUnitRows,
  combinedCalibration,
  combinedNovelty,
  DEFAULT_NOVELTY_NEIGHBOURS,
  knnScores,
  meanOfRows,
  NOVELTY_SCORE_KINDS,
  noveltyScores,
  qeScores,
  recommendedNoveltyScore,
  scoreNovelty,
  KNN_NOVELTY_BUDGET,
  MIN_KNN_REFERENCE_ROWS,
  NoveltyScoreError,
  type CombinedCalibration,
  type NoveltyScoreKind,
  type NoveltyReport,
  type NoveltySource,
} from './noveltyScores.ts';
export {
  createEncodeWorkerApi,
  StaleMapError,
  type EncodeSessionOptions,
  type EncodeWorkerApi,
} from './session.ts';
