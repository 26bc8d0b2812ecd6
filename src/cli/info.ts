/**
 * `sdr info <map>`: what a `.sdrmap` file holds, without encoding anything.
 */
import { gridSize, type SdrMap } from '../index.ts';
import { CliError } from './args.ts';
import {
  HELP_OPTION,
  helpText,
  parseCommandArgs,
  printJson,
  round,
  type Command,
} from './command.ts';
import { loadMap } from './files.ts';

const SPEC = { help: HELP_OPTION } as const;

const HELP = helpText(
  'sdr info <map.sdrmap>',
  'Print the map header as JSON: name, model, grid, dimension, training settings, quality,\n' +
    'calibration size, items and file size. The file is fully checked while reading.',
  SPEC,
);

/** The JSON `sdr info` prints for a decoded map of `bytes` bytes. */
export function describeMap(map: SdrMap, bytes: number): Record<string, unknown> {
  const { grid, dim } = map.som;
  const t = map.training;
  return {
    name: map.name,
    createdAt: map.createdAt,
    model: map.model,
    grid: `${grid.rows}x${grid.cols}`,
    topology: grid.topology,
    units: gridSize(grid),
    dim,
    training: {
      inputs: t.inputs,
      epochs: t.epochs,
      seed: t.seed,
      init: t.init,
      radiusStart: round(t.radiusStart),
      radiusEnd: round(t.radiusEnd),
    },
    quality: {
      quantizationError: round(map.quality.quantizationError),
      topographicError: round(map.quality.topographicError),
    },
    calibration: map.calibration
      ? { k: map.calibration.k, inputs: map.calibration.qe.length }
      : null,
    unitLabels: map.unitLabels ? map.unitLabels.length : 0,
    items: map.items
      ? {
          count: map.items.labels.length,
          k: map.items.k,
          embeddings: map.items.embeddings !== undefined,
          thumbnails: map.items.thumbnails !== undefined,
        }
      : null,
    bytes,
  };
}

export const infoCommand: Command = {
  name: 'info',
  summary: 'show what a .sdrmap file holds',
  async run(argv, io) {
    const args = parseCommandArgs(argv, SPEC, HELP, io);
    if (!args) return 0;
    if (args.positionals.length !== 1) {
      throw new CliError(`info takes one map file, got ${args.positionals.length} arguments`);
    }
    const { map, bytes } = await loadMap(args.positionals[0]);
    printJson(io, describeMap(map, bytes));
    return 0;
  },
};
