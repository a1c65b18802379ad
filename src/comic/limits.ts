/**
 * The lengths the domain accepts. Plain numbers with no imports, so the command definitions
 * (commands/definitions/, bundled alone by deploy-commands) declare the same limits the domain checks.
 */
export const PROJECT_NAME_MAX = 100;
export const PROJECT_DESCRIPTION_MAX = 1000;
export const CHARACTER_NAME_MAX = 100;
export const PANEL_PROMPT_MAX = 1000;
export const LORA_STRENGTH_MIN = 0.1;
export const LORA_STRENGTH_MAX = 2;
export const STORY_TEXT_MAX = 4000;
export const STORY_PANELS_MIN = 2;
export const STORY_PANELS_MAX = 12;
/** The words of a panel (a narration box; speech balloons separated by ` | `). */
export const CAPTION_MAX = 300;
export const DIALOGUE_MAX = 600;
/** `/comic export` assembles at most this many panels at a time. */
export const EXPORT_PANELS_MAX = 60;
/**
 * The highest panel number (and reader page) a command takes: far above any real project, far below
 * the databases' 32-bit integer (PostgreSQL refuses 2^31 and above, Prisma P2020).
 */
export const PANEL_NUMBER_MAX = 10_000;
/** A picture character's few words for the prompt. */
export const CHARACTER_DESCRIPTION_MAX = 300;
/** Reference pictures per character (`image`, `image2`–`image4`). */
export const REFERENCE_PICTURES_MAX = 4;
/** The imageGen engines a project can draw with (their table: src/comic/engines/engines.ts). */
export const ENGINE_NAMES = ['nano-banana-2', 'nano-banana-pro', 'seedream', 'flux2', 'qwen'] as const;
/** `/comic project edit engine:` choices: `auto` or an engine. */
export const ENGINE_CHOICES = ['auto', ...ENGINE_NAMES] as const;
/** `/comic project edit reading:` choices: left to right, or right to left (manga). */
export const READINGS = ['ltr', 'rtl'] as const;
