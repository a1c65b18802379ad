// The picture engine: pure functions of buffers and plain data (no Discord, no database, no jobs).
export { contactSheet, type ContactSheet, type NumberedPanel } from './assembly/contactSheet.ts';
export { toCbz } from './assembly/cbz.ts';
export { renderPages } from './assembly/pages.ts';
export { planPages } from './assembly/pageLayout.ts';
export { toPdf } from './assembly/pdf.ts';
export { collect, type ImageFormat, type PanelSource, type RenderedImage } from './assembly/sources.ts';
export { renderStrip } from './assembly/strip.ts';
export { parseCaption, parseDialogue } from './lettering/dialogue.ts';
export { layoutWords, letterPanel, type Words } from './lettering/letter.ts';
export { sizeOf, type Size } from './engine.ts';
export { fontsReady } from './fonts.ts';
export { LetteringError } from './lettering/letteringError.ts';
