/**
 * Writes a tiny CLIP-shaped model for tests: `public/models/fixture/clip-tiny/`, in the exact
 * layout transformers.js loads for Xenova/clip-vit-base-patch32 (config.json,
 * preprocessor_config.json, a real byte-level BPE tokenizer like CLIP's, and
 * onnx/{text,vision}_model{,_quantized}.onnx). The app loads it like any self-hosted model:
 * model folder '/models/fixture/', model id 'clip-tiny'.
 *
 * The weights are seeded random, so the vectors mean nothing, but the plumbing is real:
 * different images and different texts give different unit vectors, the same input gives the
 * same vector on every backend. D = 512 like real CLIP ViT-B/32, so fixture embeddings fit maps
 * trained on the real 512-d text embeddings; hidden sizes are tiny to keep the folder < 1 MB.
 *
 * Deterministic: the same bytes on every run (`npm run fixture`).
 */
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';
import { createRng, randomNormal, type Rng } from '../src/util/random.ts';

const { onnx } = onnxProto;

export const FIXTURE_MODEL_ID = 'clip-tiny';
/** Folder (under public/) that serves as the model folder '/models/fixture/'. */
export const FIXTURE_FOLDER = 'models/fixture';
/** Embedding dimension, as real CLIP ViT-B/32. */
export const FIXTURE_DIM = 512;
const SEED = 20240607;
const IMAGE_SIZE = 224;
/** The vision tower average-pools the 224² input to a POOL×POOL grid per channel. */
const POOL = 4;
const VISION_HIDDEN = 64;
const TEXT_WIDTH = 32;
const TEXT_HIDDEN = 64;
const MAX_TOKENS = 77;
const MERGES = 300;
/** Bump when the output changes, so stale generated folders are rebuilt. */
const FIXTURE_VERSION = 2;

// ---------------------------------------------------------------------------------------------
// Tokenizer: byte-level BPE with CLIP's normaliser, pre-tokeniser, </w> suffix and special tokens.

/**
 * GPT-2/CLIP byte → printable unicode character table: `table[byte]` is the byte's character,
 * `vocabOrder` lists the characters in the order CLIP's vocabulary does (printable bytes first).
 */
function byteLevelAlphabet(): { table: string[]; vocabOrder: string[] } {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const table = new Array<string>(256);
  bs.forEach((b, i) => (table[b] = String.fromCodePoint(cs[i])));
  return { table, vocabOrder: bs.map((b) => table[b]) };
}

const CORPUS = `a an the of on in with and at to by for from is are photo picture image of
person man woman child people dog cat bird horse sheep cow elephant bear zebra giraffe
bicycle car motorcycle airplane bus train truck boat traffic light fire hydrant stop sign
bench backpack umbrella handbag tie suitcase frisbee skis snowboard sports ball kite
baseball bat glove skateboard surfboard tennis racket bottle wine glass cup fork knife spoon
bowl banana apple sandwich orange broccoli carrot hot pizza donut cake chair couch potted
plant bed dining table toilet tv laptop mouse remote keyboard cell phone microwave oven
toaster sink refrigerator book clock vase scissors teddy hair drier toothbrush red green
blue yellow black white small large old new sitting standing running flying street beach
water sky tree house room kitchen field road city snow grass night day close up view two
three many group front side top bottom left right near under over playing eating holding`;

function wordToSymbols(word: string, table: string[]): string[] {
  const symbols = Array.from(new TextEncoder().encode(word), (b) => table[b]);
  symbols[symbols.length - 1] += '</w>';
  return symbols;
}

/** Classic BPE training (Sennrich et al. 2016): merge the most frequent pair, ties by name. */
function learnMerges(table: string[]): [string, string][] {
  const counts = new Map<string, number>();
  for (const w of CORPUS.toLowerCase().split(/\s+/).filter(Boolean)) {
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const words = [...counts.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([w, c]) => ({ symbols: wordToSymbols(w, table), count: c }));
  const merges: [string, string][] = [];
  while (merges.length < MERGES) {
    const pairs = new Map<string, number>();
    for (const { symbols, count } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]} ${symbols[i + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + count);
      }
    }
    let best = '';
    let bestCount = 0;
    for (const [key, c] of pairs) {
      if (c > bestCount || (c === bestCount && key < best)) {
        best = key;
        bestCount = c;
      }
    }
    if (bestCount < 2) break;
    const [a, b] = best.split(' ');
    merges.push([a, b]);
    for (const w of words) {
      const out: string[] = [];
      for (let i = 0; i < w.symbols.length; i++) {
        if (i + 1 < w.symbols.length && w.symbols[i] === a && w.symbols[i + 1] === b) {
          out.push(a + b);
          i++;
        } else out.push(w.symbols[i]);
      }
      w.symbols = out;
    }
  }
  return merges;
}

interface TokenizerFiles {
  readonly tokenizer: object;
  readonly tokenizerConfig: object;
  readonly vocabSize: number;
}

function buildTokenizer(): TokenizerFiles {
  const { table, vocabOrder: byteChars } = byteLevelAlphabet();
  const merges = learnMerges(table);
  const vocab: Record<string, number> = {};
  let next = 0;
  for (const c of byteChars) vocab[c] = next++;
  for (const c of byteChars) vocab[`${c}</w>`] = next++;
  for (const [a, b] of merges) if (vocab[a + b] === undefined) vocab[a + b] = next++;
  const bos = next++;
  const eos = next++;
  vocab['<|startoftext|>'] = bos;
  vocab['<|endoftext|>'] = eos;
  const special = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: true,
    special: true,
  });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(bos, '<|startoftext|>'), special(eos, '<|endoftext|>')],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'NFC' },
        { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' },
        { type: 'Lowercase' },
      ],
    },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        {
          type: 'Split',
          pattern: {
            Regex:
              "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
          },
          behavior: 'Removed',
          invert: true,
        },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: 'RobertaProcessing',
      sep: ['<|endoftext|>', eos],
      cls: ['<|startoftext|>', bos],
      trim_offsets: false,
      add_prefix_space: false,
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<|endoftext|>',
      continuing_subword_prefix: '',
      end_of_word_suffix: '</w>',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: merges.map(([a, b]) => `${a} ${b}`),
    },
  };
  const tokenizerConfig = {
    tokenizer_class: 'CLIPTokenizer',
    bos_token: '<|startoftext|>',
    eos_token: '<|endoftext|>',
    unk_token: '<|endoftext|>',
    pad_token: '<|endoftext|>',
    model_max_length: MAX_TOKENS,
    do_lower_case: true,
    add_prefix_space: false,
    errors: 'replace',
    clean_up_tokenization_spaces: true,
  };
  return { tokenizer, tokenizerConfig, vocabSize: next };
}

// ---------------------------------------------------------------------------------------------
// ONNX graphs.

type Weight = { name: string; dims: number[]; data: Float32Array };

function randomWeight(rng: Rng, name: string, dims: number[], scale: number): Weight {
  const size = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = randomNormal(rng) * scale;
  return { name, dims, data };
}

function floatTensor(name: string, dims: number[], data: Float32Array) {
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.FLOAT,
    rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
  });
}

function int64Tensor(name: string, dims: number[], values: number[]) {
  const data = new BigInt64Array(values.map((v) => BigInt(v)));
  return onnx.TensorProto.create({
    name,
    dims,
    dataType: onnx.TensorProto.DataType.INT64,
    rawData: new Uint8Array(data.buffer),
  });
}

function node(opType: string, inputs: string[], outputs: string[], attrs: object[] = []) {
  return onnx.NodeProto.create({
    opType,
    input: inputs,
    output: outputs,
    name: outputs[0],
    attribute: attrs,
  });
}

function intsAttr(name: string, ints: number[]) {
  return onnx.AttributeProto.create({ name, ints, type: onnx.AttributeProto.AttributeType.INTS });
}

function intAttr(name: string, i: number) {
  return onnx.AttributeProto.create({ name, i, type: onnx.AttributeProto.AttributeType.INT });
}

function valueInfo(name: string, elemType: number, dims: (number | string)[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType,
        shape: onnx.TensorShapeProto.create({
          dim: dims.map((d) =>
            typeof d === 'number'
              ? onnx.TensorShapeProto.Dimension.create({ dimValue: d })
              : onnx.TensorShapeProto.Dimension.create({ dimParam: d }),
          ),
        }),
      }),
    }),
  });
}

/**
 * Adds each weight to the graph: as a float initializer, or (quantized) as an int8 initializer
 * with its per-tensor scale and a DequantizeLinear node, as ONNX Runtime's quantizer stores them.
 * Returns the nodes that produce the float weights (none when not quantized).
 */
function addWeights(weights: Weight[], quantized: boolean, initializers: object[]): object[] {
  const nodes: object[] = [];
  for (const w of weights) {
    if (!quantized) {
      initializers.push(floatTensor(w.name, w.dims, w.data));
      continue;
    }
    let max = 0;
    for (const v of w.data) max = Math.max(max, Math.abs(v));
    const scale = max > 0 ? max / 127 : 1;
    const q = new Int8Array(w.data.length);
    for (let i = 0; i < q.length; i++)
      q[i] = Math.max(-127, Math.min(127, Math.round(w.data[i] / scale)));
    initializers.push(
      onnx.TensorProto.create({
        name: `${w.name}_quantized`,
        dims: w.dims,
        dataType: onnx.TensorProto.DataType.INT8,
        rawData: new Uint8Array(q.buffer),
      }),
      floatTensor(`${w.name}_scale`, [], new Float32Array([scale])),
      onnx.TensorProto.create({
        name: `${w.name}_zero_point`,
        dims: [],
        dataType: onnx.TensorProto.DataType.INT8,
        rawData: new Uint8Array(1),
      }),
    );
    nodes.push(
      node(
        'DequantizeLinear',
        [`${w.name}_quantized`, `${w.name}_scale`, `${w.name}_zero_point`],
        [w.name],
      ),
    );
  }
  return nodes;
}

function encodeModel(graph: object): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'sdr-explorer make-fixture-model',
    producerVersion: String(FIXTURE_VERSION),
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: 17 })],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

/** pixel_values [batch,3,224,224] → 4×4 average pool → MLP → image_embeds [batch,512]. */
function visionModel(quantized: boolean): Uint8Array {
  const rng = createRng(SEED + 1);
  const features = 3 * POOL * POOL;
  const weights = [
    randomWeight(rng, 'w1', [features, VISION_HIDDEN], 1 / Math.sqrt(features)),
    randomWeight(rng, 'b1', [VISION_HIDDEN], 0.1),
    randomWeight(rng, 'w2', [VISION_HIDDEN, FIXTURE_DIM], 1 / Math.sqrt(VISION_HIDDEN)),
  ];
  const initializers: object[] = [];
  const kernel = IMAGE_SIZE / POOL;
  const nodes = [
    ...addWeights(weights, quantized, initializers),
    node(
      'AveragePool',
      ['pixel_values'],
      ['pooled'],
      [intsAttr('kernel_shape', [kernel, kernel]), intsAttr('strides', [kernel, kernel])],
    ),
    node('Flatten', ['pooled'], ['flat'], [intAttr('axis', 1)]),
    node('MatMul', ['flat', 'w1'], ['h1']),
    node('Add', ['h1', 'b1'], ['h1b']),
    node('Tanh', ['h1b'], ['h1t']),
    node('MatMul', ['h1t', 'w2'], ['image_embeds']),
  ];
  return encodeModel(
    onnx.GraphProto.create({
      name: 'clip_tiny_vision',
      node: nodes,
      initializer: initializers,
      input: [
        valueInfo('pixel_values', onnx.TensorProto.DataType.FLOAT, [
          'batch_size',
          3,
          IMAGE_SIZE,
          IMAGE_SIZE,
        ]),
      ],
      output: [
        valueInfo('image_embeds', onnx.TensorProto.DataType.FLOAT, ['batch_size', FIXTURE_DIM]),
      ],
    }),
  );
}

/**
 * input_ids, attention_mask [batch,seq] → tanh(token + position embeddings) → masked mean → MLP →
 * text_embeds [batch,512]. Position embeddings make word order matter.
 */
function textModel(vocabSize: number, quantized: boolean): Uint8Array {
  const rng = createRng(SEED + 2);
  const weights = [
    randomWeight(rng, 'token_embedding', [vocabSize, TEXT_WIDTH], 1),
    randomWeight(rng, 'position_embedding', [MAX_TOKENS, TEXT_WIDTH], 0.5),
    randomWeight(rng, 'w1', [TEXT_WIDTH, TEXT_HIDDEN], 1 / Math.sqrt(TEXT_WIDTH)),
    randomWeight(rng, 'w2', [TEXT_HIDDEN, FIXTURE_DIM], 1 / Math.sqrt(TEXT_HIDDEN)),
  ];
  const initializers: object[] = [
    int64Tensor('one_index', [], [1]),
    int64Tensor('zero', [], [0]),
    int64Tensor('one', [], [1]),
    int64Tensor('axis1', [1], [1]),
    int64Tensor('axis2', [1], [2]),
    floatTensor('min_count', [], new Float32Array([1])),
  ];
  const nodes = [
    ...addWeights(weights, quantized, initializers),
    node('Gather', ['token_embedding', 'input_ids'], ['tokens'], [intAttr('axis', 0)]),
    node('Shape', ['input_ids'], ['ids_shape']),
    node('Gather', ['ids_shape', 'one_index'], ['seq_len'], [intAttr('axis', 0)]),
    node('Range', ['zero', 'seq_len', 'one'], ['positions']),
    node('Gather', ['position_embedding', 'positions'], ['pos'], [intAttr('axis', 0)]),
    node('Add', ['tokens', 'pos'], ['summed_embeddings']),
    // A nonlinearity before pooling, or the mean of position embeddings would be the same for
    // every order of the same tokens.
    node('Tanh', ['summed_embeddings'], ['hidden']),
    node('Cast', ['attention_mask'], ['mask'], [intAttr('to', onnx.TensorProto.DataType.FLOAT)]),
    node('Unsqueeze', ['mask', 'axis2'], ['mask3']),
    node('Mul', ['hidden', 'mask3'], ['masked']),
    node('ReduceSum', ['masked', 'axis1'], ['summed'], [intAttr('keepdims', 0)]),
    node('ReduceSum', ['mask', 'axis1'], ['count'], [intAttr('keepdims', 1)]),
    node('Max', ['count', 'min_count'], ['count_safe']),
    node('Div', ['summed', 'count_safe'], ['mean']),
    node('MatMul', ['mean', 'w1'], ['h1']),
    node('Tanh', ['h1'], ['h1t']),
    node('MatMul', ['h1t', 'w2'], ['text_embeds']),
  ];
  return encodeModel(
    onnx.GraphProto.create({
      name: 'clip_tiny_text',
      node: nodes,
      initializer: initializers,
      input: [
        valueInfo('input_ids', onnx.TensorProto.DataType.INT64, ['batch_size', 'sequence_length']),
        valueInfo('attention_mask', onnx.TensorProto.DataType.INT64, [
          'batch_size',
          'sequence_length',
        ]),
      ],
      output: [
        valueInfo('text_embeds', onnx.TensorProto.DataType.FLOAT, ['batch_size', FIXTURE_DIM]),
      ],
    }),
  );
}

// ---------------------------------------------------------------------------------------------

function json(value: object): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value, null, 1)}\n`);
}

/** Every file of the fixture model, keyed by its path inside the model's folder. */
export function buildFixtureModel(): Map<string, Uint8Array> {
  const { tokenizer, tokenizerConfig, vocabSize } = buildTokenizer();
  const config = {
    _name_or_path: FIXTURE_MODEL_ID,
    architectures: ['CLIPModel'],
    model_type: 'clip',
    projection_dim: FIXTURE_DIM,
    logit_scale_init_value: 2.6592,
    fixture_version: FIXTURE_VERSION,
    text_config: {
      model_type: 'clip_text_model',
      vocab_size: vocabSize,
      hidden_size: TEXT_WIDTH,
      intermediate_size: TEXT_HIDDEN,
      num_hidden_layers: 1,
      num_attention_heads: 1,
      max_position_embeddings: MAX_TOKENS,
      projection_dim: FIXTURE_DIM,
      bos_token_id: vocabSize - 2,
      eos_token_id: vocabSize - 1,
      pad_token_id: vocabSize - 1,
    },
    vision_config: {
      model_type: 'clip_vision_model',
      image_size: IMAGE_SIZE,
      patch_size: IMAGE_SIZE / POOL,
      num_channels: 3,
      hidden_size: VISION_HIDDEN,
      intermediate_size: VISION_HIDDEN,
      num_hidden_layers: 1,
      num_attention_heads: 1,
      projection_dim: FIXTURE_DIM,
    },
  };
  const preprocessor = {
    image_processor_type: 'CLIPImageProcessor',
    feature_extractor_type: 'CLIPFeatureExtractor',
    do_resize: true,
    size: { shortest_edge: IMAGE_SIZE },
    resample: 3,
    do_center_crop: true,
    crop_size: { height: IMAGE_SIZE, width: IMAGE_SIZE },
    do_rescale: true,
    rescale_factor: 1 / 255,
    do_normalize: true,
    image_mean: [0.48145466, 0.4578275, 0.40821073],
    image_std: [0.26862954, 0.26130258, 0.27577711],
    do_convert_rgb: true,
  };
  return new Map<string, Uint8Array>([
    ['config.json', json(config)],
    ['preprocessor_config.json', json(preprocessor)],
    ['tokenizer.json', json(tokenizer)],
    ['tokenizer_config.json', json(tokenizerConfig)],
    [
      'special_tokens_map.json',
      json({
        bos_token: '<|startoftext|>',
        eos_token: '<|endoftext|>',
        unk_token: '<|endoftext|>',
        pad_token: '<|endoftext|>',
      }),
    ],
    ['onnx/text_model.onnx', textModel(vocabSize, false)],
    ['onnx/text_model_quantized.onnx', textModel(vocabSize, true)],
    ['onnx/vision_model.onnx', visionModel(false)],
    ['onnx/vision_model_quantized.onnx', visionModel(true)],
  ]);
}

/**
 * Writes the fixture into `<publicDir>/models/fixture/clip-tiny/` unless an up-to-date copy is
 * there; returns the model's folder.
 */
export function writeFixtureModel(publicDir: string, force = false): string {
  const dir = join(publicDir, FIXTURE_FOLDER, FIXTURE_MODEL_ID);
  const configPath = join(dir, 'config.json');
  if (!force && existsSync(configPath)) {
    try {
      const config = JSON.parse(readFileSync(configPath, 'utf8')) as { fixture_version?: number };
      if (config.fixture_version === FIXTURE_VERSION) return dir;
    } catch {
      // unreadable: rebuild below
    }
  }
  for (const [path, bytes] of buildFixtureModel()) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, bytes);
  }
  return dir;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The fixture's folder in this repository, written if missing. */
export function ensureFixtureModel(): string {
  return writeFixtureModel(join(repoRoot, 'public'));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = writeFixtureModel(join(repoRoot, 'public'), process.argv.includes('--force'));
  console.log(`fixture model in ${dir}`);
}

/** Vitest globalSetup hook (vite.config.ts): the unit tests load the fixture like users would. */
export function setup(): void {
  ensureFixtureModel();
}
