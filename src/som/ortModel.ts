/**
 * Tiny ONNX graphs for the BMU search, built in memory with onnx-proto (protobuf encoding of
 * ModelProto), so no model file ships or downloads.
 *
 * - best-two: Gemm(x[n,d], w[m,d], bias[m], transB=1) = x·wᵀ + bias → TopK(k=2, axis −1):
 *   values[n,2] and int64 indices[n,2]. ONNX TopK puts the lower index first on equal values,
 *   the same tie rule as the JS kernel.
 * - scores: Gemm(x[n,d], w[m,d], transB=1) = x·wᵀ: the raw product, for encoding.
 * - smooth: the separable neighbourhood smoothing of a rect grid, MatMul(kx[c,c], s[r,c,w])
 *   along each grid row (broadcast over r), Reshape to [r, c·w], MatMul(ky[r,r], ·) along
 *   each column: out[r, c·w] is row-major [r][c][w] like s.
 *
 * n, m and d are symbolic, so one session serves every shape.
 */
import onnxProto, { type onnx as OnnxTypes } from 'onnx-proto';

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const INT = onnx.AttributeProto.AttributeType.INT;
/** Opset 13: Gemm's C input is optional (since 11) and TopK takes K as an input (since 10). */
const OPSET = 13;
/** IR version 8 matches opset 13 and every onnxruntime from 1.10 on. */
const IR_VERSION = 8;

function valueInfo(name: string, elemType: number, dims: ReadonlyArray<string | number>) {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: dims.map((v) => (typeof v === 'string' ? { dimParam: v } : { dimValue: v })),
        },
      },
    },
  };
}

function encodeModel(graph: OnnxTypes.IGraphProto): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: IR_VERSION,
    producerName: 'sdr-explorer',
    opsetImport: [{ domain: '', version: OPSET }],
    graph,
  }).finish();
}

/** The best-two graph: inputs x, w, bias; outputs values, indices. */
export function bestTwoModel(): Uint8Array {
  return encodeModel({
    name: 'som_best_two',
    node: [
      {
        opType: 'Gemm',
        input: ['x', 'w', 'bias'],
        output: ['scores'],
        attribute: [{ name: 'transB', type: INT, i: 1 }],
      },
      {
        opType: 'TopK',
        input: ['scores', 'k'],
        output: ['values', 'indices'],
        attribute: [
          { name: 'axis', type: INT, i: -1 },
          { name: 'largest', type: INT, i: 1 },
          { name: 'sorted', type: INT, i: 1 },
        ],
      },
    ],
    initializer: [{ name: 'k', dataType: INT64, dims: [1], int64Data: [2] }],
    input: [
      valueInfo('x', FLOAT, ['n', 'd']),
      valueInfo('w', FLOAT, ['m', 'd']),
      valueInfo('bias', FLOAT, ['m']),
    ],
    output: [valueInfo('values', FLOAT, ['n', 2]), valueInfo('indices', INT64, ['n', 2])],
  });
}

/** The scores graph: inputs x, w; output scores = x·wᵀ. */
export function scoresModel(): Uint8Array {
  return encodeModel({
    name: 'som_scores',
    node: [
      {
        opType: 'Gemm',
        input: ['x', 'w'],
        output: ['scores'],
        attribute: [{ name: 'transB', type: INT, i: 1 }],
      },
    ],
    input: [valueInfo('x', FLOAT, ['n', 'd']), valueInfo('w', FLOAT, ['m', 'd'])],
    output: [valueInfo('scores', FLOAT, ['n', 'm'])],
  });
}

/** The smoothing graph: inputs kx, ky, s and shape ([r, c·w], int64); output out. */
export function smoothModel(): Uint8Array {
  return encodeModel({
    name: 'som_smooth',
    node: [
      { opType: 'MatMul', input: ['kx', 's'], output: ['along_rows'] },
      { opType: 'Reshape', input: ['along_rows', 'shape'], output: ['flat'] },
      { opType: 'MatMul', input: ['ky', 'flat'], output: ['out'] },
    ],
    input: [
      valueInfo('kx', FLOAT, ['c', 'c']),
      valueInfo('ky', FLOAT, ['r', 'r']),
      valueInfo('s', FLOAT, ['r', 'c', 'w']),
      valueInfo('shape', INT64, [2]),
    ],
    output: [valueInfo('out', FLOAT, ['r', 'cw'])],
  });
}
