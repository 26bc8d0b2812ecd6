/**
 * The SDR room's public API: the SDR value, its algebra and similarity, noise, false-match
 * probability, spatial measures, and overlap search. (The benchmark lives in
 * overlapIndex.bench.ts and is not re-exported.)
 */
export {
  assertSameGrid,
  fromDense,
  makeSDR,
  sameGrid,
  sdrCells,
  sdrFromSorted,
  sdrWidth,
  toCoords,
  toDense,
  type SDR,
} from './sdr.ts';
export {
  complement,
  difference,
  intersection,
  jaccard,
  overlap,
  overlapDense,
  overlapSorted,
  sdrEquals,
  union,
  unionAll,
} from './algebra.ts';
export { dropNoise, flipNoise, moveNoise, noiseCount } from './noise.ts';
export {
  falseMatchLog10Probability,
  falseMatchLogProbability,
  falseMatchProbability,
  logBinomial,
} from './falseMatch.ts';
export {
  centroid,
  clusterLabels,
  clusters,
  dispersion,
  expectedPairwiseDistance,
  meanPairwiseDistance,
  radiusOfGyration,
  spatialRows,
  spatialStats,
  type SpatialRows,
  type SpatialStats,
} from './spatial.ts';
export {
  OverlapIndex,
  bestOfSet,
  bruteForceSearch,
  bruteForceSearchRows,
  type OverlapSearchOptions,
  type OverlapSearchResult,
} from './overlapIndex.ts';
