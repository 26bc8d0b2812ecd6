import { describe, expect, it } from 'vitest';
import {
  datasetModelId,
  mapModelDiffers,
  modelMixProblem,
  UNKNOWN_MODEL_ID,
} from './provenance.ts';

const VIT = 'Xenova/clip-vit-base-patch32';

describe('provenance', () => {
  it('names the one known model of a dataset, ignoring rows of unknown origin', () => {
    expect(datasetModelId([])).toBeNull();
    expect(datasetModelId([{ modelId: UNKNOWN_MODEL_ID }, { modelId: VIT }])).toBe(VIT);
    expect(datasetModelId([{ modelId: VIT }, { modelId: 'clip-tiny' }])).toBeNull();
  });

  it('refuses rows of another model than the data, whatever the dimension, and says why', () => {
    const problem = modelMixProblem('clip-tiny', 'The model', {
      mapModel: VIT,
      datasetModels: [VIT, VIT],
    });
    expect(problem).toMatch(
      /The model embeds with clip-tiny, but your data was embedded with Xenova/,
    );
    expect(problem).toMatch(/nothing was added/);
  });

  it('refuses rows of another model than the map while the map has data, naming the map model in words', () => {
    const problem = modelMixProblem('clip-tiny', 'notes.txt', {
      mapModel: VIT,
      mapModelLabel: 'CLIP ViT-B/32 (text prompts)',
      datasetModels: [UNKNOWN_MODEL_ID],
    });
    expect(problem).toMatch(/current map and data come from CLIP ViT-B\/32 \(text prompts\)/);
  });

  it('lets the same model, unknown origins, and a fresh start on an empty dataset in', () => {
    expect(modelMixProblem(VIT, 'The model', { mapModel: VIT, datasetModels: [VIT] })).toBeNull();
    expect(
      modelMixProblem(UNKNOWN_MODEL_ID, 'x.npy', { mapModel: VIT, datasetModels: [VIT] }),
    ).toBeNull();
    expect(
      modelMixProblem('clip-tiny', 'The model', { mapModel: VIT, datasetModels: [] }),
    ).toBeNull();
    // …in which case the caller closes the other model's map.
    expect(mapModelDiffers('clip-tiny', VIT)).toBe(true);
    expect(mapModelDiffers('clip-tiny', null)).toBe(false);
  });
});
