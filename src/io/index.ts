/**
 * File formats: embeddings in (.npy, CSV/TSV, JSON), embeddings and tables out, and the
 * versioned `.sdrmap` map file with its compact share-link payload. Every reader refuses bad
 * input with a FileFormatError subclass carrying a one-line message for people.
 */
export { EmbeddingsError, FileFormatError, formatCount, MapFileError, NpyError } from './errors.ts';
export {
  FLOAT16_MAX,
  float16ToFloat32Array,
  float32ToFloat16Array,
  fromFloat16Bits,
  roundTripFloat16,
  toFloat16Bits,
} from './float16.ts';
export {
  readNpy,
  readNpyHeader,
  NPY_MAX_PREAMBLE_BYTES,
  writeNpy,
  type NpyArray,
  type NpyDtype,
  type WriteNpyOptions,
} from './npy.ts';
export {
  detectDelimiter,
  parseDelimited,
  writeCsv,
  type Delimiter,
  type DelimitedRows,
  type WriteCsvOptions,
} from './csv.ts';
export { formatFloat32 } from './formatFloat32.ts';
export {
  normalizeRows,
  normalizedRows,
  readEmbeddings,
  readLabels,
  writeEmbeddingsCsv,
  writeEmbeddingsJson,
  type Embeddings,
  type ReadLabelsOptions,
} from './embeddings.ts';
export type { Calibration, MapItems, SdrMap } from './mapModel.ts';
export {
  decodeMapFile,
  DEFAULT_MAP_FILE_LIMITS,
  encodeMapFile,
  MAP_FILE_TYPE,
  MAP_FORMAT_MINOR,
  MAP_FORMAT_VERSION,
  MAX_MAP_DIM,
  type EncodeMapOptions,
  type FloatDtype,
  type MapFileLimits,
} from './mapFile.ts';
export {
  inflateCapped,
  isApproximate,
  LINK_PRECISION_BITS,
  LINK_PRECISIONS,
  linkPayloadEstimate,
  linkRoundingIsLossless,
  MAX_LINK_INFLATED_BYTES,
  packMapForLink,
  packMapForLinkAt,
  roundSignificand,
  isQuantised,
  QUANT_LINK_PRECISIONS,
  QUANT_LINK_STEP_BITS,
  quantisedCodebook,
  quantStep,
  unpackLink,
  unpackMapFromLink,
  type FloatLinkPrecision,
  type LinkPrecision,
  type PackLinkOptions,
  type PackQuantisedOptions,
  type QuantLinkPrecision,
  type UnpackedLink,
  type UnpackLinkOptions,
} from './mapLink.ts';
export {
  cleanText,
  hasUnsafeText,
  MAX_LABEL_LENGTH,
  quoteForMessage,
  UNSAFE_CHARS,
  type CleanTextOptions,
} from './text.ts';
