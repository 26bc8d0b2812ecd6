/**
 * The `--kernel` option that `sdr train`, `encode` and `eval` share: which library does the
 * matrix products, and the backend it makes. onnxruntime-node ('ort') is the default because it
 * is several times faster on large maps; 'js' needs no native module.
 */
import { createJsBackend, type MatmulBackend } from '../index.ts';
import { createOrtNodeBackend } from '../som/node.ts';
import { getChoice, type OptionSpec, type ParsedArgs } from './args.ts';

const KERNELS = ['ort', 'js'] as const;
export type Kernel = (typeof KERNELS)[number];

/** The `--kernel` entry of a command's option spec. */
export const KERNEL_OPTION: OptionSpec = {
  type: 'string',
  help: 'matrix kernel: ort (onnxruntime-node) or js (default ort)',
};

/** The kernel asked for with --kernel; default 'ort'; anything else is a CliError. */
export function getKernel(args: ParsedArgs): Kernel {
  return getChoice(args, 'kernel', KERNELS, 'ort');
}

/**
 * A matrix backend for `kernel`. `threads` (default 1, range 1 to 256) is the ORT threads for
 * one product; the JS kernel is single-threaded and ignores it.
 */
export async function createKernelBackend(kernel: Kernel, threads = 1): Promise<MatmulBackend> {
  return kernel === 'ort' ? createOrtNodeBackend({ threads }) : createJsBackend();
}
