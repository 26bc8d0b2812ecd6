/**
 * The eval room's public API: measurements behind the explorer's claims. AUC, made-up inputs
 * (blends, random directions), matched embedding noise, dense and overlap neighbours, the
 * measured overlap distribution, and robustness curves.
 */
export { MeasureError } from './errors.ts';
export { mannWhitneyAuc } from './auc.ts';
export { mixRows, randomUnitRows, type Mixtures } from './synthetic.ts';
export { addEmbeddingNoise, checkNoiseLevel } from './embeddingNoise.ts';
export { denseNeighbours, NO_EXCLUDE, type Neighbours } from './denseNeighbours.ts';
export { overlapNeighbours, overlapNeighboursInto } from './overlapNeighbours.ts';
export {
  fractionAtLeast,
  overlapDistribution,
  type OverlapDistribution,
} from './overlapDistribution.ts';
export { rowHas, sameNearest, sharedShare } from './agreement.ts';
export {
  createRobustnessRun,
  DEFAULT_NOISE_LEVELS,
  measureRobustness,
  NOISE_FAMILIES,
  type FamilyCurve,
  type NoiseFamily,
  type RobustnessCurves,
  type RobustnessInput,
  type RobustnessOptions,
  type RobustnessRun,
} from './robustness.ts';
export {
  checkClaims,
  formatAuc,
  formatLog10Probability,
  formatShare,
  type BaselineFigure,
  type ClaimFigure,
  type ClaimId,
  type ClaimResult,
  type ClaimsInput,
  type ClaimsOptions,
  type ClaimsProgress,
  type ClaimsReport,
  type Verdict,
} from './claims.ts';
export { encodeRandomCode, randomCode, type RandomCode } from './randomCode.ts';
export {
  measureCodeClaims,
  type CodeClaims,
  type CodeClaimsOptions,
  type Encoder,
} from './codeClaims.ts';
export { noveltyHoldout, type HoldoutResult } from './noveltyHoldout.ts';
export {
  BASELINE_MIN_ITEMS,
  compareWithRandomCode,
  type BaselineInput,
  type BaselineOptions,
  type CodeBaseline,
} from './codeBaseline.ts';
export {
  createLabWorkerApi,
  type HoldoutRequest,
  type LabWorkerApi,
  type NoveltyRequest,
  type OverlapCountsRequest,
} from './labSession.ts';
