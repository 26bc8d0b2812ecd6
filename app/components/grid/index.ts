/** Map drawing components and their helpers: the one import for views. */
export { GridCanvas, type GridCanvasHandle, type GridCanvasProps } from './GridCanvas.tsx';
export { SdrThumb, type SdrThumbProps } from './SdrThumb.tsx';
export { Legend, type LegendProps } from './Legend.tsx';
export {
  downloadBlob,
  exportSize,
  gridToPng,
  gridToSvg,
  svgBlob,
  GridExportError,
  type ExportOptions,
  type PngOptions,
} from './exportImage.ts';
export {
  COLOR_SCHEMES,
  GRID_COLORS,
  GridSceneError,
  describeScene,
  formatValue,
  resolveScene,
  type ColorSchemeName,
  type GridScene,
  type ResolvedScene,
  type SceneNames,
  type SdrStyle,
} from './scene.ts';
export { underlayDomain } from './underlayDomain.ts';
export { GridGeometryError, layoutCells, moveFocus, unitAt, type CellLayout } from './geometry.ts';
