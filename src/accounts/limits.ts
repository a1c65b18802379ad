/**
 * The ranges `/comic settings` accepts. Plain numbers with no imports, so the command definitions
 * (commands/definitions/, bundled alone by deploy-commands) declare the same ranges the domain checks.
 */
export const SETTING_RANGES = { serverDailyLimit: { min: 0, max: 10_000 }, userDailyLimit: { min: 1, max: 1_000 } } as const;
