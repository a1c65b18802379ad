/**
 * The ranges `/comic settings` accepts. Plain numbers with no imports, so the command definitions
 * (commands/definitions/, bundled alone by deploy-commands) declare the same ranges the domain checks.
 */
export const SETTING_RANGES = {
	serverDailyLimit: { min: 0, max: 10_000 },
	userDailyLimit: { min: 1, max: 1_000 },
	// Buzz: panels estimated above it ask first (Draw / Cancel).
	confirmAbove: { min: 0, max: 100_000 },
	// Buzz in any 24 hours; 0 = no budget.
	userDailyBuzz: { min: 0, max: 10_000_000 },
	serverDailyBuzz: { min: 0, max: 10_000_000 },
} as const;

/** `confirm_above` when a server has not set it (and in DMs). */
export const CONFIRM_ABOVE_DEFAULT = 50;
