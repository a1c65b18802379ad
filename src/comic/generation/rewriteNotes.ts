export const REWRITE_TIMED_OUT = 'The prompt rewrite took too long, so it was skipped and your prompt was used as written.';
export const REWRITE_FAILED = 'The prompt rewrite failed, so it was skipped and your prompt was used as written.';
