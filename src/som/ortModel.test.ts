import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { bestTwoModel, scoresModel } from './ortModel.ts';

const { onnx } = onnxProto;

describe('ONNX graphs', () => {
  it('encode a Gemm + TopK(k=2) best-two graph with symbolic sizes', () => {
    const model = onnx.ModelProto.decode(bestTwoModel());
    const graph = model.graph!;
    expect(graph.node!.map((n) => n.opType)).toEqual(['Gemm', 'TopK']);
    expect(graph.input!.map((i) => i.name)).toEqual(['x', 'w', 'bias']);
    expect(graph.output!.map((o) => o.name)).toEqual(['values', 'indices']);
    const transB = graph.node![0].attribute!.find((a) => a.name === 'transB');
    expect(Number(transB!.i)).toBe(1);
    const k = graph.initializer!.find((t) => t.name === 'k')!;
    expect(k.int64Data!.map(Number)).toEqual([2]);
    expect(graph.input![0].type!.tensorType!.shape!.dim!.map((d) => d.dimParam)).toEqual([
      'n',
      'd',
    ]);
    expect(Number(model.opsetImport![0].version)).toBe(13);
  });

  it('encode a plain Gemm scores graph', () => {
    const graph = onnx.ModelProto.decode(scoresModel()).graph!;
    expect(graph.node!.map((n) => n.opType)).toEqual(['Gemm']);
    expect(graph.node![0].input).toEqual(['x', 'w']);
  });
});
