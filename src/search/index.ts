/** The search room: nearest stored items by overlap, exact cosine, or both in two stages. */
export {
  defaultShortlist,
  exactSearch,
  ItemSearch,
  itemSearch,
  rankCandidates,
  recallOf,
  SEARCH_MODES,
  SHORTLIST_MIN,
  SHORTLIST_UNITS,
  unitQuery,
  type SearchHits,
  type SearchMode,
  type TwoStageOptions,
} from './twoStage.ts';
