/**
 * The lengths the domain accepts. Plain numbers with no imports, so the command definitions
 * (commands/definitions/, bundled alone by deploy-commands) declare the same limits the domain checks.
 */
export const PROJECT_NAME_MAX = 100;
export const PROJECT_DESCRIPTION_MAX = 1000;
export const CHARACTER_NAME_MAX = 100;
export const PANEL_PROMPT_MAX = 1000;
