/** Map drawing components and their helpers: the one import for views. */
export { GridCanvas, type GridCanvasHandle, type PictureExtras } from './GridCanvas.tsx';
export { SdrThumb } from './SdrThumb.tsx';
export { Legend } from './Legend.tsx';
export { downloadBlob, svgBlob } from './exportImage.ts';
export { formatValue, resolveScene, type GridScene } from './scene.ts';
export { underlayDomain } from './underlayDomain.ts';
export { layoutCells } from './geometry.ts';
