// The picture engine: pure functions of buffers and plain data (no Discord, no database, no jobs).
export { contactSheet, type ContactSheet, type NumberedPanel } from './assembly/contactSheet.ts';
export { toCbz, type CbzInfo } from './assembly/cbz.ts';
export { comicInfoXml, type ComicInfo } from './assembly/comicInfo.ts';
export { renderPages, type PagesOptions } from './assembly/pages.ts';
export { PAGE, planPages } from './assembly/pageLayout.ts';
export { toPdf, PDF_DPI, type PageImage } from './assembly/pdf.ts';
export { collect, type ImageFormat, type PanelSource, type RenderedImage } from './assembly/sources.ts';
export { renderStrip, STRIP, type StripOptions } from './assembly/strip.ts';
export { type Balloon, LETTERING_LIMITS, parseCaption, parseDialogue, plainText } from './lettering/dialogue.ts';
export { type Lettered, type LetteredBox, layoutWords, letterPanel, type Words } from './lettering/letter.ts';
export { sizeOf, type Size } from './engine.ts';
export { LetteringError, type LetteringProblem } from './lettering/letteringError.ts';
